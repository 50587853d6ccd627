import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  CustomErrorBase,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import {
  DeploymentStatus,
  DesiredState,
  InstanceState,
  ReleaseStatus,
} from '@coderunner/plugin-coderunner-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { UsageLedger } from '../cost/UsageLedger';
import { dbTimestamp } from '../database/dbClock';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { tuneSqlite } from '../database/tuneSqlite';
import { DeploymentRow, InstanceRow, ReleaseRow } from './rows';

const DEPLOYMENTS = 'coderunner_deployments';
const RELEASES = 'coderunner_releases';
const FILES = 'coderunner_release_files';
const INSTANCES = 'coderunner_instances';

/**
 * Proof that a replica holds a deployment's lease: the fencing token it got when it took the
 * lease. Every write a lease holder makes carries it, and changes nothing once another
 * replica has taken the lease since (the token grew).
 *
 * @internal
 */
export interface LeaseFence {
  deploymentId: string;
  owner: string;
  token: number;
}

/**
 * A lease holder's write was refused because another replica took the lease: the writer
 * stops acting on that deployment.
 *
 * @internal
 */
export class LeaseLostError extends CustomErrorBase {
  name = 'LeaseLostError' as const;

  constructor(readonly deploymentId: string, message: string) {
    super(message);
  }
}

/**
 * What a deploy or rollback saw of its deployment when it arrived: the number its release
 * would get and when the last rollout was requested. Only deploys and rollbacks change these.
 *
 * @internal
 */
export interface RolloutSeen {
  nextReleaseNumber: number;
  deployedAt: number | undefined;
}

/** The fields of a deployment the orchestrator changes. */
export type DeploymentPatch = Partial<{
  status: DeploymentStatus;
  statusReason: string | undefined;
  desiredState: DesiredState;
  desiredInstances: number;
  activeReleaseId: string | undefined;
  targetReleaseId: string | undefined;
}>;

/** The fields of an instance the orchestrator changes. */
export type InstancePatch = Partial<{
  state: InstanceState;
  sandboxId: string | undefined;
  pid: number | undefined;
  url: string | undefined;
  restarts: number;
  nextAttemptAt: Date | undefined;
  lastExitCode: number | undefined;
  reason: string | undefined;
  readyAt: Date | undefined;
}>;

/**
 * Persists deployments, releases, release files and instances with knex, on SQLite or
 * PostgreSQL. The database is the source of truth: every replica reads desired and observed
 * state from here.
 *
 * @internal
 */
export class DeploymentStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DeploymentStore> {
    const knex = await options.database.getClient();
    await tuneSqlite(knex);
    if (!options.database.migrations?.skip) {
      await migrateDatabaseUp(knex);
    }
    return new DeploymentStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  // Deployments

  async ensureDeployment(options: {
    entityRef: string;
    environment: string;
    createdBy: string;
  }): Promise<DeploymentRow> {
    const now = new Date();
    await this.knex(DEPLOYMENTS)
      .insert({
        id: randomUUID(),
        entity_ref: options.entityRef,
        environment: options.environment,
        desired_instances: 1,
        status: 'pending',
        created_by: options.createdBy,
        created_at: now,
        updated_at: now,
      })
      .onConflict(['entity_ref', 'environment'])
      .ignore();
    return (await this.findDeployment(options.entityRef, options.environment))!;
  }

  async findDeployment(
    entityRef: string,
    environment: string,
  ): Promise<DeploymentRow | undefined> {
    return this.knex<DeploymentRow>(DEPLOYMENTS)
      .where({ entity_ref: entityRef, environment })
      .first();
  }

  async getDeployment(id: string): Promise<DeploymentRow | undefined> {
    return this.knex<DeploymentRow>(DEPLOYMENTS).where({ id }).first();
  }

  async listDeployments(filter?: {
    entityRef?: string;
  }): Promise<DeploymentRow[]> {
    const query = this.knex<DeploymentRow>(DEPLOYMENTS).orderBy([
      { column: 'entity_ref' },
      { column: 'environment' },
    ]);
    if (filter?.entityRef) {
      query.where({ entity_ref: filter.entityRef });
    }
    return query;
  }

