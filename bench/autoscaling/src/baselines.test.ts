import { MetricSample } from '@coderunner/plugin-coderunner-common';
import { AwsTargetTracking } from './autoscalers/awsTargetTracking';
import { HorizontalPodAutoscaler, replicasForMetric } from './autoscalers/hpa';
import { KnativePodAutoscaler } from './autoscalers/kpa';
import { OfflineOracle } from './autoscalers/oracle';
import { parseCsvTrace } from './csvTrace';
import { runAll, simulationConfig } from './runner';
import { syntheticTraces } from './traces';
import { ScalerView, ScalingAction } from './types';

const config = simulationConfig(15, 1);

function view(second: number, ready: number, samples15: MetricSample[], extra: Partial<ScalerView> = {}): ScalerView {
  return { second, ready, starting: 0, samples15, samples1: [], actions: [] as ScalingAction[], ...extra };
}

describe('HPA', () => {
  it('ignores a ratio within the 0.1 tolerance and otherwise scales by the ratio', () => {
    const pods = { readyPods: 10, average: 75, missingPods: 0, unreadyPods: 0 };
    expect(replicasForMetric(pods, 70, 10, 0.1, 100)).toBe(10);
    expect(replicasForMetric({ ...pods, average: 140 }, 70, 10, 0.1, 100)).toBe(20);
  });

  it('counts missing pods as 0 on a scale-up and as the target on a scale-down', () => {
    expect(replicasForMetric({ readyPods: 4, average: 140, missingPods: 4, unreadyPods: 0 }, 70, 8, 0.1, 70)).toBe(8);
    expect(replicasForMetric({ readyPods: 4, average: 210, missingPods: 2, unreadyPods: 0 }, 70, 6, 0.1, 70)).toBe(12);
    expect(replicasForMetric({ readyPods: 6, average: 35, missingPods: 4, unreadyPods: 0 }, 70, 10, 0.1, 70)).toBe(7);
  });

  it('doubles at most (or adds 4) per 15 s and holds scale-downs for 300 s', () => {
    const hpa = new HorizontalPodAutoscaler(config);
    const spike = [{ at: 15_000, requestsPerSecond: 2000, cpuPercent: 100 }];
    expect(hpa.desired(view(15, 3, spike))).toBe(7);
    const quiet = (at: number) => [{ at, requestsPerSecond: 100, cpuPercent: 10 }];
    const hpa2 = new HorizontalPodAutoscaler(config);
    expect(hpa2.desired(view(15, 10, [{ at: 15_000, requestsPerSecond: 700, cpuPercent: 70 }]))).toBe(10);
    expect(hpa2.desired(view(30, 10, quiet(30_000)))).toBe(10);
    expect(hpa2.desired(view(315, 10, quiet(315_000)))).toBe(2);
  });

  it('does not act on a missing metric unless the others ask for a scale-up', () => {
    const hpa = new HorizontalPodAutoscaler(config);
    expect(hpa.desired(view(15, 10, [{ at: 15_000, requestsPerSecond: 100 }]))).toBe(10);
    expect(hpa.desired(view(30, 10, [{ at: 30_000, requestsPerSecond: 1400 }]))).toBe(20);
  });
});

describe('KPA', () => {
  const perSecond = (from: number, to: number, rate: (t: number) => number) =>
    Array.from({ length: to - from }, (_, i) => ({ at: (from + i) * 1000, requestsPerSecond: rate(from + i) }));

  it('follows the 60 s average when calm and panics at twice the ready pods over 6 s', () => {
    const kpa = new KnativePodAutoscaler(config);
    const calm = perSecond(0, 120, () => 700);
    expect(kpa.desired(view(120, 10, [], { samples1: calm }))).toBe(10);
    const burst = [...calm, ...perSecond(120, 126, () => 2800)];
    expect(kpa.desired(view(126, 10, [], { samples1: burst }))).toBe(40);
  });

  it('never scales down while panicking and leaves panic after a calm stable window', () => {
    const kpa = new KnativePodAutoscaler(config);
    const burst = [...perSecond(0, 120, () => 700), ...perSecond(120, 126, () => 2800)];
    kpa.desired(view(126, 10, [], { samples1: burst }));
    const after = [...burst, ...perSecond(126, 140, () => 700)];
    expect(kpa.desired(view(140, 40, [], { samples1: after }))).toBe(40);
    const calm = [...after, ...perSecond(140, 260, () => 700)];
    expect(kpa.desired(view(260, 40, [], { samples1: calm }))).toBe(20);
  });
});

describe('AWS target tracking', () => {
  const minuteSamples = (minutes: number, rate: (m: number) => number) =>
    Array.from({ length: minutes * 4 }, (_, i) => ({ at: (i + 1) * 15_000, requestsPerSecond: rate(Math.floor(i / 4)) }));

  it('scales out after three high minutes and in after fifteen low ones, with cooldowns', () => {
    const aws = new AwsTargetTracking(config);
    const samples = minuteSamples(40, m => (m < 20 ? 1400 : 300));
    const decide = (minute: number, ready: number) => aws.desired(view(minute * 60 + 5, ready, samples.filter(s => s.at <= minute * 60_000)));
    expect(decide(1, 10)).toBe(10);
    expect(decide(2, 10)).toBe(10);
    expect(decide(3, 10)).toBe(20);
    for (let m = 4; m < 35; m++) {
      decide(m, 20);
    }
    expect(decide(35, 20)).toBe(5);
  });
});

describe('offline oracle', () => {
  it('starts capacity one cold start ahead of need', () => {
    const trace = { name: 't', source: 'csv' as const, spike: false, requestsPerSecond: new Float64Array(100).fill(85).fill(850, 50) };
    const oracle = new OfflineOracle(trace, config);
    expect(oracle.desired(view(30, 1, []))).toBe(1);
    expect(oracle.desired(view(36, 1, []))).toBe(10);
  });
});

describe('CSV traces', () => {
  it('reads second,requests_per_second and holds the rate across gaps', () => {
    const trace = parseCsvTrace('x', 'second,requests_per_second\n0,10\n3,40\n');
    expect([...trace.requestsPerSecond]).toEqual([10, 10, 10, 40]);
  });

  it('says which line is wrong and how to fix it', () => {
    expect(() => parseCsvTrace('x', '0,10\n0,20')).toThrow('x, line 2: second 0 is not after 0; sort the file by second');
  });
});

describe('benchmark', () => {
  it('gives the same result for the same seed', () => {
    const traces = syntheticTraces(3).filter(t => t.name === 'flash-spike');
    const strip = (seed: number) => runAll(traces, seed).map(({ instancesEvery10s: _s, ...r }) => r);
    expect(strip(3)).toEqual(strip(3));
  });
});
