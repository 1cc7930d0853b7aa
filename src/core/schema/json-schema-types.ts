// Minimal structural types for the two schema dialects the generator reads and writes:
// OpenAPI 3.1 component schemas (input) and draft-07 JSON Schema with VS Code's extensions (output).

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface OpenApiDiscriminator {
  propertyName: string;
  mapping?: Record<string, string>;
}

/** Validation keywords OpenAPI 3.1 schemas and draft-07 JSON Schemas share, with the same meaning. */
interface ValueKeywords {
  type?: string | string[];
  enum?: JsonValue[];
  const?: JsonValue;
  format?: string;
  default?: JsonValue;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

/** The subset of OpenAPI 3.1 schema keywords the contract uses. */
export interface OpenApiSchema extends ValueKeywords {
  $ref?: string;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  additionalProperties?: boolean | OpenApiSchema;
  allOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  discriminator?: OpenApiDiscriminator;
  description?: string;
  readOnly?: boolean;
  example?: JsonValue;
}

export interface OpenApiDocument {
  openapi: string;
  info?: { title?: string; version?: string };
  components: { schemas: Record<string, OpenApiSchema> };
}

export interface DefaultSnippet {
  label: string;
  description?: string;
  markdownDescription?: string;
  body: JsonValue;
}

/** Draft-07 JSON Schema plus the annotation keywords VS Code's JSON language service reads. */
export interface JsonSchema extends ValueKeywords {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $comment?: string;
  title?: string;
  description?: string;
  markdownDescription?: string;
  markdownEnumDescriptions?: string[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
  readOnly?: boolean;
  defaultSnippets?: DefaultSnippet[];
  errorMessage?: string;
  deprecationMessage?: string;
  definitions?: Record<string, JsonSchema>;
}