  /**
   * Up to `limit` deployments in the global list's order (entity ref, then environment: the
   * unique key, so a row's place never moves) after the position `after` (keyset, no
   * OFFSET), with the list's filters: any of `environments`, any of `statuses`, and `text`
   * somewhere in the entity ref, ignoring case and taken literally.
   */
  async listDeploymentPage(options: {
    after?: { entityRef: string; environment: string };
    limit: number;
    environments?: string[];
    statuses?: DeploymentStatus[];
    text?: string;
  }): Promise<DeploymentRow[]> {
    const query = this.knex<DeploymentRow>(DEPLOYMENTS)
      .orderBy([{ column: 'entity_ref' }, { column: 'environment' }])
      .limit(options.limit);
    const { after, environments, statuses, text } = options;
    if (after) {
      query.where(q =>
        q
          .where('entity_ref', '>', after.entityRef)
          .orWhere(same =>
            same
              .where('entity_ref', after.entityRef)
              .andWhere('environment', '>', after.environment),
          ),
      );
    }
    if (environments?.length) query.whereIn('environment', environments);
    if (statuses?.length) query.whereIn('status', statuses);
    if (text) {
      const pattern = `%${text
        .toLowerCase()
        .replace(/[\\%_]/g, c => `\\${c}`)}%`;
      query.whereRaw(`lower(entity_ref) like ? escape '\\'`, [pattern]);
    }
    return query;
  }

  /** Changes a deployment; with a fence, only while the lease is still the writer's. */
  async updateDeployment(
    id: string,
    patch: DeploymentPatch,
    fence?: LeaseFence,
  ): Promise<void> {
    const row: Record<string, unknown> = { updated_at: new Date() };
    if ('status' in patch) row.status = patch.status;
    if ('statusReason' in patch) row.status_reason = patch.statusReason ?? null;
    if ('desiredState' in patch) row.desired_state = patch.desiredState;
    if ('desiredInstances' in patch)
      row.desired_instances = patch.desiredInstances;
    if ('activeReleaseId' in patch)
      row.active_release_id = patch.activeReleaseId ?? null;
    if ('targetReleaseId' in patch)
      row.target_release_id = patch.targetReleaseId ?? null;
    const updated = await this.knex(DEPLOYMENTS)
      .where({ id, ...(fence ? fenceColumns(fence) : {}) })
      .update(row);
    if (updated === 0) {
      await this.assertHolds(fence);
      throw new NotFoundError(`No deployment with id ${id}`);
    }
  }

  async deleteDeployment(id: string, fence?: LeaseFence): Promise<void> {
    const deleted = await this.knex(DEPLOYMENTS)
      .where({ id, ...(fence ? fenceColumns(fence) : {}) })
      .delete();
    if (deleted === 0) await this.assertHolds(fence);
    else await UsageLedger.closeDeployment(this.knex, id, new Date());
  }

  /**
   * Takes or renews the right to reconcile a deployment. Only one replica holds a lease at a
   * time; an expired lease (its holder died) can be taken by any replica. Expiry is by the
   * database's clock, so replicas whose clocks disagree still agree on it. Taking a lease
   * that was someone else's (or no one's) increments its fencing token; renewing keeps it.
   */
  async acquireLease(
    id: string,
    owner: string,
    ttlMs: number,
  ): Promise<LeaseFence | undefined> {
    const updated = await this.knex(DEPLOYMENTS)
      .where({ id })
      .andWhere(q =>
        q
          .whereNull('lease_owner')
          .orWhere('lease_owner', owner)
          .orWhere('lease_expires_at', '<', dbTimestamp(this.knex)),
      )
      .update({
        lease_token: this.knex.raw(
          'case when lease_owner = ? then lease_token else lease_token + 1 end',
          [owner],
        ),
        lease_owner: owner,
        lease_expires_at: dbTimestamp(this.knex, ttlMs),
      });
    if (updated !== 1) return undefined;
    const row = await this.knex<DeploymentRow>(DEPLOYMENTS)
      .where({ id, lease_owner: owner })
      .first('lease_token');
    return row
      ? { deploymentId: id, owner, token: Number(row.lease_token) }
      : undefined;
  }

