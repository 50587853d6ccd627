import {
  decideScale,
  ScalingPolicy,
  scalingPolicyFromTemplate,
} from '@coderunner/plugin-coderunner-common';
import { Autoscaler, ScalerView, SimulationConfig } from '../types';
import { workloadTargets } from './workloadTargets';

/** The web app template with the shared targets and the run's bounds. */
export function benchmarkPolicy(config: SimulationConfig): ScalingPolicy {
  const policy = scalingPolicyFromTemplate('webApp');
  policy.minInstances = config.minInstances;
  policy.maxInstances = config.maxInstances;
  policy.targets = {
    cpuPercent: workloadTargets.cpuPercent,
    p95LatencyMs: workloadTargets.p95LatencyMs,
    errorRate: workloadTargets.errorRate,
    requestsPerSecondPerInstance: workloadTargets.requestsPerSecondPerInstance,
  };
  return policy;
}

/** How many recent samples and actions the engine is given, as a live caller would keep. */
const historySamples = 40;
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
    });
    return decision.desired;
  }
}
