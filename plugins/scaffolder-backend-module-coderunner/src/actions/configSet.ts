import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  ConfigChange,
  ConfigSaveResponse,
  entityPathParams,
} from '@coderunner/plugin-coderunner-common';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { CodeRunnerCallError, CodeRunnerCaller } from './callCodeRunner';

/**
 * `coderunner:config:set`: sets variables and secrets of a component in one scope (an
 * environment, or `shared`) as one config version, optionally applying it. Calls the
 * CodeRunner backend on behalf of the person who runs the template, so their permissions
 * decide and the audit names them; logs names, never values.
 *
 * @internal
 */
export function createConfigSetAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const caller = new CodeRunnerCaller(options.discovery, options.auth);
  return createTemplateAction({
    id: 'coderunner:config:set',
    description:
      'Sets CodeRunner configuration variables and secrets of a component in one environment (or "shared") as a new config version.',
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe('The component, e.g. component:default/my-service'),
        environment: z =>
          z
            .string()
            .describe(
              'An environment such as development, or "shared" for all',
            ),
        variables: z =>
          z
            .record(z.string())
            .optional()
            .describe('Plain variables, NAME: value'),
        secrets: z =>
          z
            .record(z.string())
            .optional()
            .describe('Secrets, NAME: value; pass them from ${{ secrets.* }}'),
        message: z =>
          z.string().optional().describe('Why, for the version history'),
        apply: z =>
          z
            .boolean()
            .optional()
            .describe('Roll running deployments onto the new version'),
      },
      output: {
        version: z => z.number().describe('The config version created'),
        applied: z =>
          z.array(z.string()).describe('Environments now rolling onto it'),
      },
    },
    async handler(ctx) {
      const {
        entityRef,
        environment,
        variables = {},
        secrets = {},
        message,
        apply,
      } = ctx.input;
      const changes: ConfigChange[] = [
        ...Object.entries(variables).map(([name, value]) => ({
          scope: environment,
          name,
          value,
          secret: false,
        })),
        ...Object.entries(secrets).map(([name, value]) => ({
          scope: environment,
          name,
          value,
          secret: true,
        })),
      ];
      if (changes.length === 0) {
        throw new InputError('Give at least one entry in variables or secrets');
      }
      const names = changes.map(c => c.name).join(', ');
      if (ctx.isDryRun) {
        ctx.logger.info(`Would set ${names} of ${entityRef} in ${environment}`);
        ctx.output('version', 0);
        ctx.output('applied', []);
        return;
      }
      let result: ConfigSaveResponse;
      try {
        result = await caller.call(await ctx.getInitiatorCredentials(), http =>
          http.post('/entities/{kind}/{namespace}/{name}/config/changes', {
            params: { path: entityPathParams(entityRef) },
            body: {
              changes,
              message: message ?? 'Set by a scaffolder template',
              apply,
            },
          }),
        );
      } catch (error) {
        const refusal = `CodeRunner refused the configuration of ${entityRef}: ${
          (error as Error).message
        }`;
        if (!(error instanceof CodeRunnerCallError)) throw new Error(refusal);
        // A 400 names what is wrong with the template's input; other refusals keep their status.
        throw error.status === 400
          ? new InputError(refusal)
          : new CodeRunnerCallError(refusal, error.status);
      }
      ctx.logger.info(
        `Set ${names} of ${entityRef} in ${environment} as config version ${result.version.version}`,
      );
      ctx.output('version', result.version.version);
      ctx.output(
        'applied',
        result.applied.map(a => a.environment),
      );
    },
  });
}
