import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import { Keyring } from './Keyring';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * What a ciphertext is bound to: decrypting it under any other entity, scope or name fails,
 * so a ciphertext copied to another row is useless.
 *
 * @internal
 */
export interface ValueBinding {
  entityRef: string;
  scope: string;
  name: string;
}

/**
 * An encrypted value as stored: the value under a fresh data key, and the data key wrapped
 * by a key-encryption key from the keyring.
 *
 * @internal
 */
export interface SealedValue {
  keyId: string;
  wrappedKey: string;
  ciphertext: string;
  fingerprint: string;
}

function associatedData(binding: ValueBinding): Buffer {
  return Buffer.from(
    JSON.stringify([binding.entityRef, binding.scope, binding.name]),
    'utf8',
  );
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
}

function open(key: Buffer, sealed: string, aad: Buffer): Buffer {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < NONCE_BYTES + TAG_BYTES) {
    throw new Error('The stored ciphertext is truncated');
  }
  const decipher = createDecipheriv(
    'aes-256-gcm',
    key,
    bytes.subarray(0, NONCE_BYTES),
  );
  decipher.setAAD(aad);
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([
    decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
    decipher.final(),
  ]);
}

/**
 * Envelope encryption of configuration values with AES-256-GCM: every value gets a fresh
 * data key and fresh 96-bit nonces; the entity, scope and name are the associated data of
 * both layers. Rotation re-wraps only the data key.
 *
 * @internal
 */
export class SecretCipher {
  constructor(private readonly keyring: Keyring) {}

  get activeKeyId(): string {
    return this.keyring.activeKeyId;
  }

  encrypt(value: string, binding: ValueBinding): SealedValue {
    const aad = associatedData(binding);
    const dataKey = randomBytes(32);
    try {
      return {
        keyId: this.keyring.activeKeyId,
        wrappedKey: seal(
          this.keyring.key(this.keyring.activeKeyId),
          dataKey,
          aad,
        ),
        ciphertext: seal(dataKey, Buffer.from(value, 'utf8'), aad),
        fingerprint: this.fingerprint(value, binding),
      };
    } finally {
      dataKey.fill(0);
    }
  }

  /** The value; throws when the key is missing or anything was tampered with. */
  decrypt(
    sealed: Omit<SealedValue, 'fingerprint'>,
    binding: ValueBinding,
  ): string {
    const aad = associatedData(binding);
    let dataKey: Buffer;
    try {
      dataKey = open(this.keyring.key(sealed.keyId), sealed.wrappedKey, aad);
    } catch (error) {
      throw new Error(
        `Cannot decrypt ${binding.name} (${binding.scope}) of ${
          binding.entityRef
        }: ${(error as Error).message}`,
      );
    }
    try {
      return open(dataKey, sealed.ciphertext, aad).toString('utf8');
    } catch (error) {
      throw new Error(
        `Cannot decrypt ${binding.name} (${binding.scope}) of ${
          binding.entityRef
        }: ${(error as Error).message}`,
      );
    } finally {
      dataKey.fill(0);
    }
  }

  /** Wraps the value's data key with the active key; the value's ciphertext stays as it is. */
  rewrap(
    sealed: Pick<SealedValue, 'keyId' | 'wrappedKey'>,
    binding: ValueBinding,
  ): Pick<SealedValue, 'keyId' | 'wrappedKey'> {
    const aad = associatedData(binding);
    const dataKey = open(
      this.keyring.key(sealed.keyId),
      sealed.wrappedKey,
      aad,
    );
    try {
      return {
        keyId: this.keyring.activeKeyId,
        wrappedKey: seal(
          this.keyring.key(this.keyring.activeKeyId),
          dataKey,
          aad,
        ),
      };
    } finally {
      dataKey.fill(0);
    }
  }

  /**
   * 12 hex digits of an HMAC of the value under a key derived from the active key: enough to
   * see that two values differ, useless for guessing a value without the key.
   */
  fingerprint(value: string, binding: ValueBinding): string {
    const key = Buffer.from(
      hkdfSync(
        'sha256',
        this.keyring.key(this.keyring.activeKeyId),
        Buffer.alloc(0),
        'coderunner config fingerprint',
        32,
      ),
    );
    return createHmac('sha256', key)
      .update(associatedData(binding))
      .update('\0')
      .update(value, 'utf8')
      .digest('hex')
      .slice(0, 12);
  }
}
