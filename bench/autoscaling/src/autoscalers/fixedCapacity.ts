import { instancesFor } from '../simulator';
import { Trace } from '../traces';
import { Autoscaler, SimulationConfig } from '../types';

/** The instances a trace's peak second needs at the run's utilisation target. */
export function peakInstances(trace: Trace, config: SimulationConfig): number {
  let peak = 0;
  for (const rate of trace.requestsPerSecond) {
    peak = Math.max(peak, rate);
  }
  return Math.min(
    config.maxInstances,
    Math.max(config.minInstances, instancesFor(peak, config.targetUtilisation)),
  );
}

/** No autoscaling: capacity for the peak, all the time. */
export class FixedCapacity implements Autoscaler {
  readonly name = 'fixed-at-peak';
  readonly intervalSeconds = 3600 * 24 * 365;
  readonly phaseSeconds = 0;

  constructor(readonly instances: number) {}

  desired(): number {
    return this.instances;
  }
}
