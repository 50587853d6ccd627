import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { DeploymentStatus } from '@coderunner/plugin-coderunner-common';
import {
  ProcessExit,
  SandboxRuntime,
} from '@coderunner/plugin-coderunner-node';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeploymentRecord,
  DeploymentStore,
  InstanceRecord,
  LeaseFence,
  LeaseLostError,
  ReleaseRecord,
} from '../deployments/DeploymentStore';
import { LogStore } from '../logs/LogStore';
import { LineRedactor, LogWriter } from '../logs/LogWriter';
import { ReleaseConfigProvider } from './ReleaseConfigProvider';
import { InstanceRunner } from './InstanceRunner';
import { ReleaseBuilder } from './ReleaseBuilder';
import { StandbyLiveness } from './StandbyLiveness';
import {
  DEPLOYMENT_ID_KEY,
  INSTANCE_ID_KEY,
  RELEASE_ID_KEY,
  ROLE_KEY,
  SANDBOX_OWNER,
  SANDBOX_OWNER_KEY,
} from './sandboxMetadata';

/** A crashed instance waits 1 s, 2 s, 4 s … at most this long before its next start. */
const MAX_BACKOFF_MS = 60_000;
/** This many restarts of the same instance in a row make a crash loop. */
const CRASH_LOOP_RESTARTS = 3;
const LEASE_TTL_MS = 15_000;
const TICK_MS = 2_000;
/**
 * A lease its holder has not renewed for this long (three ticks; a live holder renews every tick,
 * first thing) has a holder that died or stalls: every other replica probes its ready instances.
 * A live holder slowed past it costs only some extra probes: a failing probe marks an instance
 * only while the lease is still that stale (DeploymentStore.markInstanceUnhealthy).
 */
const STALE_LEASE_MS = 6_000;
/** Longer than the gateway's route refresh interval, so no gateway still routes to it. */
const DRAIN_DELAY_MS = 3_000;
/** The status reason of a deployment stopped on request, once nothing of it runs. */
const STOPPED_REASON = 'Stopped on request';
/** How often every replica looks for sandboxes that nothing owns any more. */
const ORPHAN_SWEEP_MS = 60_000;

/**
 * The order in which scale-in drains instances: those not serving (starting, crashed, …) before
 * ready ones, and within each, the newest first, so the instances that have served longest stay.
 * `instances` is oldest first, as the store lists them.
 */
function leastUsefulFirst(instances: InstanceRecord[]): InstanceRecord[] {
  const newestFirst = [...instances].reverse();
  return [
    ...newestFirst.filter(i => i.state !== 'ready'),
    ...newestFirst.filter(i => i.state === 'ready'),
  ];
}

/** What every phase of one reconcile works on. */
type ReconcileStep = {
  deployment: DeploymentRecord;
  /** The deployment's instances as the reconcile found them. */
  instances: InstanceRecord[];
  log: LogWriter;
  lease: LeaseFence;
};

/**
 * Called whenever a deployment's state changed, with what changed; the plugin turns it into a
 * Backstage signal and the gateway refreshes its routes.
 */
export type DeploymentChangeListener = (
  deployment: DeploymentRecord,
) => void | Promise<void>;

/**
 * The orchestrator, modelled on a Kubernetes controller: desired state lives in the database,
 * observed state comes from the sandboxes, and `reconcile(deploymentId)` moves one toward the
 * other. It is idempotent and level-triggered: it can run any number of times, from any
 * replica holding the deployment's lease, after any crash, and does the right next step.
 *
 * @internal
 */
export class Reconciler {
  readonly replicaId = `replica-${randomUUID().slice(0, 8)}`;
  private readonly builder: ReleaseBuilder;
  private readonly runner: InstanceRunner;
  /** Probes the instances of deployments whose lease holder stopped renewing. */
  private readonly standby: StandbyLiveness;
  private readonly writers = new Map<string, LogWriter>();
  private readonly running = new Map<string, Promise<void>>();
  /** Deployments asked to reconcile again once their running reconcile ends. */
  private readonly rerunRequested = new Set<string>();
  /** Builds running in this replica, by release id. */
  private readonly builds = new Map<string, Promise<void>>();
  /** Instances whose start is in flight in this replica. */
  private readonly startingInstances = new Set<string>();
  private readonly draining = new Set<string>();
  /** The leases this replica holds, by deployment id; every write for a deployment carries its fence. */
  private readonly leases = new Map<string, LeaseFence>();
  /** Work started outside a reconcile (instance starts, drains, builds); stop() waits for it. */
  private readonly backgroundWork = new Set<Promise<unknown>>();
  private readonly stopSignal = new AbortController();
  private readonly listeners: DeploymentChangeListener[] = [];
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** When the loop started, ticked and renewed a lease, and when those last failed; read by /health. */
  readonly heartbeat: {
    tickMs: number;
    startedAt?: number;
    stoppedAt?: number;
    tickedAt?: number;
    tickFailedAt?: number;
    leaseRenewedAt?: number;
    leaseFailedAt?: number;
  } = { tickMs: TICK_MS };

