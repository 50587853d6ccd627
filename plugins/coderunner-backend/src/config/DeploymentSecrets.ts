/**
 * The secret values each deployment's instances were started with, for the log pipeline's
 * redaction (`LogRedactor.registerSecretSource`). Values are learnt when an instance starts
 * and kept for the life of the process, so old instances draining during a rollout stay
 * covered after a secret changed. A multi-line secret is printed line by line, so each of
 * its lines counts as a value too.
 *
 * @internal
 */
export class DeploymentSecrets {
  private readonly byDeployment = new Map<string, Set<string>>();
  private readonly listeners: ((deploymentId: string) => void)[] = [];

  constructor(
    private readonly deploymentIdOf: (
      entityRef: string,
      environment: string,
    ) => Promise<string | undefined>,
  ) {}

  /** Called with a deployment whose set of values grew, e.g. to drop a cached pattern. */
  onChange(listener: (deploymentId: string) => void) {
    this.listeners.push(listener);
  }

  /** Records the secret values an instance of this deployment starts with. */
  async remember(entityRef: string, environment: string, values: string[]) {
    if (values.length === 0) return;
    const deploymentId = await this.deploymentIdOf(entityRef, environment);
    if (!deploymentId) return;
    const known = this.byDeployment.get(deploymentId) ?? new Set<string>();
    const before = known.size;
    for (const value of values) {
      known.add(value);
      for (const line of value.split(/\r?\n/)) {
        if (line.trim()) known.add(line);
      }
    }
    this.byDeployment.set(deploymentId, known);
    if (known.size !== before) {
      for (const listener of this.listeners) listener(deploymentId);
    }
  }

  /** The secret source for the log redactor. */
  readonly valuesOf = (deploymentId: string): string[] => [
    ...(this.byDeployment.get(deploymentId) ?? []),
  ];
}
