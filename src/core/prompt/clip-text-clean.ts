// The text cleaning CLIP's tokenizer applies before it splits words:
//   ftfy.fix_text(text) → html.unescape twice → strip → whitespace runs to one space → lower case.
// ftfy is reproduced for what changes prompt text: its HTML-entity step (only when the text has
// no `<`), terminal escapes removed, Latin ligatures and full-width forms replaced, curly quotes
// straightened, control characters removed and NFC. Not reproduced: ftfy's mojibake repair
// ("cafÃ©" → "café"), which needs its statistical detector; such text is counted as it stands.
// html.unescape knows the entities below (the markup ones, typographic punctuation and every
// Latin-1 name, i.e. every entity HTML accepts without a `;`); another named entity is left as
// text, where Python's table (2 231 names) would decode it.

/** Named entities: HTML's legacy names (accepted without `;`) and common punctuation. */
const LATIN1_NAMES =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig ' +
  'agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';
const LEGACY = new Map<string, string>([
  ['amp', '&'], ['AMP', '&'], ['lt', '<'], ['LT', '<'], ['gt', '>'], ['GT', '>'], ['quot', '"'], ['QUOT', '"'], ['COPY', '©'], ['REG', '®'],
  ...LATIN1_NAMES.split(' ').map((name, i): [string, string] => [name, String.fromCharCode(160 + i)]),
]);
const SEMICOLON_ONLY = new Map<string, string>([
  ['apos', "'"], ['hellip', '…'], ['mdash', '—'], ['ndash', '–'], ['lsquo', '‘'], ['rsquo', '’'], ['sbquo', '‚'], ['ldquo', '“'], ['rdquo', '”'],
  ['bdquo', '„'], ['bull', '•'], ['trade', '™'], ['euro', '€'], ['dagger', '†'], ['Dagger', '‡'], ['permil', '‰'], ['lsaquo', '‹'], ['rsaquo', '›'],
  ['larr', '←'], ['rarr', '→'], ['uarr', '↑'], ['darr', '↓'], ['harr', '↔'], ['hearts', '♥'], ['spades', '♠'], ['clubs', '♣'], ['diams', '♦'],
  ['star', '☆'], ['starf', '★'], ['infin', '∞'], ['ne', '≠'], ['le', '≤'], ['ge', '≥'], ['minus', '−'], ['prime', '′'], ['Prime', '″'],
  ['ensp', '\u2002'], ['emsp', '\u2003'], ['thinsp', '\u2009'], ['zwnj', '\u200c'], ['zwj', '\u200d'], ['lrm', '\u200e'], ['rlm', '\u200f'],
]);

function named(name: string): string | undefined {
  return SEMICOLON_ONLY.get(name) ?? LEGACY.get(name);
}

// Python's html._invalid_charrefs: C1 code points read as windows-1252.
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function numericCharref(num: number): string {
  if (num === 0) return '\uFFFD';
  if (num === 0x0d) return '\r';
  if (num >= 0x80 && num <= 0x9f) return CP1252[num - 0x80];
  if ((num >= 0xd800 && num <= 0xdfff) || num > 0x10ffff) return '\uFFFD';
  if ((num >= 0x1 && num <= 0x8) || (num >= 0xe && num <= 0x1f) || (num >= 0x7f && num <= 0x9f) || (num >= 0xfdd0 && num <= 0xfdef) || num === 0xb || (num & 0xfffe) === 0xfffe) return '';
  return String.fromCodePoint(num);
}

const CHARREF_RE = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/g;

/** Python's `html.unescape` (with the entity table above). */
export function htmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(CHARREF_RE, (whole, ref: string) => {
    if (ref[0] === '#') {
      const hex = ref[1] === 'x' || ref[1] === 'X';
      const digits = ref.slice(hex ? 2 : 1).replace(/;$/, '');
      const num = digits.length > 8 ? Infinity : parseInt(digits, hex ? 16 : 10);
      return numericCharref(num);
    }
    if (ref.endsWith(';')) {
      const hit = named(ref.slice(0, -1));
      if (hit !== undefined) return hit;
    }
    // The longest prefix that names an entity accepted without `;`.
    for (let x = ref.length - (ref.endsWith(';') ? 1 : 0); x > 1; x--) {
      const hit = LEGACY.get(ref.slice(0, x));
      if (hit !== undefined) return hit + ref.slice(x);
    }
    return whole;
  });
}

// ftfy's own entity step: `&name;` / `&#n;` only, names also in upper case.
const FTFY_ENTITY_RE = /&#?[0-9A-Za-z]{1,24};/g;
function ftfyUnescape(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(FTFY_ENTITY_RE, (whole) => {
    if (whole[1] === '#') {
      const out = htmlUnescape(whole);
      return out.includes(';') ? whole : out;
    }
    const name = whole.slice(1, -1);
    const hit = named(name) ?? (name === name.toUpperCase() ? upperNamed(name) : undefined);
    return hit ?? whole;
  });
}
function upperNamed(name: string): string | undefined {
  for (const [k, v] of [...SEMICOLON_ONLY, ...LEGACY]) if (k.toUpperCase() === name && v.length === 1 && v.toUpperCase() === v.toUpperCase()) return v.toUpperCase();
  return undefined;
}

