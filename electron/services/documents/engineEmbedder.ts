// The Embedder backed by the engine worker: node-llama-cpp's embedding context on the embedding model the
// user set up (a model file of its own, apart from the chat model). Without one, retrieval is bm25 alone.
import { errorMessage } from '../../../shared/errors.ts';
import type { Embedder } from './embedder.ts';

export interface EmbeddingModel {
  name: string;
  path: string;
}

export interface EngineEmbedderOptions {
  engine: { embed(path: string, texts: string[]): Promise<{ vectors: Float32Array[]; truncated: number }> };
  /** The embedding model set up now, or null; read at each use so a change of setting takes effect at once. */
  model: () => EmbeddingModel | null;
}

/** A model that failed is not tried again for this long: every question would otherwise wait on it. */
const RETRY_AFTER_MS = 5 * 60_000;

export function engineEmbedder(options: EngineEmbedderOptions): Embedder {
  let failure: { path: string; at: number; message: string } | null = null;

  const failed = (current: EmbeddingModel | null) =>
    current !== null && failure !== null && failure.path === current.path && Date.now() - failure.at < RETRY_AFTER_MS;

  return {
    available: () => {
      const current = options.model();
      return current !== null && !failed(current);
    },
    status() {
      const current = options.model();
      if (!current) return 'no embedding model is set up: ranked by bm25 alone';
      if (failed(current))
        return `the embedding model ${current.name} failed (${failure!.message}): ranked by bm25 alone`;
      return `embedded by ${current.name}: cosine similarity fused with bm25 by reciprocal rank`;
    },
    async embed(texts) {
      const model = options.model();
      if (!model) throw new Error('No embedding model is set up.');
      try {
        const { vectors } = await options.engine.embed(model.path, texts);
        failure = null;
        return vectors;
      } catch (error) {
        failure = { path: model.path, at: Date.now(), message: errorMessage(error) };
        throw error;
      }
    },
  };
}
