// API keys, kept apart from the database and never sent to the renderer or written to logs. Under
// Electron the values are encrypted with safeStorage (the shell passes its cipher in); in the headless
// shell they sit in a file that only the user can read (mode 0600).
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Cipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export class SecretStore {
  private readonly file: string;
  private readonly cipher: Cipher | null;
  constructor(dataDir: string, cipher: Cipher | null = null) {
    this.file = join(dataDir, 'secrets.json');
    this.cipher = cipher;
  }

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  get(name: string): string | null {
    const sealed = this.read()[name];
    if (sealed === undefined) return null;
    return this.cipher ? this.cipher.decrypt(sealed) : sealed;
  }

  has(name: string): boolean {
    return name in this.read();
  }

  set(name: string, value: string | null): void {
    const all = this.read();
    if (value === null || value === '') delete all[name];
    else all[name] = this.cipher ? this.cipher.encrypt(value) : value;
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(all), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }
}
