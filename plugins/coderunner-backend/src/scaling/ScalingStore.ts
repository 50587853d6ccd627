import {
  ScalingDecisionCause,
  ScalingDecisionRecord,
  ScalingMemory,
  ScalingPolicyOverride,
  ScalingPolicyOverrideValues,
} from '@coderunner/plugin-coderunner-common';

/**
 * A manual hold on one deployment's instance count.
 *
 * @internal
 */
export interface StoredHold {
  instances: number;
  reason: string;
  /** Epoch ms; absent: until released. */
  expiresAt?: number;
  by: string;
  /** Epoch ms. */
  at: number;
}

/**
 * The controller's state of one deployment.
 *
 * @internal
 */
export interface StoredScalingState {
  paused?: { by: string; at: number; reason?: string };
  hold?: StoredHold;
  memory?: ScalingMemory;
}

/**
 * A decision to store.
 *
 * @internal
 */
export interface NewScalingDecision {
  deploymentId: string;
  /** Epoch ms. */
  at: number;
  /** The controller tick it belongs to; absent for decisions a person or wake made. */
  tick?: number;
  from: number;
  to: number;
  cause: ScalingDecisionCause;
  explanation: string;
  inputs: ScalingDecisionRecord['inputs'];
  by?: string;
}

/**
 * Where live autoscaling keeps its policy overrides, pause and hold, and decisions.
 *
 * @internal
 */
export interface ScalingStore {
  /** The newest override version, if any was ever saved. */
  latestOverride(
    deploymentId: string,
  ): Promise<ScalingPolicyOverride | undefined>;
  /** Saves `values` as the next version ({} clears the override). */
  saveOverride(
    deploymentId: string,
    values: ScalingPolicyOverrideValues,
    by: string,
    at: number,
  ): Promise<ScalingPolicyOverride>;
  /** Newest first. */
  listOverrides(
    deploymentId: string,
    limit: number,
  ): Promise<ScalingPolicyOverride[]>;
  getState(deploymentId: string): Promise<StoredScalingState>;
  setPaused(
    deploymentId: string,
    paused: StoredScalingState['paused'] | undefined,
  ): Promise<void>;
  setHold(deploymentId: string, hold: StoredHold | undefined): Promise<void>;
  /**
   * Clears the hold only if it is still the one given (same `at`); false when another replica
   * or a person changed it meanwhile.
   */
  clearHoldIf(deploymentId: string, holdAt: number): Promise<boolean>;
  setMemory(deploymentId: string, memory: ScalingMemory): Promise<void>;
  /**
   * Stores a decision. With a `tick`, only the first decision of that tick per deployment is
   * stored: answers undefined when one exists already (another replica decided it).
   */
  recordDecision(
    decision: NewScalingDecision,
  ): Promise<ScalingDecisionRecord | undefined>;
  /**
   * Newest first. `changedOnly`: only decisions that changed the count (what the engine's cooldowns and rate
   * limits read). `notableOnly`: those, plus every decision a person or an event made (holds, releases, pause,
   * resume, policy changes, wakes) even when it left the count as it was (what people read).
   */
  listDecisions(
    deploymentId: string,
    options: {
      limit: number;
      before?: number;
      changedOnly?: boolean;
      notableOnly?: boolean;
    },
  ): Promise<ScalingDecisionRecord[]>;
  /** Deletes decisions older than `before` and beyond the newest `keep` per deployment. */
  pruneDecisions(options: { before: number; keep: number }): Promise<number>;
}
