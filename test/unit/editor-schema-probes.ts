// Generated completion and hover probes for the editor schema (not a test file itself): one per
// step type and per input leaf the contract's dispatch reaches (every step type, engine, ecosystem,
// operation, version…), answered by vscode-json-languageservice as VS Code's JSON service would.
// schema-editor-probes.test.ts compares the shipped editor schema's answers with the answers the
// previous shape gave (test/fixtures/editor-schema-probes.json). To record that file from a schema:
//   node --import tsx test/unit/editor-schema-probes.ts schemas/workflow.editor.schema.json > test/fixtures/editor-schema-probes.json
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getLanguageService, TextDocument, type JSONSchema } from 'vscode-json-languageservice';
import type { JsonSchema } from '../../src/core/schema/json-schema-types';
import { buildSchemaIndex } from '../../src/core/schema/schema-index';

export interface Probe {
  id: string;
  /** A workflow with `|` where completion is asked for. */
  complete?: string;
  /** A workflow and the texts hovered (each at its second character, the first after `after`). */
  hover?: { text: string; at: string[]; after?: string };
}

export interface Answer {
  id: string;
  completions?: string[];
  hovers?: Array<string | null>;
}

const ROOT = path.resolve(__dirname, '../..');

/** Probes built from the contract schema's structure (so they cover what the contract has). */
export function buildProbes(contract: JsonSchema): Probe[] {
  const index = buildSchemaIndex(contract);
  const probes: Probe[] = [];
  const doc = (step: Record<string, unknown>) => JSON.stringify({ steps: [step] });
  for (const stepType of index.dispatches.get('WorkflowStepTemplate')?.targets.keys() ?? []) {
    probes.push({ id: `step ${stepType}: fields`, complete: doc({ $type: stepType, '|': 0 }).replace('"|":0', '|') });
    probes.push({ id: `step ${stepType}: input fields`, complete: doc({ $type: stepType, input: { '|': 0 } }).replace('"|":0', '|') });
    probes.push({ id: `step ${stepType}: input as a reference`, complete: doc({ $type: stepType, input: { $ref: 's0', '|': 0 } }).replace('"|":0', '|') });
    probes.push({ id: `step ${stepType}: hover`, hover: { text: doc({ $type: stepType, name: 'a', input: {} }), at: ['"$type"', `"${stepType}"`, '"name"', '"input"'] } });
  }
  for (const dispatch of index.dispatches.values()) {
    if (!dispatch.stepType) continue;
    const above = Object.fromEntries(dispatch.chain.map((c) => [c.property, c.value]));
    const marker = '"|":0';
    probes.push({ id: `${dispatch.name}: values of ${dispatch.property}`, complete: doc({ $type: dispatch.stepType, input: { ...above, [dispatch.property]: '|' } }).replace('"|"', '|') });
    probes.push({ id: `${dispatch.name}: fields before ${dispatch.property}`, complete: doc({ $type: dispatch.stepType, input: { ...above, '|': 0 } }).replace(marker, '|') });
    probes.push({ id: `${dispatch.name}: unknown ${dispatch.property}`, complete: doc({ $type: dispatch.stepType, input: { ...above, [dispatch.property]: 'no-such-value', '|': 0 } }).replace(marker, '|') });
  }
  for (const leaf of index.leaves.values()) {
    if (leaf.kind !== 'input') continue;
    const chain = Object.fromEntries(leaf.chain.map((c) => [c.property, c.value]));
    const id = `${leaf.stepType} input ${leaf.chain.map((c) => c.value).join(' ') || '(plain)'}`;
    probes.push({ id: `${id}: fields`, complete: doc({ $type: leaf.stepType, input: { ...chain, '|': 0 } }).replace('"|":0', '|') });
    // Every field of the leaf present (null: the editor schema checks no value), each hovered.
    const fields = Object.keys(contract.definitions?.[leaf.name]?.properties ?? {});
    const input: Record<string, unknown> = { ...chain };
    for (const f of fields) if (!(f in input)) input[f] = null;
    probes.push({ id: `${id}: hovers`, hover: { text: doc({ $type: leaf.stepType, input }), at: fields.map((f) => `"${f}"`), after: '"input"' } });
    for (const f of fields.slice(0, 40)) {
      if (f in chain) continue;
      probes.push({ id: `${id}: values of ${f}`, complete: doc({ $type: leaf.stepType, input: { ...chain, [f]: '|' } }).replace('"|"', '|') });
    }
  }
  return probes;
}

