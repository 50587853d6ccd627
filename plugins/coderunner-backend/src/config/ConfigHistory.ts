import { NotFoundError, InputError } from '@backstage/errors';
import {
  CONFIG_OVERRIDE_ORDER,
  ConfigAuditEntry,
  ConfigDiff,
  ConfigDiffEntry,
  ConfigSnapshot,
  ConfigVariable,
  ConfigVersion,
} from '@coderunner/plugin-coderunner-common';
import { ConfigStore, StoredConfigValue } from './ConfigStore';
import { ConfigValues, keyOf } from './ConfigValues';

/**
 * Reading an entity's configuration as it is and was: the snapshot at a version (secrets
 * shown only as set), the versions, the diff between two, the audit trail, and revealing one
 * secret (audited).
 *
 * @internal
 */
export class ConfigHistory {
  constructor(
    private readonly store: ConfigStore,
    private readonly values: ConfigValues,
  ) {}

  async snapshot(entityRef: string, version?: number): Promise<ConfigSnapshot> {
    const latest = await this.store.latestVersion(entityRef);
    const at = version ?? latest;
    if (at < 0 || at > latest) {
      throw new NotFoundError(
        `${entityRef} has no config version ${at}; the newest is ${latest}`,
      );
    }
    const scopes: Record<string, ConfigVariable[]> = Object.fromEntries(
      this.values.scopes.map(s => [s, []]),
    );
    for (const value of await this.store.valuesAt(entityRef, at)) {
      (scopes[value.scope] ??= []).push(this.view(value));
    }
    return {
      entityRef,
      version: at,
      scopes,
      overrideOrder: [...CONFIG_OVERRIDE_ORDER],
    };
  }

  private view(value: StoredConfigValue): ConfigVariable {
    return {
      name: value.name,
      secret: value.secret,
      value: value.secret ? undefined : this.values.decrypt(value),
      fingerprint: value.secret ? value.sealed.fingerprint : undefined,
      updatedBy: value.updatedBy,
      updatedAt: value.updatedAt,
      version: value.fromVersion,
    };
  }

  async versions(entityRef: string): Promise<ConfigVersion[]> {
    return this.store.listVersions(entityRef);
  }

  async diff(entityRef: string, from: number, to: number): Promise<ConfigDiff> {
    const latest = await this.store.latestVersion(entityRef);
    for (const v of [from, to]) {
      if (!Number.isInteger(v) || v < 0 || v > latest) {
        throw new InputError(`Versions go from 0 to ${latest}; got ${v}.`);
      }
    }
    const before = new Map(
      (await this.store.valuesAt(entityRef, from)).map(r => [keyOf(r), r]),
    );
    const after = new Map(
      (await this.store.valuesAt(entityRef, to)).map(r => [keyOf(r), r]),
    );
    const entries: ConfigDiffEntry[] = [];
    const plain = (value: StoredConfigValue) =>
      value.secret ? undefined : this.values.decrypt(value);
    for (const [key, row] of before) {
      const next = after.get(key);
      if (!next) {
        entries.push({
          scope: row.scope,
          name: row.name,
          change: 'removed',
          secret: row.secret,
          before: plain(row),
        });
      } else if (next.id !== row.id && !this.values.same(row, next)) {
        entries.push({
          scope: row.scope,
          name: row.name,
          change: 'changed',
          secret: row.secret || next.secret,
          before: row.secret || next.secret ? undefined : plain(row),
          after: row.secret || next.secret ? undefined : plain(next),
        });
      }
    }
    for (const [key, row] of after) {
      if (!before.has(key)) {
        entries.push({
          scope: row.scope,
          name: row.name,
          change: 'added',
          secret: row.secret,
          after: plain(row),
        });
      }
    }
    entries.sort(
      (a, b) => a.scope.localeCompare(b.scope) || a.name.localeCompare(b.name),
    );
    return { from, to, entries };
  }

  async audit(
    entityRef: string,
    options: { name?: string; limit?: number },
  ): Promise<ConfigAuditEntry[]> {
    return this.store.listAudit(entityRef, options);
  }

  /** The plaintext of one secret; the caller has checked the reveal permission. */
  async reveal(
    entityRef: string,
    scope: string,
    name: string,
    actor: string,
  ): Promise<string> {
    this.values.assertScope(scope);
    const value = (await this.values.current(entityRef, scope)).get(name);
    if (!value) {
      throw new NotFoundError(`${name} is not set in ${scope}`);
    }
    await this.store.addAudit({
      entityRef,
      action: 'reveal',
      actor,
      scopes: [scope],
      names: [name],
    });
    return this.values.decrypt(value);
  }
}
