import { decideScale } from './decideScale';
import { foldMemory } from './latencyKnee';
import { scalingPolicyFromTemplate } from './templates';
import { MetricSample, ScalingInput, ScalingMemory } from './types';

const sample = (i: number, rps: number, p95: number): MetricSample => ({
  at: i * 15_000,
  requestsPerSecond: rps,
  p95LatencyMs: p95,
  errorRate: 0,
  cpuPercent: 60,
});

function input(
  metrics: MetricSample[],
  ready: number,
  memory?: ScalingMemory,
): ScalingInput {
  const policy = scalingPolicyFromTemplate('web-app');
  policy.targets = {
    requestsPerSecondPerInstance: 80,
    p95LatencyMs: 250,
    errorRate: 0.005,
  };
  policy.maxInstances = 50;
  return {
    policy,
    now: metrics[metrics.length - 1].at,
    metrics,
    instances: { ready, starting: 0 },
    recentDecisions: [],
    memory,
  };
}

describe('foldMemory (latency knee)', () => {
  it('finds the per-instance load at which latency went over target two samples in a row', () => {
    const metrics = [
      sample(1, 480, 150),
      sample(2, 500, 400),
      sample(3, 510, 380),
      sample(4, 500, 150),
    ];
    expect(foldMemory(input(metrics, 6), 6).kneePerInstance).toBeCloseTo(85, 0);
  });

  it('ignores a single slow sample and a backlog draining after a burst', () => {
    const once = [
      sample(1, 500, 150),
      sample(2, 500, 400),
      sample(3, 500, 150),
    ];
    expect(foldMemory(input(once, 6), 6).kneePerInstance).toBeUndefined();
    const draining = [
      sample(1, 500, 150),
      sample(2, 1200, 900),
      sample(3, 500, 600),
      sample(4, 480, 300),
    ];
    expect(foldMemory(input(draining, 6), 6).kneePerInstance).toBeUndefined();
  });

  it('learns one sample at a time from the memory passed back, the same as from the whole history', () => {
    const metrics = [
      sample(1, 480, 150),
      sample(2, 500, 400),
      sample(3, 510, 380),
      sample(4, 500, 150),
      sample(5, 520, 150),
    ];
    let memory: ScalingMemory | undefined;
    for (let n = 1; n <= metrics.length; n++) {
      // The caller keeps only the two newest samples; the knee seen at samples 2–3 survives in the memory.
      memory = decideScale(
        input(metrics.slice(Math.max(0, n - 2), n), 6, memory),
      ).memory;
    }
    expect(memory).toEqual(foldMemory(input(metrics, 6), 6));
    expect(memory?.kneePerInstance).toBeCloseTo(85, 0);
    expect(memory?.seenUntil).toBe(metrics[4].at);
  });

  it('does not change the memory it is given, and returns it as is when no sample is new', () => {
    const metrics = [
      sample(1, 480, 150),
      sample(2, 500, 400),
      sample(3, 510, 380),
    ];
    const memory = foldMemory(input(metrics, 6), 6);
    const copy = { ...memory };
    expect(foldMemory(input(metrics, 6, memory), 6)).toBe(memory);
    foldMemory(
      input([...metrics, sample(4, 300, 400), sample(5, 300, 400)], 6, memory),
      6,
    );
    expect(memory).toEqual(copy);
  });

  it('sizes below the knee instead of at the utilisation ceiling, and never below 85% of it', () => {
    const metrics = [
      sample(1, 470, 400),
      sample(2, 470, 400),
      ...Array.from({ length: 6 }, (_, i) => sample(i + 3, 470, 150)),
    ];
    // 470 req/s on 6 was too slow (learned then, carried in the memory): the knee is 78 req/s, sized at 95% of it
    // (74), so 7 instances, not the 6 the 80 req/s ceiling alone would allow.
    const learned = foldMemory(input(metrics.slice(0, 2), 6), 6);
    expect(decideScale(input(metrics, 7, learned)).desired).toBe(7);
    // Without the memory (one slow sample alone is not a knee) the ceiling sizes it: 6.
    expect(decideScale(input(metrics.slice(1), 7)).desired).toBe(6);
    const slowService = [
      sample(1, 300, 400),
      sample(2, 300, 400),
      ...Array.from({ length: 6 }, (_, i) => sample(i + 3, 300, 150)),
    ];
    // 300 req/s on 6 (50 each) looks like a knee at 50; the floor keeps the target at 68 req/s: 5 instances.
    expect(
      decideScale(input(slowService, 5)).votes.find(
        v => v.metric === 'requestsPerSecondPerInstance',
      )?.target,
    ).toBe(68);
  });
});

describe('ramp headroom', () => {
  it('on a steady rise sizes for the load when new instances would be ready, before the tolerance is crossed', () => {
    // 800 → 995 req/s over 10 minutes (0.33 req/s per s) at 80 req/s each: 995 needs 12.4, within 10% of 12.
    const ramp = Array.from({ length: 40 }, (_, i) =>
      sample(i + 1, 800 + 5 * i + (i % 2 === 0 ? 6 : -6), 150),
    );
    const on12 = (startupSeconds: number) => ({
      ...input(ramp, 12),
      instances: { ready: 12, starting: 0, startupSeconds },
    });
    // 60 s start-up + 7.5 s sample age at 0.33 req/s per s: 1017 req/s, 12.7 instances, so 13 now.
    expect(decideScale(on12(60)).desired).toBe(13);
    expect(
      decideScale(on12(60)).votes.find(
        v => v.metric === 'requestsPerSecondPerInstance',
      )?.desired,
    ).toBe(13);
  });

  it('acts on a rise seen in as few as eight samples (two minutes), so a ramp from the start is not missed', () => {
    // 100 → 156 req/s over nine samples on 2 instances (78 each, within target); a 60 s start-up would see ~185.
    const early = Array.from({ length: 9 }, (_, i) =>
      sample(i + 1, 100 + 7 * i + (i % 2 === 0 ? 2 : -2), 150),
    );
    const on2 = {
      ...input(early, 2),
      instances: { ready: 2, starting: 0, startupSeconds: 60 },
    };
    expect(decideScale(on2).desired).toBe(3);
    // Seven samples are not enough evidence.
    const fewer = { ...on2, metrics: early.slice(2) };
    expect(decideScale(fewer).desired).toBe(2);
  });

  it('adds nothing on noisy steady load', () => {
    const noisy = Array.from({ length: 40 }, (_, i) =>
      sample(i + 1, 500 + ((i * 37) % 11) * 5 - 25, 150),
    );
    expect(
      decideScale({
        ...input(noisy, 7),
        instances: { ready: 7, starting: 0, startupSeconds: 60 },
      }).desired,
    ).toBe(7);
  });
});
