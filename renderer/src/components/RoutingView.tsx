import { useEffect, useState, type FormEvent } from 'react';
import { routingActions, useRoutingStore } from '../state/routingStore.ts';
import { LocalApiKeySection } from './LocalApiKeySection.tsx';

const tierName: Record<string, string> = { device: 'On device', private: 'Private server', partner: 'Partner cloud' };

export function RoutingView() {
  const { settings, detected, history } = useRoutingStore();
  useEffect(() => {
    void routingActions.load();
  }, []);
  if (!settings)
    return (
      <section className="routing" aria-labelledby="routing-title">
        <h2 id="routing-title" tabIndex={-1} data-view-focus>
          Where queries go
        </h2>
        <p className="empty">Loading routing settings…</p>
      </section>
    );
  const total = Object.values(history).reduce((a, b) => a + b, 0);
  return (
    <section className="routing" aria-labelledby="routing-title">
      <h2 id="routing-title" tabIndex={-1} data-view-focus>
        Where queries go
      </h2>
      <p className="explain">
        Every query is answered on this device unless a rule sends it further: demanding tasks go to your private server
        when it is reachable; the partner cloud is asked only after you agree to that one query, and never for text with
        personal data.
      </p>
      <label>
        Policy{' '}
        <select
          aria-label="Routing policy"
          value={settings.policy}
          onChange={(e) => void routingActions.save({ policy: e.target.value as 'local' | 'auto' | 'private' })}
        >
          <option value="local">Local only: nothing leaves this device</option>
          <option value="auto">Automatic</option>
          <option value="private">Prefer my private server</option>
        </select>
      </label>
      <label>
        Offer a higher tier when a local answer's mean token confidence is below{' '}
        <input
          aria-label="Confidence threshold"
          type="number"
          min="0"
          max="1"
          step="0.05"
          defaultValue={settings.confidenceThreshold}
          onBlur={(e) =>
            void routingActions.save({ confidenceThreshold: Math.min(1, Math.max(0, Number(e.target.value))) })
          }
        />
      </label>
      <PrivateForm />
      <div className="detect">
        <button onClick={() => void routingActions.detect()}>Detect local servers</button>
        {detected && (
          <ul data-testid="detected">
            {detected.map((d) => (
              <li key={d.baseUrl}>
                {d.name} at {d.baseUrl}:{' '}
                {d.ok ? `running (${d.models.slice(0, 3).join(', ') || 'no models listed'})` : d.why}
              </li>
            ))}
          </ul>
        )}
      </div>
      <PartnerForm />
      <LocalApiKeySection />
      <h3>History</h3>
      {total === 0 ? (
        <p className="empty">No routed answers yet.</p>
      ) : (
        <ul className="history" data-testid="tier-history">
          {['device', 'private', 'partner'].map((t) => (
            <li key={t}>
              {tierName[t]}: {history[t] ?? 0} ({(((history[t] ?? 0) / total) * 100).toFixed(0)}%)
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PrivateForm() {
  const current = useRoutingStore((s) => s.settings?.private);
  const [form, setForm] = useState({
    name: current?.name ?? 'My server',
    baseUrl: current?.baseUrl ?? 'http://127.0.0.1:11434/v1',
    model: current?.model ?? '',
    apiKey: '',
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void routingActions.save({
      private: {
        name: form.name,
        baseUrl: form.baseUrl,
        model: form.model,
        ...(form.apiKey ? { apiKey: form.apiKey } : {}),
      },
    });
    setForm({ ...form, apiKey: '' });
  };
  return (
    <form className="tier-form" onSubmit={submit} aria-label="Private server">
      <h3>
        Private server{' '}
        {current && (
          <small>
            ({current.name}, {current.hasKey ? 'key set' : 'no key'})
          </small>
        )}
      </h3>
      <input
        aria-label="Private server name"
        value={form.name}
        onChange={(e) => setForm({ ...form, name: e.target.value })}
      />
      <input
        aria-label="Private server URL"
        value={form.baseUrl}
        onChange={(e) => setForm({ ...form, baseUrl: e.target.value })}
      />
      <input
        aria-label="Private server model"
        placeholder="model"
        value={form.model}
        onChange={(e) => setForm({ ...form, model: e.target.value })}
      />
      <input
        aria-label="Private server API key"
        type="password"
        placeholder={current?.hasKey ? 'key set (type to replace)' : 'API key (optional)'}
        value={form.apiKey}
        onChange={(e) => setForm({ ...form, apiKey: e.target.value })}
      />
      <button type="submit">Save private server</button>
      {current && (
        <button type="button" onClick={() => void routingActions.save({ private: null })}>
          Remove
        </button>
      )}
    </form>
  );
}

function PartnerForm() {
  const current = useRoutingStore((s) => s.settings?.partner);
  const [form, setForm] = useState({
    name: current?.name ?? 'Partner',
    kind: current?.kind ?? ('openai' as 'openai' | 'anthropic'),
    baseUrl: current?.baseUrl ?? 'https://api.openai.com/v1',
    model: current?.model ?? '',
    apiKey: '',
    input: String(current?.inputPricePerMTok ?? 2.5),
    output: String(current?.outputPricePerMTok ?? 10),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void routingActions.save({
      partner: {
        name: form.name,
        kind: form.kind,
        baseUrl: form.baseUrl,
        model: form.model,
        inputPricePerMTok: Number(form.input),
        outputPricePerMTok: Number(form.output),
        ...(form.apiKey ? { apiKey: form.apiKey } : {}),
      },
    });
    setForm({ ...form, apiKey: '' });
  };
  return (
    <form className="tier-form" onSubmit={submit} aria-label="Partner cloud">
      <h3>
        Partner cloud{' '}
        {current && (
          <small>
            ({current.name}, {current.hasKey ? 'key set' : 'no key'})
          </small>
        )}
      </h3>
      <select
        aria-label="Partner API"
        value={form.kind}
        onChange={(e) => setForm({ ...form, kind: e.target.value as 'openai' | 'anthropic' })}
      >
        <option value="openai">OpenAI-compatible</option>
        <option value="anthropic">Anthropic Messages</option>
      </select>
      <input aria-label="Partner name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      <input
        aria-label="Partner URL"
        value={form.baseUrl}
        onChange={(e) => setForm({ ...form, baseUrl: e.target.value })}
      />
      <input
        aria-label="Partner model"
        placeholder="model"
        value={form.model}
        onChange={(e) => setForm({ ...form, model: e.target.value })}
      />
      <input
        aria-label="Partner API key"
        type="password"
        placeholder={current?.hasKey ? 'key set (type to replace)' : 'API key'}
        value={form.apiKey}
        onChange={(e) => setForm({ ...form, apiKey: e.target.value })}
      />
      <label>
        $ per M input tokens{' '}
        <input
          aria-label="Input price"
          type="number"
          min="0"
          step="any"
          value={form.input}
          onChange={(e) => setForm({ ...form, input: e.target.value })}
        />
      </label>
      <label>
        $ per M output tokens{' '}
        <input
          aria-label="Output price"
          type="number"
          min="0"
          step="any"
          value={form.output}
          onChange={(e) => setForm({ ...form, output: e.target.value })}
        />
      </label>
      <button type="submit">Save partner</button>
      {current && (
        <button type="button" onClick={() => void routingActions.save({ partner: null })}>
          Remove
        </button>
      )}
    </form>
  );
}
