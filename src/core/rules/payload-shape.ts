// Whole-file shape problems: a body in the older submission shape (engine "sdxl", A1111 sampler
// names, additionalNetworks, callbackUrl…), and a response body pasted where a request belongs.
// Each is ONE finding for the file; the contract's noise about the same shape is superseded.
import { getNodeValue } from 'jsonc-parser';
import type { Finding } from '../findings';
import {
  CALLBACK_EVENTS_WHEN_DONE,
  ECOSYSTEMS,
  ECOSYSTEM_FIELD_COUNTERPARTS,
  FOREIGN_FIELDS,
  LORA_IMPLIED_STRENGTH,
  currentCallbackEventName,
  isEcosystemId,
  type EcosystemId,
} from '../ecosystems/table';
import { resolveSamplerName } from '../ecosystems/samplers';
import { airKindOfType, parseAir } from '../air';
import { pointerOfNode, type JsonNode, type WorkflowDocument } from '../workflow/document';
import { editsFor, memberProperty, memberValue, pathOfNode, stringMember, type JsonChange, type StepView } from '../workflow/steps';
import type { Rule, RuleContext } from './types';
import { contractLeafOf, findingOn, leafMemberSchema } from './support';

// ---- Response bodies ----

/**
 * Members only a fetched workflow has (the contract's Workflow minus WorkflowTemplate, and
 * WorkflowStep minus WorkflowStepTemplate; checked in test/unit/rules-contract-facts.test.ts).
 */
export const RESPONSE_ONLY_WORKFLOW_FIELDS = ['id', 'createdAt', 'transactions', 'status', 'startedAt', 'completedAt', 'cost', 'forceRefunded', 'lostBlobsRefund', 'deletedAt'] as const;
export const RESPONSE_ONLY_STEP_FIELDS = ['status', 'jobs', 'output', 'startedAt', 'completedAt', 'estimatedProgressRate', 'preparation'] as const;

function responseSignals(doc: WorkflowDocument, steps: readonly StepView[]): JsonNode[] {
  const root = doc.root;
  if (root?.type !== 'object') return [];
  const signals: JsonNode[] = [];
  for (const field of RESPONSE_ONLY_WORKFLOW_FIELDS) {
    const p = memberProperty(root, field);
    if (p) signals.push(p);
  }
  // A webhook event body: { "$type": "workflow", "workflowId": …, "status": …, "timestamp": … }.
  const workflowId = memberProperty(root, 'workflowId');
  if (workflowId) signals.push(workflowId);
  for (const step of steps) {
    for (const field of RESPONSE_ONLY_STEP_FIELDS) {
      const p = memberProperty(step.node, field);
      if (p) signals.push(p);
    }
  }
  return signals.sort((a, b) => a.offset - b.offset);
}

export const responseNotRequest: Rule = {
  code: 'response-not-request',
  severity: 'error',
  title: 'A workflow result (response body) instead of a submission',
  description:
    'Results carry members a submission never has: an id starting with wf_, status, createdAt, cost, and steps with status, jobs and ' +
    'output (contract: Workflow vs WorkflowTemplate). Such a file cannot be submitted; every contract complaint about it would be ' +
    'noise, so this single finding replaces them all and the other rules stay quiet.',
  exclusive: true,
  check(ctx: RuleContext): Finding[] {
    const root = ctx.doc.root;
    if (root?.type !== 'object') return [];
    const signals = responseSignals(ctx.doc, ctx.steps);
    const id = stringMember(root, 'id');
    const strong = (id !== undefined && id.startsWith('wf_')) || memberProperty(root, 'workflowId') !== undefined;
    const distinct = new Set(signals.map((s) => String(s.children?.[0]?.value)));
    if (!strong && distinct.size < 2) return [];
    const wfId = id?.startsWith('wf_') ? id : undefined;
    const named = [...(wfId ? [`id ${wfId}`] : []), ...[...distinct].filter((k) => !(wfId && k === 'id')).slice(0, 4).map((k) => `"${k}"`)].join(', ');
    return [
      findingOn(
        ctx.doc,
        responseNotRequest,
        signals[0] ?? root,
        `This is a workflow result, not a submission (it has ${named}). ` +
          'Put the request body here (steps with their input), or open the result with "Civitai: Open Workflow by ID…".',
        { pointer: '', supersedes: ['*'], supersedesScope: 'subtree' },
      ),
    ];
  },
};

// ---- A whole HTTP exchange ----

