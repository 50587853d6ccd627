import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigEncryptionStatus } from '@coderunner/plugin-coderunner-common';
import { ConfigStore } from './ConfigStore';
import { Keyring } from './Keyring';
import { SecretCipher } from './SecretCipher';

/**
 * Moves stored values to the active key: re-wraps each value's data key in batches. Runs as
 * a scheduled task; any replica may run it, and a row moved by someone else is skipped.
 *
 * @internal
 */
export class KeyRotator {
  private running = false;
  private lastRunAt?: Date;
  private lastError?: string;

  constructor(
    private readonly store: ConfigStore,
    private readonly keyring: Keyring,
    private readonly cipher: SecretCipher,
    private readonly logger: LoggerService,
  ) {}

  /** Throws with a clear message when a stored value's key is not configured. */
  async assertKeysPresent(): Promise<void> {
    const missing = [...(await this.store.countByKey()).entries()].filter(
      ([id]) => !this.keyring.has(id),
    );
    if (missing.length > 0) {
      throw new Error(
        `CodeRunner cannot start: ${missing
          .map(
            ([id, n]) =>
              `${n} stored configuration value(s) are encrypted with key "${id}"`,
          )
          .join(
            ' and ',
          )}, which coderunner.config.encryptionKeys does not list. Add the key back (it can stay inactive until rotation has moved every value to the active key).`,
      );
    }
  }

  /** Re-wraps every value not under the active key; returns how many moved. */
  async run(batchSize = 200): Promise<number> {
    this.running = true;
    let moved = 0;
    try {
      for (;;) {
        const batch = await this.store.valuesNotUnder(
          this.keyring.activeKeyId,
          batchSize,
        );
        if (batch.length === 0) break;
        let progressed = 0;
        for (const row of batch) {
          const next = this.cipher.rewrap(row.sealed, row);
          if (await this.store.rewrapValue(row, next)) {
            moved++;
            progressed++;
          }
        }
        if (progressed === 0) break;
      }
      this.lastError = undefined;
      if (moved > 0) {
        this.logger.info(
          `Moved ${moved} configuration value(s) to encryption key ${this.keyring.activeKeyId}`,
        );
      }
      return moved;
    } catch (error) {
      this.lastError = String(error);
      throw error;
    } finally {
      this.running = false;
      this.lastRunAt = new Date();
    }
  }

  async status(): Promise<ConfigEncryptionStatus> {
    const counts = await this.store.countByKey();
    const ids = [...new Set([...this.keyring.ids(), ...counts.keys()])];
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    return {
      activeKeyId: this.keyring.activeKeyId,
      developmentKey: this.keyring.developmentKey,
      keys: ids.map(id => ({
        id,
        active: id === this.keyring.activeKeyId,
        values: counts.get(id) ?? 0,
      })),
      totalValues: total,
      valuesOnActiveKey: counts.get(this.keyring.activeKeyId) ?? 0,
      rotation: {
        running: this.running,
        lastRunAt: this.lastRunAt?.toISOString(),
        lastError: this.lastError,
      },
    };
  }
}
