// The results panel's browser side: renders the state the extension posts (validated with the
// shared zod schemas) and sends back typed actions. No logic beyond presentation: what an action
// does is decided by the extension, and copied text is read from history there, not from the page.
//
// Gallery: one grid per step, a size control (Fit fills the panel), a details pane for the selected
// image, a larger view and a compare view (side by side or a slider). Keyboard: arrows move between
// thumbnails, Enter opens the larger view, Space marks an image for comparison, C compares the two
// marked images, Escape closes; arrows page through the larger view.
import {
  parseToWebview, type DetailChip, type FromWebview, type ImageAction, type Resource, type ResultsImage,
  type ResultsState, type ResultsStatus, type ResultsStep, type SweepGrid,
} from '../core/messages';
import { outputsSection, reportMedia } from './outputs';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type TileSize = 'fit' | 'small' | 'medium' | 'large';
const SIZES: ReadonlyArray<[TileSize, string, string]> = [
  ['fit', 'Fit', 'Thumbnails share the panel\'s width'],
  ['small', 'S', 'Small thumbnails (120 px)'],
  ['medium', 'M', 'Medium thumbnails (200 px)'],
  ['large', 'L', 'Large thumbnails (320 px)'],
];

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
const key = document.body.dataset.key;
const saved = (vscode.getState() ?? {}) as { size?: unknown };
let tileSize: TileSize = SIZES.some(([s]) => s === saved.size) ? saved.size as TileSize : 'fit';
// The history key (for the serializer to restore this panel after a reload) and the size choice.
function persist(): void {
  if (key) vscode.setState({ key, size: tileSize });
}
persist();

let state: ResultsState | undefined;
/** Key of the image whose thumbnail has (or last had) the focus: the one the details pane shows. */
let focusedKey: string | undefined;
/** Key of the image shown in the larger view, if open. */
let openKey: string | undefined;
/** Images marked for comparison, oldest first (at most two). */
let marked: string[] = [];
/** The two images in the compare view (a result key, or `source:<step>`), if open. */
let comparing: [string, string] | undefined;
let compareMode: 'side' | 'slider' = 'side';
let sliderAt = 50;
let toastTimer: number | undefined;
// Outside #app so a state update doesn't wipe a message the user hasn't read yet.
const toastEl = document.createElement('div');
toastEl.className = 'toast';
toastEl.setAttribute('role', 'status');
toastEl.setAttribute('aria-live', 'polite');
document.body.append(toastEl);

function send(message: FromWebview): void {
  vscode.postMessage(message);
}

let reportedView = '';
const reportedSelection = (): string | null => (reportedView ? (JSON.parse(reportedView) as { selected: string | null }).selected : null);
/** Tells the extension where the selection, the larger view and the compare view are, when that changed. */
function reportView(): void {
  const view = { selected: focusedKey ?? null, open: openKey ?? null, compare: comparing ? [...comparing] : null };
  const text = JSON.stringify(view);
  if (text === reportedView) return;
  reportedView = text;
  send({ type: 'view', ...view });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = parseToWebview(event.data);
  if (!parsed.ok) {
    console.warn(`civitai results: ignored an invalid message (${parsed.error})`);
    return;
  }
  const message = parsed.value;
  if (message.type === 'state') {
    state = message.state;
    render();
  } else {
    showToast(message.text, message.kind);
  }
});

document.addEventListener('keydown', (event) => {
  if (!state) return;
  if (comparing) {
    if (event.key === 'Escape') {
      event.preventDefault();
      closeCompare();
    }
    return;
  }
  if (openKey === undefined) return;
  if (event.key === 'Escape') {
    event.preventDefault();
    closeLightbox();
  } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
    event.preventDefault();
    stepLightbox(event.key === 'ArrowRight' ? 1 : -1);
  }
});

send({ type: 'ready' });

// ---- tiny DOM helper (text is always set as text, never parsed as HTML) ----

type Child = Node | string | null | undefined | false;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

function icon(name: string, extra = ''): HTMLElement {
  return h('i', { class: `codicon codicon-${name} ${extra}`.trim(), 'aria-hidden': 'true' });
}

interface ButtonOptions {
  /** Tooltip; defaults to the label. */
  title?: string;
  /** Why the action cannot run now: the button stays focusable, says why, and clicking it explains. */
  disabledReason?: string;
  /** Icon only (the label goes to aria-label and the tooltip). Only where the icon is universal. */
  compact?: boolean;
  primary?: boolean;
  id?: string;
  shortcut?: string;
}

function button(label: string, iconName: string, onClick: () => void, opts: ButtonOptions = {}): HTMLButtonElement {
  const disabled = opts.disabledReason !== undefined;
  const tip = disabled ? `${label}: ${opts.disabledReason}` : `${opts.title ?? label}${opts.shortcut ? ` (${opts.shortcut})` : ''}`;
  const b = h('button', {
    type: 'button',
    class: `${opts.compact ? 'icon-button' : 'button'}${opts.primary ? ' primary' : ''}`,
    title: tip,
    'aria-label': opts.compact ? label : undefined,
    'aria-disabled': disabled ? 'true' : undefined,
    'aria-keyshortcuts': opts.shortcut,
    'data-action': label,
    id: opts.id,
  }, icon(iconName), opts.compact ? null : h('span', {}, label));
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    if (disabled) showToast(`${label}: ${opts.disabledReason}`, 'info');
    else onClick();
  });
  return b;
}

