import {
  HttpRouterService,
  HttpRouterServiceAuthPolicy,
} from '@backstage/backend-plugin-api';
import { Handler } from 'express';
import { createRouter, RouterOptions } from './router';

/**
 * Puts the plugin's HTTP routes on Backstage's router: each capability's own router with its
 * auth policies, in the order given (the metrics router first, so that its latency middleware
 * times every route after it), then the typed REST API, whose `/health` and manifest schema
 * need no sign-in.
 *
 * @internal
 */
export async function mountRoutes(
  httpRouter: HttpRouterService,
  options: {
    capabilities: {
      router: Handler;
      authPolicies?: HttpRouterServiceAuthPolicy[];
    }[];
    api: RouterOptions;
  },
): Promise<void> {
  for (const { router, authPolicies = [] } of options.capabilities) {
    httpRouter.use(router);
    authPolicies.forEach(policy => httpRouter.addAuthPolicy(policy));
  }
  httpRouter.use(await createRouter(options.api));
  httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
  httpRouter.addAuthPolicy({
    path: '/manifest/schema.json',
    allow: 'unauthenticated',
  });
}
