// prompt-dynamic-syntax: `{red|blue} hair` and `__wildcard__` are dynamic-prompt syntax that A1111's
// sd-dynamic-prompts expands before generating. The orchestrator does not: it sends the braces and
// underscores to the text encoder as written, one image for all of them. A sweep expands them.
import type { Finding } from '../findings';
import type { Rule } from '../rules/types';
import { rangeOf } from '../workflow/document';
import { getActiveUserProfiles } from '../ecosystems/profiles';
import { dynamicPrompt, WILDCARD_PATTERN } from '../sweep/dynamic-prompts';
import { promptFields } from './fields';
import { toDocumentSpan } from './json-string';

const DYNAMIC = new RegExp(`\\{[^{}]*\\|[^{}]*\\}|${WILDCARD_PATTERN}`);

export const promptDynamicSyntaxRule: Rule = {
  code: 'prompt-dynamic-syntax',
  severity: 'warning',
  title: 'Dynamic-prompt syntax the service does not expand',
  description:
    '`{a|b}` choices and `__wildcard__` names are expanded by A1111\'s sd-dynamic-prompts extension before generation; the orchestrator has no such step and sends the text as written. Declare the variants in a sweep file (`{"prompt": "variants"}` in NAME.sweep.json, see docs/sweeps.md), which expands them into one step per variant and keeps the prompt each cell used.',
  check(ctx) {
    const out: Finding[] = [];
    for (const field of promptFields(ctx.doc, getActiveUserProfiles())) {
      const text = field.view.value;
      const match = DYNAMIC.exec(text);
      if (!match) continue;
      const variants = dynamicPrompt(text).variants;
      const span = toDocumentSpan(field.view, match.index, match[0].length);
      const count = variants > 1 ? ` (${variants === Number.MAX_SAFE_INTEGER ? 'a great many' : variants} variants)` : '';
      out.push({
        code: promptDynamicSyntaxRule.code,
        severity: promptDynamicSyntaxRule.severity,
        message: `\`${match[0]}\` is dynamic-prompt syntax${count}: the service sends it literally. To get one image per variant, run a sweep with a {"prompt": "variants"} axis.`,
        pointer: field.pointer,
        offset: span.offset,
        length: span.length,
        range: rangeOf(ctx.doc, span.offset, span.length),
      });
    }
    return out;
  },
};
