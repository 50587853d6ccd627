import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { SandboxRuntime } from './types';

/**
 * Lets a backend module replace the runtime that CodeRunner runs sandboxes on.
 *
 * @public
 */
export interface CoderunnerRuntimeExtensionPoint {
  /**
   * Sets the runtime. `name` is shown in the backend log and in `/health`,
   * for example `agentsphere` or `agentsphere-emulator`.
   */
  setRuntime(runtime: SandboxRuntime, options: { name: string }): void;
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
