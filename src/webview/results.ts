// The results panel's browser side: renders the state the extension posts (validated with the
// shared zod schemas) and sends back typed actions. No logic beyond presentation: what an action
// does is decided by the extension. Keyboard: arrows move between thumbnails, Enter opens the
// larger view, Escape closes it, arrows page through it.
import {
  parseToWebview, type FromWebview, type ImageAction, type ResultsImage, type ResultsState, type ResultsStatus,
} from '../core/messages';
import { outputsSection, reportMedia } from './outputs';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
const key = document.body.dataset.key;
// Only the history key is kept: enough for the serializer to restore this panel after a reload.
if (key) vscode.setState({ key });

let state: ResultsState | undefined;
/** Key of the image whose thumbnail has (or last had) the focus. */
let focusedKey: string | undefined;
/** Key of the image shown in the larger view, if open. */
let openKey: string | undefined;
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
/** Tells the extension where the selection and the larger view are, when that changed. */
function reportView(): void {
  const view = { selected: focusedKey ?? null, open: openKey ?? null };
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
  if (openKey === undefined || !state) return;
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

function button(label: string, iconName: string, onClick: () => void, opts: { title?: string; disabled?: boolean; compact?: boolean; id?: string } = {}): HTMLButtonElement {
  const b = h('button', {
    type: 'button',
    class: opts.compact ? 'icon-button' : 'button',
    title: opts.title ?? label,
    'aria-label': opts.compact ? label : undefined,
    disabled: opts.disabled,
    id: opts.id,
  }, icon(iconName), opts.compact ? null : h('span', {}, label));
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}

const STATUS_ICONS: Record<ResultsStatus, string> = {
  submitting: 'loading codicon-modifier-spin',
  rejected: 'error',
  unassigned: 'clock',
  preparing: 'clock',
  scheduled: 'clock',
  processing: 'sync codicon-modifier-spin',
  succeeded: 'pass',
  failed: 'error',
  expired: 'watch',
  canceled: 'circle-slash',
};

function statusBadge(status: ResultsStatus): HTMLElement {
  return h('span', { class: `status status-${status}` }, icon(STATUS_ICONS[status]), ` ${status}`);
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
  const hadFocusInLightbox = app.querySelector('.lightbox')?.contains(document.activeElement) ?? false;
  const parts: Child[] = [
    header(s),
    s.notice ? h('div', { class: 'notice', role: 'alert' }, icon('warning'), ' ', s.notice) : null,
    s.failures.length ? failures(s) : null,
    // A workflow whose steps made only other outputs (a video, a chat answer) shows no empty gallery.
    s.images.length === 0 && s.outputs?.length ? null : gallery(s),
    outputsSection(s, { h, icon, button, send }),
    h('div', { class: 'columns' }, progress(s), h('div', {}, cost(s), timeline(s))),
  ];
  app.replaceChildren(...parts.filter((p): p is Node => p instanceof Node));
  if (openKey !== undefined) {
    const still = s.images.find((i) => i.key === openKey);
    if (still) {
      // Modal: what is behind the larger view can't be reached with Tab or a screen reader.
      for (const child of app.children) child.setAttribute('inert', '');
      const box = lightbox(still);
      app.append(box);
      if (hadFocusInLightbox) box.focus();
    } else {
      openKey = undefined;
    }
  }
  if (hadFocusInGallery && focusedKey && openKey === undefined) focusTile(focusedKey);
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
      ? button('Cancel', 'debug-stop', () => send({ type: 'cancel' }), {
        title: 'Stop the run. Buzz already used by finished work is still charged.',
        id: 'cancel',
      })
      : null,
    s.hasSourceFile ? button('Preview cost', 'credit-card', () => send({ type: 'previewCost' }), { title: 'Ask the service for the exact cost of the source file (whatif)' }) : null,
    s.hasSourceFile ? button('Open file', 'go-to-file', () => send({ type: 'openSource' })) : null,
  );
  return h('header', {},
    h('div', { class: 'title-row' }, h('h1', {}, s.label), statusBadge(s.status)),
    h('p', { class: 'meta' },
      s.workflowId ? h('span', {}, 'Workflow ', h('code', {}, s.workflowId)) : h('span', {}, 'Waiting for the service to assign an id'),
      h('span', {}, icon('server-environment'), ' ', s.serviceLabel),
      h('span', {}, `Created ${time(s.createdAt)}`),
    ),
    actions,
  );
}

