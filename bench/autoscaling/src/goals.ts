import { noisySteadyTraceName, Trace } from './traces';
import { RunResult } from './types';

/** One row of the results table in the shape BENCHMARKS.md asks for. */
export interface GoalRow {
  name: string;
  value: number;
  unit: string;
  goal: number;
  better: 'lower' | 'higher';
}

export const ours = 'coderunner';
export const hpa = 'k8s-hpa';
/** The baselines ours is compared with on the target sweep. */
export const sweptBaselines = ['k8s-hpa', 'knative-kpa', 'aws-target-tracking'];
/** Absolute slack of the per-trace goal: a trace may be this many minutes above HPA before the 5% counts. */
const slackMinutes = 2;

export const round = (value: number, digits = 1) =>
  Math.round(value * 10 ** digits) / 10 ** digits;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[mid]
    : (sorted[mid - 1] + sorted[mid]) / 2;
}

function total(
  results: readonly RunResult[],
  autoscaler: string,
  field: 'instanceMinutes' | 'violationMinutes' | 'oscillations',
) {
  let sum = 0;
  for (const r of results) {
    if (r.autoscaler === autoscaler) {
      sum += r[field];
    }
  }
  return sum;
}

/** How far `value` is above `reference` after the absolute slack, in percent of the reference (of 1 when it is 0). */
function excessPercent(value: number, reference: number): number {
  return ((value - slackMinutes - reference) / Math.max(reference, 1)) * 100;
}

/** The trace (at one cold start) where ours is furthest above HPA on one measure, with both values. */
export interface WorstTrace {
  percent: number;
  trace: string;
  ours: number;
  hpa: number;
}

/** The goal measures for one seed, over the synthetic traces at every cold start (the matched target). */
export interface SeedGoals {
  seed: number;
  savedPercent: number;
  violationMinutesAboveHpa: number;
  spikeViolationsSavedPercent: number;
  spikeCostAboveHpaPercent: number;
  noisySteadyReversals: number;
  worstTraceMinutesAboveHpa: WorstTrace;
  worstTraceViolationsAboveHpa: WorstTrace;
  totals: Record<
    string,
    { instanceMinutes: number; violationMinutes: number; oscillations: number }
  >;
}

export function seedGoals(
  seed: number,
  results: readonly RunResult[],
  traces: readonly Trace[],
): SeedGoals {
  const synthetic = new Set(
    traces.filter(t => t.source === 'synthetic').map(t => t.name),
  );
  const spikes = new Set(
    traces.filter(t => t.spike && t.source === 'synthetic').map(t => t.name),
  );
  const set = results.filter(r => r.seed === seed && synthetic.has(r.trace));
  const spikeSet = set.filter(r => spikes.has(r.trace));
  let worstMinutes: WorstTrace = {
    percent: -Infinity,
    trace: '',
    ours: 0,
    hpa: 0,
  };
  let worstViolations: WorstTrace = {
    percent: -Infinity,
    trace: '',
    ours: 0,
    hpa: 0,
  };
  for (const r of set.filter(x => x.autoscaler === ours)) {
    const h = set.find(
      x =>
        x.autoscaler === hpa &&
        x.trace === r.trace &&
        x.coldStartSeconds === r.coldStartSeconds,
    )!;
    const label = `${r.trace} at ${r.coldStartSeconds} s`;
    const m = excessPercent(r.instanceMinutes, h.instanceMinutes);
    const v = excessPercent(r.violationMinutes, h.violationMinutes);
    if (m > worstMinutes.percent)
      worstMinutes = {
        percent: round(m),
        trace: label,
        ours: round(r.instanceMinutes),
        hpa: round(h.instanceMinutes),
      };
    if (v > worstViolations.percent)
      worstViolations = {
        percent: round(v),
        trace: label,
        ours: r.violationMinutes,
        hpa: h.violationMinutes,
      };
  }
  const totals: SeedGoals['totals'] = {};
  for (const name of new Set(set.map(r => r.autoscaler))) {
    totals[name] = {
      instanceMinutes: round(total(set, name, 'instanceMinutes')),
      violationMinutes: total(set, name, 'violationMinutes'),
      oscillations: total(set, name, 'oscillations'),
    };
  }
  return {
    seed,
    savedPercent: round(
      (1 -
        total(set, ours, 'instanceMinutes') /
          total(set, hpa, 'instanceMinutes')) *
        100,
    ),
    violationMinutesAboveHpa:
      total(set, ours, 'violationMinutes') -
      total(set, hpa, 'violationMinutes'),
    spikeViolationsSavedPercent: round(
      (1 -
        total(spikeSet, ours, 'violationMinutes') /
          Math.max(total(spikeSet, hpa, 'violationMinutes'), 1)) *
        100,
    ),
    spikeCostAboveHpaPercent: round(
      (total(spikeSet, ours, 'instanceMinutes') /
        total(spikeSet, hpa, 'instanceMinutes') -
        1) *
        100,
    ),
    noisySteadyReversals: total(
      set.filter(r => r.trace === noisySteadyTraceName),
      ours,
      'oscillations',
    ),
    worstTraceMinutesAboveHpa: worstMinutes,
    worstTraceViolationsAboveHpa: worstViolations,
    totals,
  };
}

