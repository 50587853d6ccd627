import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
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
import { DbTime, PG_TEXT_TIMES } from '../database/dbTime';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { tuneSqlite } from '../database/tuneSqlite';
import {
  DeploymentForReconcile,
  DeploymentKey,
  DeploymentPatch,
  DeploymentRecord,
  DeploymentStore,
  InstancePatch,
  InstanceRecord,
  LeaseFence,
  LeaseLostError,
  ListedDeployment,
  NewRelease,
  ReleaseRecord,
  RolloutSeen,
  seenOf,
} from './DeploymentStore';
import { chunks } from '../database/chunks';

const DEPLOYMENTS = 'coderunner_deployments';
const RELEASES = 'coderunner_releases';
const FILES = 'coderunner_release_files';
const INSTANCES = 'coderunner_instances';
const CONFIG_VERSIONS = 'coderunner_config_versions';

type DeploymentRow = {
  id: string;
  entity_ref: string;
  environment: string;
  desired_instances: number;
  desired_state: DesiredState;
  status: DeploymentStatus;
  status_reason: string | null;
  active_release_id: string | null;
  target_release_id: string | null;
  next_release_number: number;
  log_seq: number | string;
  lease_owner: string | null;
  lease_expires_at: DbTime | null;
  lease_token: number | string;
  view_version: number | string;
  deployed_by: string | null;
  deployed_at: DbTime | null;
  created_by: string;
  created_at: DbTime;
  updated_at: DbTime;
};

type ReleaseRow = {
  id: string;
  deployment_id: string;
  number: number;
  source_revision: string | null;
  source_summary: string | null;
  manifest: string;
  config_version: number | null;
  status: ReleaseStatus;
  failure_reason: string | null;
  created_by: string;
  created_at: DbTime;
  built_at: DbTime | null;
  files_pruned_at: DbTime | null;
};

type InstanceRow = {
  id: string;
  deployment_id: string;
  release_id: string;
  state: InstanceState;
  sandbox_id: string | null;
  pid: number | null;
  url: string | null;
  restarts: number;
  next_attempt_at: DbTime | null;
  last_exit_code: number | null;
  reason: string | null;
  created_at: DbTime;
  updated_at: DbTime;
  ready_at: DbTime | null;
};

