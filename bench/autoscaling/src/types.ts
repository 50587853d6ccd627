import { MetricSample } from '@coderunner/plugin-coderunner-common';

/** One instance as the platform (or Kubernetes) knows it: when it was asked for and when it became ready. */
export interface PodTimes {
  startedAt: number;
  /** Second the instance became (or will become) ready; later than now while it is still starting. */
  readyAt: number;
}

/** What an autoscaler can see when it runs. */
export interface ScalerView {
  /** Simulated second. */
  second: number;
  ready: number;
  starting: number;
  /**
   * Samples averaged over 15 s, oldest first, each visible `metricsLagSeconds` after its interval ends, with the
   * same noise and losses for every autoscaler.
   */
  samples15: readonly MetricSample[];
  /** Every instance, oldest first (what the HPA's pod lister returns). */
  pods: readonly PodTimes[];
  /** Actions taken so far, oldest first. */
  actions: readonly ScalingAction[];
}

/** An autoscaler under test. One object per simulation run; it may keep state between calls. */
export interface Autoscaler {
  readonly name: string;
  /** How often the simulator asks for a decision, in seconds. */
  readonly intervalSeconds: number;
  /** Offset of the decision loop in seconds (0 ≤ phase < interval): a real controller's loop starts at any time. */
  readonly phaseSeconds: number;
  /** The instance count wanted now. */
  desired(view: ScalerView): number;
}

/** Everything that describes one simulated world, shared by every autoscaler. */
export interface SimulationConfig {
  coldStartSeconds: number;
  minInstances: number;
  maxInstances: number;
  pricePerInstanceHour: number;
  metricsLagSeconds: number;
  /** Relative standard deviation of the noise on each metric sample. */
  metricNoise: number;
  /** Chance that a 15 s sample is lost entirely. */
  missingSampleChance: number;
  sloP95Seconds: number;
  sloErrorRate: number;
  /** The utilisation every autoscaler targets in this run (0.7 is 70% of an instance's capacity). */
  targetUtilisation: number;
  seed: number;
}

/** A change in the instance count. */
export interface ScalingAction {
  second: number;
  from: number;
  to: number;
}

/** The outcome of one autoscaler on one trace. */
export interface RunResult {
  trace: string;
  autoscaler: string;
  coldStartSeconds: number;
  targetUtilisation: number;
  seed: number;
  instanceMinutes: number;
  cost: number;
  violationMinutes: number;
  coldStarts: number;
  actions: number;
  oscillations: number;
  /** Instances (ready plus starting) every 10 s, for charts. */
  instancesEvery10s: number[];
  /** p95 latency in ms per 10 s (the highest second's), for charts. */
  p95Every10s: number[];
  /** Minutes that violated the SLO, for charts. */
  violatingMinutes: number[];
}
