import { MetricSample } from '@coderunner/plugin-coderunner-common';
import { AwsTargetTracking } from './autoscalers/awsTargetTracking';
import {
  benchmarkPolicy,
  StartupObserver,
} from './autoscalers/codeRunnerEngine';
import {
  groupPods,
  HorizontalPodAutoscaler,
  replicasForMetric,
} from './autoscalers/hpa';
import { KnativePodAutoscaler } from './autoscalers/kpa';
import { OfflineOracle } from './autoscalers/oracle';
import { parseCsvTrace } from './csvTrace';
import { runAll, simulationConfig } from './runner';
import { syntheticTraces } from './traces';
import { PodTimes, ScalerView } from './types';

const config = simulationConfig(15, 1);

/** `ready` pods ready since long ago plus `starting` pods asked for at `second` (not ready yet). */
function pods(ready: number, starting = 0, second = 0): PodTimes[] {
  return [
    ...Array.from({ length: ready }, () => ({ startedAt: -3600, readyAt: 0 })),
    ...Array.from({ length: starting }, () => ({
      startedAt: second,
      readyAt: second + 15,
    })),
  ];
}

function view(
  second: number,
  podList: PodTimes[],
  samples15: MetricSample[],
): ScalerView {
  const ready = podList.filter(p => p.readyAt <= second).length;
  return {
    second,
    ready,
    starting: podList.length - ready,
    samples15,
    pods: podList,
    actions: [],
  };
}

describe('every autoscaler gets the same operating point and information', () => {
  it('configures ours at the run target with only the metrics the baselines read', () => {
    const policy = benchmarkPolicy(simulationConfig(15, 1, 0.6));
    expect(policy.targets).toEqual({
      requestsPerSecondPerInstance: 60,
      cpuPercent: 60,
    });
  });

  it('draws each controller loop phase per seed instead of always acting at one phase', () => {
    const phases = Array.from(
      { length: 20 },
      (_, seed) =>
        new HorizontalPodAutoscaler(simulationConfig(15, seed)).phaseSeconds,
    );
    expect(new Set(phases).size).toBeGreaterThan(5);
    expect(phases.every(p => p >= 0 && p < 15)).toBe(true);
    const aws = Array.from(
      { length: 20 },
      (_, seed) =>
        new AwsTargetTracking(simulationConfig(15, seed)).phaseSeconds,
    );
    expect(new Set(aws).size).toBeGreaterThan(5);
  });

  it('tells ours no cold start: it learns the median of the starts it has watched complete', () => {
    const observer = new StartupObserver();
    const podList: PodTimes[] = [
      ...pods(2),
      { startedAt: 100, readyAt: 127 },
      { startedAt: 110, readyAt: 131 },
      { startedAt: 120, readyAt: 150 },
    ];
    for (let second = 1; second <= 140; second++) {
      observer.observe(view(second, podList, []));
    }
    expect(observer.seconds).toBe(27);
    const fresh = new StartupObserver();
    fresh.observe(view(120, podList, []));
    expect(fresh.seconds).toBeUndefined();
    observer.observe(view(150, podList, []));
    expect(observer.seconds).toBe(27);
  });
});

