import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { randomBytes } from 'node:crypto';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  migrateDatabaseDown,
  migrateDatabaseUp,
} from '../database/migrateDatabase';
import { ConfigApplier, ConfigChanges } from './ConfigChanges';
import { ConfigHistory } from './ConfigHistory';
import { ConfigTransfer } from './ConfigTransfer';
import { ConfigValues } from './ConfigValues';
import { DatabaseConfigStore } from './DatabaseConfigStore';
import { ReleaseConfig } from './ReleaseConfig';
import { Keyring } from './Keyring';
import { KeyRotator } from './KeyRotator';
import { SecretCipher } from './SecretCipher';

// Databases are set up and migrated in hooks: slow on a busy machine.
jest.setTimeout(60_000);

const databases = createTestDatabases();
const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'shop', namespace: 'default' },
  spec: {},
};
const ref = 'component:default/shop';
const environments = ['development', 'production'];
const SECRET = 'sk_live_very_secret_value_123';

function keyring(keys: Record<string, Buffer>, active: string) {
  return Keyring.of(
    Object.entries(keys).map(([id, secret]) => ({ id, secret })),
    active,
  );
}

async function setup(knex: Knex, ring: Keyring, applier?: ConfigApplier) {
  const store = await DatabaseConfigStore.create({ knex });
  const cipher = new SecretCipher(ring);
  const values = new ConfigValues(store, cipher, environments);
  return {
    store,
    cipher,
    history: new ConfigHistory(store, values),
    changes: new ConfigChanges(store, values, { applier }),
    release: new ReleaseConfig(store, values),
    transfer: new ConfigTransfer(store, values),
    rotator: new KeyRotator(store, ring, cipher, mockServices.logger.mock()),
  };
}

