import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';

const USAGE = 'coderunner_usage';

/** A build sandbox lives at most this long (ReleaseBuilder's lifetime), even if never closed. */
export const BUILD_LIFETIME_MS = 1_800_000;

/** Whether a ledger row is an app instance or a build sandbox. @internal */
export type UsageKind = 'instance' | 'build';

/** One sandbox's billable time, as the cost code reads it. @internal */
export interface UsageRow {
  kind: UsageKind;
  deploymentId: string;
  entityRef: string;
  environment: string;
  size: string;
  startedAt: number;
  /** Undefined while it runs. */
  stoppedAt: number | undefined;
}

/** Sums of the ledger for one entity, environment and size. @internal */
export interface UsageGroup {
  entityRef: string;
  environment: string;
  size: string;
  /** Instance milliseconds in the month so far. */
  instanceMs: number;
  /** Build milliseconds in the month so far. */
  buildMs: number;
  /** Instance milliseconds in the recent window. */
  recentMs: number;
  /** The first instance's start; undefined with builds only. */
  firstStart: number | undefined;
  /** Instances running now. */
  running: number;
  newestStart: number | undefined;
}

type DbRow = {
  id: string;
  kind: UsageKind;
  deployment_id: string;
  entity_ref: string;
  environment: string;
  size: string;
  started_at: number | string;
  stopped_at: number | string | null;
};

/**
 * The record of billable sandbox time: a row opens when an instance is created (or a build
 * sandbox starts) and closes when it is removed. Rows outlive their instances and
 * deployments, so the cost of a month stays what it was. Writes take the caller's transaction
 * so the ledger never disagrees with the instances table.
 *
 * @internal
 */
export class UsageLedger {
  /** Opens the row of a new instance, sized by its release's manifest. */
  static async openInstance(
    db: Knex | Knex.Transaction,
    options: {
      instanceId: string;
      deploymentId: string;
      releaseId: string;
      at: Date;
    },
  ): Promise<void> {
    const owner = await db('coderunner_deployments')
      .where({ id: options.deploymentId })
      .first('entity_ref', 'environment');
    const release = await db('coderunner_releases')
      .where({ id: options.releaseId })
      .first('manifest');
    if (!owner) return;
    await db(USAGE)
      .insert({
        id: options.instanceId,
        kind: 'instance',
        deployment_id: options.deploymentId,
        entity_ref: owner.entity_ref,
        environment: owner.environment,
        size: sizeOf(release?.manifest),
        started_at: options.at.getTime(),
        stopped_at: null,
      })
      .onConflict('id')
      .ignore();
  }

  /** Opens the row of a build sandbox; returns its id, to close it with. */
  static async openBuild(
    db: Knex,
    options: { deploymentId: string; manifest: string; at: Date },
  ): Promise<string | undefined> {
    const owner = await db('coderunner_deployments')
      .where({ id: options.deploymentId })
      .first('entity_ref', 'environment');
    if (!owner) return undefined;
    const id = randomUUID();
    await db(USAGE).insert({
      id,
      kind: 'build',
      deployment_id: options.deploymentId,
      entity_ref: owner.entity_ref,
      environment: owner.environment,
      size: sizeOf(options.manifest),
      started_at: options.at.getTime(),
      stopped_at: null,
    });
    return id;
  }

  /** Closes a row (an instance's row has the instance's id); closing twice keeps the first. */
  static async close(db: Knex | Knex.Transaction, id: string, at: Date) {
    await db(USAGE)
      .where({ id })
      .whereNull('stopped_at')
      .update({ stopped_at: at.getTime() });
  }

  /** Closes every open row of a deployment that is being deleted. */
  static async closeDeployment(
    db: Knex | Knex.Transaction,
    deploymentId: string,
    at: Date,
  ) {
    await db(USAGE)
      .where({ deployment_id: deploymentId })
      .whereNull('stopped_at')
      .update({ stopped_at: at.getTime() });
  }

  constructor(private readonly knex: Knex) {}

