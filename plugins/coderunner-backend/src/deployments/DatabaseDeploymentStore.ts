import { DatabaseService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { DeploymentStore } from './DeploymentStore';
import { Deployment, DeploymentStatus } from './types';

const TABLE = 'coderunner_deployments';

type DeploymentRow = {
  id: string;
  entity_ref: string;
  environment: string;
  desired_instances: number;
  status: DeploymentStatus;
  status_reason: string | null;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
};

function toIso(value: Date | string): string {
  // SQLite hands back strings, PostgreSQL hands back Date objects.
  return new Date(value).toISOString();
}

function toDeployment(row: DeploymentRow): Deployment {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    desiredInstances: row.desired_instances,
    status: row.status,
    statusReason: row.status_reason ?? undefined,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

/**
 * Stores deployments with knex, on SQLite or PostgreSQL.
 *
 * @internal
 */
export class DatabaseDeploymentStore implements DeploymentStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseDeploymentStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await migrateDatabaseUp(knex);
    }
    return new DatabaseDeploymentStore(knex);
  }

  private constructor(private readonly knex: Knex) {}

  async ensureDeployment(options: {
    entityRef: string;
    environment: string;
    createdBy: string;
  }): Promise<Deployment> {
    const now = new Date();
    await this.knex<DeploymentRow>(TABLE)
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
    const row = await this.knex<DeploymentRow>(TABLE)
      .where({ entity_ref: options.entityRef, environment: options.environment })
      .first();
    return toDeployment(row!);
  }

  async getDeployment(id: string): Promise<Deployment | undefined> {
    const row = await this.knex<DeploymentRow>(TABLE).where({ id }).first();
    return row ? toDeployment(row) : undefined;
  }

  async listDeployments(filter?: { entityRef?: string }): Promise<Deployment[]> {
    const query = this.knex<DeploymentRow>(TABLE).orderBy([
      { column: 'entity_ref' },
      { column: 'environment' },
    ]);
    if (filter?.entityRef) {
      query.where({ entity_ref: filter.entityRef });
    }
    return (await query).map(toDeployment);
  }

  async setStatus(
    id: string,
    status: DeploymentStatus,
    statusReason?: string,
  ): Promise<void> {
    const updated = await this.knex<DeploymentRow>(TABLE)
      .where({ id })
      .update({
        status,
        status_reason: statusReason ?? null,
        updated_at: new Date(),
      });
    if (updated === 0) {
      throw new NotFoundError(`No deployment with id ${id}`);
    }
  }
}
