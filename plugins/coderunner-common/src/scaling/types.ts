/**
 * Targets the engine keeps each metric at. Any subset may be set; at least one is required.
 *
 * @public
 */
export interface ScalingTargets {
  /** Average CPU utilisation across ready instances, in percent (1–100). */
  cpuPercent?: number;
  /** Average memory utilisation across ready instances, in percent (1–100). */
  memoryPercent?: number;
  /** 95th percentile request latency at the gateway, in milliseconds. */
  p95LatencyMs?: number;
  /** Share of requests that fail, as a fraction (0.01 is 1%). */
  errorRate?: number;
  /** Requests per second each instance should serve. */
  requestsPerSecondPerInstance?: number;
}

/**
 * How fast the instance count may move in one direction.
 *
 * @public
 */
export interface ScalingDirectionBehavior {
  /**
   * Seconds of evidence the engine looks back over. Scaling down uses the highest demand seen in the window, so
   * one quiet sample never removes capacity; once the newest half of the window is quiet, a value further above the
   * window's mean than measured noise explains counts as a passed excursion (the level before a sustained drop).
   * Scaling up uses the newest sample.
   */
  stabilizationWindowSeconds: number;
  /** Ignore changes smaller than this fraction of the target (0.1 ignores anything within ±10%). */
  tolerance: number;
  /** The most instances added or removed per `periodSeconds`. */
  maxInstancesPerPeriod?: number;
  /** The most change per `periodSeconds`, in percent of the current count. */
  maxPercentPerPeriod?: number;
  /** The period the rate limits apply to. */
  periodSeconds: number;
}

/**
 * Per-direction behaviour.
 *
 * @public
 */
export interface ScalingBehavior {
  scaleUp: ScalingDirectionBehavior;
  scaleDown: ScalingDirectionBehavior;
}

/**
 * Minimum quiet time after an action before the next one.
 *
 * @public
 */
export interface ScalingCooldowns {
  /** Seconds after a scale-up before the next scale-up (instances still starting count towards capacity anyway). */
  scaleUpSeconds: number;
  /** Seconds after any action, up or down, before the next scale-down. */
  scaleDownSeconds: number;
}

/**
 * A person pinning the instance count for a while.
 *
 * @public
 */
export interface ScalingOverride {
  instances: number;
  reason: string;
  /** Epoch milliseconds after which the override no longer applies. */
  expiresAt: number;
}

/**
 * A deployment's autoscaling policy.
 *
 * @public
 */
export interface ScalingPolicy {
  minInstances: number;
  maxInstances: number;
  targets: ScalingTargets;
  behavior: ScalingBehavior;
  cooldowns: ScalingCooldowns;
  /** When set, an idle deployment (no requests for `idleSeconds`) scales to zero even if `minInstances` is higher. */
  scaleToZero?: { idleSeconds: number };
  /** The most instances the remaining budget allows; the engine never goes above it. */
  budgetMaxInstances?: number;
  /**
   * How far ahead, in seconds, the engine projects the request-rate trend when scaling up; 0 turns prediction
   * off. The engine adds the instances' observed start-up time when the caller reports it.
   */
  predictionHorizonSeconds: number;
  /** Samples older than this are treated as missing. */
  metricsMaxAgeSeconds: number;
  override?: ScalingOverride;
}

/**
 * One aggregated observation of a deployment, averaged over the scrape interval that ends at `at`.
 * A metric left out is missing.
 *
 * @public
 */
export interface MetricSample {
  /** Epoch milliseconds at the end of the interval. */
  at: number;
  cpuPercent?: number;
  memoryPercent?: number;
  p95LatencyMs?: number;
  errorRate?: number;
  /** Total requests per second arriving at the gateway for the deployment (not per instance). */
  requestsPerSecond?: number;
}

/**
 * One past decision that changed the instance count.
 *
 * @public
 */
export interface ScalingDecisionRecord {
  at: number;
  from: number;
  to: number;
}

/**
 * Everything the decision function needs. It reads nothing else.
 *
 * @public
 */
export interface ScalingInput {
  policy: ScalingPolicy;
  /** Epoch milliseconds. */
  now: number;
  /** Recent samples, oldest first. */
  metrics: readonly MetricSample[];
  instances: {
    ready: number;
    starting: number;
    /** Observed seconds from start to ready, when known; widens the prediction horizon. */
    startupSeconds?: number;
  };
  /** Recent actions, oldest first. */
  recentDecisions: readonly ScalingDecisionRecord[];
  /**
   * What the engine learned from earlier samples: the `memory` of the previous decision for this deployment, passed
   * back unchanged. Optional: without it the engine learns from the given samples only.
   */
  memory?: ScalingMemory;
}

/**
 * What the engine carries from one decision to the next, so that a decision reads only the samples that arrived
 * since the last one. Plain data (store it as JSON next to the deployment); the caller never needs to read it.
 *
 * @public
 */
export interface ScalingMemory {
  /** Epoch ms of the newest sample already learned from. */
  seenUntil: number;
  /**
   * The latency knee: the lowest per-instance request rate at which latency or errors were over target two samples
   * in a row. Undefined until seen.
   */
  kneePerInstance?: number;
  /** The previous sample's request rate (a falling rate with high latency is a backlog draining). */
  lastRate: number;
  /** Per-instance rate of the previous sample when it was over target, else 0. */
  lastSlowLoad: number;
  /** Instances that served that sample. */
  lastSlowServing: number;
  /**
   * Short bursts seen in the last half hour: when each peaked (epoch ms) and how many requests per second it rose
   * above the baseline. Undefined until one is seen.
   */
  bursts?: ReadonlyArray<{ at: number; excess: number }>;
}

/**
 * The metric names a policy can target.
 *
 * @public
 */
export type ScalingMetric = keyof ScalingTargets;

/**
 * What one metric says about the instance count.
 *
 * @public
 */
export interface MetricVote {
  metric: ScalingMetric;
  /** The value the vote was based on, or undefined when the metric is missing. */
  value?: number;
  target: number;
  /** The count this metric asks for; undefined when it has no opinion (missing, or only guards scale-down). */
  desired?: number;
  /** True when the metric forbids removing capacity (missing data, or close to its target). */
  blocksScaleDown: boolean;
  /** True when the metric is missing from the newest samples or from part of the scale-down window. */
  missing?: boolean;
  /**
   * A latency or error-rate value over target earlier in the scale-down window while the newest is within it: the
   * highest such value. Capacity is kept until the whole window is within target.
   */
  windowPeak?: number;
}

/**
 * The outcome of one decision.
 *
 * @public
 */
export interface ScalingDecision {
  /** Ready plus starting instances when the decision was made. */
  current: number;
  desired: number;
  direction: 'up' | 'down' | 'none';
  votes: MetricVote[];
  /**
   * What shaped the count besides the votes, in the order it applied: an override, burst memory, no scale-down on
   * missing data, cooldowns, rate limits, minimum, maximum and budget.
   */
  notes: string[];
  /** What the engine learned, including from this decision's samples: pass it back as the next input's `memory`. */
  memory: ScalingMemory;
  /**
   * A sentence a person can read, built from the votes and notes when first read (see `explainDecision`), such as
   * "2 → 4: p95 latency 480 ms over the 200 ms target; CPU 55% within target".
   */
  readonly explanation: string;
}

/**
 * One problem found in a policy: the field, and what to do about it.
 *
 * @public
 */
export interface ScalingPolicyError {
  field: string;
  message: string;
}
