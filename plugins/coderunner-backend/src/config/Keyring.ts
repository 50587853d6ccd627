import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { randomBytes } from 'node:crypto';
import { Knex } from 'knex';

/** The id of the key generated when no keys are configured. */
export const DEVELOPMENT_KEY_ID = 'development';

const DEV_KEYS_TABLE = 'coderunner_config_dev_keys';

/**
 * The key-encryption keys, by id, and which one encrypts new values. Keys come from
 * `coderunner.config.encryptionKeys`; older keys stay listed so that what they encrypted
 * stays readable until the rotation task has moved it to the active key.
 *
 * @internal
 */
export class Keyring {
  private constructor(
    private readonly keys: Map<string, Buffer>,
    readonly activeKeyId: string,
    readonly developmentKey: boolean,
  ) {}

  /** A keyring of the given keys; the active one encrypts. */
  static of(
    keys: { id: string; secret: Buffer }[],
    activeKeyId: string,
    developmentKey = false,
  ) {
    const map = new Map(keys.map(k => [k.id, k.secret]));
    if (!map.has(activeKeyId)) {
      throw new Error(
        `The active encryption key ${activeKeyId} is not in the keyring`,
      );
    }
    return new Keyring(map, activeKeyId, developmentKey);
  }

  /**
   * Reads the keys from app-config. Without any, uses a generated development key kept in
   * the database, with a loud warning: anyone who can read the database can read the values.
   * With `NODE_ENV=production` (`nodeEnv`) it refuses to: production needs configured keys.
   */
  static async fromConfig(
    config: Config,
    options: { logger: LoggerService; knex: Knex; nodeEnv?: string },
  ): Promise<Keyring> {
    const entries =
      config.getOptionalConfigArray('coderunner.config.encryptionKeys') ?? [];
    const nodeEnv = options.nodeEnv ?? process.env.NODE_ENV;
    if (entries.length === 0 && nodeEnv === 'production') {
      throw new Error(
        'CodeRunner refuses the generated development encryption key with NODE_ENV=production: it is stored in the same database as the values it protects. ' +
          'Set coderunner.config.encryptionKeys, e.g. [{ id: "2026-01", secret: <output of "openssl rand -base64 32"> }], from a secret store.',
      );
    }
    const devKey = await options
      .knex(DEV_KEYS_TABLE)
      .where({ id: DEVELOPMENT_KEY_ID })
      .first();
    if (entries.length === 0) {
      options.logger.warn(
        '!!! coderunner.config.encryptionKeys is not set: configuration values are encrypted with a GENERATED DEVELOPMENT KEY stored in the same database. Anyone who can read the database can read every secret. Configure real keys before storing real secrets. !!!',
      );
      let secret: Buffer;
      if (devKey) {
        secret = Buffer.from(devKey.secret, 'base64');
      } else {
        secret = randomBytes(32);
        await options.knex(DEV_KEYS_TABLE).insert({
          id: DEVELOPMENT_KEY_ID,
          secret: secret.toString('base64'),
        });
      }
      return Keyring.of(
        [{ id: DEVELOPMENT_KEY_ID, secret }],
        DEVELOPMENT_KEY_ID,
        true,
      );
    }

    const keys: { id: string; secret: Buffer }[] = [];
    const active: string[] = [];
    for (const [index, entry] of entries.entries()) {
      const where = `coderunner.config.encryptionKeys[${index}]`;
      const id = entry.getString('id');
      if (!/^[A-Za-z0-9._-]{1,63}$/.test(id)) {
        throw new Error(
          `${where}.id must be 1 to 63 letters, digits, dots, dashes or underscores`,
        );
      }
      if (keys.some(k => k.id === id)) {
        throw new Error(`${where}.id: the key id ${id} is used twice`);
      }
      const secret = Buffer.from(entry.getString('secret'), 'base64');
      if (secret.length !== 32) {
        throw new Error(
          `${where}.secret must be 32 random bytes in base64 (e.g. from "openssl rand -base64 32"); it decodes to ${secret.length} bytes`,
        );
      }
      keys.push({ id, secret });
      if (entry.getOptionalBoolean('active')) {
        active.push(id);
      }
    }
    if (active.length > 1) {
      throw new Error(
        `Only one entry of coderunner.config.encryptionKeys may be active; ${active.join(
          ' and ',
        )} are`,
      );
    }
    if (devKey && !keys.some(k => k.id === DEVELOPMENT_KEY_ID)) {
      options.logger.warn(
        'The generated development key is still in the database; values under it are moved to the active key by the rotation task.',
      );
      keys.push({
        id: DEVELOPMENT_KEY_ID,
        secret: Buffer.from(devKey.secret, 'base64'),
      });
    }
    return Keyring.of(keys, active[0] ?? keys[entries.length - 1].id);
  }

  /** The key with this id; throws when it is not configured. */
  key(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key) {
      throw new Error(
        `The encryption key "${id}" is not configured; add it back to coderunner.config.encryptionKeys`,
      );
    }
    return key;
  }

  has(id: string): boolean {
    return this.keys.has(id);
  }

  ids(): string[] {
    return [...this.keys.keys()];
  }
}
