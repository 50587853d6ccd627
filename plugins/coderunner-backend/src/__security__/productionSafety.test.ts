import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { Keyring } from '../config/Keyring';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { coderunnerPlugin } from '../plugin';
import { assertEmulatorAllowed } from '../runtime';

// Starts databases and a backend: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

/**
 * Findings: the emulator could end up in production (app-config.production.yaml set no
 * AgentSphere key, so production ran apps on the portal's host), and a generated development
 * encryption key was accepted in production with only a warning.
 */
describe('a production backend refuses development stand-ins', () => {
  const databases = createTestDatabases();
  const logger = mockServices.logger.mock();

  it('refuses the emulator with NODE_ENV=production, naming the keys to set', () => {
    const refusal = () =>
      assertEmulatorAllowed(new ConfigReader({}), 'production');
    expect(refusal).toThrow(/coderunner\.agentsphere\.apiKey/);
    expect(refusal).toThrow(
      /coderunner\.runtime\.allowEmulatorInProduction: true/,
    );
    expect(() =>
      assertEmulatorAllowed(
        new ConfigReader({
          coderunner: { runtime: { allowEmulatorInProduction: false } },
        }),
        'production',
      ),
    ).toThrow(/allowEmulatorInProduction/);
  });

  it('runs the emulator in production only when explicitly allowed, and anywhere else', () => {
    expect(() =>
      assertEmulatorAllowed(
        new ConfigReader({
          coderunner: { runtime: { allowEmulatorInProduction: true } },
        }),
        'production',
      ),
    ).not.toThrow();
    for (const nodeEnv of ['development', 'test', undefined]) {
      expect(() =>
        assertEmulatorAllowed(new ConfigReader({}), nodeEnv),
      ).not.toThrow();
    }
  });

  it('refuses the generated development key with NODE_ENV=production, and uses configured keys', async () => {
    const knex = await databases.init('SQLITE_3');
    await migrateDatabaseUp(knex);
    await expect(
      Keyring.fromConfig(new ConfigReader({}), {
        logger,
        knex,
        nodeEnv: 'production',
      }),
    ).rejects.toThrow(
      /refuses the generated development encryption key.*Set coderunner\.config\.encryptionKeys/,
    );
    expect(await knex('coderunner_config_dev_keys').count({ n: '*' })).toEqual([
      { n: 0 },
    ]);

    const keys = {
      coderunner: {
        config: {
          encryptionKeys: [
            { id: 'k1', secret: randomBytes(32).toString('base64') },
          ],
        },
      },
    };
    const configured = await Keyring.fromConfig(new ConfigReader(keys), {
      logger,
      knex,
      nodeEnv: 'production',
    });
    expect(configured).toMatchObject({
      activeKeyId: 'k1',
      developmentKey: false,
    });
    // Development keeps its convenience.
    const dev = await Keyring.fromConfig(new ConfigReader({}), {
      logger,
      knex,
      nodeEnv: 'development',
    });
    expect(dev).toMatchObject({
      activeKeyId: 'development',
      developmentKey: true,
    });
  });

  it('the shipped production config names an AgentSphere key and encryption keys, and turns guest sign-in off', () => {
    const root = path.resolve(__dirname, '../../../..');
    const production = parse(
      fs.readFileSync(path.join(root, 'app-config.production.yaml'), 'utf8'),
    );
    expect(production.coderunner.agentsphere.apiKey).toBe(
      '${AGENTSPHERE_API_KEY}',
    );
    expect(production.coderunner.config.encryptionKeys).toEqual([
      {
        id: '${CODERUNNER_ENCRYPTION_KEY_ID}',
        secret: '${CODERUNNER_ENCRYPTION_KEY}',
      },
    ]);
    expect(
      production.coderunner.runtime?.allowEmulatorInProduction,
    ).toBeUndefined();
    expect(production.auth.providers.guest).toEqual({
      dangerouslyAllowOutsideDevelopment: false,
    });
    // Nor does the base config let guests in outside development.
    const base = parse(
      fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
    );
    expect(
      base.auth.providers.guest.dangerouslyAllowOutsideDevelopment,
    ).toBeUndefined();
  });

  it('a backend with NODE_ENV=production and no encryption keys does not start', async () => {
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(
        startTestBackend({
          features: [
            coderunnerPlugin,
            catalogServiceMock.factory({ entities: [] }),
            mockServices.rootConfig.factory({
              data: { coderunner: { gateway: { enabled: false } } },
            }),
          ],
        }),
      ).rejects.toThrow(/Set coderunner\.config\.encryptionKeys/);
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  });
});
