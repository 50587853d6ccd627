import type { DeploymentStatus } from './api';

/**
 * Annotation that overrides where the manifest lives inside the component's source
 * (a path relative to the source root). Without it CodeRunner reads `coderunner.yaml`.
 *
 * @public
 */
export const CODERUNNER_MANIFEST_ANNOTATION = 'coderunner.io/manifest-path';

/**
 * The manifest file name CodeRunner looks for when no annotation overrides it.
 *
 * @public
 */
export const DEFAULT_MANIFEST_PATH = 'coderunner.yaml';

/**
 * The deployment environments used when app-config names none.
 *
 * @public
 */
export const DEFAULT_ENVIRONMENTS = ['development', 'staging', 'production'];

/**
 * Every deployment status, in the order of a deployment's life: the filters of the global
 * list offer them, and the list API accepts exactly these.
 *
 * @public
 */
export const DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = [
  'pending',
  'deploying',
  'ready',
  'degraded',
  'failed',
  'stopped',
];
