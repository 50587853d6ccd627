import { deploymentWithLogs } from '../__testUtils__/deploymentWithLogs';
import { createTestDatabases } from '../__testUtils__/testDatabases';

// Starts databases: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const databases = createTestDatabases();

describe('LogStore byte offsets of instance output', () => {
  it.each(databases.eachSupportedId())(
    'keeps per instance and stream the offset after the last stored line, never going back, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { deploymentId, logs } = await deploymentWithLogs(knex);
      const a = '11111111-1111-4111-8111-111111111111';
      const b = '22222222-2222-4222-8222-222222222222';
      expect(await logs.storedOffsets(a)).toEqual({ stdout: 0, stderr: 0 });

      await logs.append(deploymentId, [
        { stream: 'stdout', line: 'one', instanceId: a, offset: 4 },
        { stream: 'stderr', line: 'oops', instanceId: a, offset: 5 },
        { stream: 'stdout', line: 'two', instanceId: a, offset: 8 },
        { stream: 'stdout', line: 'other', instanceId: b, offset: 6 },
        // Lines without an offset (system lines, raw output) leave offsets alone.
        { stream: 'system', line: 'Started', instanceId: a },
        { stream: 'stdout', line: 'raw', instanceId: a },
      ]);
      expect(await logs.storedOffsets(a)).toEqual({ stdout: 8, stderr: 5 });
      expect(await logs.storedOffsets(b)).toEqual({ stdout: 6, stderr: 0 });

      // A late batch from a replica that lost the instance cannot move it back.
      await logs.append(deploymentId, [
        { stream: 'stdout', line: 'two', instanceId: a, offset: 8 },
        { stream: 'stdout', line: 'one', instanceId: a, offset: 4 },
      ]);
      await logs.append(deploymentId, [
        { stream: 'stdout', line: 'three', instanceId: a, offset: 14 },
      ]);
      expect(await logs.storedOffsets(a)).toEqual({ stdout: 14, stderr: 5 });

      // Offsets go with their deployment.
      await knex('coderunner_deployments').where({ id: deploymentId }).delete();
      expect(await logs.storedOffsets(a)).toEqual({ stdout: 0, stderr: 0 });
    },
  );
});