  /** Whether a replica other than `owner` holds an unexpired lease on the deployment. */
  async leasedElsewhere(id: string, owner: string): Promise<boolean> {
    const row = await this.knex(DEPLOYMENTS)
      .where({ id })
      .whereNotNull('lease_owner')
      .whereNot('lease_owner', owner)
      .where('lease_expires_at', '>', dbTimestamp(this.knex))
      .first('id');
    return row !== undefined;
  }

  /** Throws LeaseLostError when the fence is stale: another replica took the lease. */
  async assertHolds(fence: LeaseFence | undefined): Promise<void> {
    if (!fence) return;
    const row = await this.knex<DeploymentRow>(DEPLOYMENTS)
      .where({ id: fence.deploymentId })
      .first('lease_owner', 'lease_token');
    if (!row) return; // the deployment is gone: nothing left to fence
    if (
      row.lease_owner !== fence.owner ||
      Number(row.lease_token) !== fence.token
    ) {
      throw new LeaseLostError(
        fence.deploymentId,
        `another replica took the lease (token ${row.lease_token}; this replica held ${fence.token})`,
      );
    }
  }

  /** Narrows a write on a deployment's rows to while `fence` still holds its lease. */
  private fenced<T extends Knex.QueryBuilder>(
    query: T,
    fence: LeaseFence | undefined,
  ): T {
    if (!fence) return query;
    return query.whereExists(
      this.knex(DEPLOYMENTS)
        .select(this.knex.raw('1'))
        .where({ id: fence.deploymentId, ...fenceColumns(fence) }),
    ) as T;
  }

  /**
   * Renews, in one statement, every lease `owner` holds (as {@link acquireLease} renews one:
   * the token stays). A lease another replica took meanwhile is not the owner's any more and
   * is left alone. Answers how many were renewed.
   */
  async renewLeases(owner: string, ttlMs: number): Promise<number> {
    return this.knex(DEPLOYMENTS)
      .where({ lease_owner: owner })
      .update({ lease_expires_at: dbTimestamp(this.knex, ttlMs) });
  }

  /**
   * Every deployment, with whether a live replica other than `owner` holds its lease (by the
   * database's clock), in one query: what the reconcile loop looks at on each tick; and whether
   * another replica holds a lease it has stopped renewing: one that expires (or expired) within
   * `staleWithinMs`, where a holder that renews on time keeps it further off (with 0, only an
   * expired lease is stale).
   */
  async listDeploymentsForReconcile(
    owner: string,
    staleWithinMs = 0,
  ): Promise<
    Array<DeploymentRow & { leasedElsewhere: boolean; leaseStale: boolean }>
  > {
    const rows: Array<
      DeploymentRow & {
        leased_elsewhere: number | string;
        lease_stale: number | string;
      }
    > = await this.knex(DEPLOYMENTS).select(
      '*',
      this.knex.raw(
        'case when lease_owner is not null and lease_owner <> ? and lease_expires_at > ? then 1 else 0 end as leased_elsewhere',
        [owner, dbTimestamp(this.knex)],
      ),
      this.knex.raw(
        'case when lease_owner is not null and lease_owner <> ? and lease_expires_at < ? then 1 else 0 end as lease_stale',
        [owner, dbTimestamp(this.knex, staleWithinMs)],
      ),
    );
    return rows.map(({ leased_elsewhere, lease_stale, ...row }) => ({
      ...row,
      leasedElsewhere: Number(leased_elsewhere) === 1,
      leaseStale: Number(lease_stale) === 1,
    }));
  }

  async releaseLeases(owner: string): Promise<void> {
    await this.knex(DEPLOYMENTS)
      .where({ lease_owner: owner })
      .update({ lease_owner: null, lease_expires_at: null });
  }

  // Releases

  /**
   * What a deploy, rollback or config apply saw when it arrived, to be passed back when it
   * commits: a rollout that started in between was concurrent with it and wins.
   */
  async rolloutSeen(
    entityRef: string,
    environment: string,
  ): Promise<RolloutSeen> {
    const row = await this.findDeployment(entityRef, environment);
    // A deployment not created yet starts at release 1, never deployed.
    return row ? seenOf(row) : { nextReleaseNumber: 1, deployedAt: undefined };
  }

