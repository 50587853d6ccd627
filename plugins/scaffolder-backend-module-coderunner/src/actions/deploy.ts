import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  Deployment,
  deploymentPathParams,
  entityPathParams,
  EntitySetup,
} from '@coderunner/plugin-coderunner-common';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { CodeRunnerCallError, CodeRunnerCaller } from './callCodeRunner';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * `coderunner:deploy`: deploys a component to an environment and, by default, waits until it
 * is ready, so a template can create a component and hand back its running URL. Acts on
 * behalf of the person running the template. A dry run checks the component and its
 * coderunner.yaml without deploying.
 *
 * @internal
 */
export function createDeployAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  /** How long to wait for a freshly registered entity to appear in the catalog. */
  catalogWaitMs?: number;
  pollIntervalMs?: number;
}) {
  const caller = new CodeRunnerCaller(options.discovery, options.auth);
  return createTemplateAction({
    id: 'coderunner:deploy',
    description:
      'Deploys a component with CodeRunner to an environment and waits until it is ready; outputs its URL.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Deploy the component this template registered',
        example: `steps:\n  - id: deploy\n    action: coderunner:deploy\n    input:\n      entityRef: \${{ steps.register.output.entityRef }}\n      environment: development`,
      },
    ],
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe('The component, e.g. component:default/my-service'),
        environment: z =>
          z.string().describe('The environment, e.g. development'),
        instances: z =>
          z
            .number()
            .int()
            .min(1)
            .max(100)
            .optional()
            .describe('How many instances'),
        waitForReady: z =>
          z
            .boolean()
            .optional()
            .describe('Wait until the deployment is ready (default true)'),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(10)
            .max(3600)
            .optional()
            .describe('How long to wait (default 600)'),
      },
      output: {
        url: z =>
          z.string().optional().describe('The deployment URL on the gateway'),
        releaseNumber: z => z.number().describe('The release created'),
        status: z =>
          z.string().describe('The deployment status when the action ended'),
      },
    },
    async handler(ctx) {
      const {
        entityRef,
        environment,
        instances,
        waitForReady = true,
        timeoutSeconds = 600,
      } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();

      // A component registered a moment ago may not be in the catalog yet.
      const catalogDeadline = Date.now() + (options.catalogWaitMs ?? 60_000);
      let setup: EntitySetup;
      for (;;) {
        try {
          setup = await caller.call(credentials, http =>
            http.get('/entities/{kind}/{namespace}/{name}/setup', {
              params: { path: entityPathParams(entityRef) },
            }),
          );
          break;
        } catch (error) {
          const notInCatalogYet =
            error instanceof CodeRunnerCallError && error.status === 404;
          if (!notInCatalogYet || Date.now() > catalogDeadline) throw error;
          ctx.logger.info(`Waiting for ${entityRef} to appear in the catalog`);
          await sleep(options.pollIntervalMs ?? 2000);
        }
      }
      if (!setup.environments.includes(environment)) {
        throw new InputError(
          `Unknown environment "${environment}"; use one of ${setup.environments.join(
            ', ',
          )}.`,
        );
      }
      if (!setup.manifestFound) {
        throw new InputError(
          setup.problem ?? `${entityRef} has no ${setup.manifestPath}`,
        );
      }
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Would deploy ${entityRef} to ${environment}; its ${setup.manifestPath} was found`,
        );
        ctx.output('releaseNumber', 0);
        ctx.output('status', 'dry-run');
        return;
      }

      const body = await caller.call(credentials, http =>
        http.post(
          '/entities/{kind}/{namespace}/{name}/deployments/{environment}/deploy',
          {
            params: { path: deploymentPathParams(entityRef, environment) },
            body: { instances },
          },
        ),
      );
      const releaseNumber = body.release?.number ?? 0;
      ctx.logger.info(
        `Deploying release ${releaseNumber} of ${entityRef} to ${environment}`,
      );
      ctx.output('releaseNumber', releaseNumber);

      let deployment: Deployment = body.deployment;
      const deadline = Date.now() + timeoutSeconds * 1000;
      let lastReason: string | undefined;
      while (waitForReady && deployment.status !== 'ready') {
        if (
          deployment.status === 'failed' ||
          deployment.status === 'degraded'
        ) {
          throw new Error(
            `Deploying ${entityRef} to ${environment} ${deployment.status}: ${deployment.statusReason}`,
          );
        }
        if (Date.now() > deadline) {
          throw new Error(
            `${entityRef} was not ready in ${environment} after ${timeoutSeconds} s: ${deployment.statusReason}`,
          );
        }
        if (deployment.statusReason && deployment.statusReason !== lastReason) {
          ctx.logger.info(deployment.statusReason);
          lastReason = deployment.statusReason;
        }
        await sleep(options.pollIntervalMs ?? 2000);
        const listed = await caller.call(credentials, http =>
          http.get('/entities/{kind}/{namespace}/{name}/deployments', {
            params: { path: entityPathParams(entityRef) },
          }),
        );
        deployment =
          listed.items.find(d => d.environment === environment) ?? deployment;
      }
      if (deployment.url) {
        ctx.logger.info(
          `${entityRef} is ${deployment.status} at ${deployment.url}`,
        );
        ctx.output('url', deployment.url);
      }
      ctx.output('status', deployment.status);
    },
  });
}
