import { MetricSample } from '@coderunner/plugin-coderunner-common';
import { loopPhase } from '../random';
import { Autoscaler, PodTimes, ScalerView, SimulationConfig } from '../types';
import { scrapeSeconds } from '../metricsPipeline';
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

/** The pods behind one metric reading, grouped the way the HPA's replica calculator groups them (`groupPods`). */
export interface PodGroups {
  /** Pods whose metric counts, and its average over them. */
  readyPods: number;
  average: number;
  /** Running pods with no value in this reading. */
  missingPods: number;
  /**
   * Pending pods, and for CPU pods still in their initialisation period whose metric window began before they were
   * ready. Their values are dropped; on a scale-up they count as 0, on a scale-down they do not count at all.
   */
  ignoredPods: number;
}

/** kube-controller-manager `--horizontal-pod-autoscaler-cpu-initialization-period` default. */
export const cpuInitializationSeconds = 120;

/**
 * Groups pods as `groupPods` in Kubernetes' `pkg/controller/podautoscaler/replica_calculator.go` does, for a reading
 * whose window is [windowStart, windowEnd] (seconds): a pod still starting is Pending and ignored; a pod that became
 * ready after the window ended has no value in it (missing); for CPU, a pod within the CPU initialisation period
 * whose readiness came after the window began is ignored (`metric.Timestamp.Before(LastTransitionTime + Window)`).
 * The simulated platform starts an instance as one Pending pod that becomes Running and Ready together.
 */
export function groupPods(
  pods: readonly PodTimes[],
  now: number,
  windowStart: number,
  windowEnd: number,
  cpu: boolean,
) {
  let ready = 0;
  let ignored = 0;
  let missing = 0;
  for (const pod of pods) {
    if (pod.readyAt > now) {
      ignored += 1;
    } else if (pod.readyAt > windowEnd) {
      missing += 1;
    } else if (
      cpu &&
      pod.readyAt > windowStart &&
      now < pod.startedAt + cpuInitializationSeconds
    ) {
      ignored += 1;
    } else {
      ready += 1;
    }
  }
  return { ready, ignored, missing };
}

/**
 * The replica count one metric asks for, after the replica calculator (`GetResourceReplicas` for CPU, `resource`
 * true, and `calcPlainMetricReplicas` for a Pods metric): with no ignored pods on a scale-up and no missing pods,
 * the ratio times the ready pods unless within tolerance; otherwise missing pods count as 0 on a scale-up and as
 * `missingValueOnScaleDown` (100% of the request for CPU, the target for a Pods metric) on a scale-down, ignored
 * pods count as 0 on a scale-up, and the count stays if that lands within tolerance or flips the direction (for
 * CPU also when the new count would move the other way).
 */
export function replicasForMetric(
  pods: PodGroups,
  target: number,
  current: number,
  tolerance: number,
  missingValueOnScaleDown: number,
  resource = true,
): number {
  const ratio = pods.average / target;
  const rebalanceIgnored = pods.ignoredPods > 0 && ratio > 1;
  if (!rebalanceIgnored && pods.missingPods === 0) {
    return Math.abs(1 - ratio) <= tolerance
      ? current
      : Math.ceil(ratio * pods.readyPods);
  }
  let sum = pods.average * pods.readyPods;
  let count = pods.readyPods;
  if (pods.missingPods > 0) {
    count += pods.missingPods;
    if (ratio < 1) {
      sum += pods.missingPods * missingValueOnScaleDown;
    }
  }
  if (rebalanceIgnored) {
    count += pods.ignoredPods;
  }
  const newRatio = sum / count / target;
  if (
    Math.abs(1 - newRatio) <= tolerance ||
    (ratio < 1 && newRatio > 1) ||
    (ratio > 1 && newRatio < 1)
  ) {
    return current;
  }
  const replicas = Math.ceil(newRatio * count);
  if (
    resource &&
    ((newRatio < 1 && replicas > current) ||
      (newRatio > 1 && replicas < current))
  ) {
    return current;
  }
  return replicas;
}

/**
 * Kubernetes HorizontalPodAutoscaler (autoscaling/v2) with two metrics, CPU utilisation (Resource) and requests
 * per second per pod (Pods), both at the run's target. Every 15 s, at a phase drawn per seed, it reads the newest
 * metrics, groups the pods (`groupPods`), proposes a count per metric, takes the highest, stabilises scale-downs
 * over 300 s and applies the default rate policies.
 */
