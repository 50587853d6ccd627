import { components } from './generated/openapi';

/**
 * The targets an effective policy keeps each metric at. Units are in the field names:
 * percent (1–100), milliseconds, a fraction of requests (0.01 is 1%), requests per second.
 *
 * @public
 */
export type ScalingPolicyTargets = components['schemas']['ScalingTargets'];

/**
 * The time windows of an effective policy, in seconds.
 *
 * @public
 */
export type ScalingPolicyWindows = EffectiveScalingPolicy['windows'];

/**
 * Values a saved override sets; each one replaces the manifest's (or the template's) value.
 *
 * @public
 */
export type ScalingPolicyOverrideValues = ScalingPolicyOverride['values'];

/**
 * One saved override version.
 *
 * @public
 */
export type ScalingPolicyOverride =
  components['schemas']['ScalingPolicyOverride'];

/**
 * The policy the autoscaler applies: the manifest's template, min and max, then the saved
 * override, then the budget cap.
 *
 * @public
 */
export type EffectiveScalingPolicy =
  components['schemas']['EffectiveScalingPolicy'];

/**
 * Why a decision was recorded.
 *
 * @public
 */
export type ScalingDecisionCause = ScalingDecisionRecord['cause'];

/**
 * One stored decision of the scaling controller (or a person), with what it was based on.
 *
 * @public
 */
export type ScalingDecisionRecord =
  components['schemas']['ScalingDecisionRecord'];

/**
 * The scaling state of one environment of an entity.
 *
 * @public
 */
export type ScalingStatus = components['schemas']['ScalingStatus'];

/**
 * Body of `PUT …/deployments/:environment/scaling/policy`.
 *
 * @public
 */
export type ScalingPolicyUpdateRequest =
  components['schemas']['ScalingPolicyUpdateRequest'];

/**
 * Body of `POST …/deployments/:environment/scale`: hold a count until released or expired.
 *
 * @public
 */
export type ScaleRequest = components['schemas']['ScaleRequest'];

/**
 * Body of `POST …/deployments/:environment/scaling/pause`.
 *
 * @public
 */
export type ScalingPauseRequest = components['schemas']['ScalingPauseRequest'];

/**
 * Answer of `GET …/scaling/policy/versions`, newest first.
 *
 * @public
 */
export type ScalingPolicyVersionList =
  components['schemas']['ScalingPolicyVersionList'];

/**
 * Answer of `GET …/scaling/decisions`, newest first.
 *
 * @public
 */
export type ScalingDecisionList = components['schemas']['ScalingDecisionList'];

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
