import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { permissionsAllowing } from '../__testUtils__/coderunnerBackend';
import {
  deploymentWithScalingRelease,
  scalingControllerWithoutReconciler,
} from '../__testUtils__/scalingFixture';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { EntityGuard } from '../entities/EntityGuard';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { EntityRoutes } from '../service/EntityRoutes';
import { RateLimiter } from '../service/RateLimiter';
import { DatabaseScalingStore } from './DatabaseScalingStore';
import { addScalingRoutes } from './scalingRoutes';

const databases = createTestDatabases();

// Database set-up inside the tests (PostgreSQL too) takes seconds on a busy machine.
jest.setTimeout(60_000);
const base = '/entities/component/default/hello-node/deployments/development';
const helloNode = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'hello-node', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/platform' },
};

describe.each(databases.eachSupportedId())('Scaling API on %p', databaseId => {
  let knex: Knex;
  let app: express.Express;
  const permissions = permissionsAllowing();
  const auditor = mockServices.auditor.mock();
  let triggered: string[];
  let deploymentId: string;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    const { store, deployment } = await deploymentWithScalingRelease(knex);
    deploymentId = deployment.id;
    const scaling = scalingControllerWithoutReconciler(knex, store, {
      auditor,
    });
    triggered = scaling.triggered;
    const router = await createOpenApiRouter({ middleware: [express.json()] });
    addScalingRoutes(router, {
      controller: scaling.controller,
      routes: EntityRoutes.create({
        guard: new EntityGuard(
          catalogServiceMock({ entities: [helloNode] }),
          permissions.service,
        ),
        httpAuth: mockServices.httpAuth(),
        auditor,
        limiter: RateLimiter.fromConfig(mockServices.rootConfig(), knex),
      }),
    });
    app = express().use(router).use(mockErrorHandler());
  });

  const as = permissions.allow;

  it('lets a viewer read the status but not scale, pause or change the policy', async () => {
    as('deployment.read');
    const status = await request(app).get(`${base}/scaling`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      environment: 'development',
      autoscaling: true,
      desiredInstances: 1,
      policy: {
        template: 'web-app',
        minInstances: 1,
        maxInstances: 3,
        targets: { p95LatencyMs: 200 },
      },
    });
    for (const attempt of [
      request(app)
        .post(`${base}/scale`)
        .send({ instances: 2, reason: 'incident' }),
      request(app).delete(`${base}/scale`),
      request(app).post(`${base}/scaling/pause`).send({}),
      request(app).post(`${base}/scaling/resume`),
      request(app).put(`${base}/scaling/policy`).send({ maxInstances: 5 }),
      request(app).delete(`${base}/scaling/policy`),
    ]) {
      expect((await attempt).status).toBe(403);
    }
    expect(triggered).toEqual([]);
    expect(
      (await request(app).get(`${base}/scaling/decisions`)).body.items,
    ).toEqual([]);
  });

  it('answers 400 naming the field to fix', async () => {
    as('deployment.read', 'scaling.write');
    const cases: [request.Test, RegExp][] = [
      [
        request(app).post(`${base}/scale`).send({ instances: 9, reason: 'x' }),
        /instances must be at most maxInstances \(3\)/,
      ],
      [
        request(app).post(`${base}/scale`).send({ instances: 2, reason: ' ' }),
        /reason must say why/,
      ],
      [
        request(app).post(`${base}/scale`).send({
          instances: 2,
          reason: 'x',
          expiresAt: '2001-01-01T00:00:00Z',
        }),
        /expiresAt must be in the future/,
      ],
      [request(app).post(`${base}/scale`).send({ reason: 'x' }), /instances/],
      [
        request(app).put(`${base}/scaling/policy`).send({ template: 'fast' }),
        /template must be one of web-app/,
      ],
      [
        request(app)
          .put(`${base}/scaling/policy`)
          .send({ minInstances: 4, maxInstances: 2 }),
        /minInstances/,
      ],
      [
        request(app)
          .put(`${base}/scaling/policy`)
          .send({ targets: { cpuPercent: 150 } }),
        /targets\.cpuPercent/,
      ],
    ];
    for (const [attempt, message] of cases) {
      const res = await attempt;
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('holds, pauses and saves policy versions, each audited', async () => {
    as('deployment.read', 'scaling.write');
    auditor.createEvent.mockClear();
    const held = await request(app)
      .post(`${base}/scale`)
      .send({ instances: 2, reason: 'launch day' });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({
      desiredInstances: 2,
      hold: { instances: 2, reason: 'launch day' },
      lastDecision: { cause: 'manual', from: 1, to: 2, direction: 'up' },
    });
    expect(triggered).toHaveLength(1);

    const saved = await request(app)
      .put(`${base}/scaling/policy`)
      .send({ maxInstances: 5, targets: { cpuPercent: 60 } });
    expect(saved.status).toBe(200);
    expect(saved.body.policy).toMatchObject({
      maxInstances: 5,
      targets: { cpuPercent: 60 },
      sources: {
        manifest: { maxInstances: 3 },
        override: { version: 1, values: { maxInstances: 5 } },
      },
    });
    expect(
      (await request(app).post(`${base}/scaling/pause`).send({ reason: 'x' }))
        .body.paused,
    ).toMatchObject({ reason: 'x' });
    expect(
      (await request(app).delete(`${base}/scaling/policy`)).body.policy,
    ).toMatchObject({ maxInstances: 3 });
    const versions = await request(app).get(`${base}/scaling/policy/versions`);
    expect(versions.body.items.map((v: any) => v.version)).toEqual([2, 1]);

    // An autoscaler tick that held the count is left out of "changes and actions"; a person's action that changed
    // nothing (the pause, the policy saves) is not.
    await DatabaseScalingStore.create({ knex }).recordDecision({
      deploymentId,
      at: Date.now(),
      tick: 1,
      from: 2,
      to: 2,
      cause: 'autoscaler',
      explanation: 'holding at 2: CPU 40% within target',
      inputs: { metrics: { cpuPercent: 40 }, targets: { cpuPercent: 70 } },
    });
    const all = await request(app).get(`${base}/scaling/decisions?limit=10`);
    expect(all.body.items.map((d: any) => d.cause)).toEqual([
      'autoscaler',
      'policy',
      'paused',
      'policy',
      'manual',
    ]);
    const changed = await request(app).get(
      `${base}/scaling/decisions?changedOnly=true`,
    );
    expect(changed.body.items.map((d: any) => d.cause)).toEqual([
      'policy',
      'paused',
      'policy',
      'manual',
    ]);

    const events = auditor.createEvent.mock.calls.map(([o]) => o.eventId);
    expect(events).toEqual([
      'scaling-hold',
      'scaling-policy-save',
      'scaling-pause',
      'scaling-policy-clear',
    ]);
    expect(auditor.createEvent.mock.calls[0][0].meta).toMatchObject({
      entityRef: 'component:default/hello-node',
      instances: 2,
      reason: 'launch day',
    });
  });
});
