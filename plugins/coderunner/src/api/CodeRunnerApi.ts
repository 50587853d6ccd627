import { createApiRef } from '@backstage/core-plugin-api';
import { EntitySetup } from '@coderunner/plugin-coderunner-common';

/**
 * The browser's view of the CodeRunner backend.
 *
 * @public
 */
export interface CodeRunnerApi {
  /**
   * What the backend knows about an entity's CodeRunner setup: where its
   * `coderunner.yaml` is, whether it was found, and the environments on offer.
   *
   * @param entityRef - the entity ref, e.g. `component:default/hello-node`
   */
  getEntitySetup(entityRef: string): Promise<EntitySetup>;
}

/**
 * The API ref of {@link CodeRunnerApi}.
 *
 * @public
 */
export const coderunnerApiRef = createApiRef<CodeRunnerApi>({
  id: 'plugin.coderunner.service',
});
