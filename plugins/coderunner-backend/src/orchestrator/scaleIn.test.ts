import path from 'node:path';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  localComponent,
  OrchestratorHarness,
  removeAllSandboxes,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { InstanceRecord } from '../deployments/DeploymentStore';

jest.setTimeout(180_000);

const helloNode = path.resolve(__dirname, '../../../../examples/hello-node');
const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'Scale-in on the AgentSphere emulator, on %p',
  databaseId => {
    let env: Awaited<ReturnType<typeof startTestEmulator>>;
    let harness: OrchestratorHarness | undefined;

    beforeAll(async () => {
      env = await startTestEmulator();
    });
    afterEach(async () => {
      await harness?.crash();
      harness = undefined;
      await removeAllSandboxes(env.emulator);
    });
    afterAll(async () => {
      await env.stop();
    });

    async function instancesWhen(
      deploymentId: string,
      predicate: (instances: InstanceRecord[]) => boolean,
    ): Promise<InstanceRecord[]> {
      const deadline = Date.now() + 60_000;
      let instances = await harness!.store.listInstances(deploymentId);
      while (!predicate(instances) && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 100));
        instances = await harness!.store.listInstances(deploymentId);
      }
      return instances;
    }

    it('drains instances that are not ready first, then the newest, and keeps the one that served longest among the ready', async () => {
      harness = await OrchestratorHarness.startMigrated(
        await databases.init(databaseId),
        env.emulator,
      );
      const { deployment } = await harness.deploy(
        localComponent('hello-node', helloNode),
        helloNode,
        'development',
        3,
      );
      await harness.waitFor(deployment.id, d => d.status === 'ready', 120_000);
      const [oldest, middle, newest] = await harness.store.listInstances(
        deployment.id,
      );
      expect([oldest, middle, newest].map(i => i.state)).toEqual([
        'ready',
        'ready',
        'ready',
      ]);

      // The oldest instance crashed and waits for its restart: it serves nothing.
      await harness.store.updateInstance(oldest.id, {
        state: 'crashed',
        reason: 'Exited with code 1',
        nextAttemptAt: new Date(Date.now() + 3600_000),
      });
      await harness.store.updateDeployment(deployment.id, {
        desiredInstances: 1,
      });
      harness.reconciler.trigger(deployment.id);

      const remaining = await instancesWhen(
        deployment.id,
        instances => instances.length === 1,
      );
      expect(remaining.map(i => [i.id, i.state])).toEqual([
        [middle.id, 'ready'],
      ]);
      await harness.gateway.refresh();
      expect((await harness.get('hello-node', '/')).status).toBe(200);
      // The crashed instance and the newest were the ones drained, with the reason logged.
      await harness.reconciler.logWriter(deployment.id).flush();
      const system = await harness.logs.read(deployment.id, {
        streams: ['system'],
        limit: 5000,
      });
      const drained = system.items
        .map(l => /^Draining instance (\w+): Scaled down$/.exec(l.line)?.[1])
        .filter((id): id is string => id !== undefined);
      expect(drained.sort()).toEqual(
        [oldest.id.slice(0, 8), newest.id.slice(0, 8)].sort(),
      );
    });
  },
);