  constructor(
    private readonly runtime: SandboxRuntime,
    private readonly store: DeploymentStore,
    /** The plugin's database, for the usage ledger of builds. */
    knex: Knex,
    private readonly logStore: LogStore,
    private readonly logger: LoggerService,
    private readonly options: {
      config?: ReleaseConfigProvider;
      onLogsWritten?: (
        deploymentId: string,
        lastSeq: number,
        lagSeconds: number,
      ) => void;
      redact?: LineRedactor;
      /** Bytes of each output stream an instance's sandbox keeps (`coderunner.logs.sandboxBufferBytes`). */
      sandboxBufferBytes?: number;
    } = {},
  ) {
    this.builder = new ReleaseBuilder(
      runtime,
      store,
      knex,
      logger,
      () => this.stopped,
    );
    this.runner = new InstanceRunner(
      runtime,
      store,
      logger,
      {
        onReady: id => this.background(this.onInstanceReady(id)),
        onExit: (id, exit, reason) =>
          this.background(this.onInstanceExit(id, exit, reason)),
        onUnhealthy: (id, reason) =>
          this.background(this.onInstanceUnhealthy(id, reason)),
      },
      options.config,
      options.sandboxBufferBytes,
    );
    this.standby = new StandbyLiveness(
      runtime,
      store,
      logger,
      { owner: this.replicaId, staleWithinMs: LEASE_TTL_MS - STALE_LEASE_MS },
      deploymentId => this.background(this.onMarkedElsewhere(deploymentId)),
    );
  }

  onChange(listener: DeploymentChangeListener) {
    this.listeners.push(listener);
  }

  /**
   * Reconciles every deployment that needs it now and then every few seconds (see
   * {@link Reconciler.needsReconcile}); looks for orphaned sandboxes now and every minute.
   */
  async start() {
    this.heartbeat.startedAt = Date.now();
    await this.killOrphans().catch(error =>
      this.logger.warn(`Could not look for orphaned sandboxes: ${error}`),
    );
    let lastSweep = Date.now();
    const tick = async () => {
      if (this.stopped) return;
      try {
        // Leases first: a slow call to AgentSphere below never makes them look stale.
        await this.renewLeases();
        if (Date.now() - lastSweep > ORPHAN_SWEEP_MS) {
          lastSweep = Date.now();
          await this.killOrphans().catch(error =>
            this.logger.warn(`Could not look for orphaned sandboxes: ${error}`),
          );
        }
        const [deployments, instances] = await Promise.all([
          this.store.listDeploymentsForReconcile(
            this.replicaId,
            LEASE_TTL_MS - STALE_LEASE_MS,
          ),
          this.store.listAllInstances(),
        ]);
        const byDeployment = new Map<string, InstanceRecord[]>();
        for (const instance of instances) {
          const list = byDeployment.get(instance.deploymentId) ?? [];
          list.push(instance);
          byDeployment.set(instance.deploymentId, list);
        }
        for (const deployment of deployments) {
          if (
            this.needsReconcile(
              deployment,
              byDeployment.get(deployment.id) ?? [],
            )
          ) {
            this.trigger(deployment.id);
          }
        }
        await this.standby.update(
          deployments.filter(d => d.leaseStale && d.desiredState === 'running'),
          byDeployment,
        );
        this.heartbeat.tickedAt = Date.now();
      } catch (error) {
        this.heartbeat.tickFailedAt = Date.now();
        this.logger.warn(`Reconcile tick failed: ${error}`);
      }
      this.timer = setTimeout(tick, TICK_MS);
    };
    await tick();
  }

  /** Renews every lease this replica holds in one statement, quiet deployments' included. */
  private async renewLeases() {
    if (this.leases.size === 0) return;
    try {
      await this.store.renewLeases(this.replicaId, LEASE_TTL_MS);
      this.heartbeat.leaseRenewedAt = Date.now();
    } catch (error) {
      this.heartbeat.leaseFailedAt = Date.now();
      throw error;
    }
  }

