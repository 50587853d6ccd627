import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  checkVariableName,
  checkVariableValue,
  CONFIG_LIMITS,
  ConfigChange,
  ConfigChangeRequest,
  ConfigSaveResponse,
  ConfigVersion,
  Deployment,
  Release,
  SHARED_CONFIG_SCOPE,
} from '@coderunner/plugin-coderunner-common';
import {
  ConfigStore,
  NewConfigValue,
  SavedConfigVersion,
  StoredConfigValue,
} from './ConfigStore';
import { ConfigValues, keyOf } from './ConfigValues';

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

/**
 * Changing an entity's configuration: change sets and rollbacks saved as new versions (each
 * audited), and applying a version to deployments by redeploying them.
 *
 * @internal
 */
export class ConfigChanges {
  private applier?: ConfigApplier;

  constructor(
    private readonly store: ConfigStore,
    private readonly values: ConfigValues,
    options: { applier?: ConfigApplier } = {},
  ) {
    this.applier = options.applier;
  }

  /**
   * Applies changes through `applier` from now on. The Deployments capability is created after
   * the Config capability (its releases read their configuration there), so the plugin
   * connects it here once both exist; until then changes are saved and left pending.
   */
  applyThrough(applier: ConfigApplier) {
    this.applier = applier;
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
      if (!this.values.scopes.includes(change.scope)) {
        problems.push(
          `${where}: unknown scope "${
            change.scope
          }"; use one of ${this.values.scopes.join(', ')}`,
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
        const close: StoredConfigValue[] = [];
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
            this.values.decrypt(existing) === change.value
          ) {
            continue;
          }
          if (existing) close.push(existing);
          insert.push({
            scope: change.scope,
            name: change.name,
            secret,
            sealed: this.values.seal(change.value, { entityRef, ...change }),
          });
          byKey.set(keyOf(change), existing ?? ({} as StoredConfigValue));
          changes.push({
            scope: change.scope,
            name: change.name,
            change: existing ? 'changed' : 'added',
          });
        }
        for (const scope of this.values.scopes) {
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
        const close: StoredConfigValue[] = [];
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
          } else if (old.id !== row.id && !this.values.same(old, row)) {
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

  /** A stored value again: its ciphertext is bound to the same entity, scope and name. */
  private copy(value: StoredConfigValue): NewConfigValue {
    const { scope, name, secret, sealed } = value;
    return { scope, name, secret, sealed };
  }

  private async afterSave(
    entity: Entity,
    result: SavedConfigVersion,
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
    if (!this.values.environments.includes(environment)) {
      throw new InputError(
        `Unknown environment "${environment}"; use one of ${this.values.environments.join(
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
}
