// The quant view (the Quantize tab): make a model's levels with llama.cpp's quantizer, then compare two to six
// variants side by side on the same text and prompt.
import { useEffect } from 'react';
import { highPrecisionTypes, quantTargets } from '../../../shared/quant.ts';
import { useModelsStore } from '../state/modelsStore.ts';
import { quantActions, useQuantStore } from '../state/quantStore.ts';
import { QuantResults } from './QuantResults.tsx';
import { fileName, fmt } from '../format.ts';

function MakeLevels() {
  const models = useModelsStore((s) => s.models);
  const { sourceId, levels, chosenTypes, progress, quantJob } = useQuantStore();
  const sources = models.filter((m) => highPrecisionTypes.includes(m.quantization));
  const running = quantJob !== null && Object.values(progress).some((p) => p?.state === 'running');
  return (
    <section className="quant-make" aria-label="Make levels">
      <h2 tabIndex={-1} data-view-focus>
        Make levels
      </h2>
      <label>
        From{' '}
        <select
          value={sourceId ?? ''}
          onChange={(e) => void quantActions.pickSource(e.target.value)}
          aria-label="Source model"
        >
          <option value="">choose an F32, F16, BF16 or Q8_0 model…</option>
          {sources.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} ({m.quantization})
            </option>
          ))}
        </select>
      </label>
      {sources.length === 0 && (
        <p className="muted">No high-precision model yet: add an F16 or Q8_0 GGUF in Chat’s model list.</p>
      )}
      {levels && (
        <div className="quant-levels">
          {quantTargets.map((t) => {
            const level = levels.levels.find((l) => l.type === t.name)!;
            const p = progress[t.name];
            return (
              <div key={t.name} className="quant-level" data-state={p?.state ?? 'idle'}>
                <label title={level.blocker ?? undefined}>
                  <input
                    type="checkbox"
                    disabled={!!level.blocker || running}
                    checked={chosenTypes.includes(t.name) && !level.blocker}
                    onChange={() => quantActions.toggleType(t.name)}
                    aria-label={t.name}
                  />
                  {t.name}
                </label>
                {level.blocker && <span className="muted">not possible: {level.blocker}</span>}
                {!level.blocker && level.fallbackTensors > 0 && (
                  <span className="muted">
                    {level.fallbackTensors} of {level.totalTensors} matrices have rows that are not a multiple of{' '}
                    {t.rowBlock}; llama.cpp stores those with another type
                  </span>
                )}
                {p && (
                  <span className="quant-progress">
                    <progress
                      max={1}
                      value={p.state === 'done' ? 1 : p.total ? p.done / p.total : 0}
                      aria-label={`${t.name} progress`}
                    />
                    {p.state === 'done' && p.result
                      ? `${fmt(p.result.sizeBytes / 1e6, 2)} MB, ${fmt(p.result.bitsPerWeight, 2)} bits/weight`
                      : p.state}
                    {p.message && <span className="error-text"> {p.message}</span>}
                  </span>
                )}
              </div>
            );
          })}
          <div className="quant-actions">
            <button onClick={() => void quantActions.quantize()} disabled={running || chosenTypes.length === 0}>
              Quantize
            </button>
            {running && <button onClick={() => void quantActions.cancelQuantize()}>Cancel</button>}
          </div>
        </div>
      )}
    </section>
  );
}

function CompareSetup() {
  const models = useModelsStore((s) => s.models);
  const { picked, ctx, prompt, maxTokens, ownText, compareJob, compareError } = useQuantStore();
  return (
    <section className="quant-compare" aria-label="Compare">
      <h2>Compare</h2>
      <p className="muted">
        Pick two to six files of one model. The one with the most bits per weight is the base that KL divergence is
        measured against.
      </p>
      <div className="quant-picks">
        {models.map((m) => (
          <label key={m.id}>
            <input
              type="checkbox"
              checked={picked.includes(m.id)}
              onChange={() => quantActions.togglePick(m.id)}
              disabled={compareJob !== null}
              aria-label={`Compare ${fileName(m.path)}`}
            />
            {fileName(m.path)}{' '}
            <span className="muted">
              {m.name}, {m.quantization}, {fmt(m.sizeBytes / 1e6, 2)} MB
            </span>
          </label>
        ))}
      </div>
      <div className="quant-settings">
        <label>
          Context{' '}
          <input
            type="number"
            min={64}
            max={8192}
            step={64}
            value={ctx}
            onChange={(e) => quantActions.set({ ctx: Number(e.target.value) })}
          />
        </label>
        <label>
          Prompt{' '}
          <input value={prompt} onChange={(e) => quantActions.set({ prompt: e.target.value })} aria-label="Prompt" />
        </label>
        <label>
          Answer tokens{' '}
          <input
            type="number"
            min={1}
            max={1024}
            value={maxTokens}
            onChange={(e) => quantActions.set({ maxTokens: Number(e.target.value) })}
          />
        </label>
        <label>
          Text {ownText ? <strong>{ownText.name}</strong> : 'the bundled reference text'}{' '}
          <input
            type="file"
            accept=".txt,text/plain"
            aria-label="Use my own text file"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              quantActions.set({ ownText: file ? { name: file.name, content: await file.text() } : null });
            }}
          />
        </label>
      </div>
      <div className="quant-actions">
        <button onClick={() => void quantActions.compare()} disabled={picked.length < 2 || compareJob !== null}>
          Compare {picked.length || ''}
        </button>
        {compareJob && <button onClick={() => void quantActions.cancelCompare()}>Cancel</button>}
      </div>
      {compareError && (
        <p className="error-text" role="alert">
          {compareError}
        </p>
      )}
    </section>
  );
}

export function QuantView() {
  useEffect(() => {
    void quantActions.load();
  }, []);
  return (
    <section className="quant" aria-label="Quantize and compare">
      <MakeLevels />
      <CompareSetup />
      <QuantResults />
      <aside className="quant-note">
        <h3>Post-training quantization and quantization-aware training</h3>
        <p>
          The levels made here are post-training quantization: a model trained in 16 bits is rounded to fewer bits
          afterwards, and the rounding error shows up as higher perplexity and KL divergence, more so the fewer bits are
          left. Quantization-aware trained models (flagged in the catalog, such as BitNet b1.58 or Gemma 3 QAT) saw the
          low precision during training and learned around it, so at the same size they lose much less.
        </p>
      </aside>
    </section>
  );
}
