// Small helpers every rule family shares: building findings, and looking up the contract leaf and
// the ecosystem facts of a step.
import type { Finding, Fix } from '../findings';
import { ECOSYSTEMS, isEcosystemId, type EcosystemFacts, type EcosystemId } from '../ecosystems/table';
import { IMAGE_GEN_LEAVES, type ImageGenLeaf, type LeafPropertyFacts } from '../schema/image-gen-leaves.generated';
import { pointerOfNode, rangeOf, type JsonNode, type WorkflowDocument } from '../workflow/document';
import { memberProperty, memberValue, type StepView } from '../workflow/steps';
import type { Rule } from './types';
import { getNodeValue } from 'jsonc-parser';
// Through validate.ts: in the extension that module is a stub for the lazily loaded contract bundle.
import { contractIndex } from '../schema/validate';
import { leafForInput, type LeafInfo } from '../schema/schema-index';
import type { JsonSchema } from '../schema/json-schema-types';

export interface FindingExtras {
  fixes?: Fix[];
  supersedes?: string[];
  supersedesScope?: 'pointer' | 'subtree';
  supersedesWithin?: string[];
  /** The pointer the finding is about, when it differs from the node it is shown on. */
  pointer?: string;
}

/**
 * A finding of `rule` shown on `node`. A property node is shown on its key (what a reader scans
 * for) and is about its value's pointer.
 */
export function findingOn(doc: WorkflowDocument, rule: Rule, node: JsonNode, message: string, extras: FindingExtras = {}): Finding {
  const shown = node.type === 'property' ? node.children?.[0] ?? node : node;
  const finding: Finding = {
    code: rule.code,
    severity: rule.severity,
    message,
    pointer: extras.pointer ?? pointerOfNode(node),
    offset: shown.offset,
    length: shown.length,
    range: rangeOf(doc, shown.offset, shown.length),
  };
  if (extras.fixes && extras.fixes.length > 0) finding.fixes = extras.fixes;
  if (extras.supersedes) finding.supersedes = extras.supersedes;
  if (extras.supersedesScope) finding.supersedesScope = extras.supersedesScope;
  if (extras.supersedesWithin) finding.supersedesWithin = extras.supersedesWithin;
  return finding;
}

/** Sdcpp and comfy steps of the ecosystems the guides document (the ones these rules know). */
export interface KnownStep extends StepView {
  readonly input: JsonNode;
  readonly engine: 'sdcpp' | 'comfy';
  readonly ecosystem: EcosystemId;
  readonly facts: EcosystemFacts;
  /** The contract leaf for engine/ecosystem/operation, when the operation names one. */
  readonly leaf?: ImageGenLeaf;
}

// A rule context's steps are built once per lint and never change, and a dozen rules ask for the
// same known steps: build them once per steps list (a 1000-step lint spent ~15% of its time here).
const knownStepsCache = new WeakMap<readonly StepView[], readonly KnownStep[]>();

export function knownSteps(steps: readonly StepView[]): readonly KnownStep[] {
  let known = knownStepsCache.get(steps);
  if (!known) {
    known = buildKnownSteps(steps);
    knownStepsCache.set(steps, known);
  }
  return known;
}

function buildKnownSteps(steps: readonly StepView[]): KnownStep[] {
  const out: KnownStep[] = [];
  for (const step of steps) {
    if (step.type !== 'imageGen' || !step.input) continue;
    if (step.engine !== 'sdcpp' && step.engine !== 'comfy') continue;
    if (!isEcosystemId(step.ecosystem)) continue;
    const key = `${step.engine}/${step.ecosystem}/${step.operation ?? ''}`;
    const leaf = (IMAGE_GEN_LEAVES as Readonly<Record<string, ImageGenLeaf>>)[key];
    out.push({ ...step, input: step.input, engine: step.engine, ecosystem: step.ecosystem, facts: ECOSYSTEMS[step.ecosystem], leaf });
  }
  return out;
}

export function leafProperty(step: KnownStep, field: string): LeafPropertyFacts | undefined {
  return step.leaf?.properties[field];
}

/** A numeric field's value as the service will use it: the written number, or the contract default. */
export interface EffectiveNumber {
  value: number;
  /** The value node when written; undefined when the default applies. */
  node?: JsonNode;
  property?: JsonNode;
}

/**
 * Undefined when the value is not a plain number (a `$ref`, a string…) or when it is absent and
 * the contract gives no default: rules then have nothing to judge.
 */
export function effectiveNumber(step: KnownStep, field: string): EffectiveNumber | undefined {
  const property = memberProperty(step.input, field);
  const node = property?.children?.[1];
  if (node) return node.type === 'number' ? { value: node.value as number, node, property } : undefined;
  const fallback = leafProperty(step, field)?.default;
  return typeof fallback === 'number' ? { value: fallback } : undefined;
}

/** The node a finding about the step's input as a whole is shown on: the `input` key. */
export function inputAnchor(step: StepView): JsonNode {
  return memberProperty(step.node, 'input') ?? step.node;
}

export function isStringNode(node: JsonNode | undefined): node is JsonNode & { value: string } {
  return node?.type === 'string';
}

export { memberValue };

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** `a`–`b` for messages. */
export function rangeText(range: { min: number; max: number }): string {
  return `${range.min}–${range.max}`;
}

const contractLeaves = new WeakMap<StepView, LeafInfo | null>();

/** The contract leaf a step's input selects (any step type), from the generated schema; once per step. */
export function contractLeafOf(step: StepView): LeafInfo | undefined {
  if (!step.type || !step.input) return undefined;
  let leaf = contractLeaves.get(step);
  if (leaf === undefined) {
    // Dispatch reads only scalar members (the discriminators): no need to build the whole value.
    const scalars: Record<string, unknown> = {};
    for (const property of step.input.children ?? []) {
      const key = property.children?.[0]?.value;
      const value = property.children?.[1];
      if (typeof key === 'string' && value) scalars[key] = value.type === 'string' || value.type === 'null' ? getNodeValue(value) : {};
    }
    leaf = leafForInput(contractIndex(), step.type, scalars) ?? null;
    contractLeaves.set(step, leaf);
  }
  return leaf ?? undefined;
}

/** A member's own schema in a leaf: through the reference alternative and shared (hoisted) definitions. */
export function leafMemberSchema(leaf: LeafInfo, member: string): JsonSchema | undefined {
  const { definitions } = contractIndex();
  let schema = definitions[leaf.name]?.properties?.[member];
  for (let i = 0; schema && i < 6; i++) {
    if (schema.anyOf && schema.anyOf.length === 2 && schema.anyOf[1].$ref?.endsWith('/WorkflowReference')) schema = schema.anyOf[0];
    else if (schema.$ref?.startsWith('#/definitions/')) schema = definitions[schema.$ref.slice('#/definitions/'.length)];
    else break;
  }
  return schema;
}
