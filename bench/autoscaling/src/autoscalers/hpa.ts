import { MetricSample } from '@coderunner/plugin-coderunner-common';
import { Autoscaler, ScalerView, SimulationConfig } from '../types';
import { workloadTargets } from './workloadTargets';

/** Kubernetes HPA v2 defaults (kube-controller-manager flags and the autoscaling/v2 behavior defaults). */
export const hpaDefaults = {
  syncPeriodSeconds: 15,
  tolerance: 0.1,
  scaleDownStabilizationSeconds: 300,
  scaleUpStabilizationSeconds: 0,
  /** scaleUp policies: 100% or 4 pods per 15 s, selectPolicy Max. */
  scaleUpPercent: 100,
  scaleUpPods: 4,
  scaleUpPeriodSeconds: 15,
  /** scaleDown policy: 100% per 15 s. */
  scaleDownPercent: 100,
  scaleDownPeriodSeconds: 15,
};

/** The pods behind one metric reading, grouped the way the HPA's replica calculator groups them. */
export interface PodGroups {
  /** Ready pods that reported the metric, and their average. */
  readyPods: number;
  average: number;
  /** Running pods with no metric. Pending pods (still starting) are ignored altogether. */
  missingPods: number;
  /** Running but unready pods (CPU only); they count as 0 on a scale-up. */
  unreadyPods: number;
}

/**
 * The replica count one metric asks for, after the replica calculator (`GetResourceReplicas` and
 * `calcPlainMetricReplicas`): within tolerance nothing changes; missing pods count as 0 on a scale-up and as
 * `missingValueOnScaleDown` (100% of the request for CPU, the target for a Pods metric) on a scale-down; unready
 * pods count as 0 on a scale-up; if that flips the direction or lands within tolerance the count stays.
 */
export function replicasForMetric(
  pods: PodGroups,
  target: number,
  current: number,
  tolerance: number,
  missingValueOnScaleDown: number,
): number {
  const ratio = pods.average / target;
  const scaleUpWithUnready = pods.unreadyPods > 0 && ratio > 1;
  if (!scaleUpWithUnready && pods.missingPods === 0) {
    return Math.abs(1 - ratio) <= tolerance ? current : Math.ceil(ratio * pods.readyPods);
  }
  let sum = pods.average * pods.readyPods;
  let count = pods.readyPods;
  if (pods.missingPods > 0) {
    count += pods.missingPods;
    if (ratio < 1) {
      sum += pods.missingPods * missingValueOnScaleDown;
    }
  }
  if (scaleUpWithUnready) {
    count += pods.unreadyPods;
  }
  const newRatio = sum / count / target;
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) {
    return current;
  }
  const replicas = Math.ceil(newRatio * count);
  if ((newRatio < 1 && replicas > current) || (newRatio > 1 && replicas < current)) {
    return current;
  }
  return replicas;
}

/**
 * Kubernetes HorizontalPodAutoscaler (autoscaling/v2) with two metrics, CPU utilisation (Resource) and requests
 * per second per pod (Pods), both at the shared targets. Every 15 s it reads the newest metrics, proposes a count
 * per metric, takes the highest, stabilises scale-downs over 300 s and applies the default rate policies.
 */
export class HorizontalPodAutoscaler implements Autoscaler {
  readonly name = 'k8s-hpa';
  readonly intervalSeconds = hpaDefaults.syncPeriodSeconds;
  private readonly recommendations: Array<{ second: number; replicas: number }> = [];

  constructor(private readonly config: SimulationConfig) {}

  private latest(samples: readonly MetricSample[], second: number): MetricSample | undefined {
    const newest = samples[samples.length - 1];
    // metrics-server serves the newest scrape; one older than two sync periods is treated as unavailable.
    return newest && second * 1000 - newest.at <= 2 * hpaDefaults.syncPeriodSeconds * 1000 ? newest : undefined;
  }

  desired(view: ScalerView): number {
    const current = view.ready + view.starting;
    const sample = this.latest(view.samples15, view.second);
    const { tolerance } = hpaDefaults;
    // Starting instances are Pending pods, which the HPA ignores; every ready pod reports both metrics.
    const valid: number[] = [];
    let invalid = 0;
    if (sample?.cpuPercent !== undefined && view.ready > 0) {
      const pods = { readyPods: view.ready, average: sample.cpuPercent, missingPods: 0, unreadyPods: 0 };
      valid.push(replicasForMetric(pods, workloadTargets.cpuPercent, current, tolerance, 100));
    } else {
      invalid += 1;
    }
    if (sample?.requestsPerSecond !== undefined && view.ready > 0) {
      const pods = { readyPods: view.ready, average: sample.requestsPerSecond / view.ready, missingPods: 0, unreadyPods: 0 };
      const target = workloadTargets.requestsPerSecondPerInstance;
      valid.push(replicasForMetric(pods, target, current, tolerance, target));
    } else {
      invalid += 1;
    }
    if (valid.length === 0) {
      return current;
    }
    let proposal = Math.max(...valid);
    // With an invalid metric the HPA acts only when the valid ones ask for a scale-up.
    if (invalid > 0 && proposal <= current) {
      return current;
    }
    proposal = Math.min(this.config.maxInstances, Math.max(this.config.minInstances, proposal));
    return this.limitRate(view, current, this.stabilize(view.second, current, proposal));
  }

  private stabilize(second: number, current: number, proposal: number): number {
    this.recommendations.push({ second, replicas: proposal });
    const downCutoff = second - hpaDefaults.scaleDownStabilizationSeconds;
    while (this.recommendations.length > 0 && this.recommendations[0].second <= downCutoff) {
      this.recommendations.shift();
    }
    let up = proposal;
    let down = proposal;
    for (const r of this.recommendations) {
      if (r.second > second - hpaDefaults.scaleUpStabilizationSeconds) {
        up = Math.min(up, r.replicas);
      }
      down = Math.max(down, r.replicas);
    }
    if (current < up) {
      return up;
    }
    if (current > down) {
      return down;
    }
    return current;
  }

  private limitRate(view: ScalerView, current: number, desired: number): number {
    const periodStart = (period: number) => {
      let count = current;
      for (let i = view.actions.length - 1; i >= 0 && view.actions[i].second > view.second - period; i--) {
        count = view.actions[i].from;
      }
      return count;
    };
    if (desired > current) {
      const base = periodStart(hpaDefaults.scaleUpPeriodSeconds);
      const limit = base + Math.max(Math.ceil((base * hpaDefaults.scaleUpPercent) / 100), hpaDefaults.scaleUpPods);
      return Math.min(desired, Math.max(current, limit));
    }
    if (desired < current) {
      const base = periodStart(hpaDefaults.scaleDownPeriodSeconds);
      const limit = base - Math.ceil((base * hpaDefaults.scaleDownPercent) / 100);
      return Math.max(desired, Math.min(current, limit));
    }
    return current;
  }
}
