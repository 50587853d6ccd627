import { InputError } from '@backstage/errors';
import { SHARED_CONFIG_SCOPE } from '@coderunner/plugin-coderunner-common';
import { ConfigStore, ConfigValueRow } from './ConfigStore';
import { SecretCipher } from './SecretCipher';

/**
 * Reading stored values, shared by the config services: the scopes there are, the values of
 * a scope now, and a value's plaintext.
 *
 * @internal
 */
export class ConfigValues {
  constructor(
    private readonly store: ConfigStore,
    private readonly cipher: SecretCipher,
    private readonly environments: string[],
  ) {}

  /** `shared`, then every environment. */
  get scopes(): string[] {
    return [SHARED_CONFIG_SCOPE, ...this.environments];
  }

  /** An InputError naming the scopes there are, unless `scope` is one. */
  assertScope(scope: string) {
    if (!this.scopes.includes(scope)) {
      throw new InputError(
        `Unknown scope "${scope}"; use one of ${this.scopes.join(', ')}.`,
      );
    }
  }

  /** The plaintext of a stored value; its ciphertext is bound to its entity, scope and name. */
  decrypt(row: ConfigValueRow): string {
    return this.cipher.decrypt(
      {
        keyId: row.key_id,
        wrappedKey: row.wrapped_key,
        ciphertext: row.ciphertext,
      },
      { entityRef: row.entity_ref, scope: row.scope, name: row.name },
    );
  }

  /** The values of one scope in the newest version, by name. */
  async current(
    entityRef: string,
    scope: string,
  ): Promise<Map<string, ConfigValueRow>> {
    const latest = await this.store.latestVersion(entityRef);
    const rows = (await this.store.valuesAt(entityRef, latest)).filter(
      r => r.scope === scope,
    );
    return new Map(rows.map(r => [r.name, r]));
  }
}