  /**
   * Creates the next numbered release of a deployment and makes it the rollout target, in one
   * transaction. A rollout already in progress when the request arrived is superseded; one
   * that started after it arrived (`seen` no longer matches) was concurrent, and the request is
   * refused with a conflict, so two deploys sent at once never interleave.
   */
  async createRelease(options: {
    deploymentId: string;
    seen?: RolloutSeen;
    manifest: unknown;
    source: Buffer;
    sourceRevision?: string;
    sourceSummary?: string;
    configVersion?: number;
    desiredInstances: number;
    createdBy: string;
  }): Promise<ReleaseRow> {
    return this.knex.transaction(async tx => {
      const deployment = await lockDeployment(tx, options.deploymentId);
      await supersedeRollout(tx, deployment, options.seen);
      const now = deployedNow(deployment);
      const release: ReleaseRow = {
        id: randomUUID(),
        deployment_id: deployment.id,
        number: deployment.next_release_number,
        source_revision: options.sourceRevision ?? null,
        source_summary: options.sourceSummary ?? null,
        manifest: JSON.stringify(options.manifest),
        config_version: options.configVersion ?? null,
        status: 'pending',
        failure_reason: null,
        created_by: options.createdBy,
        created_at: now,
        built_at: null,
        files_pruned_at: null,
      };
      await tx(RELEASES).insert(release);
      await tx(FILES).insert({
        release_id: release.id,
        kind: 'source',
        content: options.source,
        size: options.source.length,
      });
      await tx(DEPLOYMENTS)
        .where({ id: deployment.id })
        .update({
          next_release_number: deployment.next_release_number + 1,
          target_release_id: release.id,
          desired_state: 'running',
          desired_instances: options.desiredInstances,
          status: 'deploying',
          status_reason: `Building release ${release.number}`,
          deployed_by: options.createdBy,
          deployed_at: now,
          updated_at: now,
        });
      return release;
    });
  }

  /**
   * Makes an earlier, successfully built release the rollout target again, superseding a
   * rollout in progress as `createRelease` does.
   */
  async targetRelease(options: {
    deploymentId: string;
    releaseNumber: number;
    requestedBy: string;
    seen?: RolloutSeen;
  }): Promise<ReleaseRow> {
    return this.knex.transaction(async tx => {
      const deployment = await lockDeployment(tx, options.deploymentId);
      const release = await tx<ReleaseRow>(RELEASES)
        .where({ deployment_id: deployment.id, number: options.releaseNumber })
        .first();
      if (!release) {
        throw new NotFoundError(
          `Release ${options.releaseNumber} does not exist for this deployment`,
        );
      }
      // A superseded rollout whose build had finished can be rolled back to.
      const built =
        release.status === 'built' ||
        (release.status === 'superseded' && release.built_at);
      if (!built) {
        throw new InputError(
          `Release ${release.number} cannot be rolled back to: its build ${
            release.status === 'failed' ? 'failed' : 'has not finished'
          }. Pick a release whose build succeeded.`,
        );
      }
      if (release.files_pruned_at) {
        throw new ConflictError(
          `Release ${release.number} cannot be rolled back to: its artifact was pruned by the release retention task (coderunner.releases.keepArtifacts keeps the newest releases). Pick a newer release, or deploy again.`,
        );
      }
      await supersedeRollout(tx, deployment, options.seen);
      if (release.status === 'superseded') {
        await tx(RELEASES)
          .where({ id: release.id })
          .update({ status: 'built' });
        release.status = 'built';
      }
      const now = deployedNow(deployment);
      await tx(DEPLOYMENTS)
        .where({ id: deployment.id })
        .update({
          target_release_id: release.id,
          desired_state: 'running',
          status: 'deploying',
          status_reason: `Rolling back to release ${release.number}`,
          deployed_by: options.requestedBy,
          deployed_at: now,
          updated_at: now,
        });
      return release;
    });
  }

