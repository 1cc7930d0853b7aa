// Workflow-level settings: ephemeral runs, callback URLs, and embeddings the prompts never use.
import type { Finding } from '../findings';
import { parseAir } from '../air';
import { getActiveUserProfiles } from '../ecosystems/profiles';
import { editsFor, memberProperty, memberValue, pathOfNode, stringMember } from '../workflow/steps';
import type { Rule, RuleContext } from './types';
import { findingOn, knownSteps } from './support';

export const ephemeralWithoutCallbacks: Rule = {
  code: 'ephemeral-without-callbacks',
  severity: 'info',
  title: 'An ephemeral workflow without callbacks',
  description:
    'An ephemeral workflow is never stored: once it finishes, fetching it returns 404. Its results arrive only through callbacks or a ' +
    'synchronous wait, and the service refuses an ephemeral submission with neither (results-and-webhooks guide). Without callbacks, ' +
    'submitting from this extension therefore waits for the result; add a callback (with detailed: true) to receive it elsewhere.',
  check(ctx: RuleContext): Finding[] {
    const root = ctx.doc.root;
    const ephemeral = root ? memberProperty(root, 'ephemeral') : undefined;
    if (ephemeral?.children?.[1]?.value !== true) return [];
    const callbacks = root ? memberValue(root, 'callbacks') : undefined;
    if (callbacks?.type === 'array' && (callbacks.children?.length ?? 0) > 0) return [];
    return [
      findingOn(
        ctx.doc,
        ephemeralWithoutCallbacks,
        ephemeral,
        'Ephemeral and no callbacks: the results come back only while submit waits (and cannot be fetched afterwards). Add a callback to receive them elsewhere.',
      ),
    ];
  },
};

export const callbackNotHttps: Rule = {
  code: 'callback-not-https',
  severity: 'warning',
  title: 'A callback URL that is not HTTPS',
  description: 'The orchestrator posts events only to HTTPS endpoints (results-and-webhooks guide); any other URL never receives them.',
  fix: 'Offers the same URL with https:// (not applied by lint --fix: the endpoint must actually serve HTTPS).',
  check(ctx: RuleContext): Finding[] {
    const callbacks = ctx.doc.root ? memberValue(ctx.doc.root, 'callbacks') : undefined;
    const out: Finding[] = [];
    for (const callback of callbacks?.type === 'array' ? callbacks.children ?? [] : []) {
      const urlNode = memberValue(callback, 'url');
      if (urlNode?.type !== 'string') continue;
      const url = urlNode.value as string;
      if (/^https:\/\//i.test(url)) continue;
      const fixes = /^http:\/\//i.test(url)
        ? [{ title: 'Use https://', isPreferred: false, edits: editsFor(ctx.doc, [{ kind: 'set', path: pathOfNode(urlNode), value: url.replace(/^http:/i, 'https:') }]) }]
        : [];
      out.push(findingOn(ctx.doc, callbackNotHttps, urlNode, 'The orchestrator only posts to https:// URLs; this callback would never be called.', { fixes }));
    }
    return out;
  },
};

/** Names an embedding may be written as in a prompt, as far as we can know them. */
function embeddingNames(air: string): string[] {
  const names: string[] = [];
  // A user profile whose AIR prefix selects this embedding gives its name.
  const lower = air.toLowerCase();
  const profile = getActiveUserProfiles().find((p) => p.air !== undefined && lower.startsWith(p.air.toLowerCase()));
  if (profile) names.push(profile.name);
  const parsed = parseAir(air);
  if (parsed && !/^\d+$/.test(parsed.id)) {
    // A readable id (e.g. a Hugging Face path "user/repo/EasyNegative.pt") ends with the file name.
    const last = parsed.id.split('/').pop() ?? parsed.id;
    names.push(last.replace(/\.(pt|safetensors|bin)$/i, ''));
  }
  return names.filter((n) => n.length > 0);
}

export const embeddingUnused: Rule = {
  code: 'embedding-unused',
  severity: 'hint',
  title: 'An embedding the prompts never name',
  description:
    'A textual-inversion embedding acts only where the prompt or negative prompt names it (SD1 and SDXL guides). An AIR carries ids, ' +
    'not that name, so the check runs only when the name is known: from your model profile for that AIR, or from a readable id ' +
    '(such as a file path). Embeddings with numeric Civitai ids are not judged, and a prompt supplied by $ref is not read.',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const step of knownSteps(ctx.steps)) {
      const embeddings = memberValue(step.input, 'embeddings');
      if (embeddings?.type !== 'array') continue;
      const prompts: string[] = [];
      let unreadable = false;
      for (const field of ['prompt', 'negativePrompt']) {
        const node = memberValue(step.input, field);
        if (!node || node.type === 'null') continue;
        const text = stringMember(step.input, field);
        if (text === undefined) unreadable = true;
        else prompts.push(text.toLowerCase());
      }
      if (unreadable) continue;
      for (const item of embeddings.children ?? []) {
        if (item.type !== 'string') continue;
        const names = embeddingNames(item.value as string);
        if (names.length === 0) continue;
        if (names.some((n) => prompts.some((p) => p.includes(n.toLowerCase())))) continue;
        const shown = names.map((n) => `"${n}"`).join(' or ');
        out.push(
          findingOn(
            ctx.doc,
            embeddingUnused,
            item,
            `Neither prompt names this embedding (${shown}), so it has no effect; add ${shown} where it should act (often the negative prompt) or remove it.`,
          ),
        );
      }
    }
    return out;
  },
};

export const WORKFLOW_LEVEL_RULES: readonly Rule[] = [ephemeralWithoutCallbacks, callbackNotHttps, embeddingUnused];
