import { InputError } from '@backstage/errors';
import { SHARED_CONFIG_SCOPE } from '@coderunner/plugin-coderunner-common';
import { ConfigStore, StoredConfigValue } from './ConfigStore';
import { SealedValue, SecretCipher, ValueBinding } from './SecretCipher';

/** One key per scope and name, for maps of values. @internal */
export const keyOf = (value: { scope: string; name: string }) =>
  `${value.scope}\u0000${value.name}`;

/**
 * Reading and sealing stored values, shared by the config services: the scopes there are,
 * the values of a scope now, a value's plaintext, and a new value's ciphertext.
 *
 * @internal
 */
export class ConfigValues {
  constructor(
    private readonly store: ConfigStore,
    private readonly cipher: SecretCipher,
    readonly environments: string[],
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
  decrypt(value: StoredConfigValue): string {
    return this.cipher.decrypt(value.sealed, value);
  }

  /** A new value's ciphertext, bound to its entity, scope and name. */
  seal(plaintext: string, binding: ValueBinding): SealedValue {
    return this.cipher.encrypt(plaintext, binding);
  }

  /** Whether two stored values are both secret or both not, with the same plaintext. */
  same(a: StoredConfigValue, b: StoredConfigValue): boolean {
    return a.secret === b.secret && this.decrypt(a) === this.decrypt(b);
  }

  /** The values of one scope in the newest version, by name. */
  async current(
    entityRef: string,
    scope: string,
  ): Promise<Map<string, StoredConfigValue>> {
    const latest = await this.store.latestVersion(entityRef);
    const rows = (await this.store.valuesAt(entityRef, latest)).filter(
      r => r.scope === scope,
    );
    return new Map(rows.map(r => [r.name, r]));
  }
}