function toDeploymentRecord(row: DeploymentRow): DeploymentRecord {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    desiredInstances: row.desired_instances,
    desiredState: row.desired_state,
    status: row.status,
    statusReason: row.status_reason,
    activeReleaseId: row.active_release_id,
    targetReleaseId: row.target_release_id,
    nextReleaseNumber: row.next_release_number,
    // PostgreSQL hands bigint columns back as strings.
    logSeq: Number(row.log_seq),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    leaseToken: Number(row.lease_token),
    viewVersion: Number(row.view_version),
    deployedBy: row.deployed_by,
    deployedAt: row.deployed_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

type ListedRow = DeploymentRow & { config_stamp: number | string | null };
type KeyRow = Pick<
  ListedRow,
  'id' | 'entity_ref' | 'environment' | 'view_version' | 'config_stamp'
>;

function toReleaseRecord(row: ReleaseRow): ReleaseRecord {
  return {
    id: row.id,
    deploymentId: row.deployment_id,
    number: row.number,
    sourceRevision: row.source_revision,
    sourceSummary: row.source_summary,
    manifest: row.manifest,
    configVersion: row.config_version,
    status: row.status,
    failureReason: row.failure_reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
    builtAt: row.built_at,
    filesPrunedAt: row.files_pruned_at,
  };
}

function toInstanceRecord(row: InstanceRow): InstanceRecord {
  return {
    id: row.id,
    deploymentId: row.deployment_id,
    releaseId: row.release_id,
    state: row.state,
    sandboxId: row.sandbox_id,
    pid: row.pid,
    url: row.url,
    restarts: row.restarts,
    nextAttemptAt: row.next_attempt_at,
    lastExitCode: row.last_exit_code,
    reason: row.reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    readyAt: row.ready_at,
  };
}

/**
 * {@link DeploymentStore} with knex, on SQLite or PostgreSQL: the tables
 * `coderunner_deployments`, `coderunner_releases`, `coderunner_release_files` and
 * `coderunner_instances`.
 *
 * @internal
 */
export class DatabaseDeploymentStore implements DeploymentStore {
  /**
   * The store on the plugin's database, tuned (SQLite) and migrated to the newest schema
   * first: the plugin's migrations run here, once at start-up, before any other store exists.
   */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseDeploymentStore> {
    const knex = await options.database.getClient();
    await tuneSqlite(knex);
    if (!options.database.migrations?.skip) {
      await migrateDatabaseUp(knex);
    }
    return new DatabaseDeploymentStore(knex);
  }

  /** The store on a client whose migrations have run already (tests, benchmarks). */
  static fromKnex(knex: Knex): DatabaseDeploymentStore {
    return new DatabaseDeploymentStore(knex);
  }

  private constructor(private readonly knex: Knex) {}

  // Deployments

  async ensureDeployment(options: {
    entityRef: string;
    environment: string;
    createdBy: string;
  }): Promise<DeploymentRecord> {
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
  ): Promise<DeploymentRecord | undefined> {
    const row = await this.knex<DeploymentRow>(DEPLOYMENTS)
      .where({ entity_ref: entityRef, environment })
      .first();
    return row && toDeploymentRecord(row);
  }

  async getDeployment(id: string): Promise<DeploymentRecord | undefined> {
    const row = await this.knex<DeploymentRow>(DEPLOYMENTS)
      .where({ id })
      .first();
    return row && toDeploymentRecord(row);
  }

  async listDeployments(filter?: {
    entityRef?: string;
  }): Promise<DeploymentRecord[]> {
    const query = this.knex<DeploymentRow>(DEPLOYMENTS).orderBy([
      { column: 'entity_ref' },
      { column: 'environment' },
    ]);
    if (filter?.entityRef) {
      query.where({ entity_ref: filter.entityRef });
    }
    return (await query).map(toDeploymentRecord);
  }

  async listDeploymentsOf(entityRef: string): Promise<ListedDeployment[]> {
    const rows: ListedRow[] = await this.knex(DEPLOYMENTS)
      .select(`${DEPLOYMENTS}.*`, this.configStamp())
      .where({ entity_ref: entityRef })
      .orderBy('environment')
      .options(PG_TEXT_TIMES);
    return rows.map(row => ({
      ...toDeploymentRecord(row),
      configStamp: Number(row.config_stamp ?? 0),
    }));
  }

  async listDeploymentPage(options: {
    after?: { entityRef: string; environment: string };
    limit: number;
    environments?: string[];
    statuses?: DeploymentStatus[];
    text?: string;
  }): Promise<DeploymentKey[]> {
    const query = this.knex(DEPLOYMENTS)
      .select<KeyRow[]>(
        'id',
        'entity_ref',
        'environment',
        'view_version',
        this.configStamp(),
      )
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
    return (await query).map(row => ({
      id: row.id,
      entityRef: row.entity_ref,
      environment: row.environment,
      viewVersion: Number(row.view_version),
      configStamp: Number(row.config_stamp ?? 0),
    }));
  }

  async getDeployments(ids: string[]): Promise<DeploymentRecord[]> {
    const rows: DeploymentRow[] = [];
    for (const chunk of chunks(ids)) {
      rows.push(
        ...(await this.knex<DeploymentRow>(DEPLOYMENTS)
          .whereIn('id', chunk)
          .options(PG_TEXT_TIMES)),
      );
    }
    return rows.map(toDeploymentRecord);
  }

  /** The newest configuration version of a deployment's entity, as `config_stamp`. */
  private configStamp() {
    return this.knex(CONFIG_VERSIONS)
      .max('version')
      .whereRaw(`${CONFIG_VERSIONS}.entity_ref = ${DEPLOYMENTS}.entity_ref`)
      .as('config_stamp');
  }

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

  async leasedElsewhere(id: string, owner: string): Promise<boolean> {
    const row = await this.knex(DEPLOYMENTS)
      .where({ id })
      .whereNotNull('lease_owner')
      .whereNot('lease_owner', owner)
      .where('lease_expires_at', '>', dbTimestamp(this.knex))
      .first('id');
    return row !== undefined;
  }

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

  /**
   * Runs `write` on a deployment's rows in one transaction that first locks the deployment's
   * row (PostgreSQL; SQLite serializes writers), as every other transaction here does, so all
   * keep one lock order; with a fence, only while the lease is still the writer's, and the
   * lock holds the lease until the write commits. Undefined, with nothing written, when the
   * deployment is not there or the fence no longer holds; otherwise what `write` returned.
   * (The database's triggers raise the deployment's view version with the write: see the
   * migration `20261231090000_view_version`.)
   */
  private async lockedWrite<T>(
    deployment: string | Knex.QueryBuilder,
    fence: LeaseFence | undefined,
    write: (tx: Knex.Transaction) => Promise<T>,
  ): Promise<T | undefined> {
    return this.knex.transaction(async tx => {
      const row = tx(DEPLOYMENTS).first('id');
      if (typeof deployment === 'string') row.where({ id: deployment });
      else row.whereIn('id', deployment);
      if (fence) row.where({ id: fence.deploymentId, ...fenceColumns(fence) });
      const held = await (tx.client.config.client === 'pg'
        ? row.forUpdate()
        : row);
      return held ? write(tx) : undefined;
    });
  }

  /** The id of an instance's deployment, as a subquery. */
  private ownerOf(instanceId: string) {
    return this.knex(INSTANCES)
      .where({ id: instanceId })
      .select('deployment_id');
  }

  async renewLeases(owner: string, ttlMs: number): Promise<number> {
    return this.knex(DEPLOYMENTS)
      .where({ lease_owner: owner })
      .update({ lease_expires_at: dbTimestamp(this.knex, ttlMs) });
  }

  async listDeploymentsForReconcile(
    owner: string,
    staleWithinMs = 0,
  ): Promise<DeploymentForReconcile[]> {
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
      ...toDeploymentRecord(row),
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

  async rolloutSeen(
    entityRef: string,
    environment: string,
  ): Promise<RolloutSeen> {
    const row = await this.findDeployment(entityRef, environment);
    // A deployment not created yet starts at release 1, never deployed.
    return row ? seenOf(row) : { nextReleaseNumber: 1, deployedAt: undefined };
  }

  async createRelease(options: NewRelease): Promise<ReleaseRecord> {
    return this.knex.transaction(async tx => {
      const deployment = await lockDeployment(tx, options.deploymentId);
      await supersedeRollout(tx, deployment, options.seen);
      const now = deployedNow(deployment);
      const release: ReleaseRow = {
        id: randomUUID(),
        deployment_id: deployment.id,
        number: deployment.nextReleaseNumber,
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
          next_release_number: deployment.nextReleaseNumber + 1,
          target_release_id: release.id,
          desired_state: 'running',
          desired_instances: options.desiredInstances,
          status: 'deploying',
          status_reason: `Building release ${release.number}`,
          deployed_by: options.createdBy,
          deployed_at: now,
          updated_at: now,
        });
      return toReleaseRecord(release);
    });
  }

  async targetRelease(options: {
    deploymentId: string;
    releaseNumber: number;
    requestedBy: string;
    seen?: RolloutSeen;
  }): Promise<ReleaseRecord> {
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
      return toReleaseRecord(release);
    });
  }

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
        const active = releases.find(r => r.id === deployment.activeReleaseId);
        const rollbackTarget =
          active &&
          releases.find(r => r.number < active.number && r.status === 'built');
        const keep = new Set<string | null | undefined>([
          ...releases.slice(0, keepNewest).map(r => r.id),
          deployment.activeReleaseId,
          deployment.targetReleaseId,
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

  async getRelease(id: string): Promise<ReleaseRecord | undefined> {
    const row = await this.knex<ReleaseRow>(RELEASES).where({ id }).first();
    return row && toReleaseRecord(row);
  }

  async listReleases(deploymentId: string): Promise<ReleaseRecord[]> {
    const rows = await this.knex<ReleaseRow>(RELEASES)
      .where({ deployment_id: deploymentId })
      .orderBy('number', 'desc');
    return rows.map(toReleaseRecord);
  }

  async setReleaseStatus(
    id: string,
    status: ReleaseStatus,
    failureReason?: string,
    fence?: LeaseFence,
  ): Promise<void> {
    const updated = await this.lockedWrite(
      this.knex(RELEASES).where({ id }).select('deployment_id'),
      fence,
      tx =>
        tx(RELEASES)
          .where({ id })
          .update({
            // A build that ends after its rollout was superseded leaves that status; built_at
            // still says whether it can be rolled back to.
            status: tx.raw(
              "case when status = 'superseded' then status else ? end",
              [status],
            ),
            failure_reason: failureReason ?? null,
            ...(status === 'built' ? { built_at: new Date() } : {}),
          }),
    );
    if (!updated) await this.assertHolds(fence);
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

  /** Runs a write; with a fence, only while the lease is held (see {@link lockedWrite}). */
  private async whileHolding(
    fence: LeaseFence | undefined,
    write: (tx: Knex | Knex.Transaction) => Promise<unknown>,
  ): Promise<void> {
    if (!fence) {
      await write(this.knex);
      return;
    }
    const done = await this.lockedWrite(fence.deploymentId, fence, async tx => {
      await write(tx);
      return true;
    });
    if (!done) throw leaseLost(fence);
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
  }): Promise<InstanceRecord> {
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
    const created = await this.lockedWrite(
      options.deploymentId,
      options.fence,
      async tx => {
        await tx(INSTANCES).insert(row);
        await UsageLedger.openInstance(tx, {
          instanceId: row.id,
          deploymentId: row.deployment_id,
          releaseId: row.release_id,
          at: now,
        });
        return true;
      },
    );
    if (!created) {
      if (options.fence) throw leaseLost(options.fence);
      throw new NotFoundError(`No deployment with id ${options.deploymentId}`);
    }
    return toInstanceRecord(row);
  }

  async getInstance(id: string): Promise<InstanceRecord | undefined> {
    const row = await this.knex<InstanceRow>(INSTANCES).where({ id }).first();
    return row && toInstanceRecord(row);
  }

  async listInstances(deploymentId: string): Promise<InstanceRecord[]> {
    const rows = await this.knex<InstanceRow>(INSTANCES)
      .where({ deployment_id: deploymentId })
      .orderBy('created_at', 'asc');
    return rows.map(toInstanceRecord);
  }

  async listInstancesOf(deploymentIds: string[]): Promise<InstanceRecord[]> {
    const rows: InstanceRow[] = [];
    for (const ids of chunks(deploymentIds)) {
      rows.push(
        ...(await this.knex<InstanceRow>(INSTANCES)
          .whereIn('deployment_id', ids)
          .orderBy([{ column: 'created_at' }, { column: 'id' }])
          .options(PG_TEXT_TIMES)),
      );
    }
    return rows.map(toInstanceRecord);
  }

  async listAllInstances(): Promise<InstanceRecord[]> {
    const rows = await this.knex<InstanceRow>(INSTANCES).orderBy([
      { column: 'created_at' },
      { column: 'id' },
    ]);
    return rows.map(toInstanceRecord);
  }

  async getReleases(releaseIds: string[]): Promise<ReleaseRecord[]> {
    const rows: ReleaseRow[] = [];
    for (const ids of chunks([...new Set(releaseIds)])) {
      rows.push(
        ...(await this.knex<ReleaseRow>(RELEASES)
          .whereIn('id', ids)
          .options(PG_TEXT_TIMES)),
      );
    }
    return rows.map(toReleaseRecord);
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
    const updated = await this.lockedWrite(this.ownerOf(id), fence, tx =>
      tx(INSTANCES).where({ id }).update(row),
    );
    if (!updated) await this.assertHolds(fence);
  }

  async markInstanceUnhealthy(
    id: string,
    reason: string,
    only: {
      sandboxId?: string;
      whileLeaseStale?: { owner: string; staleWithinMs: number };
    } = {},
  ): Promise<boolean> {
    const which = (db: Knex) => {
      const query = db(INSTANCES).where({ id, state: 'ready' });
      if (only.sandboxId !== undefined)
        query.andWhere({ sandbox_id: only.sandboxId });
      return query;
    };
    // An instance that is not ready (of that sandbox) neither locks its deployment nor raises
    // the version: the gateway asks this of every instance that fails a request.
    const owner = which(this.knex).select('deployment_id');
    const updated = await this.lockedWrite(owner, undefined, tx => {
      const query = which(tx);
      const stale = only.whileLeaseStale;
      if (stale) {
        query.whereExists(
          tx(DEPLOYMENTS)
            .select(tx.raw('1'))
            .whereRaw(`${DEPLOYMENTS}.id = ${INSTANCES}.deployment_id`)
            .whereNotNull('lease_owner')
            .andWhere('lease_owner', '<>', stale.owner)
            .andWhere(
              'lease_expires_at',
              '<',
              dbTimestamp(tx, stale.staleWithinMs),
            ),
        );
      }
      return query.update({
        state: 'unhealthy',
        reason,
        updated_at: new Date(),
      });
    });
    return !!updated;
  }

  async deleteInstance(id: string, fence?: LeaseFence): Promise<void> {
    const deleted = await this.lockedWrite(this.ownerOf(id), fence, tx =>
      tx(INSTANCES).where({ id }).delete(),
    );
    if (!deleted) await this.assertHolds(fence);
    else await UsageLedger.close(this.knex, id, new Date());
  }
}

function leaseLost(fence: LeaseFence) {
  return new LeaseLostError(
    fence.deploymentId,
    `the lease is no longer held by ${fence.owner} with token ${fence.token}`,
  );
}

function fenceColumns(fence: LeaseFence) {
  return { lease_owner: fence.owner, lease_token: fence.token };
}

async function lockDeployment(
  tx: Knex.Transaction,
  id: string,
): Promise<DeploymentRecord> {
  const query = tx<DeploymentRow>(DEPLOYMENTS).where({ id });
  // SQLite serializes write transactions already and has no row locks.
  const row = await (tx.client.config.client === 'pg'
    ? query.forUpdate()
    : query
  ).first();
  if (!row) {
    throw new NotFoundError(`No deployment with id ${id}`);
  }
  return toDeploymentRecord(row);
}

/**
 * The time of a new rollout, always later than the last one's (by a millisecond if need be),
 * so that `deployed_at` tells each rollout from the one before (see RolloutSeen).
 */
function deployedNow(deployment: DeploymentRecord): Date {
  const last =
    deployment.deployedAt === null
      ? 0
      : new Date(deployment.deployedAt).getTime();
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
  deployment: DeploymentRecord,
  seen: RolloutSeen | undefined,
) {
  const now = seenOf(deployment);
  const inProgress =
    deployment.targetReleaseId &&
    deployment.targetReleaseId !== deployment.activeReleaseId &&
    deployment.desiredState === 'running';
  if (
    seen
      ? now.nextReleaseNumber !== seen.nextReleaseNumber ||
        now.deployedAt !== seen.deployedAt
      : inProgress
  ) {
    throw new ConflictError(
      `A rollout is already in progress for ${deployment.entityRef} in ${deployment.environment}: ` +
        'it started while this request was being prepared. Look at the new rollout, then deploy again if it is still needed.',
    );
  }
  if (inProgress) {
    await tx(RELEASES)
      .where({ id: deployment.targetReleaseId })
      .update({ status: 'superseded' });
  }
}
