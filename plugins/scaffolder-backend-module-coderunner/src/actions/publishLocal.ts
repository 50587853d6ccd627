import { CatalogService } from '@backstage/plugin-catalog-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * `coderunner:publish:local`: for portals without a source host (the local dev portal), keeps
 * the generated component in a folder on the backend's machine and registers its
 * catalog-info.yaml with the catalog, so CodeRunner can deploy it from there. Production
 * portals publish to their source host instead (publish:github and the like).
 *
 * @internal
 */
export function createPublishLocalAction(options: {
  componentsDir: string;
  catalog: CatalogService;
}) {
  return createTemplateAction({
    id: 'coderunner:publish:local',
    description:
      'Keeps the generated component in a local folder and registers it in the catalog (for local portals without a source host).',
    schema: {
      input: {
        name: z =>
          z
            .string()
            .regex(
              /^[a-z0-9][a-z0-9-]{0,62}$/,
              'lowercase letters, digits and dashes, starting with a letter or digit',
            )
            .describe('The folder name, usually the component name'),
      },
      output: {
        entityRef: z => z.string().describe('The registered component'),
        path: z => z.string().describe('Where the component now lives'),
      },
    },
    async handler(ctx) {
      const target = path.join(options.componentsDir, ctx.input.name);
      const catalogInfo = path.join(target, 'catalog-info.yaml');
      const generated = await fs
        .readFile(path.join(ctx.workspacePath, 'catalog-info.yaml'), 'utf8')
        .catch(() => {
          throw new InputError(
            'The template produced no catalog-info.yaml at the top of its workspace.',
          );
        });
      const metadata = (parse(generated) ?? {}).metadata ?? {};
      if (typeof metadata.name !== 'string') {
        throw new InputError(
          'The generated catalog-info.yaml has no metadata.name.',
        );
      }
      if (
        await fs.stat(target).then(
          () => true,
          () => false,
        )
      ) {
        throw new InputError(`${target} already exists; pick another name.`);
      }
      if (ctx.isDryRun) {
        ctx.output('entityRef', `component:default/${metadata.name}`);
        ctx.output('path', target);
        return;
      }
      await fs.mkdir(options.componentsDir, { recursive: true });
      await fs.cp(ctx.workspacePath, target, { recursive: true });
      let entities: string[];
      try {
        ({ entities } = await ctx.checkpoint({
          key: `register-${target}`,
          fn: async () => {
            const result = await options.catalog.addLocation(
              { type: 'file', target: catalogInfo },
              { credentials: await ctx.getInitiatorCredentials() },
            );
            return {
              entities: result.entities.map(e => stringifyEntityRef(e)),
            };
          },
        }));
      } catch (error) {
        // Nothing half-done: without a catalog entry the copied folder would only block the name.
        await fs.rm(target, { recursive: true, force: true });
        throw error;
      }
      const entityRef =
        entities.find(ref => ref.startsWith('component:')) ??
        `component:default/${metadata.name}`;
      ctx.logger.info(`Registered ${entityRef} from ${catalogInfo}`);
      ctx.output('entityRef', entityRef);
      ctx.output('path', target);
    },
  });
}
