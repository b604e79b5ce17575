// Which model embeds attached documents for retrieval, for every conversation: any library model can
// (node-llama-cpp embeds with a decoder too, if less well), so embedding models are listed first and the
// rest apart; the catalog's embedding GGUFs not yet here can be downloaded from the same place.
import { useEffect } from 'react';
import type { ModelInfo } from '../../../../shared/schemas.ts';
import { documentsActions, useDocumentsStore } from '../../state/documentsStore.ts';
import { modelsActions, useModelsStore } from '../../state/modelsStore.ts';
import { fileName } from '../../format.ts';

export function EmbeddingModelPicker() {
  const embedding = useDocumentsStore((s) => s.embedding);
  const { models, catalog, downloads } = useModelsStore();
  useEffect(() => {
    void documentsActions.loadEmbedding();
  }, []);
  const embedders = catalog.filter((m) => m.purpose === 'embedding');
  const embeddingArchitectures = new Set(embedders.map((m) => m.architecture));
  const isEmbedder = (m: ModelInfo) => embeddingArchitectures.has(m.architecture) || /bert/i.test(m.architecture);
  const forEmbedding = models.filter(isEmbedder);
  const others = models.filter((m) => !isEmbedder(m));
  const here = new Set(models.map((m) => fileName(m.path)));
  const offered = embedders
    .flatMap((m) => m.files.map((f) => ({ model: m, file: f })))
    .filter((o) => !here.has(o.file.name));
  const downloadOf = (uri: string) =>
    Object.values(downloads).find((d) => d.uri === uri && d.state !== 'cancelled' && d.state !== 'done');
  const chosen = embedding?.model?.id ?? '';
  return (
    <section aria-labelledby="embedding-title" className="embedding-picker">
      <h2 id="embedding-title">Embedding model for documents</h2>
      <p className="muted">
        Attached documents that do not fit whole are searched by bm25; with an embedding model their passages are also
        compared by meaning, and both rankings are fused. Changing the model forgets the stored vectors, which are made
        again as needed.
      </p>
      <label>
        Embedding model{' '}
        <select
          aria-label="Embedding model"
          value={chosen}
          disabled={!embedding}
          onChange={(e) => void documentsActions.setEmbedding(e.target.value || null)}
        >
          <option value="">None: bm25 alone</option>
          {forEmbedding.length > 0 && (
            <optgroup label="Embedding models">
              {forEmbedding.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name} ({m.architecture}, {m.quantization})
                </option>
              ))}
            </optgroup>
          )}
          {others.length > 0 && (
            <optgroup label="Chat models (usable, weaker embeddings)">
              {others.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name} ({m.architecture}, {m.quantization})
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      <p data-testid="embedding-in-use">
        In use: {embedding ? `${embedding.model?.name ?? 'none'}; ${embedding.status}` : 'loading…'}
      </p>
      {offered.length > 0 && (
        <ul className="embedding-downloads" aria-label="Embedding models to download">
          {offered.map(({ model, file }) => {
            const active = downloadOf(file.uri);
            return (
              <li key={file.uri}>
                {model.name} ({model.parameters} parameters, {file.quantization}, {model.license}){' '}
                {active && active.state !== 'failed' ? (
                  <span className="muted">{active.state}</span>
                ) : (
                  <>
                    {active?.error && <span className="muted">failed: {active.error} </span>}
                    <button type="button" onClick={() => void modelsActions.download(file.uri)}>
                      Download {model.name}
                    </button>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
