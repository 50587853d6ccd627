import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  CodeRunnerManifest,
  decideScale,
  MetricSample,
  resourceSizes,
  ResourceSize,
  SCALING_LIMITS,
  ScaleRequest,
  ScalingDecisionCause,
  ScalingDecisionRecord,
  ScalingPolicyOverride,
  ScalingPolicyOverrideValues,
  ScalingStatus,
} from '@coderunner/plugin-coderunner-common';
import { MetricsReader } from '@coderunner/plugin-coderunner-node';
import {
  DeploymentRecord,
  DeploymentStore,
  InstanceRecord,
} from '../deployments/DeploymentStore';
import {
  checkOverride,
  resolvePolicy,
  ResolvedPolicy,
} from './effectivePolicy';
import { readSamples } from './metricsWindow';
import {
  NewScalingDecision,
  ScalingStore,
  StoredScalingState,
} from './ScalingStore';

/**
 * The most instances a budget allows, from the cost capability (see CONTRACTS.md).
 *
 * @internal
 */
export interface BudgetCap {
  maxInstances(
    entityRef: string,
    environment: string,
  ): Promise<number | undefined>;
}

/** What the controller needs of the orchestrator. */
export interface ScalingReconciler {
  trigger(deploymentId: string): void;
  logWriter(deploymentId: string): { line(text: string): void };
}

/** Called after every stored decision and every change of pause, hold or policy. */
export type ScalingChangeListener = (
  deploymentId: string,
  decision?: ScalingDecisionRecord,
) => void;

/** The latest time a Date can hold: a hold without expiry lasts until then (or until released). */
const LATEST_DATE_MS = 8.64e15;
const UNTIL_RELEASED = ` until ${new Date(LATEST_DATE_MS).toISOString()}`;

/** How far back the engine looks at least: its noise estimate reads ten minutes. */
const MIN_WINDOW_SECONDS = 600;
/** Changed decisions the engine reads for cooldowns and rate limits. */
const RECENT_DECISIONS_MS = 30 * 60_000;

type Context = {
  deployment: DeploymentRecord;
  manifest: Pick<CodeRunnerManifest, 'scaling' | 'instances' | 'resources'>;
  state: StoredScalingState;
  override?: ScalingPolicyOverride;
  resolved: ResolvedPolicy;
  instances: InstanceRecord[];
};

const describeTargets = (targets: Record<string, number | undefined>) =>
  Object.fromEntries(
    Object.entries(targets).filter(([, v]) => v !== undefined),
  ) as Record<string, number>;

/**
 * Live autoscaling. Each `tick` (one replica at a time: a global scheduler task) reads every
 * running deployment whose active release's manifest (or saved override) names a scaling
 * template, reads its recent metrics, asks the engine (`decideScale`) with the effective policy
 * and any manual hold as the engine's override, stores the decision with its explanation and
 * inputs, and when the count changes sets `desired_instances` and triggers the reconciler:
 * only the count changes, no rebuild and no new release. Stale or missing metrics never lower
 * the count. The API operations (hold, pause, policy overrides) live here too.
 *
 * @internal
 */
export class ScalingController {
  private readonly listeners = new Set<ScalingChangeListener>();
  private readonly waking = new Map<string, Promise<void>>();