describe.each(databases.eachSupportedId())(
  'ConfigService on %p',
  databaseId => {
    let knex: Knex;
    const k1 = randomBytes(32);

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await migrateDatabaseUp(knex);
    });
    afterAll(async () => {
      await knex.destroy();
    });
    beforeEach(async () => {
      for (const table of [
        'coderunner_config_values',
        'coderunner_config_versions',
        'coderunner_config_audit',
      ]) {
        await knex(table).delete();
      }
    });

    it('migrates down and up again', async () => {
      await migrateDatabaseDown(knex);
      expect(await knex.schema.hasTable('coderunner_config_values')).toBe(
        false,
      );
      await migrateDatabaseUp(knex);
      expect(await knex.schema.hasTable('coderunner_config_values')).toBe(true);
    });

    it('versions change sets, shows secrets only as set, and merges shared under environment values', async () => {
      const { history, changes, release } = await setup(
        knex,
        keyring({ k1 }, 'k1'),
      );
      const first = await changes.change(
        entity,
        {
          message: 'first',
          changes: [
            { scope: 'shared', name: 'GREETING', value: 'hello' },
            { scope: 'shared', name: 'LOG_LEVEL', value: 'info' },
            { scope: 'production', name: 'LOG_LEVEL', value: 'warn' },
            {
              scope: 'production',
              name: 'API_TOKEN',
              value: SECRET,
              secret: true,
            },
          ],
        },
        'user:default/ada',
      );
      expect(first.version).toMatchObject({
        version: 1,
        author: 'user:default/ada',
        scopes: ['production', 'shared'],
      });

      const snapshot = await history.snapshot(ref);
      const token = snapshot.scopes.production.find(
        v => v.name === 'API_TOKEN',
      )!;
      expect(token).toMatchObject({
        secret: true,
        updatedBy: 'user:default/ada',
        version: 1,
      });
      expect(token.value).toBeUndefined();
      expect(token.fingerprint).toMatch(/^[0-9a-f]{12}$/);
      expect(JSON.stringify(snapshot)).not.toContain(SECRET);

      expect(await release.variables(ref, 'production', 1)).toEqual({
        GREETING: 'hello',
        LOG_LEVEL: 'warn',
        API_TOKEN: SECRET,
      });
      expect(await release.variables(ref, 'development', 1)).toEqual({
        GREETING: 'hello',
        LOG_LEVEL: 'info',
      });
      expect(await release.currentVersion(ref, 'development')).toBe(1);

      await changes.change(
        entity,
        {
          changes: [
            { scope: 'production', name: 'API_TOKEN', value: 'another-secret' },
            { scope: 'production', name: 'LOG_LEVEL', delete: true },
          ],
        },
        'user:default/bob',
      );
      // Only production changed: development's current version stays 1.
      expect(await release.currentVersion(ref, 'development')).toBe(1);
      expect(await release.currentVersion(ref, 'production')).toBe(2);
      // A release pinned to version 1 still starts with version 1's values.
      expect((await release.variables(ref, 'production', 1)).API_TOKEN).toBe(
        SECRET,
      );

      const diff = await history.diff(ref, 1, 2);
      expect(diff.entries).toEqual([
        {
          scope: 'production',
          name: 'API_TOKEN',
          change: 'changed',
          secret: true,
          before: undefined,
          after: undefined,
        },
        {
          scope: 'production',
          name: 'LOG_LEVEL',
          change: 'removed',
          secret: false,
          before: 'warn',
        },
      ]);

      const rolled = await changes.rollback(entity, 1, 'user:default/ada');
      expect(rolled.version).toMatchObject({ version: 3, rollbackOf: 1 });
      expect(await release.variables(ref, 'production', 3)).toEqual(
        await release.variables(ref, 'production', 1),
      );
      expect((await history.diff(ref, 1, 3)).entries).toEqual([]);

      const audit = await history.audit(ref, {});
      expect(audit.map(a => [a.action, a.version, a.actor])).toEqual([
        ['rollback', 3, 'user:default/ada'],
        ['change', 2, 'user:default/bob'],
        ['change', 1, 'user:default/ada'],
      ]);
      expect(
        (await history.audit(ref, { name: 'GREETING' })).map(a => a.version),
      ).toEqual([1]);
      expect(JSON.stringify(audit)).not.toContain(SECRET);
    });

    it('refuses bad names, reserved names, oversized values and no-op saves with reasons, saving nothing', async () => {
      const { changes, store } = await setup(knex, keyring({ k1 }, 'k1'));
      await expect(
        changes.change(
          entity,
          {
            changes: [
              { scope: 'shared', name: 'PORT', value: '1' },
              { scope: 'shared', name: 'CODERUNNER_RELEASE', value: '1' },
              { scope: 'shared', name: '1BAD', value: '1' },
              { scope: 'shared', name: 'BIG', value: 'x'.repeat(40_000) },
              { scope: 'nowhere', name: 'OK', value: '1' },
            ],
          },
          'user:default/ada',
        ),
      ).rejects.toThrow(
        /PORT is reserved.*CODERUNNER_ are reserved.*letters, digits and underscores.*at most 32 KiB.*unknown scope/s,
      );
      expect(await store.latestVersion(ref)).toBe(0);

      await changes.change(
        entity,
        { changes: [{ scope: 'shared', name: 'A', value: '1' }] },
        'u',
      );
      await expect(
        changes.change(
          entity,
          { changes: [{ scope: 'shared', name: 'A', value: '1' }] },
          'u',
        ),
      ).rejects.toThrow(/Nothing to save/);
      // Saving a secret's own value again is a change too: a save cannot confirm a guess.
      await changes.change(
        entity,
        {
          changes: [
            { scope: 'shared', name: 'S', value: 'guess', secret: true },
          ],
        },
        'u',
      );
      await expect(
        changes.change(
          entity,
          { changes: [{ scope: 'shared', name: 'S', value: 'guess' }] },
          'u',
        ),
      ).resolves.toMatchObject({
        version: {
          changes: [{ scope: 'shared', name: 'S', change: 'changed' }],
        },
      });
      await expect(
        changes.change(
          entity,
          {
            expectedVersion: 0,
            changes: [{ scope: 'shared', name: 'A', value: '2' }],
          },
          'u',
        ),
      ).rejects.toThrow(/changed meanwhile/);
    });

    it('stores no plaintext value anywhere in the database', async () => {
      const { history, changes } = await setup(knex, keyring({ k1 }, 'k1'));
      await changes.change(
        entity,
        {
          changes: [
            {
              scope: 'production',
              name: 'API_TOKEN',
              value: SECRET,
              secret: true,
            },
            { scope: 'shared', name: 'PLAIN', value: 'visible-but-encrypted' },
          ],
        },
        'user:default/ada',
      );
      await history.reveal(ref, 'production', 'API_TOKEN', 'user:default/ada');
      for (const table of [
        'coderunner_config_values',
        'coderunner_config_versions',
        'coderunner_config_audit',
      ]) {
        const raw = JSON.stringify(await knex(table).select());
        expect(raw).not.toContain(SECRET);
        expect(raw).not.toContain(Buffer.from(SECRET).toString('base64'));
        expect(raw).not.toContain(Buffer.from(SECRET).toString('hex'));
      }
    });

    it('rotates: old values stay readable, every value ends under the new key, and a missing key stops start-up', async () => {
      const before = await setup(knex, keyring({ k1 }, 'k1'));
      for (let i = 0; i < 5; i++) {
        await before.changes.change(
          entity,
          {
            changes: [
              {
                scope: 'production',
                name: `TOKEN_${i}`,
                value: `${SECRET}-${i}`,
                secret: true,
              },
            ],
          },
          'u',
        );
      }
      const k2 = randomBytes(32);
      const after = await setup(knex, keyring({ k1, k2 }, 'k2'));
      await after.changes.change(
        entity,
        { changes: [{ scope: 'shared', name: 'NEW', value: 'under-k2' }] },
        'u',
      );
      expect((await after.rotator.status()).keys).toEqual(
        expect.arrayContaining([
          { id: 'k1', active: false, values: 5 },
          { id: 'k2', active: true, values: 1 },
        ]),
      );
      expect(
        await after.history.reveal(ref, 'production', 'TOKEN_0', 'u'),
      ).toBe(`${SECRET}-0`);

      expect(await after.rotator.run(2)).toBe(5);
      const status = await after.rotator.status();
      expect(status).toMatchObject({
        totalValues: 6,
        valuesOnActiveKey: 6,
        rotation: { running: false },
      });
      expect(
        (await knex('coderunner_config_values').distinct('key_id')).map(
          r => r.key_id,
        ),
      ).toEqual(['k2']);

      const onlyK2 = await setup(knex, keyring({ k2 }, 'k2'));
      expect(
        await onlyK2.release.variables(ref, 'production', 5),
      ).toMatchObject({ TOKEN_4: `${SECRET}-4` });
      await expect(onlyK2.rotator.assertKeysPresent()).resolves.toBeUndefined();

      const onlyK3 = await setup(knex, keyring({ k3: randomBytes(32) }, 'k3'));
      await expect(onlyK3.rotator.assertKeysPresent()).rejects.toThrow(
        /6 stored configuration value\(s\) are encrypted with key "k2", which coderunner.config.encryptionKeys does not list/,
      );
    });

    it('reads keys from app-config, or generates and keeps a development key', async () => {
      const logger = mockServices.logger.mock();
      const dev = await Keyring.fromConfig(new ConfigReader({}), {
        logger,
        knex,
      });
      expect(dev).toMatchObject({
        activeKeyId: 'development',
        developmentKey: true,
      });
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('GENERATED DEVELOPMENT KEY'),
      );
      const again = await Keyring.fromConfig(new ConfigReader({}), {
        logger,
        knex,
      });
      expect(again.key('development')).toEqual(dev.key('development'));

      const secret = randomBytes(32).toString('base64');
      const configured = await Keyring.fromConfig(
        new ConfigReader({
          coderunner: {
            config: {
              encryptionKeys: [
                { id: 'a', secret, active: true },
                { id: 'b', secret },
              ],
            },
          },
        }),
        { logger, knex },
      );
      expect(configured.activeKeyId).toBe('a');
      expect(configured.ids()).toEqual(['a', 'b', 'development']);
      await expect(
        Keyring.fromConfig(
          new ConfigReader({
            coderunner: {
              config: { encryptionKeys: [{ id: 'a', secret: 'c2hvcnQ=' }] },
            },
          }),
          { logger, knex },
        ),
      ).rejects.toThrow(/must be 32 random bytes in base64/);
    });

    it('previews imports and templates, exports without secrets, and applies to running deployments', async () => {
      const applier: ConfigApplier = {
        list: async () => [
          {
            environment: 'production',
            desiredState: 'running',
            activeRelease: { number: 4 },
          } as any,
          { environment: 'development', desiredState: 'running' } as any,
        ],
        redeployWithConfig: jest.fn(async () => ({
          release: { number: 5 } as any,
        })),
      };
      const { changes, transfer } = await setup(
        knex,
        keyring({ k1 }, 'k1'),
        applier,
      );
      await changes.change(
        entity,
        {
          changes: [
            { scope: 'production', name: 'KEEP', value: 'same' },
            { scope: 'production', name: 'TOKEN', value: SECRET, secret: true },
          ],
        },
        'u',
      );

      const preview = await transfer.previewImport(ref, {
        scope: 'production',
        format: 'env',
        content: 'KEEP=same\nNEW="a b"\nbroken line\nTOKEN=rotated\n',
        mode: 'replace',
      });
      expect(preview.unchanged).toEqual(['KEEP']);
      expect(preview.problems).toEqual([
        { line: 3, message: expect.stringContaining('Not a NAME=value line') },
      ]);
      expect(preview.changes).toEqual([
        { scope: 'production', name: 'NEW', value: 'a b', secret: false },
        { scope: 'production', name: 'TOKEN', value: 'rotated', secret: true },
      ]);
      expect(preview.entries.find(e => e.name === 'TOKEN')).toMatchObject({
        change: 'changed',
        secret: true,
        after: undefined,
      });

      // The stored secret is compared with the import only for callers who may reveal it.
      const guess = (mayReveal: boolean) =>
        transfer.previewImport(
          ref,
          {
            scope: 'production',
            format: 'env',
            content: `TOKEN=${SECRET}\nKEEP=same`,
          },
          { mayReveal },
        );
      expect(await guess(false)).toMatchObject({
        unchanged: ['KEEP'],
        changes: [{ name: 'TOKEN', secret: true }],
      });
      expect(await guess(true)).toMatchObject({
        unchanged: ['TOKEN', 'KEEP'],
        changes: [],
      });
      await expect(
        transfer.previewImport(ref, {
          scope: 'production',
          format: 'env',
          content: `A=${'é'.repeat(128 * 1024)}`,
        }),
      ).rejects.toThrow(
        'The import is 262146 bytes; the limit is 262144 bytes (coderunner.config.importMaxBytes)',
      );

      const template = await transfer.previewTemplate(
        ref,
        'postgresql',
        'production',
      );
      expect(template.changes.map(c => c.name)).toContain('DATABASE_URL');
      expect(template.problems).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('DATABASE_URL is required'),
        }),
      ]);

      const exported = await transfer.export(ref, 'production', 'env', {
        includeSecrets: false,
        actor: 'u',
      });
      expect(exported).toEqual({
        format: 'env',
        content: 'KEEP=same\n',
        omittedSecrets: ['TOKEN'],
      });
      const withSecrets = await transfer.export(ref, 'production', 'json', {
        includeSecrets: true,
        actor: 'u',
      });
      expect(JSON.parse(withSecrets.content)).toEqual({
        KEEP: 'same',
        TOKEN: SECRET,
      });

      const saved = await changes.change(
        entity,
        { apply: true, changes: preview.changes },
        'user:default/ada',
      );
      expect(saved.applied).toEqual([
        { environment: 'production', releaseNumber: 5 },
      ]);
      expect(saved.pending).toEqual(['development'].filter(() => false));
      expect(applier.redeployWithConfig).toHaveBeenCalledWith(
        entity,
        'production',
        'user:default/ada',
      );
      const shared = await changes.change(
        entity,
        { changes: [{ scope: 'shared', name: 'S', value: '1' }] },
        'u',
      );
      expect(shared).toMatchObject({
        applied: [],
        pending: ['production', 'development'],
      });
    });
  },
);