/** Text of `node`, with the indentation of the line it starts on removed from its other lines. */
function dedentedText(doc: WorkflowDocument, node: JsonNode): string {
  const lineStart = doc.text.lastIndexOf('\n', node.offset - 1) + 1;
  const indent = /^[ \t]*/.exec(doc.text.slice(lineStart, node.offset))?.[0] ?? '';
  const text = doc.text.slice(node.offset, node.offset + node.length);
  return indent.length === 0 ? text : text.split('\n').map((line, i) => (i > 0 && line.startsWith(indent) ? line.slice(indent.length) : line)).join('\n');
}

export const httpExchangeNotBody: Rule = {
  code: 'http-exchange-not-body',
  severity: 'error',
  title: 'A whole HTTP exchange instead of the request body',
  description:
    'Example payloads often wrap the call as { "request": { "method", "url", "headers", "body" }, "response": … }. A workflow file is ' +
    'only the body of POST /v2/consumer/workflows; the wrapper itself cannot be submitted, and its headers may hold a token.',
  fix: 'Keeps only request.body as the whole file.',
  exclusive: true,
  check(ctx: RuleContext): Finding[] {
    const root = ctx.doc.root;
    if (root?.type !== 'object' || memberProperty(root, 'steps')) return [];
    const request = memberProperty(root, 'request');
    const body = memberValue(memberValue(root, 'request'), 'body');
    if (!request || body?.type !== 'object') return [];
    return [
      findingOn(ctx.doc, httpExchangeNotBody, request, 'This file holds a whole HTTP exchange; a workflow file is only the request body. Keep request.body and drop the rest.', {
        pointer: '',
        supersedes: ['*'],
        supersedesScope: 'subtree',
        fixes: [{ title: 'Keep only request.body', isPreferred: true, edits: [{ offset: root.offset, length: root.length, newText: dedentedText(ctx.doc, body) }] }],
      }),
    ];
  },
};

// ---- The older payload shape ----

interface OldShape {
  /** The keys that show the older shape, in document order (the first is where the finding shows). */
  offenders: JsonNode[];
  changes: JsonChange[];
  notes: string[];
  /** Short names of what was found, for the message. */
  found: Set<string>;
  /** Where the contract's complaints are about the older shape (and only there they are replaced). */
  explains: string[];
}

interface Network {
  air: string;
  strength: number;
  /** The older shape's own `type` ("Lora", "TextualInversion"), when given. */
  declaredType?: string;
}

/** `additionalNetworks` as a list `[{air, strength}]` or a map `{air: {strength}}` / `{air: strength}`. */
function readNetworks(node: JsonNode): Network[] {
  const value: unknown = getNodeValue(node);
  const read = (air: unknown, v: unknown): Network | undefined => {
    if (typeof air !== 'string') return undefined;
    if (typeof v === 'number') return { air, strength: v };
    const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
    return {
      air,
      strength: typeof o.strength === 'number' ? o.strength : LORA_IMPLIED_STRENGTH,
      declaredType: typeof o.type === 'string' ? o.type : undefined,
    };
  };
  const entries = Array.isArray(value)
    ? value.map((item) => read((item as { air?: unknown } | null)?.air, item))
    : value && typeof value === 'object'
      ? Object.entries(value).map(([air, v]) => read(air, v))
      : [];
  return entries.filter((e): e is Network => e !== undefined);
}

function isEmbedding(network: Network): boolean {
  const declared = network.declaredType?.toLowerCase();
  return airKindOfType(parseAir(network.air)?.type) === 'embedding' || declared === 'textualinversion' || declared === 'embedding';
}

