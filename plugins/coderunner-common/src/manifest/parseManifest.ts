import { LineCounter, YAMLError, parseDocument } from 'yaml';
import { manifestSchema } from './manifestSchema';
import { nestingDepth } from './nestingDepth';
import { validateDocument } from './schema/validateDocument';
import { ManifestError, ParseManifestResult } from './types';

/** Larger files are refused before parsing; real manifests are a few hundred bytes. */
const MAX_MANIFEST_LENGTH = 256 * 1024;
/** A manifest nests 4 levels deep; far deeper input is refused before it can exhaust the stack. */
const MAX_NESTING = 64;
/** Beyond this many errors the rest are summarised in one line. */
const MAX_ERRORS = 50;

function fileError(message: string, line = 1, column = 1): ManifestError {
  return { path: '', line, column, message };
}

function syntaxError(
  error: YAMLError,
  lineCounter: LineCounter,
): ManifestError {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  const message = error.message.replace(/\s+/g, ' ').trim();
  return fileError(`YAML syntax: ${message}`, line, col);
}

function byPosition(a: ManifestError, b: ManifestError): number {
  return a.line - b.line || a.column - b.column;
}

function limit(errors: ManifestError[]): ManifestError[] {
  const sorted = [...errors].sort(byPosition);
  if (sorted.length <= MAX_ERRORS) {
    return sorted;
  }
  const rest = sorted.length - MAX_ERRORS;
  const next = sorted[MAX_ERRORS];
  return [
    ...sorted.slice(0, MAX_ERRORS),
    fileError(
      `${rest} more error${rest === 1 ? '' : 's'} not shown`,
      next.line,
      next.column,
    ),
  ];
}

function parse(text: string, fileName: string): ParseManifestResult {
  if (typeof text !== 'string') {
    return {
      errors: [fileError(`${fileName} must be text, got ${typeof text}`)],
    };
  }
  if (text.length > MAX_MANIFEST_LENGTH) {
    return {
      errors: [
        fileError(
          `${fileName} is ${text.length} characters long; at most ${MAX_MANIFEST_LENGTH} are allowed`,
        ),
      ],
    };
  }
  if (nestingDepth(text) > MAX_NESTING) {
    return {
      errors: [
        fileError(
          `${fileName} nests more than ${MAX_NESTING} levels deep; a manifest needs at most 4`,
        ),
      ],
    };
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
    version: '1.2',
    schema: 'core',
  });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) {
    return {
      errors: limit(problems.map(problem => syntaxError(problem, lineCounter))),
    };
  }
  if (document.contents === null) {
    return {
      errors: [
        fileError(
          `${fileName} is empty; it needs at least "apiVersion: coderunner.io/v1"`,
        ),
      ],
    };
  }
  const { value, errors } = validateDocument(
    manifestSchema,
    document,
    lineCounter,
  );
  return errors.length > 0 || !value
    ? { errors: limit(errors) }
    : { manifest: value, errors: [] };
}

/**
 * Parses and validates the text of a `coderunner.yaml`. Returns the manifest
 * with every default filled in, or errors that each name the field, its line
 * and column, and what is allowed. Never throws.
 * @public
 */
export function parseManifest(
  text: string,
  options?: { fileName?: string },
): ParseManifestResult {
  const fileName = options?.fileName ?? 'coderunner.yaml';
  try {
    return parse(text, fileName);
  } catch (error) {
    const reason =
      error instanceof RangeError ? 'it is nested too deeply' : String(error);
    return { errors: [fileError(`${fileName} could not be read: ${reason}`)] };
  }
}
