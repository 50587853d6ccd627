/**
 * The targets an effective policy keeps each metric at. Units are in the field names:
 * percent (1–100), milliseconds, a fraction of requests (0.01 is 1%), requests per second.
 *
 * @public
 */
export type ScalingPolicyTargets = {
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
};

/**
 * The time windows of an effective policy, in seconds.
 *
 * @public
 */
export type ScalingPolicyWindows = {
  /** Seconds of evidence looked back over before scaling up (0: the newest sample decides). */
  scaleUpStabilizationSeconds: number;
  /** Seconds of quiet needed before capacity is removed. */
  scaleDownStabilizationSeconds: number;
  /** Quiet time after a scale-up before the next scale-up. */
  scaleUpCooldownSeconds: number;
  /** Quiet time after any change before the next scale-down. */
  scaleDownCooldownSeconds: number;
  /** Samples older than this count as missing: the count is never lowered on them. */
  metricsMaxAgeSeconds: number;
  /** Idle seconds after which the deployment scales to zero; absent when the policy never does. */
  scaleToZeroIdleSeconds?: number;
};

/**
 * Values a saved override sets; each one replaces the manifest's (or the template's) value.
 *
 * @public
 */
export type ScalingPolicyOverrideValues = {
  /** A template name as the manifest writes it (`web-app`, `api`, …). */
  template?: string;
  minInstances?: number;
  maxInstances?: number;
  targets?: ScalingPolicyTargets;
};

/**
 * One saved override version.
 *
 * @public
 */
export type ScalingPolicyOverride = {
  version: number;
  by: string;
  /** ISO 8601. */
  at: string;
  /** Empty when this version cleared the override (back to the manifest). */
  values: ScalingPolicyOverrideValues;
};

/**
 * The policy the autoscaler applies: the manifest's template, min and max, then the saved
 * override, then the budget cap.
 *
 * @public
 */
export type EffectiveScalingPolicy = {
  /** Template name as the manifest writes it; absent when neither manifest nor override names one. */
  template?: string;
  minInstances: number;
  maxInstances: number;
  targets: ScalingPolicyTargets;
  windows: ScalingPolicyWindows;
  /** The most instances the remaining budget allows, when a budget applies. */
  budgetMaxInstances?: number;
  sources: {
    manifest: { template?: string; minInstances: number; maxInstances: number };
    /** The override in effect, when one is saved. */
    override?: ScalingPolicyOverride;
  };
};

/**
 * Why a decision was recorded.
 *
 * @public
 */
export type ScalingDecisionCause =
  | 'autoscaler'
  | 'manual'
  | 'hold-expired'
  | 'paused'
  | 'resumed'
  | 'policy'
  | 'wake';

/**
 * One stored decision of the scaling controller (or a person), with what it was based on.
 *
 * @public
 */
export type ScalingDecisionRecord = {
  id: string;
  /** ISO 8601. */
  at: string;
  from: number;
  to: number;
  direction: 'up' | 'down' | 'none';
  cause: ScalingDecisionCause;
  /** A sentence a person can read, e.g. "2 → 4: p95 latency 480 ms over the 200 ms target". */
  explanation: string;
  inputs: {
    /** The newest value of each metric the decision read; null when missing. */
    metrics: Record<string, number | null>;
    targets: Record<string, number>;
    /** True when the newest sample was older than the policy's `metricsMaxAgeSeconds`, or absent. */
    stale?: boolean;
  };
  /** The user, for decisions a person made. */
  by?: string;
};

/**
 * The scaling state of one environment of an entity.
 *
 * @public
 */
export type ScalingStatus = {
  environment: string;
  /** True when the active release's manifest names a scaling template (or an override does). */
  autoscaling: boolean;
  paused?: { by: string; at: string; reason?: string };
  hold?: {
    instances: number;
    reason: string;
    expiresAt?: string;
    by: string;
    at: string;
  };
  /** Instances not stopped. */
  currentInstances: number;
  readyInstances: number;
  desiredInstances: number;
  policy: EffectiveScalingPolicy;
  lastDecision?: ScalingDecisionRecord;
};

/**
 * Body of `PUT …/deployments/:environment/scaling/policy`.
 *
 * @public
 */
export type ScalingPolicyUpdateRequest = {
  template?: string;
  minInstances?: number;
  maxInstances?: number;
  targets?: ScalingPolicyTargets;
};

/**
 * Body of `POST …/deployments/:environment/scale`: hold a count until released or expired.
 *
 * @public
 */
export type ScaleRequest = {
  instances: number;
  reason: string;
  /** ISO 8601; without it the hold lasts until released. */
  expiresAt?: string;
};

/**
 * Body of `POST …/deployments/:environment/scaling/pause`.
 *
 * @public
 */
export type ScalingPauseRequest = {
  reason?: string;
};

/**
 * Answer of `GET …/scaling/policy/versions`, newest first.
 *
 * @public
 */
export type ScalingPolicyVersionList = {
  items: ScalingPolicyOverride[];
};

/**
 * Answer of `GET …/scaling/decisions`, newest first.
 *
 * @public
 */
export type ScalingDecisionList = {
  items: ScalingDecisionRecord[];
};

/**
 * Limits the scaling API enforces.
 *
 * @public
 */
export const SCALING_LIMITS = {
  /** Most instances a hold or a policy may ask for. */
  maxInstances: 100,
  /** Longest reason text. */
  reasonLength: 500,
  /** Most decisions one page returns. */
  decisionsPerPage: 500,
} as const;