function convertStep(step: StepView, shape: OldShape): void {
  const input = step.input;
  if (!input) return;
  const base = pathOfNode(input);
  const engineProp = memberProperty(input, 'engine');
  const engineValue = stringMember(input, 'engine');
  // `additionalNetworks` is older only where the step's contract input has no such member (it is
  // current on textToImage, for one).
  const written = memberProperty(input, 'additionalNetworks');
  const leaf = written ? contractLeafOf(step) : undefined;
  const networksProp = leaf && leafMemberSchema(leaf, 'additionalNetworks') ? undefined : written;
  const oldEngine = step.type === 'imageGen' && engineValue !== undefined && isEcosystemId(engineValue);
  if (!oldEngine && !networksProp) return;

  let engine = engineValue === 'comfy' ? 'comfy' : 'sdcpp';
  let ecosystem: EcosystemId | undefined;
  if (oldEngine && engineProp) {
    shape.offenders.push(engineProp);
    shape.explains.push(step.inputPointer);
    shape.found.add(`engine "${engineValue}"`);
    const model = parseAir(stringMember(input, 'model') ?? '');
    ecosystem = isEcosystemId(model?.ecosystem) ? model.ecosystem : (engineValue as EcosystemId);
    const samplerProp = memberProperty(input, 'sampler');
    const samplerValue = stringMember(input, 'sampler');
    const resolution = samplerValue !== undefined ? resolveSamplerName(samplerValue) : undefined;
    engine = resolution?.sdcpp || !resolution?.comfy ? 'sdcpp' : 'comfy';
    shape.changes.push({ kind: 'set', path: [...base, 'engine'], value: engine });
    if (!memberProperty(input, 'ecosystem')) shape.changes.push({ kind: 'set', path: [...base, 'ecosystem'], value: ecosystem, after: 'engine' });
    if (!memberProperty(input, 'operation')) {
      const operation = memberProperty(input, 'image') ? 'createVariant' : 'createImage';
      shape.changes.push({ kind: 'set', path: [...base, 'operation'], value: operation, after: 'ecosystem' });
    }
    if (samplerProp && samplerValue !== undefined) {
      shape.found.add(`sampler "${samplerValue}"`);
      if (resolution?.sdcpp && engine === 'sdcpp') {
        shape.changes.push({ kind: 'rename', path: [...base, 'sampler'], to: 'sampleMethod', value: resolution.sdcpp.sampleMethod });
        if (resolution.sdcpp.schedule && !memberProperty(input, 'schedule')) {
          shape.changes.push({ kind: 'set', path: [...base, 'schedule'], value: resolution.sdcpp.schedule, after: 'sampleMethod' });
        }
      } else if (resolution?.comfy) {
        shape.changes.push({ kind: 'set', path: [...base, 'sampler'], value: resolution.comfy.sampler });
        if (resolution.comfy.scheduler && !memberProperty(input, 'scheduler')) {
          shape.changes.push({ kind: 'set', path: [...base, 'scheduler'], value: resolution.comfy.scheduler, after: 'sampler' });
        }
      } else {
        shape.changes.push({ kind: 'remove', path: [...base, 'sampler'] });
        shape.notes.push(`sampler "${samplerValue}" has no counterpart and was dropped`);
      }
    }
    // Fields the converted step would still be refused for.
    if (!ECOSYSTEMS[ecosystem].clipSkip && memberProperty(input, 'clipSkip')) shape.changes.push({ kind: 'remove', path: [...base, 'clipSkip'] });
    const renames: Record<string, string | null> = { ...FOREIGN_FIELDS[engine as 'sdcpp' | 'comfy'], ...(ECOSYSTEM_FIELD_COUNTERPARTS[ecosystem] ?? {}) };
    for (const [field, target] of Object.entries(renames)) {
      if (field === 'sampler' || field === 'scheduler' || !memberProperty(input, field)) continue;
      if (target === null || memberProperty(input, target)) shape.changes.push({ kind: 'remove', path: [...base, field] });
      else shape.changes.push({ kind: 'rename', path: [...base, field], to: target });
    }
  }

  if (networksProp?.children?.[1]) {
    shape.offenders.push(networksProp);
    shape.explains.push(pointerOfNode(networksProp.children[1]), `${step.inputPointer}/loras`, `${step.inputPointer}/embeddings`);
    shape.found.add('additionalNetworks');
    const networks = readNetworks(networksProp.children[1]);
    const existingLoras = memberValue(input, 'loras');
    const loras: Record<string, number> = existingLoras?.type === 'object' ? (getNodeValue(existingLoras) as Record<string, number>) : {};
    const embeddings: string[] = [];
    for (const n of networks) {
      if (isEmbedding(n)) {
        if (engine === 'sdcpp') embeddings.push(n.air);
        else shape.notes.push(`embedding ${n.air} dropped: comfy takes no embeddings`);
      } else {
        loras[n.air] = n.strength;
      }
    }
    if (existingLoras) {
      shape.changes.push({ kind: 'set', path: [...base, 'loras'], value: loras });
      shape.changes.push({ kind: 'remove', path: [...base, 'additionalNetworks'] });
    } else {
      shape.changes.push({ kind: 'rename', path: [...base, 'additionalNetworks'], to: 'loras', value: loras });
    }
    if (embeddings.length > 0) {
      const existing = memberValue(input, 'embeddings');
      const list = existing?.type === 'array' ? [...(getNodeValue(existing) as string[]), ...embeddings] : embeddings;
      shape.changes.push({ kind: 'set', path: [...base, 'embeddings'], value: list, after: 'loras' });
    }
  }
}

