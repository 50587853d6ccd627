import { perFamilyAgainstHpa } from './goals';
import { RunResult } from './types';

function run(
  trace: string,
  autoscaler: string,
  seed: number,
  coldStartSeconds: number,
  instanceMinutes: number,
  violationMinutes: number,
): RunResult {
  return {
    trace,
    autoscaler,
    coldStartSeconds,
    targetUtilisation: 0.7,
    seed,
    instanceMinutes,
    cost: 0,
    violationMinutes,
    coldStarts: 0,
    actions: 0,
    oscillations: 0,
    instancesEvery10s: [],
    p95Every10s: [],
    violatingMinutes: [],
  };
}

describe('per-family report', () => {
  it('sums cold starts per seed, then gives the median and the worst seed against HPA', () => {
    const results = [
      // Seed 1: ours 150 vs HPA 200 instance-minutes (25% saved), 3 vs 1 violation minutes.
      run('bursty', 'coderunner', 1, 2, 100, 1),
      run('bursty', 'coderunner', 1, 60, 50, 2),
      run('bursty', 'k8s-hpa', 1, 2, 100, 1),
      run('bursty', 'k8s-hpa', 1, 60, 100, 0),
      // Seed 2: 220 vs 200 (10% more), 0 vs 4.
      run('bursty', 'coderunner', 2, 2, 110, 0),
      run('bursty', 'coderunner', 2, 60, 110, 0),
      run('bursty', 'k8s-hpa', 2, 2, 100, 2),
      run('bursty', 'k8s-hpa', 2, 60, 100, 2),
      // Seed 3: 180 vs 200 (10% saved), 5 vs 5; other autoscalers are left out.
      run('bursty', 'coderunner', 3, 2, 90, 5),
      run('bursty', 'coderunner', 3, 60, 90, 0),
      run('bursty', 'k8s-hpa', 3, 2, 100, 5),
      run('bursty', 'k8s-hpa', 3, 60, 100, 0),
      run('bursty', 'knative-kpa', 3, 2, 1, 99),
    ];
    const [bursty] = perFamilyAgainstHpa(results);
    expect(bursty.family).toBe('bursty');
    expect(bursty.perSeed.map(s => s.savedPercent)).toEqual([25, -10, 10]);
    expect(bursty.savedPercent).toEqual({ median: 10, worst: -10 });
    expect(bursty.violationMinutesAboveHpa).toEqual({ median: 0, worst: 2 });
  });
});
