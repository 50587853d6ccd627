import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CAPTURE_SCRIPT_PATH,
  CAPTURE_SCRIPT_SOURCE,
  CapturedOutputParser,
  OutputStream,
} from '../orchestrator/capturedOutput';

/** What a `collector` parser handed on. */
export type Seen = {
  lines: { text: string; stream: OutputStream; offset: number }[];
  raw: string[];
  gaps: { stream: OutputStream; from: number; to: number }[];
  caughtUp: number;
};

/** A parser (reading on from `offsets` when given) that records everything it hands on. */
export function collector(offsets?: { stdout: number; stderr: number }) {
  const seen: Seen = { lines: [], raw: [], gaps: [], caughtUp: 0 };
  const parser = new CapturedOutputParser(
    {
      line: (text, stream, offset) => seen.lines.push({ text, stream, offset }),
      raw: data => seen.raw.push(data),
      gap: (stream, from, to) => seen.gaps.push({ stream, from, to }),
      caughtUp: () => seen.caughtUp++,
    },
    offsets,
  );
  return { seen, parser };
}

/** A home folder holding the capture script, as the runtime uploads it. */
export function sandboxHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'coderunner-capture-'));
  fs.mkdirSync(path.join(home, '.coderunner'));
  fs.writeFileSync(path.join(home, CAPTURE_SCRIPT_PATH), CAPTURE_SCRIPT_SOURCE);
  return home;
}

/**
 * Runs a launch command on this host the way the sandbox daemon does, with `home` as HOME and
 * `env` added, and feeds its output to `parser`; resolves with the exit code. The daemon hands a
 * process a pipe for its output (Node's own stdio would be a socket pair, which
 * `/proc/<pid>/fd/1` cannot open), so the shell's output goes through one here too (`cat` from
 * the default PATH, so that an `env` without one still has it).
 */
export function run(
  home: string,
  command: string,
  parser: CapturedOutputParser,
  env: Record<string, string> = {},
) {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(
      '/bin/bash',
      ['-c', `exec > >(command -p cat)\n${command}`],
      { cwd: home, env: { ...process.env, HOME: home, ...env } },
    );
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', data => parser.push(data, 'stdout'));
    child.stderr.on('data', data => parser.push(data, 'stderr'));
    child.on('error', reject);
    child.on('close', code => {
      parser.end();
      resolve(code ?? -1);
    });
  });
}
