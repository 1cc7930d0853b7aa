// Dynamic prompts, as the sd-dynamic-prompts extension writes them: `{red|blue|green} hair` picks
// one option, options nest (`{a|{b|c}}`), and `__name__` picks a line of the wildcard file `name`
// (lines may use the same syntax). `\{`, `\}`, `\|` stay literal. The service sees none of this:
// prompts are expanded here, before a body is built, and the expansion is recorded with the cell.

export interface WildcardSource {
  /** The lines of wildcard `name` (blank lines and `#` comments already dropped), or undefined. */
  (name: string): readonly string[] | undefined;
}

type Part = { kind: 'text'; text: string } | { kind: 'choice'; options: Part[][] } | { kind: 'wildcard'; name: string };

/** Deeper nesting (or a wildcard file naming itself) is refused rather than followed forever. */
const MAX_DEPTH = 16;
/** Enumeration stops here; counting goes on (saturating) so "12 variants" stays exact when small. */
export const MAX_ENUMERATED_VARIANTS = 10_000;

export class DynamicPromptError extends Error {
  override name = 'DynamicPromptError';
}

/**
 * `__name__`: a wildcard, named as its file is (sub-folders allowed); group 1 is the name. The one
 * home of this pattern: the parser, the wildcard loader and the prompt rule all build on it.
 */
export const WILDCARD_PATTERN = '__([A-Za-z0-9_\\-/.]+?)__';
const WILDCARD_AT_START = new RegExp(`^${WILDCARD_PATTERN}`);
const DYNAMIC_SYNTAX = new RegExp(`(^|[^\\\\])\\{|${WILDCARD_PATTERN}`);

export function hasDynamicSyntax(prompt: string): boolean {
  return DYNAMIC_SYNTAX.test(prompt);
}

/** The wildcard names `text` mentions, in order (repeats included). */
export function wildcardNames(text: string): string[] {
  return [...text.matchAll(new RegExp(WILDCARD_PATTERN, 'g'))].map((m) => m[1]);
}

/** Parses `text` into parts; unbalanced braces are kept as text (a prompt is never lost). */
function parse(text: string): Part[] {
  let pos = 0;
  const parseSequence = (depth: number, inChoice: boolean): Part[] => {
    const parts: Part[] = [];
    let buffer = '';
    const flush = () => {
      if (buffer) parts.push({ kind: 'text', text: buffer });
      buffer = '';
    };
    while (pos < text.length) {
      const ch = text[pos];
      if (ch === '\\' && pos + 1 < text.length && '{}|'.includes(text[pos + 1])) {
        buffer += text[pos + 1];
        pos += 2;
      } else if (ch === '{') {
        const close = matchingBrace(text, pos);
        if (close < 0 || depth >= MAX_DEPTH) {
          buffer += ch;
          pos++;
          continue;
        }
        flush();
        pos++;
        const options: Part[][] = [];
        for (;;) {
          options.push(parseSequence(depth + 1, true));
          if (text[pos] === '|') {
            pos++;
            continue;
          }
          pos++; // the closing brace
          break;
        }
        parts.push({ kind: 'choice', options });
      } else if (inChoice && (ch === '|' || ch === '}')) {
        break;
      } else if (ch === '_' && text.startsWith('__', pos)) {
        const match = WILDCARD_AT_START.exec(text.slice(pos, pos + 200));
        if (match) {
          flush();
          parts.push({ kind: 'wildcard', name: match[1] });
          pos += match[0].length;
        } else {
          buffer += ch;
          pos++;
        }
      } else {
        buffer += ch;
        pos++;
      }
    }
    flush();
    return parts;
  };
  return parseSequence(0, false);
}

/** Index of the `}` closing the `{` at `open`, or -1 (escapes respected). */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

export interface DynamicPrompt {
  /** Number of distinct expansions (saturates at Number.MAX_SAFE_INTEGER). */
  readonly variants: number;
  /** Wildcards the prompt names that the source does not have. */
  readonly missingWildcards: readonly string[];
  /** Every expansion in order, up to MAX_ENUMERATED_VARIANTS (throws beyond). */
  all(): string[];
  /** One expansion picked with `random` (seeded by the caller for reproducible sweeps). */
  pick(random: () => number): string;
}

export function dynamicPrompt(prompt: string, wildcards: WildcardSource = () => undefined): DynamicPrompt {
  const parsed = parse(prompt);
  const missing = new Set<string>();
  const wildcardCache = new Map<string, Part[][]>();
  const wildcardOptions = (name: string, depth: number): Part[][] | undefined => {
    if (depth >= MAX_DEPTH) throw new DynamicPromptError(`wildcard __${name}__ nests more than ${MAX_DEPTH} levels (does it name itself?)`);
    const cached = wildcardCache.get(name);
    if (cached) return cached;
    const lines = wildcards(name);
    if (!lines || lines.length === 0) {
      missing.add(name);
      return undefined;
    }
    const options = lines.map(parse);
    wildcardCache.set(name, options);
    return options;
  };

  const count = (parts: Part[], depth: number): number => {
    let total = 1;
    for (const part of parts) {
      let n = 1;
      if (part.kind === 'choice') n = part.options.reduce((sum, option) => sum + count(option, depth + 1), 0);
      else if (part.kind === 'wildcard') {
        const options = wildcardOptions(part.name, depth + 1);
        n = options ? options.reduce((sum, option) => sum + count(option, depth + 1), 0) : 1;
      }
      total = Math.min(Number.MAX_SAFE_INTEGER, total * n);
    }
    return total;
  };

  const expandAll = (parts: Part[], depth: number): string[] => {
    let results = [''];
    for (const part of parts) {
      let options: string[];
      if (part.kind === 'text') options = [part.text];
      else if (part.kind === 'choice') options = part.options.flatMap((option) => expandAll(option, depth + 1));
      else {
        const lines = wildcardOptions(part.name, depth + 1);
        options = lines ? lines.flatMap((line) => expandAll(line, depth + 1)) : [`__${part.name}__`];
      }
      results = results.flatMap((prefix) => options.map((option) => prefix + option));
      if (results.length > MAX_ENUMERATED_VARIANTS) {
        throw new DynamicPromptError(`more than ${MAX_ENUMERATED_VARIANTS} variants; pick a random sample instead`);
      }
    }
    return results;
  };

  const pickOne = (parts: Part[], random: () => number, depth: number): string => {
    let out = '';
    for (const part of parts) {
      if (part.kind === 'text') out += part.text;
      else if (part.kind === 'choice') out += pickOne(part.options[Math.floor(random() * part.options.length)], random, depth + 1);
      else {
        const lines = wildcardOptions(part.name, depth + 1);
        out += lines ? pickOne(lines[Math.floor(random() * lines.length)], random, depth + 1) : `__${part.name}__`;
      }
    }
    return out;
  };

  const variants = count(parsed, 0);
  return {
    variants,
    missingWildcards: [...missing].sort(),
    all: () => expandAll(parsed, 0),
    pick: (random) => pickOne(parsed, random, 0),
  };
}

/** Wildcard file lines as sd-dynamic-prompts reads them: trimmed, no blanks, no `#` comments. */
export function wildcardLines(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
}
