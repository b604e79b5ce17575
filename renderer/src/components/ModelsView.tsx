// Models: the catalog (with a fit verdict for this machine and one-click downloads), downloads in
// progress, and the models on this machine: Edgewise's own folder, files added by path, and what
// Ollama and LM Studio already downloaded, used in place.
import { useEffect, useState } from 'react';
import { fitModel } from '../../../shared/fit/matrix.ts';
import { speedLabel } from '../../../shared/fit/speed.ts';
import type { DownloadRecord } from '../../../shared/catalog.ts';
import type { ModelInfo } from '../../../shared/schemas.ts';
import { modelsActions, useModelsStore } from '../state/modelsStore.ts';
import { fileName, fmt, gb, size } from '../format.ts';
import { Verdict } from './Verdict.tsx';
import { EmbeddingModelPicker } from './documents/EmbeddingModelPicker.tsx';

const sourceLabel: Record<ModelInfo['source'], string> = {
  bundled: 'bundled demo',
  library: 'Edgewise models folder',
  added: 'added by path',
  ollama: 'Ollama (used in place)',
  lmstudio: 'LM Studio (used in place)',
};

function Catalog() {
  const { catalog, machine, downloads } = useModelsStore();
  const active = new Set(
    Object.values(downloads)
      .filter((d) => d.state === 'downloading' || d.state === 'paused')
      .map((d) => d.uri),
  );
  return (
    <section aria-label="Catalog">
      <h2>Catalog</h2>
      <table className="models-table">
        <thead>
          <tr>
            <th>model</th>
            <th>parameters</th>
            <th>license</th>
            <th>file</th>
            <th>size</th>
            <th>this machine</th>
            <th>predicted speed here</th>
            <th>
              <span className="sr-only">actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {catalog.map((m) => {
            const files = m.files.length > 0 ? m.files : [null];
            return files.map((f, i) => {
              const cell =
                m.facts && machine
                  ? fitModel(
                      {
                        id: m.id,
                        name: m.name,
                        facts: m.facts,
                        quantizationAware: m.quantizationAware,
                        quantization: f?.quantization ?? 'Q4_K_M',
                        weightsBytes: f?.sizeBytes ?? undefined,
                      },
                      machine,
                      { quant: 'Q4_K_M', ctx: 8192, kvType: 'f16' },
                    )
                  : null;
              return (
                <tr key={`${m.id}-${i}`} data-testid="catalog-row" data-model={m.id}>
                  <td>
                    {i === 0 && (
                      <>
                        {m.name}
                        {m.quantizationAware && (
                          <span className="badge" title="Trained for low bit widths: loses less when quantized">
                            QAT
                          </span>
                        )}
                      </>
                    )}
                  </td>
                  <td>{i === 0 && m.parameters}</td>
                  <td>{i === 0 && m.license}</td>
                  <td>
                    {f ? (
                      <span title={f.uri}>{f.quantization}</span>
                    ) : (
                      <span
                        className="muted"
                        title="No file is listed yet: the catalog lists only files whose names were published"
                      >
                        none listed
                      </span>
                    )}
                  </td>
                  <td>
                    {f?.sizeBytes ? (
                      size(f.sizeBytes)
                    ) : cell ? (
                      <span title="estimated from the parameter count; the file's size is not recorded">
                        ≈ {size(cell.weightsBytes)}
                      </span>
                    ) : (
                      '?'
                    )}
                  </td>
                  <td>
                    {cell && (
                      <Verdict
                        verdict={cell.verdict}
                        title={`${gb(cell.totalBytes)} with an 8K context: ${cell.reason}`}
                        testId="fit-badge"
                      />
                    )}
                  </td>
                  <td>
                    {cell && cell.verdict !== 'no' ? (
                      <span
                        data-testid="catalog-speed"
                        title={`A prediction for this machine (${cell.speed.basis === 'measured' ? 'from its measured engine rates' : 'from published peaks and the fitted efficiency'}), decoding with an 8K context full`}
                      >
                        {speedLabel(cell.speed)}
                        {cell.tooSlow && ' ⏳ too slow'}
                      </span>
                    ) : (
                      <span className="muted" title="It does not fit here, so no speed is predicted">
                        —
                      </span>
                    )}
                  </td>
                  <td>
                    {f && (
                      <button onClick={() => void modelsActions.download(f.uri)} disabled={active.has(f.uri)}>
                        Download
                      </button>
                    )}
                  </td>
                </tr>
              );
            });
          })}
        </tbody>
      </table>
    </section>
  );
}

function Download({ d }: { d: DownloadRecord }) {
  return (
    <li data-testid="download" data-state={d.state}>
      <strong>{d.fileName}</strong>{' '}
      <progress max={d.total ?? 1} value={d.total ? d.received : 0} aria-label={`${d.fileName} progress`} />{' '}
      <span className="muted">
        {fmt(d.received / 1e6, 1)}
        {d.total ? ` of ${fmt(d.total / 1e6, 1)}` : ''} MB
        {d.state === 'downloading' &&
          ` · ${fmt(d.bytesPerSec / 1e6, 1)} MB/s${d.secondsLeft !== null ? ` · ${fmt(d.secondsLeft)} s left` : ''}`}
        {' · '}
        {d.state}
        {d.state === 'done' &&
          (d.verifiedAgainst
            ? ` · sha256 verified against the ${d.verifiedAgainst}`
            : ' · no published sha256 to verify against')}
      </span>
      {d.error && <span className="error-text"> {d.error}</span>}
      {d.state === 'downloading' && <button onClick={() => void modelsActions.control(d.id, 'pause')}>Pause</button>}
      {(d.state === 'paused' || d.state === 'failed') && (
        <button onClick={() => void modelsActions.control(d.id, 'resume')}>Resume</button>
      )}
      {(d.state === 'downloading' || d.state === 'paused' || d.state === 'failed') && (
        <button onClick={() => void modelsActions.control(d.id, 'cancel')}>Cancel</button>
      )}
    </li>
  );
}

