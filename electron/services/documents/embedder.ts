// Embeddings for retrieval, when an embedding model is set up. The engine worker makes them with
// node-llama-cpp's embedding context on the embedding model's own file, apart from the chat model.
export interface Embedder {
  /** Whether vectors can be made now. */
  available(): boolean;
  /** Says which model embeds, or why none does (for the routing trace). */
  status(): string;
  embed(texts: string[]): Promise<Float32Array[]>;
}
