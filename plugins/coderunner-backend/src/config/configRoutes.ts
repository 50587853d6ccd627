import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  coderunnerConfigReadPermission,
  coderunnerConfigWritePermission,
  coderunnerDeployPermission,
  coderunnerSecretRevealPermission,
} from '@coderunner/plugin-coderunner-common';
import { ApiRouter } from '../service/ApiRouter';
import { EntityRoutes } from '../service/EntityRoutes';
import { RateLimiter } from '../service/RateLimiter';
import { ConfigChanges } from './ConfigChanges';
import { ConfigHistory } from './ConfigHistory';
import { ConfigTransfer } from './ConfigTransfer';
import { KeyRotator } from './KeyRotator';
import { CONFIG_TEMPLATES } from './templates';

/** Writing needs `coderunner.config.write`; applying at once needs deploy too. */
const writeAndMaybeApply = (body: { apply?: boolean }) =>
  body.apply === true
    ? [coderunnerConfigWritePermission, coderunnerDeployPermission]
    : [coderunnerConfigWritePermission];

/** The auditor event of a saved version records its number. */
const versionMeta = (result: { version: { version: number } }) => ({
  version: result.version.version,
});

/**
 * What the config routes need besides the guard and auth (the auditor and the limiter make
 * their {@link EntityRoutes}).
 *
 * @internal
 */
export interface ConfigRouteOptions {
  history: ConfigHistory;
  changes: ConfigChanges;
  transfer: ConfigTransfer;
  rotator: KeyRotator;
  auditor: AuditorService;
  limiter: RateLimiter;
}

/**
 * Adds the Config API to the typed router. Reading needs `coderunner.config.read`, changing
 * `coderunner.config.write` (and `coderunner.deployment.deploy` to apply), secret values
 * `coderunner.secret.reveal`. Every change and every reveal is an auditor event that names
 * variables, never values. Every route is in src/schema/openapi.yaml, so the router has
 * validated (and typed: integers, booleans, defaults) the query and body before a handler
 * runs; a bad one was a 400 naming it.
 *
 * @internal
 */
export function addConfigRoutes(
  router: ApiRouter,
  options: Omit<ConfigRouteOptions, 'auditor' | 'limiter'> & {
    httpAuth: HttpAuthService;
    routes: EntityRoutes;
  },
) {
  const { history, changes, transfer, rotator, httpAuth, routes } = options;

  router.get('/config/templates', async (req, res) => {
    await httpAuth.credentials(req);
    res.json({ items: CONFIG_TEMPLATES });
  });

  router.get('/config/encryption', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await rotator.status());
  });

  router.get('/entities/:kind/:namespace/:name/config', async (req, res) => {
    const { entityRef } = await routes.authorize(
      req,
      coderunnerConfigReadPermission,
    );
    res.json(await history.snapshot(entityRef, req.query.version));
  });

  router.post('/entities/:kind/:namespace/:name/config/changes', (req, res) =>
    routes.change(
      req,
      res,
      {
        permissions: writeAndMaybeApply(req.body),
        audit: {
          eventId: 'config-change',
          meta: {
            names: req.body.changes.map(c => c.name),
            scopes: [...new Set(req.body.changes.map(c => c.scope))],
          },
        },
        successMeta: versionMeta,
      },
      ({ entity, actor }) => changes.change(entity, req.body, actor),
    ),
  );

  router.post('/entities/:kind/:namespace/:name/config/rollback', (req, res) =>
    routes.change(
      req,
      res,
      {
        permissions: writeAndMaybeApply(req.body),
        audit: {
          eventId: 'config-rollback',
          meta: { toVersion: req.body.version },
        },
        successMeta: versionMeta,
      },
      ({ entity, actor }) =>
        changes.rollback(entity, req.body.version, actor, {
          message: req.body.message,
          apply: req.body.apply,
        }),
    ),
  );

  router.post(
    '/entities/:kind/:namespace/:name/config/apply/:environment',
    (req, res) =>
      routes.change(
        req,
        res,
        {
          permissions: [
            coderunnerConfigWritePermission,
            coderunnerDeployPermission,
          ],
          audit: {
            eventId: 'config-apply',
            meta: { environment: req.params.environment },
          },
        },
        ({ entity, actor }) =>
          changes.apply(entity, req.params.environment, actor),
      ),
  );

  router.get(
    '/entities/:kind/:namespace/:name/config/versions',
    async (req, res) => {
      const { entityRef } = await routes.authorize(
        req,
        coderunnerConfigReadPermission,
      );
      res.json({ items: await history.versions(entityRef) });
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/config/diff',
    async (req, res) => {
      const { entityRef } = await routes.authorize(
        req,
        coderunnerConfigReadPermission,
      );
      res.json(await history.diff(entityRef, req.query.from, req.query.to));
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/config/import/preview',
    async (req, res) => {
      const { entityRef, actor } = await routes.authorize(
        req,
        coderunnerConfigWritePermission,
      );
      if (!(await routes.admit(res, actor, 'previews'))) return;
      // Only a caller who may reveal the stored secrets learns whether the import repeats them.
      const mayReveal = await routes.allows(
        req,
        coderunnerSecretRevealPermission,
      );
      res.json(
        await transfer.previewImport(entityRef, req.body, { mayReveal }),
      );
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/config/templates/:templateId/preview',
    async (req, res) => {
      const { entityRef, actor } = await routes.authorize(
        req,
        coderunnerConfigWritePermission,
      );
      if (!(await routes.admit(res, actor, 'previews'))) return;
      res.json(
        await transfer.previewTemplate(
          entityRef,
          req.params.templateId,
          req.body.scope,
        ),
      );
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/config/audit',
    async (req, res) => {
      const { entityRef } = await routes.authorize(
        req,
        coderunnerConfigReadPermission,
      );
      const { name, limit } = req.query;
      res.json({
        items: await history.audit(entityRef, {
          name: name || undefined,
          limit,
        }),
      });
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/config/export',
    async (req, res) => {
      const { scope, format = 'env' } = req.query;
      const includeSecrets = req.query.includeSecrets === true;
      const ctx = await routes.authorize(req, coderunnerConfigReadPermission);
      if (
        includeSecrets &&
        !(await routes.allows(req, coderunnerSecretRevealPermission))
      ) {
        throw new NotAllowedError(
          `Exporting secret values needs ${coderunnerSecretRevealPermission.name}; export without them instead.`,
        );
      }
      if (!(await routes.admit(res, ctx.actor, 'exports'))) return;
      const run = () =>
        transfer.export(ctx.entityRef, scope, format, {
          includeSecrets,
          actor: ctx.actor,
        });
      res.json(
        includeSecrets
          ? await routes.audited(
              req,
              ctx,
              {
                eventId: 'config-export-secrets',
                severityLevel: 'high',
                meta: { scope },
              },
              run,
            )
          : await run(),
      );
    },
  );

  router.post('/entities/:kind/:namespace/:name/config/reveal', (req, res) =>
    routes.change(
      req,
      res,
      {
        permissions: [
          coderunnerConfigReadPermission,
          coderunnerSecretRevealPermission,
        ],
        audit: {
          eventId: 'config-reveal',
          severityLevel: 'high',
          meta: { scope: req.body.scope, name: req.body.name },
        },
        status: 200,
      },
      async ({ entityRef, actor }) => ({
        value: await history.reveal(
          entityRef,
          req.body.scope,
          req.body.name,
          actor,
        ),
      }),
    ),
  );
}
