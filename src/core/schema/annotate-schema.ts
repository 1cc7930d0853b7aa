// Connects our prose (descriptions.ts) and the contract's facts to the schema builder: each
// description gets a facts line generated from the contract ("Default `20` · 1–150"), so text and
// enforcement cannot disagree; notes where the guides disagree with the contract come from the
// ecosystem table.
import { ECOSYSTEMS, isEcosystemId, type EcosystemId } from '../ecosystems/table';
import type { LeafContext, MergedLeaf, ResolvedProperty, SchemaAnnotator } from './build-workflow-schema';
import {
  DOCUMENTED_ECOSYSTEMS, DOCUMENTED_ENGINES, ECOSYSTEM_VALUE_DOCS, IMAGE_GEN_ENGINE_DOCS, IMAGE_GEN_FIELD_DOCS, OPERATION_DOCS,
  REFERENCE_DOC, STEP_FIELD_DOCS, STEP_TYPE_DOCS, WORKFLOW_FIELD_DOCS, docsVsContractNotes, type DocumentedEngine, type FieldDocContext,
} from './descriptions';
import type { DefaultSnippet, JsonSchema, JsonValue } from './json-schema-types';

function formatNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) >= 10000 ? n.toLocaleString('en-US').replace(/,/g, '\u202f') : String(n);
}

/** "Default `20` · 1–150 · up to 10 000 characters · required". */
export function factsLine(p: Partial<ResolvedProperty> & { uniqueItems?: boolean }, required = false): string {
  const parts: string[] = [];
  if (p.default !== undefined && p.default !== null) parts.push(`Default \`${typeof p.default === 'string' ? p.default : JSON.stringify(p.default)}\``);
  if (p.minimum !== undefined && p.maximum !== undefined) parts.push(`${formatNumber(p.minimum)}–${formatNumber(p.maximum)}`);
  else if (p.minimum !== undefined) parts.push(`at least ${formatNumber(p.minimum)}`);
  else if (p.maximum !== undefined) parts.push(`at most ${formatNumber(p.maximum)}`);
  if (p.maxLength !== undefined) parts.push(`up to ${formatNumber(p.maxLength)} characters`);
  if (p.maxItems !== undefined) parts.push(`up to ${p.maxItems} items`);
  if (p.minItems !== undefined && p.minItems > 0) parts.push(`at least ${p.minItems} item${p.minItems === 1 ? '' : 's'}`);
  if (p.uniqueItems) parts.push('no repeats');
  if (required) parts.push('required');
  if (parts.length === 0) return '';
  const line = parts.join(' · ');
  return line.charAt(0).toUpperCase() + line.slice(1) + '.';
}

function compose(...parts: Array<string | undefined>): string | undefined {
  const text = parts.filter((p): p is string => !!p && p.trim() !== '').join('\n\n');
  return text === '' ? undefined : text;
}

function schemaFacts(schema: JsonSchema): Partial<ResolvedProperty> & { uniqueItems?: boolean } {
  return {
    default: schema.default,
    minimum: schema.minimum,
    maximum: schema.maximum,
    maxLength: schema.maxLength,
    maxItems: schema.maxItems,
    minItems: schema.minItems,
    uniqueItems: schema.uniqueItems,
  };
}

function documentedContext(ctx: LeafContext, leaf: MergedLeaf): FieldDocContext | undefined {
  if (ctx.stepType !== 'imageGen') return undefined;
  const values = new Map(ctx.chain.map((c) => [c.property, c.value]));
  const engine = values.get('engine');
  const ecosystem = values.get('ecosystem');
  const operation = values.get('operation');
  if (!engine || !ecosystem || !operation) return undefined;
  if (!(DOCUMENTED_ENGINES as readonly string[]).includes(engine) || !isEcosystemId(ecosystem) || !DOCUMENTED_ECOSYSTEMS.includes(ecosystem)) return undefined;
  return { engine: engine as DocumentedEngine, ecosystem, operation, eco: ECOSYSTEMS[ecosystem], fields: new Set(Object.keys(leaf.properties)) };
}

/** Example AIRs from the guides, for the snippets' placeholders. */
const EXAMPLE_CHECKPOINTS: Partial<Record<EcosystemId, string>> = {
  sd1: 'urn:air:sd1:checkpoint:civitai:4384@128713',
  sdxl: 'urn:air:sdxl:checkpoint:civitai:101055@128078',
};

