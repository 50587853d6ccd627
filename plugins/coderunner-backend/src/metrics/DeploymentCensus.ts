import { Knex } from 'knex';

/**
 * The instance counts of one deployment, as Prometheus exports them.
 *
 * @internal
 */
export interface DeploymentCount {
  entityRef: string;
  environment: string;
  /** Instances the deployment should run: 0 while it is stopped. */
  desiredInstances: number;
  /** Current instances per state (`ready`, `crashed`, …). */
  instancesByState: Map<string, number>;
  /** Restarts of the current instances, added up. */
  restarts: number;
  /** Releases per status (`built`, `failed`, …): every deploy, rollback and config change made one. */
  releasesByStatus: Map<string, number>;
}

/**
 * Counts every deployment's instances for a scrape.
 *
 * @internal
 */
export interface DeploymentCensus {
  count(): Promise<DeploymentCount[]>;
  /** Every ready instance that runs in a sandbox, for the resource usage poller. */
  readyInstances(): Promise<ReadyInstance[]>;
}

/**
 * A ready instance and its sandbox.
 *
 * @internal
 */
export interface ReadyInstance {
  deploymentId: string;
  entityRef: string;
  environment: string;
  instanceId: string;
  sandboxId: string;
}

/**
 * {@link DeploymentCensus} with one grouped query over the deployment tables, so a scrape costs
 * the same with 1 or 1,000 deployments (listing them one by one would be a query each).
 *
 * @internal
 */
export class DatabaseDeploymentCensus implements DeploymentCensus {
  static create(options: { knex: Knex }): DatabaseDeploymentCensus {
    return new DatabaseDeploymentCensus(options.knex);
  }

  private constructor(private readonly knex: Knex) {}

  async count(): Promise<DeploymentCount[]> {
    const rows: {
      id: string;
      entity_ref: string;
      environment: string;
      desired_instances: number;
      desired_state: string;
      state: string | null;
      instances: number | string;
      restarts: number | string | null;
    }[] = await this.knex('coderunner_deployments as d')
      .leftJoin('coderunner_instances as i', 'i.deployment_id', 'd.id')
      .groupBy(
        'd.id',
        'd.entity_ref',
        'd.environment',
        'd.desired_instances',
        'd.desired_state',
        'i.state',
      )
      .select(
        'd.id',
        'd.entity_ref',
        'd.environment',
        'd.desired_instances',
        'd.desired_state',
        'i.state',
      )
      .count({ instances: 'i.id' })
      .sum({ restarts: 'i.restarts' });
    const byDeployment = new Map<string, DeploymentCount>();
    for (const row of rows) {
      let count = byDeployment.get(row.id);
      if (!count) {
        count = {
          entityRef: row.entity_ref,
          environment: row.environment,
          desiredInstances:
            row.desired_state === 'running' ? Number(row.desired_instances) : 0,
          instancesByState: new Map(),
          restarts: 0,
          releasesByStatus: new Map(),
        };
        byDeployment.set(row.id, count);
      }
      if (row.state) {
        count.instancesByState.set(row.state, Number(row.instances));
        count.restarts += Number(row.restarts ?? 0);
      }
    }
    const releases: {
      deployment_id: string;
      status: string;
      releases: number | string;
    }[] = await this.knex('coderunner_releases')
      .groupBy('deployment_id', 'status')
      .select('deployment_id', 'status')
      .count({ releases: '*' });
    for (const row of releases) {
      byDeployment
        .get(row.deployment_id)
        ?.releasesByStatus.set(row.status, Number(row.releases));
    }
    return [...byDeployment.values()];
  }

  async readyInstances(): Promise<ReadyInstance[]> {
    const rows: {
      id: string;
      deployment_id: string;
      sandbox_id: string;
      entity_ref: string;
      environment: string;
    }[] = await this.knex('coderunner_instances as i')
      .join('coderunner_deployments as d', 'd.id', 'i.deployment_id')
      .where('i.state', 'ready')
      .whereNotNull('i.sandbox_id')
      .select(
        'i.id',
        'i.deployment_id',
        'i.sandbox_id',
        'd.entity_ref',
        'd.environment',
      );
    return rows.map(row => ({
      deploymentId: row.deployment_id,
      entityRef: row.entity_ref,
      environment: row.environment,
      instanceId: row.id,
      sandboxId: row.sandbox_id,
    }));
  }
}