  /**
   * Whether a tick reconciles the deployment: not when the database (read afresh each tick,
   * so the loop stays level-triggered) shows it settled, since a reconcile would then change
   * nothing. Settled is: stopped with no instances left and the status saying so; or running
   * with its lease held here, no rollout in progress, exactly the wanted number of instances,
   * all of the active release, ready and watched by this replica, and the status ready.
   * Anything else (a rollout, a crashed, unhealthy, starting or draining instance, a restart
   * timer, a changed instance count, a lease to take or one taken by another replica) is
   * reconciled on every tick, as before. A deployment another live replica holds is its work.
   */
  private needsReconcile(
    deployment: DeploymentRecord & { leasedElsewhere: boolean },
    instances: InstanceRecord[],
  ): boolean {
    if (deployment.leasedElsewhere) {
      // Reconciling it here finds the lease lost and stops acting on it.
      return this.leases.has(deployment.id);
    }
    if (deployment.desiredState === 'stopped') {
      return !(
        instances.length === 0 &&
        deployment.status === 'stopped' &&
        deployment.statusReason === STOPPED_REASON
      );
    }
    if (deployment.desiredState !== 'running') return true;
    const lease = this.leases.get(deployment.id);
    const settled =
      lease !== undefined &&
      deployment.leaseOwner === this.replicaId &&
      deployment.leaseToken === lease.token &&
      deployment.targetReleaseId === null &&
      deployment.activeReleaseId !== null &&
      deployment.status === 'ready' &&
      deployment.statusReason === null &&
      instances.length === deployment.desiredInstances &&
      instances.every(
        i =>
          i.releaseId === deployment.activeReleaseId &&
          i.state === 'ready' &&
          this.runner.isTracked(i.id) &&
          !this.draining.has(i.id) &&
          !this.startingInstances.has(i.id),
      );
    return !settled;
  }

  /** Stops reconciling; running sandboxes are left for the next start to adopt. */
  async stop() {
    this.stopped = true;
    this.heartbeat.stoppedAt = Date.now();
    this.stopSignal.abort();
    clearTimeout(this.timer);
    this.standby.stopAll();
    await Promise.allSettled([...this.running.values()]);
    this.runner.detachAll();
    // Starts and builds notice the stop at their next step; drains not yet begun are left to
    // the next replica that reconciles the deployment.
    while (this.backgroundWork.size > 0) {
      await Promise.allSettled([...this.backgroundWork]);
    }
    for (const writer of this.writers.values()) {
      await writer.flush();
    }
    await this.store.releaseLeases(this.replicaId);
  }

  /** Asks for a reconcile soon; calls for one deployment never overlap. */
  trigger(deploymentId: string) {
    if (this.stopped) return;
    if (this.running.has(deploymentId)) {
      this.rerunRequested.add(deploymentId);
      return;
    }
    const run = this.reconcile(deploymentId)
      .catch(error =>
        error instanceof LeaseLostError
          ? this.loseLease(error)
          : this.logger.error(
              `Reconciling deployment ${deploymentId} failed`,
              error as Error,
            ),
      )
      .finally(() => {
        this.running.delete(deploymentId);
        if (this.rerunRequested.delete(deploymentId)) {
          this.trigger(deploymentId);
        }
      });
    this.running.set(deploymentId, run);
  }

  /** Resolves once no reconcile of the deployment is running or queued. */
  async settle(deploymentId: string) {
    while (this.running.has(deploymentId)) {
      await this.running.get(deploymentId);
    }
  }

  logWriter(deploymentId: string): LogWriter {
    let writer = this.writers.get(deploymentId);
    if (!writer) {
      writer = new LogWriter(deploymentId, this.logStore, this.logger, {
        onWritten: this.options.onLogsWritten,
        redact: this.options.redact,
      });
      this.writers.set(deploymentId, writer);
    }
    return writer;
  }

