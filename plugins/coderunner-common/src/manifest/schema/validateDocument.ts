import { Document, LineCounter } from 'yaml';
import { ManifestError } from '../types';
import { describeAllowed } from './describeAllowed';
import { DocumentValidator } from './DocumentValidator';
import {
  deleteAtPath,
  getAtPath,
  isFields,
  parentPath,
  schemaAt,
} from './fields';
import { DocumentSchema } from './schemaTypes';

/**
 * Validates a parsed YAML document against a document description: field
 * types and values, unknown and duplicate fields, the variant chosen by the
 * discriminating field, then the cross-field rules. Fills in defaults.
 */
export function validateDocument<T>(
  schema: DocumentSchema<T>,
  document: Document.Parsed,
  lineCounter: LineCounter,
): { value?: T; errors: ManifestError[] } {
  const validator = new DocumentValidator(document, lineCounter);
  const root = validator.position(document.contents, { line: 1, column: 1 });
  const value = validator.validate(schema.root, document.contents, '', root);
  if (!isFields(value)) {
    return { errors: validator.errors };
  }

  const { property, cases } = schema.variants;
  const variant =
    typeof value[property] === 'string'
      ? cases[value[property] as string]
      : undefined;
  for (const [path, reason] of Object.entries(variant?.forbidden ?? {})) {
    if (validator.isWritten(path)) {
      validator.error(
        path,
        validator.keyPosition(path, root),
        `is not allowed when ${property} is '${value[property]}': ${reason}`,
      );
    }
    deleteAtPath(value, path);
  }
  for (const path of variant?.required ?? []) {
    const parent = parentPath(path);
    if (
      !validator.isWritten(path) &&
      (!parent || isFields(getAtPath(value, parent)))
    ) {
      const field = schemaAt(schema.root, path);
      const allowed = field ? ` and must be ${describeAllowed(field)}` : '';
      validator.error(
        path,
        validator.locate(path, root),
        `is required when ${property} is '${value[property]}'${allowed}`,
      );
    }
  }
  if (validator.errors.length > 0) {
    return { errors: validator.errors };
  }

  const manifest = value as T;
  const report = (path: string, message: string) =>
    validator.error(path, validator.locate(path, root), message);
  for (const rule of schema.rules) {
    rule.apply(manifest, {
      report,
      isWritten: path => validator.isWritten(path),
    });
  }
  return validator.errors.length > 0
    ? { errors: validator.errors }
    : { value: manifest, errors: [] };
}
