import {
  ConfigAuditEntry,
  ConfigVersion,
} from '@coderunner/plugin-coderunner-common';
import { Knex } from 'knex';
import {
  ConfigStore,
  NewConfigAuditEntry,
  SavedConfigVersion,
  StoredConfigValue,
} from './ConfigStore';

const VALUES = 'coderunner_config_values';
const VERSIONS = 'coderunner_config_versions';
const AUDIT = 'coderunner_config_audit';

/** A row of the values table. */
interface ValueRow {
  id: number;
  entity_ref: string;
  scope: string;
  name: string;
  secret: boolean | number;
  key_id: string;
  wrapped_key: string;
  ciphertext: string;
  fingerprint: string;
  from_version: number | string;
  to_version: number | string | null;
  updated_by: string;
  updated_at: string | Date | number;
}

function timestamp(value: string | Date | number): string {
  return new Date(value).toISOString();
}

function toValue(row: ValueRow): StoredConfigValue {
  return {
    id: Number(row.id),
    entityRef: row.entity_ref,
    scope: row.scope,
    name: row.name,
    secret: Boolean(row.secret),
    sealed: {
      keyId: row.key_id,
      wrappedKey: row.wrapped_key,
      ciphertext: row.ciphertext,
      fingerprint: row.fingerprint,
    },
    fromVersion: Number(row.from_version),
    ...(row.to_version === null ? {} : { toVersion: Number(row.to_version) }),
    updatedBy: row.updated_by,
    updatedAt: timestamp(row.updated_at),
  };
}

/**
 * {@link ConfigStore} in the plugin's database (SQLite or PostgreSQL): the tables
 * `coderunner_config_values`, `coderunner_config_versions` and `coderunner_config_audit`,
 * which the plugin's migrations create (they run once at start-up, before any store exists).
 *
 * @internal
 */
export class DatabaseConfigStore implements ConfigStore {
  static async create(options: { knex: Knex }): Promise<DatabaseConfigStore> {
    return new DatabaseConfigStore(options.knex);
  }

  private constructor(private readonly knex: Knex) {}

  async latestVersion(
    entityRef: string,
    db: Knex = this.knex,
  ): Promise<number> {
    const row = await db(VERSIONS)
      .where({ entity_ref: entityRef })
      .max('version as v')
      .first();
    return Number(row?.v ?? 0);
  }

  /** The newest version that touched any of these scopes, or undefined. */
  async latestVersionTouching(
    entityRef: string,
    scopes: string[],
  ): Promise<number | undefined> {
    const rows = await this.knex(VERSIONS)
      .where({ entity_ref: entityRef })
      .select('version', 'scopes')
      .orderBy('version', 'desc');
    for (const row of rows) {
      const touched = JSON.parse(row.scopes) as string[];
      if (touched.some(s => scopes.includes(s))) {
        return Number(row.version);
      }
    }
    return undefined;
  }

  /** One query per 500 entities. */
  async versionScopes(
    entityRefs: string[],
  ): Promise<Map<string, { version: number; scopes: string[] }[]>> {
    const result = new Map<string, { version: number; scopes: string[] }[]>();
    const refs = [...new Set(entityRefs)];
    for (let i = 0; i < refs.length; i += 500) {
      const rows = await this.knex(VERSIONS)
        .whereIn('entity_ref', refs.slice(i, i + 500))
        .select('entity_ref', 'version', 'scopes')
        .orderBy('version', 'desc');
      for (const row of rows) {
        const list = result.get(row.entity_ref) ?? [];
        list.push({
          version: Number(row.version),
          scopes: JSON.parse(row.scopes) as string[],
        });
        result.set(row.entity_ref, list);
      }
    }
    return result;
  }

  async valuesAt(
    entityRef: string,
    version: number,
    db: Knex = this.knex,
  ): Promise<StoredConfigValue[]> {
    const rows = await db(VALUES)
      .where({ entity_ref: entityRef })
      .andWhere('from_version', '<=', version)
      .andWhere(q =>
        q.whereNull('to_version').orWhere('to_version', '>', version),
      )
      .orderBy(['scope', 'name']);
    return rows.map(toValue);
  }

