import { SchemaNode } from './schemaTypes';

function quoteList(values: readonly string[]): string {
  const quoted = values.map(value => `'${value}'`);
  return quoted.length <= 2
    ? quoted.join(' or ')
    : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** What a schema node accepts, as the end of a sentence starting "must be". */
export function describeAllowed(schema: SchemaNode): string {
  switch (schema.type) {
    case 'string':
      if (schema.const !== undefined) {
        return `'${schema.const}'`;
      }
      if (schema.enum) {
        return `one of ${quoteList(schema.enum)}`;
      }
      if (schema.pattern) {
        return schema.pattern.allowed;
      }
      return 'a non-empty string';
    case 'integer':
      return `an integer from ${schema.minimum} to ${schema.maximum}`;
    case 'boolean':
      return 'true or false';
    case 'scalar':
      return 'a string, number or boolean';
    case 'object':
      return `a mapping with the fields ${Object.keys(schema.properties).join(
        ', ',
      )}`;
    default: // 'map'
      return 'a mapping of NAME: value';
  }
}
