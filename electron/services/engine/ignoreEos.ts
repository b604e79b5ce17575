// A sampling mode for tests and the benchmark, never a user default: the model cannot end its answer, so
// an answer lasts exactly maxTokens unless it is stopped. Tests that act mid-answer (Stop, a killed
// worker or shell, a disk filling up) then do not depend on how fast this machine writes a story.
import { TokenBias, type LlamaModel, type Token } from 'node-llama-cpp';

/** The vocabulary's size, from the file's token list; null when the file does not say. */
function vocabularySize(model: LlamaModel): number | null {
  const tokens = (model.fileInfo.metadata?.tokenizer?.ggml as { tokens?: unknown } | undefined)?.tokens;
  return Array.isArray(tokens) ? tokens.length : null;
}

/** Every end-of-generation token of the model (EOS, EOT and any other the vocabulary marks as one). */
export function endTokens(model: LlamaModel): Token[] {
  const found = new Set<Token>();
  for (const t of [model.tokens.eos, model.tokens.eot]) if (t !== null) found.add(t);
  const size = vocabularySize(model);
  for (let t = 0; size !== null && t < size; t++) if (model.isEogToken(t as Token)) found.add(t as Token);
  return [...found];
}

const made = new WeakMap<LlamaModel, TokenBias>();

/**
 * A token bias that gives every end-of-generation token a logit of -Infinity. node-llama-cpp's
 * `TokenBias.set` skips end tokens on purpose ("has no effect and will be ignored"), while its native
 * sampler (llama.cpp's logit-bias sampler) applies a bias to any token; so the bias is written into the
 * map `set` fills. If a node-llama-cpp upgrade changes that map, this throws rather than silently
 * letting answers end early (tests/engineHost.test.ts checks an answer runs to maxTokens).
 */
export function ignoreEosBias(model: LlamaModel): TokenBias {
  // a large vocabulary takes a scan of every token: once per model
  const known = made.get(model);
  if (known) return known;
  const bias = TokenBias.for(model);
  const biases = (bias as unknown as { _biases?: unknown })._biases;
  if (!(biases instanceof Map))
    throw new Error('ignoreEos: this node-llama-cpp version has no TokenBias map to hold end-token biases');
  const tokens = endTokens(model);
  if (tokens.length === 0) throw new Error('ignoreEos: the model names no end-of-generation token');
  for (const token of tokens) biases.set(token, -Infinity);
  made.set(model, bias);
  return bias;
}
