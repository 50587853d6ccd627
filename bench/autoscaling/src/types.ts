import { MetricSample } from '@coderunner/plugin-coderunner-common';
import { Trace } from './traces';

/** What an autoscaler can see when it runs. */
export interface ScalerView {
  /** Simulated second. */
  second: number;
  ready: number;
  starting: number;
  /** Samples averaged over 15 s, oldest first, each available `lag` seconds after its interval ends. */
  samples15: readonly MetricSample[];
  /** One-second samples, oldest first (what Knative's queue-proxy scraping sees). */
  samples1: readonly MetricSample[];
  /** Actions taken so far, oldest first. */
  actions: readonly ScalingAction[];
}

/** An autoscaler under test. One object per simulation run; it may keep state between calls. */
export interface Autoscaler {
  readonly name: string;
  /** How often the simulator asks for a decision, in seconds. */
  readonly intervalSeconds: number;
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
  instanceMinutes: number;
  cost: number;
  violationMinutes: number;
  coldStarts: number;
  actions: number;
  oscillations: number;
  /** Instances (ready plus starting) every 10 s, for charts. */
  instancesEvery10s: number[];
}

/** Builds a fresh autoscaler for one run. */
export type AutoscalerFactory = (trace: Trace, config: SimulationConfig) => Autoscaler;
