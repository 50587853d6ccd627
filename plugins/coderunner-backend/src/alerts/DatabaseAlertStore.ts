import { Alert, AlertSeverity } from '@coderunner/plugin-coderunner-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { AlertStore } from './AlertStore';
import { AlertCondition } from './types';

const TABLE = 'coderunner_alerts';

interface AlertRow {
  id: string;
  key: string;
  open_key: string | null;
  rule_id: string;
  entity_ref: string;
  environment: string | null;
  severity: string;
  title: string;
  description: string;
  link: string;
  status: string;
  opened_at: string | number;
  last_seen_at: string | number;
  resolved_at: string | number | null;
}

const iso = (ms: string | number) => new Date(Number(ms)).toISOString();

function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    key: row.key,
    ruleId: row.rule_id,
    entityRef: row.entity_ref,
    ...(row.environment ? { environment: row.environment } : {}),
    severity: row.severity as AlertSeverity,
    title: row.title,
    description: row.description,
    link: row.link,
    status: row.status === 'open' ? 'open' : 'resolved',
    openedAt: iso(row.opened_at),
    lastSeenAt: iso(row.last_seen_at),
    ...(row.resolved_at !== null ? { resolvedAt: iso(row.resolved_at) } : {}),
  };
}

/** Unique-index violations on SQLite and PostgreSQL. */
function isUniqueViolation(error: unknown) {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

/**
 * Alerts in the plugin's database (table `coderunner_alerts`, migration
 * `20261229110000_alerts.js`).
 *
 * @internal
 */
export class DatabaseAlertStore implements AlertStore {
  private constructor(private readonly knex: Knex) {}

  /** `knex` must be migrated (the deployment store migrates the plugin's database). */
  static create(options: { knex: Knex }): DatabaseAlertStore {
    return new DatabaseAlertStore(options.knex);
  }

  async listOpen(): Promise<Alert[]> {
    const rows = await this.knex<AlertRow>(TABLE).where('status', 'open');
    return rows.map(toAlert);
  }

  async open(
    condition: AlertCondition & { ruleId: string },
    at: Date,
  ): Promise<Alert | undefined> {
    const row: AlertRow = {
      id: randomUUID(),
      key: condition.key,
      open_key: condition.key,
      rule_id: condition.ruleId,
      entity_ref: condition.entityRef,
      environment: condition.environment ?? null,
      severity: condition.severity,
      title: condition.title,
      description: condition.description,
      link: condition.link,
      status: 'open',
      opened_at: at.getTime(),
      last_seen_at: at.getTime(),
      resolved_at: null,
    };
    try {
      await this.knex(TABLE).insert(row);
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
    return toAlert(row);
  }

  async hasOpened(key: string): Promise<boolean> {
    const row = await this.knex(TABLE).where('key', key).first('id');
    return row !== undefined;
  }

  async touch(ids: string[], at: Date): Promise<void> {
    // Bounded batches: SQLite allows a limited number of bound parameters.
    for (let i = 0; i < ids.length; i += 500) {
      await this.knex(TABLE)
        .whereIn('id', ids.slice(i, i + 500))
        .andWhere('status', 'open')
        .update({ last_seen_at: at.getTime() });
    }
  }

  async update(
    id: string,
    fields: Pick<Alert, 'severity' | 'title' | 'description' | 'link'>,
    at: Date,
  ): Promise<Alert | undefined> {
    const changed = await this.knex(TABLE)
      .where({ id, status: 'open' })
      .update({ ...fields, last_seen_at: at.getTime() });
    if (changed === 0) return undefined;
    const row = await this.knex<AlertRow>(TABLE).where('id', id).first();
    return row && toAlert(row);
  }

  async resolve(id: string, at: Date): Promise<Alert | undefined> {
    const changed = await this.knex(TABLE)
      .where({ id, status: 'open' })
      .update({
        status: 'resolved',
        open_key: null,
        resolved_at: at.getTime(),
      });
    if (changed === 0) return undefined;
    const row = await this.knex<AlertRow>(TABLE).where('id', id).first();
    return row && toAlert(row);
  }

  async list(options: {
    entityRefs?: string[];
    status?: 'open' | 'resolved';
    limit: number;
  }): Promise<Alert[]> {
    const query = this.knex<AlertRow>(TABLE)
      .orderBy([
        { column: 'opened_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    if (options.entityRefs) query.whereIn('entity_ref', options.entityRefs);
    if (options.status) query.where('status', options.status);
    return (await query).map(toAlert);
  }

  async prune(before: Date): Promise<number> {
    return this.knex(TABLE)
      .where('status', 'resolved')
      .andWhere('resolved_at', '<', before.getTime())
      .delete();
  }
}
