// API keys, kept apart from the database and never sent to the renderer or written to logs. One file,
// secrets.json (mode 0600), shared by every shell, with each entry saying how it is stored:
// - "safeStorage": encrypted with the OS keychain by the desktop app (Electron passes its cipher in);
// - "plaintext": written by the headless shell or the CLI, or by the desktop app where the OS offers no
//   keychain. The desktop app encrypts such entries the next time it starts.
// A shell without the cipher cannot read an encrypted entry; it says so and never sends the ciphertext.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RpcError } from '../../../shared/rpc.ts';
import { errorMessage } from '../../../shared/errors.ts';

export interface Cipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export type SecretEntry =
  { storage: 'safeStorage'; value: string } | { storage: 'plaintext'; value: string; note: string };

export interface SecretsFile {
  format: 'edgewise-secrets/2';
  entries: Record<string, SecretEntry>;
}

export const PLAINTEXT_NOTE =
  'NOT ENCRYPTED: saved by the headless shell or CLI (or where no OS keychain exists); the desktop app encrypts it when it next starts';

/**
 * Electron's safeStorage output starts with "v10" or "v11" on every platform; base64 of those starts
 * "djEw" / "djEx". Files from before entries were marked held bare strings: this tells them apart.
 */
export function looksEncrypted(value: string): boolean {
  return /^djE[wx][A-Za-z0-9+/]*={0,2}$/.test(value);
}

/** Reads either format; the old one (a bare name → string map) is classified entry by entry. */
export function parseSecrets(text: string): SecretsFile {
  const data = JSON.parse(text) as unknown;
  if (data && typeof data === 'object' && (data as SecretsFile).format === 'edgewise-secrets/2')
    return data as SecretsFile;
  const entries: Record<string, SecretEntry> = {};
  for (const [name, value] of Object.entries((data ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    entries[name] = looksEncrypted(value)
      ? { storage: 'safeStorage', value }
      : { storage: 'plaintext', value, note: PLAINTEXT_NOTE };
  }
  return { format: 'edgewise-secrets/2', entries };
}

export function sealEntry(plain: string, cipher: Cipher | null): SecretEntry {
  return cipher
    ? { storage: 'safeStorage', value: cipher.encrypt(plain) }
    : { storage: 'plaintext', value: plain, note: PLAINTEXT_NOTE };
}

const label = (name: string) => (name === 'partner' ? 'partner cloud' : name === 'private' ? 'private server' : name);

/** The key in clear, or an error that says why this shell cannot have it. */
export function openEntry(name: string, entry: SecretEntry, cipher: Cipher | null): string {
  if (entry.storage === 'plaintext') return entry.value;
  if (!cipher)
    throw new RpcError(
      'bad_input',
      `The ${label(name)} API key was saved encrypted by the Edgewise desktop app (OS keychain), which this shell cannot read. ` +
        'Enter the key again in Routing settings here (it will be stored unencrypted), or use the desktop app.',
    );
  try {
    return cipher.decrypt(entry.value);
  } catch (error) {
    throw new RpcError(
      'bad_input',
      `The ${label(name)} API key could not be decrypted with this computer's keychain (${errorMessage(error)}). Enter it again in Routing settings.`,
    );
  }
}

export class SecretStore {
  private readonly file: string;
  private readonly cipher: Cipher | null;
  constructor(dataDir: string, cipher: Cipher | null = null) {
    this.file = join(dataDir, 'secrets.json');
    this.cipher = cipher;
    if (cipher) this.encryptPlaintext();
  }

  private read(): SecretsFile {
    if (!existsSync(this.file)) return { format: 'edgewise-secrets/2', entries: {} };
    try {
      return parseSecrets(readFileSync(this.file, 'utf8'));
    } catch {
      return { format: 'edgewise-secrets/2', entries: {} };
    }
  }

  private write(data: SecretsFile): void {
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(data, null, 2), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }

  /** With a cipher, entries another shell left in plain text (or an old-format file) are encrypted now. */
  private encryptPlaintext(): void {
    if (!existsSync(this.file)) return;
    const raw = readFileSync(this.file, 'utf8');
    let data: SecretsFile;
    try {
      data = parseSecrets(raw);
    } catch {
      return; // unreadable: left as it is rather than overwritten
    }
    let changed = !raw.includes('"edgewise-secrets/2"');
    for (const [name, entry] of Object.entries(data.entries)) {
      if (entry.storage !== 'plaintext') continue;
      data.entries[name] = sealEntry(entry.value, this.cipher);
      changed = true;
    }
    if (changed) this.write(data);
  }

  get(name: string): string | null {
    const entry = this.read().entries[name];
    return entry ? openEntry(name, entry, this.cipher) : null;
  }

  has(name: string): boolean {
    return name in this.read().entries;
  }

  set(name: string, value: string | null): void {
    const data = this.read();
    if (value === null || value === '') delete data.entries[name];
    else data.entries[name] = sealEntry(value, this.cipher);
    this.write(data);
  }
}
