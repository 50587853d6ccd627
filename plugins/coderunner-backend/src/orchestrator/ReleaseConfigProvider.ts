/**
 * Where releases get their configuration from. The Config capability implements it: a new
 * release pins the current config version, and every instance of that release starts with
 * the variables of exactly that version, so a release stays reproducible.
 *
 * @internal
 */
export interface ReleaseConfigProvider {
  /** The config version a new release of this deployment pins; undefined when none exists. */
  currentVersion(
    entityRef: string,
    environment: string,
  ): Promise<number | undefined>;
  /**
   * `currentVersion` for many deployments at once (keyed by `${entityRef} ${environment}`),
   * for lists; without it, lists ask `currentVersion` once per deployment.
   */
  currentVersions?(
    deployments: { entityRef: string; environment: string }[],
  ): Promise<Map<string, number | undefined>>;
  /**
   * The variables (secrets decrypted) of a config version, to start instances with. They are
   * merged over the manifest's `env`; the platform's own variables (PORT, CODERUNNER_*) win.
   */
  variables(
    entityRef: string,
    environment: string,
    version: number | undefined,
  ): Promise<Record<string, string>>;
}

/** The provider used until the Config capability registers one: no configuration. */
export const noReleaseConfig: ReleaseConfigProvider = {
  async currentVersion() {
    return undefined;
  },
  async variables() {
    return {};
  },
};