function convertCallbacks(root: JsonNode, shape: OldShape): void {
  const urlProp = memberProperty(root, 'callbackUrl');
  const eventsProp = memberProperty(root, 'callbackEvents');
  const detailedProp = memberProperty(root, 'detailed');
  for (const p of [urlProp, eventsProp, detailedProp]) {
    if (!p?.children?.[1]) continue;
    shape.offenders.push(p);
    shape.explains.push(pointerOfNode(p.children[1]));
  }
  if (!urlProp && !eventsProp && !detailedProp) return;
  shape.found.add([urlProp && 'callbackUrl', eventsProp && 'callbackEvents', detailedProp && 'detailed'].filter(Boolean).join('/'));
  const url = stringMember(root, 'callbackUrl');
  const eventsNode = eventsProp?.children?.[1];
  const detailedNode = detailedProp?.children?.[1];
  if (url !== undefined) {
    const oldEvents: unknown = eventsNode ? getNodeValue(eventsNode) : undefined;
    const events = Array.isArray(oldEvents)
      ? oldEvents.filter((e): e is string => typeof e === 'string').map((e) => {
          const current = currentCallbackEventName(e);
          if (current === undefined) shape.notes.push(`callback event "${e}" has no current name: choose one`);
          return current ?? e;
        })
      : [...CALLBACK_EVENTS_WHEN_DONE];
    const callback: Record<string, unknown> = { url, type: [...new Set(events)] };
    if (detailedNode?.type === 'boolean') callback.detailed = detailedNode.value;
    const existing = memberValue(root, 'callbacks');
    if (existing?.type === 'array') {
      shape.changes.push({ kind: 'set', path: ['callbacks'], value: [...(getNodeValue(existing) as unknown[]), callback] });
      shape.changes.push({ kind: 'remove', path: ['callbackUrl'] });
    } else {
      shape.changes.push({ kind: 'rename', path: ['callbackUrl'], to: 'callbacks', value: [callback] });
    }
  } else if (urlProp || eventsProp) {
    shape.notes.push('callbackEvents without a callbackUrl string were dropped');
  }
  if (eventsProp) shape.changes.push({ kind: 'remove', path: ['callbackEvents'] });
  if (detailedProp) shape.changes.push({ kind: 'remove', path: ['detailed'] });
}

/** Reads the older shape and plans its rewrite; undefined when the file has none of it. */
export function planOlderShapeRewrite(doc: WorkflowDocument, steps: readonly StepView[]): OldShape | undefined {
  const root = doc.root;
  if (root?.type !== 'object') return undefined;
  const shape: OldShape = { offenders: [], changes: [], notes: [], found: new Set(), explains: [] };
  convertCallbacks(root, shape);
  for (const step of steps) convertStep(step, shape);
  if (shape.offenders.length === 0) return undefined;
  shape.offenders.sort((a, b) => a.offset - b.offset);
  return shape;
}

/** What the rewrite writes, in one line: the message shows it rather than pointing at a fix. */
function currentShapeSummary(shape: OldShape): string {
  const parts: string[] = [];
  const sets = (field: string): unknown => {
    const change = shape.changes.find((c) => c.kind === 'set' && c.path.length > 1 && c.path[c.path.length - 1] === field);
    return change?.kind === 'set' ? change.value : undefined;
  };
  const engine = sets('engine');
  if (engine !== undefined) {
    const ecosystem = sets('ecosystem');
    const operation = sets('operation');
    parts.push(`\`"engine": "${String(engine)}"\`${ecosystem !== undefined ? `, \`"ecosystem": "${String(ecosystem)}"\`` : ''}${operation !== undefined ? `, \`"operation": "${String(operation)}"\`` : ''}`);
  }
  for (const c of shape.changes) {
    if (c.kind === 'rename' && c.to === 'sampleMethod') parts.push(`\`"sampleMethod": ${JSON.stringify(c.value)}\``);
    if (c.kind === 'set' && (c.path[c.path.length - 1] === 'schedule' || c.path[c.path.length - 1] === 'scheduler')) parts.push(`\`"${String(c.path[c.path.length - 1])}": ${JSON.stringify(c.value)}\``);
  }
  if (shape.found.has('additionalNetworks')) parts.push('LoRAs as `"loras": { "<AIR>": <strength> }`');
  if ([...shape.found].some((f) => f.includes('callbackUrl') || f.includes('callbackEvents') || f.includes('detailed'))) {
    parts.push('callbacks as `"callbacks": [{ "url": "…", "type": ["workflow:succeeded"] }]`');
  }
  return parts.length > 0 ? parts.join('; ') + ' (the quick fix rewrites the file)' : 'see the quick fix';
}

