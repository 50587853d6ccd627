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

/**
 * For attacks on the sandbox's output capture (6025602). The process stream that carries the
 * capture script's frames is the app's to write: the app runs as the same user as the wrapper
 * shell, and `/proc/$$/fd/1` (in the app's subshell `$$` is the wrapper) is that stream. So
 * every frame the backend parses may be forged, and the parser is the trust boundary.
 */

export type Seen = {
  lines: { text: string; stream: OutputStream; offset: number }[];
  raw: string[];
  gaps: { stream: OutputStream; from: number; to: number }[];
  caughtUp: number;
};

/** A parser that records everything it hands on. */
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
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'coderunner-forgery-'));
  fs.mkdirSync(path.join(home, '.coderunner'));
  fs.writeFileSync(path.join(home, CAPTURE_SCRIPT_PATH), CAPTURE_SCRIPT_SOURCE);
  return home;
}

/**
 * Runs the launch command the way the sandbox daemon does, with `home` as HOME. The daemon
 * hands a process a pipe for its output (Node's own stdio would be a socket pair, which
 * `/proc/<pid>/fd/1` cannot open), so the shell's output goes through one here too.
 */
export function run(
  home: string,
  command: string,
  parser: CapturedOutputParser,
) {
  return new Promise<number>((resolve, reject) => {
    const child = spawn('/bin/bash', ['-c', `exec > >(cat)\n${command}`], {
      cwd: home,
      env: { ...process.env, HOME: home },
    });
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

/**
 * A hostile app: prints a line, waits until the capture script has stored it (so its frame
 * and the header are on the process stream), then writes `forged` (printf's format) straight
 * onto the process stream, and prints another line.
 */
export const forgingApp = (forged: string) =>
  [
    'echo before',
    'until grep -q before "$HOME/.coderunner/output/stdout.0" 2>/dev/null; do sleep 0.02; done',
    `printf '${forged}' > /proc/$$/fd/1`,
    'echo after',
  ].join('\n');