function failures(s: ResultsState): HTMLElement {
  return h('section', { class: 'failures', 'aria-label': 'Failures' },
    h('h2', {}, icon('error'), ' What went wrong'),
    h('ul', {}, ...s.failures.map((f) => h('li', {},
      h('strong', {}, `${f.step}: ${f.reason}`), h('p', {}, f.advice)))),
  );
}

function gallery(s: ResultsState): HTMLElement {
  const section = h('section', { class: 'gallery-section', 'aria-label': 'Images' }, h('h2', {}, icon('file-media'), ` Images (${s.images.length})`));
  if (s.images.length === 0) {
    const why = s.terminal
      ? s.status === 'succeeded' ? 'This workflow produced no images.' : 'No images: the workflow did not succeed.'
      : 'Images appear here when the workflow finishes.';
    section.append(h('p', { class: 'muted' }, why));
    return section;
  }
  const grid = h('div', { class: 'gallery', role: 'listbox', 'aria-label': 'Result images', 'aria-orientation': 'horizontal' });
  const current = focusedKey && s.images.some((i) => i.key === focusedKey) ? focusedKey : s.images[0].key;
  s.images.forEach((img, i) => grid.append(tile(img, i, img.key === current)));
  grid.addEventListener('keydown', (event) => onGalleryKey(event, s));
  section.append(grid);
  return section;
}

function caption(img: ResultsImage): string {
  const parts = [`step ${img.stepName}`, `#${img.index + 1}`];
  if (img.width && img.height) parts.push(`${img.width}×${img.height}`);
  if (img.seed !== null) parts.push(`seed ${img.seed}`);
  return parts.join(' · ');
}

function tile(img: ResultsImage, position: number, tabbable: boolean): HTMLElement {
  const picture = img.src
    ? h('img', { src: img.src, alt: `Result ${position + 1}: ${caption(img)}` })
    : h('div', { class: 'placeholder' }, icon(img.state === 'withheld' ? 'eye-closed' : img.state === 'pending' ? 'cloud-download' : 'warning'),
      h('span', {}, img.note ?? (img.state === 'pending' ? 'Not downloaded yet' : 'Not available')));
  const t = h('div', {
    class: `tile state-${img.state}`,
    role: 'option',
    tabindex: tabbable ? 0 : -1,
    'aria-selected': tabbable ? 'true' : 'false',
    'data-key': img.key,
    'aria-label': `Image ${position + 1}, ${caption(img)}${img.note ? `, ${img.note}` : ''}`,
  }, picture, h('div', { class: 'caption' }, caption(img)), imageActions(img, true));
  t.addEventListener('click', () => openLightbox(img.key));
  t.addEventListener('focus', () => {
    focusedKey = img.key;
    reportView();
  });
  return t;
}

function imageActions(img: ResultsImage, compact: boolean): HTMLElement {
  const act = (action: ImageAction) => () => send({ type: 'image', action, key: img.key });
  const saved = img.state === 'saved';
  const noSeed = img.seed === null ? 'The service did not report a seed for this image' : undefined;
  return h('div', { class: 'image-actions' },
    saved ? button('Save to workspace…', 'save', act('save'), { compact }) : null,
    saved ? button('Open', 'go-to-file', act('open'), { compact }) : null,
    !saved && img.state !== 'withheld' ? button('Download', 'cloud-download', act('refresh'), { compact, title: 'Download (refreshing an expired link)' }) : null,
    button('Copy seed', 'copy', act('copySeed'), { compact, disabled: img.seed === null, title: noSeed ?? `Copy seed ${img.seed}` }),
    button('Re-run with this seed', 'debug-rerun', act('rerunWithSeed'), { compact, disabled: img.seed === null, title: noSeed ?? 'Submit the workflow again with this seed and one image' }),
    saved ? button('Use as source (image-to-image)', 'color-mode', act('useAsSource'), { compact, title: 'Create an image-to-image workflow file from this image' }) : null,
    saved ? button('Open as workflow', 'json', act('openAsWorkflow'), { compact, title: 'Import the generation parameters stored in this image as a new workflow file' }) : null,
  );
}

function tiles(): HTMLElement[] {
  return [...app.querySelectorAll<HTMLElement>('.tile')];
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
}

