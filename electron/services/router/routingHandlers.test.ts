import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../../../tests/fixtures.ts';
import { ConversationStore } from '../store/conversationStore.ts';
import { openDatabase } from '../store/database.ts';
import { SettingsStore } from '../store/settingsStore.ts';
import { ConsentGate } from './consentGate.ts';
import { LOCAL_API_SECRET, LocalApiKey } from './localApiKey.ts';
import { routingHandlers, type LocalApiAccess } from './routingHandlers.ts';
import { RoutingService } from './routingService.ts';
import { SecretStore } from './secretStore.ts';

function handlers(localApi?: LocalApiAccess) {
  const db = openDatabase(join(tempDir(), 'edgewise.db'));
  const secrets = new SecretStore(tempDir());
  return routingHandlers({
    routing: new RoutingService({ settings: new SettingsStore(db), secrets }),
    consent: new ConsentGate(),
    store: new ConversationStore(db),
    ...(localApi ? { localApi } : {}),
  });
}

describe('the local API key through the contract', () => {
  it('shows the stored key, and a rotation stores a new one', async () => {
    const dir = tempDir();
    const secrets = new SecretStore(dir);
    const key = new LocalApiKey(secrets);
    const h = handlers(() => key);
    const shown = await h['routing.apiKey']({});
    expect(shown).toEqual({ key: secrets.get(LOCAL_API_SECRET), note: null });
    const rotated = await h['routing.rotateApiKey']({});
    expect(rotated.key).toMatch(/^ew-/);
    expect(rotated.key).not.toBe(shown.key);
    // Kept where the next start reads it.
    expect(new SecretStore(dir).get(LOCAL_API_SECRET)).toBe(rotated.key);
  });

  it('says why there is no key in a shell that serves no /v1, and refuses to rotate one', async () => {
    const h = handlers();
    expect(await h['routing.apiKey']({})).toEqual({ key: null, note: expect.stringMatching(/edgewise serve/) });
    await expect(async () => h['routing.rotateApiKey']({})).rejects.toMatchObject({ code: 'bad_input' });
  });
});