  /**
   * Moves one deployment a step towards its desired state, in named phases: hold the lease,
   * finish drains a stopped backend left, stop everything for a stopped deployment, find the
   * target release, stop a superseded rollout's instances, build the target, match the instance
   * count, switch to the target once its instances are ready, replace unhealthy instances, and
   * report the status.
   */
  async reconcile(deploymentId: string): Promise<void> {
    const lease = await this.holdLease(deploymentId);
    if (!lease) return;
    const deployment = await this.store.getDeployment(deploymentId);
    if (!deployment) return;
    const instances = await this.store.listInstances(deploymentId);
    const log = this.logWriter(deploymentId);
    const step: ReconcileStep = { deployment, instances, log, lease };

    await this.finishInterruptedDrains(step);
    if (deployment.desiredState !== 'running') {
      await this.stopAll(deployment, instances, log, lease);
      return;
    }
    const target = await this.targetRelease(step);
    if (!target) return;
    await this.stopSupersededRollout(step, target);
    const building = this.buildIfNeeded(step, target);
    if (target.status === 'failed') {
      await this.abandonFailedBuild(step, target);
      return;
    }
    const { current, missing } = await this.matchInstanceCount(step, target);
    if (building) {
      await this.setStatus(
        deployment,
        'deploying',
        `Building release ${target.number}`,
        lease,
      );
      return;
    }
    if (missing < 0) {
      const extra = leastUsefulFirst(current).slice(0, -missing);
      for (const instance of extra) {
        await this.drain(instance, log, 'Scaled down', lease);
      }
    }
    const { fresh, ready } = await this.switchWhenReady(
      step,
      target,
      current.length + Math.max(missing, 0),
    );
    if (ready.length >= deployment.desiredInstances) {
      for (const sick of fresh.filter(i => i.state === 'unhealthy')) {
        await this.drain(
          sick,
          log,
          'Replaced after failing its health checks',
          lease,
        );
      }
    }
    await this.reportStatus(step, target, fresh, ready);
  }

  /** Takes or renews the deployment's lease; undefined when another replica holds it. */
  private async holdLease(
    deploymentId: string,
  ): Promise<LeaseFence | undefined> {
    const lease = await this.store
      .acquireLease(deploymentId, this.replicaId, LEASE_TTL_MS)
      .catch(error => {
        this.heartbeat.leaseFailedAt = Date.now();
        throw error;
      });
    this.heartbeat.leaseRenewedAt = Date.now();
    if (!lease) {
      // Another replica reconciles this deployment.
      const lost = this.leases.get(deploymentId);
      if (lost)
        this.loseLease(
          new LeaseLostError(deploymentId, 'another replica holds the lease'),
        );
      return undefined;
    }
    this.leases.set(deploymentId, lease);
    return lease;
  }

  /** A drain that a stopped backend left half-done is finished here. */
  private async finishInterruptedDrains({
    instances,
    log,
    lease,
  }: ReconcileStep) {
    for (const instance of instances.filter(i => i.state === 'draining')) {
      await this.drain(instance, log, instance.reason ?? 'Draining', lease);
    }
  }

  /** The release to run (the rollout's target, else the active one); undefined after saying why not. */
  private async targetRelease({
    deployment,
    lease,
  }: ReconcileStep): Promise<ReleaseRecord | undefined> {
    const targetId = deployment.targetReleaseId ?? deployment.activeReleaseId;
    if (!targetId) {
      await this.setStatus(deployment, 'pending', 'Not deployed yet', lease);
      return undefined;
    }
    const target = await this.store.getRelease(targetId);
    if (!target) {
      await this.setStatus(
        deployment,
        'failed',
        'The target release is missing',
        lease,
      );
    }
    return target;
  }

  /**
   * A newer deploy superseded the rollout these belong to: they never served, so they stop
   * now, while the active release's instances keep serving until the new target is ready.
   */
  private async stopSupersededRollout(
    { deployment, instances, log, lease }: ReconcileStep,
    target: ReleaseRecord,
  ) {
    for (const instance of instances) {
      if (
        instance.releaseId !== target.id &&
        instance.releaseId !== deployment.activeReleaseId
      ) {
        await this.drain(instance, log, 'Superseded by a newer rollout', lease);
      }
    }
  }

  /**
   * Starts the target's build when it never started or a restart interrupted it (building is
   * idempotent); true while the target is still being built.
   */
  private buildIfNeeded(
    { deployment, log, lease }: ReconcileStep,
    target: ReleaseRecord,
  ): boolean {
    const building =
      target.status === 'pending' || target.status === 'building';
    if (building && !this.builds.has(target.id)) {
      const build = this.builder
        .build(deployment, target, log, lease)
        .finally(() => {
          this.builds.delete(target.id);
          this.trigger(deployment.id);
        });
      this.builds.set(target.id, build);
      this.background(build);
    }
    return building;
  }

