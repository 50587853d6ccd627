import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  StreamServerMessage,
  TERMINAL_PROTOCOL,
} from '@coderunner/plugin-coderunner-common';
import policyModule from '@coderunner/plugin-permission-backend-module-coderunner-policy';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import WebSocket from 'ws';
import YAML from 'yaml';
import { emulatorRuntimeModule } from '../__testUtils__/emulatorRuntimeModule';
import {
  localComponent,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import {
  authWithActors,
  catalogWith,
  subprotocolToken,
  userInfoWithGroups,
  waitForEntity,
} from '../__testUtils__/portalWithPolicy';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { coderunnerPlugin } from '../plugin';
import { STREAM_PROTOCOL } from '../stream/StreamServer';

jest.setTimeout(300_000);

/**
 * Who may call which CodeRunner route, with the shipped policy
 * (plugins/permission-backend-module-coderunner-policy), the real permission backend and the
 * real catalog deciding ownership. With the allow-all policy, `reader` and `other` may change
 * everything and this test fails.
 */
const databases = createTestDatabases();
const ENTITY_REF = 'component:default/service-a';
const BASE = '/api/coderunner/entities/component/default/service-a';

const tokens = {
  /** In group:default/team-a, which owns the component. */
  owner: mockCredentials.user.token('user:default/olivia'),
  /** In group:default/readers, the configured viewers. */
  reader: mockCredentials.user.token('user:default/rita'),
  /** In group:default/team-b: neither owner, viewer nor operator. */
  other: mockCredentials.user.token('user:default/oscar'),
  /** In group:default/ops, the configured operators. */
  operator: mockCredentials.user.token('user:default/opal'),
  /** Another backend plugin calling with its own credentials. */
  service: mockCredentials.service.token(),
  /** The scaffolder running a template for the owner: the owner's rights. */
  'scaffolder-for-owner': mockCredentials.user.token('user:default/olivia', {
    actor: { subject: 'plugin:scaffolder' },
  }),
  /** The scaffolder running a template for `other`: no more than other's rights. */
  'scaffolder-for-other': mockCredentials.user.token('user:default/oscar', {
    actor: { subject: 'plugin:scaffolder' },
  }),
};
type Principal = keyof typeof tokens;
const PRINCIPALS = Object.keys(tokens) as Principal[];
const header = (principal: Principal) => `Bearer ${tokens[principal]}`;

const groups = {
  'user:default/olivia': ['group:default/team-a'],
  'user:default/rita': ['group:default/readers'],
  'user:default/oscar': ['group:default/team-b'],
  'user:default/opal': ['group:default/ops'],
};

/** Who passes each level of check on service-a. */
const MAY: Record<
  'public' | 'signedIn' | 'read' | 'change' | 'operate' | 'exec',
  Principal[]
> = {
  public: PRINCIPALS,
  signedIn: PRINCIPALS,
  read: ['owner', 'reader', 'operator', 'service', 'scaffolder-for-owner'],
  change: ['owner', 'operator', 'service', 'scaffolder-for-owner'],
  /** Checked on the owning group's entity, which nobody owns: operators only. */
  operate: ['operator', 'service'],
  /** A terminal in an instance (coderunner.instance.exec): its owners only, never an operator who does not own it or a service. */
  exec: ['owner', 'scaffolder-for-owner'],
};

interface Route {
  method: 'get' | 'post' | 'put' | 'delete';
  /** As in openapi.yaml. */
  path: string;
  level: keyof typeof MAY;
  /** The URL to call; `env` is the caller's own environment, so callers do not collide. */
  url: (env: string) => string;
  body?: (env: string) => object;
}

const E = '/entities/{kind}/{namespace}/{name}';
const routes: Route[] = [
  {
    method: 'get',
    path: '/health',
    level: 'public',
    url: () => '/api/coderunner/health',
  },
  {
    method: 'get',
    path: '/manifest/schema.json',
    level: 'public',
    url: () => '/api/coderunner/manifest/schema.json',
  },
  {
    method: 'get',
    path: '/deployments',
    level: 'signedIn',
    url: () => '/api/coderunner/deployments',
  },
  {
    method: 'get',
    path: '/config/templates',
    level: 'signedIn',
    url: () => '/api/coderunner/config/templates',
  },
  {
    method: 'get',
    path: '/config/encryption',
    level: 'signedIn',
    url: () => '/api/coderunner/config/encryption',
  },
  {
    method: 'get',
    path: `${E}/setup`,
    level: 'read',
    url: () => `${BASE}/setup`,
  },
  {
    method: 'get',
    path: `${E}/deployments`,
    level: 'read',
    url: () => `${BASE}/deployments`,
  },
  {
    method: 'get',
    path: `${E}/deployments/{environment}/releases`,
    level: 'read',
    url: () => `${BASE}/deployments/shared/releases`,
  },
  {
    method: 'get',
    path: `${E}/deployments/{environment}/logs`,
    level: 'read',
    url: () => `${BASE}/deployments/shared/logs`,
  },
  {
    method: 'get',
    path: `${E}/deployments/{environment}/logs/search`,
    level: 'read',
    url: () => `${BASE}/deployments/shared/logs/search?q=x`,
  },
  {
    method: 'get',
    path: `${E}/deployments/{environment}/logs/download`,
    level: 'read',
    url: () => `${BASE}/deployments/shared/logs/download`,
  },
  {
    method: 'get',
    path: `${E}/deployments/{environment}/metrics`,
    level: 'read',
    url: () => `${BASE}/deployments/shared/metrics?metric=requests`,
  },
  {
    method: 'get',
    path: `${E}/config`,
    level: 'read',
    url: () => `${BASE}/config`,
  },
  {
    method: 'get',
    path: `${E}/config/versions`,
    level: 'read',
    url: () => `${BASE}/config/versions`,
  },
  {
    method: 'get',
    path: `${E}/config/diff`,
    level: 'read',
    url: () => `${BASE}/config/diff?from=0&to=1`,
  },
  {
    method: 'get',
    path: `${E}/config/audit`,
    level: 'read',
    url: () => `${BASE}/config/audit`,
  },
  {
    method: 'get',
    path: `${E}/config/export`,
    level: 'read',
    url: () => `${BASE}/config/export?scope=shared`,
  },
  {
    method: 'post',
    path: `${E}/config/changes`,
    level: 'change',
    url: () => `${BASE}/config/changes`,
    body: env => ({
      changes: [
        { scope: env, name: 'TOKEN', value: `${env}-secret`, secret: true },
      ],
      apply: false,
    }),
  },
  {
    method: 'post',
    path: `${E}/config/import/preview`,
    level: 'change',
    url: () => `${BASE}/config/import/preview`,
    body: env => ({ scope: env, format: 'env', content: 'GREETING=hi\n' }),
  },
  {
    method: 'post',
    path: `${E}/config/templates/{templateId}/preview`,
    level: 'change',
    url: () => `${BASE}/config/templates/nodejs/preview`,
    body: env => ({ scope: env }),
  },
  {
    method: 'post',
    path: `${E}/config/reveal`,
    level: 'change',
    url: () => `${BASE}/config/reveal`,
    body: () => ({ scope: 'shared', name: 'SHARED_TOKEN' }),
  },
  {
    method: 'get',
    path: `${E}/config/export`,
    level: 'change',
    url: () => `${BASE}/config/export?scope=shared&includeSecrets=true`,
  },
  {
    method: 'post',
    path: `${E}/config/rollback`,
    level: 'change',
    url: () => `${BASE}/config/rollback`,
    body: () => ({ version: 1, apply: false }),
  },
  {
    method: 'post',
    path: `${E}/deployments/{environment}/deploy`,
    level: 'change',
    url: env => `${BASE}/deployments/${env}/deploy`,
    body: () => ({}),
  },
  {
    method: 'post',
    path: `${E}/deployments/{environment}/rollback`,
    level: 'change',
    url: env => `${BASE}/deployments/${env}/rollback`,
    body: () => ({ releaseNumber: 1 }),
  },
  {
    method: 'post',
    path: `${E}/config/apply/{environment}`,
    level: 'change',
    url: env => `${BASE}/config/apply/${env}`,
  },
  {
    method: 'post',
    path: `${E}/deployments/{environment}/restart`,
    level: 'change',
    url: env => `${BASE}/deployments/${env}/restart`,
  },
  {
    method: 'post',
    path: `${E}/deployments/{environment}/stop`,
    level: 'change',
    url: env => `${BASE}/deployments/${env}/stop`,
  },
  {
    method: 'post',
    path: `${E}/deployments/{environment}/start`,
    level: 'change',
    url: env => `${BASE}/deployments/${env}/start`,
  },
  {
    method: 'delete',
    path: `${E}/deployments/{environment}`,
    level: 'change',
    url: env => `${BASE}/deployments/${env}`,
  },
  {
    method: 'get',
    path: `${E}/deployments/{environment}/scaling`,
    level: 'read',
    url: env => `${BASE}/deployments/${env}/scaling`,
  },
  {
    method: 'put',
    path: `${E}/deployments/{environment}/scaling/policy`,
    level: 'change',
    url: env => `${BASE}/deployments/${env}/scaling/policy`,
    body: () => ({ minInstances: 1, maxInstances: 2 }),
  },
  {
    method: 'delete',
    path: `${E}/deployments/{environment}/scaling/policy`,
    level: 'change',
    url: env => `${BASE}/deployments/${env}/scaling/policy`,
  },
  {
    method: 'get',
    path: `${E}/deployments/{environment}/scaling/policy/versions`,
    level: 'read',
    url: env => `${BASE}/deployments/${env}/scaling/policy/versions`,
  },
  {
    method: 'post',
    path: `${E}/deployments/{environment}/scale`,
    level: 'change',
    url: env => `${BASE}/deployments/${env}/scale`,
    body: () => ({ instances: 1, reason: 'permission matrix' }),
  },
  {
    method: 'delete',
    path: `${E}/deployments/{environment}/scale`,
    level: 'change',
    url: env => `${BASE}/deployments/${env}/scale`,
  },
  {
    method: 'post',
    path: `${E}/deployments/{environment}/scaling/pause`,
    level: 'change',
    url: env => `${BASE}/deployments/${env}/scaling/pause`,
    body: () => ({ reason: 'permission matrix' }),
  },
  {
    method: 'post',
    path: `${E}/deployments/{environment}/scaling/resume`,
    level: 'change',
    url: env => `${BASE}/deployments/${env}/scaling/resume`,
  },
  {
    method: 'get',
    path: `${E}/deployments/{environment}/scaling/decisions`,
    level: 'read',
    url: env => `${BASE}/deployments/${env}/scaling/decisions`,
  },
  {
    method: 'get',
    path: `${E}/alerts`,
    level: 'read',
    url: () => `${BASE}/alerts`,
  },
  {
    method: 'get',
    path: '/alerts',
    level: 'signedIn',
    url: () => '/api/coderunner/alerts',
  },
  {
    method: 'get',
    path: `${E}/cost`,
    level: 'read',
    url: () => `${BASE}/cost`,
  },
  {
    method: 'get',
    path: `${E}/cost/advice`,
    level: 'read',
    url: () => `${BASE}/cost/advice`,
  },
  {
    method: 'put',
    path: `${E}/cost/budget`,
    level: 'change',
    url: () => `${BASE}/cost/budget`,
    body: env => ({ environment: env, amount: 10 }),
  },
  {
    method: 'delete',
    path: `${E}/cost/budget`,
    level: 'change',
    url: env => `${BASE}/cost/budget?environment=${env}`,
  },
  {
    // The terminal's plain GET runs the upgrade's checks: past the permission an instance that
    // does not exist is a 404, before it a 403. The upgrade itself is checked below.
    method: 'get',
    path: '/terminal',
    level: 'exec',
    url: () =>
      `/api/coderunner/terminal?${new URLSearchParams({
        entity: ENTITY_REF,
        environment: 'shared',
        instance: 'no-such-instance',
      })}`,
  },
  {
    method: 'get',
    path: '/cost/summary',
    level: 'signedIn',
    url: () => '/api/coderunner/cost/summary',
  },
  {
    method: 'put',
    path: '/cost/owner-budget',
    level: 'operate',
    url: () => '/api/coderunner/cost/owner-budget',
    body: () => ({ ownerRef: 'group:default/team-a', amount: 100 }),
  },
  {
    method: 'delete',
    path: '/cost/owner-budget',
    level: 'operate',
    url: () =>
      '/api/coderunner/cost/owner-budget?ownerRef=group:default/team-a',
  },
];

/** A route as the matrix reports it: method and URL, with `{env}` for the caller's own. */
const keyOf = (route: Route) =>
  `${route.method.toUpperCase()} ${route.url('{env}')}`;

function documentedRoutes(): string[] {
  const spec = YAML.parse(
    fs.readFileSync(path.resolve(__dirname, '../schema/openapi.yaml'), 'utf8'),
  ) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(spec.paths).flatMap(([route, operations]) =>
    Object.keys(operations)
      .filter(method =>
        ['get', 'post', 'put', 'patch', 'delete'].includes(method),
      )
      .map(method => `${method.toUpperCase()} ${route}`),
  );
}

const component: Entity = {
  ...localComponent(
    'service-a',
    path.resolve(__dirname, '../../../../examples/static-site'),
  ),
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/team-a',
  },
};
component.metadata.annotations!['backstage.io/managed-by-origin-location'] =
  component.metadata.annotations!['backstage.io/managed-by-location'];

