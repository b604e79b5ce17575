// The arithmetic of perplexity and KL divergence, as llama.cpp's llama-perplexity does it
// (tools/perplexity/perplexity.cpp): the text is cut into chunks of the context size, each chunk starts
// with BOS, and only the second half of each chunk is scored, so that every scored token has at least
// half a context of history. Log-probabilities come from the logits in double precision.

export interface ChunkPlan {
  chunks: number;
  first: number;
  scoredPerChunk: number;
}

/** llama-perplexity: chunks = tokens / ctx (whole chunks only), scored positions first..ctx-2 of each. */
export function chunkPlan(tokenCount: number, ctx: number): ChunkPlan {
  if (tokenCount < 2 * ctx) {
    throw new Error(
      `the text gives ${tokenCount} tokens with this model's tokenizer; a context of ${ctx} needs at least ${2 * ctx}. Use a longer text or a smaller --ctx.`,
    );
  }
  const first = Math.floor(ctx / 2);
  return { chunks: Math.floor(tokenCount / ctx), first, scoredPerChunk: ctx - first - 1 };
}

/** log softmax of one position's logits, in double precision, and the arg max. */
export function logSoftmax(logits: Float64Array): { logProbs: Float64Array; top: number } {
  let max = -Infinity;
  let top = 0;
  for (let i = 0; i < logits.length; i++)
    if (logits[i]! > max) {
      max = logits[i]!;
      top = i;
    }
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  const logZ = max + Math.log(sum);
  const logProbs = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) logProbs[i] = logits[i]! - logZ;
  return { logProbs, top };
}

/**
 * KL(base ‖ variant) = Σ p_base · (log p_base − log p_variant), in nats, as llama-perplexity's
 * --kl-divergence. The base's log-probabilities are kept as float32, so the variant's are rounded the
 * same way: identical distributions then give exactly zero.
 */
export function klDivergence(base: Float32Array, variant: Float64Array): number {
  let kl = 0;
  for (let i = 0; i < base.length; i++) {
    const lp = base[i]!;
    if (lp === -Infinity) continue;
    kl += Math.exp(lp) * (lp - Math.fround(variant[i]!));
  }
  // Rounding can give a tiny negative value for identical distributions; KL is never below zero.
  return Math.max(0, kl);
}

/** Running perplexity, mean KL, KL percentiles and top-token agreement over the scored positions. */
export class QualityTally {
  private nll = 0;
  private count = 0;
  private readonly kls: number[] = [];
  private agree = 0;

  addToken(logProbOfActual: number): void {
    this.nll -= logProbOfActual;
    this.count++;
  }

  addComparison(kl: number, sameTop: boolean): void {
    this.kls.push(kl);
    if (sameTop) this.agree++;
  }

  get positions(): number {
    return this.count;
  }
  get perplexity(): number {
    return Math.exp(this.nll / this.count);
  }
  get kldMean(): number {
    return this.kls.length ? this.kls.reduce((a, b) => a + b, 0) / this.kls.length : 0;
  }
  get kldP99(): number {
    return percentile(this.kls, 0.99);
  }
  get top1Agreement(): number {
    return this.kls.length ? this.agree / this.kls.length : 1;
  }
}

/** Linear interpolation between ranks, as llama-perplexity computes its KLD percentiles. */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const at = fraction * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(low + 1, sorted.length - 1);
  return (1 - (at - low)) * sorted[low]! + (at - low) * sorted[high]!;
}
