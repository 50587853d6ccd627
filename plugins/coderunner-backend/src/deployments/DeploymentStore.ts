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
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { tuneSqlite } from '../database/tuneSqlite';
import { DeploymentRow, InstanceRow, ReleaseRow } from './rows';

const DEPLOYMENTS = 'coderunner_deployments';
const RELEASES = 'coderunner_releases';
const FILES = 'coderunner_release_files';
const INSTANCES = 'coderunner_instances';

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

  constructor(readonly knex: Knex) {}

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

  async updateDeployment(id: string, patch: DeploymentPatch): Promise<void> {
    const row: Record<string, unknown> = { updated_at: new Date() };
    if ('status' in patch) row.status = patch.status;
    if ('statusReason' in patch) row.status_reason = patch.statusReason ?? null;
    if ('desiredState' in patch) row.desired_state = patch.desiredState;
    if ('desiredInstances' in patch) row.desired_instances = patch.desiredInstances;
    if ('activeReleaseId' in patch) row.active_release_id = patch.activeReleaseId ?? null;
    if ('targetReleaseId' in patch) row.target_release_id = patch.targetReleaseId ?? null;
    const updated = await this.knex(DEPLOYMENTS).where({ id }).update(row);
    if (updated === 0) {
      throw new NotFoundError(`No deployment with id ${id}`);
    }
  }

  async deleteDeployment(id: string): Promise<void> {
    await this.knex(DEPLOYMENTS).where({ id }).delete();
  }

  /**
   * Takes or renews the right to reconcile a deployment. Only one replica holds a lease at a
   * time; an expired lease (its holder died) can be taken by any replica.
   */
  async acquireLease(id: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = new Date();
    const updated = await this.knex(DEPLOYMENTS)
      .where({ id })
      .andWhere(q =>
        q
          .whereNull('lease_owner')
          .orWhere('lease_owner', owner)
          .orWhere('lease_expires_at', '<', now),
      )
      .update({
        lease_owner: owner,
        lease_expires_at: new Date(now.getTime() + ttlMs),
      });
    return updated === 1;
  }

  async releaseLeases(owner: string): Promise<void> {
    await this.knex(DEPLOYMENTS)
      .where({ lease_owner: owner })
      .update({ lease_owner: null, lease_expires_at: null });
  }

  // Releases

  /**
   * Creates the next numbered release of a deployment and makes it the rollout target, in one
   * transaction. Refused with a conflict while another rollout is in progress, so two deploys
   * of one deployment never interleave.
   */
  async createRelease(options: {
    deploymentId: string;
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
      assertNoRolloutInProgress(deployment);
      const now = new Date();
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

  /** Makes an earlier, successfully built release the rollout target again. */
  async targetRelease(options: {
    deploymentId: string;
    releaseNumber: number;
    requestedBy: string;
  }): Promise<ReleaseRow> {
    return this.knex.transaction(async tx => {
      const deployment = await lockDeployment(tx, options.deploymentId);
      assertNoRolloutInProgress(deployment);
      const release = await tx<ReleaseRow>(RELEASES)
        .where({ deployment_id: deployment.id, number: options.releaseNumber })
        .first();
      if (!release) {
        throw new NotFoundError(
          `Release ${options.releaseNumber} does not exist for this deployment`,
        );
      }
      if (release.status !== 'built') {
        throw new InputError(
          `Release ${release.number} cannot be rolled back to: its build ${
            release.status === 'failed' ? 'failed' : 'has not finished'
          }. Pick a release whose build succeeded.`,
        );
      }
      const now = new Date();
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
  ): Promise<void> {
    await this.knex(RELEASES)
      .where({ id })
      .update({
        status,
        failure_reason: failureReason ?? null,
        ...(status === 'built' ? { built_at: new Date() } : {}),
      });
  }

  async saveReleaseFile(
    releaseId: string,
    kind: 'source' | 'artifact',
    content: Buffer,
  ): Promise<void> {
    await this.knex(FILES)
      .insert({ release_id: releaseId, kind, content, size: content.length })
      .onConflict(['release_id', 'kind'])
      .merge();
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
    await this.knex(INSTANCES).insert(row);
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

  async updateInstance(id: string, patch: InstancePatch): Promise<void> {
    const row: Record<string, unknown> = { updated_at: new Date() };
    if ('state' in patch) row.state = patch.state;
    if ('sandboxId' in patch) row.sandbox_id = patch.sandboxId ?? null;
    if ('pid' in patch) row.pid = patch.pid ?? null;
    if ('url' in patch) row.url = patch.url ?? null;
    if ('restarts' in patch) row.restarts = patch.restarts;
    if ('nextAttemptAt' in patch) row.next_attempt_at = patch.nextAttemptAt ?? null;
    if ('lastExitCode' in patch) row.last_exit_code = patch.lastExitCode ?? null;
    if ('reason' in patch) row.reason = patch.reason ?? null;
    if ('readyAt' in patch) row.ready_at = patch.readyAt ?? null;
    await this.knex(INSTANCES).where({ id }).update(row);
  }

  async deleteInstance(id: string): Promise<void> {
    await this.knex(INSTANCES).where({ id }).delete();
  }
}

async function lockDeployment(
  tx: Knex.Transaction,
  id: string,
): Promise<DeploymentRow> {
  const query = tx<DeploymentRow>(DEPLOYMENTS).where({ id });
  // SQLite serializes write transactions already and has no row locks.
  const row = await (tx.client.config.client === 'pg' ? query.forUpdate() : query).first();
  if (!row) {
    throw new NotFoundError(`No deployment with id ${id}`);
  }
  return row;
}

function assertNoRolloutInProgress(deployment: DeploymentRow) {
  if (
    deployment.target_release_id &&
    deployment.target_release_id !== deployment.active_release_id &&
    deployment.desired_state === 'running'
  ) {
    throw new ConflictError(
      `A rollout is already in progress for ${deployment.entity_ref} in ${deployment.environment}. Wait for it to finish, or stop the deployment first.`,
    );
  }
}
