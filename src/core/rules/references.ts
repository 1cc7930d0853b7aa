// `$ref` dependencies between steps (workflows guide, "Dependencies & parallelism"): the source must
// exist, must not be the step itself or close a cycle, `$arguments` paths must exist, and an
// imageGen output path must be one an imageGen output has. Plus unique step names.
import { getNodeValue } from 'jsonc-parser';
import type { Finding, Fix } from '../findings';
import type { JsonNode } from '../workflow/document';
import { editsFor, memberProperty, memberValue, pathOfNode, type StepView } from '../workflow/steps';
import type { Rule, RuleContext } from './types';
import { findingOn } from './support';
import { editDistance, MAX_SUGGEST_LENGTH } from '../schema/suggest';

/**
 * Members of an image in `output.images[N]` (the contract's ImageBlob with its Blob base; checked in
 * test/unit/rules-contract-facts.test.ts).
 */
export const IMAGE_BLOB_FIELDS = [
  'id', 'url', 'type', 'available', 'urlExpiresAt', 'jobId', 'nsfwLevel', 'blockedReason', 'tier',
  'width', 'height', 'previewUrl', 'previewUrlExpiresAt',
] as const;

export interface RefSite {
  /** The step whose input holds the reference. */
  from: StepView;
  /** The `{ "$ref": …, "path": … }` object. */
  object: JsonNode;
  /** The `$ref` string node. */
  refNode: JsonNode;
  source: string;
  pathNode?: JsonNode;
  path?: string;
}

export type ResolvedSource = { kind: 'step'; step: StepView } | { kind: 'arguments' } | { kind: 'loop' };

export interface RefGraph {
  sites: RefSite[];
  resolve(source: string): ResolvedSource | undefined;
  steps: readonly StepView[];
}

function collectObjects(node: JsonNode, out: JsonNode[]): void {
  if (node.type === 'object') out.push(node);
  for (const child of node.children ?? []) collectObjects(child, out);
}

const graphs = new WeakMap<object, RefGraph>();

/** The references of a document, computed once however many rules ask. */
export function refGraph(ctx: RuleContext): RefGraph {
  const cached = graphs.get(ctx.doc);
  if (cached) return cached;
  const graph = buildRefGraph(ctx);
  graphs.set(ctx.doc, graph);
  return graph;
}

function buildRefGraph(ctx: RuleContext): RefGraph {
  const sites: RefSite[] = [];
  const loopVariables = new Set<string>();
  for (const step of ctx.steps) {
    const objects: JsonNode[] = [];
    collectObjects(step.node, objects);
    for (const object of objects) {
      const refNode = memberValue(object, '$ref');
      if (refNode?.type !== 'string') continue;
      const pathNode = memberValue(object, 'path');
      // A repeat clause `{ "$ref", "path", "as": "frame" }` binds a loop variable for its template.
      const as = memberValue(object, 'as');
      if (as?.type === 'string') loopVariables.add(as.value as string);
      sites.push({
        from: step,
        object,
        refNode,
        source: refNode.value as string,
        pathNode: pathNode?.type === 'string' ? pathNode : undefined,
        path: pathNode?.type === 'string' ? (pathNode.value as string) : undefined,
      });
    }
  }
  const byName = new Map<string, StepView>();
  for (const step of ctx.steps) if (step.name !== undefined && !byName.has(step.name)) byName.set(step.name, step);
  // Looked up by map, not by scanning the steps per reference (quadratic on long workflows).
  const byIndex = new Map<number, StepView>();
  const unnamedByIndex = new Map<string, StepView>();
  for (const step of ctx.steps) {
    if (!byIndex.has(step.index)) byIndex.set(step.index, step);
    if (step.name === undefined && !unnamedByIndex.has(String(step.index))) unnamedByIndex.set(String(step.index), step);
  }
  const resolve = (source: string): ResolvedSource | undefined => {
    if (source === '$arguments') return { kind: 'arguments' };
    if (loopVariables.has(source)) return { kind: 'loop' };
    const named = byName.get(source);
    if (named) return { kind: 'step', step: named };
    const positional = /^\$(\d+)$/.exec(source);
    if (positional) {
      const step = byIndex.get(Number(positional[1]));
      return step ? { kind: 'step', step } : undefined;
    }
    // An unnamed step is called by its index ("0", "1", …), as results show.
    const implicit = unnamedByIndex.get(source);
    if (implicit) return { kind: 'step', step: implicit };
    // "$stepName" (the contract's example for repeat clauses).
    if (source.startsWith('$') && byName.has(source.slice(1))) return { kind: 'step', step: byName.get(source.slice(1))! };
    return undefined;
  };
  return { sites, resolve, steps: ctx.steps };
}

