// The layout of a "generation parameters" block, as AUTOMATIC1111 writes it:
//
//   <prompt, possibly several lines>
//   Negative prompt: <negative prompt, possibly several lines>
//   Steps: 25, Sampler: Euler a, CFG scale: 6, Seed: 1, Size: 832x1216, …
//
// A1111 reads the last line as the settings. Real files break that rule, so this reader recovers:
// a settings line the author wrapped over several lines, a quoted value holding a newline
// (Dynamic Prompts' "Wildcard prompt"), a block pasted on one line, a `parameters: ` prefix left
// by an EXIF viewer, and Civitai's `Additional networks:` line between the negative prompt and the
// settings. Every scan here is a single left-to-right pass: the input may be megabytes of paste.

export interface GenerationSetting {
  readonly key: string;
  /** The value with JSON quoting removed. */
  readonly value: string;
}

export interface GenerationParameters {
  readonly prompt: string;
  readonly negativePrompt?: string;
  /** The `Key: value` settings in the order written. */
  readonly settings: readonly GenerationSetting[];
}

/** Keys a tool may write on a line of their own between the prompts and the settings. */
const OWN_LINE_KEYS = /^(additional networks|civitai resources|civitai metadata)\s*:/i;
const NEGATIVE_LINE = /^\s*negative prompt\s*:\s?/i;
/** `Negative prompt:` inside a line (one-line pastes). */
const NEGATIVE_INLINE = /(^|[\s,.])negative prompt\s*:\s?/i;
/** A settings run starting a line: `Steps: <n>` (A1111, Forge, SD.Next, Civitai and Comfy savers write it). */
const STEPS_LINE = /^Steps:\s*\d+\s*(?:,|$)/gm;
/** `Steps: <n>` after the prompt on the same line (one-line pastes). Case matters: `Hires steps` is a setting. */
const STEPS_INLINE = /[\s,.]Steps:\s*\d+\s*(?:,|$)/;
const PREFIX = /^\s*(?:parameters|generation parameters|generation data)\s*:\s*/i;
const KEY_RE = /^([A-Za-z][\w \-/().+]*?):\s*/;

/** Parses the text; undefined when there is nothing that looks like a prompt or settings. */
export function parseGenerationParameters(input: string): GenerationParameters | undefined {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/\u0000+$/, '').replace(PREFIX, '').trim();
  if (text === '') return undefined;
  const settingsAt = findSettingsStart(text);
  let settings = settingsAt >= 0 ? parseSettings(text.slice(settingsAt)) : [];
  let body = settingsAt >= 0 ? text.slice(0, settingsAt) : text;
  // `….Steps: 20` (exiftool-style one-line output): the dot separated the parts.
  if (settingsAt > 0 && text[settingsAt - 1] === '.') body = body.slice(0, -1);
  // Lines such as `Additional networks: …` between the prompts and the settings are settings too.
  const own = takeOwnLineSettings(body);
  if (own.settings.length) {
    body = own.body;
    settings = [...own.settings, ...settings];
  }
  const { prompt, negativePrompt } = splitPrompts(body);
  if (prompt === '' && negativePrompt === undefined && settings.length === 0) return undefined;
  return { prompt, ...(negativePrompt !== undefined ? { negativePrompt } : {}), settings };
}

/**
 * Offset where the settings start, or -1. The last line that starts with `Steps: n` starts them;
 * in a one-line paste, the first `Steps: n` after the prompt (or the start of its line when what
 * precedes it on the line is settings too). The run may go on over several lines, and lines just
 * above it that are settings belong to it (a wrapped line). Without `Steps`, A1111's own rule:
 * the last line when it holds at least three settings.
 */
function findSettingsStart(text: string): number {
  let at = -1;
  STEPS_LINE.lastIndex = 0;
  for (let m = STEPS_LINE.exec(text); m; m = STEPS_LINE.exec(text)) {
    at = m.index;
    STEPS_LINE.lastIndex = m.index + Math.max(1, m[0].length);
  }
  if (at < 0) {
    const inline = STEPS_INLINE.exec(text);
    if (inline) {
      at = inline.index + 1;
      const lineStart = text.lastIndexOf('\n', at - 1) + 1;
      if (looksLikeSettings(text.slice(lineStart, at).trim(), 1)) at = lineStart;
    }
  }
  if (at < 0) {
    const lastLine = text.lastIndexOf('\n') + 1;
    const line = text.slice(lastLine).trim();
    if (NEGATIVE_LINE.test(line) || OWN_LINE_KEYS.test(line) || !looksLikeSettings(line, 3)) return -1;
    at = lastLine;
  }
  // Lines just above that are settings too: the author wrapped the settings line.
  while (at > 0) {
    const prevStart = text.lastIndexOf('\n', at - 2) + 1;
    const prev = text.slice(prevStart, at - 1).trim();
    if (NEGATIVE_LINE.test(prev) || OWN_LINE_KEYS.test(prev) || !looksLikeSettings(prev, 2)) break;
    at = prevStart;
  }
  return at;
}

