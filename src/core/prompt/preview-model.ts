// What the prompt preview panel shows for the step under the cursor: the prompts as tag chips
// (weights, special tags, CLIP chunks, findings inline), the parameters with contract defaults
// filled in, the output frame, the Buzz estimate and the step's last saved results. Pure data;
// the panel host turns local paths into webview URIs.
import type { Finding } from '../findings';
import type { WorkflowDocument } from '../workflow/document';
import type { HistoryEntry } from '../history/entry';
import { IMAGE_GEN_LEAVES, type ImageGenLeaf } from '../schema/image-gen-leaves.generated';
import { estimateWorkflowCost } from '../cost/estimate';
import { specialTagOf, type ModelProfile } from '../ecosystems/profiles';
import type { NumericRange } from '../ecosystems/table';
import { promptFields, promptStepAt, promptSteps, type PromptField, type PromptStep } from './fields';
import { toDocumentSpan } from './json-string';
import { promptTokenCount } from './clip-tokens';
import { formatNumber } from './edits';
import type { ParameterRow, PreviewFrame, PromptChip, PromptPreviewState, PromptView } from './preview-messages';

export interface PreviewInput {
  readonly doc: WorkflowDocument;
  /** Cursor offset in the document. */
  readonly offset: number;
  readonly fileName: string;
  /** The document's URI as history stores it (`fileUri`), to find earlier results. */
  readonly fileUri?: string;
  /** The document's current findings (the linter's), shown inline. */
  readonly findings: readonly Finding[];
  readonly history?: readonly HistoryEntry[];
  readonly userProfiles?: readonly ModelProfile[];
  /** How many past images to show at most. */
  readonly maxResults?: number;
}

/** A saved image of the step, before the panel host turns its path into a webview URI. */
export interface PreviewResultFile {
  readonly localPath: string;
  readonly label: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly seed: number | null;
}

export interface PreviewModel {
  /** `results` inside is empty: the host fills it from `resultFiles`. */
  readonly state: PromptPreviewState;
  readonly resultFiles: readonly PreviewResultFile[];
}