export class HorizontalPodAutoscaler implements Autoscaler {
  readonly name = 'k8s-hpa';
  readonly intervalSeconds = hpaDefaults.syncPeriodSeconds;
  readonly phaseSeconds: number;
  private readonly recommendations: Array<{
    second: number;
    replicas: number;
  }> = [];
  private readonly targets: ReturnType<typeof workloadTargets>;

  constructor(private readonly config: SimulationConfig) {
    this.phaseSeconds = loopPhase(config.seed, this.name, this.intervalSeconds);
    this.targets = workloadTargets(config);
  }

  private latest(
    samples: readonly MetricSample[],
    second: number,
  ): MetricSample | undefined {
    const newest = samples[samples.length - 1];
    // metrics-server serves the newest scrape; one older than two sync periods is treated as unavailable.
    return newest &&
      second * 1000 - newest.at <= 2 * hpaDefaults.syncPeriodSeconds * 1000
      ? newest
      : undefined;
  }

  desired(view: ScalerView): number {
    const current = view.pods.length;
    const sample = this.latest(view.samples15, view.second);
    const { tolerance } = hpaDefaults;
    const valid: number[] = [];
    let invalid = 0;
    const windowEnd = sample ? sample.at / 1000 : 0;
    const windowStart = windowEnd - scrapeSeconds;
    const cpuPods = groupPods(
      view.pods,
      view.second,
      windowStart,
      windowEnd,
      true,
    );
    if (sample?.cpuPercent !== undefined && cpuPods.ready > 0) {
      const pods = {
        readyPods: cpuPods.ready,
        average: sample.cpuPercent,
        missingPods: cpuPods.missing,
        ignoredPods: cpuPods.ignored,
      };
      valid.push(
        replicasForMetric(
          pods,
          this.targets.cpuPercent,
          current,
          tolerance,
          100,
        ),
      );
    } else {
      invalid += 1;
    }
    const rpsPods = groupPods(
      view.pods,
      view.second,
      windowStart,
      windowEnd,
      false,
    );
    if (sample?.requestsPerSecond !== undefined && rpsPods.ready > 0) {
      // Each pod reports what it served; their average is the total over the pods that have a value.
      const pods = {
        readyPods: rpsPods.ready,
        average: sample.requestsPerSecond / rpsPods.ready,
        missingPods: rpsPods.missing,
        ignoredPods: rpsPods.ignored,
      };
      const target = this.targets.requestsPerSecondPerInstance;
      valid.push(
        replicasForMetric(pods, target, current, tolerance, target, false),
      );
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
    proposal = Math.min(
      this.config.maxInstances,
      Math.max(this.config.minInstances, proposal),
    );
    return this.limitRate(
      view,
      current,
      this.stabilize(view.second, current, proposal),
    );
  }

  private stabilize(second: number, current: number, proposal: number): number {
    this.recommendations.push({ second, replicas: proposal });
    const downCutoff = second - hpaDefaults.scaleDownStabilizationSeconds;
    while (
      this.recommendations.length > 0 &&
      this.recommendations[0].second <= downCutoff
    ) {
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

  private limitRate(
    view: ScalerView,
    current: number,
    desired: number,
  ): number {
    const periodStart = (period: number) => {
      let count = current;
      for (
        let i = view.actions.length - 1;
        i >= 0 && view.actions[i].second > view.second - period;
        i--
      ) {
        count = view.actions[i].from;
      }
      return count;
    };
    if (desired > current) {
      const base = periodStart(hpaDefaults.scaleUpPeriodSeconds);
      const limit =
        base +
        Math.max(
          Math.ceil((base * hpaDefaults.scaleUpPercent) / 100),
          hpaDefaults.scaleUpPods,
        );
      return Math.min(desired, Math.max(current, limit));
    }
    if (desired < current) {
      const base = periodStart(hpaDefaults.scaleDownPeriodSeconds);
      const limit =
        base - Math.ceil((base * hpaDefaults.scaleDownPercent) / 100);
      return Math.max(desired, Math.min(current, limit));
    }
    return current;
  }
}