  async saveVersion(
    options: Parameters<ConfigStore['saveVersion']>[0],
  ): Promise<SavedConfigVersion> {
    return this.knex.transaction(async trx => {
      const latest = await this.latestVersion(options.entityRef, trx);
      if (
        options.expectedVersion !== undefined &&
        options.expectedVersion !== latest
      ) {
        return { stale: latest };
      }
      const version = latest + 1;
      const current = await this.valuesAt(options.entityRef, latest, trx);
      const { close, insert, changes } = options.plan(current, version);
      const scopes = [...new Set(changes.map(c => c.scope))].sort();
      const now = new Date();
      await trx(VERSIONS).insert({
        entity_ref: options.entityRef,
        version,
        author: options.author,
        message: options.message ?? null,
        scopes: JSON.stringify(scopes),
        changes: JSON.stringify(changes),
        rollback_of: options.rollbackOf ?? null,
        created_at: now,
      });
      if (close.length > 0) {
        await trx(VALUES)
          .whereIn(
            'id',
            close.map(r => r.id),
          )
          .update({ to_version: version });
      }
      for (const value of insert) {
        await trx(VALUES).insert({
          entity_ref: options.entityRef,
          scope: value.scope,
          name: value.name,
          secret: value.secret,
          key_id: value.sealed.keyId,
          wrapped_key: value.sealed.wrappedKey,
          ciphertext: value.sealed.ciphertext,
          fingerprint: value.sealed.fingerprint,
          from_version: version,
          to_version: null,
          updated_by: options.author,
          updated_at: now,
        });
      }
      return {
        version: {
          version,
          author: options.author,
          message: options.message,
          createdAt: now.toISOString(),
          scopes,
          changes,
          rollbackOf: options.rollbackOf,
        },
      };
    });
  }

  async listVersions(entityRef: string, limit = 100): Promise<ConfigVersion[]> {
    const rows = await this.knex(VERSIONS)
      .where({ entity_ref: entityRef })
      .orderBy('version', 'desc')
      .limit(limit);
    return rows.map(row => ({
      version: Number(row.version),
      author: row.author,
      message: row.message ?? undefined,
      createdAt: timestamp(row.created_at),
      scopes: JSON.parse(row.scopes),
      changes: JSON.parse(row.changes),
      rollbackOf: row.rollback_of ?? undefined,
    }));
  }

  async addAudit(entry: NewConfigAuditEntry): Promise<void> {
    await this.knex(AUDIT).insert({
      entity_ref: entry.entityRef,
      action: entry.action,
      actor: entry.actor,
      version: entry.version ?? null,
      scopes: JSON.stringify(entry.scopes),
      names: JSON.stringify(entry.names),
      at: new Date(),
    });
  }

  async listAudit(
    entityRef: string,
    options: { name?: string; limit?: number } = {},
  ): Promise<ConfigAuditEntry[]> {
    const rows = await this.knex(AUDIT)
      .where({ entity_ref: entityRef })
      .orderBy('id', 'desc')
      .limit(options.name ? 1000 : options.limit ?? 100);
    const entries = rows.map(row => ({
      id: Number(row.id),
      action: row.action,
      actor: row.actor,
      at: timestamp(row.at),
      version: row.version ?? undefined,
      scopes: JSON.parse(row.scopes),
      names: JSON.parse(row.names),
    }));
    return options.name
      ? entries
          .filter(e => e.names.includes(options.name!))
          .slice(0, options.limit ?? 100)
      : entries;
  }

  async countByKey(): Promise<Map<string, number>> {
    const rows = await this.knex(VALUES)
      .select('key_id')
      .count('id as n')
      .groupBy('key_id');
    return new Map(rows.map(r => [String(r.key_id), Number(r.n)]));
  }

  async valuesNotUnder(
    keyId: string,
    limit: number,
  ): Promise<StoredConfigValue[]> {
    const rows = await this.knex(VALUES)
      .whereNot('key_id', keyId)
      .orderBy('id')
      .limit(limit);
    return rows.map(toValue);
  }

  async rewrapValue(
    value: StoredConfigValue,
    next: { keyId: string; wrappedKey: string },
  ): Promise<boolean> {
    const updated = await this.knex(VALUES)
      .where({
        id: value.id,
        key_id: value.sealed.keyId,
        wrapped_key: value.sealed.wrappedKey,
      })
      .update({ key_id: next.keyId, wrapped_key: next.wrappedKey });
    return updated > 0;
  }
}