  constructor(
    private readonly options: {
      deployments: DeploymentStore;
      store: ScalingStore;
      metrics: MetricsReader;
      reconciler: ScalingReconciler;
      auditor: AuditorService;
      logger: LoggerService;
      /** The sample period: the metrics steps the engine reads, in seconds. */
      stepSeconds: number;
      /** Seconds between ticks; decisions are unique per deployment and tick. */
      tickSeconds: number;
      budgetCap?: BudgetCap;
      now?: () => number;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  /** Listens to decisions and changes; returns the function that stops listening. */
  onChange(listener: ScalingChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(deploymentId: string, decision?: ScalingDecisionRecord) {
    for (const listener of this.listeners) {
      try {
        listener(deploymentId, decision);
      } catch (error) {
        this.options.logger.warn(`A scaling listener failed: ${error}`);
      }
    }
  }

  // The controller

  /** Decides once for every running deployment under autoscaling or a hold. */
  async tick(now = this.now()): Promise<void> {
    const tick = Math.floor(now / (this.options.tickSeconds * 1000));
    for (const deployment of await this.options.deployments.listDeployments()) {
      if (
        deployment.desiredState !== 'running' ||
        !deployment.activeReleaseId
      ) {
        continue;
      }
      try {
        await this.decide(deployment, now, tick);
      } catch (error) {
        this.options.logger.warn(
          `Scaling ${deployment.entityRef} (${deployment.environment}) failed: ${error}`,
        );
      }
    }
  }

  private async decide(
    deployment: DeploymentRecord,
    now: number,
    tick: number,
  ) {
    let ctx = await this.context(deployment);
    const { hold } = ctx.state;
    if (hold?.expiresAt !== undefined && hold.expiresAt <= now) {
      if (await this.options.store.clearHoldIf(deployment.id, hold.at)) {
        const current = deployment.desiredInstances;
        // Without autoscaling, control returns to the manifest's count.
        const to = ctx.resolved.autoscaling ? current : ctx.manifest.instances;
        await this.record(
          ctx,
          {
            at: now,
            from: current,
            to,
            cause: 'hold-expired',
            explanation: `Hold of ${hold.instances} (${hold.reason}) by ${
              hold.by
            } expired; ${
              ctx.resolved.autoscaling
                ? 'the policy decides again'
                : `back to the manifest's ${to}`
            }`,
            inputs: { metrics: {}, targets: {} },
          },
          { eventId: 'scaling-hold-expired', actor: hold.by },
        );
      }
      ctx = await this.context(deployment);
    }
    if (!ctx.resolved.autoscaling || !ctx.resolved.engine) return;
    if (ctx.state.paused) return;

    const policy = ctx.resolved.engine;
    if (ctx.state.hold) {
      policy.override = {
        instances: ctx.state.hold.instances,
        reason: ctx.state.hold.reason,
        expiresAt: ctx.state.hold.expiresAt ?? LATEST_DATE_MS,
      };
    }
    const step = this.options.stepSeconds;
    const longest = Math.max(
      MIN_WINDOW_SECONDS,
      policy.behavior.scaleDown.stabilizationWindowSeconds,
      policy.scaleToZero ? policy.scaleToZero.idleSeconds : 0,
    );
    const windowSeconds = (Math.ceil(longest / step) + 2) * step;
    const samples = await readSamples(this.options.metrics, {
      deploymentId: deployment.id,
      now,
      windowSeconds,
      stepSeconds: step,
      memoryMiBPerInstance:
        resourceSizes[ctx.manifest.resources?.size as ResourceSize]
          ?.memoryMiB ?? 0,
    });
    const ready = ctx.instances.filter(i => i.state === 'ready').length;
    const current = Math.max(deployment.desiredInstances, ready);
    const targets = describeTargets({ ...policy.targets });
    const newest = samples[samples.length - 1];
    const inputs = {
      metrics: newestValues(newest),
      targets,
    };
    const stale =
      !newest || newest.at < now - policy.metricsMaxAgeSeconds * 1000;
    if (stale && !ctx.state.hold) {
      await this.record(ctx, {
        at: now,
        tick,
        from: current,
        to: current,
        cause: 'autoscaler',
        explanation: newest
          ? `Holding ${current}: the newest metrics are from ${new Date(
              newest.at,
            ).toISOString()}, older than the policy's ${
              policy.metricsMaxAgeSeconds
            } s; the count never drops on stale data`
          : `Holding ${current}: no metrics yet; the count never drops on missing data`,
        inputs: { ...inputs, stale: true },
      });
      return;
    }
    const recent = await this.options.store.listDecisions(deployment.id, {
      limit: 100,
      changedOnly: true,
      before: now + 1,
    });
    const decision = decideScale({
      policy,
      now,
      metrics: samples,
      instances: { ready, starting: current - ready },
      recentDecisions: recent
        .filter(d => Date.parse(d.at) >= now - RECENT_DECISIONS_MS)
        .reverse()
        .map(d => ({ at: Date.parse(d.at), from: d.from, to: d.to })),
      memory: ctx.state.memory,
    });
    const stored = await this.record(ctx, {
      at: now,
      tick,
      from: current,
      to: decision.desired,
      cause: 'autoscaler',
      explanation: decision.explanation.replace(
        UNTIL_RELEASED,
        ' until released',
      ),
      inputs: stale ? { ...inputs, stale: true } : inputs,
    });
    // Another replica decided this tick: its memory stands.
    if (stored)
      await this.options.store.setMemory(deployment.id, decision.memory);
  }

  private async context(deployment: DeploymentRecord): Promise<Context> {
    const releaseId = deployment.activeReleaseId ?? deployment.targetReleaseId;
    const release = releaseId
      ? await this.options.deployments.getRelease(releaseId)
      : undefined;
    if (!release) {
      throw new NotFoundError(
        `${deployment.entityRef} has no release in ${deployment.environment}; deploy it first`,
      );
    }
    const parsed = JSON.parse(release.manifest) as Partial<CodeRunnerManifest>;
    const instances = parsed.instances ?? 1;
    const manifest = {
      instances,
      scaling: parsed.scaling ?? { min: instances, max: instances },
      resources: parsed.resources ?? { size: 'small' as const },
    };
    const [state, override, allInstances] = await Promise.all([
      this.options.store.getState(deployment.id),
      this.options.store.latestOverride(deployment.id),
      this.options.deployments.listInstances(deployment.id),
    ]);
    const budget = await this.options.budgetCap
      ?.maxInstances(deployment.entityRef, deployment.environment)
      .catch(error => {
        this.options.logger.warn(
          `No budget cap for ${deployment.entityRef}: ${error}`,
        );
        return undefined;
      });
    return {
      deployment,
      manifest,
      state,
      override,
      resolved: resolvePolicy(manifest, override, budget),
      instances: allInstances,
    };
  }

  /**
   * Stores a decision; when it changes the count, sets `desired_instances`, triggers the
   * reconciler, writes a system line to the deployment's logs and an auditor event.
   */
  private async record(
    ctx: Context,
    decision: Omit<NewScalingDecision, 'deploymentId'>,
    /** `false` when the route that asked audits the change itself. */
    audit: { eventId: string; actor?: string } | false = {
      eventId: 'scaling-decision',
    },
  ): Promise<ScalingDecisionRecord | undefined> {
    const { deployment } = ctx;
    const stored = await this.options.store.recordDecision({
      ...decision,
      deploymentId: deployment.id,
    });
    if (!stored) return undefined;
    if (decision.to !== deployment.desiredInstances) {
      await this.options.deployments.updateDeployment(deployment.id, {
        desiredInstances: decision.to,
      });
      deployment.desiredInstances = decision.to;
      this.options.reconciler.trigger(deployment.id);
    }
    if (stored.direction !== 'none' || stored.cause !== 'autoscaler') {
      this.options.reconciler
        .logWriter(deployment.id)
        .line(
          stored.cause === 'autoscaler'
            ? `Scaling (autoscaler): ${stored.explanation}`
            : `Scaling ${stored.from} → ${stored.to} (${stored.cause}): ${stored.explanation}`,
        );
    }
    if (
      audit &&
      (stored.direction !== 'none' || stored.cause === 'hold-expired')
    ) {
      const event = await this.options.auditor.createEvent({
        eventId: audit.eventId,
        severityLevel: 'low',
        meta: {
          entityRef: deployment.entityRef,
          environment: deployment.environment,
          from: stored.from,
          to: stored.to,
          cause: stored.cause,
          explanation: stored.explanation,
          ...(audit.actor ? { heldBy: audit.actor } : {}),
        },
      });
      await event.success();
    }
    this.changed(deployment.id, stored);
    return stored;
  }

  // The API

  private async find(entityRef: string, environment: string) {
    const deployment = await this.options.deployments.findDeployment(
      entityRef,
      environment,
    );
    if (!deployment) {
      throw new NotFoundError(
        `${entityRef} has no deployment in ${environment}; deploy it first`,
      );
    }
    return deployment;
  }

  async status(entityRef: string, environment: string): Promise<ScalingStatus> {
    return this.statusOf(await this.find(entityRef, environment));
  }

  /** The status of a deployment by id, for the stream. */
  async statusById(deploymentId: string): Promise<ScalingStatus> {
    const deployment = await this.options.deployments.getDeployment(
      deploymentId,
    );
    if (!deployment) throw new NotFoundError(`No deployment ${deploymentId}`);
    return this.statusOf(deployment);
  }

  private async statusOf(deployment: DeploymentRecord): Promise<ScalingStatus> {
    const ctx = await this.context(deployment);
    const [lastDecision] = await this.options.store.listDecisions(
      deployment.id,
      { limit: 1 },
    );
    const { paused, hold } = ctx.state;
    return {
      environment: deployment.environment,
      autoscaling: ctx.resolved.autoscaling,
      ...(paused && {
        paused: {
          by: paused.by,
          at: new Date(paused.at).toISOString(),
          ...(paused.reason ? { reason: paused.reason } : {}),
        },
      }),
      ...(hold && {
        hold: {
          instances: hold.instances,
          reason: hold.reason,
          ...(hold.expiresAt !== undefined && {
            expiresAt: new Date(hold.expiresAt).toISOString(),
          }),
          by: hold.by,
          at: new Date(hold.at).toISOString(),
        },
      }),
      currentInstances: ctx.instances.filter(i => i.state !== 'stopped').length,
      readyInstances: ctx.instances.filter(i => i.state === 'ready').length,
      desiredInstances: deployment.desiredInstances,
      policy: ctx.resolved.effective,
      ...(lastDecision && { lastDecision }),
    };
  }

  async savePolicy(
    entityRef: string,
    environment: string,
    body: ScalingPolicyOverrideValues,
    actor: string,
  ): Promise<ScalingStatus> {
    const deployment = await this.find(entityRef, environment);
    const ctx = await this.context(deployment);
    const values = checkOverride(body, ctx.manifest);
    const saved = await this.options.store.saveOverride(
      deployment.id,
      values,
      actor,
      this.now(),
    );
    await this.note(
      ctx,
      'policy',
      `Policy override version ${
        saved.version
      } saved by ${actor}: ${JSON.stringify(values)}`,
      actor,
    );
    return this.statusOf(deployment);
  }

  async clearPolicy(
    entityRef: string,
    environment: string,
    actor: string,
  ): Promise<ScalingStatus> {
    const deployment = await this.find(entityRef, environment);
    const ctx = await this.context(deployment);
    const saved = await this.options.store.saveOverride(
      deployment.id,
      {},
      actor,
      this.now(),
    );
    await this.note(
      ctx,
      'policy',
      `Policy override cleared by ${actor} (version ${saved.version}): the manifest's policy applies`,
      actor,
    );
    return this.statusOf(deployment);
  }

  async policyVersions(
    entityRef: string,
    environment: string,
  ): Promise<ScalingPolicyOverride[]> {
    const deployment = await this.find(entityRef, environment);
    return this.options.store.listOverrides(deployment.id, 100);
  }

  async hold(
    entityRef: string,
    environment: string,
    body: ScaleRequest,
    actor: string,
  ): Promise<ScalingStatus> {
    const deployment = await this.find(entityRef, environment);
    const ctx = await this.context(deployment);
    const now = this.now();
    const { instances, reason } = body;
    if (
      !Number.isInteger(instances) ||
      instances < 0 ||
      instances > SCALING_LIMITS.maxInstances
    ) {
      throw new InputError(
        `instances must be a whole number from 0 to ${SCALING_LIMITS.maxInstances}; got ${instances}`,
      );
    }
    const { maxInstances, budgetMaxInstances } = ctx.resolved.effective;
    if (instances > maxInstances) {
      throw new InputError(
        `instances must be at most maxInstances (${maxInstances}) of the effective policy; got ${instances}. Raise maxInstances with PUT …/scaling/policy first`,
      );
    }
    if (budgetMaxInstances !== undefined && instances > budgetMaxInstances) {
      throw new InputError(
        `instances must be at most ${budgetMaxInstances}, what the budget allows; got ${instances}`,
      );
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new InputError('reason must say why the count is held');
    }
    checkReason(reason);
    let expiresAt: number | undefined;
    if (body.expiresAt !== undefined) {
      expiresAt = Date.parse(body.expiresAt);
      if (!Number.isFinite(expiresAt)) {
        throw new InputError(
          `expiresAt must be an ISO 8601 time; got '${body.expiresAt}'`,
        );
      }
      if (expiresAt <= now) {
        throw new InputError(
          `expiresAt must be in the future; got ${body.expiresAt}`,
        );
      }
    }
    await this.options.store.setHold(deployment.id, {
      instances,
      reason: reason.trim(),
      expiresAt,
      by: actor,
      at: now,
    });
    await this.note(
      ctx,
      'manual',
      `Held at ${instances} by ${actor}: ${reason.trim()}${
        expiresAt === undefined
          ? ' (until released)'
          : ` (until ${new Date(expiresAt).toISOString()})`
      }`,
      actor,
      { at: now, to: instances },
    );
    return this.statusOf(deployment);
  }

  async releaseHold(
    entityRef: string,
    environment: string,
    actor: string,
  ): Promise<ScalingStatus> {
    const deployment = await this.find(entityRef, environment);
    const ctx = await this.context(deployment);
    if (!ctx.state.hold) {
      throw new InputError(
        `${entityRef} has no hold in ${environment}; nothing to release`,
      );
    }
    await this.options.store.setHold(deployment.id, undefined);
    const current = deployment.desiredInstances;
    const to = ctx.resolved.autoscaling ? current : ctx.manifest.instances;
    await this.note(
      ctx,
      'manual',
      `Hold released by ${actor}; ${
        ctx.resolved.autoscaling
          ? 'the policy decides from the next tick'
          : `back to the manifest's ${to}`
      }`,
      actor,
      { to },
    );
    return this.statusOf(deployment);
  }

  async pause(
    entityRef: string,
    environment: string,
    reason: string | undefined,
    actor: string,
  ): Promise<ScalingStatus> {
    const deployment = await this.find(entityRef, environment);
    const ctx = await this.context(deployment);
    if (reason !== undefined) checkReason(reason);
    const trimmed = reason?.trim() || undefined;
    await this.options.store.setPaused(deployment.id, {
      by: actor,
      at: this.now(),
      reason: trimmed,
    });
    await this.note(
      ctx,
      'paused',
      `Autoscaling paused by ${actor}${
        trimmed ? `: ${trimmed}` : ''
      }; the count stays at ${deployment.desiredInstances}`,
      actor,
    );
    return this.statusOf(deployment);
  }

  async resume(
    entityRef: string,
    environment: string,
    actor: string,
  ): Promise<ScalingStatus> {
    const deployment = await this.find(entityRef, environment);
    const ctx = await this.context(deployment);
    await this.options.store.setPaused(deployment.id, undefined);
    await this.note(ctx, 'resumed', `Autoscaling resumed by ${actor}`, actor);
    return this.statusOf(deployment);
  }

  async decisions(
    entityRef: string,
    environment: string,
    query: { limit?: number; before?: string; changedOnly?: boolean },
  ): Promise<ScalingDecisionRecord[]> {
    const deployment = await this.find(entityRef, environment);
    let before: number | undefined;
    if (query.before !== undefined) {
      before = Date.parse(query.before);
      if (!Number.isFinite(before)) {
        throw new InputError(
          `before must be an ISO 8601 time; got '${query.before}'`,
        );
      }
    }
    return this.options.store.listDecisions(deployment.id, {
      limit: Math.min(query.limit ?? 100, SCALING_LIMITS.decisionsPerPage),
      before,
      // People read the history: a hold at the count the autoscaler had chosen changes nothing but belongs in it.
      notableOnly: query.changedOnly,
    });
  }

  /**
   * Raises a deployment scaled to zero to one instance and records a 'wake' decision; does
   * nothing when it runs instances already. Refuses (NotAllowedError) while a hold at zero, a
   * pause or a hard budget that pays for no instance keeps it at zero.
   */
  async wake(deploymentId: string): Promise<void> {
    // Requests held at once ask together: one wake per deployment at a time on this replica.
    let waking = this.waking.get(deploymentId);
    if (!waking) {
      waking = this.wakeOnce(deploymentId).finally(() =>
        this.waking.delete(deploymentId),
      );
      this.waking.set(deploymentId, waking);
    }
    return waking;
  }

  private async wakeOnce(deploymentId: string): Promise<void> {
    const deployment = await this.options.deployments.getDeployment(
      deploymentId,
    );
    if (!deployment || deployment.desiredInstances > 0) return;
    const ctx = await this.context(deployment);
    const refusal = wakeRefusal(ctx, this.now());
    if (refusal) {
      throw new NotAllowedError(
        `${deployment.entityRef} in ${deployment.environment} stays at zero: ${refusal}`,
      );
    }
    await this.record(ctx, {
      at: this.now(),
      from: 0,
      to: 1,
      cause: 'wake',
      explanation: 'Woken by a request at the gateway: 0 → 1',
      inputs: { metrics: {}, targets: {} },
    });
  }

  /**
   * Records what a person did (hold, release, pause, resume), from the current count to `change.to`
   * (default: the count stays); the route that asked audits it.
   */
  private async note(
    ctx: Context,
    cause: ScalingDecisionCause,
    explanation: string,
    actor: string,
    change: { at?: number; to?: number } = {},
  ) {
    const current = ctx.deployment.desiredInstances;
    await this.record(
      ctx,
      {
        at: change.at ?? this.now(),
        from: current,
        to: change.to ?? current,
        cause,
        explanation,
        inputs: { metrics: {}, targets: {} },
        by: actor,
      },
      false,
    );
  }

  /** Deletes decisions older than `maxAgeMs` and beyond the newest `keep` per deployment. */
  async prune(maxAgeMs: number, keep: number): Promise<number> {
    return this.options.store.pruneDecisions({
      before: this.now() - maxAgeMs,
      keep,
    });
  }
}

/** A hold's or a pause's reason: at most 500 characters of one line of text. */
function checkReason(reason: string) {
  if (reason.length > SCALING_LIMITS.reasonLength) {
    throw new InputError(
      `reason must be at most ${SCALING_LIMITS.reasonLength} characters; got ${reason.length}`,
    );
  }
  // It goes into a log line and the decision history: a line break would forge log lines,
  // and PostgreSQL refuses NUL in text.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(reason)) {
    throw new InputError(
      'reason must be one line of text, without line breaks or other control characters',
    );
  }
}

/**
 * Why a request at the gateway may not start a deployment kept at zero on purpose: anyone can
 * send a request, so a wake must never override a person's hold at zero, a pause, or a hard
 * budget that pays for no instance.
 */
function wakeRefusal(ctx: Context, now: number): string | undefined {
  const { hold, paused } = ctx.state;
  const holding =
    hold && (hold.expiresAt === undefined || hold.expiresAt > now);
  if (holding && hold.instances === 0) {
    return `${hold.by} holds it at zero`;
  }
  if (paused) return `${paused.by} paused its autoscaling`;
  if (ctx.resolved.effective.budgetMaxInstances === 0) {
    return 'its hard budget pays for no instance until the end of the month';
  }
  return undefined;
}

function newestValues(
  sample: MetricSample | undefined,
): Record<string, number | null> {
  const value = (v: number | undefined) => (v === undefined ? null : v);
  return {
    requestsPerSecond: value(sample?.requestsPerSecond),
    p95LatencyMs: value(sample?.p95LatencyMs),
    errorRate: value(sample?.errorRate),
    cpuPercent: value(sample?.cpuPercent),
    memoryPercent: value(sample?.memoryPercent),
  };
}
