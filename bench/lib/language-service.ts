// VS Code's own JSON validation, as its JSON language server runs it for our `jsonValidation`
// contribution: the schema associated by fileMatch, the document parsed on every change, then
// doValidation. Driving vscode-json-languageservice directly measures exactly that work.
import { getLanguageService, TextDocument, type LanguageService } from 'vscode-json-languageservice';
import type { JsonSchema } from '../../src/core/schema/json-schema-types';

export interface JsonValidator {
  /** Parses and validates like the JSON server does per change; resolves to the diagnostic count. */
  validate(text: string): Promise<number>;
  /** The same, with each diagnostic's place as offsets (for tests of the schema variants). */
  diagnostics(text: string): Promise<Array<{ offset: number; end: number; message: string }>>;
}

let version = 0;

export function createJsonValidator(schema: JsonSchema, uri = 'file:///bench/schemas/workflow.schema.json'): JsonValidator {
  const service: LanguageService = getLanguageService({
    // The schema is given inline below; anything else it asked for would be a bug in the bench.
    schemaRequestService: (requested) => Promise.reject(new Error(`unexpected schema request: ${requested}`)),
  });
  service.configure({ validate: true, allowComments: false, schemas: [{ uri, fileMatch: ['*.civitai.json'], schema: schema as object }] });
  const run = async (text: string) => {
    const document = TextDocument.create('file:///bench/workspace/bench.civitai.json', 'json', ++version, text);
    const parsed = service.parseJSONDocument(document);
    return { document, diagnostics: await service.doValidation(document, parsed) };
  };
  return {
    async validate(text) {
      return (await run(text)).diagnostics.length;
    },
    async diagnostics(text) {
      const { document, diagnostics } = await run(text);
      return diagnostics.map((d) => ({ offset: document.offsetAt(d.range.start), end: document.offsetAt(d.range.end), message: typeof d.message === 'string' ? d.message : d.message.value }));
    },
  };
}
