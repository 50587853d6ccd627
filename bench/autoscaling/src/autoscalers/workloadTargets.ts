import { capacityOf } from '../serviceModel';
import { instanceModel } from '../simulator';

/**
 * The targets every autoscaler is given, so that they differ only in how they decide: 70% of an instance's
 * capacity in requests per second, and 70% CPU where the autoscaler reads CPU.
 */
export const workloadTargets = {
  utilisation: 0.7,
  requestsPerSecondPerInstance: capacityOf(instanceModel) * 0.7,
  cpuPercent: 70,
  p95LatencyMs: 200,
  errorRate: 0.01,
};
