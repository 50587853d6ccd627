import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { ConfigChange, ConfigSaveResponse } from '@coderunner/plugin-coderunner-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * `coderunner:config:set`: sets variables and secrets of a component in one scope (an
 * environment, or `shared`) as one config version, optionally applying it. Calls the
 * CodeRunner backend with the scaffolder's own service credentials; logs names, never values.
 *
 * @internal
 */
export function createConfigSetAction(options: { discovery: DiscoveryService; auth: AuthService }) {
  return createTemplateAction({
    id: 'coderunner:config:set',
    description:
      'Sets CodeRunner configuration variables and secrets of a component in one environment (or "shared") as a new config version.',
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z => z.string().describe('The component, e.g. component:default/my-service'),
        environment: z => z.string().describe('An environment such as development, or "shared" for all'),
        variables: z => z.record(z.string()).optional().describe('Plain variables, NAME: value'),
        secrets: z =>
          z.record(z.string()).optional().describe('Secrets, NAME: value; pass them from ${{ secrets.* }}'),
        message: z => z.string().optional().describe('Why, for the version history'),
        apply: z => z.boolean().optional().describe('Roll running deployments onto the new version'),
      },
      output: {
        version: z => z.number().describe('The config version created'),
        applied: z => z.array(z.string()).describe('Environments now rolling onto it'),
      },
    },
    async handler(ctx) {
      const { entityRef, environment, variables = {}, secrets = {}, message, apply } = ctx.input;
      const changes: ConfigChange[] = [
        ...Object.entries(variables).map(([name, value]) => ({ scope: environment, name, value, secret: false })),
        ...Object.entries(secrets).map(([name, value]) => ({ scope: environment, name, value, secret: true })),
      ];
      if (changes.length === 0) {
        throw new Error('Give at least one entry in variables or secrets');
      }
      const names = changes.map(c => c.name).join(', ');
      if (ctx.isDryRun) {
        ctx.logger.info(`Would set ${names} of ${entityRef} in ${environment}`);
        ctx.output('version', 0);
        ctx.output('applied', []);
        return;
      }
      const { kind, namespace, name } = parseEntityRef(entityRef);
      const { token } = await options.auth.getPluginRequestToken({
        onBehalfOf: await options.auth.getOwnServiceCredentials(),
        targetPluginId: 'coderunner',
      });
      const baseUrl = await options.discovery.getBaseUrl('coderunner');
      const path = [kind.toLocaleLowerCase('en-US'), namespace.toLocaleLowerCase('en-US'), name]
        .map(encodeURIComponent)
        .join('/');
      const response = await fetch(`${baseUrl}/entities/${path}/config/changes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ changes, message: message ?? 'Set by a scaffolder template', apply }),
      });
      if (!response.ok) {
        const error = await ResponseError.fromResponse(response);
        const body = error.body as { error?: { message?: string } } | undefined;
        throw new Error(
          `CodeRunner refused the configuration of ${entityRef} (${response.status}): ${body?.error?.message ?? error.message}`,
        );
      }
      const result = (await response.json()) as ConfigSaveResponse;
      ctx.logger.info(`Set ${names} of ${entityRef} in ${environment} as config version ${result.version.version}`);
      ctx.output('version', result.version.version);
      ctx.output('applied', result.applied.map(a => a.environment));
    },
  });
}
