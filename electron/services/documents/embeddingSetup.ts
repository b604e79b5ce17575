// Which model embeds documents for retrieval: a library model the user picks (the catalog's embedding GGUFs,
// or any model: a decoder makes usable if weaker embeddings). Kept as a setting; changing it forgets the
// vectors already stored, which the new model's are not comparable with, and they are made again as needed.
import { z } from 'zod';
import type { ModelInfo } from '../../../shared/schemas.ts';
import type { SettingsStore } from '../store/settingsStore.ts';
import type { DocumentStore } from '../store/documentStore.ts';
import type { EmbeddingModel } from './engineEmbedder.ts';

const KEY = 'documents.embeddingModel';
const stored = z.object({ id: z.string(), name: z.string(), path: z.string() }).nullable();

export class EmbeddingSetup {
  private readonly deps: {
    settings: Pick<SettingsStore, 'get' | 'set'>;
    library: { get(id: string): Promise<ModelInfo> };
    store: Pick<DocumentStore, 'clearEmbeddings'>;
  };
  constructor(deps: EmbeddingSetup['deps']) {
    this.deps = deps;
  }

  current(): (EmbeddingModel & { id: string }) | null {
    return this.deps.settings.get(KEY, stored, null);
  }

  /** Sets up (or, with null, removes) the embedding model; an unknown model id is a not_found error. */
  async set(modelId: string | null): Promise<(EmbeddingModel & { id: string }) | null> {
    const model = modelId === null ? null : await this.deps.library.get(modelId);
    const next = model ? { id: model.id, name: model.name, path: model.path } : null;
    if (next?.path !== this.current()?.path) this.deps.store.clearEmbeddings();
    this.deps.settings.set(KEY, next);
    return next;
  }
}
