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

const ours = 'coderunner';
const hpa = 'k8s-hpa';
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function total(results: readonly RunResult[], autoscaler: string, field: 'instanceMinutes' | 'violationMinutes' | 'oscillations') {
  return results.filter(r => r.autoscaler === autoscaler).reduce((sum, r) => sum + r[field], 0);
}

/** How far ours is above HPA, in percent of HPA's value (of 1 when HPA's is 0, so one extra minute is 100%). */
function excessPercent(value: number, reference: number): number {
  return round(((value - reference) / Math.max(reference, 1)) * 100);
}

/**
 * The goals, computed over the synthetic traces at every swept cold start. A "trace" in the per-trace goal
 * is one trace at one cold start.
 */
export function goalRows(results: readonly RunResult[], traces: readonly Trace[]): GoalRow[] {
  const synthetic = new Set(traces.filter(t => t.source === 'synthetic').map(t => t.name));
  const spikes = new Set(traces.filter(t => t.spike).map(t => t.name));
  const set = results.filter(r => synthetic.has(r.trace));
  const spikeSet = set.filter(r => spikes.has(r.trace));
  const oursMinutes = total(set, ours, 'instanceMinutes');
  const hpaMinutes = total(set, hpa, 'instanceMinutes');
  let worstMinutes = -Infinity;
  let worstViolations = -Infinity;
  for (const r of set.filter(x => x.autoscaler === ours)) {
    const h = set.find(x => x.autoscaler === hpa && x.trace === r.trace && x.coldStartSeconds === r.coldStartSeconds)!;
    worstMinutes = Math.max(worstMinutes, excessPercent(r.instanceMinutes, h.instanceMinutes));
    worstViolations = Math.max(worstViolations, excessPercent(r.violationMinutes, h.violationMinutes));
  }
  const hpaSpikeViolations = total(spikeSet, hpa, 'violationMinutes');
  return [
    { name: 'instance-minutes saved against HPA, all traces and cold starts', value: round((1 - oursMinutes / hpaMinutes) * 100), unit: '%', goal: 20, better: 'higher' },
    { name: 'SLO-violation minutes above HPA, all traces and cold starts', value: total(set, ours, 'violationMinutes') - total(set, hpa, 'violationMinutes'), unit: 'minutes', goal: 0, better: 'lower' },
    { name: `SLO-violation minutes saved against HPA on spike traces (${[...spikes].join(', ')})`, value: round((1 - total(spikeSet, ours, 'violationMinutes') / Math.max(hpaSpikeViolations, 1)) * 100), unit: '%', goal: 50, better: 'higher' },
    { name: 'oscillations on noisy steady load, all cold starts', value: total(set.filter(r => r.trace === noisySteadyTraceName), ours, 'oscillations'), unit: 'reversals', goal: 0, better: 'lower' },
    { name: 'worst single trace: instance-minutes above HPA', value: worstMinutes, unit: '%', goal: 5, better: 'lower' },
    { name: 'worst single trace: SLO-violation minutes above HPA (over max(HPA, 1))', value: worstViolations, unit: '%', goal: 5, better: 'lower' },
  ];
}

/** Totals per autoscaler over the synthetic traces, for the peers list. */
export function peerRows(results: readonly RunResult[], traces: readonly Trace[]) {
  const synthetic = new Set(traces.filter(t => t.source === 'synthetic').map(t => t.name));
  const set = results.filter(r => synthetic.has(r.trace));
  const names = [...new Set(set.map(r => r.autoscaler))];
  return names.flatMap(name => [
    { name: `${name}: instance-minutes, all traces and cold starts`, value: round(total(set, name, 'instanceMinutes')), unit: 'instance-minutes' },
    { name: `${name}: SLO-violation minutes, all traces and cold starts`, value: total(set, name, 'violationMinutes'), unit: 'minutes' },
    { name: `${name}: oscillations, all traces and cold starts`, value: total(set, name, 'oscillations'), unit: 'reversals' },
  ]);
}
