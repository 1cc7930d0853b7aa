// The results panel's outputs other than gallery images: video and audio players, 3D models and
// other files as downloads (with the step's preview image when there is one), texts with a copy
// button, and each step's output JSON folded. Drawn from the state the extension posts; buttons
// only name an action and the output's key. Players load saved files only (CSP `media-src`).
import type { FromWebview, ResultsOutput, ResultsState } from '../core/messages';

type Child = Node | string | null | undefined | false;

/** The DOM helpers of the panel script (results.ts), passed in so both draw the same way. */
export interface OutputHelpers {
  h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string | number | boolean | undefined>, ...children: Child[]): HTMLElementTagNameMap[K];
  icon(name: string, extra?: string): HTMLElement;
  button(label: string, iconName: string, onClick: () => void, opts?: { title?: string; disabledReason?: string; compact?: boolean; id?: string }): HTMLButtonElement;
  send(message: FromWebview): void;
}

const KIND_ICONS: Record<ResultsOutput['kind'], string> = {
  video: 'device-camera-video',
  audio: 'unmute',
  model3d: 'symbol-structure',
  file: 'file-binary',
  text: 'comment',
  json: 'json',
};

function seconds(n: number | null): string | null {
  return n === null ? null : `${Math.round(n * 10) / 10} s`;
}

function facts(o: ResultsOutput): string {
  return [
    `step ${o.stepName}`,
    o.kind === 'text' || o.label === o.kind ? o.label : `${o.kind === 'model3d' ? '3D model' : o.kind} ${o.label}`,
    o.width && o.height ? `${o.width}×${o.height}` : null,
    seconds(o.duration),
    o.format,
  ].filter(Boolean).join(' · ');
}

/** The outputs section, or null when the workflow has none beyond images. */
export function outputsSection(s: ResultsState, d: OutputHelpers): HTMLElement | null {
  const outputs = s.outputs ?? [];
  if (outputs.length === 0) return null;
  const section = d.h('section', { class: 'outputs-section', 'aria-label': 'Outputs' }, d.h('h2', {}, d.icon('output'), ` Outputs (${outputs.length})`));
  for (const o of outputs) section.append(card(o, d));
  return section;
}

function card(o: ResultsOutput, d: OutputHelpers): HTMLElement {
  const act = (action: 'open' | 'save' | 'copyText' | 'download') => () => d.send({ type: 'output', action, key: o.key });
  const head = d.h('div', { class: 'output-head' }, d.icon(KIND_ICONS[o.kind]), d.h('span', {}, ` ${facts(o)}`));
  if (o.kind === 'text') {
    return d.h('article', { class: 'output output-text', 'data-key': o.key },
      head,
      d.h('pre', { class: 'output-body', tabindex: 0 }, o.text ?? ''),
      d.h('div', { class: 'output-actions' }, d.button('Copy', 'copy', act('copyText'), { title: `Copy the ${o.label.toLowerCase()}` })));
  }
  if (o.kind === 'json') {
    return d.h('details', { class: 'output output-json', 'data-key': o.key },
      d.h('summary', {}, d.icon(KIND_ICONS.json), ` ${o.label} · step ${o.stepName} (${o.stepType})`),
      d.h('pre', { class: 'output-body' }, o.text ?? ''),
      d.h('div', { class: 'output-actions' }, d.button('Copy JSON', 'copy', act('copyText'))));
  }
  const saved = o.state === 'saved' && o.src;
  let media: Node;
  if (saved && o.kind === 'video') {
    media = d.h('video', { src: o.src ?? undefined, controls: true, preload: 'auto', muted: true, loop: true, playsinline: true, 'data-key': o.key, 'aria-label': `Video: ${facts(o)}` });
  } else if (saved && o.kind === 'audio') {
    media = d.h('audio', { src: o.src ?? undefined, controls: true, preload: 'metadata', 'data-key': o.key, 'aria-label': `Audio: ${facts(o)}` });
  } else if (o.kind === 'model3d' && o.previewSrc) {
    media = d.h('img', { class: 'output-preview', src: o.previewSrc, alt: `Preview of the 3D model of step ${o.stepName}` });
  } else {
    const why = o.note ?? (o.state === 'pending' ? 'Not downloaded yet' : o.kind === 'model3d' ? '3D model: open or save the file to view it' : o.fileName ?? 'File');
    media = d.h('div', { class: 'placeholder' }, d.icon(o.state === 'withheld' ? 'eye-closed' : o.state === 'pending' ? 'cloud-download' : KIND_ICONS[o.kind]), d.h('span', {}, why));
  }
  return d.h('article', { class: `output output-${o.kind} state-${o.state}`, 'data-key': o.key },
    head,
    media,
    d.h('div', { class: 'output-actions' },
      saved ? d.button('Open', 'go-to-file', act('open'), { title: o.fileName ? `Open ${o.fileName}` : 'Open the file' }) : null,
      saved ? d.button('Save to workspace…', 'save', act('save')) : null,
      !saved && o.state !== 'withheld' ? d.button('Download', 'cloud-download', act('download'), { title: 'Download (refreshing an expired link)' }) : null,
    ));
}

/** Tells the extension, per player, whether its file loaded and how long it is. */
export function reportMedia(root: HTMLElement, send: (message: FromWebview) => void): void {
  for (const el of root.querySelectorAll<HTMLMediaElement>('.outputs-section video, .outputs-section audio')) {
    const key = el.dataset.key ?? '';
    const kind = el instanceof HTMLVideoElement ? 'video' : 'audio';
    const report = (loaded: boolean, error: string | null): void => send({
      type: 'media',
      key,
      kind,
      loaded,
      duration: Number.isFinite(el.duration) ? el.duration : null,
      width: el instanceof HTMLVideoElement && el.videoWidth ? el.videoWidth : null,
      height: el instanceof HTMLVideoElement && el.videoHeight ? el.videoHeight : null,
      error,
    });
    if (el.readyState >= HTMLMediaElement.HAVE_METADATA) report(true, null);
    else {
      el.addEventListener('loadedmetadata', () => report(true, null), { once: true });
      el.addEventListener('error', () => report(false, el.error?.message || `media error ${el.error?.code ?? '?'}`), { once: true });
    }
  }
}
