import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import path from 'node:path';
import request from 'supertest';
import {
  coderunnerMetricsExtensionPoint,
  MetricsQuery,
} from '@coderunner/plugin-coderunner-node';
import { localComponent } from '../__testUtils__/OrchestratorHarness';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { coderunnerPlugin } from '../plugin';

// Starts databases and a backend: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const examples = path.resolve(__dirname, '../../../../examples');
const databases = createTestDatabases();
const url =
  '/api/coderunner/entities/component/default/hello-node/deployments/development/metrics';

function startBackend(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
  return startTestBackend({
    features: [
      coderunnerPlugin,
      catalogServiceMock.factory({
        entities: [
          localComponent('hello-node', path.join(examples, 'hello-node')),
        ],
      }),
      mockServices.permissions.factory({ result }),
      mockServices.rootConfig.factory({
        data: {
          coderunner: {
            environments: ['development'],
            gateway: { enabled: false },
          },
        },
      }),
    ],
  });
}

describe('GET …/deployments/:environment/metrics', () => {
  it('needs coderunner.deployment.read on the entity', async () => {
    const { server } = await startBackend(AuthorizeResult.DENY);
    const denied = await request(server).get(`${url}?metric=requests`);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('coderunner.deployment.read');
  });

  it('says what to fix in a bad query, and that nothing is deployed', async () => {
    const { server } = await startBackend(AuthorizeResult.ALLOW);
    const unknownMetric = await request(server).get(`${url}?metric=passwords`);
    expect(unknownMetric.status).toBe(400);
    expect(unknownMetric.body.error.message).toContain('metric');
    const badWindow = await request(server).get(
      `${url}?metric=requests&window=1y`,
    );
    expect(badWindow.status).toBe(400);
    expect(badWindow.body.error.message).toContain('window');
    const tooLong = await request(server).get(
      `${url}?metric=requests&window=30d`,
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain(
      'reaches past the 15 days that metrics are kept',
    );
    const missing = await request(server).get(`${url}?metric=requests`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      'component:default/hello-node has no deployment in development',
    );
  });

  it('answers from the reader a module sets, instead of the built-in store', async () => {
    const knex = await databases.init('SQLITE_3');
    const asked: MetricsQuery[] = [];
    const readerModule = createBackendModule({
      pluginId: 'coderunner',
      moduleId: 'test-metrics-reader',
      register(reg) {
        reg.registerInit({
          deps: { metrics: coderunnerMetricsExtensionPoint },
          async init({ metrics }) {
            metrics.setMetricsReader(
              {
                async query(query) {
                  asked.push(query);
                  return [{ at: query.from, value: 42 }];
                },
              },
              { name: 'test-prometheus' },
            );
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        coderunnerPlugin,
        readerModule,
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({
          entities: [
            localComponent('hello-node', path.join(examples, 'hello-node')),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            coderunner: {
              environments: ['development'],
              gateway: { enabled: false },
            },
          },
        }),
      ],
    });
    const deployment = await DatabaseDeploymentStore.fromKnex(
      knex,
    ).ensureDeployment({
      entityRef: 'component:default/hello-node',
      environment: 'development',
      createdBy: 'user:default/test',
    });

    const answer = await request(server).get(
      `${url}?metric=cpu_percent&window=6h`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.points).toEqual([{ at: answer.body.from, value: 42 }]);
    expect(asked).toEqual([
      expect.objectContaining({
        deploymentId: deployment.id,
        metric: 'cpu_percent',
        stepSeconds: 180,
      }),
    ]);
    await knex.destroy();
  });
});