const STATUS_ICONS: Record<ResultsStatus, string> = {
  submitting: 'cloud-upload',
  rejected: 'error',
  unassigned: 'clock',
  preparing: 'clock',
  scheduled: 'clock',
  processing: 'sync',
  succeeded: 'pass',
  failed: 'error',
  expired: 'watch',
  canceled: 'circle-slash',
};

const STATUS_WORDS: Record<ResultsStatus, string> = {
  submitting: 'submitting',
  rejected: 'refused',
  unassigned: 'waiting',
  preparing: 'preparing',
  scheduled: 'queued',
  processing: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  expired: 'expired',
  canceled: 'canceled',
};

/** A status in words with an icon; `live` spins the icon (only the current state of an unfinished run). */
/** Emulator runs make placeholders: images, or the video, audio and text other steps return. */
function emulatorBadge(what: 'images' | 'outputs') {
  return h('span', { class: 'emulator-badge', title: `Ran on the local emulator: the ${what} are generated placeholders, not model output, and nothing was paid.` },
    icon('beaker'), ` Emulator · placeholder ${what}`);
}

function statusBadge(status: ResultsStatus, live = false): HTMLElement {
  const spin = live && (status === 'submitting' || status === 'processing') ? 'codicon-modifier-spin' : '';
  return h('span', { class: `status status-${status}` }, icon(live && status === 'submitting' ? 'loading' : STATUS_ICONS[status], spin), ` ${STATUS_WORDS[status]}`);
}

function time(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString();
}

function buzz(n: number): string {
  return `${Number.isInteger(n) ? n : n.toFixed(1)} Buzz`;
}

// ---- render ----

function render(): void {
  if (!state) return;
  const s = state;
  const hadFocusInGallery = document.activeElement?.classList.contains('tile') ?? false;
  const hadFocusInOverlay = app.querySelector('.overlay')?.contains(document.activeElement) ?? false;
  const activeAction = (document.activeElement as HTMLElement | null)?.closest('.details')
    ? (document.activeElement as HTMLElement).dataset.action
    : undefined;
  if (focusedKey !== undefined && !s.images.some((i) => i.key === focusedKey)) focusedKey = undefined;
  marked = marked.filter((k) => s.images.some((i) => i.key === k));
  const parts: Child[] = [
    header(s),
    s.notice ? h('div', { class: 'notice', role: 'alert' }, icon('warning'), ' ', s.notice) : null,
    s.failures.length ? failures(s) : null,
    // A workflow whose steps made only other outputs (a video, a chat answer) shows no empty gallery.
    s.images.length === 0 && s.outputs?.length ? null : h('div', { class: 'layout' }, gallery(s), details(s)),
    outputsSection(s, { h, icon, button, send }),
    h('div', { class: 'columns' }, progress(s), h('div', {}, cost(s), timeline(s))),
  ];
  app.replaceChildren(...parts.filter((p): p is Node => p instanceof Node));
  let overlay: HTMLElement | undefined;
  if (comparing) {
    const pair = comparing.map((k) => compareItem(s, k));
    if (pair[0] && pair[1]) overlay = compareView(pair[0], pair[1]);
    else comparing = undefined;
  } else if (openKey !== undefined) {
    const still = s.images.find((i) => i.key === openKey);
    if (still) overlay = lightbox(still);
    else openKey = undefined;
  }
  if (overlay) {
    // Modal: what is behind it can't be reached with Tab or a screen reader.
    for (const child of app.children) child.setAttribute('inert', '');
    app.append(overlay);
    if (hadFocusInOverlay) overlay.focus();
  }
  if (hadFocusInGallery && focusedKey && !overlay) focusTile(focusedKey);
  if (activeAction && !overlay) app.querySelector<HTMLElement>(`.details [data-action="${CSS.escape(activeAction)}"]`)?.focus();
  reportView();
  reportImages();
  reportMedia(app, send);
}

