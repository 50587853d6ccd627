import { components } from './api/generated/openapi';

/**
 * What the backend knows about an entity's CodeRunner setup.
 *
 * @public
 */
export type EntitySetup = components['schemas']['EntitySetup'];

/**
 * The answer of the unauthenticated health route: a readiness check of the backend's parts.
 * `failing` (with HTTP 503) when any component is; `message` then names them.
 *
 * @public
 */
export type HealthResponse = components['schemas']['Health'];