/** A line made (almost) only of `Key: value` pairs: at least `min`, and little else. */
function looksLikeSettings(line: string, min: number): boolean {
  if (line === '') return false;
  const pairs = parseSettings(line);
  if (pairs.length < min) return false;
  const covered = pairs.reduce((n, p) => n + p.key.length + p.value.length + 2, 0);
  return covered >= line.length * 0.6;
}

function takeOwnLineSettings(body: string): { body: string; settings: GenerationSetting[] } {
  const lines = body.split('\n');
  const kept: string[] = [];
  const settings: GenerationSetting[] = [];
  for (const line of lines) {
    if (OWN_LINE_KEYS.test(line.trim())) settings.push(...parseSettings(line.trim()));
    else kept.push(line);
  }
  return { body: kept.join('\n'), settings };
}

function splitPrompts(body: string): { prompt: string; negativePrompt?: string } {
  const lines = body.split('\n');
  const negAt = lines.findIndex((l) => NEGATIVE_LINE.test(l));
  if (negAt >= 0) {
    return {
      prompt: tidy(lines.slice(0, negAt).join('\n')),
      negativePrompt: tidy([lines[negAt].replace(NEGATIVE_LINE, ''), ...lines.slice(negAt + 1)].join('\n')),
    };
  }
  // One-line pastes: `prompt Negative prompt: negative` with no line break before it.
  const inline = NEGATIVE_INLINE.exec(body);
  if (inline) {
    const at = inline.index + inline[1].length;
    // exiftool-style pastes end each part with a dot instead of a line break.
    const before = inline[1] === '.' ? body.slice(0, at - 1) : body.slice(0, at);
    return { prompt: tidy(before), negativePrompt: tidy(body.slice(at).replace(NEGATIVE_LINE, '')) };
  }
  return { prompt: tidy(body) };
}

/** Trims whitespace and a dangling trailing comma (a habit of multi-line prompts). */
export function tidy(s: string): string {
  return s.trim().replace(/,\s*$/, '').trim();
}

/**
 * Reads `Key: value, Key: "quoted, value", Key: [json]` pairs; skips what it cannot read.
 * Line breaks outside quotes separate settings like commas (a wrapped settings line); inside
 * quotes they belong to the value. `Additional networks:` takes every following `urn:air:` item.
 */
export function parseSettings(line: string): GenerationSetting[] {
  const out: GenerationSetting[] = [];
  let p = 0;
  const n = line.length;
  while (p < n) {
    while (p < n && (line[p] === ',' || /\s/.test(line[p]))) p++;
    if (p >= n) break;
    const m = KEY_RE.exec(line.slice(p, p + 200));
    if (!m || m[1].includes('\n')) {
      p = nextSeparator(line, p) + 1;
      continue;
    }
    const key = m[1].trim();
    p += m[0].length;
    let value: string;
    if (line[p] === '"') {
      const end = scanString(line, p);
      const raw = line.slice(p, end);
      try {
        value = JSON.parse(raw) as string;
      } catch {
        value = raw.slice(1, raw.endsWith('"') && raw.length > 1 ? -1 : undefined);
      }
      p = end;
    } else if (line[p] === '[' || line[p] === '{') {
      const end = scanBalanced(line, p);
      value = line.slice(p, end);
      p = end;
    } else {
      const end = nextSeparator(line, p);
      value = line.slice(p, end).trim();
      p = end;
      if (/^additional networks$/i.test(key)) {
        // `urn:air:…*0.8!name, urn:air:…`: the items hold colons, so they are read here.
        for (;;) {
          let q = p;
          while (q < n && (line[q] === ',' || line[q] === ' ')) q++;
          if (!/^urn:air:/i.test(line.slice(q, q + 8))) break;
          const e = nextSeparator(line, q);
          value += ', ' + line.slice(q, e).trim();
          p = e;
        }
      }
    }
    out.push({ key, value });
  }
  return out;
}

/** Index of the next `,` or line break from `p` (or the end). */
function nextSeparator(s: string, p: number): number {
  for (let i = p; i < s.length; i++) if (s[i] === ',' || s[i] === '\n') return i;
  return s.length;
}

function scanString(s: string, start: number): number {
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i + 1;
  }
  return s.length;
}

function scanBalanced(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '"') i = scanString(s, i) - 1;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return s.length;
}