/**
 * Whether `candidate`, the only near miss of `written`, is obviously what was meant: the same name
 * in another case, or a typo of at most two edits that changes less than half of the shorter name
 * (two edits can turn a short name into an unrelated one: "a" → "b", "up" → "a").
 */
export function isObviousNearMiss(written: string, candidate: string): boolean {
  if (written.toLowerCase() === candidate.toLowerCase()) return true;
  if (Math.abs(written.length - candidate.length) > 2) return false;
  const distance = editDistance(written.toLowerCase(), candidate.toLowerCase());
  return distance <= 2 && distance * 2 < Math.min(written.length, candidate.length);
}

/** A name as quoted in a message: long ones (a pasted blob as a `$ref`) are cut. */
function short(name: string, max = 60): string {
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

/** `"a", "b"` … and N more: a few names, each short. */
function listNames(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMES_LISTED).map((n) => `"${short(n)}"`).join(', ');
  return names.length > MAX_NAMES_LISTED ? `${shown} and ${names.length - MAX_NAMES_LISTED} more` : shown;
}

/** How many step names a ref-unknown-step message lists. */
const MAX_NAMES_LISTED = 8;
/** How many near-miss names are offered as fixes (closest first). */
const MAX_SUGGESTIONS = 3;

/**
 * "Change to …" fixes for the names within two edits (or another case) of `written`, closest first
 * and at most a few; preferred only when there is exactly one and it is an obvious near miss.
 */
function nearMissFixes(ctx: RuleContext, node: JsonNode, written: string, candidates: readonly string[]): Fix[] {
  if (written.length > MAX_SUGGEST_LENGTH) return [];
  const lower = written.toLowerCase();
  // Names whose length differs by more than two cannot be within two edits: skip the distance.
  const near = candidates
    .filter((n) => Math.abs(n.length - written.length) <= 2)
    .map((n) => ({ n, d: n.toLowerCase() === lower ? 0 : editDistance(n, written) }))
    .filter((c) => c.d <= 2)
    .sort((a, b) => a.d - b.d)
    .slice(0, MAX_SUGGESTIONS)
    .map((c) => c.n);
  return near.map((n) => replaceStringFix(ctx, node, n, near.length === 1 && isObviousNearMiss(written, n), `Change to "${n}"`));
}

function replaceStringFix(ctx: RuleContext, node: JsonNode, value: string, preferred: boolean, title: string): Fix {
  return { title, isPreferred: preferred, edits: editsFor(ctx.doc, [{ kind: 'set', path: pathOfNode(node), value }]) };
}

/**
 * `"$ref": "gen.output.images[0].url"`: a step name with the path written inside it. The object
 * form is `{"$ref": "gen", "path": "output.images[0].url"}`; when the object has nothing else,
 * the fix writes exactly that.
 */
function pathInsideRef(ctx: RuleContext, site: RefSite, graph: RefGraph): Finding | undefined {
  const dot = site.source.indexOf('.');
  if (dot <= 0 || site.path !== undefined) return undefined;
  const source = site.source.slice(0, dot);
  const path = site.source.slice(dot + 1);
  if (!graph.resolve(source) || path === '') return undefined;
  const objectForm = `{ "$ref": ${JSON.stringify(source)}, "path": ${JSON.stringify(path)} }`;
  const onlyRef = (site.object.children ?? []).length === 1;
  return findingOn(
    ctx.doc,
    refUnknownStep,
    site.refNode,
    `\`$ref\` names the step only; the path goes in its own member: ${objectForm}. As written, no step is called "${site.source}".`,
    { fixes: onlyRef ? [{ title: `Write ${objectForm}`, isPreferred: true, edits: [{ offset: site.object.offset, length: site.object.length, newText: objectForm }] }] : [] },
  );
}

export const refUnknownStep: Rule = {
  code: 'ref-unknown-step',
  severity: 'error',
  title: '$ref names a step that does not exist',
  description:
    'A $ref source is a step\'s name, its position ("$0", "$1", …; an unnamed step is also called "0", "1", …), "$arguments", or a ' +
    'repeat loop variable (workflows guide). Anything else cannot be resolved and the workflow fails.',
  fix:
    'When one step name is a near miss (a typo or different case), replaces the reference with it; lint --fix does so only for a ' +
    'different case or a small typo (at most two edits, under half of the name).',
  check(ctx: RuleContext): Finding[] {
    const graph = refGraph(ctx);
    const names = [...new Set(ctx.steps.map((s) => s.name).filter((n): n is string => n !== undefined))];
    const out: Finding[] = [];
    // Built once: a long workflow's message names a few steps, not all of them.
    const known = names.length > 0 ? `steps here are named ${listNames(names)}` : 'no step here has a name';
    for (const site of graph.sites) {
      if (graph.resolve(site.source)) continue;
      const split = pathInsideRef(ctx, site, graph);
      if (split) {
        out.push(split);
        continue;
      }
      const fixes = nearMissFixes(ctx, site.refNode, site.source, names);
      out.push(
        findingOn(ctx.doc, refUnknownStep, site.refNode, `No step is called "${short(site.source)}" (${known}; positions are "$0"–"$${Math.max(0, ctx.steps.length - 1)}").`, { fixes }),
      );
    }
    return out;
  },
};