function leafOf(input: Readonly<Record<string, unknown>>): ImageGenLeaf | undefined {
  const key = `${String(input.engine)}/${String(input.ecosystem)}/${String(input.operation ?? '')}`;
  return (IMAGE_GEN_LEAVES as Readonly<Record<string, ImageGenLeaf>>)[key];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function buildPromptPreview(input: PreviewInput): PreviewModel {
  const steps = promptSteps(input.doc, input.userProfiles);
  const step = promptStepAt(input.doc, input.offset, input.userProfiles) ?? (steps.length === 1 ? steps[0] : undefined);
  if (!step) {
    const message = steps.length === 0 ? 'This file has no imageGen step to preview.' : 'Put the cursor inside an imageGen step to preview it.';
    return { state: { fileName: input.fileName, stepCount: steps.length, step: null, message }, resultFiles: [] };
  }
  const fields = promptFields(input.doc, input.userProfiles).filter((f) => f.step.index === step.index);
  const leaf = leafOf(step.input);
  const profile = step.profile;
  const estimate = estimateWorkflowCost(input.doc.value).steps.find((s) => s.index === step.index);
  const resultFiles = lastResults(step, input);
  const stepValue = (input.doc.value as { steps?: unknown[] }).steps?.[step.index] as Record<string, unknown> | undefined;
  return {
    state: {
      fileName: input.fileName,
      stepCount: steps.length,
      message: null,
      step: {
        index: step.index,
        name: typeof stepValue?.name === 'string' ? stepValue.name : String(step.index),
        engine: str(step.input.engine),
        ecosystem: str(step.input.ecosystem),
        operation: str(step.input.operation),
        profile: profile
          ? { name: profile.name, origin: profile.origin, tagOrder: [...profile.tagOrder], qualityTagPosition: profile.qualityTagPosition ?? null, notes: [...profile.notes] }
          : null,
        prompts: fields.map((f) => promptView(f, input.findings)),
        parameters: parameterRows(step, leaf),
        frame: frame(step, leaf),
        estimate: { buzz: estimate?.buzz ?? null, reason: estimate?.buzz === null || !estimate ? estimate?.reason ?? 'No estimate for this step.' : null },
        results: [],
        resultsNote: resultFiles.length
          ? null
          : input.history === undefined
            ? 'Results history is not available.'
            : 'No saved results for this step yet: submit the workflow to see them here.',
      },
    },
    resultFiles,
  };
}

function overlaps(f: Finding, offset: number, length: number): boolean {
  return f.offset < offset + Math.max(length, 1) && offset < f.offset + Math.max(f.length, 1);
}

function promptView(field: PromptField, findings: readonly Finding[]): PromptView {
  const own = findings.filter((f) => f.pointer === field.pointer);
  const est = field.step.profile?.clipTokenWindow ? promptTokenCount(field.prompt) : undefined;
  const used = new Set<Finding>();
  let tagIndex = 0;
  const chips: PromptChip[] = field.prompt.tokens.map((t) => {
    const span = toDocumentSpan(field.view, t.offset, t.length);
    const hits = own.filter((f) => overlaps(f, span.offset, span.length) && !(f.offset <= field.node.offset && f.length >= field.node.length));
    hits.forEach((h) => used.add(h));
    const chunk = t.kind === 'tag' && est ? est.tagChunks[tagIndex] ?? null : null;
    if (t.kind === 'tag') tagIndex++;
    return {
      kind: t.kind,
      text: t.kind === 'tag' ? t.name : t.kind === 'network' ? t.raw : 'BREAK',
      weight: t.kind === 'tag' ? t.weight : 1,
      special: t.kind !== 'tag' ? null : t.embedding ? 'embedding' : field.step.profile ? specialTagOf(field.step.profile, t.key)?.kind ?? null : null,
      chunk,
      offset: span.offset,
      length: span.length,
      findings: hits.map((h) => ({ code: h.code, severity: h.severity, message: h.message })),
    };
  });
  return {
    field: field.field,
    chips,
    tokens: est ? { count: est.tokens, chunks: est.chunks.length, perChunk: est.chunks.map((c) => c.tokens) } : null,
    encoder: field.step.profile && !field.step.profile.clipTokenWindow ? `${field.step.profile.name} does not use a CLIP text encoder: no 75-token chunks to count.` : null,
    findings: own.filter((f) => !used.has(f)).map((h) => ({ code: h.code, severity: h.severity, message: h.message })),
  };
}

function rangeText(r: NumericRange, recommended?: number): string {
  return `${formatNumber(r.min)}–${formatNumber(r.max)}${recommended !== undefined ? ` (${formatNumber(recommended)})` : ''}`;
}

function parameterRows(step: PromptStep, leaf: ImageGenLeaf | undefined): ParameterRow[] {
  const profile = step.profile;
  const rows: ParameterRow[] = [];
  const engine = step.input.engine;
  const fields: string[] = ['steps', 'cfgScale', engine === 'comfy' ? 'sampler' : 'sampleMethod', engine === 'comfy' ? 'scheduler' : 'schedule', 'seed', 'quantity', 'clipSkip', 'strength', 'denoiseStrength'];
  for (const name of fields) {
    const facts = leaf?.properties[name];
    const written = step.input[name];
    if (!facts && written === undefined) continue;
    const defaulted = written === undefined;
    const value = written ?? facts?.default;
    let shown: string;
    if (value === undefined || value === null) shown = name === 'seed' ? 'random' : 'service default';
    else if (typeof value === 'object') shown = '$ref' in (value as object) ? `from ${String((value as { $ref: unknown }).$ref)}` : JSON.stringify(value);
    else shown = String(value);
    let recommended: string | null = null;
    let within: boolean | null = null;
    if (profile && name === 'steps') {
      recommended = rangeText(profile.steps, profile.recommendedSteps);
      if (typeof value === 'number') within = value >= profile.steps.min && value <= profile.steps.max;
    } else if (profile && name === 'cfgScale') {
      recommended = rangeText(profile.cfgScale, profile.recommendedCfgScale);
      if (typeof value === 'number') within = value >= profile.cfgScale.min && value <= profile.cfgScale.max;
    } else if (profile?.sampler && (name === 'sampleMethod' || name === 'sampler')) {
      const wanted = name === 'sampler' ? profile.sampler.comfy : profile.sampler.sdcpp;
      recommended = wanted ? `${wanted} (${profile.sampler.label})` : profile.sampler.label;
      if (typeof value === 'string' && wanted) within = value === wanted;
    }
    rows.push({ name, value: shown, defaulted, recommended, withinRecommendation: within });
  }
  return rows;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function frame(step: PromptStep, leaf: ImageGenLeaf | undefined): PreviewFrame | null {
  const w = typeof step.input.width === 'number' ? step.input.width : leaf?.properties.width?.default;
  const h = typeof step.input.height === 'number' ? step.input.height : leaf?.properties.height?.default;
  if (typeof w !== 'number' || typeof h !== 'number' || w <= 0 || h <= 0 || !Number.isInteger(w) || !Number.isInteger(h)) return null;
  const g = gcd(w, h);
  const sizes = step.profile?.resolutions ?? [];
  return {
    width: w,
    height: h,
    megapixels: Math.round((w * h) / 10_000) / 100,
    aspect: `${w / g}:${h / g}`,
    defaulted: typeof step.input.width !== 'number' || typeof step.input.height !== 'number',
    recommendedSize: sizes.some((s) => s.width === w && s.height === h),
  };
}

function lastResults(step: PromptStep, input: PreviewInput): PreviewResultFile[] {
  if (!input.history || !input.fileUri) return [];
  const max = input.maxResults ?? 8;
  const entries = input.history.filter((e) => e.fileUri === input.fileUri).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const entry of entries) {
    const images = entry.images.filter((i) => i.stepIndex === step.index && i.localPath && !i.withheld);
    if (images.length === 0) continue;
    return images.slice(0, max).map((i) => ({
      localPath: i.localPath!,
      label: `${entry.label} · #${i.index + 1}${typeof i.seed === 'number' ? ` · seed ${i.seed}` : ''}`,
      width: i.width ?? null,
      height: i.height ?? null,
      seed: typeof i.seed === 'number' ? i.seed : null,
    }));
  }
  return [];
}
