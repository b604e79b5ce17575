// The worker's embedding model: a model file of its own with node-llama-cpp's embedding context, kept loaded
// apart from the chat model (a chat model's load or unload leaves it be) and swapped when another file is asked.
import type { Llama, LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';
import { vocabularyGuard, type VocabularyGuard } from './vocabularyGuard.ts';

/** Retrieval chunks are about 200 estimated tokens; this leaves room for tokenizers that cut finer. */
const EMBEDDING_CONTEXT = 2048;

let embedModel: LlamaModel | null = null;
let embedContext: LlamaEmbeddingContext | null = null;
let embedPath = '';
let embedGuard: VocabularyGuard | null = null;

export async function releaseEmbedding(): Promise<void> {
  await embedContext?.dispose();
  await embedModel?.dispose();
  embedContext = null;
  embedModel = null;
  embedPath = '';
}

async function embeddingContext(llama: Llama, path: string, threads: number): Promise<LlamaEmbeddingContext> {
  if (embedContext && embedPath === path) return embedContext;
  await releaseEmbedding();
  const model = await llama.loadModel({ modelPath: path });
  try {
    embedContext = await model.createEmbeddingContext({
      contextSize: Math.min(EMBEDDING_CONTEXT, model.trainContextSize),
      threads,
    });
  } catch (error) {
    await model.dispose();
    throw error;
  }
  embedModel = model;
  embedPath = path;
  const tokenizer = model.fileInfo.metadata?.tokenizer?.ggml as { model?: unknown; tokens?: unknown } | undefined;
  embedGuard = vocabularyGuard(tokenizer?.model, tokenizer?.tokens);
  return embedContext;
}

/** One vector per text; a text longer than the embedding context is embedded from its first tokens. */
export async function embedTexts(
  llama: Llama,
  path: string,
  threads: number,
  texts: string[],
): Promise<{ vectors: number[][]; truncated: number }> {
  const context = await embeddingContext(llama, path, threads);
  const room = Math.min(EMBEDDING_CONTEXT, embedModel!.trainContextSize);
  const vectors: number[][] = [];
  let truncated = 0;
  for (const text of texts) {
    // Characters the vocabulary cannot hold would abort llama.cpp's tokenizer; they carry no meaning to it anyway.
    const missing = new Set(embedGuard?.(text) ?? []);
    const readable = missing.size > 0 ? [...text].map((c) => (missing.has(c) ? ' ' : c)).join('') : text;
    let tokens = embedModel!.tokenize(readable);
    if (tokens.length > room) {
      tokens = tokens.slice(0, room);
      truncated++;
    }
    // An empty text has no token to embed; a zero vector ranks it last by cosine.
    if (tokens.length === 0) {
      vectors.push([]);
      continue;
    }
    vectors.push([...(await context.getEmbeddingFor(tokens)).vector]);
  }
  return { vectors, truncated };
}
