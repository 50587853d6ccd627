import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  checkVariableName,
  checkVariableValue,
  CONFIG_LIMITS,
  CONFIG_OVERRIDE_ORDER,
  ConfigAuditEntry,
  ConfigChange,
  ConfigChangeRequest,
  ConfigDiff,
  ConfigDiffEntry,
  ConfigSaveResponse,
  ConfigSnapshot,
  ConfigVariable,
  ConfigVersion,
  Deployment,
  Release,
  SHARED_CONFIG_SCOPE,
} from '@coderunner/plugin-coderunner-common';
import { ReleaseConfigProvider } from '../orchestrator/ReleaseConfigProvider';
import { ConfigStore, ConfigValueRow, NewConfigValue } from './ConfigStore';
import { DeploymentSecrets } from './DeploymentSecrets';
import { ConfigValues } from './ConfigValues';
import { SecretCipher } from './SecretCipher';

/**
 * What the Config capability needs from Deployments to apply a new version.
 *
 * @internal
 */
export interface ConfigApplier {
  list(entityRef: string): Promise<Deployment[]>;
  redeployWithConfig(
    entity: Entity,
    environment: string,
    actor: string,
  ): Promise<{ release: Release }>;
}

/**
 * A change as the API receives it: the spec cannot say "a value or `delete: true`", so the
 * service checks that (a 400 naming the change) before it uses the change as a ConfigChange.
 *
 * @internal
 */
export type ConfigChangeInput = {
  scope: string;
  name: string;
  value?: string;
  secret?: boolean;
  delete?: true;
};

/**
 * A change set as the API receives it; see {@link ConfigChangeInput}.
 *
 * @internal
 */
export type ConfigChangeRequestInput = Omit<ConfigChangeRequest, 'changes'> & {
  changes: ConfigChangeInput[];
};

const keyOf = (row: { scope: string; name: string }) =>
  `${row.scope}\u0000${row.name}`;

/**
 * Configuration and secrets of catalog entities: versioned change sets, diffs, rollback,
 * apply, reveal, the audit trail, and the variables releases start with. Import, export and
 * template previews are `ConfigTransfer`'s.
 *
 * @internal
 */
export class ConfigService implements ReleaseConfigProvider {
  constructor(
    private readonly store: ConfigStore,
    private readonly cipher: SecretCipher,
    private readonly environments: string[],
    private readonly options: {
      applier?: ConfigApplier;
      secrets?: DeploymentSecrets;
    } = {},
  ) {
    this.applier = options.applier;
    this.values = new ConfigValues(store, cipher, environments);
  }

  private readonly values: ConfigValues;

  private applier?: ConfigApplier;

  /**
   * Applies changes through `applier` from now on. The Deployments capability is created after
   * this service (its releases read their configuration here), so the plugin connects it here
   * once both exist; until then changes are saved and left pending.
   */
  applyThrough(applier: ConfigApplier) {
    this.applier = applier;
  }

  get scopes(): string[] {
    return this.values.scopes;
  }

  private decrypt(row: ConfigValueRow): string {
    return this.values.decrypt(row);
  }

  private view(row: ConfigValueRow): ConfigVariable {
    return {
      name: row.name,
      secret: row.secret,
      value: row.secret ? undefined : this.decrypt(row),
      fingerprint: row.secret ? row.fingerprint : undefined,
      updatedBy: row.updated_by,
      updatedAt: new Date(row.updated_at).toISOString(),
      version: row.from_version,
    };
  }

  async snapshot(entityRef: string, version?: number): Promise<ConfigSnapshot> {
    const latest = await this.store.latestVersion(entityRef);
    const at = version ?? latest;
    if (at < 0 || at > latest) {
      throw new NotFoundError(
        `${entityRef} has no config version ${at}; the newest is ${latest}`,
      );
    }
    const scopes: Record<string, ConfigVariable[]> = Object.fromEntries(
      this.scopes.map(s => [s, []]),
    );
    for (const row of await this.store.valuesAt(entityRef, at)) {
      (scopes[row.scope] ??= []).push(this.view(row));
    }
    return {
      entityRef,
      version: at,
      scopes,
      overrideOrder: [...CONFIG_OVERRIDE_ORDER],
    };
  }

