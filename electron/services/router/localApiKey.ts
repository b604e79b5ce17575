// The key for the OpenAI-compatible API (/v1), kept with the other secrets (secrets.json) so a client
// configured once keeps working across restarts, and rotatable (Settings, or `edgewise serve
// --rotate-api-key`). A key given on the command line is used for that run only and not stored.
import { randomBytes } from 'node:crypto';
import { errorMessage } from '../../../shared/errors.ts';
import type { SecretStore } from './secretStore.ts';

export const LOCAL_API_SECRET = 'local-api';

const newKey = () => `ew-${randomBytes(24).toString('base64url')}`;

export class LocalApiKey {
  private key: string;
  private readonly secrets: SecretStore;
  /** Why the key could not be kept (an entry this shell cannot read): it then lasts this run only. */
  readonly problem: string | null = null;

  constructor(secrets: SecretStore, given?: string) {
    this.secrets = secrets;
    if (given) {
      this.key = given;
      return;
    }
    let stored: string | null = null;
    try {
      stored = secrets.get(LOCAL_API_SECRET);
    } catch (error) {
      this.problem = `the stored API key could not be read (${errorMessage(error)}); a key for this run only is used`;
      this.key = newKey();
      return;
    }
    this.key = stored ?? newKey();
    if (!stored) secrets.set(LOCAL_API_SECRET, this.key);
  }

  current(): string {
    return this.key;
  }

  /** A new key, stored; the old one stops working at once. */
  rotate(): string {
    this.key = newKey();
    this.secrets.set(LOCAL_API_SECRET, this.key);
    return this.key;
  }
}
