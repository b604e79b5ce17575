import { describe, expect, it } from 'vitest';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../tests/fixtures.ts';
import { looksEncrypted, SecretStore, type Cipher } from './secretStore.ts';

/**
 * Electron's safeStorage cannot run here. This cipher produces what it produces, as far as the store can
 * tell: "v10" followed by AES-GCM output, in base64, and it refuses ciphertext from another key.
 */
function keychainCipher(key = randomBytes(32)): Cipher {
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([Buffer.from('v10'), iv, c.getAuthTag(), body]).toString('base64');
    },
    decrypt(sealed) {
      const raw = Buffer.from(sealed, 'base64');
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(3, 15));
      d.setAuthTag(raw.subarray(15, 31));
      return Buffer.concat([d.update(raw.subarray(31)), d.final()]).toString('utf8');
    },
  };
}

const KEY = 'sk-partner-0123456789abcdef';
const fileOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'));

describe('one secrets file for every shell', () => {
  it('a key saved by the headless shell is marked plain text, read by the desktop app and encrypted there', () => {
    const dir = tempDir();
    new SecretStore(dir, null).set('partner', KEY);
    expect(fileOf(dir).entries.partner).toMatchObject({ storage: 'plaintext', value: KEY, note: /NOT ENCRYPTED/ });
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);

    const cipher = keychainCipher();
    const desktop = new SecretStore(dir, cipher);
    expect(fileOf(dir).entries.partner.storage).toBe('safeStorage');
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain(KEY);
    expect(desktop.get('partner')).toBe(KEY);
    // A second desktop start reads the same key from the encrypted entry.
    expect(new SecretStore(dir, cipher).get('partner')).toBe(KEY);
  });

  it('a key the desktop app encrypted is refused by the headless shell with a clear message, never sent as is', () => {
    const dir = tempDir();
    new SecretStore(dir, keychainCipher()).set('partner', KEY);
    const sealed = fileOf(dir).entries.partner.value as string;
    expect(sealed).not.toContain(KEY);
    const headless = new SecretStore(dir, null);
    expect(headless.has('partner')).toBe(true);
    expect(() => headless.get('partner')).toThrow(
      /partner cloud API key was saved encrypted by the Edgewise desktop app.*Enter the key again/,
    );
    // Entering it again in the headless shell replaces it, and the desktop app takes it over from there.
    headless.set('partner', `${KEY}-2`);
    expect(headless.get('partner')).toBe(`${KEY}-2`);
    const cipher = keychainCipher();
    expect(new SecretStore(dir, cipher).get('partner')).toBe(`${KEY}-2`);
  });

  it('a key encrypted with another keychain says it cannot be decrypted', () => {
    const dir = tempDir();
    new SecretStore(dir, keychainCipher()).set('private', KEY);
    expect(() => new SecretStore(dir, keychainCipher()).get('private')).toThrow(
      /private server API key could not be decrypted with this computer's keychain/,
    );
  });

  it('migrates the old unmarked file: plain text from the headless shell, ciphertext from Electron', () => {
    const cipher = keychainCipher();
    expect(looksEncrypted(cipher.encrypt(KEY))).toBe(true);
    expect(looksEncrypted(KEY)).toBe(false);
    const dir = tempDir();
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ partner: cipher.encrypt(KEY), private: 'pk-private' }));
    expect(() => new SecretStore(dir, null).get('partner')).toThrow(/saved encrypted by the Edgewise desktop app/);
    expect(new SecretStore(dir, null).get('private')).toBe('pk-private');

    const desktop = new SecretStore(dir, cipher);
    expect(desktop.get('partner')).toBe(KEY);
    expect(desktop.get('private')).toBe('pk-private');
    expect(fileOf(dir)).toMatchObject({
      format: 'edgewise-secrets/2',
      entries: { partner: { storage: 'safeStorage' }, private: { storage: 'safeStorage' } },
    });
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('pk-private');
  });

  it('leaves an unreadable file alone instead of overwriting it at start', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'secrets.json'), '{ not json');
    new SecretStore(dir, keychainCipher());
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).toBe('{ not json');
  });
});