const LIGATURES = 'ĲĳŉǄǅǆǇǈǉǊǋǌǱǲǳﬀﬁﬂﬃﬄﬅﬆ';
const LIGATURE_RE = new RegExp(`[${LIGATURES}]`, 'g');
// Full-width and half-width forms (U+FF01–U+FFEF) and the ideographic space, as ftfy's width map.
const WIDTH_RE = /[\u3000\uff01-\uffef]/g;
const TERMINAL_ESCAPE_RE = /\u001b\[((?:\d|;)*)([a-zA-Z])/g;
const SINGLE_QUOTE_RE = /[\u02bc\u2018-\u201b]/g;
const DOUBLE_QUOTE_RE = /[\u201c-\u201f]/g;
// ftfy's control characters (tab, newlines and form feed are kept).
const CONTROL_RE = /[\u0000-\u0008\u000b\u000e-\u001f\u007f\u206a-\u206f\ufeff\ufff9-\ufffc]/g;
const LINE_BREAK_RE = /\r\n|[\r\u2028\u2029\u0085]/g;
/** What Python's `\s` (str.isspace) matches. */
const PY_SPACE = '\\t\\n\\v\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_SPACE_RUN_RE = new RegExp(`[${PY_SPACE}]+`, 'g');
const PY_STRIP_RE = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

/** The subset of `ftfy.fix_text` described at the top. */
export function fixText(text: string): string {
  if (!text.includes('<')) text = ftfyUnescape(text);
  text = text.replace(TERMINAL_ESCAPE_RE, '');
  text = text.replace(LIGATURE_RE, (c) => c.normalize('NFKC'));
  text = text.replace(WIDTH_RE, (c) => (c === '\u3000' ? ' ' : c.normalize('NFKC')));
  text = text.replace(SINGLE_QUOTE_RE, "'").replace(DOUBLE_QUOTE_RE, '"');
  text = text.replace(LINE_BREAK_RE, '\n');
  text = text.replace(CONTROL_RE, '');
  return text.normalize('NFC');
}

/** CLIP's `whitespace_clean(basic_clean(text)).lower()`. */
export function cleanClipText(text: string): string {
  let t = fixText(text);
  t = htmlUnescape(htmlUnescape(t));
  return t.replace(PY_SPACE_RUN_RE, ' ').replace(PY_STRIP_RE, '').toLowerCase();
}

/** Printable ASCII but `&` (entities), plus tab and newlines: text no cleaning step changes but spacing and case. */
const PLAIN_ASCII_RE = /^[\x20-\x25\x27-\x7e\t\n\r]*$/;

/**
 * `cleanClipText` with, for each character of the result, the index in `text` it came from.
 * Exact when cleaning only collapsed spaces and lowered case (the usual prompt); otherwise spread
 * evenly over the source (good enough to place a chunk boundary, which is all it is used for).
 */
export function cleanClipTextWithOffsets(text: string): { text: string; from: Int32Array } {
  let lower: string;
  if (PLAIN_ASCII_RE.test(text)) lower = text.toLowerCase();
  else {
    const fixed = htmlUnescape(htmlUnescape(fixText(text)));
    lower = fixed.toLowerCase();
    if (fixed !== text || lower.length !== fixed.length) {
      const cleaned = cleanClipText(text);
      const from = new Int32Array(cleaned.length);
      for (let i = 0; i < cleaned.length; i++) from[i] = Math.min(text.length - 1, Math.floor((i * text.length) / Math.max(1, cleaned.length)));
      return { text: cleaned, from };
    }
  }
  // Collapse whitespace runs to one space and strip the ends, keeping where each character came from.
  const from = new Int32Array(lower.length);
  const parts: string[] = [];
  let n = 0;
  let runStart = -1; // start of the current run of kept characters
  let pendingSpace = -1;
  for (let i = 0; i <= lower.length; i++) {
    const space = i === lower.length || isPySpace(lower.charCodeAt(i));
    if (space) {
      if (runStart >= 0) {
        parts.push(lower.slice(runStart, i));
        runStart = -1;
      }
      if (pendingSpace < 0) pendingSpace = i;
      continue;
    }
    if (runStart < 0) {
      if (pendingSpace >= 0 && n > 0) {
        parts.push(' ');
        from[n++] = pendingSpace;
      }
      runStart = i;
    }
    pendingSpace = -1;
    from[n++] = i;
  }
  return { text: parts.join(''), from: from.subarray(0, n) };
}

/** Python's str.isspace for one UTF-16 unit. */
function isPySpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}