/** One autoscaler's operating point at one target: instance-minutes and violation minutes over the traces. */
export interface SweepPoint {
  autoscaler: string;
  target: number;
  instanceMinutes: number;
  violationMinutes: number;
}

/** Sweep points for one seed: totals over the synthetic traces per autoscaler and target. */
export function sweepPoints(
  results: readonly RunResult[],
  traces: readonly Trace[],
): SweepPoint[] {
  const synthetic = new Set(
    traces.filter(t => t.source === 'synthetic').map(t => t.name),
  );
  const groups = new Map<string, SweepPoint>();
  for (const r of results) {
    if (!synthetic.has(r.trace)) continue;
    const key = `${r.autoscaler}@${r.targetUtilisation}`;
    const point = groups.get(key) ?? {
      autoscaler: r.autoscaler,
      target: r.targetUtilisation,
      instanceMinutes: 0,
      violationMinutes: 0,
    };
    point.instanceMinutes += r.instanceMinutes;
    point.violationMinutes += r.violationMinutes;
    groups.set(key, point);
  }
  return [...groups.values()];
}

/**
 * An autoscaler's cost-versus-violation frontier: its non-dominated sweep points by cost, joined by straight lines
 * and flat beyond the most expensive one (spending more never has to violate more). Undefined below the cheapest.
 */
export function frontier(
  points: readonly SweepPoint[],
): (cost: number) => number | undefined {
  const sorted = [...points].sort(
    (a, b) => a.instanceMinutes - b.instanceMinutes,
  );
  const kept: SweepPoint[] = [];
  for (const p of sorted) {
    if (
      kept.length === 0 ||
      p.violationMinutes < kept[kept.length - 1].violationMinutes
    ) {
      kept.push(p);
    }
  }
  return cost => {
    if (kept.length === 0 || cost < kept[0].instanceMinutes) return undefined;
    for (let i = 1; i < kept.length; i++) {
      if (cost <= kept[i].instanceMinutes) {
        const a = kept[i - 1];
        const b = kept[i];
        return (
          a.violationMinutes +
          ((cost - a.instanceMinutes) /
            (b.instanceMinutes - a.instanceMinutes)) *
            (b.violationMinutes - a.violationMinutes)
        );
      }
    }
    return kept[kept.length - 1].violationMinutes;
  };
}

/** How ours' frontier compares with a baseline's over the cost range both reach. */
export interface FrontierGap {
  baseline: string;
  /** ∫ (theirs − ours) d(instance-minutes) over the shared range, in violation-minute × instance-minutes. */
  area: number;
  /** The area divided by the width of the shared range: the mean vertical gap, in violation minutes. */
  meanGap: number;
  /** The most violation minutes ours lies above theirs at equal cost (0 or less: on or below everywhere). */
  worstAbove: number;
  range: [number, number];
}

