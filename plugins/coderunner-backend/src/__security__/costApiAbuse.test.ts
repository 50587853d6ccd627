import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { coderunnerPlugin } from '../plugin';

jest.setTimeout(120_000);

/**
 * The Cost API under attack, through the real CodeRunner backend plugin: hostile budget bodies,
 * budgets on entities and groups the caller may not change, and a team's budget (which sums the
 * spend of every entity the team owns) asked for by someone who may read only some of them.
 * Who may call which route at all is `permissionMatrix.test.ts`.
 */
const databases = createTestDatabases();
const SHOP = 'component:default/shop';
const SECRET = 'component:default/secret-app';
const TEAM_A = 'group:default/team-a';
const TEAM_B = 'group:default/team-b';
const DAY = 86_400_000;

const component = (name: string, owner: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { owner, type: 'service', lifecycle: 'production' },
});
const group = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

/**
 * Team A owns the shop and secret-app. Alice may read the shop and change its budget, nothing
 * more; Bob (team A's lead) may read both and change team A's budgets.
 */
const rights: Record<string, Record<string, string[]>> = {
  'user:default/alice': {
    'coderunner.deployment.read': [SHOP],
    'coderunner.budget.write': [SHOP],
  },
  'user:default/bob': {
    'coderunner.deployment.read': [SHOP, SECRET],
    'coderunner.budget.write': [SHOP, SECRET, TEAM_A],
  },
};
const as = (user: string) =>
  `Bearer ${mockCredentials.user.token(`user:default/${user}`)}`;

