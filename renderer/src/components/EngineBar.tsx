import { useState } from 'react';
import { chatActions, useChatStore } from '../state/chatStore.ts';
import { engineActions, useEngineStore } from '../state/engineStore.ts';
import { modelsActions, useModelsStore } from '../state/modelsStore.ts';
import { describeThreadChoice } from '../../../shared/format.ts';
import type { FlashAttentionChoice } from '../../../shared/schemas.ts';

const stateText = {
  starting: 'Starting engine…',
  idle: 'No model loaded',
  loading: 'Loading',
  ready: 'Ready',
  crashed: 'Engine crashed',
  error: 'Error',
};

export function EngineBar() {
  const engine = useEngineStore((s) => s.status);
  const models = useModelsStore((s) => s.models);
  const conversation = useChatStore((s) => s.conversations.find((c) => c.id === s.currentId));
  const [path, setPath] = useState('');
  const [adding, setAdding] = useState(false);
  const selected = conversation?.modelId ?? engine?.modelId ?? '';
  const model = models.find((m) => m.id === selected);
  return (
    <header className="engine-bar">
      <select aria-label="Model" value={selected} onChange={(e) => void chatActions.setModel(e.target.value)}>
        {!selected && <option value="">Choose a model</option>}
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name} · {m.quantization} · {m.parameters ?? '?'} params
          </option>
        ))}
      </select>
      <button onClick={() => setAdding(!adding)}>Add model…</button>
      {adding && (
        <form
          className="add-model"
          onSubmit={(e) => {
            e.preventDefault();
            setAdding(false);
            void modelsActions.add(path);
          }}
        >
          <input
            placeholder="/full/path/to/model.gguf"
            value={path}
            aria-label="Model path"
            onChange={(e) => setPath(e.target.value)}
          />
          <button type="submit">Add</button>
        </form>
      )}
      <span
        className={`engine-state ${engine?.state ?? 'starting'}`}
        data-testid="engine-state"
        data-state={engine?.state ?? 'starting'}
      >
        {engine ? stateText[engine.state] : 'Connecting…'}
        {engine?.state === 'loading' && engine.progress !== null && ` ${Math.round(engine.progress * 100)}%`}
        {engine?.state === 'ready' && ` · ${engine.backend} · `}
        {engine?.state === 'ready' && (
          <span
            data-testid="engine-threads"
            title={engine.threadChoice ? describeThreadChoice(engine.threadChoice) : ''}
          >
            {engine.threads} threads
          </span>
        )}
      </span>
      {engine && ['ready', 'idle', 'error'].includes(engine.state) && (
        <label
          className="engine-flash"
          title="Flash attention in llama.cpp. Auto leaves it to llama.cpp (on wherever supported). On a CPU, off can make each new turn deep in a long conversation faster and a long pasted prompt slower; `edgewise bench --attention` measures both on this machine. The model loads again when this changes."
        >
          Flash attention
          <select
            aria-label="Flash attention"
            value={engine.flashAttention ?? 'auto'}
            onChange={(e) => void engineActions.setFlashAttention(e.target.value as FlashAttentionChoice)}
          >
            <option value="auto">auto</option>
            <option value="on">on</option>
            <option value="off">off</option>
          </select>
        </label>
      )}
      {engine?.error && (
        <span className="engine-error" title={engine.error}>
          {engine.error}
        </span>
      )}
      {model?.description && <p className="model-note">{model.description}</p>}
    </header>
  );
}