export const refSelf: Rule = {
  code: 'ref-self',
  severity: 'error',
  title: 'A step refers to its own output',
  description: 'A step cannot consume its own output: it would wait for itself forever (workflows guide: a $ref creates a dependency).',
  check(ctx: RuleContext): Finding[] {
    const graph = refGraph(ctx);
    return graph.sites
      .filter((site) => {
        const r = graph.resolve(site.source);
        return r?.kind === 'step' && r.step.index === site.from.index;
      })
      .map((site) => findingOn(ctx.doc, refSelf, site.refNode, `Step "${short(site.from.effectiveName)}" refers to its own output; refer to an earlier step instead.`));
  },
};

/**
 * Strongly connected components of the step dependency graph (Tarjan), without recursion: a
 * chain of tens of thousands of `$ref`s must not overflow the call stack.
 */
function stronglyConnected(count: number, edges: Map<number, Set<number>>): number[] {
  const component = new Array<number>(count).fill(-1);
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  let counter = 0;
  let components = 0;
  // The depth-first path: each step with the successors it has yet to look at.
  const path: Array<{ v: number; next: Iterator<number> }> = [];
  const enter = (v: number): void => {
    index[v] = low[v] = counter++;
    stack.push(v);
    onStack[v] = true;
    path.push({ v, next: (edges.get(v) ?? new Set<number>()).values() });
  };
  for (let root = 0; root < count; root++) {
    if (index[root] >= 0) continue;
    enter(root);
    while (path.length > 0) {
      const top = path[path.length - 1];
      const step = top.next.next();
      if (!step.done) {
        const w = step.value;
        if (index[w] < 0) enter(w);
        else if (onStack[w]) low[top.v] = Math.min(low[top.v], index[w]);
        continue;
      }
      path.pop();
      const v = top.v;
      if (path.length > 0) {
        const parent = path[path.length - 1].v;
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          component[w] = components;
        } while (w !== v);
        components++;
      }
    }
  }
  return component;
}

