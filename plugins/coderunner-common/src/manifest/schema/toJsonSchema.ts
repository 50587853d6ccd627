import { DocumentSchema, SchemaNode, SchemaVariant } from './schemaTypes';

/** A JSON Schema (draft 2020-12) document, as plain JSON. @public */
export type JsonSchema = { [key: string]: unknown };

function nodeToJsonSchema(schema: SchemaNode): JsonSchema {
  const description = schema.description;
  switch (schema.type) {
    case 'string':
      return {
        type: 'string',
        description,
        minLength: 1,
        ...(schema.maxLength !== undefined && { maxLength: schema.maxLength }),
        ...(schema.const !== undefined && { const: schema.const }),
        ...(schema.enum && { enum: [...schema.enum] }),
        ...(schema.pattern && { pattern: schema.pattern.regex }),
        ...(schema.default !== undefined && { default: schema.default }),
      };
    case 'integer':
      return {
        type: 'integer',
        description,
        minimum: schema.minimum,
        maximum: schema.maximum,
        ...(schema.default !== undefined && { default: schema.default }),
      };
    case 'boolean':
      return {
        type: 'boolean',
        description,
        ...(schema.default !== undefined && { default: schema.default }),
      };
    case 'scalar':
      return { type: ['string', 'number', 'boolean'], description };
    case 'object':
      return {
        type: 'object',
        description,
        properties: Object.fromEntries(
          Object.entries(schema.properties).map(([name, property]) => [
            name,
            nodeToJsonSchema(property),
          ]),
        ),
        ...(schema.required && { required: [...schema.required] }),
        additionalProperties: false,
        ...(schema.default && { default: {} }),
      };
    default: {
      // 'map'
      const { pattern, reserved } = schema.keys;
      const reservedSchemas: JsonSchema[] = [
        ...(reserved.names.length > 0 ? [{ enum: [...reserved.names] }] : []),
        ...reserved.prefixes.map(prefix => ({ pattern: `^${prefix}` })),
      ];
      return {
        type: 'object',
        description,
        propertyNames: {
          pattern: pattern.regex,
          ...(reservedSchemas.length > 0 && {
            not: { anyOf: reservedSchemas },
          }),
        },
        additionalProperties: nodeToJsonSchema(schema.values),
        ...(schema.default && { default: {} }),
      };
    }
  }
}

/** Nests `leaf` under the dotted `path`, e.g. `run.port` → `{properties: {run: {properties: {port: leaf}}}}`. */
function atPath(path: string, leaf: JsonSchema | false): JsonSchema {
  const [head, ...rest] = path.split('.');
  return {
    properties: {
      [head]: rest.length === 0 ? leaf : atPath(rest.join('.'), leaf),
    },
  };
}

/** `required` at the right depth: `run.command` → `{required: [run], properties: {run: {required: [command]}}}`. */
function requiredAt(path: string): JsonSchema {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) {
    return { required: [head] };
  }
  return { required: [head], ...atPath(head, requiredAt(rest.join('.'))) };
}

function variantToJsonSchema(variant: SchemaVariant): JsonSchema {
  const parts = [
    ...variant.required.map(requiredAt),
    ...Object.keys(variant.forbidden).map(path => atPath(path, false)),
  ];
  return parts.length === 1 ? parts[0] : { allOf: parts };
}

/** Derives a JSON Schema (draft 2020-12) from a document description. */
export function toJsonSchema<T>(document: DocumentSchema<T>): JsonSchema {
  const { property, cases } = document.variants;
  const discriminator = document.root.properties[property];
  const defaultCase =
    discriminator.type === 'string' ? discriminator.default : undefined;
  const rules = document.rules.map(rule => `- ${rule.description}`).join('\n');
  const root = nodeToJsonSchema(document.root);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: document.$id,
    title: document.title,
    ...root,
    description: `${document.root.description}\n\nAlso checked by CodeRunner, beyond this schema:\n${rules}`,
    allOf: Object.entries(cases).map(([value, variant]) => ({
      if: {
        properties: { [property]: { const: value } },
        ...(value !== defaultCase && { required: [property] }),
      },
      then: variantToJsonSchema(variant),
    })),
  };
}
