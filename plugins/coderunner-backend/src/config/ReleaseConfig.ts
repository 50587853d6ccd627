import { SHARED_CONFIG_SCOPE } from '@coderunner/plugin-coderunner-common';
import { ReleaseConfigProvider } from '../orchestrator/ReleaseConfigProvider';
import { ConfigStore } from './ConfigStore';
import { ConfigValues } from './ConfigValues';
import { DeploymentSecrets } from './DeploymentSecrets';

/**
 * The configuration releases start with (the orchestrator's {@link ReleaseConfigProvider}):
 * the version a new release pins, and the variables of a pinned version, secrets decrypted
 * and remembered for log redaction.
 *
 * @internal
 */
export class ReleaseConfig implements ReleaseConfigProvider {
  constructor(
    private readonly store: ConfigStore,
    private readonly values: ConfigValues,
    private readonly secrets?: DeploymentSecrets,
  ) {}

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
    const stored = await this.store.valuesAt(entityRef, version);
    const result: Record<string, string> = {};
    const secrets: string[] = [];
    for (const scope of [SHARED_CONFIG_SCOPE, environment]) {
      for (const value of stored.filter(v => v.scope === scope)) {
        const plaintext = this.values.decrypt(value);
        result[value.name] = plaintext;
        if (value.secret) secrets.push(plaintext);
      }
    }
    await this.secrets?.remember(entityRef, environment, secrets);
    return result;
  }
}
