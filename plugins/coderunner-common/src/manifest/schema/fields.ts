import { ObjectSchema, SchemaNode } from './schemaTypes';

/** A plain mapping of field names to values, as the validator builds them. */
export type Fields = Record<string, unknown>;

/** A 1-based line and column in the manifest text. */
export interface Position {
  line: number;
  column: number;
}

export function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function joinPath(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : name;
}

export function parentPath(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(0, dot);
}

export function getAtPath(value: unknown, path: string): unknown {
  let current = value;
  for (const name of path.split('.')) {
    current = isFields(current) ? current[name] : undefined;
  }
  return current;
}

export function deleteAtPath(value: unknown, path: string): void {
  const parent = getAtPath(value, parentPath(path));
  if (isFields(parent)) {
    delete parent[path.slice(path.lastIndexOf('.') + 1)];
  }
}

/** Sets a field by definition, so that names such as `__proto__` stay ordinary fields. */
export function setField(fields: Fields, name: string, value: unknown): void {
  Object.defineProperty(fields, name, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** The description of the field at a dotted path. */
export function schemaAt(
  root: ObjectSchema,
  path: string,
): SchemaNode | undefined {
  let current: SchemaNode | undefined = root;
  for (const name of path.split('.')) {
    current =
      current?.type === 'object' && Object.hasOwn(current.properties, name)
        ? current.properties[name]
        : undefined;
  }
  return current;
}
