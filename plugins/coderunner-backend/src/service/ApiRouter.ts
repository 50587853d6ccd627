import { ApiRouter as OpenApiRouter } from '@backstage/backend-openapi-utils';
import { spec } from '../schema/openapi.generated';

/**
 * The router built from src/schema/openapi.yaml (`createOpenApiRouter`): it validates every
 * documented request before a handler runs (a bad one is a 400 naming it), and types each
 * handler's `req.params`, `req.query`, `req.body` and JSON answer by its path in the spec.
 * Every capability adds its routes to it.
 *
 * @internal
 */
export type ApiRouter = OpenApiRouter<typeof spec>;
