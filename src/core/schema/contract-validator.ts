// The compiled contract: ajv 8 over schemas/workflow.schema.json, built once and cached.
//
// Compiling the whole schema takes seconds (hundreds of leaves, thousands of reference
// alternatives), and a file uses a handful of them. So dispatch levels are not compiled: every
// `$ref` to a dispatch definition is replaced by a `lazyRef` keyword that this module evaluates
// itself (type object → discriminator present → known value → validate the target), exactly as
// the schema's if/then would, and each leaf is compiled by ajv the first time a file uses it.
// Errors keep ajv's shape (with `parentSchema`, for tracing them back to their definition).
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonSchema } from './json-schema-types';
import { loadWorkflowSchema } from './load-schema';
import { buildSchemaIndex, discriminatorValue, readDispatch, type SchemaIndex } from './schema-index';

/** Annotation keywords VS Code reads; ajv only needs to know they are not typos. */
export const ANNOTATION_KEYWORDS = [
  'markdownDescription',
  'markdownEnumDescriptions',
  'enumDescriptions',
  'defaultSnippets',
  'errorMessage',
  'deprecationMessage',
  'doNotSuggest',
  'suggestSortText',
] as const;

const ROOT_ID = 'workflow';
const DEFINITION_PREFIX = '#/definitions/';

export interface ContractValidator {
  readonly index: SchemaIndex;
  /** Validates a whole workflow value; errors are ajv errors with `parentSchema` set. */
  validate(value: unknown): ErrorObject[];
  /** Validates a value against one definition (used by tests and the emulator for fragments). */
  validateDefinition(name: string, value: unknown, instancePath?: string): ErrorObject[];
  /** Milliseconds spent compiling so far (root + the leaves used). */
  readonly compileMs: number;
}

export function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    allowUnionTypes: true,
    // The schema is generated and checked by its own tests; checking it against the meta-schema
    // on every start would cost time for nothing.
    validateSchema: false,
    strict: true,
    strictRequired: false,
  });
  addFormats(ajv, ['uri', 'date-time']);
  ajv.addVocabulary([...ANNOTATION_KEYWORDS]);
  return ajv;
}

/** Deep copy of the schema with every `$ref` to a dispatch definition turned into `lazyRef`. */
function withLazyDispatch(schema: JsonSchema): JsonSchema {
  const copy = JSON.parse(JSON.stringify(schema)) as JsonSchema;
  const defs = copy.definitions ?? {};
  const dispatchNames = new Set(Object.entries(defs).filter(([n, d]) => readDispatch(n, d)).map(([n]) => n));
  const visit = (node: unknown, insideDispatchDef: boolean): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n, insideDispatchDef);
      return;
    }
    const obj = node as Record<string, unknown>;
    const ref = obj.$ref;
    // Inside a dispatch definition the if/then stays as it is (it is never compiled).
    if (!insideDispatchDef && typeof ref === 'string' && ref.startsWith(DEFINITION_PREFIX) && dispatchNames.has(ref.slice(DEFINITION_PREFIX.length))) {
      delete obj.$ref;
      obj.lazyRef = ref.slice(DEFINITION_PREFIX.length);
      return;
    }
    for (const [key, value] of Object.entries(obj)) {
      if (key === 'enum' || key === 'const' || key === 'default' || key === 'defaultSnippets') continue;
      if (key === 'definitions') {
        for (const [name, def] of Object.entries(value as Record<string, unknown>)) visit(def, dispatchNames.has(name));
      } else {
        visit(value, insideDispatchDef);
      }
    }
  };
  visit(copy, false);
  return copy;
}

function escapePointerSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function createContractValidator(schema: JsonSchema = loadWorkflowSchema()): ContractValidator {
  const prepared = withLazyDispatch(schema);
  // Steps are validated one by one here rather than by ajv: ajv concatenates the errors a custom
  // keyword returns into a fresh array each time, which is quadratic over thousands of steps.
  const stepsSchema = prepared.properties?.steps;
  const stepItems = (stepsSchema?.items as { lazyRef?: string } | undefined)?.lazyRef;
  if (stepsSchema && stepItems) delete stepsSchema.items;
  const index = buildSchemaIndex(prepared);
  const ajv = createAjv();
  const compiled = new Map<string, ValidateFunction>();
  let compileMs = 0;

  const compile = (key: string): ValidateFunction => {
    let fn = compiled.get(key);
    if (!fn) {
      const started = performance.now();
      fn = ajv.getSchema(key);
      compileMs += performance.now() - started;
      if (!fn) throw new Error(`The workflow schema has no ${key}`);
      compiled.set(key, fn);
    }
    return fn;
  };

  const runCompiled = (key: string, value: unknown, instancePath: string): ErrorObject[] => {
    const fn = compile(key);
    // ajv's generated functions take the data context as a second argument; passing the path
    // makes nested errors carry absolute instance paths.
    const call = fn as unknown as (data: unknown, cxt: { instancePath: string; rootData: unknown }) => boolean;
    const ok = call(value, { instancePath, rootData: value });
    return ok ? [] : [...(fn.errors ?? [])];
  };

  const validateAt = (name: string, value: unknown, instancePath: string): ErrorObject[] => {
    const dispatch = index.dispatches.get(name);
    if (!dispatch) return runCompiled(ROOT_ID + DEFINITION_PREFIX + name, value, instancePath);
    const def = index.definitions[name];
    const base = { instancePath, schemaPath: `${DEFINITION_PREFIX}${name}`, data: value };
    if (typeOf(value) !== 'object') {
      return [{ ...base, keyword: 'type', params: { type: 'object' }, message: 'must be object', schema: 'object', parentSchema: def }];
    }
    const record = value as Record<string, unknown>;
    const discriminator = discriminatorValue(dispatch, record);
    if (discriminator === undefined) {
      return [{ ...base, keyword: 'required', params: { missingProperty: dispatch.property }, message: `must have required property '${dispatch.property}'`, schema: def.required, parentSchema: def }];
    }
    const propSchema = def.properties?.[dispatch.property] ?? {};
    const propPath = `${instancePath}/${escapePointerSegment(dispatch.property)}`;
    if (typeof discriminator !== 'string') {
      return [{ instancePath: propPath, schemaPath: `${base.schemaPath}/properties/${dispatch.property}/type`, keyword: 'type', params: { type: 'string' }, message: 'must be string', schema: 'string', parentSchema: propSchema, data: discriminator }];
    }
    const target = dispatch.targets.get(discriminator);
    if (target === undefined) {
      const allowedValues = [...dispatch.targets.keys()];
      const enumError: ErrorObject = { instancePath: propPath, schemaPath: `${base.schemaPath}/properties/${dispatch.property}/enum`, keyword: 'enum', params: { allowedValues }, message: 'must be equal to one of the allowed values', schema: allowedValues, parentSchema: propSchema, data: discriminator };
      // The service reportedly reads enum strings case-insensitively: "Kling" still selects
      // "kling", so the rest of the input is checked against that target (the error mapper turns
      // the enum error into a warning about the spelling).
      const sameLetters = allowedValues.find((v) => v.toLowerCase() === discriminator.toLowerCase());
      if (sameLetters === undefined) return [enumError];
      const record2 = { ...record, [dispatch.property]: sameLetters };
      return [enumError, ...validateAt(dispatch.targets.get(sameLetters)!, record2, instancePath)];
    }
    return validateAt(target, value, instancePath);
  };

  ajv.addKeyword({
    keyword: 'lazyRef',
    schemaType: 'string',
    errors: true,
    validate: function lazyRef(name: string, data: unknown, _parentSchema?: unknown, dataCxt?: { instancePath: string }): boolean {
      const errors = validateAt(name, data, dataCxt?.instancePath ?? '');
      // ajv reads the errors from the function object right after the call returns, so nested
      // (re-entrant) uses of this keyword cannot overwrite each other.
      (lazyRef as unknown as { errors: ErrorObject[] | null }).errors = errors.length > 0 ? errors : null;
      return errors.length === 0;
    },
  });
  ajv.addSchema(prepared, ROOT_ID);

  return {
    index,
    validate: (value) => {
      const errors = runCompiled(ROOT_ID, value, '');
      const steps = (value as { steps?: unknown } | null)?.steps;
      if (stepItems && Array.isArray(steps)) {
        steps.forEach((step, i) => {
          for (const e of validateAt(stepItems, step, `/steps/${i}`)) errors.push(e);
        });
      }
      return errors;
    },
    validateDefinition: (name, value, instancePath = '') => validateAt(name, value, instancePath),
    get compileMs() {
      return compileMs;
    },
  };
}

let shared: ContractValidator | undefined;

/** The process-wide validator over the committed schema, created on first use. */
export function getContractValidator(): ContractValidator {
  shared ??= createContractValidator();
  return shared;
}
