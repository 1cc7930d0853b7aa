// Members of a step input that the service sets itself: the contract marks them `readOnly`
// (training's `usesStepPricing`, `defaultSteps`, `maxBatchSize`; the size of a Qwen 20B edit,
// taken from the source image). A request does not send them; one that does is ignored.
import type { Finding } from '../findings';
import { editsFor, pathOfNode } from '../workflow/steps';
import type { Rule, RuleContext } from './types';
import { contractLeafOf, findingOn, leafMemberSchema } from './support';

export const serverManagedField: Rule = {
  code: 'server-managed-field',
  severity: 'warning',
  title: 'A member the service sets itself',
  description:
    'The contract marks some input members `readOnly`: the service fills them in (pricing flags and limits of a training ' +
    'ecosystem, the size of an edit taken from its source image) and shows them in the workflow it returns. They are never ' +
    'required in a request, even where the contract also lists them as required, and a value sent for one is not what the ' +
    'service uses.',
  fix: 'Removes the member.',
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const step of ctx.steps) {
      const leaf = contractLeafOf(step);
      if (!leaf || !step.input) continue;
      for (const property of step.input.children ?? []) {
        const key = property.children?.[0];
        const value = property.children?.[1];
        if (!key || !value || typeof key.value !== 'string') continue;
        if (leafMemberSchema(leaf, key.value)?.readOnly !== true) continue;
        out.push(
          findingOn(ctx.doc, serverManagedField, property, `The service sets \`${key.value}\` itself (the contract marks it read-only); the value sent here is not the one it uses. Remove it.`, {
            fixes: [{ title: `Remove "${key.value}"`, isPreferred: true, edits: editsFor(ctx.doc, [{ kind: 'remove', path: pathOfNode(value) }]) }],
          }),
        );
      }
    }
    return out;
  },
};

export const SERVER_MANAGED_RULES: readonly Rule[] = [serverManagedField];