export function frontierGap(
  points: readonly SweepPoint[],
  baseline: string,
): FrontierGap {
  const mine = points.filter(p => p.autoscaler === ours);
  const theirs = points.filter(p => p.autoscaler === baseline);
  const fOurs = frontier(mine);
  const fTheirs = frontier(theirs);
  const from = Math.max(
    Math.min(...mine.map(p => p.instanceMinutes)),
    Math.min(...theirs.map(p => p.instanceMinutes)),
  );
  const to = Math.max(
    ...mine.map(p => p.instanceMinutes),
    ...theirs.map(p => p.instanceMinutes),
  );
  const steps = 400;
  let area = 0;
  let worstAbove = -Infinity;
  for (let i = 0; i <= steps; i++) {
    const cost = from + ((to - from) * i) / steps;
    const gap = fTheirs(cost)! - fOurs(cost)!;
    area += (i === 0 || i === steps ? 0.5 : 1) * gap * ((to - from) / steps);
    worstAbove = Math.max(worstAbove, -gap);
  }
  return {
    baseline,
    area: round(area, 0),
    meanGap: round(to > from ? area / (to - from) : 0),
    worstAbove: round(worstAbove),
    range: [round(from, 0), round(to, 0)],
  };
}

/**
 * The instance-minutes ours needs, on its frontier, to violate no more than a baseline does at the matched target;
 * undefined when its frontier never gets that low. A reading of the frontiers, not one of the goals.
 */
export function costAtEqualViolations(
  points: readonly SweepPoint[],
  baseline: string,
  matchedTarget: number,
): { baseline: number; ours?: number } {
  const reference = points.find(
    p => p.autoscaler === baseline && Math.abs(p.target - matchedTarget) < 1e-9,
  )!;
  const mine = points.filter(p => p.autoscaler === ours);
  const f = frontier(mine);
  const from = Math.min(...mine.map(p => p.instanceMinutes));
  const to = Math.max(...mine.map(p => p.instanceMinutes));
  for (let i = 0; i <= 1000; i++) {
    const cost = from + ((to - from) * i) / 1000;
    if (f(cost)! <= reference.violationMinutes) {
      return {
        baseline: round(reference.instanceMinutes, 0),
        ours: round(cost, 0),
      };
    }
  }
  return { baseline: round(reference.instanceMinutes, 0) };
}

/** The median and the worst seed of a per-seed measure. */
function spread(values: readonly number[], better: 'lower' | 'higher') {
  return {
    median: round(median(values)),
    worst: better === 'lower' ? Math.max(...values) : Math.min(...values),
  };
}

