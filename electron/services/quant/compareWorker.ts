// A child process that measures one variant of a comparison: load time, peak memory, quality over the
// reference text (perplexity; KL divergence and top-token agreement against the base variant's
// log-probabilities, which the base run writes to a file), prefill and decode speed, and the answer
// to the prompt, streamed. One process per variant, so each starts from the same empty state and its
// peak memory is its own.
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { getLlama, LlamaLogLevel, type LlamaContextSequence, type LlamaModel, type Token } from 'node-llama-cpp';
import { chunkPlan, klDivergence, logSoftmax, QualityTally } from './quality.ts';
import { errorMessage } from '../../../shared/errors.ts';

export interface VariantJob {
  file: string;
  textPath: string;
  ctx: number;
  threads: number;
  prompt: string;
  maxTokens: number;
  /** The base run writes its log-probabilities here; the others read them. */
  logProbsPath: string;
  isBase: boolean;
  /** The base run's token hash: every variant must tokenize the text the same way. */
  tokensHash: string | null;
}

export type VariantReport =
  | { kind: 'stage'; stage: 'loading' | 'quality' | 'speed' | 'answer'; fraction: number }
  | { kind: 'delta'; text: string }
  | {
      kind: 'result';
      loadMs: number;
      peakMemoryBytes: number;
      perplexity: number;
      kldMean: number;
      kldP99: number;
      top1Agreement: number;
      prefillTokensPerSec: number;
      decodeTokensPerSec: number;
      ttftMs: number;
      answer: string;
      tokensHash: string;
      textTokens: number;
      chunks: number;
      scoredPositions: number;
    }
  | { kind: 'error'; message: string };

/** Sends a report; the returned promise settles once it has left, so the process may exit after it. */
const send = (report: VariantReport) =>
  new Promise<void>((done) => {
    if (!process.send) done();
    else process.send(report, () => done());
  });

function textTokens(model: LlamaModel, text: string): Token[] {
  const tokens = model.tokenize(text);
  const bos = model.tokens.bos;
  return model.tokens.shouldPrependBosToken && bos != null ? [bos, ...tokens] : tokens;
}

async function measureQuality(job: VariantJob, model: LlamaModel, sequence: LlamaContextSequence, tokens: Token[]) {
  const plan = chunkPlan(tokens.length, job.ctx);
  const tally = new QualityTally();
  const file = openSync(job.logProbsPath, job.isBase ? 'w' : 'r');
  // The vocabulary size is the length of the full logits list; rows are sized on the first one.
  let vocab = 0;
  let row = new Float32Array(0);
  let rowBytes = new Uint8Array(0);
  let offset = 0;
  try {
    for (let chunk = 0; chunk < plan.chunks; chunk++) {
      await sequence.clearHistory();
      const input = tokens.slice(chunk * job.ctx, (chunk + 1) * job.ctx);
      if (model.tokens.shouldPrependBosToken && model.tokens.bos != null) input[0] = model.tokens.bos;
      const scored = (j: number) => j >= plan.first && j < job.ctx - 1;
      const results = await sequence.controlledEvaluate(
        input.map((token, j) => (scored(j) ? [token, { generateNext: { logits: true } }] : token)),
      );
      for (let j = plan.first; j < job.ctx - 1; j++) {
        const logitsMap = results[j]?.next?.logits;
        if (!logitsMap) throw new Error(`no logits came back for position ${j}`);
        if (!vocab) {
          vocab = logitsMap.size;
          row = new Float32Array(vocab);
          rowBytes = new Uint8Array(row.buffer);
        }
        const logits = new Float64Array(vocab);
        for (const [token, value] of logitsMap) logits[token] = value;
        const { logProbs, top } = logSoftmax(logits);
        tally.addToken(logProbs[input[j + 1]!]!);
        if (job.isBase) {
          row.set(logProbs);
          writeSync(file, rowBytes, 0, rowBytes.length, offset);
        } else {
          readSync(file, rowBytes, 0, rowBytes.length, offset);
          let baseTop = 0;
          for (let i = 1; i < vocab; i++) if (row[i]! > row[baseTop]!) baseTop = i;
          tally.addComparison(klDivergence(row, logProbs), baseTop === top);
        }
        offset += rowBytes.length;
      }
      send({ kind: 'stage', stage: 'quality', fraction: (chunk + 1) / plan.chunks });
    }
  } finally {
    closeSync(file);
  }
  return { tally, plan };
}

