import { randomBytes } from 'node:crypto';
import { Keyring } from './Keyring';
import { SecretCipher } from './SecretCipher';

const binding = {
  entityRef: 'component:default/shop',
  scope: 'production',
  name: 'API_TOKEN',
};

function flip(base64: string, index: number): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[index] ^= 0x01;
  return bytes.toString('base64');
}

describe('SecretCipher', () => {
  const keyring = Keyring.of([{ id: 'k1', secret: randomBytes(32) }], 'k1');
  const cipher = new SecretCipher(keyring);

  it('round-trips values, including empty, multi-line and non-ASCII ones', () => {
    for (const value of ['s3cr3t', '', 'line 1\nline 2', 'pässwörd 🔑']) {
      const sealed = cipher.encrypt(value, binding);
      expect(sealed.keyId).toBe('k1');
      expect(sealed.ciphertext).not.toContain(value || '\u0000');
      expect(cipher.decrypt(sealed, binding)).toBe(value);
    }
  });

  it('uses a fresh data key and nonce for every value', () => {
    const a = cipher.encrypt('same', binding);
    const b = cipher.encrypt('same', binding);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.wrappedKey).not.toBe(b.wrappedKey);
    expect(Buffer.from(a.ciphertext, 'base64').subarray(0, 12)).not.toEqual(
      Buffer.from(b.ciphertext, 'base64').subarray(0, 12),
    );
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(cipher.encrypt('other', binding).fingerprint).not.toBe(
      a.fingerprint,
    );
  });

  it('refuses a tampered ciphertext, nonce, tag or wrapped key', () => {
    const sealed = cipher.encrypt('s3cr3t-value', binding);
    const length = Buffer.from(sealed.ciphertext, 'base64').length;
    for (const index of [0, 12, length - 1]) {
      expect(() =>
        cipher.decrypt(
          { ...sealed, ciphertext: flip(sealed.ciphertext, index) },
          binding,
        ),
      ).toThrow(/Cannot decrypt API_TOKEN/);
    }
    expect(() =>
      cipher.decrypt(
        { ...sealed, wrappedKey: flip(sealed.wrappedKey, 20) },
        binding,
      ),
    ).toThrow(/Cannot decrypt/);
  });

  it('binds each value to its entity, scope and name', () => {
    const sealed = cipher.encrypt('s3cr3t-value', binding);
    for (const other of [
      { ...binding, name: 'OTHER_TOKEN' },
      { ...binding, scope: 'staging' },
      { ...binding, entityRef: 'component:default/other' },
    ]) {
      expect(() => cipher.decrypt(sealed, other)).toThrow(/Cannot decrypt/);
    }
  });

  it('re-wraps under a new active key and says which key is missing', () => {
    const old = cipher.encrypt('s3cr3t-value', binding);
    const next = new SecretCipher(
      Keyring.of(
        [
          { id: 'k1', secret: keyring.key('k1') },
          { id: 'k2', secret: randomBytes(32) },
        ],
        'k2',
      ),
    );
    const moved = { ...old, ...next.rewrap(old, binding) };
    expect(moved.keyId).toBe('k2');
    expect(next.decrypt(moved, binding)).toBe('s3cr3t-value');
    const withoutOld = new SecretCipher(
      Keyring.of([{ id: 'k3', secret: randomBytes(32) }], 'k3'),
    );
    expect(() => withoutOld.decrypt(old, binding)).toThrow(
      /encryption key "k1" is not configured/,
    );
  });
});