/** The goals, each as a median-seed row and a worst-seed row. */
export function goalRows(
  perSeed: readonly SeedGoals[],
  gaps: ReadonlyArray<{ seed: number; gaps: FrontierGap[] }>,
): GoalRow[] {
  const rows: GoalRow[] = [];
  const add = (
    name: string,
    values: number[],
    unit: string,
    goal: number,
    better: 'lower' | 'higher',
  ) => {
    const s = spread(values, better);
    rows.push({
      name: `${name} (median seed)`,
      value: s.median,
      unit,
      goal,
      better,
    });
    rows.push({
      name: `${name} (worst seed)`,
      value: round(s.worst),
      unit,
      goal,
      better,
    });
  };
  add(
    'instance-minutes saved against HPA at the matched 70% target, all families and cold starts',
    perSeed.map(s => s.savedPercent),
    '%',
    15,
    'higher',
  );
  add(
    'SLO-violation minutes above HPA at the matched target, all families and cold starts',
    perSeed.map(s => s.violationMinutesAboveHpa),
    'minutes',
    0,
    'lower',
  );
  add(
    'SLO-violation minutes saved against HPA on the spike families',
    perSeed.map(s => s.spikeViolationsSavedPercent),
    '%',
    40,
    'higher',
  );
  add(
    'instance-minutes above HPA on the spike families',
    perSeed.map(s => s.spikeCostAboveHpaPercent),
    '%',
    0,
    'lower',
  );
  for (const baseline of sweptBaselines) {
    const of = (seed: { gaps: FrontierGap[] }) =>
      seed.gaps.find(g => g.baseline === baseline)!;
    add(
      `frontier: most violation minutes ours lies above ${baseline}'s at equal cost (targets swept, 15 s cold start)`,
      gaps.map(g => of(g).worstAbove),
      'minutes',
      0,
      'lower',
    );
    add(
      `frontier: mean gap, ${baseline}'s violation minutes minus ours at equal cost (area / shared cost range)`,
      gaps.map(g => of(g).meanGap),
      'minutes',
      0,
      'higher',
    );
  }
  add(
    'direction reversals within 5 minutes on noisy steady load, all cold starts',
    perSeed.map(s => s.noisySteadyReversals),
    'reversals',
    0,
    'lower',
  );
  add(
    'worst trace: instance-minutes above HPA beyond 2 minutes of slack',
    perSeed.map(s => s.worstTraceMinutesAboveHpa.percent),
    '%',
    5,
    'lower',
  );
  add(
    'worst trace: SLO-violation minutes above HPA beyond 2 minutes of slack (of max(HPA, 1))',
    perSeed.map(s => s.worstTraceViolationsAboveHpa.percent),
    '%',
    5,
    'lower',
  );
  return rows;
}

/** Per trace, cold start and autoscaler: the median over seeds and the worst seed, at the matched target. */
export function perTraceTable(results: readonly RunResult[]) {
  const groups = new Map<string, RunResult[]>();
  for (const r of results) {
    const key = `${r.trace}|${r.coldStartSeconds}|${r.autoscaler}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map(runs => ({
    trace: runs[0].trace,
    coldStartSeconds: runs[0].coldStartSeconds,
    autoscaler: runs[0].autoscaler,
    seeds: runs.length,
    instanceMinutes: {
      median: round(median(runs.map(r => r.instanceMinutes))),
      worst: round(Math.max(...runs.map(r => r.instanceMinutes))),
    },
    violationMinutes: {
      median: median(runs.map(r => r.violationMinutes)),
      worst: Math.max(...runs.map(r => r.violationMinutes)),
    },
    oscillations: {
      median: median(runs.map(r => r.oscillations)),
      worst: Math.max(...runs.map(r => r.oscillations)),
    },
    coldStarts: median(runs.map(r => r.coldStarts)),
  }));
}

/**
 * Per family, ours against HPA at the matched target over every cold start: per seed, the share of HPA's
 * instance-minutes ours saves and both violation-minute totals; reported as the median and the worst seed (the least
 * saved, the most violation minutes above HPA). Says where the overall saving and violation goals are won or lost.
 */
export function perFamilyAgainstHpa(results: readonly RunResult[]) {
  const families = [...new Set(results.map(r => r.trace))];
  const seeds = [...new Set(results.map(r => r.seed))];
  return families.map(family => {
    const perSeed = seeds.map(seed => {
      const runs = results.filter(r => r.trace === family && r.seed === seed);
      return {
        seed,
        savedPercent: round(
          (1 -
            total(runs, ours, 'instanceMinutes') /
              total(runs, hpa, 'instanceMinutes')) *
            100,
        ),
        oursViolationMinutes: total(runs, ours, 'violationMinutes'),
        hpaViolationMinutes: total(runs, hpa, 'violationMinutes'),
      };
    });
    const above = perSeed.map(
      s => s.oursViolationMinutes - s.hpaViolationMinutes,
    );
    return {
      family,
      savedPercent: {
        median: round(median(perSeed.map(s => s.savedPercent))),
        worst: Math.min(...perSeed.map(s => s.savedPercent)),
      },
      violationMinutesAboveHpa: {
        median: median(above),
        worst: Math.max(...above),
      },
      perSeed,
    };
  });
}