function LocalModel({ m }: { m: ModelInfo }) {
  const [name, setName] = useState<string | null>(null);
  return (
    <tr data-testid="local-model" data-source={m.source}>
      <td>
        {name === null ? (
          <>
            {m.name}{' '}
            <button className="link" onClick={() => setName(m.name)} aria-label={`Rename ${m.name}`}>
              ✎
            </button>
          </>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void modelsActions.rename(m.id, name);
              setName(null);
            }}
          >
            <input value={name} onChange={(e) => setName(e.target.value)} aria-label="New name" autoFocus />{' '}
            <button type="submit">Save</button>
          </form>
        )}
        <div className="muted" title={m.path}>
          {fileName(m.path)} · {sourceLabel[m.source]}
        </div>
      </td>
      <td>{m.architecture}</td>
      <td>{m.parameters ?? '?'}</td>
      <td>{m.quantization}</td>
      <td>{m.contextLength ? fmt(m.contextLength) : '?'}</td>
      <td>{m.hasChatTemplate ? 'yes' : 'no'}</td>
      <td>{fmt(m.sizeBytes / 1e6, 1)} MB</td>
      <td>
        <button onClick={() => void modelsActions.useInConversation(m.id)}>Use in conversation</button>
        {(m.source === 'library' || m.source === 'added') && (
          <button
            onClick={() => {
              if (
                confirm(
                  m.source === 'library'
                    ? `Delete ${fileName(m.path)} from disk?`
                    : `Forget ${fileName(m.path)}? The file stays where it is.`,
                )
              )
                void modelsActions.remove(m.id);
            }}
          >
            {m.source === 'library' ? 'Delete' : 'Forget'}
          </button>
        )}
      </td>
    </tr>
  );
}

function Stores() {
  const stores = useModelsStore((s) => s.stores);
  const [ollama, setOllama] = useState('');
  const [lmStudio, setLmStudio] = useState('');
  useEffect(() => {
    setOllama(stores?.ollamaDir ?? '');
    setLmStudio(stores?.lmStudioDir ?? '');
  }, [stores]);
  if (!stores) return null;
  return (
    <form
      className="models-stores"
      onSubmit={(e) => {
        e.preventDefault();
        void modelsActions.setStores(ollama.trim() || null, lmStudio.trim() || null);
      }}
    >
      <label>
        Ollama models folder{' '}
        <input value={ollama} placeholder={stores.ollama.join(' or ')} onChange={(e) => setOllama(e.target.value)} />
      </label>
      <label>
        LM Studio models folder{' '}
        <input
          value={lmStudio}
          placeholder={stores.lmStudio.join(' or ')}
          onChange={(e) => setLmStudio(e.target.value)}
        />
      </label>
      <button type="submit">Save folders</button>
    </form>
  );
}

function DownloadFrom() {
  const [uri, setUri] = useState('');
  return (
    <form
      className="models-stores"
      onSubmit={(e) => {
        e.preventDefault();
        if (uri.trim()) void modelsActions.download(uri.trim());
        setUri('');
      }}
    >
      <label>
        Download a GGUF by URL or hf:user/repo/file.gguf{' '}
        <input value={uri} onChange={(e) => setUri(e.target.value)} aria-label="Model URL" />
      </label>
      <button type="submit" disabled={!uri.trim()}>
        Download
      </button>
    </form>
  );
}

export function ModelsView() {
  const models = useModelsStore((s) => s.models);
  const downloads = useModelsStore((s) => s.downloads);
  useEffect(() => {
    void modelsActions.loadCatalog();
  }, []);
  const list = Object.values(downloads).filter((d) => d.state !== 'cancelled');
  return (
    <section className="models" aria-label="Models">
      <section aria-label="On this machine">
        <h2 tabIndex={-1} data-view-focus>
          On this machine
        </h2>
        <table className="models-table">
          <thead>
            <tr>
              <th>model</th>
              <th>architecture</th>
              <th>parameters</th>
              <th>quantization</th>
              <th>trained context</th>
              <th>chat template</th>
              <th>size</th>
              <th>
                <span className="sr-only">actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <LocalModel key={m.id} m={m} />
            ))}
          </tbody>
        </table>
        <p className="muted">
          Add any .gguf file with <strong>Add model…</strong> at the top; it is checked before it is accepted.
        </p>
        <Stores />
      </section>
      <EmbeddingModelPicker />
      <section aria-label="Downloads">
        <h2>Downloads</h2>
        <DownloadFrom />
        <ul className="downloads">
          {list.map((d) => (
            <Download key={d.id} d={d} />
          ))}
        </ul>
      </section>
      <Catalog />
    </section>
  );
}