/** Thumbnails per row, from the layout (the grid wraps with the panel's width). */
function columnsOf(): number {
  const all = tiles();
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
  const cols = columnsOf();
  let next = index;
  switch (event.key) {
    case 'ArrowRight': next = index + 1; break;
    case 'ArrowLeft': next = index - 1; break;
    case 'ArrowDown': next = index + cols; break;
    case 'ArrowUp': next = index - cols; break;
    case 'Home': next = 0; break;
    case 'End': next = s.images.length - 1; break;
    case 'Enter':
    case ' ':
      event.preventDefault();
      openLightbox(s.images[index].key);
      return;
    default:
      return;
  }
  event.preventDefault();
  next = Math.max(0, Math.min(s.images.length - 1, next));
  focusTile(s.images[next].key);
}

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
  const box = h('div', { class: 'lightbox', role: 'dialog', 'aria-modal': 'true', 'aria-label': `Image ${position + 1} of ${total}`, tabindex: -1 },
    h('div', { class: 'lightbox-bar' },
      h('span', {}, `${position + 1} / ${total} · ${caption(img)}`),
      h('span', { class: 'spacer' }),
      button('Previous', 'chevron-left', () => stepLightbox(-1), { compact: true, title: 'Previous (←)' }),
      button('Next', 'chevron-right', () => stepLightbox(1), { compact: true, title: 'Next (→)' }),
      button('Close', 'close', closeLightbox, { compact: true, title: 'Close (Escape)' }),
    ),
    img.src
      ? h('img', { class: 'large', src: img.src, alt: `Result ${position + 1}: ${caption(img)}` })
      : h('div', { class: 'placeholder large' }, icon('warning'), h('span', {}, img.note ?? 'Not downloaded yet')),
    h('div', { class: 'lightbox-actions' }, imageActions(img, false)),
  );
  box.addEventListener('click', (e) => {
    if (e.target === box) closeLightbox();
  });
  return box;
}

function progress(s: ResultsState): HTMLElement {
  const section = h('section', { class: 'progress-section', 'aria-label': 'Steps' }, h('h2', {}, icon('list-ordered'), ' Steps'));
  if (s.steps.length === 0) {
    section.append(h('p', { class: 'muted' }, s.status === 'submitting' ? 'Submitting…' : s.status === 'rejected' ? 'The service refused the workflow.' : 'No step details yet.'));
    return section;
  }
  for (const step of s.steps) {
    const bar = h('progress', { max: 1, value: step.progress ?? undefined, 'aria-label': `Step ${step.name} progress` });
    section.append(h('div', { class: 'step' },
      h('div', { class: 'step-head' }, h('strong', {}, `${step.name}`), h('span', { class: 'muted' }, ` ${step.type}`), h('span', { class: 'spacer' }), statusBadge(step.status)),
      bar,
      step.jobs.length ? h('ul', { class: 'jobs' }, ...step.jobs.map((j) => h('li', {},
        statusBadge(j.status),
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

function currencyList(currencies: Record<string, number>): HTMLElement {
  const entries = Object.entries(currencies);
  if (entries.length === 0) return h('span', { class: 'muted' }, '');
  return h('span', { class: 'currencies' }, ...entries.map(([c, n]) => h('span', { class: `currency currency-${c.replace(/[^a-z]/gi, '')}` }, `${c} ${buzz(n)}`)));
}

function cost(s: ResultsState): HTMLElement {
  const c = s.cost;
  return h('section', { class: 'cost', 'aria-label': 'Cost' },
    h('h2', {}, icon('credit-card'), ' Cost'),
    h('dl', {},
      h('dt', {}, 'Local estimate'),
      h('dd', {}, c.estimate === null ? h('span', { class: 'muted' }, 'no documented formula for these steps') : `≈ ${buzz(c.estimate)}`),
      h('dt', {}, 'Service preview (whatif)'),
      h('dd', {}, c.whatif
        ? h('span', {}, buzz(c.whatif.total), ' ', currencyList(c.whatif.currencies), c.whatif.insufficientBuzz ? h('span', { class: 'warn' }, ' — not enough Buzz') : null)
        : h('span', { class: 'muted' }, 'not asked')),
      h('dt', {}, 'Charged'),
      h('dd', {}, c.charged
        ? h('span', {}, buzz(c.charged.total), ' ', currencyList(c.charged.currencies))
        : h('span', { class: 'muted' }, s.terminal ? 'nothing reported' : 'when it runs')),
    ),
  );
}

function timeline(s: ResultsState): HTMLElement {
  return h('section', { class: 'timeline', 'aria-label': 'Timeline' },
    h('h2', {}, icon('history'), ' Timeline'),
    h('ol', {}, ...s.timeline.map((t) => h('li', {}, statusBadge(t.status), h('span', { class: 'muted' }, ` ${time(t.at)}`)))),
  );
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
