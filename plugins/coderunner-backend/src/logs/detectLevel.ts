import { LogLevel } from '@coderunner/plugin-coderunner-common';

// Colour codes and other escape sequences; the stored line keeps them, detection ignores them.
const ANSI = new RegExp(
  `${String.fromCharCode(27)}\\[[0-9;?]*[ -/]*[@-~]`,
  'g',
);
const WORDS: Record<string, LogLevel> = {
  trace: 'trace',
  debug: 'debug',
  dbg: 'debug',
  info: 'info',
  information: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  fatal: 'fatal',
  critical: 'fatal',
  crit: 'fatal',
  panic: 'fatal',
};
// pino and bunyan write numeric levels.
const NUMBERS: Array<[number, LogLevel]> = [
  [60, 'fatal'],
  [50, 'error'],
  [40, 'warn'],
  [30, 'info'],
  [20, 'debug'],
  [10, 'trace'],
];
// `level=warn`, `"level":"warn"`, `severity: ERROR`.
const KEYED = /\b(?:level|lvl|severity|loglevel)"?\s*[=:]\s*"?([a-z]+)/i;
// An upper-case level word near the start: `ERROR ...`, `2026-… INFO …`, `[WARN]`.
const UPPER =
  /(?:^|[\s[(|:])(TRACE|DEBUG|DBG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|CRIT|PANIC)(?=$|[\s\]):|,])/;
// A lower-case level word only at the very start or in brackets (`[warn]`, `error:`), so that
// prose like "an error occurred" is not taken for a level.
const LOWER =
  /(?:^|\[)(trace|debug|info|warn|warning|error|fatal|critical|panic)(?:\]|:)/i;

/**
 * The level of a log line in a common format: JSON logs with `level` (names or pino numbers),
 * `key=value` logs, or a level word near the start of the line. Undefined when none is found.
 *
 * @internal
 */
export function detectLevel(line: string): LogLevel | undefined {
  const text = (line.length > 512 ? line.slice(0, 512) : line).replace(
    ANSI,
    '',
  );
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    const fromJson = levelOfJson(line.replace(ANSI, '').trim());
    if (fromJson) return fromJson;
  }
  const keyed = KEYED.exec(text);
  if (keyed) {
    const level = WORDS[keyed[1].toLowerCase()];
    if (level) return level;
  }
  const start = text.slice(0, 120);
  const word = UPPER.exec(start) ?? LOWER.exec(trimmed.slice(0, 40));
  return word ? WORDS[word[1].toLowerCase()] : undefined;
}

function levelOfJson(text: string): LogLevel | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const raw = record.level ?? record.severity ?? record.lvl ?? record.loglevel;
  if (typeof raw === 'number') {
    return NUMBERS.find(([min]) => raw >= min)?.[1];
  }
  return typeof raw === 'string' ? WORDS[raw.toLowerCase()] : undefined;
}