describe('HPA (pkg/controller/podautoscaler/replica_calculator.go)', () => {
  it('ignores a ratio within the 0.1 tolerance and otherwise scales the ready pods by the ratio', () => {
    const group = {
      readyPods: 10,
      average: 75,
      missingPods: 0,
      ignoredPods: 0,
    };
    expect(replicasForMetric(group, 70, 10, 0.1, 100)).toBe(10);
    expect(
      replicasForMetric({ ...group, average: 140 }, 70, 10, 0.1, 100),
    ).toBe(20);
  });

  it('groupPods: Pending pods are ignored, pods ready after the window have no value (missing), and for CPU pods that became ready after the window began, within the CPU initialisation period, are ignored', () => {
    const list: PodTimes[] = [
      { startedAt: -3600, readyAt: 0 },
      { startedAt: 80, readyAt: 95 }, // ready inside the window [90, 105]
      { startedAt: 95, readyAt: 107 }, // ready after the window ended
      { startedAt: 100, readyAt: 115 }, // still Pending at 110
      { startedAt: -300, readyAt: 95 }, // ready inside the window but past the 120 s initialisation period
    ];
    expect(groupPods(list, 110, 90, 105, true)).toEqual({
      ready: 2,
      ignored: 2,
      missing: 1,
    });
    expect(groupPods(list, 110, 90, 105, false)).toEqual({
      ready: 3,
      ignored: 1,
      missing: 1,
    });
  });

  it('rebalanceIgnored: on a scale-up ignored pods count as 0%, and if that flips the direction the count stays', () => {
    // 4 pods at 140% of target, 4 ignored: (4 × 140) / 8 = 70, exactly the target.
    expect(
      replicasForMetric(
        { readyPods: 4, average: 140, missingPods: 0, ignoredPods: 4 },
        70,
        8,
        0.1,
        100,
      ),
    ).toBe(8);
    // 4 pods at 210, 2 ignored: 840 / 6 = 140 → 12 pods.
    expect(
      replicasForMetric(
        { readyPods: 4, average: 210, missingPods: 0, ignoredPods: 2 },
        70,
        6,
        0.1,
        100,
      ),
    ).toBe(12);
  });

  it('on a scale-down ignored pods do not count at all, missing pods count as 100% of the request (CPU) or the target (Pods metric)', () => {
    expect(
      replicasForMetric(
        { readyPods: 6, average: 35, missingPods: 0, ignoredPods: 4 },
        70,
        10,
        0.1,
        100,
      ),
    ).toBe(3);
    expect(
      replicasForMetric(
        { readyPods: 6, average: 35, missingPods: 4, ignoredPods: 0 },
        70,
        10,
        0.1,
        70,
        false,
      ),
    ).toBe(7);
    expect(
      replicasForMetric(
        { readyPods: 4, average: 140, missingPods: 4, ignoredPods: 0 },
        70,
        8,
        0.1,
        70,
        false,
      ),
    ).toBe(8);
  });

  it('does not multiply a CPU average from before new pods were ready by the pods ready now', () => {
    const hpa = new HorizontalPodAutoscaler(config);
    // 4 old pods at 100% CPU over [90, 105]; 4 more became ready at 95. The old model asked for ceil(100/70 × 8) = 12.
    const list = [
      ...pods(4),
      ...Array.from({ length: 4 }, () => ({ startedAt: 80, readyAt: 95 })),
    ];
    const sample = { at: 105_000, cpuPercent: 100, requestsPerSecond: 560 };
    expect(hpa.desired(view(110, list, [sample]))).toBe(8);
  });

  it('doubles at most (or adds 4) per 15 s and holds scale-downs for the 300 s stabilization window', () => {
    const hpa = new HorizontalPodAutoscaler(config);
    expect(
      hpa.desired(
        view(15, pods(3), [
          { at: 15_000, requestsPerSecond: 2000, cpuPercent: 100 },
        ]),
      ),
    ).toBe(7);
    const quiet = (at: number) => [
      { at, requestsPerSecond: 100, cpuPercent: 10 },
    ];
    const hpa2 = new HorizontalPodAutoscaler(config);
    expect(
      hpa2.desired(
        view(15, pods(10), [
          { at: 15_000, requestsPerSecond: 700, cpuPercent: 70 },
        ]),
      ),
    ).toBe(10);
    expect(hpa2.desired(view(30, pods(10), quiet(30_000)))).toBe(10);
    expect(hpa2.desired(view(300, pods(10), quiet(300_000)))).toBe(10);
    expect(hpa2.desired(view(315, pods(10), quiet(315_000)))).toBe(2);
  });

  it('does not act on a missing metric unless the others ask for a scale-up', () => {
    const hpa = new HorizontalPodAutoscaler(config);
    expect(
      hpa.desired(view(15, pods(10), [{ at: 15_000, requestsPerSecond: 100 }])),
    ).toBe(10);
    expect(
      hpa.desired(
        view(30, pods(10), [{ at: 30_000, requestsPerSecond: 1400 }]),
      ),
    ).toBe(20);
  });
});

