import { mockServices } from '@backstage/backend-test-utils';
import { parseManifest } from '@coderunner/plugin-coderunner-common';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Knex } from 'knex';
import {
  localComponent,
  removeAllSandboxes,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { LogRedactor } from '../logs/LogRedactor';
import { DatabaseLogStore } from '../logs/DatabaseLogStore';
import { Reconciler } from '../orchestrator/Reconciler';
import { AgentSphereRuntime } from '../runtime';
import { EntitySourceReader } from '../source/EntitySourceReader';
import { SourceArchiver } from '../source/SourceArchiver';
import { LocalSourceRoots } from '../source/LocalSourceRoots';
import { ConfigChanges } from './ConfigChanges';
import { ConfigValues } from './ConfigValues';
import { DatabaseConfigStore } from './DatabaseConfigStore';
import { DeploymentSecrets } from './DeploymentSecrets';
import { Keyring } from './Keyring';
import { ReleaseConfig } from './ReleaseConfig';
import { SecretCipher } from './SecretCipher';

jest.setTimeout(120_000);

const app = path.join(__dirname, '__fixtures__', 'echo-secret');
const SECRET = 'tok_echoed_by_a_careless_app_42';
const databases = createTestDatabases();

describe('secrets in logs, on the AgentSphere emulator', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  beforeAll(async () => {
    env = await startTestEmulator();
  });
  afterAll(async () => {
    await env.stop();
  });

  it.each(databases.eachSupportedId())(
    'an app that prints its secret shows it redacted in the stored logs on %p',
    async databaseId => {
      const knex: Knex = await databases.init(databaseId);
      await migrateDatabaseUp(knex);
      const logger = mockServices.logger.mock();
      const store = DatabaseDeploymentStore.fromKnex(knex);
      const logs = DatabaseLogStore.create({ knex });
      const runtime = AgentSphereRuntime.create({
        logger,
        apiKey: env.emulator.apiKey,
        domain: env.emulator.domain,
      });
      const secrets = new DeploymentSecrets(
        async (ref, environment) =>
          (await store.findDeployment(ref, environment))?.id,
      );
      const configStore = await DatabaseConfigStore.create({ knex });
      const values = new ConfigValues(
        configStore,
        new SecretCipher(
          Keyring.of([{ id: 'k', secret: randomBytes(32) }], 'k'),
        ),
        ['development'],
      );
      const config = new ReleaseConfig(configStore, values, secrets);
      const changes = new ConfigChanges(configStore, values);
      const redactor = new LogRedactor();
      redactor.registerSecretSource(secrets.valuesOf);
      secrets.onChange(id => redactor.forget(id));
      const reconciler = new Reconciler(runtime, store, knex, logs, logger, {
        config,
        redact: redactor.lineRedactor,
      });
      await reconciler.start();
      try {
        const entity = localComponent('echo-secret', app);
        const ref = 'component:default/echo-secret';
        await changes.change(
          entity,
          {
            changes: [
              {
                scope: 'development',
                name: 'API_TOKEN',
                value: SECRET,
                secret: true,
              },
            ],
          },
          'user:default/test',
        );
        const reader = EntitySourceReader.create({
          urlReader: mockServices.urlReader.mock(),
          localRoots: LocalSourceRoots.of([app]),
        });
        const snapshot = await new SourceArchiver(
          reader,
          mockServices.urlReader.mock(),
        ).snapshot(entity);
        const deployment = await store.ensureDeployment({
          entityRef: ref,
          environment: 'development',
          createdBy: 'user:default/test',
        });
        await store.createRelease({
          deploymentId: deployment.id,
          manifest: parseManifest(
            await fs.readFile(path.join(app, 'coderunner.yaml'), 'utf8'),
          ).manifest!,
          source: snapshot.archive,
          configVersion: await config.currentVersion(ref, 'development'),
          desiredInstances: 1,
          createdBy: 'user:default/test',
        });
        reconciler.trigger(deployment.id);

        let lines: string[] = [];
        for (
          let i = 0;
          i < 600 && !lines.some(l => l.startsWith('token is'));
          i++
        ) {
          await new Promise(resolve => setTimeout(resolve, 100));
          lines = (
            await logs.read(deployment.id, { streams: ['stdout'] })
          ).items.map(l => l.line);
        }
        if (!lines.length) {
          const all = (await logs.read(deployment.id, {})).items.map(
            l => `${l.stream}: ${l.line}`,
          );
          throw new Error(
            `No output; logs: ${all.join('\n')}; ${JSON.stringify(
              await store.getDeployment(deployment.id),
            )}`,
          );
        }
        expect(lines).toContain('token is [redacted]');
        const raw = JSON.stringify(
          await knex('coderunner_log_lines').select('line'),
        );
        expect(raw).not.toContain(SECRET);
        // Nowhere in the database in plain text: not in releases, instances, files, config or logs.
        const tables = (await knex.raw(
          knex.client.config.client === 'pg'
            ? "select table_name as name from information_schema.tables where table_schema = current_schema() and table_name like 'coderunner%'"
            : "select name from sqlite_master where type = 'table' and name like 'coderunner%'",
        )) as { rows?: { name: string }[] } | { name: string }[];
        const names = (Array.isArray(tables) ? tables : tables.rows ?? []).map(
          t => t.name,
        );
        expect(names).toEqual(
          expect.arrayContaining([
            'coderunner_releases',
            'coderunner_instances',
            'coderunner_config_values',
          ]),
        );
        for (const table of names) {
          const rows = await knex(table).select();
          const text = rows
            .map(row =>
              Object.values(row)
                .map(v =>
                  Buffer.isBuffer(v) ? v.toString('latin1') : JSON.stringify(v),
                )
                .join(' '),
            )
            .join('\n');
          expect({ table, found: text.includes(SECRET) }).toEqual({
            table,
            found: false,
          });
        }
      } finally {
        await reconciler.stop();
        await runtime.close();
        await removeAllSandboxes(env.emulator);
        await knex.destroy();
      }
    },
  );
});
