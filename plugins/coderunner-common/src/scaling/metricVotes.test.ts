import { decideScale } from './decideScale';
import {
  afterLastDrop,
  driftNoise,
  relativeNoise,
  risesThroughout,
} from './metricVotes';
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
  const policy = scalingPolicyFromTemplate('web-app');
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

describe('a ramp after a drop', () => {
  // A sawtooth tooth: a high level, a drop, then a rise of 40 req/s per 15 s sample (±3, so it is not an exact line),
  // nine samples in: too few for a trend window of ten samples that leaves the drop out.
  const tooth = every15s([
    ...Array(20).fill(1000),
    ...Array.from({ length: 9 }, (_, i) => 200 + 40 * i + (i % 2 ? 3 : -3)),
  ]);

  it('finds the newest drop, leaving out the sample that may straddle it', () => {
    expect(afterLastDrop(tooth, 0)).toBe(21 * 15_000);
    expect(afterLastDrop(every15s([1000, 900, 950, 1000]), 0)).toBe(0);
    // Missing rates are skipped, not read as a drop.
    expect(
      afterLastDrop(
        [
          ...every15s([1000, 1000]),
          { at: 45_000 },
          { at: 60_000, requestsPerSecond: 200 },
        ],
        0,
      ),
    ).toBe(60_000);
  });

  it('sizes the rise after a drop as a ramp, measured from the drop', () => {
    // 517 req/s is within the tolerance of 7 at 70 each; the rise since the drop reaches about 590 req/s when an
    // instance asked for now is ready, which needs 9. Fitted together with the drop, the rise looks like a fall.
    const d = decideScale(input(tooth, 7));
    expect(d.desired).toBe(9);
    expect(d.explanation).toContain('needs 9 (rising)');
  });

  it('does not scale down below what the rise needs at ready time', () => {
    // The quiet 90 s window alone (517 req/s at most) would leave 8 of 12; the rise needs 9 by the time a released
    // instance could start again.
    expect(decideScale(input(tooth, 12)).desired).toBe(9);
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

  it('measures the drift over several samples, which grows with the lag only on a wandering load', () => {
    const rate = 'requestsPerSecondPerInstance';
    // Noise that changes every sample: the spread of a three-sample change is the spread of a one-sample change.
    const noisy = every15s(wobble(500, 0.05, 40));
    expect(driftNoise(noisy, rate, 0, 3)).toBeCloseTo(
      relativeNoise(noisy, rate, 0),
      1,
    );
    // A load wandering ±12% over four minutes: small steps, but it moves three times as far in three samples.
    const wandering = every15s(
      Array.from(
        { length: 40 },
        (_, i) => 500 + 60 * Math.sin((2 * Math.PI * i) / 16),
      ),
    );
    expect(driftNoise(wandering, rate, 0, 3)).toBeGreaterThan(
      2 * relativeNoise(wandering, rate, 0),
    );
    // A steady trend moves every change by the same amount: no drift.
    const trend = every15s(Array.from({ length: 40 }, (_, i) => 500 + 5 * i));
    expect(driftNoise(trend, rate, 0, 3)).toBe(0);
  });

  it('keeps the capacity a wandering load can reach before a scale-up could undo a scale-down', () => {
    // Near the top of a ±12% swing (about 560 req/s, 8 at 70 each). Its sample-to-sample noise (4%) would allow 8;
    // over the 50 s a scale-up takes (two samples and a 15 s start-up) it moves about 9%, so the engine keeps 9.
    const wandering = every15s(
      Array.from(
        { length: 40 },
        (_, i) => 500 + 60 * Math.sin((2 * Math.PI * i) / 16),
      ),
    );
    expect(decideScale(input(wandering, 12)).desired).toBe(9);
  });

  it('releases the level before a sustained drop once the newest half of the window is below it', () => {
    // 1,200 req/s for seven minutes, then about 300 with the same ±5% noise. The 90 s window still holds two high
    // samples, but with the newest 45 s quiet they are further above the window's mean than noise explains.
    const drop = (quiet: number) =>
      every15s([...wobble(1200, 0.05, 30), ...wobble(300, 0.05, quiet)]);
    expect(decideScale(input(drop(2), 18)).desired).toBe(18);
    expect(decideScale(input(drop(4), 18)).desired).toBe(11);
    expect(decideScale(input(drop(6), 18)).desired).toBe(5);
  });

  it('does not scale down until the samples cover the scale-down window', () => {
    const oneQuietSample = every15s([100]);
    expect(decideScale(input(oneQuietSample, 8)).desired).toBe(8);
    expect(decideScale(input(every15s(Array(8).fill(100)), 8)).desired).toBe(2);
  });
});
