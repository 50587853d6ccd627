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
 * Our engine: `decideScale` every 15 s on the same 15 s samples the HPA reads, told the start-up time the
 * platform has observed.
 */
export class CodeRunnerEngine implements Autoscaler {
  readonly name = 'coderunner';
  readonly intervalSeconds = 15;
  private readonly policy: ScalingPolicy;

  constructor(private readonly config: SimulationConfig) {
    this.policy = benchmarkPolicy(config);
  }

  desired(view: ScalerView): number {
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
