import fs from 'node:fs';
import os from 'node:os';
import { EmulatedSandbox } from './EmulatedSandbox';

const CPU_COUNT = 2;
const MEMORY_MIB = 512;
const TICKS_PER_SECOND = 100;
const PAGE_SIZE = 4096;

const previousSamples = new WeakMap<
  EmulatedSandbox,
  { ticks: number; at: number }
>();

/** Host pids of the process `root` and all of its descendants, read from /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    found.push(...(children.get(found[i]) ?? []));
  }
  return found;
}

/**
 * The sandbox's CPU and memory use in the shape of the control plane's
 * `SandboxMetric`, summed over every process the sandbox runs. CPU is the
 * average since the previous sample.
 */
export async function sampleUsage(sandbox: EmulatedSandbox) {
  let ticks = 0;
  let rssBytes = 0;
  if (os.platform() === 'linux' && sandbox.agentPid) {
    for (const pid of descendants(sandbox.agentPid)) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
        rssBytes += Number(fields[21]) * PAGE_SIZE;
      } catch {
        // the process ended while we looked
      }
    }
  }
  const now = Date.now();
  const previous = previousSamples.get(sandbox) ?? {
    ticks: 0,
    at: sandbox.startedAt.getTime(),
  };
  previousSamples.set(sandbox, { ticks, at: now });
  const elapsedSeconds = Math.max((now - previous.at) / 1000, 0.001);
  const cpuSeconds = Math.max(ticks - previous.ticks, 0) / TICKS_PER_SECOND;
  return {
    timestamp: new Date(now).toISOString(),
    cpuCount: CPU_COUNT,
    cpuUsedPct: Math.min(100, (cpuSeconds / elapsedSeconds / CPU_COUNT) * 100),
    memUsedMiB: Math.round(rssBytes / 1024 / 1024),
    memTotalMiB: MEMORY_MIB,
  };
}
