import path from 'node:path';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  localComponent,
  OrchestratorHarness,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { migrateDatabaseUp } from '../database/migrateDatabase';

jest.setTimeout(180_000);

const examples = path.resolve(__dirname, '../../../../examples');
const databases = createTestDatabases();

/** Every example the portal ships deploys on the emulator and, when it serves HTTP, answers. */
describe('the example components', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  let harness: OrchestratorHarness;

  beforeAll(async () => {
    env = await startTestEmulator();
    const knex = await databases.init('SQLITE_3');
    await migrateDatabaseUp(knex);
    harness = new OrchestratorHarness(knex, env.emulator);
    await harness.start();
  });
  afterAll(async () => {
    await harness.crash();
    await env.stop();
  });

  it.each([
    ['hello-node', '/healthz', '"status":"ok"'],
    // Its build runs `npm ci` against the registry from inside the sandbox.
    ['hello-express', '/', '"express":"4.'],
    ['hello-python', '/env', '"GREETING": false'],
    ['static-site', '/', 'Hello from a static site'],
  ])(
    '%s deploys, becomes ready and answers through the gateway',
    async (name, urlPath, expected) => {
      const dir = path.join(examples, name);
      const { deployment } = await harness.deploy(
        localComponent(name, dir),
        dir,
      );
      await harness.waitFor(deployment.id, d => d.status === 'ready', 120_000);
      await harness.gateway.refresh();
      const response = await harness.get(name, urlPath);
      expect(response.status).toBe(200);
      expect(response.text).toContain(expected);
    },
  );

  it('ticker-worker deploys, becomes ready and its output is kept', async () => {
    const dir = path.join(examples, 'ticker-worker');
    const { deployment } = await harness.deploy(
      localComponent('ticker-worker', dir),
      dir,
    );
    await harness.waitFor(deployment.id, d => d.status === 'ready', 120_000);
    // A worker has no URL; it is ready once started.
    // Its first line arrives when it arrives: wait for it (the test's timeout bounds the wait).
    let lines: string[] = [];
    while (!lines.includes('ticker-worker started')) {
      await new Promise(resolve => setTimeout(resolve, 250));
      lines = (
        await harness.logs.read(deployment.id, { streams: ['stdout'] })
      ).items.map(l => l.line);
    }
    expect(lines).toContain('ticker-worker started');
  });
});