  /** The target failed to build: stop its instances and leave the active release serving. */
  private async abandonFailedBuild(
    { deployment, instances, log, lease }: ReconcileStep,
    target: ReleaseRecord,
  ) {
    for (const instance of instances.filter(i => i.releaseId === target.id)) {
      await this.drain(
        instance,
        log,
        `Release ${target.number} failed to build`,
        lease,
      );
    }
    const serving =
      deployment.activeReleaseId && deployment.activeReleaseId !== target.id;
    await this.store.updateDeployment(
      deployment.id,
      { targetReleaseId: undefined },
      lease,
    );
    await this.setStatus(
      { ...deployment, targetReleaseId: null },
      'failed',
      `${target.failureReason ?? 'The build failed'}${
        serving ? '. The previous release keeps serving.' : ''
      }`,
      lease,
    );
  }

  /**
   * Makes the target's instances match: adopts or replaces what runs, restarts crashed ones
   * whose backoff is over and creates the missing ones. An unhealthy instance does not count,
   * so a replacement starts before it is drained. `missing` is negative when there are too many.
   */
  private async matchInstanceCount(
    { deployment, instances, log, lease }: ReconcileStep,
    target: ReleaseRecord,
  ): Promise<{ current: InstanceRecord[]; missing: number }> {
    const current = instances.filter(
      i =>
        i.releaseId === target.id &&
        i.state !== 'draining' &&
        i.state !== 'stopped' &&
        i.state !== 'unhealthy',
    );
    await this.adoptOrReplace(deployment, current, log, lease);

    const now = Date.now();
    for (const instance of current) {
      if (
        instance.state === 'crashed' &&
        !this.startingInstances.has(instance.id)
      ) {
        const due = instance.nextAttemptAt
          ? new Date(instance.nextAttemptAt).getTime()
          : 0;
        if (due <= now) {
          await this.restart(deployment, target, instance, log, lease);
        }
      }
    }
    const missing = deployment.desiredInstances - current.length;
    for (let i = 0; i < missing; i++) {
      const instance = await this.store.createInstance({
        deploymentId: deployment.id,
        releaseId: target.id,
        fence: lease,
      });
      this.launch(deployment, target, instance, log, lease);
    }
    return { current, missing };
  }

  /**
   * Once every wanted instance of the target is ready, switches the gateway to it and drains
   * the old release's instances. Answers the instances as they are now and the ready ones.
   */
  private async switchWhenReady(
    { deployment, log, lease }: ReconcileStep,
    target: ReleaseRecord,
    started: number,
  ): Promise<{ fresh: InstanceRecord[]; ready: InstanceRecord[] }> {
    const fresh = await this.store.listInstances(deployment.id);
    const ready = fresh.filter(
      i => i.releaseId === target.id && i.state === 'ready',
    );
    const wanted = Math.min(deployment.desiredInstances, started);
    if (
      target.id !== deployment.activeReleaseId &&
      ready.length >= Math.max(wanted, 1)
    ) {
      // Every new instance is ready: switch the gateway, then drain the old ones.
      await this.store.updateDeployment(
        deployment.id,
        { activeReleaseId: target.id, targetReleaseId: undefined },
        lease,
      );
      log.line(
        `Release ${target.number} is live on ${ready.length} instance(s)`,
      );
      deployment.activeReleaseId = target.id;
      deployment.targetReleaseId = null;
      // Route to the new instances before the old ones start draining.
      await this.notify(deployment);
    }
    if (target.id === deployment.activeReleaseId) {
      for (const old of fresh.filter(
        i => i.releaseId !== target.id && i.state !== 'stopped',
      )) {
        await this.drain(
          old,
          log,
          `Replaced by release ${target.number}`,
          lease,
        );
      }
    }
    return { fresh, ready };
  }

