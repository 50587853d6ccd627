import { createApiRef } from '@backstage/core-plugin-api';
import {
  ScaleRequest,
  ScalingDecisionRecord,
  ScalingPolicyOverride,
  ScalingPolicyUpdateRequest,
  ScalingStatus,
} from '@coderunner/plugin-coderunner-common';
import { LogConnectionState } from './LogStreamClient';

/**
 * Which decisions {@link ScalingApi.listDecisions} returns, newest first.
 *
 * @public
 */
export interface ScalingDecisionQuery {
  limit?: number;
  /** Only decisions made before this time (ISO 8601), for the next page. */
  before?: string;
  /** Only decisions that changed the instance count, and those a person or an event made (a hold at the same count too). */
  changedOnly?: boolean;
}

/**
 * What a {@link ScalingApi.watch} subscriber hears.
 *
 * @public
 */
export interface ScalingWatchHandlers {
  /** The whole status, on subscribe and on every change; `decision` when one caused it. */
  onStatus(status: ScalingStatus, decision?: ScalingDecisionRecord): void;
  onError(code: string, message: string): void;
  onConnection(state: LogConnectionState): void;
}

/**
 * The browser's view of an environment's autoscaling: status, policy, manual
 * holds, pause and the decision history. Every change answers the new status.
 *
 * @public
 */
export interface ScalingApi {
  getStatus(entityRef: string, environment: string): Promise<ScalingStatus>;

  /** Saves a new override version of the policy. */
  savePolicy(
    entityRef: string,
    environment: string,
    request: ScalingPolicyUpdateRequest,
  ): Promise<ScalingStatus>;

  /** Drops the override: the manifest's policy applies again. */
  resetPolicy(entityRef: string, environment: string): Promise<ScalingStatus>;

  /** The saved override versions, newest first. */
  listPolicyVersions(
    entityRef: string,
    environment: string,
  ): Promise<ScalingPolicyOverride[]>;

  /** Holds the instance count, with a reason, until released or `expiresAt`. */
  hold(
    entityRef: string,
    environment: string,
    request: ScaleRequest,
  ): Promise<ScalingStatus>;

  /** Ends a hold: the policy decides again. */
  releaseHold(entityRef: string, environment: string): Promise<ScalingStatus>;

  pause(
    entityRef: string,
    environment: string,
    reason?: string,
  ): Promise<ScalingStatus>;

  resume(entityRef: string, environment: string): Promise<ScalingStatus>;

  listDecisions(
    entityRef: string,
    environment: string,
    query?: ScalingDecisionQuery,
  ): Promise<ScalingDecisionRecord[]>;

  /**
   * Follows the environment's scaling status live (the stream's `scaling`
   * topic); returns the function that stops following.
   */
  watch(
    entityRef: string,
    environment: string,
    handlers: ScalingWatchHandlers,
  ): () => void;
}

/**
 * The {@link ScalingApi} of the CodeRunner plugin.
 *
 * @public
 */
export const scalingApiRef = createApiRef<ScalingApi>({
  id: 'plugin.coderunner.scaling',
});
