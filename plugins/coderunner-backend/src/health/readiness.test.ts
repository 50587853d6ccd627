import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { emulatorRuntimeModule } from '../__testUtils__/emulatorRuntimeModule';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { startTestEmulator } from '../__testUtils__/OrchestratorHarness';
import { coderunnerPlugin } from '../plugin';
import { AgentSphereRuntime } from '../runtime';

jest.setTimeout(120_000);

const databases = createTestDatabases();

describe('GET /api/coderunner/health', () => {
  it.each(databases.eachSupportedId())(
    'is 200 with every component ok, then 503 naming agentsphere and database as they go, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const env = await startTestEmulator();
      const runtime = AgentSphereRuntime.create({
        logger: mockServices.logger.mock(),
        apiKey: env.emulator.apiKey,
        domain: env.emulator.domain,
        retry: { maxAttempts: 1 },
        circuitBreaker: { failureThreshold: 2, resetAfterMs: 600_000 },
      });
      const { server } = await startTestBackend({
        features: [
          coderunnerPlugin,
          emulatorRuntimeModule(env.emulator, runtime),
          mockServices.database.factory({ knex }),
          catalogServiceMock.factory({ entities: [] }),
          mockServices.rootConfig.factory({
            data: {
              coderunner: {
                gateway: { port: 0, listenHost: '127.0.0.1' },
                metrics: { auth: 'unauthenticated' },
              },
            },
          }),
        ],
      });
      const health = () =>
        request(server).get('/api/coderunner/health').set('authorization', '');

      const up = await health();
      expect(up.status).toBe(200);
      expect(up.body).toMatchObject({
        status: 'ok',
        runtime: 'agentsphere-emulator',
      });
      expect(Object.keys(up.body.components).sort()).toEqual([
        'agentsphere',
        'database',
        'logPipeline',
        'metricsPoller',
        'reconciler',
      ]);
      for (const component of Object.values<{ status: string }>(
        up.body.components,
      )) {
        expect(component.status).toBe('ok');
      }
      // Unauthenticated, so it names no host, URL or key.
      expect(up.text).not.toMatch(
        /https?:|postgres(ql)?:\/\/|127\.0\.0\.1|:5432|agentsphere\.test/i,
      );
      expect(up.text).not.toContain(env.emulator.apiKey);

      // AgentSphere goes away: once the breaker opens, the backend is not ready.
      await env.stop();
      while (runtime.circuitState === 'closed') {
        await runtime.listSandboxes({ metadata: {} }).catch(() => undefined);
      }
      const noAgentSphere = await health();
      expect(noAgentSphere.status).toBe(503);
      expect(noAgentSphere.body.message).toBe('Not ready: agentsphere failing');
      expect(noAgentSphere.body.components.agentsphere).toEqual({
        status: 'failing',
        detail: expect.stringMatching(
          /^circuit breaker open: calls are paused/,
        ),
      });
      expect(noAgentSphere.body.components.database.status).toBe('ok');
      // The same check on the metrics endpoint, for the CoderunnerBackendNotReady alert.
      const scraped = await request(server).get('/api/coderunner/metrics');
      expect(scraped.text).toContain(
        'coderunner_backend_component_ready{component="agentsphere"} 0',
      );
      expect(scraped.text).toContain(
        'coderunner_backend_component_ready{component="database"} 1',
      );

      // The database goes away too.
      await knex.destroy();
      const noDatabase = await health();
      expect(noDatabase.status).toBe(503);
      expect(noDatabase.body.components.database).toEqual({
        status: 'failing',
        detail: expect.stringMatching(/^select 1 failed/),
      });
      expect(noDatabase.body.message).toMatch(/^Not ready: .*database/);
    },
  );
});