function stepSnippets(leaves: ReadonlyMap<string, { ctx: LeafContext; leaf: MergedLeaf }>, resolve: (raw: MergedLeaf['properties'][string]) => ResolvedProperty): DefaultSnippet[] {
  const snippets: DefaultSnippet[] = [];
  for (const ecosystem of DOCUMENTED_ECOSYSTEMS) {
    const entry = [...leaves.values()].find(({ ctx }) => ctx.stepType === 'imageGen' && ctx.chain.map((c) => c.value).join('/') === `sdcpp/${ecosystem}/createImage`);
    if (!entry) continue;
    const fact = (name: string): JsonValue | undefined => {
      const raw = entry.leaf.properties[name];
      return raw ? resolve(raw).default : undefined;
    };
    const input: Record<string, JsonValue> = { engine: 'sdcpp', ecosystem, operation: 'createImage' };
    let stop = 1;
    const checkpoint = EXAMPLE_CHECKPOINTS[ecosystem];
    if (entry.leaf.properties.model && checkpoint) input.model = `\${${stop++}:${checkpoint}}`;
    input.prompt = `\${${stop++}:masterpiece, best quality, }`;
    input.negativePrompt = `\${${stop++}:worst quality, low quality, blurry}`;
    for (const name of ['width', 'height', 'steps', 'cfgScale']) {
      const value = fact(name);
      if (value !== undefined) input[name] = value;
    }
    const label = ECOSYSTEMS[ecosystem].label;
    snippets.push({
      label: `imageGen: ${label} (sdcpp, text to image)`,
      markdownDescription: `An \`imageGen\` step for ${label} on sdcpp, with the contract's default size, steps and guidance.`,
      body: { $type: 'imageGen', input },
    });
  }
  return snippets;
}

export function createAnnotator(resolve: (raw: MergedLeaf['properties'][string]) => ResolvedProperty): SchemaAnnotator {
  return {
    workflowProperty(name, schema) {
      const text = (WORKFLOW_FIELD_DOCS as Record<string, string | undefined>)[name];
      return text ? compose(text, factsLine(schemaFacts(schema), name === 'steps')) : undefined;
    },
    stepProperty(name, schema) {
      if (name === '$type') return undefined; // described (with every value) at the dispatch level
      const text = (STEP_FIELD_DOCS as Record<string, string | undefined>)[name];
      return text ? compose(text, factsLine(schemaFacts(schema), name === 'input')) : undefined;
    },
    discriminatorProperty(stepType, chain, property) {
      if (stepType === undefined && property === '$type') return STEP_FIELD_DOCS.$type;
      if (stepType !== 'imageGen') return undefined;
      if (property === 'engine') return 'Which runtime generates the image; it decides which other fields exist. The guides default to `sdcpp` for SD1, SDXL and Anima.';
      const engine = chain.find((c) => c.property === 'engine')?.value;
      if (property === 'ecosystem') return `The model family to run on ${engine}.`;
      if (property === 'operation') {
        const ecosystem = chain.find((c) => c.property === 'ecosystem')?.value;
        const notes = ecosystem && isEcosystemId(ecosystem) ? docsVsContractNotes(ecosystem, 'operation') : [];
        return compose('What to do: `createImage` (text to image), `createVariant` (image to image) or `editImage`.', ...notes);
      }
      return undefined;
    },
    discriminatorErrorMessage(stepType, chain, property) {
      if (stepType === undefined && property === '$type') return 'Unknown step type: pick one from the completion list.';
      if (stepType === 'imageGen' && property === 'engine' && chain.length === 0) {
        return 'Unknown engine. SD1, SDXL and Anima run on engine "sdcpp" (or "comfy") with an "ecosystem" and an "operation"; older payloads put the model family in "engine".';
      }
      return undefined;
    },
    discriminatorValue(stepType, _chain, property, value) {
      if (property === '$type' && stepType === undefined) return STEP_TYPE_DOCS[value];
      if (stepType !== 'imageGen') return undefined;
      if (property === 'engine') return IMAGE_GEN_ENGINE_DOCS[value];
      if (property === 'ecosystem') return ECOSYSTEM_VALUE_DOCS[value];
      if (property === 'operation') return OPERATION_DOCS[value];
      return undefined;
    },
    inputProperty(ctx, property, _raw, resolved, leaf) {
      const docCtx = documentedContext(ctx, leaf);
      if (!docCtx) return undefined;
      const text = IMAGE_GEN_FIELD_DOCS[property];
      const body = typeof text === 'function' ? text(docCtx) : text;
      if (!body) return undefined;
      const discriminating = ctx.chain.some((c) => c.property === property);
      const facts = discriminating ? '' : factsLine(resolved, leaf.required.includes(property));
      const notes = property === 'operation' || property === 'engine' ? [] : docsVsContractNotes(docCtx.ecosystem, property);
      // A note that names an engine only belongs on that engine (e.g. the comfy width cap).
      const relevant = notes.filter((n) => !DOCUMENTED_ENGINES.some((e) => n.includes(e)) || n.includes(docCtx.engine));
      return compose(body, facts, ...relevant.map((n) => `_Guides vs contract:_ ${n}`));
    },
    stepSnippets: (leaves) => stepSnippets(leaves, resolve),
    referenceDescription: () => REFERENCE_DOC,
  };
}