  /** Checks a change set completely before anything is written; all problems at once. */
  private validate(
    changes: ConfigChangeInput[] | undefined,
  ): asserts changes is ConfigChange[] {
    if (!Array.isArray(changes) || changes.length === 0) {
      throw new InputError(
        'Send {"changes": [{"scope", "name", "value", "secret"?} or {"scope", "name", "delete": true}]}',
      );
    }
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const [index, change] of changes.entries()) {
      const where = `changes[${index}]`;
      if (
        !change ||
        typeof change.name !== 'string' ||
        typeof change.scope !== 'string'
      ) {
        problems.push(`${where}: needs a scope and a name`);
        continue;
      }
      if (!this.scopes.includes(change.scope)) {
        problems.push(
          `${where}: unknown scope "${
            change.scope
          }"; use one of ${this.scopes.join(', ')}`,
        );
      }
      const nameProblem = checkVariableName(change.name);
      if (nameProblem) problems.push(`${change.name || where}: ${nameProblem}`);
      if ('delete' in change) {
        if (change.delete !== true)
          problems.push(`${where}: delete must be true`);
      } else if (typeof change.value !== 'string') {
        problems.push(`${change.name}: value must be text`);
      } else {
        const valueProblem = checkVariableValue(change.value);
        if (valueProblem) problems.push(`${change.name}: ${valueProblem}`);
      }
      if (
        'secret' in change &&
        change.secret !== undefined &&
        typeof change.secret !== 'boolean'
      ) {
        problems.push(`${change.name}: secret must be true or false`);
      }
      const key = keyOf(change);
      if (seen.has(key))
        problems.push(
          `${change.name} (${change.scope}) appears twice in one change set`,
        );
      seen.add(key);
    }
    if (problems.length > 0) {
      throw new InputError(problems.join('; '));
    }
  }

  /** Saves a change set as a new version; applies it when asked. */
  async change(
    entity: Entity,
    request: ConfigChangeRequestInput,
    actor: string,
  ): Promise<ConfigSaveResponse> {
    const entityRef = stringifyEntityRef(entity);
    const requested = request?.changes;
    this.validate(requested);
    const result = await this.store.saveVersion({
      entityRef,
      author: actor,
      message: request.message,
      expectedVersion: request.expectedVersion,
      plan: (current, version) => {
        const byKey = new Map(current.map(r => [keyOf(r), r]));
        const close: ConfigValueRow[] = [];
        const insert: NewConfigValue[] = [];
        const changes: ConfigVersion['changes'] = [];
        const problems: string[] = [];
        for (const change of requested) {
          const existing = byKey.get(keyOf(change));
          if ('delete' in change) {
            if (!existing) {
              problems.push(`${change.name} is not set in ${change.scope}`);
              continue;
            }
            close.push(existing);
            byKey.delete(keyOf(change));
            changes.push({
              scope: change.scope,
              name: change.name,
              change: 'removed',
            });
            continue;
          }
          const secret = change.secret ?? existing?.secret ?? false;
          // A secret is always written: skipping an equal value would tell whoever saves a
          // guess (with write but no reveal permission) that the guess was right.
          if (
            existing &&
            !existing.secret &&
            !secret &&
            this.decrypt(existing) === change.value
          ) {
            continue;
          }
          if (existing) close.push(existing);
          insert.push({
            scope: change.scope,
            name: change.name,
            secret,
            sealed: this.cipher.encrypt(change.value, { entityRef, ...change }),
          });
          byKey.set(keyOf(change), existing ?? ({} as ConfigValueRow));
          changes.push({
            scope: change.scope,
            name: change.name,
            change: existing ? 'changed' : 'added',
          });
        }
        for (const scope of this.scopes) {
          const count = [...byKey.keys()].filter(k =>
            k.startsWith(`${scope}\u0000`),
          ).length;
          if (count > CONFIG_LIMITS.variablesPerScope) {
            problems.push(
              `${scope} would have ${count} variables; the limit is ${CONFIG_LIMITS.variablesPerScope}`,
            );
          }
        }
        if (problems.length > 0) throw new InputError(problems.join('; '));
        if (changes.length === 0) {
          throw new InputError(
            `Nothing to save: every value is the same as in version ${
              version - 1
            }.`,
          );
        }
        return { close, insert, changes };
      },
    });
    return this.afterSave(
      entity,
      result,
      'change',
      actor,
      request.apply === true,
      request.expectedVersion,
    );
  }

  /** Makes an earlier version current again, as a new version. */
  async rollback(
    entity: Entity,
    target: number,
    actor: string,
    options: { message?: string; apply?: boolean } = {},
  ): Promise<ConfigSaveResponse> {
    const entityRef = stringifyEntityRef(entity);
    const latest = await this.store.latestVersion(entityRef);
    if (!Number.isInteger(target) || target < 0 || target >= latest) {
      throw new InputError(
        `Roll back to an earlier version, from 0 to ${Math.max(
          latest - 1,
          0,
        )}; got ${target}.`,
      );
    }
    const wanted = await this.store.valuesAt(entityRef, target);
    const result = await this.store.saveVersion({
      entityRef,
      author: actor,
      message: options.message ?? `Roll back to version ${target}`,
      rollbackOf: target,
      plan: current => {
        const now = new Map(current.map(r => [keyOf(r), r]));
        const then = new Map(wanted.map(r => [keyOf(r), r]));
        const close: ConfigValueRow[] = [];
        const insert: NewConfigValue[] = [];
        const changes: ConfigVersion['changes'] = [];
        for (const [key, row] of now) {
          const old = then.get(key);
          if (!old) {
            close.push(row);
            changes.push({
              scope: row.scope,
              name: row.name,
              change: 'removed',
            });
          } else if (old.id !== row.id && !this.sameValue(old, row)) {
            close.push(row);
            insert.push(this.copy(old));
            changes.push({
              scope: row.scope,
              name: row.name,
              change: 'changed',
            });
          }
        }
        for (const [key, row] of then) {
          if (!now.has(key)) {
            insert.push(this.copy(row));
            changes.push({ scope: row.scope, name: row.name, change: 'added' });
          }
        }
        if (changes.length === 0) {
          throw new InputError(
            `Version ${target} is the same as the current configuration.`,
          );
        }
        return { close, insert, changes };
      },
    });
    return this.afterSave(
      entity,
      result,
      'rollback',
      actor,
      options.apply === true,
    );
  }

  private sameValue(a: ConfigValueRow, b: ConfigValueRow) {
    return a.secret === b.secret && this.decrypt(a) === this.decrypt(b);
  }

  /** A stored value again: its ciphertext is bound to the same entity, scope and name. */
  private copy(row: ConfigValueRow): NewConfigValue {
    return {
      scope: row.scope,
      name: row.name,
      secret: row.secret,
      sealed: {
        keyId: row.key_id,
        wrappedKey: row.wrapped_key,
        ciphertext: row.ciphertext,
        fingerprint: row.fingerprint,
      },
    };
  }

  private async afterSave(
    entity: Entity,
    result: Awaited<ReturnType<ConfigStore['saveVersion']>>,
    action: 'change' | 'rollback',
    actor: string,
    apply: boolean,
    expectedVersion?: number,
  ): Promise<ConfigSaveResponse> {
    const entityRef = stringifyEntityRef(entity);
    if ('stale' in result) {
      throw new ConflictError(
        `The configuration changed meanwhile: version ${result.stale} is newer than version ${expectedVersion}. Reload and try again.`,
      );
    }
    const { version } = result;
    await this.store.addAudit({
      entityRef,
      action,
      actor,
      version: version.version,
      scopes: version.scopes,
      names: [...new Set(version.changes.map(c => c.name))],
    });
    const response: ConfigSaveResponse = { version, applied: [], pending: [] };
    for (const deployment of await this.affectedDeployments(
      entityRef,
      version.scopes,
    )) {
      if (
        apply &&
        deployment.activeRelease &&
        deployment.desiredState === 'running'
      ) {
        const { release } = await this.appliedThrough().redeployWithConfig(
          entity,
          deployment.environment,
          actor,
        );
        response.applied.push({
          environment: deployment.environment,
          releaseNumber: release.number,
        });
      } else {
        response.pending.push(deployment.environment);
      }
    }
    if (response.applied.length > 0) {
      await this.store.addAudit({
        entityRef,
        action: 'apply',
        actor,
        version: version.version,
        scopes: response.applied.map(a => a.environment),
        names: [],
      });
    }
    return response;
  }

  private appliedThrough(): ConfigApplier {
    if (!this.applier) {
      throw new ServiceUnavailableError(
        'CodeRunner is still starting: config cannot be applied yet; try again in a moment.',
      );
    }
    return this.applier;
  }

  private async affectedDeployments(
    entityRef: string,
    scopes: string[],
  ): Promise<Deployment[]> {
    if (!this.applier) return [];
    const all = await this.applier.list(entityRef);
    return all.filter(
      d =>
        d.desiredState !== 'deleted' &&
        (scopes.includes(SHARED_CONFIG_SCOPE) ||
          scopes.includes(d.environment)),
    );
  }

  /** Applies the current version to one environment's deployment. */
  async apply(entity: Entity, environment: string, actor: string) {
    if (!this.environments.includes(environment)) {
      throw new InputError(
        `Unknown environment "${environment}"; use one of ${this.environments.join(
          ', ',
        )}.`,
      );
    }
    const { release } = await this.appliedThrough().redeployWithConfig(
      entity,
      environment,
      actor,
    );
    const entityRef = stringifyEntityRef(entity);
    await this.store.addAudit({
      entityRef,
      action: 'apply',
      actor,
      version: release.configVersion,
      scopes: [environment],
      names: [],
    });
    return { environment, releaseNumber: release.number };
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
    const plain = (row: ConfigValueRow) =>
      row.secret ? undefined : this.decrypt(row);
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
      } else if (next.id !== row.id && !this.sameValue(row, next)) {
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

  /** The plaintext of one secret; the caller has checked the reveal permission. */
  async reveal(
    entityRef: string,
    scope: string,
    name: string,
    actor: string,
  ): Promise<string> {
    this.values.assertScope(scope);
    const row = (await this.values.current(entityRef, scope)).get(name);
    if (!row) {
      throw new NotFoundError(`${name} is not set in ${scope}`);
    }
    await this.store.addAudit({
      entityRef,
      action: 'reveal',
      actor,
      scopes: [scope],
      names: [name],
    });
    return this.decrypt(row);
  }

  async audit(
    entityRef: string,
    options: { name?: string; limit?: number },
  ): Promise<ConfigAuditEntry[]> {
    return this.store.listAudit(entityRef, options);
  }

  async currentVersion(
    entityRef: string,
    environment: string,
  ): Promise<number | undefined> {
    return this.store.latestVersionTouching(entityRef, [
      SHARED_CONFIG_SCOPE,
      environment,
    ]);
  }

  /**
   * {@link currentVersion} for many deployments in one query: keyed by
   * `${entityRef} ${environment}`.
   */
  async currentVersions(
    deployments: { entityRef: string; environment: string }[],
  ): Promise<Map<string, number | undefined>> {
    const versions = await this.store.versionScopes(
      deployments.map(d => d.entityRef),
    );
    const result = new Map<string, number | undefined>();
    for (const { entityRef, environment } of deployments) {
      const scopes = [SHARED_CONFIG_SCOPE, environment];
      result.set(
        `${entityRef} ${environment}`,
        versions
          .get(entityRef)
          ?.find(v => v.scopes.some(s => scopes.includes(s)))?.version,
      );
    }
    return result;
  }

  /** Shared variables, overridden by the environment's own; secrets decrypted. */
  async variables(
    entityRef: string,
    environment: string,
    version: number | undefined,
  ): Promise<Record<string, string>> {
    if (version === undefined) return {};
    const rows = await this.store.valuesAt(entityRef, version);
    const result: Record<string, string> = {};
    const secrets: string[] = [];
    for (const scope of [SHARED_CONFIG_SCOPE, environment]) {
      for (const row of rows.filter(r => r.scope === scope)) {
        const value = this.decrypt(row);
        result[row.name] = value;
        if (row.secret) secrets.push(value);
      }
    }
    await this.options.secrets?.remember(entityRef, environment, secrets);
    return result;
  }
}
