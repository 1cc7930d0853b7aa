// The prompt preview panel's page. It only draws what the extension sends (validated with zod)
// and sends back typed messages; all logic lives in core. DOM built with textContent only.
import { PreviewToWebviewSchema, type PreviewFromWebview, type PromptChip, type PromptPreviewState, type PromptView } from '../core/prompt/preview-messages';

interface VsCodeApi {
  postMessage(message: PreviewFromWebview): void;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string; title?: string } = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title) node.title = props.title;
  for (const c of children) node.append(c);
  return node;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, ''));

function chip(c: PromptChip): HTMLElement {
  const classes = ['chip', `kind-${c.kind}`];
  if (c.weight > 1) classes.push('up');
  if (c.weight < 1) classes.push('down');
  if (c.special) classes.push('special');
  const worst = ['error', 'warning', 'info', 'hint'].find((s) => c.findings.some((f) => f.severity === s));
  if (worst) classes.push(worst);
  const tip = [c.special ? `${c.special} tag` : '', c.weight !== 1 ? `weight ${fmt(c.weight)}` : '', ...c.findings.map((f) => `${f.code}: ${f.message}`)].filter(Boolean).join('\n');
  const button = el('button', { className: classes.join(' '), title: tip || 'Show in the editor' }, c.text);
  if (c.kind === 'tag' && c.weight !== 1) button.append(el('span', { className: 'w', text: `×${fmt(c.weight)}` }));
  button.dataset.offset = String(c.offset);
  button.setAttribute('aria-label', `${c.text}${c.weight !== 1 ? `, weight ${fmt(c.weight)}` : ''}${c.findings.length ? `, ${c.findings.length} finding(s)` : ''}`);
  button.addEventListener('click', () => vscode.postMessage({ type: 'reveal', offset: c.offset, length: c.length }));
  return button;
}

function promptSection(p: PromptView): HTMLElement {
  const section = el('section', {});
  section.dataset.field = p.field;
  const title = p.field === 'prompt' ? 'Prompt' : 'Negative prompt';
  const tokens = p.tokens
    ? ` · ${p.tokens.count} CLIP tokens, ${p.tokens.chunks} chunk${p.tokens.chunks === 1 ? '' : 's'}${p.tokens.chunks > 1 ? ` (${p.tokens.perChunk.join(' + ')})` : ''}`
    : p.encoder
      ? ' · no CLIP token count (not a CLIP text encoder)'
      : '';
  section.append(el('h2', { text: `${title}${tokens}` }));
  const chips = el('div', { className: 'chips' });
  let chunk: number | null = null;
  for (const c of p.chips) {
    if (c.chunk !== null && chunk !== null && c.chunk !== chunk) chips.append(el('span', { className: 'chunk', text: `┆ chunk ${c.chunk}` }));
    if (c.chunk !== null) chunk = c.chunk;
    chips.append(chip(c));
  }
  if (p.chips.length === 0) chips.append(el('span', { className: 'muted', text: '(empty)' }));
  section.append(chips);
  const all = [...p.findings, ...p.chips.flatMap((c) => c.findings)];
  const unique = all.filter((f, i) => all.findIndex((g) => g.code === f.code && g.message === f.message) === i);
  if (unique.length) {
    const list = el('ul', { className: 'findings' });
    for (const f of unique) list.append(el('li', { className: f.severity }, el('code', { text: f.code }), ` ${f.message}`));
    section.append(list);
  }
  return section;
}

function render(state: PromptPreviewState): void {
  vscode.setState(state);
  root.replaceChildren();
  const step = state.step;
  if (!step) {
    root.append(el('h1', { text: state.fileName || 'Prompt preview' }), el('p', { className: 'muted', text: state.message ?? '' }));
    return;
  }
  root.append(el('h1', { text: `${state.fileName} · step ${step.name}` }));
  const meta = [step.engine, step.ecosystem, step.operation].filter(Boolean).join(' / ');
  root.append(el('p', { className: 'meta', text: `${meta}${step.profile ? ` · profile: ${step.profile.name}${step.profile.origin === 'user' ? ' (yours)' : ''}` : ''}` }));
  if (step.profile) {
    root.append(el('p', { className: 'meta', text: `Tag order: ${step.profile.tagOrder.join(' → ')}${step.profile.qualityTagPosition ? ` · quality tags at the ${step.profile.qualityTagPosition}` : ''}` }));
  }
  for (const p of step.prompts) root.append(promptSection(p));

  const row = el('div', { className: 'row' });
  const params = el('section', {}, el('h2', { text: 'Parameters' }));
  const table = el('table', {});
  table.append(el('tr', {}, el('th', { text: 'field' }), el('th', { text: 'value' }), el('th', { text: 'recommended' })));
  for (const r of step.parameters) {
    const value = el('td', { text: r.value });
    if (r.defaulted) value.append(el('span', { className: 'tag', text: 'default' }));
    const rec = el('td', { text: r.recommended ?? '' });
    if (r.withinRecommendation !== null) rec.prepend(el('span', { className: r.withinRecommendation ? 'ok' : 'off', text: r.withinRecommendation ? '✓ ' : '⚠ ' }));
    table.append(el('tr', {}, el('td', { text: r.name }), value, rec));
  }
  params.append(table);
  row.append(params);

  const frameSection = el('section', {}, el('h2', { text: 'Output' }));
  if (step.frame) {
    const f = step.frame;
    const box = el('div', { className: 'frame-box' });
    const frame = el('div', { className: 'frame', text: f.aspect });
    // The true aspect ratio, scaled into the box.
    const scale = 180 / Math.max(f.width, f.height);
    frame.style.width = `${Math.round(f.width * scale)}px`;
    frame.style.height = `${Math.round(f.height * scale)}px`;
    box.append(frame);
    frameSection.append(box, el('p', { text: `${f.width} × ${f.height} · ${fmt(f.megapixels)} MP${f.defaulted ? ' (default size)' : ''}` }));
    if (!f.recommendedSize) frameSection.append(el('p', { className: 'off', text: 'Not one of the profile\'s recommended sizes.' }));
  } else {
    frameSection.append(el('p', { className: 'muted', text: 'Size not known from the file.' }));
  }
  frameSection.append(el('p', { text: step.estimate.buzz !== null ? `Estimate: ≈ ${fmt(step.estimate.buzz)} Buzz` : `Estimate: ${step.estimate.reason ?? 'unknown'}` }));
  row.append(frameSection);
  root.append(row);

  const results = el('section', {}, el('h2', { text: 'Last results' }));
  if (step.results.length) {
    const grid = el('div', { className: 'results' });
    step.results.forEach((r, index) => {
      const img = el('img', { title: r.label });
      img.src = r.src;
      img.alt = r.label;
      const button = el('button', { title: `Open ${r.label}` }, img);
      button.addEventListener('click', () => vscode.postMessage({ type: 'openResult', index }));
      grid.append(el('figure', {}, button, el('figcaption', { text: r.label })));
    });
    results.append(grid);
  } else {
    results.append(el('p', { className: 'muted', text: step.resultsNote ?? 'No results yet.' }));
  }
  root.append(results);
  if (step.profile?.notes.length) {
    const notes = el('ul', { className: 'muted' });
    for (const n of step.profile.notes) notes.append(el('li', { text: n }));
    root.append(el('section', {}, el('h2', { text: 'About this profile' }), notes));
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = PreviewToWebviewSchema.safeParse(event.data);
  if (!parsed.success) return; // not ours, or malformed: ignored
  render(parsed.data.state);
});

vscode.postMessage({ type: 'ready' });
