import { InputError } from '@backstage/errors';
import { coderunnerLogsReadPermission } from '@coderunner/plugin-coderunner-common';
import { Entity } from '@backstage/catalog-model';
import { ApiRouter } from '../service/ApiRouter';
import { EntityRoutes } from '../service/EntityRoutes';
import { sendJsonText } from '../service/sendJsonText';
import { parseLogQuery, writeLogDownload } from './logQuery';
import { LogStore } from './LogStore';

/**
 * Adds the log history API to the typed router: a page of lines, a search, and a download as
 * text or NDJSON (counted in the caller's `exports` limit). Each needs `coderunner.logs.read`
 * on the entity.
 *
 * @internal
 */
export function addLogRoutes(
  router: ApiRouter,
  options: {
    logs: LogStore;
    routes: EntityRoutes;
    /** The deployment of an entity in an environment; a NotFoundError when there is none. */
    deployments: {
      get(entity: Entity, environment: string): Promise<{ id: string }>;
      /** An InputError for an environment the portal does not have. */
      assertEnvironment(environment: string): void;
      /** The NotFoundError for an entity with no deployment in `environment`. */
      notDeployed(entity: Entity, environment: string): Error;
    };
  },
) {
  const { logs, routes, deployments } = options;

  router.get(
    '/entities/:kind/:namespace/:name/deployments/:environment/logs',
    async (req, res) => {
      const { entity, entityRef } = await routes.authorize(
        req,
        coderunnerLogsReadPermission,
      );
      const { environment } = req.params;
      deployments.assertEnvironment(environment);
      const page = await logs.readOf(
        { entityRef, environment },
        parseLogQuery(req.query),
      );
      if (!page) throw deployments.notDeployed(entity, environment);
      sendJsonText(
        req,
        res,
        () => page,
        () => logs.pageJson?.(page),
      );
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/deployments/:environment/logs/search',
    async (req, res) => {
      const { entity } = await routes.authorize(
        req,
        coderunnerLogsReadPermission,
      );
      const deployment = await deployments.get(entity, req.params.environment);
      const { text, ...query } = parseLogQuery(req.query);
      if (!text) throw new InputError('q must name the text to find');
      res.json(await logs.search(deployment.id, { ...query, text }));
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/deployments/:environment/logs/download',
    async (req, res) => {
      const { entity, actor } = await routes.authorize(
        req,
        coderunnerLogsReadPermission,
      );
      if (!(await routes.admit(res, actor, 'exports'))) return;
      const deployment = await deployments.get(entity, req.params.environment);
      // The spec admits text (the default) and ndjson only; anything else was a 400 already.
      const format = req.query.format === 'ndjson' ? 'ndjson' : 'text';
      const query = parseLogQuery(req.query);
      const name = `${entity.metadata.name}-${req.params.environment}-logs.${
        format === 'text' ? 'log' : 'ndjson'
      }`;
      res.setHeader(
        'content-type',
        format === 'text'
          ? 'text/plain; charset=utf-8'
          : 'application/x-ndjson',
      );
      res.setHeader('content-disposition', `attachment; filename="${name}"`);
      await writeLogDownload(res, logs, deployment.id, query, format);
    },
  );
}