describe('KPA (Knative Serving pkg/autoscaler/scaling/autoscaler.go)', () => {
  const every15s = (from: number, rates: number[]) =>
    rates.map((rate, i) => ({
      at: (from + 15 * i) * 1000,
      requestsPerSecond: rate,
    }));

  it('follows the stable window when calm and panics when ceil(panic / target) / ready ≥ 2, as dppc/readyPodsCount', () => {
    const calm = every15s(15, [700, 700, 700, 700, 700, 700, 700]);
    expect(
      new KnativePodAutoscaler(config).desired(view(110, pods(10), calm)),
    ).toBe(10);
    // 1,330 req/s: ceil(19.0) / 10 = 1.9, no panic: the stable minute, (700 × 3 + 1330) / 4 = 857.5, asks for 13.
    expect(
      new KnativePodAutoscaler(config).desired(
        view(126, pods(10), [...calm, ...every15s(120, [1330])]),
      ),
    ).toBe(13);
    // 1,331 req/s: ceil(19.01) = 20, 20 / 10 = 2: panic, and the panic count wins.
    expect(
      new KnativePodAutoscaler(config).desired(
        view(126, pods(10), [...calm, ...every15s(120, [1331])]),
      ),
    ).toBe(20);
  });

  it('while panicking takes the larger of the stable and panic counts ("provision for stable as for panic")', () => {
    // The stable minute averages (2000 × 3 + 1400) / 4 = 1850 → 27; the panic sample 1400 → 20, 2× the 10 ready.
    const samples = [
      ...every15s(15, [2000, 2000, 2000]),
      ...every15s(60, [1400]),
    ];
    expect(
      new KnativePodAutoscaler(config).desired(view(66, pods(10), samples)),
    ).toBe(27);
  });

  it('never scales down while panicking and leaves panic only after more than a stable window below the threshold', () => {
    const kpa = new KnativePodAutoscaler(config);
    const calm = every15s(15, [700, 700, 700, 700, 700, 700, 700]);
    const burst = [...calm, ...every15s(120, [2800])];
    expect(kpa.desired(view(126, pods(10), burst))).toBe(40);
    const after = [...burst, ...every15s(135, [700, 700, 700, 700])];
    expect(kpa.desired(view(186, pods(40), after))).toBe(40);
    expect(kpa.desired(view(188, pods(40), after))).toBe(20);
  });
});

describe('AWS target tracking', () => {
  const minuteSamples = (minutes: number, rate: (m: number) => number) =>
    Array.from({ length: minutes * 4 }, (_, i) => ({
      at: (i + 1) * 15_000,
      requestsPerSecond: rate(Math.floor(i / 4)),
    }));

  it('scales out after three high minutes and in after fifteen low ones, with cooldowns', () => {
    const aws = new AwsTargetTracking(config);
    const samples = minuteSamples(40, m => (m < 20 ? 1400 : 300));
    const decide = (minute: number, ready: number) =>
      aws.desired(
        view(
          minute * 60 + 5,
          pods(ready),
          samples.filter(s => s.at <= minute * 60_000),
        ),
      );
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
    const trace = {
      name: 't',
      source: 'csv' as const,
      spike: false,
      requestsPerSecond: new Float64Array(100).fill(85).fill(850, 50),
    };
    const oracle = new OfflineOracle(trace, config);
    expect(oracle.desired(view(30, pods(1), []))).toBe(1);
    expect(oracle.desired(view(36, pods(1), []))).toBe(10);
  });
});

describe('CSV traces', () => {
  it('reads second,requests_per_second and holds the rate across gaps', () => {
    const trace = parseCsvTrace(
      'x',
      'second,requests_per_second\n0,10\n3,40\n',
    );
    expect([...trace.requestsPerSecond]).toEqual([10, 10, 10, 40]);
  });

  it('says which line is wrong and how to fix it', () => {
    expect(() => parseCsvTrace('x', '0,10\n0,20')).toThrow(
      'x, line 2: second 0 is not after 0; sort the file by second',
    );
  });
});

describe('benchmark', () => {
  it('gives the same result for the same seed', () => {
    const traces = syntheticTraces(3).filter(t => t.name === 'flash-spike');
    const strip = (seed: number) =>
      runAll(traces, seed).map(
        ({ instancesEvery10s: _s, p95Every10s: _p, ...r }) => r,
      );
    expect(strip(3)).toEqual(strip(3));
  });
});
