// The stable codes of the linter's own findings: syntax, document shape and the contract (schema)
// pass. Rules add their own codes in src/core/rules. docs/rules.md is generated from this table.
import type { Severity } from '../findings';

export interface CodeInfo {
  code: string;
  severity: Severity;
  /** One line: what the finding says. */
  title: string;
  /** Why it matters and where the fact comes from. */
  description: string;
}

export const CONTRACT_CODES = {
  'json-syntax': {
    code: 'json-syntax',
    severity: 'error',
    title: 'The file is not valid JSON',
    description:
      'The service accepts strict JSON only: no comments, no trailing commas, strings in double quotes. ' +
      'The rest of the file is still checked as far as it could be read, but checks that a broken ' +
      'region could have caused (missing fields of an unfinished object, the value that contains the ' +
      'error) are held back until the syntax is fixed.',
  },
  'file-encoding': {
    code: 'file-encoding',
    severity: 'error',
    title: 'The file is not saved as UTF-8',
    description:
      'The service reads the workflow as UTF-8 JSON. A file saved as UTF-16 or UTF-32 (some Windows ' +
      'editors and PowerShell redirection do this) is one problem, reported once on the first line, ' +
      'not as hundreds of syntax errors: save it as UTF-8 (in VS Code: the encoding in the status bar, ' +
      'Save with Encoding, UTF-8). Nothing else is checked until then.',
  },
  'invalid-utf8': {
    code: 'invalid-utf8',
    severity: 'error',
    title: 'Bytes that are not valid UTF-8',
    description:
      'Bytes that are not UTF-8 (often text pasted from a file in another encoding, such as Latin-1 ' +
      '`é`) are read as the replacement character U+FFFD, which is what the service would receive. ' +
      'Each place is reported (the editor shows such bytes as `\uFFFD` too); retype the text there. ' +
      'After 20 places the rest are counted in one finding.',
  },
  'nesting-too-deep': {
    code: 'nesting-too-deep',
    severity: 'error',
    title: 'Arrays or objects nested too deep to check',
    description:
      'A workflow is a few levels deep; a file nesting arrays or objects more than 256 levels is not one ' +
      '(usually generated or pasted by mistake). Checking it would exhaust the parser\'s stack, so the ' +
      'linter reports where the limit is passed and checks nothing else until the nesting is fixed.',
  },
  'not-an-object': {
    code: 'not-an-object',
    severity: 'error',
    title: 'A workflow file must hold one JSON object',
    description:
      'A workflow file is the body of `POST /v2/consumer/workflows`: an object with a `steps` array. ' +
      'An empty file, an array, a string, a number or `null` cannot be submitted.',
  },
  'unknown-property': {
    code: 'unknown-property',
    severity: 'error',
    title: 'Field not allowed here',
    description:
      'The contract closes every object (`additionalProperties: false`); the service drops a field it does ' +
      'not know without a word, so the setting silently has no effect. Inside a step input the allowed fields depend on the combination of ' +
      '`$type`, `engine`, `ecosystem` and `operation`; the message names the combination and, where the ' +
      'guides document one, the field to use instead (e.g. `sampleMethod` rather than `sampler` on sdcpp), ' +
      'or the current name of a field the recipes still write under an older one (`numInferenceSteps` → `steps`, ' +
      '`fps` → `frameRate`), with a quick fix that renames it.',
  },
  'missing-property': {
    code: 'missing-property',
    severity: 'error',
    title: 'Required field missing',
    description:
      'The contract requires this field for the object (or for the chosen engine, ecosystem and ' +
      'operation). Shown on the opening brace of the object that lacks it. A request never has to send ' +
      'what the service sets or fills in itself, even where the contract lists it as required: members ' +
      'marked `readOnly`, members with a default (in the contract, in its prose such as "Defaults to false", ' +
      'or in a recipe\'s parameter table), and discriminators with a default (Grok\'s `version`, Wan\'s ' +
      '`provider`…, which then select the default\'s fields). The contract also lists `currencies` as ' +
      'required, but the service accepts workflows without it and every documented example omits it, so it ' +
      'is not reported.',
  },
  'wrong-type': {
    code: 'wrong-type',
    severity: 'error',
    title: 'Value of the wrong type',
    description:
      'The contract declares the JSON type of every field (string, integer, number, boolean, array, ' +
      'object, or null where allowed). Quoted numbers such as `"512"` are strings and are refused.',
  },
  'invalid-enum': {
    code: 'invalid-enum',
    severity: 'error',
    title: 'Value is not one of the allowed values',
    description:
      'The field takes one of a fixed list of values (a sampler, a scheduler, a priority…). The message ' +
      'lists them and, when the value is the other engine\'s name for a sampler or scheduler, its ' +
      'counterpart.',
  },
  'enum-case': {
    code: 'enum-case',
    severity: 'warning',
    title: 'Allowed value written with other capitals',
    description:
      'The value matches one of the allowed values except for upper and lower case (`"Standard"` for `"standard"`). ' +
      'Production clients send such values and report that the service matches enum strings case-insensitively, so ' +
      'this is not an error; the quick fix writes the contract\'s spelling, which every tool reads the same way.',
  },
  'out-of-range': {
    code: 'out-of-range',
    severity: 'error',
    title: 'Number outside the allowed range',
    description:
      'The contract bounds the number for this combination (e.g. width and height: 64–2048 on sdcpp, ' +
      'but at most 1024 for comfy + sd1, where the guides say 2048; the contract is what the service ' +
      'enforces). The message gives the bound and, where another engine allows the value, names it.',
  },
  'too-long': {
    code: 'too-long',
    severity: 'error',
    title: 'Text longer than allowed',
    description: 'The contract caps the length of this string (prompts: 10 000 characters on the SD engines).',
  },
  'too-short': {
    code: 'too-short',
    severity: 'error',
    title: 'Text shorter than allowed',
    description: 'The contract requires at least this many characters (e.g. `externalId` cannot be empty).',
  },
  'too-many-items': {
    code: 'too-many-items',
    severity: 'error',
    title: 'Array longer than allowed',
    description: 'The contract caps the number of items (e.g. at most 10 workflow `tags`).',
  },
  'too-few-items': {
    code: 'too-few-items',
    severity: 'error',
    title: 'Array shorter than allowed',
    description: 'The contract requires at least this many items (e.g. a workflow needs at least one step).',
  },
  'duplicate-items': {
    code: 'duplicate-items',
    severity: 'error',
    title: 'Array items must be unique',
    description: 'The contract forbids repeated items in this array (e.g. workflow `tags`).',
  },
  'invalid-format': {
    code: 'invalid-format',
    severity: 'error',
    title: 'Text does not have the required format',
    description:
      'The string must match the contract\'s pattern or format: an AIR for models and LoRAs ' +
      '(`urn:air:<ecosystem>:<type>:<source>:<id>@<version>`), letters, digits, `_` and `-` for ' +
      '`externalId`, an absolute URI for callback URLs.',
  },
  'invalid-value': {
    code: 'invalid-value',
    severity: 'error',
    title: 'Value does not match any allowed shape',
    description: 'The field accepts several shapes (e.g. a string, a number or a pair of numbers) and the value is none of them.',
  },
  'unknown-step-type': {
    code: 'unknown-step-type',
    severity: 'error',
    title: 'Unknown step `$type`',
    description:
      'A step\'s `$type` selects its input schema; the contract defines a fixed set (imageGen, videoGen, ' +
      'imageUpscaler…). The message lists the valid types and the closest match.',
  },
  'unknown-engine': {
    code: 'unknown-engine',
    severity: 'error',
    title: 'Unknown `engine`',
    description:
      'The `engine` of a step input selects which provider runs it. Older payloads used the model family ' +
      'as the engine (`"engine": "sdxl"`); the current shape is `engine: "sdcpp"` (or `"comfy"`) with ' +
      '`ecosystem: "sdxl"` and an `operation`.',
  },
  'unknown-ecosystem': {
    code: 'unknown-ecosystem',
    severity: 'error',
    title: 'Unknown `ecosystem` for this engine',
    description:
      'The `ecosystem` names the model family (sd1, sdxl, anima, flux1…). Each engine supports its own ' +
      'set; the message lists them and the engines that do support the value.',
  },
  'unknown-operation': {
    code: 'unknown-operation',
    severity: 'error',
    title: 'Unknown `operation` for this engine and ecosystem',
    description:
      'The `operation` picks text-to-image (`createImage`), image-to-image (`createVariant`) or editing ' +
      '(`editImage`); each engine + ecosystem supports its own set.',
  },
  'internal-error': {
    code: 'internal-error',
    severity: 'error',
    title: 'The checker itself failed',
    description:
      'A check crashed on this file. The file may be fine; the other checks still ran. Please report the ' +
      'file that triggers it.',
  },
} as const satisfies Record<string, CodeInfo>;

export type ContractCode = keyof typeof CONTRACT_CODES;

export const CONTRACT_CODE_LIST: readonly CodeInfo[] = Object.values(CONTRACT_CODES);
