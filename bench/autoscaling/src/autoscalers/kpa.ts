import { MetricSample } from '@coderunner/plugin-coderunner-common';
import { loopPhase } from '../random';
import { Autoscaler, ScalerView, SimulationConfig } from '../types';
import { workloadTargets } from './workloadTargets';

/** Knative Pod Autoscaler defaults (config-autoscaler). */
export const kpaDefaults = {
  tickSeconds: 2,
  stableWindowSeconds: 60,
  /** panic-window-percentage 10% of the stable window. */
  panicWindowSeconds: 6,
  panicThreshold: 2.0,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
};

/** The average request rate of the samples in the last `seconds` of data (ending at the newest sample). */
function windowAverage(
  samples: readonly MetricSample[],
  seconds: number,
): number | undefined {
  const newest = samples[samples.length - 1];
  let sum = 0;
  let n = 0;
  for (
    let i = samples.length - 1;
    i >= 0 && samples[i].at > newest.at - seconds * 1000;
    i--
  ) {
    if (samples[i].requestsPerSecond !== undefined) {
      sum += samples[i].requestsPerSecond!;
      n += 1;
    }
  }
  return n === 0 ? undefined : sum / n;
}

/**
 * Knative's KPA in requests-per-second mode at the run's target, after `Scale` in Knative Serving's
 * `pkg/autoscaler/scaling/autoscaler.go`. It reads the same 15 s samples, with the same lag, as every other
 * autoscaler (Knative scrapes every second; here no autoscaler gets finer data than another), so its 60 s stable
 * window averages the samples of the newest minute of data and its 6 s panic window holds the newest sample. Every
 * 2 s, at a phase drawn per seed: desired stable and panic counts are ceil(value / target) clamped to
 * [floor(ready / 2), 1000 × ready]; it panics when ceil(panic / target) / max(1, ready) ≥ 2; while panicking it
 * takes the larger of the stable and panic counts and never goes below the most it asked for since panic began;
 * it leaves panic once a full stable window has passed since the threshold was last crossed.
 */
export class KnativePodAutoscaler implements Autoscaler {
  readonly name = 'knative-kpa';
  readonly intervalSeconds = kpaDefaults.tickSeconds;
  readonly phaseSeconds: number;
  private panicSince?: number;
  private maxPanicPods = 0;
  private readonly target: number;

  constructor(config: SimulationConfig) {
    this.phaseSeconds = loopPhase(config.seed, this.name, this.intervalSeconds);
    this.target = workloadTargets(config).requestsPerSecondPerInstance;
  }

  desired(view: ScalerView): number {
    const current = view.pods.length;
    const newest = view.samples15[view.samples15.length - 1];
    // No data inside the stable window: Knative's metric client returns ErrNoData and the scale is left alone.
    if (
      !newest ||
      view.second * 1000 - newest.at > kpaDefaults.stableWindowSeconds * 1000
    ) {
      return current;
    }
    const stable = windowAverage(
      view.samples15,
      kpaDefaults.stableWindowSeconds,
    );
    const panic = windowAverage(view.samples15, kpaDefaults.panicWindowSeconds);
    if (stable === undefined || panic === undefined) {
      return current;
    }
    const readyPods = Math.max(1, view.ready);
    const maxUp = Math.ceil(kpaDefaults.maxScaleUpRate * readyPods);
    const maxDown = Math.floor(readyPods / kpaDefaults.maxScaleDownRate);
    const dspc = Math.ceil(stable / this.target);
    const dppc = Math.ceil(panic / this.target);
    const stablePods = Math.min(maxUp, Math.max(maxDown, dspc));
    const panicPods = Math.min(maxUp, Math.max(maxDown, dppc));
    // The panic test uses the unclamped desired panic count, as `isOverPanicThreshold := dppc/readyPodsCount >= …`.
    const overThreshold = dppc / readyPods >= kpaDefaults.panicThreshold;
    if (overThreshold) {
      this.panicSince = view.second;
    } else if (
      this.panicSince !== undefined &&
      view.second - this.panicSince > kpaDefaults.stableWindowSeconds
    ) {
      this.panicSince = undefined;
      this.maxPanicPods = 0;
    }
    if (this.panicSince === undefined) {
      return stablePods;
    }
    this.maxPanicPods = Math.max(this.maxPanicPods, stablePods, panicPods);
    return this.maxPanicPods;
  }
}
