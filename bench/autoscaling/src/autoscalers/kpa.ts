import { MetricSample } from '@coderunner/plugin-coderunner-common';
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

function windowAverage(samples: readonly MetricSample[], fromMs: number): number | undefined {
  let sum = 0;
  let n = 0;
  for (let i = samples.length - 1; i >= 0 && samples[i].at > fromMs; i--) {
    sum += samples[i].requestsPerSecond ?? 0;
    n += 1;
  }
  return n === 0 ? undefined : sum / n;
}

/**
 * Knative's KPA in requests-per-second mode, at the shared target (the per-pod target times the default 70%
 * target utilisation). Every 2 s it averages one-second samples over the 60 s stable and 6 s panic windows;
 * it panics when the panic window asks for at least twice the ready pods, and while panicking never scales down,
 * leaving panic after a full stable window below the threshold.
 */
export class KnativePodAutoscaler implements Autoscaler {
  readonly name = 'knative-kpa';
  readonly intervalSeconds = kpaDefaults.tickSeconds;
  private panicSince?: number;
  private maxPanicPods = 0;

  constructor(private readonly config: SimulationConfig) {}

  desired(view: ScalerView): number {
    const nowMs = view.second * 1000;
    const stable = windowAverage(view.samples1, nowMs - kpaDefaults.stableWindowSeconds * 1000);
    const panic = windowAverage(view.samples1, nowMs - kpaDefaults.panicWindowSeconds * 1000);
    const current = view.ready + view.starting;
    if (stable === undefined || panic === undefined) {
      return current;
    }
    const target = workloadTargets.requestsPerSecondPerInstance;
    const readyPods = Math.max(1, view.ready);
    const maxUp = Math.ceil(kpaDefaults.maxScaleUpRate * readyPods);
    const maxDown = Math.floor(readyPods / kpaDefaults.maxScaleDownRate);
    const clamp = (n: number) => Math.min(maxUp, Math.max(maxDown, n));
    const stablePods = clamp(Math.ceil(stable / target));
    const panicPods = clamp(Math.ceil(panic / target));
    const overThreshold = panicPods / readyPods >= kpaDefaults.panicThreshold;
    if (overThreshold) {
      this.panicSince = view.second;
    } else if (this.panicSince !== undefined && view.second - this.panicSince >= kpaDefaults.stableWindowSeconds) {
      this.panicSince = undefined;
      this.maxPanicPods = 0;
    }
    if (this.panicSince === undefined) {
      return stablePods;
    }
    this.maxPanicPods = Math.max(this.maxPanicPods, panicPods, current);
    return Math.min(this.config.maxInstances, this.maxPanicPods);
  }
}
