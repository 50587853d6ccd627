import { decideScale } from './decideScale';
import { relativeNoise, risesThroughout } from './metricVotes';
import { scalingPolicyFromTemplate } from './templates';
import { requestRateTrend } from './trend';
import { MetricSample, ScalingInput } from './types';

const every15s = (rates: number[]): MetricSample[] =>
  rates.map((rate, i) => ({ at: (i + 1) * 15_000, requestsPerSecond: rate }));

function input(
  metrics: MetricSample[],
  ready: number,
  startupSeconds = 15,
): ScalingInput {
  const policy = scalingPolicyFromTemplate('webApp');
  policy.targets = { requestsPerSecondPerInstance: 70 };
  policy.maxInstances = 60;
  return {
    policy,
    now: metrics[metrics.length - 1].at + 5_000,
    metrics,
    instances: { ready, starting: 0, startupSeconds },
    recentDecisions: [],
  };
}

/** Deterministic ±`share` noise around `level` (a fixed pattern, so the test needs no random numbers). */
const wobble = (level: number, share: number, n: number) =>
  Array.from({ length: n }, (_, i) => level * (1 + share * Math.sin(i * 2.4)));

describe('step or ramp', () => {
  it('tells a ramp, which rises in both halves of its window, from a step, which is flat on both sides of its jump', () => {
    const ramp = every15s(Array.from({ length: 40 }, (_, i) => 300 + 20 * i));
    const step = every15s([...Array(30).fill(300), ...Array(10).fill(900)]);
    for (const [samples, rising] of [
      [ramp, true],
      [step, false],
    ] as const) {
      const trend = requestRateTrend(samples, 0)!;
      expect(trend.slopePerSecond).toBeGreaterThan(0);
      expect(
        risesThroughout(
          samples,
          0,
          Number.POSITIVE_INFINITY,
          trend.slopePerSecond,
        ),
      ).toBe(rising);
    }
  });

  it('sizes a step for its new level, not for a projection of it', () => {
    const step = every15s([...Array(32).fill(300), ...Array(8).fill(1200)]);
    // 1200 req/s at 70 each is 17.1: 17 (within half the tolerance). A line through the step would ask for more.
    expect(decideScale(input(step, 17)).desired).toBe(17);
    const ramp = every15s(
      wobble(1, 0.01, 40).map((w, i) => (300 + 60 * i) * w),
    );
    // A steady ramp still gets headroom (the rate expected when instances asked for now are ready): more than the
    // 38 its newest sample (about 2,640 req/s) asks for.
    expect(decideScale(input(ramp, 38)).desired).toBeGreaterThan(38);
  });
});

describe('noise-aware damping', () => {
  it('estimates the noise from successive differences, unmoved by a slow trend or a one-off jump', () => {
    const noisy = every15s(wobble(500, 0.05, 40));
    expect(
      relativeNoise(noisy, 'requestsPerSecondPerInstance', 0),
    ).toBeGreaterThan(0.03);
    const trend = every15s(Array.from({ length: 40 }, (_, i) => 500 + 2 * i));
    expect(
      relativeNoise(trend, 'requestsPerSecondPerInstance', 0),
    ).toBeLessThan(0.01);
    const jump = every15s([
      ...Array(20).fill(500),
      1500,
      ...Array(19).fill(500),
    ]);
    expect(relativeNoise(jump, 'requestsPerSecondPerInstance', 0)).toBe(0);
  });

  it('does not scale down to a count that ordinary noise would push back over its scale-up threshold', () => {
    // A load swinging between 430 and 490 req/s: no sample needs more than 7 at 70 each, but with that much noise
    // (±14%) 7 would cross its scale-up threshold (7 × 77 = 539 req/s) within minutes.
    const noisy = every15s(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 490 : 430)),
    );
    expect(decideScale(input(noisy, 8)).desired).toBe(8);
    // A steady 480 req/s does scale down to 7.
    expect(decideScale(input(every15s(Array(40).fill(480)), 8)).desired).toBe(
      7,
    );
  });

  it('does not scale down until the samples cover the scale-down window', () => {
    const oneQuietSample = every15s([100]);
    expect(decideScale(input(oneQuietSample, 8)).desired).toBe(8);
    expect(decideScale(input(every15s(Array(8).fill(100)), 8)).desired).toBe(2);
  });
});
