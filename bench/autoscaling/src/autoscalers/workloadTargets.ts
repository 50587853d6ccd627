import { capacityOf } from '../serviceModel';
import { instanceModel } from '../simulator';
import { SimulationConfig } from '../types';

/** The matched operating point: every autoscaler targets this share of an instance's capacity unless swept. */
export const matchedUtilisation = 0.7;

/**
 * The targets every autoscaler gets in a run, ours included, so that they differ only in how they decide: the run's
 * utilisation of an instance's capacity in requests per second, and the same percentage of CPU where CPU is read.
 */
export function workloadTargets(
  config: Pick<SimulationConfig, 'targetUtilisation'>,
) {
  return {
    requestsPerSecondPerInstance:
      capacityOf(instanceModel) * config.targetUtilisation,
    cpuPercent: 100 * config.targetUtilisation,
  };
}
