/*
 * What every benchmark report says about its run: the commit and the machine.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

/** The repository's root folder. */
export const REPO = path.resolve(__dirname, '../../..');

/** The commit checked out in the repository, or 'unknown' outside a git checkout. */
export function headCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: REPO,
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
}

/**
 * The machine a report's figures come from (CPU count and model, memory in GiB to a tenth, the
 * Node.js version), followed by what `run` adds: the database, the runtime, the load.
 */
export function machine<T extends object = {}>(run?: T) {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    ...run,
  };
}
