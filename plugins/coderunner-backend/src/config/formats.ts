import {
  checkVariableName,
  checkVariableValue,
  ConfigFormat,
  ConfigImportProblem,
} from '@coderunner/plugin-coderunner-common';
import {
  isAlias,
  isMap,
  isScalar,
  LineCounter,
  Node,
  parseDocument,
  stringify as toYaml,
} from 'yaml';

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

/** The line `offset` is on, counting from 1; for the one error a JSON parser reports. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (
    let i = text.indexOf('\n');
    i !== -1 && i < offset;
    i = text.indexOf('\n', i + 1)
  )
    line++;
  return line;
}

function checkEntry(
  name: string,
  value: string,
  line: number,
  problems: ConfigImportProblem[],
) {
  const problem = checkVariableName(name) ?? checkVariableValue(value);
  if (problem) {
    problems.push({ line, message: `${name}: ${problem}` });
    return false;
  }
  return true;
}

const isBlank = (char: string | undefined) =>
  char !== undefined && char !== '\n' && /\s/.test(char);
const isKeyChar = (char: string | undefined) =>
  char !== undefined && /[\w.-]/.test(char);
const isQuote = (char: string | undefined) =>
  char === "'" || char === '"' || char === '`';

/**
 * dotenv's value rules (lib/main.js): trimmed, surrounding quotes removed, and `\n`/`\r`
 * turned into line breaks when the value starts with a double quote.
 */
function envValue(raw: string): string {
  let value = raw.trim();
  const quote = value[0];
  if (value.length >= 2 && isQuote(quote) && value.endsWith(quote)) {
    value = value.slice(1, -1);
  }
  return quote === '"'
    ? value.replace(/\\n/g, '\n').replace(/\\r/g, '\r')
    : value;
}

/**
 * Where a quoted value that opens at `open` closes, with the line breaks inside it; undefined
 * when no closing quote is followed by only blanks or a comment on its line (dotenv then reads
 * the value as plain text). A quote after a backslash does not close. The scan ends at the
 * first closing quote, which is at or before the next line's opening one, so all scans of an
 * import together read each character at most once per quote kind.
 */
function closingQuote(text: string, open: number) {
  const quote = text[open];
  let close = open + 1;
  let breaks = 0;
  while (close < text.length && text[close] !== quote) {
    if (text[close] === '\\' && text[close + 1] === quote) close++;
    else if (text[close] === '\n') breaks++;
    close++;
  }
  if (close === text.length) return undefined;
  let lineEnd = text.indexOf('\n', close);
  if (lineEnd === -1) lineEnd = text.length;
  let after = close + 1;
  while (after < lineEnd && isBlank(text[after])) after++;
  return after === lineEnd || text[after] === '#'
    ? { close, breaks, lineEnd }
    : undefined;
}

/**
 * Reads `.env` text in one pass with dotenv's rules: comments, `export` prefixes, `NAME=value`
 * and `NAME: value`, single, double and backtick quotes (a quoted value may span lines), and
 * the last of repeated names wins. Every other non-blank line is a problem with its number.
 * dotenv's own parser is a regular expression that backtracks over blank lines (quadratic:
 * 40,000 newlines took 2 s), so it never sees text from users.
 */
