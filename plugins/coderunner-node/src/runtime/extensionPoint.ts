import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { SandboxRuntime } from './types';

/**
 * Where an AgentSphere-compatible service answers: the domain the AgentSphere SDK calls
 * (`api.<domain>`, `<port>-<sandbox>.<domain>`) and the API key it sends.
 *
 * @public
 */
export interface AgentSphereEndpoint {
  /** For example `agentsphere.run`, or the emulator's `agentsphere.test`. */
  domain: string;
  /** The key sent in `X-API-KEY` with every control-plane call. */
  apiKey: string;
}

/**
 * Lets a backend module replace the runtime that CodeRunner runs sandboxes on.
 * A backend calls exactly one of its methods, from one module: a second call
 * (of either method) fails start-up, naming the runtime set first.
 *
 * @public
 */
export interface CoderunnerRuntimeExtensionPoint {
  /**
   * Sets the runtime. `name` is shown in the backend log and in `/health`,
   * for example `agentsphere` or `agentsphere-emulator`.
   */
  setRuntime(runtime: SandboxRuntime, options: { name: string }): void;
  /**
   * Keeps the plugin's own AgentSphere runtime but points it at `endpoint`:
   * the plugin builds its AgentSphere SDK runtime with its usual app-config
   * for everything else (`coderunner.agentsphere.defaultTemplate`, lifetimes,
   * timeouts, `retry`, `circuitBreaker`), and this domain and key instead of
   * `coderunner.agentsphere.domain` and `apiKey`. `/health` checks it as it
   * checks AgentSphere. `name` is shown in the backend log and in `/health`,
   * for example `agentsphere-emulator`. The module must make `endpoint.domain`
   * reachable (for example with the emulator's `routeDomainToEmulator`) for
   * as long as the backend runs; the plugin closes the runtime at shutdown.
   */
  setAgentSphereEndpoint(
    endpoint: AgentSphereEndpoint,
    options: { name: string },
  ): void;
}

/**
 * Extension point for replacing the CodeRunner sandbox runtime.
 *
 * @public
 */
export const coderunnerRuntimeExtensionPoint =
  createExtensionPoint<CoderunnerRuntimeExtensionPoint>({
    id: 'coderunner.runtime',
  });