  /**
   * Deletes the source snapshot and artifact of old releases, keeping each deployment's
   * newest `keepNewest` releases, its active release, the release a rollback goes back to
   * (the newest built one before the active), its rollout target, and any release an
   * instance still runs. Release rows and their history stay, marked as pruned.
   */
  async pruneReleaseFiles(
    keepNewest: number,
  ): Promise<{ releases: number; bytes: number }> {
    const pruned = { releases: 0, bytes: 0 };
    const deployments = await this.knex<DeploymentRow>(DEPLOYMENTS).select(
      'id',
    );
    for (const { id } of deployments) {
      await this.knex.transaction(async tx => {
        // Locked, so a concurrent rollback either sees the files or sees them pruned.
        const deployment = await lockDeployment(tx, id).catch(() => undefined);
        if (!deployment) return;
        const releases = await tx<ReleaseRow>(RELEASES)
          .where({ deployment_id: id })
          .orderBy('number', 'desc')
          .select('id', 'number', 'status', 'files_pruned_at');
        const running = await tx<InstanceRow>(INSTANCES)
          .where({ deployment_id: id })
          .distinct('release_id');
        const active = releases.find(
          r => r.id === deployment.active_release_id,
        );
        const rollbackTarget =
          active &&
          releases.find(r => r.number < active.number && r.status === 'built');
        const keep = new Set<string | null | undefined>([
          ...releases.slice(0, keepNewest).map(r => r.id),
          deployment.active_release_id,
          deployment.target_release_id,
          rollbackTarget?.id,
          ...running.map(r => r.release_id),
        ]);
        const ids = releases
          .filter(r => !keep.has(r.id) && !r.files_pruned_at)
          .map(r => r.id);
        if (ids.length === 0) return;
        const [{ bytes }] = await tx(FILES)
          .whereIn('release_id', ids)
          .sum({ bytes: 'size' });
        await tx(FILES).whereIn('release_id', ids).delete();
        await tx(RELEASES)
          .whereIn('id', ids)
          .update({ files_pruned_at: new Date() });
        pruned.releases += ids.length;
        pruned.bytes += Number(bytes ?? 0);
      });
    }
    return pruned;
  }

  async getRelease(id: string): Promise<ReleaseRow | undefined> {
    return this.knex<ReleaseRow>(RELEASES).where({ id }).first();
  }

  async listReleases(deploymentId: string): Promise<ReleaseRow[]> {
    return this.knex<ReleaseRow>(RELEASES)
      .where({ deployment_id: deploymentId })
      .orderBy('number', 'desc');
  }

  async setReleaseStatus(
    id: string,
    status: ReleaseStatus,
    failureReason?: string,
    fence?: LeaseFence,
  ): Promise<void> {
    const updated = await this.fenced(
      this.knex(RELEASES).where({ id }),
      fence,
    ).update({
      // A build that ends after its rollout was superseded leaves that status; built_at still
      // says whether it can be rolled back to.
      status: this.knex.raw(
        "case when status = 'superseded' then status else ? end",
        [status],
      ),
      failure_reason: failureReason ?? null,
      ...(status === 'built' ? { built_at: new Date() } : {}),
    });
    if (updated === 0) await this.assertHolds(fence);
  }

  async saveReleaseFile(
    releaseId: string,
    kind: 'source' | 'artifact',
    content: Buffer,
    fence?: LeaseFence,
  ): Promise<void> {
    await this.whileHolding(fence, tx =>
      tx(FILES)
        .insert({ release_id: releaseId, kind, content, size: content.length })
        .onConflict(['release_id', 'kind'])
        .merge(),
    );
  }

  /**
   * Runs an insert in a transaction that first checks the fence, holding the deployment row
   * (PostgreSQL) so no replica takes the lease in between; SQLite serializes writers anyway.
   */
  private async whileHolding(
    fence: LeaseFence | undefined,
    write: (tx: Knex | Knex.Transaction) => Promise<unknown>,
  ): Promise<void> {
    if (!fence) {
      await write(this.knex);
      return;
    }
    await this.knex.transaction(async tx => {
      const row = await lockDeployment(tx, fence.deploymentId).catch(
        () => undefined,
      );
      if (
        !row ||
        row.lease_owner !== fence.owner ||
        Number(row.lease_token) !== fence.token
      ) {
        throw new LeaseLostError(
          fence.deploymentId,
          `the lease is no longer held by ${fence.owner} with token ${fence.token}`,
        );
      }
      await write(tx);
    });
  }

  async getReleaseFile(
    releaseId: string,
    kind: 'source' | 'artifact',
  ): Promise<Buffer | undefined> {
    const row = await this.knex(FILES)
      .where({ release_id: releaseId, kind })
      .first('content');
    return row ? Buffer.from(row.content) : undefined;
  }

  // Instances

