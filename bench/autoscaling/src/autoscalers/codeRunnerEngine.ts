import {
  decideScale,
  ScalingMemory,
  ScalingPolicy,
  scalingPolicyFromTemplate,
} from '@coderunner/plugin-coderunner-common';
import { Autoscaler, ScalerView, SimulationConfig } from '../types';
import { workloadTargets } from './workloadTargets';

/**
 * The web app template at the run's target, the same one every baseline gets: requests per second per instance
 * and CPU at the target utilisation. No latency or error-rate target: no baseline reads those, so ours does not
 * either. The template's other settings are its published defaults (as the baselines keep theirs).
 */
export function benchmarkPolicy(config: SimulationConfig): ScalingPolicy {
  const policy = scalingPolicyFromTemplate('web-app');
  policy.minInstances = config.minInstances;
  policy.maxInstances = config.maxInstances;
  policy.targets = workloadTargets(config);
  return policy;
}

/**
 * How many recent samples (ten minutes at 15 s) and actions the engine is given, as a live caller would keep. What it
 * learns over longer it carries in the `memory` each decision returns, which the caller passes back.
 */
export const historySamples = 40;
const historyActions = 20;

/**
 * Measures start-up times the way the platform can: from when an instance was asked for to when it became ready,
 * for the starts it has seen. Nobody tells it the cold start; until one start completes it knows none.
 */
/** How many recent start-up times the observer keeps (the platform's start times can drift). */
const keptStarts = 20;

export class StartupObserver {
  private readonly seen: number[] = [];

  /** Called every second: records the instances that became ready this second. */
  observe(view: ScalerView) {
    for (const pod of view.pods) {
      if (pod.readyAt === view.second && pod.startedAt >= 0) {
        this.seen.push(pod.readyAt - pod.startedAt);
        if (this.seen.length > keptStarts) {
          this.seen.shift();
        }
      }
    }
  }

  /** The median observed start-up time in seconds, or undefined before any start completed. */
  get seconds(): number | undefined {
    if (this.seen.length === 0) {
      return undefined;
    }
    const sorted = [...this.seen].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }
}

/**
 * Our engine on the same 15 s samples every autoscaler reads. It is event driven: it decides once when each sample
 * arrives (a decision costs microseconds), as a live caller on a metrics push would, instead of on a fixed loop.
 */
export class CodeRunnerEngine implements Autoscaler {
  readonly name = 'coderunner';
  readonly intervalSeconds = 1;
  readonly phaseSeconds = 0;
  private readonly policy: ScalingPolicy;
  private readonly startup = new StartupObserver();
  private lastSampleAt = -1;
  private memory: ScalingMemory | undefined;

  constructor(config: SimulationConfig) {
    this.policy = benchmarkPolicy(config);
  }

  desired(view: ScalerView): number {
    this.startup.observe(view);
    const newest = view.samples15[view.samples15.length - 1];
    if (!newest || newest.at === this.lastSampleAt) {
      return view.pods.length;
    }
    this.lastSampleAt = newest.at;
    const decision = decideScale({
      policy: this.policy,
      now: view.second * 1000,
      metrics: view.samples15.slice(-historySamples),
      instances: {
        ready: view.ready,
        starting: view.starting,
        startupSeconds: this.startup.seconds,
      },
      recentDecisions: view.actions
        .slice(-historyActions)
        .map(a => ({ at: a.second * 1000, from: a.from, to: a.to })),
      memory: this.memory,
    });
    this.memory = decision.memory;
    return decision.desired;
  }
}
