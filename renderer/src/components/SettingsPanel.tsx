import { useState } from 'react';
import {
  conversationSettings,
  type Conversation,
  type ConversationSettings,
  type SpeculationSetting,
} from '../../../shared/schemas.ts';
import { chatActions, useChatStore } from '../state/chatStore.ts';
import { useModelsStore } from '../state/modelsStore.ts';
import { PresetBar } from './PresetBar.tsx';

type NumberKey = Exclude<keyof ConversationSettings['sampling'], 'seed'>;
const fields: [NumberKey, string, number][] = [
  ['temperature', 'Temperature', 0.05],
  ['topK', 'Top-k', 1],
  ['topP', 'Top-p', 0.01],
  ['minP', 'Min-p', 0.01],
  ['repeatPenalty', 'Repeat penalty', 0.01],
  ['maxTokens', 'Max tokens', 1],
];

/**
 * The open conversation's settings. The form is keyed by the conversation: its draft starts from that
 * conversation's settings, also when the panel was opened before the conversation reached the list, and
 * another conversation never inherits a draft.
 */
export function SettingsPanel() {
  const conversation = useChatStore((s) => s.conversations.find((c) => c.id === s.currentId));
  if (!conversation) return null;
  return <SettingsForm key={conversation.id} conversation={conversation} />;
}

function SettingsForm({ conversation }: { conversation: Conversation }) {
  const [draft, setDraft] = useState<ConversationSettings>(conversation.settings);
  const [error, setError] = useState<string | null>(null);
  const models = useModelsStore((s) => s.models);
  const speculation: SpeculationSetting = draft.speculation ?? { kind: 'off', draftModelId: null };
  const setSpeculation = (next: SpeculationSetting) =>
    setDraft({ ...draft, speculation: next.kind === 'off' ? undefined : next });
  const save = () => {
    const parsed = conversationSettings.safeParse(draft);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setError(`${issue?.path.join('.')}: ${issue?.message}`);
      return;
    }
    setError(null);
    void chatActions.updateSettings(parsed.data);
  };
  const setSampling = (key: keyof ConversationSettings['sampling'], value: number | null) =>
    setDraft({ ...draft, sampling: { ...draft.sampling, [key]: value } });
  return (
    <form
      className="settings"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <PresetBar draft={draft} modelId={conversation.modelId} onApply={(settings) => setDraft(settings)} />
      <label className="wide">
        System prompt
        <textarea value={draft.systemPrompt} onChange={(e) => setDraft({ ...draft, systemPrompt: e.target.value })} />
      </label>
      {fields.map(([key, label, step]) => (
        <label key={key}>
          {label}
          <input
            type="number"
            step={step}
            value={draft.sampling[key]}
            onChange={(e) => setSampling(key, Number(e.target.value))}
          />
        </label>
      ))}
      <label>
        Seed (blank: random)
        <input
          type="number"
          value={draft.sampling.seed ?? ''}
          onChange={(e) => setSampling('seed', e.target.value === '' ? null : Number(e.target.value))}
        />
      </label>
      <label>
        Context size
        <input
          type="number"
          step={256}
          value={draft.contextSize}
          onChange={(e) => setDraft({ ...draft, contextSize: Number(e.target.value) })}
        />
      </label>
      <label title="For reasoning models: off uses the chat template's switch where it has one (Qwen3's enable_thinking), else closes each thought at once">
        <input
          type="checkbox"
          checked={draft.thinking ?? true}
          onChange={(e) => setDraft({ ...draft, thinking: e.target.checked })}
        />
        Thinking
      </label>
      <label>
        Thought budget (tokens; blank: none)
        <input
          type="number"
          value={draft.thoughtBudget ?? ''}
          onChange={(e) => setDraft({ ...draft, thoughtBudget: e.target.value === '' ? null : Number(e.target.value) })}
        />
      </label>
      <label title="For models that would not call a tool on their own: function calling is engaged from the answer's first token, as the API's tool_choice &quot;required&quot;">
        <input
          type="checkbox"
          checked={draft.toolChoice === 'required'}
          onChange={(e) => setDraft({ ...draft, toolChoice: e.target.checked ? 'required' : undefined })}
        />
        Start with a tool call (when tools are on)
      </label>
      <label>
        Speculative decoding
        <select
          value={speculation.kind}
          onChange={(e) => setSpeculation({ ...speculation, kind: e.target.value as SpeculationSetting['kind'] })}
        >
          <option value="off">Off</option>
          <option value="prompt">Prompt lookup</option>
          <option value="draft">Draft model</option>
        </select>
      </label>
      {speculation.kind === 'draft' && (
        <label>
          Draft model (same vocabulary, smaller)
          <select
            value={speculation.draftModelId ?? ''}
            onChange={(e) => setSpeculation({ ...speculation, draftModelId: e.target.value || null })}
          >
            <option value="">Choose a model…</option>
            {models
              .filter((m) => m.id !== conversation.modelId)
              .map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name} ({m.quantization})
                </option>
              ))}
          </select>
        </label>
      )}
      {speculation.kind !== 'off' && (
        <p className="hint wide">
          Guessed tokens are checked by the model, so greedy answers stay the same; each answer&apos;s figures show how
          many guesses were kept. It pays when answers copy from the prompt (prompt lookup) or a draft agrees often.
        </p>
      )}
      <button type="submit" className="primary">
        Save settings
      </button>
      {error && (
        <p className="message-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