function shortestPath(from: number, to: number, edges: Map<number, Set<number>>): number[] {
  const previous = new Map<number, number>([[from, from]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    if (v === to) break;
    for (const w of edges.get(v) ?? []) {
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  const path = [to];
  while (path[0] !== from && previous.has(path[0])) path.unshift(previous.get(path[0])!);
  return path;
}

export const refCycle: Rule = {
  code: 'ref-cycle',
  severity: 'error',
  title: 'Steps depend on each other in a cycle',
  description:
    'Each $ref makes a step wait for its source. Steps whose references lead back to themselves can never start (workflows guide: a ' +
    'step stays unassigned until its dependencies succeed). Referring to a later step is fine as long as no cycle forms.',
  check(ctx: RuleContext): Finding[] {
    const graph = refGraph(ctx);
    const count = ctx.steps.length === 0 ? 0 : Math.max(...ctx.steps.map((s) => s.index)) + 1;
    const edges = new Map<number, Set<number>>();
    const stepSites: Array<{ site: RefSite; target: number }> = [];
    for (const site of graph.sites) {
      const r = graph.resolve(site.source);
      if (r?.kind !== 'step' || r.step.index === site.from.index) continue;
      if (!edges.has(site.from.index)) edges.set(site.from.index, new Set());
      edges.get(site.from.index)!.add(r.step.index);
      stepSites.push({ site, target: r.step.index });
    }
    const component = stronglyConnected(count, edges);
    const names = new Map(ctx.steps.map((s) => [s.index, s.effectiveName]));
    const nameOf = (i: number): string => names.get(i) ?? String(i);
    // One finding per cycle (strongly connected set of steps), on the reference that closes it: the
    // first that points back to an earlier step. Reporting every reference of a 3000-step loop, each
    // spelling out the loop, took 17.5 s and 107 MB of messages.
    const closing = new Map<number, { site: RefSite; target: number }>();
    for (const edge of stepSites) {
      const c = component[edge.site.from.index];
      if (c !== component[edge.target]) continue;
      const known = closing.get(c);
      if (!known || (known.target > known.site.from.index && edge.target <= edge.site.from.index)) closing.set(c, edge);
    }
    return [...closing.values()].map(({ site, target }) => {
      const loop = [site.from.index, ...shortestPath(target, site.from.index, edges)].map(nameOf);
      return findingOn(ctx.doc, refCycle, site.refNode, `This reference closes a cycle (${shortLoop(loop)}): none of these steps can start. Break one of the references.`);
    });
  },
};

/** How many step names a cycle message spells out before eliding the middle. */
const MAX_LOOP_NAMES = 6;

/** `"a" → "b" → "a"`; a long loop keeps its ends: `"a" → "b" → "c" → … → "y" → "a" (3000 steps)`. */
function shortLoop(loop: readonly string[]): string {
  const quoted = (names: readonly string[]): string => names.map((n) => `"${n.length > 40 ? `${n.slice(0, 39)}…` : n}"`).join(' → ');
  if (loop.length <= MAX_LOOP_NAMES + 1) return quoted(loop);
  return `${quoted(loop.slice(0, 3))} → … → ${quoted(loop.slice(-2))} (${loop.length - 1} steps)`;
}

/** `a.b[0].c` -> ['a', 'b', 0, 'c']; undefined for a path that is not of that form. */
export function parseRefPath(path: string): Array<string | number> | undefined {
  const segments: Array<string | number> = [];
  const re = /([^.[\]]+)|\[(\d+)\]|(\.)/gy;
  let expectName = true;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(path)) !== null) {
    consumed = re.lastIndex;
    if (m[1] !== undefined) {
      if (!expectName) return undefined;
      segments.push(/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
      expectName = false;
    } else if (m[2] !== undefined) {
      segments.push(Number(m[2]));
      expectName = false;
    } else {
      if (expectName) return undefined;
      expectName = true;
    }
  }
  if (consumed !== path.length || expectName || segments.length === 0) return undefined;
  return segments;
}

export const refUnknownArgument: Rule = {
  code: 'ref-unknown-argument',
  severity: 'error',
  title: '$arguments path that arguments does not define',
  description: 'A { "$ref": "$arguments", "path": … } reads from the workflow\'s arguments object (workflows guide); a path it does not define resolves to nothing.',
  fix: 'When one argument name is a near miss, replaces the path with it (applied by lint --fix under the same conditions as ref-unknown-step).',
  check(ctx: RuleContext): Finding[] {
    const graph = refGraph(ctx);
    const argumentsNode = ctx.doc.root ? memberValue(ctx.doc.root, 'arguments') : undefined;
    const args: unknown = argumentsNode && argumentsNode.type !== 'null' ? getNodeValue(argumentsNode) : undefined;
    const out: Finding[] = [];
    for (const site of graph.sites) {
      if (graph.resolve(site.source)?.kind !== 'arguments' || site.path === undefined || !site.pathNode) continue;
      const segments = parseRefPath(site.path);
      let value: unknown = args;
      for (const segment of segments ?? []) {
        value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[segment] : undefined;
      }
      if (segments && value !== undefined) continue;
      const defined = args && typeof args === 'object' ? Object.keys(args) : [];
      const message =
        args === undefined
          ? `This reads "${short(site.path)}" from $arguments, but the workflow defines no "arguments"; add it at the top level.`
          : `"arguments" defines no "${short(site.path)}"${defined.length > 0 ? ` (it has ${listNames(defined)})` : ''}.`;
      const fixes = nearMissFixes(ctx, site.pathNode, site.path, defined);
      out.push(findingOn(ctx.doc, refUnknownArgument, site.pathNode, message, { fixes }));
    }
    return out;
  },
};

/** Whether an imageGen output has something at `path`. */
export function isImageGenOutputPath(path: string): boolean {
  const segments = parseRefPath(path);
  if (!segments || segments[0] !== 'output' || segments[1] !== 'images') return false;
  if (segments.length === 2) return true;
  if (typeof segments[2] !== 'number') return false;
  if (segments.length === 3) return true;
  return segments.length === 4 && (IMAGE_BLOB_FIELDS as readonly (string | number)[]).includes(segments[3]);
}

/**
 * A likely intended path for a near miss (`output.image[0].url`, `images[0].url`, `output.images.url`…),
 * and whether its index had to be guessed (the path named none: `[0]` is filled in).
 */
function repairImageGenPath(path: string): { path: string; guessedIndex: boolean } | undefined {
  const words = path.split(/[.[\]]+/).filter((w) => w.length > 0);
  const written = words.find((w) => /^\d+$/.test(w));
  const index = written ?? '0';
  const field = words.find((w) => (IMAGE_BLOB_FIELDS as readonly string[]).includes(w)) ?? (words.some((w) => /^ur[il]$/i.test(w)) ? 'url' : undefined);
  const mentionsImages = words.some((w) => /^(images?|output|blobs?)$/i.test(w));
  if (!mentionsImages || field === undefined) return undefined;
  const repaired = `output.images[${index}].${field}`;
  return repaired !== path && isImageGenOutputPath(repaired) ? { path: repaired, guessedIndex: written === undefined } : undefined;
}

/** Whether the step makes one image: `quantity` absent (the contract's default is 1) or 1. */
function makesOneImage(step: StepView): boolean {
  const quantity = step.input ? memberValue(step.input, 'quantity') : undefined;
  return quantity === undefined || (quantity.type === 'number' && quantity.value === 1);
}

export const refBadOutputPath: Rule = {
  code: 'ref-bad-output-path',
  severity: 'warning',
  title: 'A path into an imageGen output that it cannot have',
  description:
    'An imageGen step\'s output is { images: [image…] }, each image with url, id, width, height, previewUrl… (contract: ImageGenOutput, ' +
    'ImageBlob). The usual reference is output.images[0].url (image upscaler recipe). Another path resolves to nothing.',
  fix:
    'For a near miss (missing index, "image" for "images", no "output." prefix), rewrites it to output.images[N].<field>. A missing ' +
    'index becomes [0], which lint --fix applies only when the source step makes one image.',
  check(ctx: RuleContext): Finding[] {
    const graph = refGraph(ctx);
    const out: Finding[] = [];
    for (const site of graph.sites) {
      const r = graph.resolve(site.source);
      if (r?.kind !== 'step' || r.step.type !== 'imageGen' || site.path === undefined || !site.pathNode) continue;
      if (isImageGenOutputPath(site.path)) continue;
      const repair = repairImageGenPath(site.path);
      // A filled-in [0] is a guess when the source makes several images: which one is the user's pick.
      const preferred = repair !== undefined && (!repair.guessedIndex || makesOneImage(r.step));
      out.push(
        findingOn(
          ctx.doc,
          refBadOutputPath,
          site.pathNode,
          `An imageGen output has no "${short(site.path)}"; use output.images[N].url (or .id, .width…)${repair ? `: did you mean "${repair.path}"?` : '.'}`,
          { fixes: repair ? [replaceStringFix(ctx, site.pathNode, repair.path, preferred, `Change to "${repair.path}"`)] : [] },
        ),
      );
    }
    return out;
  },
};

export const duplicateStepName: Rule = {
  code: 'duplicate-step-name',
  severity: 'error',
  title: 'Two steps share a name',
  description:
    'A $ref picks its source by name, so names must be unique; an unnamed step is called by its index ("0", "1", …), which an ' +
    'explicit name can collide with (workflows guide).',
  fix: 'Offers a unique name for the later step (not applied by lint --fix: references meant for it must be updated by hand).',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const seen = new Map<string, StepView>();
    const taken = new Set(ctx.steps.map((s) => s.effectiveName));
    for (const step of ctx.steps) {
      const earlier = seen.get(step.effectiveName);
      if (!earlier) {
        seen.set(step.effectiveName, step);
        continue;
      }
      // Report on an explicit name: the later one, or the earlier when only it was written.
      const culprit = step.name !== undefined ? step : earlier;
      const nameProperty = memberProperty(culprit.node, 'name');
      const nameNode = nameProperty?.children?.[1];
      if (!nameProperty || !nameNode) continue;
      let candidate = `${culprit.effectiveName}-${culprit.index}`;
      for (let n = 2; taken.has(candidate); n++) candidate = `${culprit.effectiveName}-${culprit.index}-${n}`;
      const other = culprit === step ? earlier : step;
      const how = other.name === undefined ? ` (step ${other.index} is unnamed, so it is called "${other.index}")` : '';
      out.push(
        findingOn(ctx.doc, duplicateStepName, nameProperty, `Step name "${short(culprit.effectiveName)}" is also used by step ${other.index}${how}; $ref cannot tell them apart.`, {
          fixes: [replaceStringFix(ctx, nameNode, candidate, false, `Rename to "${candidate}"`)],
        }),
      );
    }
    return out;
  },
};

export const REFERENCE_RULES: readonly Rule[] = [refUnknownStep, refSelf, refCycle, refUnknownArgument, refBadOutputPath, duplicateStepName];
