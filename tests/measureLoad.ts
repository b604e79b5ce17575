// Run as a child process by fitReality.test.ts: loads one model at one context size on the CPU build,
// fills one full batch, and prints the peak RSS growth from before the load as JSON. A separate process per
// case keeps the figures free of earlier allocations.
import { readFileSync } from 'node:fs';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { errorMessage } from '../shared/errors.ts';

// The peak resident size (VmHWM), not the current one: a fit is about the most memory the load needs at once,
// and the current RSS falls during the fill by 3-4 MB (transient load buffers given back), by more under load:
// stories260K at ctx 8192 read 17-19 MB by RSS against 31-34 MB by peak, and the estimate is 32.6 MB.
const rss = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
const [path, ctxArg, kvArg] = process.argv.slice(2);
const contextSize = Number(ctxArg);
const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
const before = rss();
let refused: string | null = null;
let after = before;
try {
  const model = await llama.loadModel({ modelPath: path! });
  const context = await model.createContext({
    contextSize,
    threads: 2,
    sequences: 1,
    flashAttention: true,
    ...(kvArg === 'q8_0' ? { experimentalKvCacheKeyType: 'Q8_0', experimentalKvCacheValueType: 'Q8_0' } : {}),
  });
  const sequence = context.getSequence();
  // Fill the whole context, so every cell of the KV cache and the attention mask at its widest are touched.
  const story = model.tokenize(
    'Once upon a time, there was a little girl named Lily. She liked to play in the park with her dog. ',
  );
  const tokens = Array.from({ length: contextSize - 1 }, (_, i) => story[i % story.length]!);
  const loaded = rss();
  await sequence.evaluateWithoutGeneratingNewTokens(tokens);
  (globalThis as { gc?: () => void }).gc?.(); // the JS garbage of the fill is not model memory
  after = rss();
  if (process.env.MEASURE_DEBUG)
    console.error({ load: loaded - before, fill: after - loaded, batch: context.batchSize });
} catch (error) {
  refused = errorMessage(error);
}
process.stdout.write(JSON.stringify({ deltaBytes: after - before, refused }) + '\n');