  /** Says how the deployment is: a crash loop, ready, degraded, or still starting the target. */
  private async reportStatus(
    { deployment, lease }: ReconcileStep,
    target: ReleaseRecord,
    fresh: InstanceRecord[],
    ready: InstanceRecord[],
  ) {
    const crashLoop = fresh.find(
      i =>
        i.releaseId === target.id &&
        i.restarts >= CRASH_LOOP_RESTARTS &&
        i.state !== 'ready',
    );
    if (crashLoop) {
      await this.setStatus(
        deployment,
        'degraded',
        `Crash loop: ${crashLoop.reason ?? 'the instance keeps exiting'}`,
        lease,
      );
    } else if (
      target.id === deployment.activeReleaseId &&
      ready.length >= deployment.desiredInstances
    ) {
      await this.setStatus(deployment, 'ready', undefined, lease);
    } else if (target.id === deployment.activeReleaseId && ready.length > 0) {
      await this.setStatus(
        deployment,
        'degraded',
        `${ready.length} of ${deployment.desiredInstances} instances ready`,
        lease,
      );
    } else {
      await this.setStatus(
        deployment,
        'deploying',
        `Starting release ${target.number}: ${ready.length} of ${deployment.desiredInstances} instances ready`,
        lease,
      );
    }
  }

  private launch(
    deployment: DeploymentRecord,
    release: Parameters<InstanceRunner['start']>[1],
    instance: InstanceRecord,
    log: LogWriter,
    lease: LeaseFence,
  ) {
    this.startingInstances.add(instance.id);
    this.background(
      this.runner
        .start(deployment, release, instance, log, lease, () =>
          this.waitForBuild(release.id),
        )
        .finally(() => this.startingInstances.delete(instance.id)),
    );
  }

  private async restart(
    deployment: DeploymentRecord,
    release: Parameters<InstanceRunner['start']>[1],
    instance: InstanceRecord,
    log: LogWriter,
    lease: LeaseFence,
  ) {
    if (instance.sandboxId) {
      await this.runtime.killSandbox(instance.sandboxId).catch(() => false);
    }
    log.line(
      `Restarting instance ${instance.id.slice(0, 8)} (restart ${
        instance.restarts
      })`,
      {
        releaseId: release.id,
        instanceId: instance.id,
      },
    );
    await this.store.updateInstance(
      instance.id,
      {
        state: 'provisioning',
        sandboxId: undefined,
        pid: undefined,
        url: undefined,
      },
      lease,
    );
    this.launch(
      deployment,
      release,
      { ...instance, state: 'provisioning', sandboxId: null, pid: null },
      log,
      lease,
    );
  }

