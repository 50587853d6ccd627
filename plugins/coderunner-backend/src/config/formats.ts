import {
  checkVariableName,
  checkVariableValue,
  ConfigFormat,
  ConfigImportProblem,
} from '@coderunner/plugin-coderunner-common';
import { parse as parseDotenv } from 'dotenv';
import { isMap, isScalar, LineCounter, parseDocument, stringify as toYaml } from 'yaml';

/**
 * One variable read from an import, with the line it starts on.
 *
 * @internal
 */
export interface ImportedVariable {
  name: string;
  value: string;
  secret?: boolean;
  line: number;
}

/**
 * The variables of an import and each line that could not be used.
 *
 * @internal
 */
export interface ParsedImport {
  variables: ImportedVariable[];
  problems: ConfigImportProblem[];
}

/**
 * Where dotenv finds its entries: the same grammar as dotenv's own parser (lib/main.js),
 * used only to learn which lines it consumed, so that every line it would silently skip can
 * be reported by number. The values themselves come from dotenv's `parse`.
 */
const DOTENV_ENTRY =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) line++;
  }
  return line;
}

function checkEntry(name: string, value: string, line: number, problems: ConfigImportProblem[]) {
  const problem = checkVariableName(name) ?? checkVariableValue(value);
  if (problem) {
    problems.push({ line, message: `${name}: ${problem}` });
    return false;
  }
  return true;
}

/** Reads `.env` text with dotenv: quotes, multiline values, comments, `export` prefixes. */
export function parseEnv(content: string): ParsedImport {
  const text = content.replace(/\r\n?/g, '\n');
  const values = parseDotenv(text);
  const problems: ConfigImportProblem[] = [];
  const consumed = new Set<number>();
  const firstLine = new Map<string, number>();
  for (const match of text.matchAll(DOTENV_ENTRY)) {
    const [keyStart] = match.indices![1];
    const start = lineOf(text, keyStart);
    const end = lineOf(text, match.index! + match[0].length);
    for (let line = start; line <= end; line++) consumed.add(line);
    firstLine.set(match[1], start);
  }
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim();
    if (!consumed.has(index + 1) && trimmed !== '' && !trimmed.startsWith('#')) {
      problems.push({
        line: index + 1,
        message: `Not a NAME=value line: "${trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed}"`,
      });
    }
  }
  const variables: ImportedVariable[] = [];
  for (const [name, value] of Object.entries(values)) {
    const line = firstLine.get(name) ?? 1;
    if (checkEntry(name, value, line, problems)) {
      variables.push({ name, value, line });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return { variables, problems };
}

/** Reads a JSON or YAML map of names to values, or to `{ value, secret }`. */
export function parseStructured(content: string, format: 'json' | 'yaml'): ParsedImport {
  const problems: ConfigImportProblem[] = [];
  const variables: ImportedVariable[] = [];
  if (format === 'json') {
    try {
      JSON.parse(content);
    } catch (error) {
      const position = /position (\d+)/.exec(String((error as Error).message));
      return {
        variables,
        problems: [
          {
            line: position ? lineOf(content, Number(position[1])) : 1,
            message: `Not valid JSON: ${(error as Error).message}`,
          },
        ],
      };
    }
  }
  const counter = new LineCounter();
  const doc = parseDocument(content, { lineCounter: counter, uniqueKeys: true });
  const at = (offset?: number) => (offset === undefined ? 1 : counter.linePos(offset).line);
  for (const error of doc.errors) {
    problems.push({ line: at(error.pos[0]), message: error.message.split('\n')[0] });
  }
  if (problems.length > 0) {
    return { variables, problems };
  }
  if (doc.contents === null) {
    return { variables, problems };
  }
  if (!isMap(doc.contents)) {
    return {
      variables,
      problems: [{ line: at(doc.contents.range?.[0]), message: 'Expected a map of NAME: value' }],
    };
  }
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = at((pair.key as any)?.range?.[0]);
    const node = pair.value as any;
    let value: unknown = isScalar(node) ? node.value : node?.toJSON?.();
    let secret: boolean | undefined;
    if (isMap(node)) {
      const object = node.toJSON() as { value?: unknown; secret?: unknown };
      value = object.value;
      secret = object.secret === true;
    }
    if (typeof value === 'number' || typeof value === 'boolean') {
      value = String(value);
    }
    if (typeof value !== 'string') {
      problems.push({
        line,
        message: `${key}: expected a text value, a number, true/false, or { value, secret }`,
      });
      continue;
    }
    if (checkEntry(key, value, line, problems)) {
      variables.push({ name: key, value, secret, line });
    }
  }
  return { variables, problems };
}

/** Reads an import in any of the supported formats. */
export function parseImport(content: string, format: ConfigFormat): ParsedImport {
  return format === 'env' ? parseEnv(content) : parseStructured(content, format);
}

const BARE = /^[A-Za-z0-9_./:@+,=-]+$/;

/**
 * A value written so that dotenv reads back exactly the same value, or undefined when
 * `.env` cannot hold it (e.g. it has single quotes, backticks and double quotes).
 */
export function quoteEnvValue(value: string): string | undefined {
  if (BARE.test(value)) return value;
  const trailingBackslash = value.endsWith('\\');
  if (!value.includes('\r') && !trailingBackslash) {
    if (!value.includes("'")) return `'${value}'`;
    if (!value.includes('`')) return `\`${value}\``;
  }
  // Double quotes: dotenv turns \n and \r into line breaks and keeps every other character.
  if (!value.includes('"') && !/\\[nr]/.test(value) && !trailingBackslash) {
    return `"${value.replace(/\r/g, '\\r')}"`;
  }
  return undefined;
}

/** Writes variables in a format; names whose values `.env` cannot hold are returned. */
export function formatExport(
  variables: { name: string; value: string; secret: boolean }[],
  format: ConfigFormat,
): { content: string; unrepresentable: string[] } {
  if (format === 'json') {
    const object = Object.fromEntries(variables.map(v => [v.name, v.value]));
    return { content: `${JSON.stringify(object, null, 2)}\n`, unrepresentable: [] };
  }
  if (format === 'yaml') {
    const object = Object.fromEntries(variables.map(v => [v.name, v.value]));
    // Quoted scalars: block scalars lose whitespace at the end of lines.
    return {
      content: variables.length ? toYaml(object, { blockQuote: false }) : '',
      unrepresentable: [],
    };
  }
  const lines: string[] = [];
  const unrepresentable: string[] = [];
  for (const variable of variables) {
    const quoted = quoteEnvValue(variable.value);
    if (quoted === undefined) {
      unrepresentable.push(variable.name);
      lines.push(`# ${variable.name}: this value cannot be written as .env; export JSON or YAML`);
    } else {
      lines.push(`${variable.name}=${quoted}`);
    }
  }
  return { content: lines.length ? `${lines.join('\n')}\n` : '', unrepresentable };
}
