import { MetricSample as EngineSample } from '@coderunner/plugin-coderunner-common';
import { MetricsReader } from '@coderunner/plugin-coderunner-node';

/**
 * Reads the recent samples of one deployment from the metrics store as the engine's samples,
 * one per step (the sample period), oldest first. A step holds a sample when the sandbox poller
 * or the gateway wrote anything for it; a step with neither is left out (missing). In a step
 * without requests, p95 latency and the error rate count as 0: nothing was slow and nothing
 * failed. Memory is in percent of the instance size's memory.
 *
 * @internal
 */
export async function readSamples(
  reader: MetricsReader,
  options: {
    deploymentId: string;
    now: number;
    windowSeconds: number;
    stepSeconds: number;
    memoryMiBPerInstance: number;
  },
): Promise<EngineSample[]> {
  const { deploymentId, stepSeconds } = options;
  const stepMs = stepSeconds * 1000;
  // Only whole steps: the current, unfinished one would read as a drop.
  const to = new Date(options.now - (options.now % stepMs));
  const from = new Date(to.getTime() - options.windowSeconds * 1000);
  const read = async (metric: string) => {
    const points = await reader.query({
      deploymentId,
      metric: metric as never,
      from,
      to,
      stepSeconds,
    });
    return new Map(points.map(p => [p.at.getTime(), p.value]));
  };
  const [requests, p95, errors, cpu, memory, ready] = await Promise.all([
    read('requests'),
    read('latency_p95_ms'),
    read('error_ratio'),
    read('cpu_percent'),
    read('memory_mib'),
    read('instances_ready'),
  ]);
  const samples: EngineSample[] = [];
  for (let start = from.getTime(); start < to.getTime(); start += stepMs) {
    const rate = requests.get(start) ?? 0;
    const present =
      rate > 0 ||
      ready.has(start) ||
      cpu.has(start) ||
      memory.has(start) ||
      p95.has(start);
    if (!present) continue;
    const sample: EngineSample = {
      at: start + stepMs,
      requestsPerSecond: rate,
    };
    const latency = p95.get(start) ?? (rate === 0 ? 0 : undefined);
    if (latency !== undefined) sample.p95LatencyMs = latency;
    const errorRate = errors.get(start) ?? (rate === 0 ? 0 : undefined);
    if (errorRate !== undefined) sample.errorRate = errorRate;
    const cpuValue = cpu.get(start);
    if (cpuValue !== undefined) sample.cpuPercent = cpuValue;
    const memoryValue = memory.get(start);
    if (memoryValue !== undefined && options.memoryMiBPerInstance > 0) {
      sample.memoryPercent = (memoryValue / options.memoryMiBPerInstance) * 100;
    }
    samples.push(sample);
  }
  return samples;
}