/** Prefill of half a context of the reference text, then the prompt's answer, greedy, streamed. */
async function measureSpeed(job: VariantJob, model: LlamaModel, sequence: LlamaContextSequence, tokens: Token[]) {
  await sequence.clearHistory();
  const prefillInput = tokens.slice(0, Math.floor(job.ctx / 2));
  const prefillStart = performance.now();
  await sequence.controlledEvaluate(
    prefillInput.map((t, j) => (j === prefillInput.length - 1 ? [t, { generateNext: { token: true } }] : t)),
  );
  const prefillTokensPerSec = prefillInput.length / ((performance.now() - prefillStart) / 1000);

  send({ kind: 'stage', stage: 'answer', fraction: 0 });
  await sequence.clearHistory();
  const prompt = textTokens(model, job.prompt);
  const generated: Token[] = [];
  let shown = '';
  const started = performance.now();
  let first = 0;
  for await (const token of sequence.evaluate(prompt, { temperature: 0 })) {
    if (!first) first = performance.now();
    if (model.isEogToken(token)) break;
    generated.push(token);
    const text = model.detokenize(generated);
    if (text.length > shown.length && !text.endsWith('\uFFFD')) {
      send({ kind: 'delta', text: text.slice(shown.length) });
      shown = text;
    }
    if (generated.length >= job.maxTokens) break;
  }
  const ended = performance.now();
  return {
    prefillTokensPerSec,
    ttftMs: first - started,
    decodeTokensPerSec: generated.length > 1 ? (generated.length - 1) / ((ended - first) / 1000) : 0,
    answer: model.detokenize(generated),
  };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as VariantJob;
  send({ kind: 'stage', stage: 'loading', fraction: 0 });
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: job.threads, logLevel: LlamaLogLevel.error });
  // Memory is counted from here, with the native libraries already loaded: the model, its context and
  // its compute buffers, through the answer. The quality pass runs after, so its bookkeeping is not counted.
  const rssBefore = process.memoryUsage().rss;
  const loadStart = performance.now();
  const model = await llama.loadModel({ modelPath: job.file });
  const loadMs = performance.now() - loadStart;
  const context = await model.createContext({
    contextSize: job.ctx,
    batchSize: job.ctx,
    threads: job.threads,
    sequences: 1,
  });
  const sequence = context.getSequence();
  const tokens = textTokens(model, readFileSync(job.textPath, 'utf8'));
  const tokensHash = createHash('sha256').update(Uint32Array.from(tokens)).digest('hex');
  if (job.tokensHash && job.tokensHash !== tokensHash) {
    throw new Error(
      'this file tokenizes the reference text differently from the base variant: it is not a quantization of the same model',
    );
  }
  chunkPlan(tokens.length, job.ctx);
  send({ kind: 'stage', stage: 'speed', fraction: 0 });
  const speed = await measureSpeed(job, model, sequence, tokens);
  const peakMemoryBytes = Math.max(0, process.resourceUsage().maxRSS * 1024 - rssBefore);
  const { tally, plan } = await measureQuality(job, model, sequence, tokens);
  await send({
    kind: 'result',
    loadMs,
    peakMemoryBytes,
    perplexity: tally.perplexity,
    kldMean: job.isBase ? 0 : tally.kldMean,
    kldP99: job.isBase ? 0 : tally.kldP99,
    top1Agreement: job.isBase ? 1 : tally.top1Agreement,
    ...speed,
    tokensHash,
    textTokens: tokens.length,
    chunks: plan.chunks,
    scoredPositions: tally.positions,
  });
  await context.dispose();
  await model.dispose();
}

process.on('disconnect', () => process.exit(0));
main().then(
  () => process.exit(0),
  async (error: unknown) => {
    await send({ kind: 'error', message: errorMessage(error) });
    process.exit(1);
  },
);
