import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  deploymentPathParams,
  ScaleRequest,
  ScalingStatus,
  SCALING_LIMITS,
} from '@coderunner/plugin-coderunner-common';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { CodeRunnerCallError, CodeRunnerCaller } from './callCodeRunner';

/** The body of the scale call from the action's input, or an InputError naming the field. */
function scaleRequest(input: {
  instances: unknown;
  reason: unknown;
  expiresAt?: unknown;
}): ScaleRequest {
  const { instances, reason, expiresAt } = input;
  if (
    typeof instances !== 'number' ||
    !Number.isInteger(instances) ||
    instances < 0 ||
    instances > SCALING_LIMITS.maxInstances
  ) {
    throw new InputError(
      `instances must be a whole number from 0 to ${
        SCALING_LIMITS.maxInstances
      }; got ${JSON.stringify(instances)}`,
    );
  }
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new InputError(
      'reason must say why the count is held (it is shown in the decision history and the audit)',
    );
  }
  if (expiresAt === undefined) return { instances, reason };
  if (
    typeof expiresAt !== 'string' ||
    !Number.isFinite(Date.parse(expiresAt))
  ) {
    throw new InputError(
      `expiresAt must be an ISO 8601 time such as 2030-01-01T12:00:00Z; got ${JSON.stringify(
        expiresAt,
      )}`,
    );
  }
  return { instances, reason, expiresAt };
}

/**
 * `coderunner:scale`: holds an environment of a component at a number of instances, with a
 * reason and optionally an expiry, for runbooks. The count takes effect in seconds without a
 * rebuild; the autoscaler keeps it until the hold expires or is released. Calls the CodeRunner
 * backend on behalf of the person who runs the template, so their permissions decide
 * (`coderunner.scaling.write`) and the audit names them.
 *
 * @internal
 */
export function createScaleAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const caller = new CodeRunnerCaller(options.discovery, options.auth);
  return createTemplateAction({
    id: 'coderunner:scale',
    description:
      'Holds a CodeRunner deployment at a number of instances, with a reason and an optional expiry; the autoscaler takes over again when it expires.',
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe('The component, e.g. component:default/my-service'),
        environment: z =>
          z.string().describe('The environment, such as production'),
        instances: z =>
          z
            .number()
            .int()
            .min(0)
            .max(SCALING_LIMITS.maxInstances)
            .describe('How many instances to run'),
        reason: z =>
          z
            .string()
            .min(1)
            .describe('Why, shown in the decision history and the audit'),
        expiresAt: z =>
          z
            .string()
            .optional()
            .describe(
              'ISO 8601 time when the autoscaler takes over again; without it the hold lasts until released',
            ),
      },
      output: {
        desiredInstances: z =>
          z.number().describe('The desired instance count now'),
        expiresAt: z =>
          z
            .string()
            .optional()
            .describe('When the hold ends, if it has an expiry'),
      },
    },
    async handler(ctx) {
      const { entityRef, environment } = ctx.input;
      const body = scaleRequest(ctx.input);
      const what = `${entityRef} in ${environment} at ${body.instances} instance(s)`;
      if (ctx.isDryRun) {
        ctx.logger.info(`Would hold ${what}: ${body.reason}`);
        ctx.output('desiredInstances', body.instances);
        return;
      }
      let status: ScalingStatus;
      try {
        status = await caller.call(await ctx.getInitiatorCredentials(), http =>
          http.post(
            '/entities/{kind}/{namespace}/{name}/deployments/{environment}/scale',
            {
              params: { path: deploymentPathParams(entityRef, environment) },
              body,
            },
          ),
        );
      } catch (error) {
        const message = `CodeRunner refused to hold ${what}: ${
          (error as Error).message
        }`;
        if (!(error instanceof CodeRunnerCallError)) throw new Error(message);
        // A 400 names what is wrong with the template's input; other refusals keep their status.
        throw error.status === 400
          ? new InputError(message)
          : new CodeRunnerCallError(message, error.status);
      }
      ctx.logger.info(
        `Held ${what}${
          status.hold?.expiresAt ? ` until ${status.hold.expiresAt}` : ''
        }: ${body.reason}`,
      );
      ctx.output('desiredInstances', status.desiredInstances);
      if (status.hold?.expiresAt) {
        ctx.output('expiresAt', status.hold.expiresAt);
      }
    },
  });
}
