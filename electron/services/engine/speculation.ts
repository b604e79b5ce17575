// Speculative decoding through node-llama-cpp's token predictors: guessed tokens are checked by the
// model in one batch, and only the ones it would have picked itself are kept, so greedy output is the
// same token for token; only the speed changes. Prompt lookup guesses from the conversation's own text
// (rewrites, edits, summaries copy from it); a draft model is a smaller model with the same vocabulary
// (a lower quantization of the same weights is the natural one).
import {
  DraftSequenceTokenPredictor,
  InputLookupTokenPredictor,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type TokenPredictor,
} from 'node-llama-cpp';
import { RpcError } from '../../../shared/rpc.ts';
import type { Speculation } from '../../../shared/schemas.ts';

/** How many tokens a draft model guesses ahead; past this its misses cost more than its hits save. */
const DRAFT_TOKENS = 8;

interface Draft {
  path: string;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence | null;
}

let draft: Draft | null = null;

export function speculationKey(s: Speculation | undefined): string {
  if (!s || s.kind === 'off') return 'off';
  return s.kind === 'draft' ? `draft:${s.draftModelPath}` : 'prompt';
}

function vocabulary(model: LlamaModel): unknown {
  return (model.fileInfo.metadata?.tokenizer?.ggml as { tokens?: unknown } | undefined)?.tokens;
}

/** The same token list, in the same order: a draft's guesses are token ids, meaningless otherwise. */
export function sameVocabulary(a: LlamaModel, b: LlamaModel): boolean {
  const ta = vocabulary(a);
  const tb = vocabulary(b);
  return Array.isArray(ta) && Array.isArray(tb) && ta.length === tb.length && ta.every((t, i) => t === tb[i]);
}

export async function disposeDraft(): Promise<void> {
  const d = draft;
  draft = null;
  await d?.context.dispose();
  await d?.model.dispose();
}

/** The predictor for a new sequence of `target`, or undefined without speculation. */
export async function tokenPredictor(
  llama: Llama,
  target: LlamaModel,
  s: Speculation | undefined,
  contextSize: number,
  threads: number,
): Promise<TokenPredictor | undefined> {
  if (!s || s.kind === 'off') {
    await disposeDraft();
    return undefined;
  }
  if (s.kind === 'prompt') {
    await disposeDraft();
    return new InputLookupTokenPredictor();
  }
  if (!s.draftModelPath) throw new RpcError('bad_input', 'Speculation with a draft model needs the draft model file');
  if (draft?.path !== s.draftModelPath || draft.context.contextSize !== contextSize) {
    await disposeDraft();
    const model = await llama.loadModel({ modelPath: s.draftModelPath });
    if (!sameVocabulary(model, target)) {
      await model.dispose();
      throw new RpcError(
        'bad_input',
        'The draft model has another vocabulary than the model answering: its guesses would be other tokens. Choose a smaller model of the same family (or a lower quantization of the same model).',
      );
    }
    const context = await model.createContext({ contextSize, threads, sequences: 1 });
    draft = { path: s.draftModelPath, model, context, sequence: null };
  }
  // The draft context holds one sequence, and a predictor does not dispose its own: the old one goes here.
  draft.sequence?.dispose();
  draft.sequence = draft.context.getSequence();
  return new DraftSequenceTokenPredictor(draft.sequence, { maxTokens: DRAFT_TOKENS });
}
