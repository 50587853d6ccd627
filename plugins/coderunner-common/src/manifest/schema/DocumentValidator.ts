import {
  Document,
  LineCounter,
  Node,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  visit,
} from 'yaml';
import { ManifestError } from '../types';
import { Fields, Position, joinPath, parentPath, setField } from './fields';
import { didYouMean } from '../didYouMean';
import { describeAllowed } from './describeAllowed';
import {
  DocumentSchema,
  MapSchema,
  ObjectSchema,
  SchemaNode,
  StringSchema,
} from './schemaTypes';

/** More alias dereferences than this are refused (guards against alias bombs). */
const MAX_ALIAS_DEREFERENCES = 100;

/** What an alias resolves to once the alias budget is spent; already reported. */
const REFUSED = Symbol('refused alias');

function regexOf(source: string): RegExp {
  return new RegExp(source, 'u');
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** Walks a parsed YAML document along a {@link DocumentSchema}, collecting errors with positions. */
export class DocumentValidator {
  readonly errors: ManifestError[] = [];
  /** Where each field that is present in the file was written: its key and its value. */
  private readonly written = new Map<
    string,
    { key: Position; value: Position }
  >();
  private aliasTargets: Map<Node, Node | undefined> | undefined;
  private aliasesLeft = MAX_ALIAS_DEREFERENCES;
  private readonly regexes = new Map<string, RegExp>();

  constructor(
    private readonly document: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  position(node: unknown, fallback: Position): Position {
    const range = (node as Node | null | undefined)?.range;
    if (!range) {
      return fallback;
    }
    const { line, col } = this.lineCounter.linePos(range[0]);
    return { line, column: col };
  }

  error(path: string, at: Position, message: string): void {
    this.errors.push({ path, line: at.line, column: at.column, message });
  }

  isWritten(path: string): boolean {
    return this.written.has(path);
  }

  /** The value's position if the field is written, else the key of its closest written ancestor. */
  locate(path: string, root: Position): Position {
    const own = this.written.get(path);
    if (own) {
      return own.value;
    }
    for (
      let ancestor = parentPath(path);
      ancestor;
      ancestor = parentPath(ancestor)
    ) {
      const found = this.written.get(ancestor);
      if (found) {
        return found.key;
      }
    }
    return root;
  }

  keyPosition(path: string, root: Position): Position {
    return this.written.get(path)?.key ?? root;
  }

  /**
   * Follows aliases, within a budget: undefined for a dangling alias,
   * {@link REFUSED} once the budget is spent (reported once).
   */
  deref(node: unknown, path: string, at: Position): unknown {
    if (!isAlias(node)) {
      return node;
    }
    this.aliasesLeft -= 1;
    if (this.aliasesLeft === -1) {
      this.error(
        path,
        at,
        `uses more than ${MAX_ALIAS_DEREFERENCES} aliases; write the values out instead`,
      );
    }
    if (this.aliasesLeft < 0) {
      return REFUSED;
    }
    if (!this.aliasTargets) {
      const targets = new Map<Node, Node | undefined>();
      const anchors = new Map<string, Node>();
      visit(this.document, {
        Node: (_key, visited) => {
          if (isAlias(visited)) {
            targets.set(visited, anchors.get(visited.source));
          } else if (visited.anchor) {
            anchors.set(visited.anchor, visited);
          }
        },
      });
      this.aliasTargets = targets;
    }
    return this.aliasTargets.get(node);
  }

  describeGot(node: unknown): string {
    if (isMap(node)) {
      return 'a mapping';
    }
    if (isSeq(node)) {
      return 'a list';
    }
    if (!isScalar(node) || node.value === null || node.value === undefined) {
      return 'nothing';
    }
    if (typeof node.value === 'string') {
      return quote(node.value);
    }
    return node.source ?? String(node.value);
  }

  /** The text of a mapping key, or undefined (with an error) when the key is not plain text. */
  keyText(key: unknown, path: string, at: Position): string | undefined {
    const node = this.deref(key, path, at);
    if (node === REFUSED) {
      return undefined;
    }
    if (isScalar(node)) {
      if (typeof node.value === 'string') {
        return node.value;
      }
      return node.source ?? String(node.value ?? '');
    }
    this.error(
      path,
      at,
      `field names must be plain text, got ${this.describeGot(node)}`,
    );
    return undefined;
  }

  validate(
    schema: SchemaNode,
    rawNode: unknown,
    path: string,
    at: Position,
  ): unknown {
    const node = this.deref(rawNode, path, at);
    if (node === REFUSED) {
      return undefined;
    }
    switch (schema.type) {
      case 'object':
        return this.validateObject(schema, node, path, at);
      case 'map':
        return this.validateMap(schema, node, path, at);
      case 'string':
        return this.validateString(schema, node, path, at);
      default:
        return this.validateScalar(schema, node, path, at);
    }
  }

  private mismatch(
    schema: SchemaNode,
    node: unknown,
    path: string,
    at: Position,
    hint = '',
  ): undefined {
    this.error(
      path,
      at,
      `must be ${describeAllowed(schema)}, got ${this.describeGot(
        node,
      )}${hint}`,
    );
    return undefined;
  }

  private validateString(
    schema: StringSchema,
    node: unknown,
    path: string,
    at: Position,
  ): unknown {
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'string') {
      return this.mismatch(schema, node, path, at);
    }
    const allowed =
      value.length > 0 &&
      (schema.const === undefined || value === schema.const) &&
      (!schema.enum || schema.enum.includes(value)) &&
      (!schema.pattern || this.regex(schema.pattern.regex).test(value));
    if (!allowed) {
      const suggestion = schema.enum && didYouMean(value, schema.enum);
      return this.mismatch(
        schema,
        node,
        path,
        at,
        suggestion ? `; did you mean '${suggestion}'?` : '',
      );
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      this.error(
        path,
        at,
        `must be at most ${schema.maxLength} characters long, got ${value.length}`,
      );
      return undefined;
    }
    return value;
  }

  private validateScalar(
    schema: SchemaNode,
    node: unknown,
    path: string,
    at: Position,
  ): unknown {
    const value = isScalar(node) ? node.value : undefined;
    switch (schema.type) {
      case 'integer':
        if (
          typeof value === 'number' &&
          Number.isInteger(value) &&
          value >= schema.minimum &&
          value <= schema.maximum
        ) {
          return value;
        }
        return this.mismatch(schema, node, path, at);
      case 'boolean':
        return typeof value === 'boolean'
          ? value
          : this.mismatch(schema, node, path, at);
      default:
        if (typeof value === 'string') {
          return value;
        }
        if (typeof value === 'number' || typeof value === 'boolean') {
          return isScalar(node) && node.source !== undefined
            ? node.source
            : String(value);
        }
        return this.mismatch(
          schema,
          node,
          path,
          at,
          isScalar(node) ? '; write "" for an empty value' : '',
        );
    }
  }

  /** Yields each entry of a mapping once, reporting unreadable and duplicate keys. */
  private *entries(node: { items: unknown[] }, path: string, at: Position) {
    const seen = new Map<string, Position>();
    for (const item of node.items) {
      const pair = item as { key: unknown; value: unknown };
      const keyAt = this.position(pair.key, at);
      const name = this.keyText(pair.key, path, keyAt);
      if (name === undefined) {
        continue;
      }
      const fieldPath = joinPath(path, name);
      const first = seen.get(name);
      if (first) {
        this.error(
          fieldPath,
          keyAt,
          `is written twice (first on line ${first.line}); keep one`,
        );
        continue;
      }
      seen.set(name, keyAt);
      const valueAt = this.position(pair.value, keyAt);
      yield { name, fieldPath, keyAt, valueAt, value: pair.value };
    }
  }

  private validateObject(
    schema: ObjectSchema,
    node: unknown,
    path: string,
    at: Position,
  ): unknown {
    if (!isMap(node)) {
      return this.mismatch(schema, node, path, at);
    }
    const allowed = Object.keys(schema.properties);
    const result: Fields = {};
    for (const entry of this.entries(node, path, at)) {
      const property = Object.hasOwn(schema.properties, entry.name)
        ? schema.properties[entry.name]
        : undefined;
      if (!property) {
        const suggestion = didYouMean(entry.name, allowed);
        const hint = suggestion ? `did you mean '${suggestion}'? ` : '';
        this.error(
          entry.fieldPath,
          entry.keyAt,
          `is not a known field; ${hint}allowed here: ${allowed.join(', ')}`,
        );
        continue;
      }
      this.written.set(entry.fieldPath, {
        key: entry.keyAt,
        value: entry.valueAt,
      });
      result[entry.name] = this.validate(
        property,
        entry.value,
        entry.fieldPath,
        entry.valueAt,
      );
    }
    for (const name of schema.required ?? []) {
      if (!this.written.has(joinPath(path, name))) {
        this.error(
          joinPath(path, name),
          at,
          `is required and must be ${describeAllowed(schema.properties[name])}`,
        );
      }
    }
    const ordered: Fields = {};
    for (const [name, property] of Object.entries(schema.properties)) {
      const value = Object.hasOwn(result, name)
        ? result[name]
        : defaultOf(property);
      if (value !== undefined) {
        ordered[name] = value;
      }
    }
    return ordered;
  }

  private validateMap(
    schema: MapSchema,
    node: unknown,
    path: string,
    at: Position,
  ): unknown {
    if (!isMap(node)) {
      return this.mismatch(schema, node, path, at);
    }
    const { pattern, reserved } = schema.keys;
    const result: Fields = {};
    for (const entry of this.entries(node, path, at)) {
      if (!this.regex(pattern.regex).test(entry.name)) {
        this.error(
          entry.fieldPath,
          entry.keyAt,
          `is not a valid name; names must be ${pattern.allowed}`,
        );
        continue;
      }
      if (
        reserved.names.includes(entry.name) ||
        reserved.prefixes.some(prefix => entry.name.startsWith(prefix))
      ) {
        this.error(
          entry.fieldPath,
          entry.keyAt,
          `is reserved: ${reserved.why}`,
        );
        continue;
      }
      this.written.set(entry.fieldPath, {
        key: entry.keyAt,
        value: entry.valueAt,
      });
      setField(
        result,
        entry.name,
        this.validate(
          schema.values,
          entry.value,
          entry.fieldPath,
          entry.valueAt,
        ),
      );
    }
    return result;
  }

  private regex(source: string): RegExp {
    let regex = this.regexes.get(source);
    if (!regex) {
      regex = regexOf(source);
      this.regexes.set(source, regex);
    }
    return regex;
  }
}

/** The value a field takes when it is not written: its default, with nested defaults filled in. */
export function defaultOf(schema: SchemaNode): unknown {
  if (schema.type === 'object' && schema.default) {
    const result: Fields = {};
    for (const [name, property] of Object.entries(schema.properties)) {
      const value = defaultOf(property);
      if (value !== undefined) {
        result[name] = value;
      }
    }
    return result;
  }
  if (schema.type === 'map' && schema.default) {
    return {};
  }
  return schema.type === 'scalar' ? undefined : schema.default;
}
