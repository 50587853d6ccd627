import {
  decideScale,
  ScalingMemory,
  ScalingPolicy,
  scalingPolicyFromTemplate,
} from '@coderunner/plugin-coderunner-common';
import { Autoscaler, ScalerView, SimulationConfig } from '../types';
import { sloTargets } from './workloadTargets';

/**
 * The web app template configured by the SLO, not by the baselines' utilisation target: p95 250 ms (the SLO is
 * 300 ms) and 0.5% errors, with a utilisation ceiling of 80% of capacity (80 req/s per instance, 80% CPU). The
 * engine lowers the ceiling (down to 68 req/s) to just below the load at which it saw latency or errors over target.
 */
export function benchmarkPolicy(config: SimulationConfig): ScalingPolicy {
  const policy = scalingPolicyFromTemplate('webApp');
  policy.minInstances = config.minInstances;
  policy.maxInstances = config.maxInstances;
  policy.targets = {
    cpuPercent: sloTargets.cpuPercent,
    p95LatencyMs: sloTargets.p95LatencyMs,
    errorRate: sloTargets.errorRate,
    requestsPerSecondPerInstance: sloTargets.requestsPerSecondPerInstance,
  };
  return policy;
}

/**
 * How many recent samples (ten minutes at 15 s) and actions the engine is given, as a live caller would keep. What it
 * learns over longer (the latency knee) it carries in the `memory` each decision returns, which the caller passes back.
 */
export const historySamples = 40;
const historyActions = 20;

/**
 * Our engine on the same 15 s samples the HPA reads, told the start-up time the platform has observed. It is event
 * driven: it decides once when each sample arrives (a decision costs microseconds), instead of on a fixed 15 s sync
 * loop that can see a sample up to 15 s after it was published.
 */
export class CodeRunnerEngine implements Autoscaler {
  readonly name = 'coderunner';
  readonly intervalSeconds = 1;
  private readonly policy: ScalingPolicy;
  private lastSampleAt = -1;
  private memory: ScalingMemory | undefined;

  constructor(private readonly config: SimulationConfig) {
    this.policy = benchmarkPolicy(config);
  }

  desired(view: ScalerView): number {
    const newest = view.samples15[view.samples15.length - 1];
    if (!newest || newest.at === this.lastSampleAt) {
      return view.ready + view.starting;
    }
    this.lastSampleAt = newest.at;
    const decision = decideScale({
      policy: this.policy,
      now: view.second * 1000,
      metrics: view.samples15.slice(-historySamples),
      instances: { ready: view.ready, starting: view.starting, startupSeconds: this.config.coldStartSeconds },
      recentDecisions: view.actions.slice(-historyActions).map(a => ({ at: a.second * 1000, from: a.from, to: a.to })),
      memory: this.memory,
    });
    this.memory = decision.memory;
    return decision.desired;
  }
}