  /** Rows that ran at any moment in [from, to), optionally of some entities only. */
  async overlapping(options: {
    from: number;
    to: number;
    entityRef?: string;
    environment?: string;
  }): Promise<UsageRow[]> {
    const query = this.knex<DbRow>(USAGE)
      .where('started_at', '<', options.to)
      .andWhere(q =>
        q.whereNull('stopped_at').orWhere('stopped_at', '>', options.from),
      )
      .select(
        'kind',
        'deployment_id',
        'entity_ref',
        'environment',
        'size',
        'started_at',
        'stopped_at',
      );
    if (options.entityRef) query.where({ entity_ref: options.entityRef });
    if (options.environment) query.where({ environment: options.environment });
    const rows = await query;
    return rows.map(row => ({
      kind: row.kind,
      deploymentId: row.deployment_id,
      entityRef: row.entity_ref,
      environment: row.environment,
      size: row.size,
      startedAt: Number(row.started_at),
      stoppedAt: row.stopped_at === null ? undefined : Number(row.stopped_at),
    }));
  }

  /**
   * Sums per entity, environment and size, in the database: the milliseconds instances and
   * builds ran in [monthStart, asOf), instance milliseconds in [recentFrom, now), the first
   * instance's start,
   * the instances running now and the newest instance's start. Exact: only integer
   * milliseconds are summed; prices are applied by the caller.
   */
  async aggregate(options: {
    monthStart: number;
    asOf: number;
    recentFrom: number;
    now: number;
    entityRef?: string;
  }): Promise<UsageGroup[]> {
    const { monthStart, asOf, recentFrom, now } = options;
    for (const value of [monthStart, asOf, recentFrom, now]) {
      if (!Number.isSafeInteger(value)) throw new Error(`bad time ${value}`);
    }
    const lo = (a: string, b: string) =>
      `(case when (${a}) < (${b}) then (${a}) else (${b}) end)`;
    const hi = (a: string, b: string) =>
      `(case when (${a}) > (${b}) then (${a}) else (${b}) end)`;
    const end = `(case when stopped_at is not null then stopped_at when kind = 'build' then ${lo(
      `started_at + ${BUILD_LIFETIME_MS}`,
      String(now),
    )} else ${now} end)`;
    const overlap = (from: number, to: number) => {
      const e = lo(end, String(to));
      const s = hi('started_at', String(from));
      return `(case when ${e} > ${s} then ${e} - ${s} else 0 end)`;
    };
    const month = overlap(monthStart, asOf);
    const query = this.knex(USAGE)
      .where('started_at', '<', asOf)
      .andWhere(q =>
        q
          .whereNull('stopped_at')
          .orWhere('stopped_at', '>', Math.min(monthStart, recentFrom)),
      )
      .groupBy('entity_ref', 'environment', 'size')
      .select(
        'entity_ref',
        'environment',
        'size',
        this.knex.raw(
          `sum(case when kind = 'instance' then ${month} else 0 end) as instance_ms`,
        ),
        this.knex.raw(
          `sum(case when kind = 'build' then ${month} else 0 end) as build_ms`,
        ),
        this.knex.raw(
          `sum(case when kind = 'instance' then ${overlap(
            recentFrom,
            now,
          )} else 0 end) as recent_ms`,
        ),
        this.knex.raw(
          `min(case when kind = 'instance' then started_at end) as first_start`,
        ),
        this.knex.raw(
          `sum(case when kind = 'instance' and stopped_at is null and started_at <= ${now} then 1 else 0 end) as running`,
        ),
        this.knex.raw(
          `max(case when kind = 'instance' then started_at end) as newest_start`,
        ),
      );
    if (options.entityRef) query.where({ entity_ref: options.entityRef });
    const rows = await query;
    return rows.map((row: any) => ({
      entityRef: row.entity_ref,
      environment: row.environment,
      size: row.size,
      instanceMs: Number(row.instance_ms),
      buildMs: Number(row.build_ms),
      recentMs: Number(row.recent_ms),
      firstStart:
        row.first_start === null ? undefined : Number(row.first_start),
      running: Number(row.running),
      newestStart:
        row.newest_start === null ? undefined : Number(row.newest_start),
    }));
  }

  /** The size of the newest instance row of a deployment. */
  async currentSize(deploymentId: string): Promise<string | undefined> {
    const row = await this.knex<DbRow>(USAGE)
      .where({ deployment_id: deploymentId, kind: 'instance' })
      .orderBy('started_at', 'desc')
      .first('size');
    return row?.size;
  }
}

function sizeOf(manifest: string | undefined): string {
  try {
    return JSON.parse(manifest ?? '{}').resources?.size ?? 'small';
  } catch {
    return 'small';
  }
}
