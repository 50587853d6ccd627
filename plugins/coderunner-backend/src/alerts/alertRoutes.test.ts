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
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { EntityGuard } from '../entities/EntityGuard';
import { createRouter } from '../service/router';
import { EntitySourceReader } from '../source/EntitySourceReader';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseAlertStore } from './DatabaseAlertStore';

const databases = createTestDatabases();

// Database set-up inside the tests (PostgreSQL too) takes seconds on a busy machine.
jest.setTimeout(60_000);
const ALICE = 'user:default/alice';
const component = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: {},
});

describe('alert routes', () => {
  let app: express.Express;
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    await migrateDatabaseUp(knex);
    const store = DatabaseAlertStore.create({ knex });
    const condition = (name: string, key: string) => ({
      key,
      ruleId: 'crash-loop',
      entityRef: `component:default/${name}`,
      environment: 'production',
      severity: 'critical' as const,
      title: `Crash loop of ${name}`,
      description: 'keeps exiting',
      link: `/catalog/default/component/${name}/logs`,
    });
    await store.open(condition('shop', 'k1'), new Date(1000));
    const resolved = await store.open(condition('shop', 'k2'), new Date(2000));
    await store.resolve(resolved!.id, new Date(3000));
    await store.open(condition('payroll', 'k3'), new Date(4000));

    // Alice may read the shop; nobody may read payroll.
    const permissions = mockServices.permissions.mock({
      authorize: async (requests: any[], options: any) =>
        requests.map(r => ({
          result:
            options?.credentials?.principal?.userEntityRef === ALICE &&
            r.resourceRef === 'component:default/shop'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        })) as any,
    });
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      entityGuard: new EntityGuard(
        catalogServiceMock({
          entities: [component('shop'), component('payroll')],
        }),
        permissions,
      ),
      sourceReader: {} as EntitySourceReader,
      environments: ['production'],
      alerts: { store },
    });
    app = express().use(router).use(mockErrorHandler());
  });

  const as = (path: string, user = ALICE) =>
    request(app)
      .get(path)
      .set('authorization', mockCredentials.user.header(user));

  it("lists an entity's open and resolved alerts, newest first", async () => {
    const res = await as('/entities/component/default/shop/alerts');
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((a: any) => [a.key, a.status, a.resolvedAt]),
    ).toEqual([
      ['k2', 'resolved', new Date(3000).toISOString()],
      ['k1', 'open', undefined],
    ]);
    const open = await as(
      '/entities/component/default/shop/alerts?status=open',
    );
    expect(open.body.items.map((a: any) => a.key)).toEqual(['k1']);
  });

  it('refuses the alerts of an entity the caller may not read', async () => {
    const res = await as('/entities/component/default/payroll/alerts');
    expect(res.status).toBe(403);
    const stranger = await as(
      '/entities/component/default/shop/alerts',
      'user:default/mallory',
    );
    expect(stranger.status).toBe(403);
  });

  it('lists only the open alerts the caller may read on the global page', async () => {
    const res = await as('/alerts');
    expect(res.status).toBe(200);
    expect(res.body.items.map((a: any) => a.key)).toEqual(['k1']);
    const stranger = await as('/alerts', 'user:default/mallory');
    expect(stranger.body.items).toEqual([]);
  });

  it("lists the caller's open alert behind thousands of newer ones of entities they may not read", async () => {
    const rows = Array.from({ length: 2_500 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      key: `flood:${i}`,
      open_key: `flood:${i}`,
      rule_id: 'runtime-unreachable',
      entity_ref: `component:default/other-${i}`,
      environment: null,
      severity: 'critical',
      title: 'AgentSphere is unreachable',
      description: 'outage',
      link: `/catalog/default/component/other-${i}/deployments`,
      status: 'open',
      opened_at: 10_000 + i,
      last_seen_at: 10_000 + i,
      resolved_at: null,
    }));
    await knex.batchInsert('coderunner_alerts', rows, 100);
    try {
      const res = await as('/alerts?limit=5');
      expect(res.status).toBe(200);
      expect(res.body.items.map((a: any) => a.key)).toEqual(['k1']);
    } finally {
      await knex('coderunner_alerts').where('key', 'like', 'flood:%').delete();
    }
  });

  it('names the bad query parameter', async () => {
    const status = await as(
      '/entities/component/default/shop/alerts?status=closed',
    );
    expect(status.status).toBe(400);
    expect(status.body.error.message).toMatch(/status/);
    const limit = await as('/alerts?limit=0');
    expect(limit.status).toBe(400);
    expect(limit.body.error.message).toMatch(/limit/);
  });
});
