// The key programs use for this app's OpenAI-compatible API (/v1): shown masked, copied whole, and
// rotated after a confirmation, since every program configured with the old key stops working at once.
import { useEffect, useState } from 'react';
import { routingActions, useRoutingStore } from '../state/routingStore.ts';

/** The start and the last four characters: enough to tell keys apart, too little to use one. */
export function maskKey(key: string): string {
  return key.length <= 10 ? '•'.repeat(key.length) : `${key.slice(0, 3)}${'•'.repeat(12)}${key.slice(-4)}`;
}

export function LocalApiKeySection() {
  const apiKey = useRoutingStore((s) => s.apiKey);
  const [status, setStatus] = useState('');
  useEffect(() => {
    void routingActions.loadApiKey();
  }, []);
  const copy = (key: string) =>
    // No clipboard API outside a secure context (the headless shell opened from another machine).
    void (navigator.clipboard?.writeText(key) ?? Promise.reject(new Error('no clipboard'))).then(
      () => setStatus('Key copied.'),
      () => setStatus('Copy failed: this page may not use the clipboard (open it on this computer).'),
    );
  const rotate = async () => {
    if (!confirm('Make a new API key? Every program using the current key stops working at once.')) return;
    if (await routingActions.rotateApiKey()) setStatus('New key made. The old key no longer works.');
  };
  return (
    <section className="local-api" aria-labelledby="local-api-title">
      <h3 id="local-api-title">Local API key</h3>
      {!apiKey ? (
        <p className="empty">Loading…</p>
      ) : apiKey.key === null ? (
        <p className="explain">{apiKey.note}</p>
      ) : (
        <>
          <p className="explain">
            Programs calling this app&apos;s OpenAI-compatible API (<code>/v1</code>) send this key.{' '}
            {apiKey.note ?? 'It is kept across restarts.'}
          </p>
          <p>
            Key: <code data-testid="api-key-masked">{maskKey(apiKey.key)}</code>{' '}
            <button type="button" onClick={() => copy(apiKey.key!)}>
              Copy key
            </button>{' '}
            <button type="button" onClick={() => void rotate()}>
              Rotate key
            </button>
          </p>
        </>
      )}
      <p role="status" className="explain">
        {status}
      </p>
    </section>
  );
}