  async createInstance(options: {
    deploymentId: string;
    releaseId: string;
    fence?: LeaseFence;
  }): Promise<InstanceRow> {
    const now = new Date();
    const row: InstanceRow = {
      id: randomUUID(),
      deployment_id: options.deploymentId,
      release_id: options.releaseId,
      state: 'provisioning',
      sandbox_id: null,
      pid: null,
      url: null,
      restarts: 0,
      next_attempt_at: null,
      last_exit_code: null,
      reason: null,
      created_at: now,
      updated_at: now,
      ready_at: null,
    };
    await this.whileHolding(options.fence, async tx => {
      await tx(INSTANCES).insert(row);
      await UsageLedger.openInstance(tx, {
        instanceId: row.id,
        deploymentId: row.deployment_id,
        releaseId: row.release_id,
        at: now,
      });
    });
    return row;
  }

  async getInstance(id: string): Promise<InstanceRow | undefined> {
    return this.knex<InstanceRow>(INSTANCES).where({ id }).first();
  }

  async listInstances(deploymentId: string): Promise<InstanceRow[]> {
    return this.knex<InstanceRow>(INSTANCES)
      .where({ deployment_id: deploymentId })
      .orderBy('created_at', 'asc');
  }

  /**
   * The instances of many deployments in as few queries as the databases' parameter limits
   * allow (one per 500 deployments), each deployment's oldest first.
   */
  async listInstancesOf(deploymentIds: string[]): Promise<InstanceRow[]> {
    const rows: InstanceRow[] = [];
    for (const ids of chunks(deploymentIds)) {
      rows.push(
        ...(await this.knex<InstanceRow>(INSTANCES)
          .whereIn('deployment_id', ids)
          .orderBy([{ column: 'created_at' }, { column: 'id' }])),
      );
    }
    return rows;
  }

  /** Every instance of every deployment in one query, each deployment's oldest first. */
  async listAllInstances(): Promise<InstanceRow[]> {
    return this.knex<InstanceRow>(INSTANCES).orderBy([
      { column: 'created_at' },
      { column: 'id' },
    ]);
  }

  /** Releases by id, in one query per 500 ids. */
  async getReleases(releaseIds: string[]): Promise<ReleaseRow[]> {
    const rows: ReleaseRow[] = [];
    for (const ids of chunks([...new Set(releaseIds)])) {
      rows.push(...(await this.knex<ReleaseRow>(RELEASES).whereIn('id', ids)));
    }
    return rows;
  }

  async updateInstance(
    id: string,
    patch: InstancePatch,
    fence?: LeaseFence,
  ): Promise<void> {
    const row: Record<string, unknown> = { updated_at: new Date() };
    if ('state' in patch) row.state = patch.state;
    if ('sandboxId' in patch) row.sandbox_id = patch.sandboxId ?? null;
    if ('pid' in patch) row.pid = patch.pid ?? null;
    if ('url' in patch) row.url = patch.url ?? null;
    if ('restarts' in patch) row.restarts = patch.restarts;
    if ('nextAttemptAt' in patch)
      row.next_attempt_at = patch.nextAttemptAt ?? null;
    if ('lastExitCode' in patch)
      row.last_exit_code = patch.lastExitCode ?? null;
    if ('reason' in patch) row.reason = patch.reason ?? null;
    if ('readyAt' in patch) row.ready_at = patch.readyAt ?? null;
    const updated = await this.fenced(
      this.knex(INSTANCES).where({ id }),
      fence,
    ).update(row);
    if (updated === 0) await this.assertHolds(fence);
  }

