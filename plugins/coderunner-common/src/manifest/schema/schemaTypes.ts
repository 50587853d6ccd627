/**
 * A small declarative schema language. The manifest is described once in it;
 * the validator and the published JSON Schema are both derived from that one
 * description, so they cannot disagree.
 */

interface DescribedSchema {
  /** Shown in editors (JSON Schema `description`) and in the docs. */
  description: string;
}

/** A non-empty string. */
export interface StringSchema extends DescribedSchema {
  type: 'string';
  const?: string;
  enum?: readonly string[];
  /** An ECMAScript regular expression and, for error messages, what it allows in words. */
  pattern?: { regex: string; allowed: string };
  maxLength?: number;
  default?: string;
}

export interface IntegerSchema extends DescribedSchema {
  type: 'integer';
  minimum: number;
  maximum: number;
  default?: number;
}

export interface BooleanSchema extends DescribedSchema {
  type: 'boolean';
  default?: boolean;
}

/** A string, number or boolean, kept as the text written in the file. */
export interface ScalarSchema extends DescribedSchema {
  type: 'scalar';
}

/** A mapping with a fixed set of fields. */
export interface ObjectSchema extends DescribedSchema {
  type: 'object';
  properties: Readonly<Record<string, SchemaNode>>;
  required?: readonly string[];
  /** Filled in when the field is absent; its own fields then get their defaults. */
  default?: Record<string, never>;
}

/** A mapping from free-form names to values of one schema. */
export interface MapSchema extends DescribedSchema {
  type: 'map';
  keys: {
    pattern: { regex: string; allowed: string };
    reserved: {
      names: readonly string[];
      prefixes: readonly string[];
      why: string;
    };
  };
  values: SchemaNode;
  default?: Record<string, never>;
}

export type SchemaNode =
  | StringSchema
  | IntegerSchema
  | BooleanSchema
  | ScalarSchema
  | ObjectSchema
  | MapSchema;

/**
 * Fields that one value of a discriminating field requires or forbids, e.g.
 * `kind: worker` forbids `run.port`. Paths are dotted from the root.
 */
export interface SchemaVariant {
  required: readonly string[];
  forbidden: Readonly<Record<string, string>>;
}

/** Reports a problem at a dotted path; the validator finds its line and column. */
export type ReportProblem = (path: string, message: string) => void;

/**
 * A rule across several fields that JSON Schema cannot express (such as
 * `scaling.min <= scaling.max`). It may also fill in defaults that depend on
 * other fields. Its description is published in the JSON Schema.
 */
export interface SchemaRule<T> {
  description: string;
  apply(
    value: T,
    context: { report: ReportProblem; isWritten(path: string): boolean },
  ): void;
}

/** The root of a document description. */
export interface DocumentSchema<T> {
  title: string;
  $id: string;
  root: ObjectSchema;
  variants: {
    /** A top-level string field with an `enum` and a `default`. */
    property: string;
    cases: Readonly<Record<string, SchemaVariant>>;
  };
  rules: readonly SchemaRule<T>[];
}
