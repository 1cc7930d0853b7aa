// Pointer → tree node lookups for one lint run. The index is built once, on the first lookup, by a
// single walk of the tree, so mapping many findings on a large file stays linear.
import type { JsonNode, WorkflowDocument } from '../workflow/document';
import { formatPointer, parsePointer } from '../workflow/document';

export class NodeIndex {
  private byPointer: Map<string, JsonNode> | undefined;

  constructor(private readonly doc: WorkflowDocument) {}

  /** The value node at a pointer (for object members, the value, not the property). */
  get(pointer: string): JsonNode | undefined {
    this.byPointer ??= this.build();
    return this.byPointer.get(pointer);
  }

  /** The nearest node at or above a pointer that exists in the tree. */
  nearest(pointer: string): JsonNode | undefined {
    let segments: string[];
    try {
      segments = parsePointer(pointer);
    } catch {
      return this.doc.root;
    }
    for (let n = segments.length; n >= 0; n--) {
      const node = this.get(formatPointer(segments.slice(0, n)));
      if (node) return node;
    }
    return this.doc.root;
  }

  private build(): Map<string, JsonNode> {
    const map = new Map<string, JsonNode>();
    const root = this.doc.root;
    if (!root) return map;
    // Iterative walk: deeply nested files must not overflow the stack.
    const stack: Array<[JsonNode, string]> = [[root, '']];
    while (stack.length > 0) {
      const [node, pointer] = stack.pop()!;
      map.set(pointer, node);
      const children = node.children ?? [];
      // Children are pushed in reverse so they are visited in document order: with duplicate
      // keys the last one wins, as it does in the parsed value.
      if (node.type === 'object') {
        for (const prop of [...children].reverse()) {
          const key = prop.children?.[0];
          const value = prop.children?.[1];
          if (key && value && typeof key.value === 'string') stack.push([value, `${pointer}/${escape(key.value)}`]);
        }
      } else if (node.type === 'array') {
        for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], `${pointer}/${i}`]);
      }
    }
    return map;
  }
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The value at a pointer in a plain JSON value. */
export function valueAt(root: unknown, pointer: string): unknown {
  let current: unknown = root;
  for (const segment of parsePointer(pointer)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