  /**
   * Marks a ready instance unhealthy from any replica (a gateway that found it down), without
   * the deployment's lease: only a row still `ready` changes, so it never undoes a later step of
   * the lease holder, which replaces the instance. Answers whether the row changed.
   */
  /**
   * Marks a ready instance unhealthy without the lease (a gateway or a standing-in replica found
   * it down); true when this changed the row. With `sandboxId`, only while the instance still
   * runs in that sandbox (a probe of a sandbox the instance has left proves nothing of the new
   * one). With `whileLeaseStale`, only while another replica than `owner` holds the deployment's
   * lease and has not renewed it, by the database's clock, as `listDeploymentsForReconcile`
   * judges it: a holder that renews again decides with its own probes.
   */
  async markInstanceUnhealthy(
    id: string,
    reason: string,
    only: {
      sandboxId?: string;
      whileLeaseStale?: { owner: string; staleWithinMs: number };
    } = {},
  ): Promise<boolean> {
    const query = this.knex(INSTANCES).where({ id, state: 'ready' });
    if (only.sandboxId !== undefined)
      query.andWhere({ sandbox_id: only.sandboxId });
    const stale = only.whileLeaseStale;
    if (stale) {
      query.whereExists(
        this.knex(DEPLOYMENTS)
          .select(this.knex.raw('1'))
          .whereRaw(`${DEPLOYMENTS}.id = ${INSTANCES}.deployment_id`)
          .whereNotNull('lease_owner')
          .andWhere('lease_owner', '<>', stale.owner)
          .andWhere(
            'lease_expires_at',
            '<',
            dbTimestamp(this.knex, stale.staleWithinMs),
          ),
      );
    }
    const updated = await query.update({
      state: 'unhealthy',
      reason,
      updated_at: new Date(),
    });
    return updated > 0;
  }

  async deleteInstance(id: string, fence?: LeaseFence): Promise<void> {
    const deleted = await this.fenced(
      this.knex(INSTANCES).where({ id }),
      fence,
    ).delete();
    if (deleted === 0) await this.assertHolds(fence);
    else await UsageLedger.close(this.knex, id, new Date());
  }
}

function fenceColumns(fence: LeaseFence) {
  return { lease_owner: fence.owner, lease_token: fence.token };
}

/** Splits `values` for `where in` lists well inside SQLite's and PostgreSQL's limits. */
function chunks<T>(values: T[], size = 500): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < values.length; i += size) {
    result.push(values.slice(i, i + size));
  }
  return result;
}

async function lockDeployment(
  tx: Knex.Transaction,
  id: string,
): Promise<DeploymentRow> {
  const query = tx<DeploymentRow>(DEPLOYMENTS).where({ id });
  // SQLite serializes write transactions already and has no row locks.
  const row = await (tx.client.config.client === 'pg'
    ? query.forUpdate()
    : query
  ).first();
  if (!row) {
    throw new NotFoundError(`No deployment with id ${id}`);
  }
  return row;
}

/**
 * What a request for a new rollout saw of the deployment it read.
 *
 * @internal
 */
export function seenOf(row: DeploymentRow): RolloutSeen {
  return {
    nextReleaseNumber: Number(row.next_release_number),
    deployedAt:
      row.deployed_at === null
        ? undefined
        : new Date(row.deployed_at).getTime(),
  };
}

/**
 * The time of a new rollout, always later than the last one's (by a millisecond if need be),
 * so that `deployed_at` tells each rollout from the one before (see RolloutSeen).
 */
function deployedNow(deployment: DeploymentRow): Date {
  const last =
    deployment.deployed_at === null
      ? 0
      : new Date(deployment.deployed_at).getTime();
  return new Date(Math.max(Date.now(), last + 1));
}

/**
 * Makes way for a new rollout target. A rollout in progress that was already there when the
 * request arrived is superseded: its release is marked so, and the reconciler stops its
 * instances while the active release keeps serving. A rollout that began after the request
 * arrived (several sent at once) wins, and this one gets a conflict. Without `seen` a rollout
 * in progress is never superseded.
 */
async function supersedeRollout(
  tx: Knex.Transaction,
  deployment: DeploymentRow,
  seen: RolloutSeen | undefined,
) {
  const now = seenOf(deployment);
  const inProgress =
    deployment.target_release_id &&
    deployment.target_release_id !== deployment.active_release_id &&
    deployment.desired_state === 'running';
  if (
    seen
      ? now.nextReleaseNumber !== seen.nextReleaseNumber ||
        now.deployedAt !== seen.deployedAt
      : inProgress
  ) {
    throw new ConflictError(
      `A rollout is already in progress for ${deployment.entity_ref} in ${deployment.environment}: ` +
        'it started while this request was being prepared. Look at the new rollout, then deploy again if it is still needed.',
    );
  }
  if (inProgress) {
    await tx(RELEASES)
      .where({ id: deployment.target_release_id })
      .update({ status: 'superseded' });
  }
}