/** Tells the extension how many gallery images actually displayed (once all have settled). */
function reportImages(): void {
  const imgs = [...app.querySelectorAll<HTMLImageElement>('.gallery img')];
  const settle = (img: HTMLImageElement) => (img.complete
    ? Promise.resolve(img.naturalWidth > 0)
    : new Promise<boolean>((resolve) => {
      img.addEventListener('load', () => resolve(true), { once: true });
      img.addEventListener('error', () => resolve(false), { once: true });
    }));
  void Promise.all([Promise.all(imgs.map(settle)), document.fonts.ready]).then(([results]) => {
    const loaded = results.filter(Boolean).length;
    const icons = [...document.fonts].some((f) => f.family.replace(/["']/g, '') === 'codicon' && f.status === 'loaded');
    send({ type: 'rendered', images: imgs.length, loaded, failed: imgs.length - loaded, icons });
  });
}

function header(s: ResultsState): HTMLElement {
  const actions = h('div', { class: 'actions' },
    button('Refresh', 'refresh', () => send({ type: 'refresh' }), { title: 'Fetch the latest status from the service' }),
    s.canCancel
      ? button('Cancel run', 'debug-stop', () => send({ type: 'cancel' }), {
        title: 'Stop the run. Buzz already used by finished work is still charged.',
        id: 'cancel',
        primary: true,
      })
      : null,
    button('Preview cost', 'credit-card', () => send({ type: 'previewCost' }), s.hasSourceFile
      ? { title: 'Ask the service for the exact cost of the source file (whatif)' }
      : { disabledReason: 'this run has no source file in the workspace to price' }),
    button('Open file', 'go-to-file', () => send({ type: 'openSource' }), s.hasSourceFile
      ? { title: `Open ${s.label}` }
      : { disabledReason: 'this workflow was opened by id: it has no file in the workspace' }),
  );
  return h('header', {},
    h('div', { class: 'title-row' },
      h('h1', {}, s.title),
      statusBadge(s.status, !s.terminal),
      s.emulator ? emulatorBadge(s.images.length === 0 && (s.outputs?.length ?? 0) > 0 ? 'outputs' : 'images') : null,
    ),
    h('p', { class: 'meta' },
      s.workflowId ? h('span', {}, 'Workflow ', h('code', {}, s.workflowId)) : h('span', {}, 'Waiting for the service to assign an id'),
      h('span', {}, icon('server-environment'), ' ', s.serviceLabel),
      h('span', {}, `Created ${time(s.createdAt)}`),
      h('span', {}, icon('credit-card'), ' ', s.cost.summary),
    ),
    actions,
  );
}

function failures(s: ResultsState): HTMLElement {
  return h('section', { class: 'failures', 'aria-label': 'Failures' },
    h('h2', {}, icon('error'), ' What went wrong'),
    h('ul', {}, ...s.failures.map((f) => h('li', {},
      h('strong', {}, `${stepHeading(s, f.step)}: ${f.reason}`), h('p', {}, f.advice)))),
  );
}

/** A failure names its step by the service's name; show the same heading as the gallery does. */
function stepHeading(s: ResultsState, name: string): string {
  return s.steps.find((st) => st.name === name)?.title ?? name;
}

// ---- gallery ----

function sizeControl(): HTMLElement {
  const group = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Thumbnail size' });
  for (const [size, label, tip] of SIZES) {
    const on = size === tileSize;
    const b = h('button', { type: 'button', role: 'radio', 'aria-checked': on ? 'true' : 'false', title: tip, tabindex: on ? 0 : -1, class: on ? 'on' : undefined }, label);
    b.addEventListener('click', () => setSize(size));
    b.addEventListener('keydown', (e) => {
      const i = SIZES.findIndex(([x]) => x === tileSize);
      const next = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? i - 1 : undefined;
      if (next === undefined) return;
      e.preventDefault();
      setSize(SIZES[(next + SIZES.length) % SIZES.length][0]);
      app.querySelector<HTMLElement>('.segmented [aria-checked="true"]')?.focus();
    });
    group.append(b);
  }
  return h('div', { class: 'size-control' }, h('span', { class: 'muted', 'aria-hidden': 'true' }, 'Size'), group);
}

function setSize(size: TileSize): void {
  tileSize = size;
  persist();
  render();
}

function compareButton(): HTMLElement {
  const reason = marked.length === 2 ? undefined
    : `mark two images first: Space or Ctrl+click on each (${marked.length} marked)`;
  return button('Compare marked', 'diff', () => openCompare(marked[0], marked[1]), { disabledReason: reason, shortcut: 'C', title: 'Compare the two marked images side by side or with a slider' });
}

function gallery(s: ResultsState): HTMLElement {
  const section = h('section', { class: 'gallery-section', 'aria-label': 'Images' });
  section.append(h('div', { class: 'toolbar' },
    h('h2', {}, icon('file-media'), ` Images (${s.images.length})`),
    h('span', { class: 'spacer' }),
    s.images.length > 1 ? compareButton() : null,
    s.images.length ? sizeControl() : null,
  ));
  if (s.images.length === 0) {
    const why = s.terminal
      ? s.status === 'succeeded' ? 'This workflow produced no images.' : 'No images: the workflow did not succeed.'
      : 'Images appear here when the workflow finishes.';
    section.append(h('p', { class: 'muted empty' }, why));
    return section;
  }
  const current = focusedKey ?? s.images[0].key;
  if (s.sweep) {
    section.append(...sweepTables(s, s.sweep, current));
    section.append(h('p', { class: 'hint muted' }, 'Arrows move · Enter enlarges · Space marks for comparison · C compares'));
    return section;
  }
  const byStep = new Map<number, ResultsImage[]>();
  for (const img of s.images) byStep.set(img.stepIndex, [...(byStep.get(img.stepIndex) ?? []), img]);
  for (const [stepIndex, images] of byStep) {
    const step = s.steps[stepIndex];
    const title = step?.title ?? images[0].stepName;
    const grid = h('div', {
      class: `gallery size-${tileSize}`, role: 'listbox', 'aria-label': `Images of ${title}`, 'aria-orientation': 'horizontal',
    });
    // Fit: one column per image across the width, wrapping below ~180 px a tile…
    if (tileSize === 'fit') {
      grid.style.setProperty('--count', String(images.length));
      // …and never so large that a tile is taller than most of the panel (one image, a wide panel).
      const first = images.find((i) => i.width && i.height);
      grid.style.setProperty('--max-tile', `calc(62vh * ${first ? (first.width! / first.height!).toFixed(3) : 1})`);
    }
    for (const img of images) grid.append(tile(img, s.images.indexOf(img), img.key === current));
    grid.addEventListener('keydown', (event) => onGalleryKey(event, s));
    section.append(h('div', { class: 'step-group' },
      byStep.size > 1 || step ? h('h3', {}, title, step && step.title === step.name ? h('span', { class: 'muted' }, ` · ${step.type}`) : null) : null,
      grid));
  }
  section.append(h('p', { class: 'hint muted' }, 'Arrows move · Enter enlarges · Space marks for comparison · C compares'));
  return section;
}

/**
 * A sweep's cells as its grid: a table per Z value, X values across the top, Y values down the
 * side, each cell the tiles of its step (so selection, marking and compare work as in the gallery).
 */
function sweepTables(s: ResultsState, grid: SweepGrid, current: string): HTMLElement[] {
  const [xAxis, yAxis, zAxis] = grid.axes;
  const pages = zAxis?.values.length ?? 1;
  const rows = yAxis?.values.length ?? 1;
  const tables: HTMLElement[] = [];
  for (let page = 0; page < pages; page++) {
    const title = [xAxis && `X: ${xAxis.label}`, yAxis && `Y: ${yAxis.label}`, zAxis && `Z: ${zAxis.label} = ${zAxis.values[page]}`].filter(Boolean).join(' · ');
    const head = h('tr', {}, yAxis ? h('td', { class: 'corner' }) : null,
      ...(xAxis?.values ?? []).map((v) => h('th', { scope: 'col' }, v)));
    const body = h('tbody');
    for (let row = 0; row < rows; row++) {
      const tr = h('tr', {}, yAxis ? h('th', { scope: 'row' }, yAxis.values[row]) : null);
      for (let col = 0; col < (xAxis?.values.length ?? 1); col++) {
        const cell = grid.cells.find((c) => c.x === col && c.y === row && c.z === page);
        const images = cell ? s.images.filter((i) => i.stepIndex === cell.stepIndex) : [];
        const where = [xAxis && `${xAxis.label} ${xAxis.values[col]}`, yAxis && `${yAxis.label} ${yAxis.values[row]}`].filter(Boolean).join(', ');
        const list = h('div', { class: `gallery sweep-cell size-${tileSize}`, role: 'listbox', 'aria-label': where });
        for (const img of images) list.append(tile(img, s.images.indexOf(img), img.key === current));
        if (images.length === 0) list.append(h('span', { class: 'muted' }, cell ? 'No image yet' : 'Not in this part'));
        list.addEventListener('keydown', (event) => onGalleryKey(event, s));
        tr.append(h('td', {}, list));
      }
      body.append(tr);
    }
    tables.push(h('div', { class: 'sweep' },
      h('div', { class: 'toolbar' }, h('h3', {}, icon('layout'), ` Sweep · ${title}`), h('span', { class: 'spacer' }),
        page === 0 ? button('Export grid', 'export', () => send({ type: 'exportSweep' }), {
          title: 'Save the grid as one labelled PNG (it carries the parameters, so it imports back) and sweep.json beside the images',
        }) : null),
      h('table', { class: `sweep-grid size-${tileSize}` }, h('caption', { class: 'visually-hidden' }, title), h('thead', {}, head), body)));
  }
  return tables;
}

function caption(img: ResultsImage): string {
  const parts = [`#${img.index + 1}`];
  if (img.width && img.height) parts.push(`${img.width}×${img.height}`);
  if (img.seed !== null) parts.push(`seed ${img.seed}`);
  return parts.join(' · ');
}

/**
 * The picture of one output, wherever it is shown (tile, larger view, compare). One place per
 * output kind: a later kind (video, audio, text…) adds its case here.
 */
function renderOutput(img: ResultsImage, where: 'tile' | 'large' | 'compare', alt: string): HTMLElement {
  if (img.src) return h('img', { src: img.src, alt, class: where === 'tile' ? undefined : 'large', draggable: 'false' });
  const glyph = img.state === 'withheld' ? 'eye-closed' : img.state === 'pending' ? 'cloud-download' : 'warning';
  return h('div', { class: `placeholder${where === 'tile' ? '' : ' large'}` }, icon(glyph),
    h('span', {}, img.note ?? (img.state === 'pending' ? 'Not downloaded yet' : 'Not available')));
}

function markLetter(k: string): string | undefined {
  const i = marked.indexOf(k);
  return i < 0 ? undefined : i === 0 ? 'A' : 'B';
}

function tile(img: ResultsImage, position: number, tabbable: boolean): HTMLElement {
  const letter = markLetter(img.key);
  const label = `Image ${position + 1}, ${caption(img)}${img.note ? `, ${img.note}` : ''}${letter ? `, marked ${letter} for comparison` : ''}`;
  const t = h('div', {
    class: `tile state-${img.state}${letter ? ' marked' : ''}`,
    role: 'option',
    tabindex: tabbable ? 0 : -1,
    'aria-selected': tabbable ? 'true' : 'false',
    'data-key': img.key,
    'aria-label': label,
    title: 'Click to show its details · double-click to enlarge · Ctrl+click to mark for comparison',
  },
  h('div', { class: 'frame' }, renderOutput(img, 'tile', `Result ${position + 1}: ${caption(img)}`),
    letter ? h('span', { class: 'mark', 'aria-hidden': 'true' }, letter) : null),
  h('div', { class: 'caption' }, caption(img)));
  if (img.width && img.height) t.style.setProperty('--ratio', `${img.width} / ${img.height}`);
  t.addEventListener('click', (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey) toggleMark(img.key);
    else select(img.key);
  });
  t.addEventListener('dblclick', () => openLightbox(img.key));
  t.addEventListener('focus', () => {
    if (focusedKey !== img.key || reportedSelection() !== img.key) select(img.key);
  });
  return t;
}

function tiles(): HTMLElement[] {
  return [...app.querySelectorAll<HTMLElement>('.tile')];
}

/** Selects an image: its thumbnail takes the focus and the details pane shows it (no full re-render). */
function select(k: string): void {
  focusedKey = k;
  const old = app.querySelector('aside.details');
  if (state && old) old.replaceWith(details(state));
  focusTile(k);
}

function focusTile(k: string): void {
  const all = tiles();
  const target = all.find((t) => t.dataset.key === k) ?? all[0];
  if (!target) return;
  for (const t of all) {
    const on = t === target;
    t.tabIndex = on ? 0 : -1;
    t.setAttribute('aria-selected', on ? 'true' : 'false');
  }
  focusedKey = target.dataset.key;
  target.focus();
  reportView();
}

function toggleMark(k: string): void {
  marked = marked.includes(k) ? marked.filter((x) => x !== k) : [...marked, k].slice(-2);
  focusedKey = k;
  render();
  focusTile(k);
  const letter = markLetter(k);
  showToast(letter ? `Marked ${letter} for comparison${marked.length === 2 ? ': press C to compare' : ''}.` : 'No longer marked.', 'info');
}

/** Thumbnails per row in the tile's own grid (each step has one; the grid wraps with the width). */
function columnsOf(tileEl: HTMLElement): number {
  const all = [...(tileEl.parentElement?.children ?? [])] as HTMLElement[];
  if (all.length < 2) return 1;
  const top = all[0].offsetTop;
  const perRow = all.findIndex((t) => t.offsetTop !== top);
  return perRow > 0 ? perRow : all.length;
}

function onGalleryKey(event: KeyboardEvent, s: ResultsState): void {
  const target = event.target as HTMLElement;
  if (!target.classList.contains('tile')) return;
  const index = s.images.findIndex((i) => i.key === target.dataset.key);
  if (index < 0) return;
  const cols = columnsOf(target);
  let next = index;
  switch (event.key) {
    case 'ArrowRight': next = index + 1; break;
    case 'ArrowLeft': next = index - 1; break;
    case 'ArrowDown': next = index + cols; break;
    case 'ArrowUp': next = index - cols; break;
    case 'Home': next = 0; break;
    case 'End': next = s.images.length - 1; break;
    case 'Enter':
      event.preventDefault();
      openLightbox(s.images[index].key);
      return;
    case ' ':
      event.preventDefault();
      toggleMark(s.images[index].key);
      return;
    case 'c':
    case 'C':
      event.preventDefault();
      if (marked.length === 2) openCompare(marked[0], marked[1]);
      else showToast(`Compare: mark two images first with Space (${marked.length} marked).`, 'info');
      return;
    default:
      return;
  }
  event.preventDefault();
  next = Math.max(0, Math.min(s.images.length - 1, next));
  select(s.images[next].key);
}

// ---- details pane ----

function copyButton(what: string, action: ImageAction, img: ResultsImage): HTMLButtonElement {
  return button(`Copy ${what}`, 'copy', () => send({ type: 'image', action, key: img.key }), { compact: true, title: `Copy the ${what}` });
}

function chipList(chips: DetailChip[], label: string): HTMLElement {
  const list = h('ul', { class: 'chips', 'aria-label': label });
  for (const c of chips) {
    const classes = ['chip', `kind-${c.kind}`];
    if (c.weight > 1) classes.push('up');
    if (c.weight < 1) classes.push('down');
    if (c.special) classes.push('special');
    const weight = c.kind === 'tag' && c.weight !== 1 ? `×${Number(c.weight.toFixed(2))}` : null;
    const tip = [c.special ? `${c.special} tag` : '', weight ? `weight ${weight.slice(1)}` : ''].filter(Boolean).join(', ');
    list.append(h('li', { class: classes.join(' '), title: tip || undefined }, c.text, weight ? h('span', { class: 'w' }, weight) : null));
  }
  return list;
}

function resourceLine(r: Resource, kind: string): HTMLElement {
  return h('div', { class: 'resource' },
    h('span', { class: 'resource-name' }, r.name ?? r.description),
    r.strength !== null ? h('span', { class: 'muted' }, ` · strength ${r.strength}`) : null,
    h('code', { class: 'air', title: `${kind} AIR` }, r.air),
    r.name ? h('span', { class: 'muted small' }, r.description) : null);
}

function imageActions(img: ResultsImage, step: ResultsStep | undefined): HTMLElement {
  const act = (action: ImageAction) => () => send({ type: 'image', action, key: img.key });
  const onDisk = img.state === 'saved';
  const noFile = img.state === 'withheld' ? `the service withheld this image${img.note ? ` (${img.note})` : ''}` : 'the image is not downloaded yet';
  const noSeed = img.seed === null
    ? 'the service did not report this image\'s seed (a batch with a random seed)'
    : undefined;
  const isImageGen = step?.type === 'imageGen';
  return h('div', { class: 'image-actions', role: 'group', 'aria-label': 'Image actions' },
    button('Enlarge', 'screen-full', () => openLightbox(img.key), { title: 'Show this image larger', shortcut: 'Enter', disabledReason: img.src ? undefined : noFile }),
    button('Open', 'go-to-file', act('open'), { title: 'Open the image file in an editor tab', disabledReason: onDisk ? undefined : noFile }),
    button('Save to workspace…', 'save', act('save'), { title: 'Save a copy (with its generation parameters) in the workspace', disabledReason: onDisk ? undefined : noFile }),
    onDisk || img.state === 'withheld' ? null : button('Download', 'cloud-download', act('refresh'), { title: 'Download it now (refreshing an expired link)' }),
    button('Re-run with this seed', 'debug-rerun', act('rerunWithSeed'), {
      title: 'Write a copy of the workflow with this seed and one image, and submit it',
      disabledReason: noSeed ?? (isImageGen ? undefined : 'only imageGen steps take a seed'),
    }),
    button('Use as source', 'arrow-swap', act('useAsSource'), {
      title: 'Create an image-to-image workflow file that starts from this image',
      disabledReason: !onDisk ? noFile : isImageGen ? undefined : 'image-to-image variants start from imageGen results',
    }),
    button('Open as workflow', 'json', act('openAsWorkflow'), {
      title: 'Import the generation parameters stored in this image as a new workflow file',
      disabledReason: onDisk ? undefined : noFile,
    }),
    button('Compare with source', 'diff', () => openCompare(`source:${img.stepIndex}`, img.key), {
      title: 'Compare the source image of this image-to-image step with this result',
      disabledReason: step?.sourceSrc ? undefined
        : step?.details?.fromImage ? 'the source image is not available (the file changed since the run, or the image is not embedded in it)'
          : 'this step does not start from a source image (not image-to-image)',
    }),
  );
}

function details(s: ResultsState): HTMLElement {
  const img = s.images.find((i) => i.key === (focusedKey ?? s.images[0]?.key));
  const aside = h('aside', { class: 'details', 'aria-label': 'Image details' });
  if (!img) {
    aside.append(h('h2', {}, icon('info'), ' Details'), h('p', { class: 'muted' }, s.images.length ? 'Select an image.' : 'Details of an image appear here once there is one.'));
    return aside;
  }
  const position = s.images.indexOf(img);
  const step = s.steps[img.stepIndex];
  const d = step?.details ?? null;
  aside.append(
    h('h2', {}, icon('info'), ` Image ${position + 1} of ${s.images.length}`),
    h('p', { class: 'muted sub' }, `${step?.title ?? img.stepName} · ${caption(img)}`),
    imageActions(img, step),
  );
  if (!d) {
    aside.append(h('p', { class: 'muted' }, 'This step type records no generation parameters.'));
    return aside;
  }
  const field = (label: string, value: Node | string, copy?: HTMLElement): HTMLElement =>
    h('div', { class: 'field' }, h('div', { class: 'field-head' }, h('h3', {}, label), copy ?? null), typeof value === 'string' ? h('div', {}, value) : value);
  if (d.prompt !== null) aside.append(field('Prompt', chipList(d.promptChips, 'Prompt tags'), copyButton('prompt', 'copyPrompt', img)));
  if (d.negativePrompt !== null) aside.append(field('Negative prompt', chipList(d.negativeChips, 'Negative prompt tags'), copyButton('negative prompt', 'copyNegativePrompt', img)));
  if (d.shortened) aside.append(h('p', { class: 'warn small' }, icon('warning'), ' History shortened a long value here; the saved PNG and the source file keep it whole.'));
  if (d.model) aside.append(field('Model', resourceLine(d.model, 'Model'), copyButton('model AIR', 'copyModel', img)));
  if (d.loras.length) aside.append(field(`LoRAs (${d.loras.length})`, h('div', {}, ...d.loras.map((r) => resourceLine(r, 'LoRA')))));
  if (d.embeddings.length) aside.append(field('Embeddings', h('div', {}, ...d.embeddings.map((r) => resourceLine(r, 'Embedding')))));
  const rows: Array<[string, Node | string]> = [];
  rows.push(['Seed', img.seed !== null
    ? h('span', { class: 'with-copy' }, String(img.seed), copyButton('seed', 'copySeed', img))
    : h('span', { class: 'muted' }, 'not reported (random)')]);
  if (img.width && img.height) rows.push(['Size', `${img.width} × ${img.height}`]);
  const engine = [d.ecosystem, d.engine, d.operation].filter(Boolean).join(' · ');
  if (engine) rows.push(['Engine', engine]);
  for (const st of d.settings) rows.push([st.label, st.value]);
  rows.push(['Cost (whole run)', s.cost.summary]);
  aside.append(h('dl', { class: 'settings' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
  aside.append(h('div', { class: 'details-foot' },
    button('Copy all parameters', 'clippy', () => send({ type: 'image', action: 'copyParameters', key: img.key }), {
      title: 'Copy the generation parameters as A1111/Civitai text (Import Generation Parameters reads it back)',
    })));
  return aside;
}

// ---- larger view ----

function openLightbox(k: string): void {
  openKey = k;
  focusedKey = k;
  render();
  app.querySelector<HTMLElement>('.lightbox')?.focus();
}

function closeLightbox(): void {
  const k = openKey;
  openKey = undefined;
  render();
  if (k) focusTile(k);
  reportView();
}

function stepLightbox(delta: number): void {
  if (!state || openKey === undefined) return;
  const i = state.images.findIndex((img) => img.key === openKey);
  const next = state.images[(i + delta + state.images.length) % state.images.length];
  openLightbox(next.key);
}

function lightbox(img: ResultsImage): HTMLElement {
  const position = state ? state.images.findIndex((i) => i.key === img.key) : 0;
  const total = state?.images.length ?? 1;
  const box = h('div', { class: 'overlay lightbox', role: 'dialog', 'aria-modal': 'true', 'aria-label': `Image ${position + 1} of ${total}`, tabindex: -1 },
    h('div', { class: 'overlay-bar' },
      h('span', {}, `${position + 1} / ${total} · ${caption(img)}`),
      h('span', { class: 'spacer' }),
      button('Previous', 'chevron-left', () => stepLightbox(-1), { title: 'Previous image', shortcut: 'ArrowLeft' }),
      button('Next', 'chevron-right', () => stepLightbox(1), { title: 'Next image', shortcut: 'ArrowRight' }),
      button('Close', 'close', closeLightbox, { title: 'Back to the gallery', shortcut: 'Escape' }),
    ),
    renderOutput(img, 'large', `Result ${position + 1}: ${caption(img)}`),
  );
  box.addEventListener('click', (e) => {
    if (e.target === box) closeLightbox();
  });
  return box;
}

// ---- compare view ----

interface CompareItem {
  label: string;
  src: string | null;
  image?: ResultsImage;
}

function compareItem(s: ResultsState, k: string): CompareItem | undefined {
  const source = /^source:(\d+)$/.exec(k);
  if (source) {
    const step = s.steps[Number(source[1])];
    return step ? { label: `Source of ${step.title}`, src: step.sourceSrc } : undefined;
  }
  const img = s.images.find((i) => i.key === k);
  return img ? { label: `Image ${s.images.indexOf(img) + 1} · ${caption(img)}`, src: img.src, image: img } : undefined;
}

function openCompare(a: string | undefined, b: string | undefined): void {
  if (!a || !b) return;
  comparing = [a, b];
  openKey = undefined;
  hideToast(); // "Marked B…" would cover B's caption
  render();
  app.querySelector<HTMLElement>('.compare')?.focus();
}

function closeCompare(): void {
  comparing = undefined;
  render();
  if (focusedKey) focusTile(focusedKey);
  reportView();
}

function comparePicture(item: CompareItem, letter: string): HTMLElement {
  const media = item.image ? renderOutput(item.image, 'compare', `${letter}: ${item.label}`)
    : item.src ? h('img', { src: item.src, alt: `${letter}: ${item.label}`, class: 'large', draggable: 'false' })
      : h('div', { class: 'placeholder large' }, icon('warning'), h('span', {}, 'Not available'));
  return media;
}

function compareView(a: CompareItem, b: CompareItem): HTMLElement {
  const modes = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Compare mode' });
  for (const [mode, label] of [['side', 'Side by side'], ['slider', 'Slider']] as const) {
    const on = compareMode === mode;
    const m = h('button', { type: 'button', role: 'radio', 'aria-checked': on ? 'true' : 'false', class: on ? 'on' : undefined, tabindex: on ? 0 : -1 }, label);
    m.addEventListener('click', () => {
      compareMode = mode;
      render();
      app.querySelector<HTMLElement>('.compare .segmented [aria-checked="true"]')?.focus();
    });
    m.addEventListener('keydown', (e) => {
      if (['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(e.key)) {
        e.preventDefault();
        compareMode = compareMode === 'side' ? 'slider' : 'side';
        render();
        app.querySelector<HTMLElement>('.compare .segmented [aria-checked="true"]')?.focus();
      }
    });
    modes.append(m);
  }
  let body: HTMLElement;
  if (compareMode === 'side') {
    body = h('div', { class: 'compare-side' },
      h('figure', {}, comparePicture(a, 'A'), h('figcaption', {}, h('strong', {}, 'A '), a.label)),
      h('figure', {}, comparePicture(b, 'B'), h('figcaption', {}, h('strong', {}, 'B '), b.label)));
  } else {
    const stage = h('div', { class: 'compare-stage' },
      h('div', { class: 'layer under' }, comparePicture(a, 'A')),
      h('div', { class: 'layer over' }, comparePicture(b, 'B')),
      h('div', { class: 'divider', 'aria-hidden': 'true' }));
    stage.style.setProperty('--at', `${sliderAt}%`);
    const range = h('input', { type: 'range', min: 0, max: 100, value: sliderAt, 'aria-label': 'Slider position: left shows A, right shows B', class: 'compare-range' });
    range.addEventListener('input', () => {
      sliderAt = Number(range.value);
      stage.style.setProperty('--at', `${sliderAt}%`);
    });
    body = h('div', { class: 'compare-slider' }, stage, range,
      h('p', { class: 'legend' }, h('span', {}, h('strong', {}, 'A '), a.label), h('span', {}, h('strong', {}, 'B '), b.label)));
  }
  const box = h('div', { class: 'overlay compare', role: 'dialog', 'aria-modal': 'true', 'aria-label': `Compare ${a.label} with ${b.label}`, tabindex: -1 },
    h('div', { class: 'overlay-bar' },
      h('strong', {}, 'Compare'),
      modes,
      h('span', { class: 'spacer' }),
      button('Swap', 'arrow-swap', () => {
        if (comparing) openCompare(comparing[1], comparing[0]);
      }, { title: 'Swap A and B' }),
      button('Close', 'close', closeCompare, { title: 'Back to the gallery', shortcut: 'Escape' }),
    ),
    body,
  );
  return box;
}

// ---- run: steps, cost, timeline ----

function progress(s: ResultsState): HTMLElement {
  const section = h('section', { class: 'progress-section', 'aria-label': 'Steps' }, h('h2', {}, icon('list-ordered'), ' Steps'));
  if (s.steps.length === 0) {
    section.append(h('p', { class: 'muted' }, s.status === 'submitting' ? 'Submitting…' : s.status === 'rejected' ? 'The service refused the workflow.' : 'No step details yet.'));
    return section;
  }
  for (const step of s.steps) {
    const live = !s.terminal;
    const bar = h('progress', { max: 1, value: step.progress ?? undefined, 'aria-label': `${step.title} progress` });
    section.append(h('div', { class: 'step' },
      h('div', { class: 'step-head' }, h('strong', {}, step.title), step.title === step.name ? h('span', { class: 'muted' }, ` · ${step.type}`) : null,
        h('span', { class: 'spacer' }), statusBadge(step.status, live)),
      bar,
      step.jobs.length ? h('ul', { class: 'jobs' }, ...step.jobs.map((j) => h('li', {},
        statusBadge(j.status, live),
        h('code', { class: 'muted' }, ` ${j.id.slice(0, 12)}`),
        j.queuePosition !== null ? h('span', {}, ` · ${j.queuePosition} ahead in the queue`) : null,
        j.startAt ? h('span', {}, ` · starts ≈ ${time(j.startAt)}`) : null,
        j.progress !== null && j.status === 'processing' ? h('span', {}, ` · ${Math.round(j.progress * 100)}%`) : null,
        j.reason ? h('span', {}, ` · ${j.reason}${j.blockedReason ? ` (${j.blockedReason})` : ''}`) : null,
      ))) : null,
      step.errors.length ? h('ul', { class: 'errors' }, ...step.errors.map((e) => h('li', {}, e))) : null,
    ));
  }
  return section;
}

const CURRENCY_NAMES: Record<string, string> = { yellow: 'Yellow', blue: 'Blue', green: 'Green', fakeRed: 'Red (test)' };

function cost(s: ResultsState): HTMLElement {
  const c = s.cost;
  const section = h('section', { class: 'cost', 'aria-label': 'Cost' },
    h('h2', {}, icon('credit-card'), ' Cost'),
    h('p', { class: 'cost-summary' }, c.summary));
  if (c.comparison.length) {
    section.append(h('table', { class: 'cost-compare' },
      h('caption', { class: 'muted' }, 'The figures differ:'),
      h('thead', {}, h('tr', {}, ...c.comparison.map((r) => h('th', { scope: 'col' }, r.label)))),
      h('tbody', {}, h('tr', {}, ...c.comparison.map((r) => h('td', {}, r.value))))));
  }
  const split = c.charged && Object.keys(c.charged.currencies).length > 1 ? c.charged.currencies : null;
  if (split) {
    section.append(h('p', { class: 'currencies' }, ...Object.entries(split).map(([cur, n]) =>
      h('span', { class: `currency currency-${cur.replace(/[^a-z]/gi, '')}` }, `${buzz(n)} ${CURRENCY_NAMES[cur] ?? cur}`))));
  }
  return section;
}

function timeline(s: ResultsState): HTMLElement {
  const last = s.timeline.length - 1;
  return h('section', { class: 'timeline', 'aria-label': 'Timeline' },
    h('h2', {}, icon('history'), ' Timeline'),
    h('ol', {}, ...s.timeline.map((t, i) => h('li', {}, statusBadge(t.status, i === last && !s.terminal), h('span', { class: 'muted' }, ` ${time(t.at)}`)))),
  );
}

function hideToast(): void {
  if (toastTimer !== undefined) window.clearTimeout(toastTimer);
  toastEl.className = 'toast';
}

function showToast(text: string, kind: 'info' | 'error'): void {
  const el = toastEl;
  el.className = `toast visible ${kind}`;
  el.textContent = text;
  if (toastTimer !== undefined) window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => {
    el.className = 'toast';
  }, 5000);
}
