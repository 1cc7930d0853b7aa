// Generation parameters some tools keep in XMP instead of EXIF: `exif:UserComment` (as an
// element, possibly inside `rdf:Alt`/`rdf:li`, or as an attribute), else `dc:description`.
// Read with bounded searches on the packet text, not an XML parser: only these values matter.

const MAX_XMP_CHARS = 2 * 1024 * 1024;

export function readXmpParameters(xmp: string): string | undefined {
  const text = xmp.length > MAX_XMP_CHARS ? xmp.slice(0, MAX_XMP_CHARS) : xmp;
  for (const name of ['exif:UserComment', 'dc:description', 'tiff:ImageDescription']) {
    const value = elementText(text, name) ?? attribute(text, name);
    if (value !== undefined && value.trim()) return value;
  }
  return undefined;
}

function elementText(text: string, name: string): string | undefined {
  const open = text.indexOf(`<${name}`);
  if (open < 0) return undefined;
  const start = text.indexOf('>', open);
  const close = text.indexOf(`</${name}>`, start);
  if (start < 0 || close < 0) return undefined;
  let inner = text.slice(start + 1, close);
  // `<rdf:Alt><rdf:li xml:lang="x-default">…</rdf:li></rdf:Alt>`: the first item.
  const li = inner.indexOf('<rdf:li');
  if (li >= 0) {
    const liStart = inner.indexOf('>', li);
    const liEnd = inner.indexOf('</rdf:li>', liStart);
    if (liStart >= 0 && liEnd >= 0) inner = inner.slice(liStart + 1, liEnd);
  }
  return decodeEntities(inner);
}

function attribute(text: string, name: string): string | undefined {
  const at = text.indexOf(`${name}="`);
  if (at < 0) return undefined;
  const start = at + name.length + 2;
  const end = text.indexOf('"', start);
  return end < 0 ? undefined : decodeEntities(text.slice(start, end));
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Math.min(parseInt(lower.slice(2), 16), 0x10ffff));
    if (lower.startsWith('#')) return String.fromCodePoint(Math.min(parseInt(lower.slice(1), 10), 0x10ffff));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[lower];
  });
}