/** The owning group, on which an owner's budget is checked. */
const teamA: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: 'team-a',
    namespace: 'default',
    annotations: component.metadata.annotations,
  },
  // A member, so the catalog gives it a relation (waitForEntity waits for one).
  spec: { type: 'team', children: [], members: ['user:default/olivia'] },
};

describe('permission matrix', () => {
  let emulator: Awaited<ReturnType<typeof startTestEmulator>>;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(async () => {
    await emulator.stop();
  });

  it('covers every documented route and the stream', () => {
    const covered = new Set(
      routes.map(r => `${r.method.toUpperCase()} ${r.path}`),
    );
    expect(documentedRoutes().filter(route => !covered.has(route))).toEqual([
      'GET /stream',
    ]);
  });

  async function startPortal(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const backend = await startTestBackend({
      features: [
        coderunnerPlugin,
        emulatorRuntimeModule(emulator.emulator),
        catalogPlugin,
        catalogWith([component, teamA]),
        permissionPlugin,
        policyModule,
        authWithActors,
        userInfoWithGroups(groups),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            coderunner: {
              permissionPolicy: {
                operators: ['group:default/ops'],
                viewers: ['group:default/readers'],
              },
              environments: ['shared', ...PRINCIPALS],
              gateway: { port: 0 },
              rateLimit: {
                mutationsPerMinute: 1000,
                previewsPerMinute: 1000,
                exportsPerMinute: 1000,
              },
            },
          },
        }),
      ],
    });
    await waitForEntity(backend.server, ENTITY_REF);
    await waitForEntity(backend.server, 'group:default/team-a');
    return { ...backend, knex };
  }

  /** Calls every route as every principal; the status code per route and principal. */
  async function callEveryRoute(server: Parameters<typeof request>[0]) {
    const outcome: Record<string, Record<Principal, number>> = {};
    for (const route of routes) {
      const key = keyOf(route);
      outcome[key] = {} as Record<Principal, number>;
      for (const principal of PRINCIPALS) {
        let call = request(server)
          [route.method](route.url(principal))
          .set('authorization', header(principal));
        if (route.body) call = call.send(route.body(principal));
        const response = await call;
        // A 5xx is a bug whoever calls (the call and what the backend said are named), except
        // the readiness check's documented 503, which names the component that did not answer
        // within its second (the database, when the CPU is saturated).
        const notReady =
          route.path === '/health' &&
          response.status === 503 &&
          /^Not ready: /.test(response.body.message);
        expect(
          response.status < 500 || notReady
            ? 'no server error'
            : `${key} as ${principal}: ${response.status} ${response.text}`,
        ).toBe('no server error');
        outcome[key][principal] = response.status;
      }
    }
    return outcome;
  }

  /** Subscribes to the stream as every principal; whether each subscription was accepted. */
  async function subscribeAsEveryone(
    port: number,
    topic: 'logs' | 'status' | 'scaling',
  ) {
    const result = {} as Record<Principal, string>;
    for (const principal of PRINCIPALS) {
      const ws = new WebSocket(`ws://localhost:${port}/api/coderunner/stream`, [
        STREAM_PROTOCOL,
        subprotocolToken(tokens[principal]),
      ]);
      const reply = await new Promise<StreamServerMessage>(
        (resolve, reject) => {
          ws.on('message', data => {
            const message = JSON.parse(data.toString()) as StreamServerMessage;
            if (message.type === 'subscribed' || message.type === 'error')
              resolve(message);
          });
          ws.once('open', () =>
            ws.send(
              JSON.stringify({
                type: 'subscribe',
                id: 's',
                topic,
                entityRef: ENTITY_REF,
                environment: 'shared',
              }),
            ),
          );
          ws.once('error', reject);
        },
      );
      ws.close();
      result[principal] = reply.type === 'error' ? reply.code : reply.type;
    }
    return result;
  }

  /**
   * Opens the terminal (the upgrade) as every principal, on an instance that does not exist:
   * past the permission check that is a 404, before it a 403.
   */
  async function openTerminalAsEveryone(port: number) {
    const query = new URLSearchParams({
      entity: ENTITY_REF,
      environment: 'shared',
      instance: 'no-such-instance',
    });
    const upgrade = {} as Record<Principal, number>;
    for (const principal of PRINCIPALS) {
      const ws = new WebSocket(
        `ws://localhost:${port}/api/coderunner/terminal?${query}`,
        [TERMINAL_PROTOCOL, subprotocolToken(tokens[principal])],
      );
      upgrade[principal] = await new Promise<number>(resolve => {
        ws.once('unexpected-response', (_req, res) =>
          resolve(res.statusCode ?? 0),
        );
        ws.once('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => undefined);
      });
    }
    return upgrade;
  }

  it.each(databases.eachSupportedId())(
    'lets each principal do exactly what its role allows, on %p',
    async databaseId => {
      const { server, knex } = await startPortal(databaseId);
      // Something to read, reveal and roll back: a shared secret, and a deployment the stream can follow.
      const setup = await request(server)
        .post(`${BASE}/config/changes`)
        .set('authorization', header('service'))
        .send({
          changes: [
            {
              scope: 'shared',
              name: 'SHARED_TOKEN',
              value: 's3cret',
              secret: true,
            },
          ],
          apply: false,
        });
      expect(setup.status).toBe(202);
      const deployed = await request(server)
        .post(`${BASE}/deployments/shared/deploy`)
        .set('authorization', header('service'))
        .send({});
      expect(deployed.status).toBe(202);

      const outcome = await callEveryRoute(server);
      const allowed = Object.fromEntries(
        Object.entries(outcome).map(([route, statuses]) => [
          route,
          PRINCIPALS.filter(p => statuses[p] !== 401 && statuses[p] !== 403),
        ]),
      );
      expect(allowed).toEqual(
        Object.fromEntries(
          routes.map(route => [keyOf(route), MAY[route.level]]),
        ),
      );
      // A denial is a 403 that names the permission: never a 401, nor a 404 that hides it.
      const denials = routes.flatMap(route =>
        PRINCIPALS.filter(p => !MAY[route.level].includes(p)).map(
          p => `${keyOf(route)} as ${p}: ${outcome[keyOf(route)][p]}`,
        ),
      );
      expect(denials.filter(denial => !denial.endsWith(': 403'))).toEqual([]);

      // The global list leaves out the entities a caller may not read.
      for (const principal of PRINCIPALS) {
        const listed = await request(server)
          .get('/api/coderunner/deployments')
          .set('authorization', header(principal));
        expect(listed.status).toBe(200);
        const refs = listed.body.items.map(
          (d: { entityRef: string }) => d.entityRef,
        );
        expect({ principal, sees: refs.includes(ENTITY_REF) }).toEqual({
          principal,
          sees: MAY.read.includes(principal),
        });
      }

      // The global alerts and the cost summary leave them out too: an open alert and an hour
      // of instance time of service-a, written as the alert engine and the usage ledger do.
      const now = Date.now();
      await knex('coderunner_alerts').insert({
        id: 'b7e6a8f0-0000-4000-8000-000000000001',
        key: `crash-loop:${ENTITY_REF}:shared`,
        open_key: `crash-loop:${ENTITY_REF}:shared`,
        rule_id: 'crash-loop',
        entity_ref: ENTITY_REF,
        environment: 'shared',
        severity: 'critical',
        title: 'Crash loop in shared',
        description: 'An instance keeps exiting',
        link: '/catalog/default/component/service-a/logs',
        status: 'open',
        opened_at: now,
        last_seen_at: now,
        resolved_at: null,
      });
      await knex('coderunner_usage').insert({
        id: 'b7e6a8f0-0000-4000-8000-000000000002',
        kind: 'instance',
        deployment_id: 'b7e6a8f0-0000-4000-8000-000000000003',
        entity_ref: ENTITY_REF,
        environment: 'shared',
        size: 'small',
        started_at: now - 3600_000,
        stopped_at: now - 60_000,
      });
      for (const principal of PRINCIPALS) {
        const alerts = await request(server)
          .get('/api/coderunner/alerts')
          .set('authorization', header(principal));
        const summary = await request(server)
          .get('/api/coderunner/cost/summary')
          .set('authorization', header(principal));
        expect([alerts.status, summary.status]).toEqual([200, 200]);
        const mentions = (body: object) =>
          JSON.stringify(body).includes(ENTITY_REF);
        expect({
          principal,
          alert: mentions(alerts.body),
          cost: mentions(summary.body.entities),
          spent: summary.body.spent > 0,
        }).toEqual({
          principal,
          alert: MAY.read.includes(principal),
          cost: MAY.read.includes(principal),
          spent: MAY.read.includes(principal),
        });
      }

      const port = server.port();
      const expectedStream = Object.fromEntries(
        PRINCIPALS.map(p => [
          p,
          MAY.read.includes(p) ? 'subscribed' : 'forbidden',
        ]),
      );
      expect(await subscribeAsEveryone(port, 'status')).toEqual(expectedStream);
      expect(await subscribeAsEveryone(port, 'logs')).toEqual(expectedStream);
      expect(await subscribeAsEveryone(port, 'scaling')).toEqual(
        expectedStream,
      );

      const expectedTerminal = Object.fromEntries(
        PRINCIPALS.map(p => [p, MAY.exec.includes(p) ? 404 : 403]),
      );
      expect(await openTerminalAsEveryone(port)).toEqual(expectedTerminal);
    },
  );
});