describe.each(databases.eachSupportedId())(
  'Cost API abuse on %p',
  databaseId => {
    let knex: Knex;
    let server: Parameters<typeof request>[0];
    let stop: () => Promise<void>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          coderunnerPlugin,
          catalogServiceMock.factory({
            entities: [
              component('shop', TEAM_A),
              component('secret-app', TEAM_A),
              group('team-a'),
              group('team-b'),
            ],
          }),
          mockServices.permissions.mock({
            authorize: async (requests, options) => {
              const user = (
                options.credentials.principal as { userEntityRef?: string }
              ).userEntityRef;
              return requests.map(r => {
                const ref = (r as { resourceRef?: string }).resourceRef ?? '';
                const refs = rights[user ?? '']?.[r.permission.name] ?? [];
                return {
                  result: refs.includes(ref)
                    ? AuthorizeResult.ALLOW
                    : AuthorizeResult.DENY,
                };
              }) as any;
            },
          }).factory,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              coderunner: {
                gateway: { enabled: false },
                rateLimit: { mutationsPerMinute: 1000 },
              },
            },
          }),
        ],
      });
      server = backend.server;
      stop = () => backend.stop();
      // A day of one instance each, this month: the secret app's spend is what must not leak.
      const start = Date.now() - DAY;
      for (const entityRef of [SHOP, SECRET]) {
        await knex('coderunner_usage').insert({
          id: randomUUID(),
          kind: 'instance',
          deployment_id: randomUUID(),
          entity_ref: entityRef,
          environment: 'production',
          size: entityRef === SHOP ? 'small' : 'xlarge',
          started_at: start,
          stopped_at: start + DAY - 1,
        });
      }
    });

    afterAll(async () => {
      await stop();
    });

    const budgets = async () =>
      (await knex('coderunner_budgets').select('scope_key')).map(
        (b: { scope_key: string }) => b.scope_key,
      );

    it('answers hostile budget bodies with a 400 naming the field, and saves nothing', async () => {
      const before = await budgets();
      const shop =
        '/api/coderunner/entities/component/default/shop/cost/budget';
      const cases: Array<[string, string | object]> = [
        ['amount', { amount: 1e308 }],
        ['amount', { amount: -5 }],
        ['amount', { amount: 0 }],
        ['amount', { amount: 0.001 }],
        ['amount', { amount: '10' }],
        ['amount', { amount: null }],
        ['amount', {}],
        ['thresholds', { amount: 10, thresholds: 'x' }],
        ['thresholds', { amount: 10, thresholds: [0.5, '0.9'] }],
        ['thresholds', { amount: 10, thresholds: [0.9, 0.5] }],
        ['thresholds', { amount: 10, thresholds: [0, 1] }],
        ['thresholds', { amount: 10, thresholds: [3] }],
        ['thresholds', { amount: 10, thresholds: [] }],
        [
          'thresholds',
          {
            amount: 10,
            thresholds: Array.from({ length: 100 }, (_, i) => (i + 1) / 100),
          },
        ],
        ['hardCap', { amount: 10, hardCap: 'yes' }],
        ['environment', { amount: 10, environment: '../production' }],
        ['environment', { amount: 10, environment: 42 }],
        [
          'additional properties',
          '{"amount":10,"__proto__":{"polluted":true}}',
        ],
        ['additional properties', { amount: 10, ownerRef: TEAM_B }],
        ['body', '[10]'],
      ];
      const outcomes = [];
      for (const [field, body] of cases) {
        const response = await request(server)
          .put(shop)
          .set('authorization', as('alice'))
          .set('content-type', 'application/json')
          .send(typeof body === 'string' ? body : JSON.stringify(body));
        outcomes.push({
          field,
          body,
          status: response.status,
          namesField: (response.body?.error?.message ?? '').includes(
            field.replace(/^body$/, ''),
          ),
        });
      }
      expect(outcomes).toEqual(
        cases.map(([field, body]) => ({
          field,
          body,
          status: 400,
          namesField: true,
        })),
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await budgets()).toEqual(before);
    });

    it("never sets or removes a budget the caller may not change, whatever the entity's or group's spelling", async () => {
      const before = await budgets();
      const attempts: Array<[string, request.Test]> = [
        [
          'another entity',
          request(server)
            .put(
              '/api/coderunner/entities/component/default/secret-app/cost/budget',
            )
            .send({ amount: 1 }),
        ],
        [
          'another entity, other case',
          request(server)
            .put(
              '/api/coderunner/entities/Component/DEFAULT/Secret-App/cost/budget',
            )
            .send({ amount: 1 }),
        ],
        [
          'another entity, encoded slash',
          request(server)
            .put(
              '/api/coderunner/entities/component/default/shop%2F..%2Fsecret-app/cost/budget',
            )
            .send({ amount: 1 }),
        ],
        [
          'the owning team',
          request(server)
            .put('/api/coderunner/cost/owner-budget')
            .send({ ownerRef: TEAM_A, amount: 1 }),
        ],
        [
          'the owning team, other case',
          request(server)
            .put('/api/coderunner/cost/owner-budget')
            .send({ ownerRef: 'Group:Default/Team-A', amount: 1 }),
        ],
        [
          'the owning team, no kind',
          request(server)
            .put('/api/coderunner/cost/owner-budget')
            .send({ ownerRef: 'team-a', amount: 1 }),
        ],
        [
          'another team',
          request(server)
            .put('/api/coderunner/cost/owner-budget')
            .send({ ownerRef: TEAM_B, amount: 1 }),
        ],
        [
          'a user as owner',
          request(server)
            .put('/api/coderunner/cost/owner-budget')
            .send({ ownerRef: 'user:default/alice', amount: 1 }),
        ],
        [
          'remove the team budget',
          request(server).delete(
            `/api/coderunner/cost/owner-budget?ownerRef=${encodeURIComponent(
              TEAM_A,
            )}`,
          ),
        ],
      ];
      const statuses: Record<string, number> = {};
      for (const [what, call] of attempts) {
        statuses[what] = (await call.set('authorization', as('alice'))).status;
      }
      // Refused each time: never a 2xx, nor a 500 that might have saved something first.
      expect(
        Object.entries(statuses).filter(
          ([, status]) => ![400, 403, 404].includes(status),
        ),
      ).toEqual([]);
      expect(statuses['another entity']).toBe(403);
      expect(statuses['the owning team']).toBe(403);
      expect(await budgets()).toEqual(before);
    });

    it("shows a team's budget only to who may read everything it sums", async () => {
      const set = await request(server)
        .put('/api/coderunner/cost/owner-budget')
        .set('authorization', as('bob'))
        .send({ ownerRef: TEAM_A, amount: 500, hardCap: true });
      expect(set.status).toBe(200);
      const view = async (user: string) => {
        const summary = await request(server)
          .get('/api/coderunner/cost/summary')
          .set('authorization', as(user));
        const shop = await request(server)
          .get('/api/coderunner/entities/component/default/shop/cost')
          .set('authorization', as(user));
        expect([summary.status, shop.status]).toEqual([200, 200]);
        return {
          summaryTeamBudget: summary.body.ownerBudgets.some(
            (b: { scope: { ownerRef?: string } }) =>
              b.scope.ownerRef === TEAM_A,
          ),
          shopTeamBudget: shop.body.budgets.some(
            (b: { scope: { ownerRef?: string } }) =>
              b.scope.ownerRef === TEAM_A,
          ),
          mentionsSecret: JSON.stringify([summary.body, shop.body]).includes(
            SECRET,
          ),
        };
      };
      // Team A's total includes secret-app's spend, which Alice may not read.
      expect(await view('alice')).toEqual({
        summaryTeamBudget: false,
        shopTeamBudget: false,
        mentionsSecret: false,
      });
      expect(await view('bob')).toEqual({
        summaryTeamBudget: true,
        shopTeamBudget: true,
        mentionsSecret: true,
      });
    });
  },
);