  /** Resolves true once a release is built, false when its build failed or it is gone. */
  private async waitForBuild(releaseId: string): Promise<boolean> {
    const deadline = Date.now() + 60 * 60_000;
    for (;;) {
      await this.builds.get(releaseId);
      const release = await this.store.getRelease(releaseId);
      if (
        !release ||
        release.status === 'failed' ||
        release.status === 'superseded'
      )
        return false;
      if (release.status === 'built') return true;
      if (this.stopped || Date.now() > deadline) return false;
      // Built by another replica: watch the database.
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }

  /** After a restart of this backend, instances nobody watches are re-attached or replaced. */
  private async adoptOrReplace(
    deployment: DeploymentRecord,
    instances: InstanceRecord[],
    log: LogWriter,
    lease: LeaseFence,
  ) {
    for (const instance of instances) {
      if (
        instance.state === 'crashed' ||
        this.startingInstances.has(instance.id) ||
        this.runner.isTracked(instance.id)
      ) {
        continue;
      }
      const release = await this.store.getRelease(instance.releaseId);
      const adopted =
        release &&
        (instance.state === 'ready' || instance.state === 'starting') &&
        (await this.runner.adopt(
          instance,
          release,
          deployment,
          log,
          lease,
          await this.logStore
            .lastLineAt(deployment.id, instance.id)
            .catch(() => undefined),
        ));
      if (!adopted) {
        if (instance.sandboxId) {
          await this.runtime.killSandbox(instance.sandboxId).catch(() => false);
        }
        await this.store.updateInstance(
          instance.id,
          {
            state: 'crashed',
            reason: 'Interrupted by a backend restart; starting it again',
            nextAttemptAt: undefined,
          },
          lease,
        );
        instance.state = 'crashed';
        instance.nextAttemptAt = null;
      }
    }
  }

  /**
   * Marks an instance draining, then stops it after the gateways have moved away from it. An
   * instance left draining by a stopped backend is finished by the next reconcile.
   */
  private async drain(
    instance: InstanceRecord,
    log: LogWriter,
    why: string,
    lease: LeaseFence,
  ) {
    if (this.draining.has(instance.id)) return;
    this.draining.add(instance.id);
    // Gateways on every replica stop routing to a draining instance at their next refresh;
    // give them that long, and in-flight requests time to finish, before stopping it.
    const delay = instance.state === 'ready' ? DRAIN_DELAY_MS : 0;
    try {
      if (instance.state !== 'draining') {
        await this.store.updateInstance(
          instance.id,
          { state: 'draining', reason: why },
          lease,
        );
        log.line(`Draining instance ${instance.id.slice(0, 8)}: ${why}`, {
          instanceId: instance.id,
        });
      }
    } catch (error) {
      this.draining.delete(instance.id);
      throw error;
    }
    this.background(this.finishDrain(instance, delay, lease));
  }

  private async finishDrain(
    instance: InstanceRecord,
    delayMs: number,
    lease: LeaseFence,
  ) {
    try {
      await sleep(delayMs, undefined, { signal: this.stopSignal.signal }).catch(
        () => undefined,
      );
      if (this.stopped) return;
      // A replica that lost the lease meanwhile leaves the instance to the new holder.
      await this.store.assertHolds(lease);
      await this.runner.stop(instance, lease);
      await this.store.deleteInstance(instance.id, lease).catch(error => {
        if (error instanceof LeaseLostError) throw error;
      });
    } finally {
      this.draining.delete(instance.id);
    }
    this.trigger(instance.deploymentId);
  }

  private async stopAll(
    deployment: DeploymentRecord,
    instances: InstanceRecord[],
    log: LogWriter,
    lease: LeaseFence,
  ) {
    for (const instance of instances) {
      await this.drain(
        instance,
        log,
        deployment.desiredState === 'deleted' ? 'Deleting' : 'Stopping',
        lease,
      );
    }
    const remaining = await this.store.listInstances(deployment.id);
    if (remaining.length > 0) {
      await this.setStatus(
        deployment,
        deployment.status,
        deployment.desiredState === 'deleted' ? 'Deleting' : 'Stopping',
        lease,
      );
      return;
    }
    if (deployment.desiredState === 'deleted') {
      await log.flush();
      this.writers.delete(deployment.id);
      await this.store.deleteDeployment(deployment.id, lease);
      this.leases.delete(deployment.id);
      await this.notify({ ...deployment, status: 'stopped' });
      return;
    }
    await this.setStatus(deployment, 'stopped', STOPPED_REASON, lease);
  }

  /**
   * Another replica took a deployment's lease (this one stalled past the lease's expiry, or
   * lost the database for a while): stop acting on it at once. Its instances' sandboxes keep
   * running for the new holder to adopt; writes still in flight here are refused by the fence.
   */
  private loseLease(error: LeaseLostError) {
    if (!this.leases.delete(error.deploymentId)) return;
    this.runner.detachDeployment(error.deploymentId);
    this.logger.warn(
      `Deployment ${error.deploymentId}: ${error.message}; this replica stops acting on it`,
    );
  }

  private background(task: Promise<unknown>) {
    const tracked = task.catch(error =>
      error instanceof LeaseLostError
        ? this.loseLease(error)
        : this.logger.error(
            'A background step of the orchestrator failed',
            isError(error) ? error : undefined,
          ),
    );
    this.backgroundWork.add(tracked);
    void tracked.finally(() => this.backgroundWork.delete(tracked));
  }

  private async onInstanceReady(instanceId: string) {
    const instance = await this.store.getInstance(instanceId);
    const lease = instance && this.leases.get(instance.deploymentId);
    if (!instance || !lease) return;
    await this.store.updateInstance(instanceId, { restarts: 0 }, lease);
    this.trigger(instance.deploymentId);
  }

  /** Takes a failing instance out of the gateway at once; the next reconcile replaces it. */
  private async onInstanceUnhealthy(instanceId: string, reason: string) {
    const instance = await this.store.getInstance(instanceId);
    const lease = instance && this.leases.get(instance.deploymentId);
    if (!instance || !lease || instance.state !== 'ready') return;
    await this.store.updateInstance(
      instanceId,
      { state: 'unhealthy', reason },
      lease,
    );
    this.logWriter(instance.deploymentId).line(reason, {
      releaseId: instance.releaseId,
      instanceId,
    });
    const deployment = await this.store.getDeployment(instance.deploymentId);
    if (deployment) await this.notify(deployment);
    this.trigger(instance.deploymentId);
  }

  /**
   * An instance of a deployment another replica holds (and stopped renewing) was found failing
   * here: the gateways re-route now, and the deployment is reconciled once its lease is free.
   */
  private async onMarkedElsewhere(deploymentId: string) {
    const deployment = await this.store.getDeployment(deploymentId);
    if (deployment) await this.notify(deployment);
    this.trigger(deploymentId);
  }

  private async onInstanceExit(
    instanceId: string,
    exit: ProcessExit | undefined,
    reason: string,
  ) {
    try {
      const instance = await this.store.getInstance(instanceId);
      if (
        !instance ||
        ['draining', 'stopped', 'unhealthy'].includes(instance.state)
      )
        return;
      const lease = this.leases.get(instance.deploymentId);
      if (!lease) return; // another replica reconciles it now
      const log = this.logWriter(instance.deploymentId);
      await log.flush();
      const tail = await this.logStore.tail(
        instance.deploymentId,
        instanceId,
        5,
      );
      const restarts = instance.restarts + 1;
      const backoff = Math.min(1000 * 2 ** (restarts - 1), MAX_BACKOFF_MS);
      const detail = tail.length
        ? `${reason}. Last output: ${tail.join(' ⏎ ')}`
        : reason;
      await this.store.updateInstance(
        instanceId,
        {
          state: 'crashed',
          restarts,
          lastExitCode: exit?.exitCode,
          reason: detail,
          nextAttemptAt: new Date(Date.now() + backoff),
        },
        lease,
      );
      log.line(
        `Instance ${instanceId.slice(0, 8)} crashed: ${reason}; restarting in ${
          backoff / 1000
        } s`,
        {
          releaseId: instance.releaseId,
          instanceId,
        },
      );
      this.trigger(instance.deploymentId);
      setTimeout(
        () => this.trigger(instance.deploymentId),
        backoff + 50,
      ).unref();
    } catch (error) {
      if (error instanceof LeaseLostError) {
        this.loseLease(error);
        return;
      }
      this.logger.error(
        `Recording the exit of instance ${instanceId} failed`,
        isError(error) ? error : undefined,
      );
    }
  }

  private async setStatus(
    deployment: DeploymentRecord,
    status: DeploymentStatus,
    reason: string | undefined,
    lease: LeaseFence,
  ) {
    if (
      deployment.status === status &&
      (deployment.statusReason ?? undefined) === reason
    )
      return;
    await this.store.updateDeployment(
      deployment.id,
      { status, statusReason: reason },
      lease,
    );
    await this.notify({ ...deployment, status, statusReason: reason ?? null });
  }

  /** Tells every listener; resolves once they all have acted (e.g. the gateway re-routed). */
  private async notify(deployment: DeploymentRecord): Promise<void> {
    const results = await Promise.allSettled(
      this.listeners.map(listener => listener(deployment)),
    );
    for (const result of results) {
      if (result.status === 'rejected') {
        this.logger.warn(
          `A deployment change listener failed: ${result.reason}`,
        );
      }
    }
  }

  /** Whether a live replica other than this one reconciles the deployment (by the database clock). */
  private async leasedElsewhere(
    deploymentId: string | undefined,
  ): Promise<boolean> {
    return deploymentId
      ? this.store.leasedElsewhere(deploymentId, this.replicaId)
      : false;
  }

  /** Kills sandboxes CodeRunner made that no instance or running build owns any more. */
  async killOrphans(): Promise<number> {
    const sandboxes = await this.runtime.listSandboxes({
      metadata: { [SANDBOX_OWNER_KEY]: SANDBOX_OWNER },
    });
    let killed = 0;
    for (const sandbox of sandboxes) {
      const instanceId = sandbox.metadata[INSTANCE_ID_KEY];
      const role = sandbox.metadata[ROLE_KEY];
      let wanted = false;
      if (role === 'instance' && instanceId) {
        const instance = await this.store.getInstance(instanceId);
        // A sandbox whose instance is still being started has no sandbox id recorded yet.
        wanted = Boolean(
          instance &&
            (instance.sandboxId === sandbox.sandboxId ||
              (!instance.sandboxId &&
                (this.startingInstances.has(instanceId) ||
                  (await this.leasedElsewhere(instance.deploymentId))))),
        );
      } else if (role === 'build') {
        wanted =
          this.builds.has(sandbox.metadata[RELEASE_ID_KEY]) ||
          (await this.leasedElsewhere(sandbox.metadata[DEPLOYMENT_ID_KEY]));
      }
      if (!wanted) {
        await this.runtime.killSandbox(sandbox.sandboxId).catch(() => false);
        killed++;
      }
    }
    if (killed > 0) {
      this.logger.info(`Killed ${killed} orphaned sandbox(es)`);
    }
    return killed;
  }
}
