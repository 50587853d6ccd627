import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ConfigAuditEntry,
  ConfigVersion,
} from '@coderunner/plugin-coderunner-common';
import { Knex } from 'knex';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { SealedValue } from './SecretCipher';

const VALUES = 'coderunner_config_values';
const VERSIONS = 'coderunner_config_versions';
const AUDIT = 'coderunner_config_audit';

/**
 * A stored value row: valid from `from_version` until `to_version` (exclusive), or still
 * current when `to_version` is null.
 *
 * @internal
 */
export interface ConfigValueRow {
  id: number;
  entity_ref: string;
  scope: string;
  name: string;
  secret: boolean;
  key_id: string;
  wrapped_key: string;
  ciphertext: string;
  fingerprint: string;
  from_version: number;
  to_version: number | null;
  updated_by: string;
  updated_at: string | Date;
}

/** A value to insert with a new version. */
export interface NewConfigValue {
  scope: string;
  name: string;
  secret: boolean;
  sealed: SealedValue;
}

function timestamp(value: string | Date): string {
  return new Date(value).toISOString();
}

function normalise(row: any): ConfigValueRow {
  return { ...row, secret: Boolean(row.secret) };
}

/**
 * The configuration tables: values valid over version ranges, versions, audit history.
 *
 * @internal
 */
export class ConfigStore {
  private constructor(readonly knex: Knex) {}

  static async create(options: {
    database: DatabaseService;
  }): Promise<ConfigStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await migrateDatabaseUp(knex);
    }
    return new ConfigStore(knex);
  }

  static fromKnex(knex: Knex): ConfigStore {
    return new ConfigStore(knex);
  }

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

  /**
   * For each of `entityRefs`, its versions newest first with the scopes each touched: one
   * query per 500 entities, for {@link latestVersionTouching} over many deployments.
   */
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

  /** The rows in effect at a version. */
  async valuesAt(
    entityRef: string,
    version: number,
    db: Knex = this.knex,
  ): Promise<ConfigValueRow[]> {
    const rows = await db(VALUES)
      .where({ entity_ref: entityRef })
      .andWhere('from_version', '<=', version)
      .andWhere(q =>
        q.whereNull('to_version').orWhere('to_version', '>', version),
      )
      .orderBy(['scope', 'name']);
    return rows.map(normalise);
  }

  /**
   * Saves a change set as the next version: closes replaced rows, inserts new ones. Fails
   * with the current version when `expectedVersion` is stale.
   */
  async saveVersion(options: {
    entityRef: string;
    author: string;
    message?: string;
    rollbackOf?: number;
    expectedVersion?: number;
    plan: (
      current: ConfigValueRow[],
      version: number,
    ) => {
      close: ConfigValueRow[];
      insert: NewConfigValue[];
      changes: ConfigVersion['changes'];
    };
  }): Promise<{ version: ConfigVersion } | { stale: number }> {
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

  async addAudit(
    entry: Omit<ConfigAuditEntry, 'id' | 'at'> & { entityRef: string },
  ) {
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

  /** How many stored values each key wraps. */
  async countByKey(): Promise<Map<string, number>> {
    const rows = await this.knex(VALUES)
      .select('key_id')
      .count('id as n')
      .groupBy('key_id');
    return new Map(rows.map(r => [String(r.key_id), Number(r.n)]));
  }

  /** A batch of values whose data keys are wrapped by another key than this one. */
  async valuesNotUnder(
    keyId: string,
    limit: number,
  ): Promise<ConfigValueRow[]> {
    const rows = await this.knex(VALUES)
      .whereNot('key_id', keyId)
      .orderBy('id')
      .limit(limit);
    return rows.map(normalise);
  }

  /** Stores a re-wrapped data key, unless someone else already moved the row. */
  async rewrapValue(
    row: ConfigValueRow,
    next: { keyId: string; wrappedKey: string },
  ): Promise<boolean> {
    const updated = await this.knex(VALUES)
      .where({ id: row.id, key_id: row.key_id, wrapped_key: row.wrapped_key })
      .update({ key_id: next.keyId, wrapped_key: next.wrappedKey });
    return updated > 0;
  }
}
