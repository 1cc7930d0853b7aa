// Maps the `errors` of a 400 ValidationProblemDetails onto the workflow file, so the service's
// complaints show up as diagnostics where they belong. Keys come in several spellings
// (`steps[0].input.width`, `Steps[0].Input.Width`, `$.steps[0].input.width`, `input.width`,
// `/steps/0/input/width`); properties are matched case-insensitively against the document, and a
// path the document does not contain lands on its nearest existing ancestor.
import type { Finding } from '../findings';
import { formatPointer, nodeAtPointer, rangeOf, type JsonNode, type PathSegment, type WorkflowDocument } from '../workflow/document';

export const SERVER_VALIDATION_CODE = 'server-validation';

/** Splits a server key into path segments; numbers for `[n]` indices. */
export function parseServerKey(key: string): PathSegment[] {
  let k = key.trim();
  if (k.startsWith('/')) {
    return k
      .slice(1)
      .split('/')
      .filter((s) => s !== '')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  }
  k = k.replace(/^\$\.?/, '');
  const out: PathSegment[] = [];
  const re = /\[(\d+)\]|\[['"]([^'"]*)['"]\]|([^.[\]]+)/g;
  for (let m = re.exec(k); m; m = re.exec(k)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(m[2]);
    else if (m[3] !== undefined) out.push(/^\d+$/.test(m[3]) ? Number(m[3]) : m[3]);
  }
  return out;
}

interface Resolution {
  /** The matched path in the document's own spelling. */
  path: PathSegment[];
  node: JsonNode | undefined;
  /** Whether every segment was found. */
  complete: boolean;
}

function child(node: JsonNode, seg: PathSegment): { node: JsonNode; seg: PathSegment } | undefined {
  if (node.type === 'array' && typeof seg === 'number') {
    const c = node.children?.[seg];
    return c ? { node: c, seg } : undefined;
  }
  if (node.type !== 'object') return undefined;
  const name = String(seg);
  const props = node.children ?? [];
  const exact = props.find((p) => p.children?.[0]?.value === name);
  const match = exact ?? props.find((p) => String(p.children?.[0]?.value).toLowerCase() === name.toLowerCase());
  const value = match?.children?.[1];
  return match && value ? { node: value, seg: String(match.children?.[0]?.value) } : undefined;
}

function resolve(doc: WorkflowDocument, segments: PathSegment[]): Resolution {
  let node = doc.root;
  const path: PathSegment[] = [];
  for (const seg of segments) {
    const next = node ? child(node, seg) : undefined;
    if (!next) return { path, node, complete: false };
    path.push(next.seg);
    node = next.node;
  }
  return { path, node, complete: true };
}

/** Body-level wrappers some frameworks put in front of the path (model-binding names). */
const WRAPPERS = new Set(['body', 'request', 'template', 'workflow', 'workflowtemplate']);

function resolveKey(doc: WorkflowDocument, key: string): Resolution {
  let segments = parseServerKey(key);
  if (segments.length > 1 && typeof segments[0] === 'string' && WRAPPERS.has(segments[0].toLowerCase()) && !(doc.root && child(doc.root, segments[0]))) {
    segments = segments.slice(1);
  }
  const direct = resolve(doc, segments);
  if (direct.complete || segments.length === 0) return direct;
  // A key relative to a step (`input.width`): try each step and keep the first full match.
  const steps = doc.root ? child(doc.root, 'steps') : undefined;
  if (direct.path.length === 0 && steps?.node.type === 'array') {
    const count = steps.node.children?.length ?? 0;
    for (let i = 0; i < count; i++) {
      const attempt = resolve(doc, [steps.seg, i, ...segments]);
      if (attempt.complete) return attempt;
    }
  }
  return direct;
}

/** The text span to underline for a resolved node: a member's key+value, or a fallback anchor. */
function spanOf(node: JsonNode | undefined, complete: boolean): { offset: number; length: number } {
  if (!node) return { offset: 0, length: 0 };
  const prop = node.parent?.type === 'property' ? node.parent : undefined;
  if (complete) return { offset: node.offset, length: node.length };
  // Incomplete: the missing field would live inside this node; underline the key that owns it,
  // or just the opening bracket, rather than a whole (possibly huge) object.
  const key = prop?.children?.[0];
  if (key) return { offset: key.offset, length: key.length };
  return { offset: node.offset, length: 1 };
}

/**
 * One `server-validation` error finding per message. `errors` is the service's map
 * (key → messages); the document is the file that was submitted.
 */
export function serverErrorsToFindings(errors: Record<string, readonly string[]>, doc: WorkflowDocument): Finding[] {
  const findings: Finding[] = [];
  for (const [key, messages] of Object.entries(errors)) {
    const resolved = resolveKey(doc, key);
    const pointer = formatPointer(resolved.path);
    // nodeAtPointer agrees with our walk; use it when it finds the node (keeps one notion of "where").
    const node = nodeAtPointer(doc, pointer) ?? resolved.node;
    const { offset, length } = spanOf(node, resolved.complete);
    const where = resolved.complete || key === '' ? '' : ` (reported at "${key}")`;
    for (const message of messages.length ? messages : ['The service rejected this value.']) {
      findings.push({
        code: SERVER_VALIDATION_CODE,
        severity: 'error',
        message: `${message}${where}`,
        pointer,
        offset,
        length,
        range: rangeOf(doc, offset, length),
      });
    }
  }
  return findings;
}