/** Contract codes the older shape trips, anywhere in the file. */
export const OLDER_SHAPE_SUPERSEDES = ['unknown-property', 'unknown-engine', 'missing-property', 'invalid-enum'];

export const olderPayloadShape: Rule = {
  code: 'older-payload-shape',
  severity: 'error',
  title: 'A submission in the older payload shape',
  description:
    'Older examples (such as the SDXL sample with engine "sdxl", sampler "DPM++ 2M Karras" and additionalNetworks) use a shape the ' +
    'current contract refuses: the engine is sdcpp or comfy with a separate ecosystem and operation, samplers are engine enums, ' +
    'LoRAs are a loras map of AIR to strength, and callbacks are a list of {url, type, detailed}. One finding covers the whole file ' +
    'and replaces the contract\'s complaints about it.',
  fix:
    'Rewrites the file to the current shape: engine + ecosystem (from the model\'s AIR) + operation; the A1111 sampler split into ' +
    'sampler and schedule, on sdcpp when it has both counterparts, else comfy; additionalNetworks to loras (embeddings to embeddings); ' +
    'callbackUrl/callbackEvents/detailed to callbacks with current event names.',
  check(ctx: RuleContext): Finding[] {
    const shape = planOlderShapeRewrite(ctx.doc, ctx.steps);
    if (!shape) return [];
    const edits = editsFor(ctx.doc, shape.changes);
    const notes = shape.notes.length > 0 ? ` (${shape.notes.join('; ')})` : '';
    return [
      findingOn(
        ctx.doc,
        olderPayloadShape,
        shape.offenders[0],
        `This body uses the older payload shape (${[...shape.found].join(', ')}), which the service refuses. ` +
          `The current shape: ${currentShapeSummary(shape)}.`,
        {
          pointer: '',
          supersedes: OLDER_SHAPE_SUPERSEDES,
          supersedesScope: 'subtree',
          supersedesWithin: shape.explains,
          fixes: edits.length > 0 ? [{ title: `Rewrite to the current payload shape${notes}`, isPreferred: shape.notes.length === 0, edits }] : [],
        },
      ),
    ];
  },
};

// ---- A v1 job body ----

export const v1JobBody: Rule = {
  code: 'v1-job-body',
  severity: 'error',
  title: 'A v1 job body (/v1/consumer/jobs) instead of a workflow',
  description:
    'Bodies for the older jobs endpoint put the job itself at the top: `{ "$type": "textToImage", "model": …, "params": { "prompt": … }, ' +
    '"additionalNetworks": … }`. A workflow file is the body of POST /v2/consumer/workflows: a `steps` array whose steps carry ' +
    'their settings in `input`. Reporting each member of the job as "not a field of the workflow" would advise deleting the ' +
    'whole body, so this one finding replaces those complaints.',
  exclusive: true,
  check(ctx: RuleContext): Finding[] {
    const root = ctx.doc.root;
    if (root?.type !== 'object' || memberProperty(root, 'steps')) return [];
    const type = stringMember(root, '$type');
    const typeProp = memberProperty(root, '$type');
    if (type === undefined || !typeProp || !memberProperty(root, 'params')) return [];
    return [
      findingOn(
        ctx.doc,
        v1JobBody,
        typeProp,
        `This is a v1 job body (for /v1/consumer/jobs), not a workflow. A workflow puts the job in a step: ` +
          `\`{ "steps": [{ "$type": "${type}", "input": { … } }] }\`, with the members of \`params\` and the job's other settings ` +
          '(`model`, `additionalNetworks`, `quantity`…) inside `input`.',
        { pointer: '', supersedes: ['*'], supersedesScope: 'subtree' },
      ),
    ];
  },
};

export const PAYLOAD_SHAPE_RULES: readonly Rule[] = [httpExchangeNotBody, responseNotRequest, v1JobBody, olderPayloadShape];