export function parseEnv(content: string): ParsedImport {
  const text = content.replace(/\r\n?/g, '\n');
  const problems: ConfigImportProblem[] = [];
  const found = new Map<string, { value: string; line: number }>();
  let line = 1;
  for (let start = 0; start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let at = start;
    while (at < end && isBlank(text[at])) at++;
    if (text.startsWith('export', at) && isBlank(text[at + 6])) {
      let name = at + 6;
      while (name < end && isBlank(text[name])) name++;
      if (isKeyChar(text[name])) at = name;
    }
    const keyStart = at;
    while (at < end && isKeyChar(text[at])) at++;
    const key = text.slice(keyStart, at);
    let valueStart: number | undefined;
    if (key && text[at] === ':' && isBlank(text[at + 1])) {
      valueStart = at + 1;
    } else if (key) {
      while (at < end && isBlank(text[at])) at++;
      if (text[at] === '=') valueStart = at + 1;
    }
    if (valueStart === undefined) {
      const trimmed = text.slice(start, end).trim();
      if (trimmed !== '' && !trimmed.startsWith('#')) {
        problems.push({
          line,
          message: `Not a NAME=value line: "${
            trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed
          }"`,
        });
      }
      start = end + 1;
      continue;
    }
    const entryLine = line;
    let value = valueStart;
    while (value < end && isBlank(text[value])) value++;
    const quoted = isQuote(text[value]) ? closingQuote(text, value) : undefined;
    let raw: string;
    if (quoted) {
      raw = text.slice(value, quoted.close + 1);
      line += quoted.breaks;
      end = quoted.lineEnd;
    } else {
      let valueEnd = valueStart;
      while (valueEnd < end && text[valueEnd] !== '#') valueEnd++;
      raw = text.slice(valueStart, valueEnd);
    }
    // A repeated name keeps its first place and takes the last value, as with dotenv.
    found.set(key, { value: envValue(raw), line: entryLine });
    start = end + 1;
  }
  const variables: ImportedVariable[] = [];
  for (const [name, entry] of found) {
    if (checkEntry(name, entry.value, entry.line, problems)) {
      variables.push({ name, value: entry.value, line: entry.line });
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return { variables, problems };
}

/** Deeper than this, an import cannot be a map of names to values; the parsers recurse per level. */
const MAX_NESTING = 16;

/**
 * The offset of the first `[` or `{` that opens more than `limit` levels, outside quoted strings
 * (a quote that starts a token) and comments, in one pass; undefined when there is none. Parsing 256 KiB of `[` recurses past
 * the stack, so such input is refused before any parser sees it.
 */
function flowNestingBeyond(text: string, limit: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1]))) {
      // Skip the quoted string: backslash escapes in double quotes, '' in single quotes.
      for (i++; i < text.length; i++) {
        if (c === '"' && text[i] === '\\') i++;
        else if (text[i] === c) {
          if (c === "'" && text[i + 1] === "'") i++;
          else break;
        }
      }
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      depth++;
      if (depth > limit) return i;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/** Reads a JSON or YAML map of names to values, or to `{ value, secret }`. */
export function parseStructured(
  content: string,
  format: 'json' | 'yaml',
): ParsedImport {
  const problems: ConfigImportProblem[] = [];
  const variables: ImportedVariable[] = [];
  const tooDeep = flowNestingBeyond(content, MAX_NESTING);
  if (tooDeep !== undefined) {
    return {
      variables,
      problems: [
        {
          line: lineAt(content, tooDeep),
          message: `Nested more than ${MAX_NESTING} levels deep: an import is a map of NAME: value (or NAME: { value, secret })`,
        },
      ],
    };
  }
  if (format === 'json') {
    try {
      JSON.parse(content);
    } catch (error) {
      const position = /position (\d+)/.exec(String((error as Error).message));
      return {
        variables,
        problems: [
          {
            line: position ? lineAt(content, Number(position[1])) : 1,
            message: `Not valid JSON: ${(error as Error).message}`,
          },
        ],
      };
    }
  }
  const counter = new LineCounter();
  // Keys are checked for repeats below with a set: the parser's own check (uniqueKeys)
  // compares each key with all before it, quadratic (40,000 keys took 9 s).
  const doc = parseDocument(content, {
    lineCounter: counter,
    uniqueKeys: false,
  });
  const at = (offset?: number) =>
    offset === undefined ? 1 : counter.linePos(offset).line;
  for (const error of doc.errors) {
    problems.push({
      line: at(error.pos[0]),
      message: error.message.split('\n')[0],
    });
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
      problems: [
        {
          line: at(doc.contents.range?.[0]),
          message: 'Expected a map of NAME: value',
        },
      ],
    };
  }
  // Values are read as single scalars, never converted whole, so aliases are not expanded.
  const scalar = (node: unknown): unknown => {
    const target = isAlias(node) ? node.resolve(doc) : node;
    return isScalar(target) ? target.value : undefined;
  };
  const firstLine = new Map<string, number>();
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = at((pair.key as Node | null)?.range?.[0]);
    const seen = firstLine.get(key);
    if (seen !== undefined) {
      problems.push({ line, message: `${key}: already set on line ${seen}` });
      continue;
    }
    firstLine.set(key, line);
    const node = pair.value;
    let value = scalar(node);
    let secret: boolean | undefined;
    if (isMap(node)) {
      value = scalar(node.get('value', true));
      secret = scalar(node.get('secret', true)) === true;
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
  problems.sort((a, b) => a.line - b.line);
  return { variables, problems };
}

/** Reads an import in any of the supported formats. */
export function parseImport(
  content: string,
  format: ConfigFormat,
): ParsedImport {
  return format === 'env'
    ? parseEnv(content)
    : parseStructured(content, format);
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
    return {
      content: `${JSON.stringify(object, null, 2)}\n`,
      unrepresentable: [],
    };
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
      lines.push(
        `# ${variable.name}: this value cannot be written as .env; export JSON or YAML`,
      );
    } else {
      lines.push(`${variable.name}=${quoted}`);
    }
  }
  return {
    content: lines.length ? `${lines.join('\n')}\n` : '',
    unrepresentable,
  };
}
