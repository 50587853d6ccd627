import {
  decideScale,
  MetricSample,
  ScalingInput,
} from '@coderunner/plugin-coderunner-common';
import {
  benchmarkPolicy,
  historySamples,
} from './autoscalers/codeRunnerEngine';
import { HorizontalPodAutoscaler } from './autoscalers/hpa';
import { simulationConfig } from './runner';
import { Random } from './random';
import { ScalerView } from './types';

export interface DecisionTiming {
  deployments: number;
  repetitions: number;
  /** Milliseconds for all deployments, per repetition: median, fastest, slowest. */
  batchMs: { median: number; min: number; max: number };
  medianMicrosecondsPerDecision: number;
}

/**
 * 10,000 deployments with as much history as the benchmark gives the engine (40 samples), different loads and instance
 * counts, each with the memory its previous decision returned (so one new sample to learn from, as in the benchmark).
 */
function deployments(count: number, seed: number): ScalingInput[] {
  const random = new Random(seed);
  const policy = benchmarkPolicy(simulationConfig(15, seed));
  const now = 3_600_000;
  const inputs: ScalingInput[] = [];
  for (let d = 0; d < count; d++) {
    const base = 100 + random.next() * 2000;
    const ready = Math.max(
      1,
      Math.round(base / 70 + (random.next() - 0.5) * 6),
    );
    const metrics: MetricSample[] = [];
    for (let i = historySamples - 1; i >= 0; i--) {
      const rate =
        base * (1 + 0.1 * random.gaussian()) * (i < 3 && d % 10 === 0 ? 3 : 1);
      metrics.push({
        at: now - i * 15_000,
        requestsPerSecond: rate,
        cpuPercent: Math.min(100, (rate / ready) * 0.9),
        p95LatencyMs: 90 + random.next() * 200,
        errorRate: 0,
      });
    }
    // What the previous decision returned: the knee learned (for every other deployment) and all but the newest sample seen.
    const memory = {
      seenUntil: now - 15_000,
      lastRate: base,
      lastSlowLoad: 0,
      lastSlowServing: 0,
      kneePerInstance: d % 2 === 0 ? 78 : undefined,
    };
    inputs.push({
      policy,
      now,
      metrics,
      instances: { ready, starting: d % 7 === 0 ? 2 : 0, startupSeconds: 15 },
      recentDecisions:
        d % 3 === 0 ? [{ at: now - 200_000, from: ready - 1, to: ready }] : [],
      memory,
    });
  }
  return inputs;
}

/** Runs `decide` over every input `repetitions` times after a warm-up; milliseconds per run, sorted. */
function timeBatches<T>(
  inputs: readonly T[],
  decide: (input: T) => number,
  repetitions: number,
): number[] {
  let sink = 0;
  for (let w = 0; w < 3; w++) {
    for (const input of inputs) {
      sink += decide(input);
    }
  }
  const times: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    const start = process.hrtime.bigint();
    for (const input of inputs) {
      sink += decide(input);
    }
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  if (sink < 0) {
    throw new Error('unreachable');
  }
  return times.sort((a, b) => a - b);
}

function summary(
  times: number[],
  count: number,
  repetitions: number,
): DecisionTiming {
  const median = times[Math.floor(times.length / 2)];
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return {
    deployments: count,
    repetitions,
    batchMs: {
      median: r2(median),
      min: r2(times[0]),
      max: r2(times[times.length - 1]),
    },
    medianMicrosecondsPerDecision: r2((median * 1000) / count),
  };
}

/**
 * Times `decideScale` over many deployments, and in the same run the HPA model's decision on the same loads (one
 * object per deployment, as the controller keeps per-HPA state), so the two are compared on one machine state.
 */
export function timeDecisions(
  seed: number,
  count = 10_000,
  repetitions = 21,
): { ours: DecisionTiming; hpa: DecisionTiming } {
  const inputs = deployments(count, seed);
  const config = simulationConfig(15, seed);
  const hpaInputs = inputs.map(input => {
    const pods = Array.from(
      { length: input.instances.ready + input.instances.starting },
      (_, i) => ({
        startedAt: i < input.instances.ready ? -3600 : 3590,
        readyAt: i < input.instances.ready ? 0 : 3605,
      }),
    );
    const view: ScalerView = {
      second: input.now / 1000,
      ready: input.instances.ready,
      starting: input.instances.starting,
      samples15: input.metrics,
      pods,
      actions: input.recentDecisions.map(d => ({
        second: d.at / 1000,
        from: d.from,
        to: d.to,
      })),
    };
    return { hpa: new HorizontalPodAutoscaler(config), view };
  });
  const ours = summary(
    timeBatches(inputs, input => decideScale(input).desired, repetitions),
    count,
    repetitions,
  );
  const hpa = summary(
    timeBatches(hpaInputs, ({ hpa: h, view }) => h.desired(view), repetitions),
    count,
    repetitions,
  );
  return { ours, hpa };
}
