import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import {
  deploymentWithScalingRelease,
  scalingControllerWithoutReconciler,
} from '../__testUtils__/scalingFixture';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { EntityGuard } from '../entities/EntityGuard';
import { ScalingController } from '../scaling/ScalingController';
import { addScalingRoutes } from '../scaling/scalingRoutes';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { EntityRoutes } from '../service/EntityRoutes';
import { RateLimiter } from '../service/RateLimiter';

jest.setTimeout(60_000);

/**
 * The Scaling API under attack by a caller who may scale one component (hello-node) and not
 * another team's (secret-app): hostile bodies and queries, path tricks that try to reach
 * secret-app through hello-node's permission, and a flood over the rate limit. Whoever calls,
 * nothing but a 4xx comes back, and nothing changes. Who may call which route at all is
 * `permissionMatrix.test.ts`.
 */
const databases = createTestDatabases();
const HELLO = 'component:default/hello-node';
const SECRET = 'component:default/secret-app';
const base = '/entities/component/default/hello-node/deployments/development';
const component = (name: string, owner: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner },
});

describe.each(databases.eachSupportedId())(
  'Scaling API abuse on %p',
  databaseId => {
    let knex: Knex;
    let app: express.Express;
    let controller: ScalingController;
    let triggered: string[];

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const { store } = await deploymentWithScalingRelease(knex, HELLO);
      await deploymentWithScalingRelease(knex, SECRET);
      ({ controller, triggered } = scalingControllerWithoutReconciler(
        knex,
        store,
      ));
      // The caller may do everything on hello-node and nothing on secret-app.
      const permissions = mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              (r as { resourceRef?: string }).resourceRef === HELLO
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          })) as any,
      });
      const router = await createOpenApiRouter({
        middleware: [express.json()],
      });
      addScalingRoutes(router, {
        controller,
        routes: EntityRoutes.create({
          guard: new EntityGuard(
            catalogServiceMock({
              entities: [
                component('hello-node', 'group:default/team-a'),
                component('secret-app', 'group:default/team-b'),
              ],
            }),
            permissions,
          ),
          // Each test's own caller, so that their rate limit windows never meet.
          httpAuth: {
            credentials: async (req: express.Request) =>
              mockCredentials.user(
                `user:default/${req.get('x-test-user') ?? 'mallory'}`,
              ),
          } as any,
          auditor: mockServices.auditor.mock(),
          limiter: RateLimiter.fromConfig(
            mockServices.rootConfig({
              data: { coderunner: { rateLimit: { mutationsPerMinute: 3 } } },
            }),
            knex,
          ),
        }),
      });
      app = express().use(router).use(mockErrorHandler());
    });

    afterAll(async () => {
      await knex.destroy();
    });

    /** What an attack could have changed, for both components. */
    async function state() {
      const of = async (entityRef: string) => {
        const status = await controller.status(entityRef, 'development');
        return {
          desiredInstances: status.desiredInstances,
          hold: status.hold,
          paused: status.paused,
          policy: status.policy,
          versions: (await controller.policyVersions(entityRef, 'development'))
            .length,
        };
      };
      return {
        hello: await of(HELLO),
        secret: await of(SECRET),
        triggered: triggered.length,
        polluted: ({} as Record<string, unknown>).polluted,
      };
    }

    it('answers hostile bodies and queries with a 400 naming the field, and changes nothing', async () => {
      const before = await state();
      const json = (text: string) => (call: request.Test) =>
        call.set('content-type', 'application/json').send(text);
      const hold = (body: object) => (call: request.Test) => call.send(body);
      const cases: Array<
        [string, 'post' | 'put' | 'get', string, (c: request.Test) => any]
      > = [
        [
          'instances',
          'post',
          '/scale',
          hold({ instances: 1e308, reason: 'x' }),
        ],
        ['instances', 'post', '/scale', hold({ instances: -1, reason: 'x' })],
        ['instances', 'post', '/scale', hold({ instances: 2.5, reason: 'x' })],
        [
          'instances',
          'post',
          '/scale',
          hold({ instances: 'NaN', reason: 'x' }),
        ],
        ['instances', 'post', '/scale', hold({ instances: '2', reason: 'x' })],
        ['instances', 'post', '/scale', hold({ instances: null, reason: 'x' })],
        ['reason', 'post', '/scale', hold({ instances: 1, reason: 42 })],
        [
          'reason',
          'post',
          '/scale',
          hold({ instances: 1, reason: 'x'.repeat(20_000) }),
        ],
        [
          'reason',
          'post',
          '/scale',
          hold({ instances: 1, reason: 'nul \u0000 byte' }),
        ],
        [
          'expiresAt',
          'post',
          '/scale',
          hold({ instances: 1, reason: 'x', expiresAt: 'tomorrow' }),
        ],
        [
          'expiresAt',
          'post',
          '/scale',
          hold({ instances: 1, reason: 'x', expiresAt: 1e20 }),
        ],
        [
          'expiresAt',
          'post',
          '/scale',
          hold({
            instances: 1,
            reason: 'x',
            expiresAt: '+275761-01-01T00:00:00Z',
          }),
        ],
        [
          'expiresAt',
          'post',
          '/scale',
          hold({
            instances: 1,
            reason: 'x',
            expiresAt: '1970-01-01T00:00:00Z',
          }),
        ],
        [
          'additional properties',
          'post',
          '/scale',
          json('{"instances":1,"reason":"x","__proto__":{"polluted":true}}'),
        ],
        [
          'additional properties',
          'post',
          '/scale',
          json(
            '{"instances":1,"reason":"x","constructor":{"prototype":{"polluted":true}}}',
          ),
        ],
        ['body', 'post', '/scale', json('[1,"x"]')],
        ['maxInstances', 'put', '/scaling/policy', hold({ maxInstances: 1e9 })],
        ['minInstances', 'put', '/scaling/policy', hold({ minInstances: -5 })],
        [
          'targets.cpuPercent',
          'put',
          '/scaling/policy',
          hold({ targets: { cpuPercent: -1 } }),
        ],
        [
          'targets',
          'put',
          '/scaling/policy',
          hold({ targets: { cpuPercent: 'NaN' } }),
        ],
        ['targets', 'put', '/scaling/policy', hold({ targets: {} })],
        ['template', 'put', '/scaling/policy', hold({ template: '__proto__' })],
        [
          'template',
          'put',
          '/scaling/policy',
          hold({ template: 'constructor' }),
        ],
        [
          'additional properties',
          'put',
          '/scaling/policy',
          json('{"targets":{"cpuPercent":50,"__proto__":{"polluted":true}}}'),
        ],
        ['reason', 'post', '/scaling/pause', hold({ reason: 'x'.repeat(501) })],
        ['reason', 'post', '/scaling/pause', hold({ reason: 'nul \u0000' })],
        [
          'reason',
          'post',
          '/scaling/pause',
          hold({ reason: 'ok\nInstance 1234abcd crashed: forged' }),
        ],
        [
          'reason',
          'post',
          '/scale',
          hold({ instances: 2, reason: 'ok\r\nScaling 2 → 100 (manual)' }),
        ],
        ['limit', 'get', '/scaling/decisions?limit=1000000000', c => c],
        ['limit', 'get', '/scaling/decisions?limit=-1', c => c],
        ['before', 'get', '/scaling/decisions?before=yesterday', c => c],
        ['changedOnly', 'get', '/scaling/decisions?changedOnly=maybe', c => c],
      ];
      const outcomes = [];
      for (const [i, [field, method, route, send]] of cases.entries()) {
        // A caller per case: the rate limit (3 a minute here) counts refused changes too.
        const response = await send(
          request(app)
            [method](`${base}${route}`)
            .set('x-test-user', `hostile-${i}`),
        );
        outcomes.push({
          field,
          route,
          status: response.status,
          namesField: (response.body?.error?.message ?? '').includes(
            field.replace(/^body$/, ''),
          ),
        });
      }
      expect(outcomes).toEqual(
        cases.map(([field, , route]) => ({
          field,
          route,
          status: 400,
          namesField: true,
        })),
      );
      expect(await state()).toEqual(before);
    });

    it('never reaches another entity through path tricks on an entity the caller may scale', async () => {
      const before = await state();
      const attempts = [
        // The other entity by name, in other spellings.
        '/entities/component/default/secret-app/deployments/development/scale',
        '/entities/COMPONENT/Default/Secret-App/deployments/development/scale',
        // Encoded slashes and dot segments inside one parameter.
        '/entities/component/default/hello-node%2F..%2Fsecret-app/deployments/development/scale',
        '/entities/component/default%2Fsecret-app/hello-node/deployments/development/scale',
        '/entities/component/default/secret-app%00/deployments/development/scale',
        '/entities/component/default/hello-node/deployments/development%2F..%2F..%2F..%2Fsecret-app%2Fdeployments%2Fdevelopment/scale',
        '/entities/component/default/hello-node/deployments/..%2F..%2Fsecret-app/scale',
        '/entities/component/default/hello-node/../secret-app/deployments/development/scale',
        // Odd kinds and namespaces.
        '/entities/group/default/team-b/deployments/development/scale',
        '/entities/component/%2e%2e/secret-app/deployments/development/scale',
        '/entities/component/*/secret-app/deployments/development/scale',
      ];
      const statuses: Record<string, number> = {};
      for (const url of attempts) {
        const response = await request(app)
          .post(url)
          .set('x-test-user', 'path-tricks')
          .send({ instances: 3, reason: 'path trick' });
        statuses[url] = response.status;
      }
      // A refusal each time: never a 2xx, nor a 500 that might have changed something first.
      expect(
        Object.entries(statuses).filter(
          ([, status]) => ![400, 403, 404].includes(status),
        ),
      ).toEqual([]);
      expect(statuses[attempts[0]]).toBe(403);
      expect(statuses[attempts[1]]).toBe(403);
      expect(await state()).toEqual(before);
    });

    it('refuses changes over the rate limit with 429 and Retry-After, before changing anything', async () => {
      const pauses = [];
      for (let i = 0; i < 3; i++) {
        pauses.push(
          (
            await request(app)
              .post(`${base}/scaling/pause`)
              .set('x-test-user', 'flooder')
              .send({ reason: `pause ${i}` })
          ).status,
        );
      }
      expect(pauses).toEqual([200, 200, 200]);
      const before = await state();
      const over = await request(app)
        .post(`${base}/scale`)
        .set('x-test-user', 'flooder')
        .send({ instances: 3, reason: 'one too many' });
      expect(over.status).toBe(429);
      expect(over.headers['retry-after']).toMatch(/^\d+$/);
      expect(await state()).toEqual(before);
      // Another caller's window is their own.
      expect(
        (
          await request(app)
            .post(`${base}/scaling/resume`)
            .set('x-test-user', 'someone-else')
        ).status,
      ).toBe(200);
    });
  },
);
