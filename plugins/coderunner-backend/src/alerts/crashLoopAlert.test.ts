import { mockServices } from '@backstage/backend-test-utils';
import { AlertEvent } from '@coderunner/plugin-coderunner-node';
import path from 'node:path';
import {
  localComponent,
  OrchestratorHarness,
  removeAllSandboxes,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { AlertEngine } from './AlertEngine';
import { DatabaseAlertStore } from './DatabaseAlertStore';
import { crashLoopRule } from './rules/deploymentRules';

jest.setTimeout(180_000);

const databases = createTestDatabases();
const crashyNode = path.resolve(__dirname, '../../../../examples/crashy-node');

describe('the crash-loop alert on the AgentSphere emulator', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  const harnesses: OrchestratorHarness[] = [];
  beforeAll(async () => {
    env = await startTestEmulator();
  });
  afterEach(async () => {
    for (const harness of harnesses.splice(0)) await harness.crash();
    await removeAllSandboxes(env.emulator);
  });
  afterAll(async () => {
    await env.stop();
  });

  it.each(databases.eachSupportedId())(
    'opens when crashy-node crash-loops, stays one alert, and resolves when it is stopped, on %p',
    async id => {
      const knex = await databases.init(id);
      const harness = await OrchestratorHarness.startMigrated(
        knex,
        env.emulator,
      );
      harnesses.push(harness);
      const events: AlertEvent[] = [];
      const store = DatabaseAlertStore.create({ knex });
      const engine = new AlertEngine(
        [crashLoopRule(knex)],
        store,
        [{ name: 'recording', deliver: async e => void events.push(e) }],
        mockServices.logger.mock(),
      );

      const { deployment } = await harness.deploy(
        localComponent('crashy-node', crashyNode),
        crashyNode,
      );
      await harness.waitFor(
        deployment.id,
        d =>
          d.status === 'degraded' && !!d.statusReason?.includes('Crash loop'),
        120_000,
      );
      expect(await engine.evaluate()).toMatchObject({ opened: 1 });
      expect(await engine.evaluate()).toMatchObject({ opened: 0, resolved: 0 });
      const [alert] = await store.listOpen();
      expect(alert).toMatchObject({
        ruleId: 'crash-loop',
        entityRef: 'component:default/crashy-node',
        environment: 'development',
        severity: 'critical',
      });
      expect(alert.description).toContain('DATABASE_URL is not set');

      await harness.store.updateDeployment(deployment.id, {
        desiredState: 'stopped',
        targetReleaseId: undefined,
      });
      harness.reconciler.trigger(deployment.id);
      await harness.waitFor(deployment.id, d => d.status === 'stopped');
      expect(await engine.evaluate()).toMatchObject({ resolved: 1 });
      expect(events.map(e => e.type)).toEqual(['opened', 'resolved']);
      expect(
        await store.list({
          entityRefs: ['component:default/crashy-node'],
          limit: 10,
        }),
      ).toEqual([
        expect.objectContaining({ id: alert.id, status: 'resolved' }),
      ]);
    },
  );
});