export function answerer(schema: JSONSchema): (probe: Probe) => Promise<Answer> {
  const service = getLanguageService({ clientCapabilities: { textDocument: { completion: { completionItem: { documentationFormat: ['markdown'] } }, hover: { contentFormat: ['markdown'] } } } });
  service.configure({ validate: true, allowComments: false, schemas: [{ uri: 'file:///workflow.schema.json', fileMatch: ['*.civitai.json'], schema }] });
  const open = (text: string) => {
    const document = TextDocument.create('file:///w.civitai.json', 'json', 1, text);
    return { document, json: service.parseJSONDocument(document) };
  };
  return async (probe) => {
    const answer: Answer = { id: probe.id };
    if (probe.complete !== undefined) {
      const offset = probe.complete.indexOf('|');
      const { document, json } = open(probe.complete.slice(0, offset) + probe.complete.slice(offset + 1));
      const list = await service.doComplete(document, document.positionAt(offset), json);
      answer.completions = [...new Set((list?.items ?? []).map((i) => i.label))].sort();
    }
    if (probe.hover) {
      const { text, at, after } = probe.hover;
      const from = after === undefined ? 0 : text.indexOf(after);
      const { document, json } = open(text);
      answer.hovers = [];
      for (const a of at) {
        const hover = await service.doHover(document, document.positionAt(text.indexOf(a, from) + 1), json);
        answer.hovers.push(hover ? JSON.stringify(hover.contents) : null);
      }
    }
    return answer;
  };
}

/**
 * The answers in a form small enough to keep as a fixture: per group (a step type, a dispatch
 * level, an input leaf) the field completions in clear, and the value completions and hovers as a
 * digest of all of them (a difference names the group; rerun the probes on both schemas to see it).
 */
export function summarize(answers: readonly Answer[]): Record<string, Record<string, string[] | string>> {
  const groups: Record<string, Record<string, string[] | string>> = {};
  const digests = new Map<string, ReturnType<typeof createHash>>();
  for (const a of answers) {
    const [group, question] = a.id.split(': ');
    const g = (groups[group] ??= {});
    if (a.completions && !question.startsWith('values of ')) g[question] = a.completions;
    const key = `${group}\u0000${a.completions && question.startsWith('values of ') ? 'values' : 'hovers'}`;
    if (a.completions && !question.startsWith('values of ')) continue;
    if (!digests.has(key)) digests.set(key, createHash('sha256'));
    digests.get(key)!.update(JSON.stringify([question, a.completions ?? a.hovers]));
  }
  for (const [key, hash] of digests) {
    const [group, kind] = key.split('\u0000');
    groups[group][kind] = hash.digest('hex').slice(0, 24);
  }
  return groups;
}

export function readSchema(file: string): JsonSchema {
  return JSON.parse(readFileSync(path.resolve(ROOT, file), 'utf8')) as JsonSchema;
}

if (require.main === module) {
  void (async () => {
    const answer = answerer(readSchema(process.argv[2] ?? 'schemas/workflow.editor.schema.json') as JSONSchema);
    const answers: Answer[] = [];
    for (const probe of buildProbes(readSchema('schemas/workflow.schema.json'))) answers.push(await answer(probe));
    const groups = Object.entries(summarize(answers));
    process.stdout.write('{\n' + groups.map(([g, v]) => `${JSON.stringify(g)}: ${JSON.stringify(v)}`).join(',\n') + '\n}\n');
  })();
}
