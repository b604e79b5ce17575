// Published llama.cpp measurements the speed model is fitted to and judged on. Each row says where it
// comes from; `half` keeps the rows the efficiencies are fitted on apart from the rows they are judged
// on (docs/fit-predictions.md). Peaks are the vendors' published figures unless the row says otherwise.
import type { SpeedKind } from './speed.ts';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export interface PublishedRow {
  device: string;
  kind: SpeedKind;
  bandwidthGBs: number;
  /** Peak FP16 TFLOPS; null when no peak comparable to the others is published (no prompt row then). */
  computeTflops: number | null;
  model: string;
  modelBytes: number;
  parameters: number;
  /** llama-bench tg128: tokens per second while decoding. */
  decodeTokensPerSec: number;
  /** llama-bench pp512: tokens per second over a 512-token prompt; null when not used. */
  promptTokensPerSec: number | null;
  half: 'fit' | 'held-out';
  source: string;
}

// llama.cpp discussion #4167 "Performance of llama.cpp on Apple Silicon M-series", LLaMA 2 7B Q4_0
// (3.56 GiB, 6.74 B parameters), llama-bench tg128 and pp512, Metal, build 8e672ef. Figures as in its
// summary table, checked against transcriptions of it (docs/fit-predictions.md, "Sources"); the GPU
// TFLOPS are Apple's published FP32 figures (Apple GPUs run FP16 at the FP32 rate).
const thread4167 = 'llama.cpp discussion #4167 (github.com/ggml-org/llama.cpp/discussions/4167), LLaMA 2 7B Q4_0';
const llama7bQ4 = { model: 'LLaMA 2 7B Q4_0', modelBytes: 3.56 * GiB, parameters: 6.74e9 };
const apple = (
  device: string,
  bandwidthGBs: number,
  computeTflops: number | null,
  tg: number,
  pp: number | null,
  half: PublishedRow['half'],
): PublishedRow => ({
  device,
  kind: 'apple-gpu',
  bandwidthGBs,
  computeTflops,
  ...llama7bQ4,
  decodeTokensPerSec: tg,
  promptTokensPerSec: pp,
  half,
  source: thread4167,
});

export const publishedRows: PublishedRow[] = [
  apple('M1 (8-core GPU)', 68.25, 2.6, 14.15, 117.96, 'fit'),
  apple('M1 Pro (16-core GPU)', 200, 5.2, 36.41, 266.25, 'held-out'),
  apple('M1 Max (32-core GPU)', 400, 10.4, 61.19, 530.06, 'held-out'),
  apple('M1 Ultra (64-core GPU)', 800, 21, 83.73, 1030.04, 'fit'),
  apple('M2 (10-core GPU)', 100, 3.6, 21.91, 179.57, 'held-out'),
  apple('M2 Pro (19-core GPU)', 200, 6.8, 38.86, 341.19, 'fit'),
  apple('M2 Max (38-core GPU)', 400, 13.6, 65.95, 671.31, 'fit'),
  apple('M2 Ultra (76-core GPU)', 800, 27.2, 94.27, 1238.48, 'held-out'),
  // Apple publishes no TFLOPS for M3 and M4 GPUs: decode rows only.
  apple('M3 (10-core GPU)', 100, null, 21.34, null, 'fit'),
  apple('M3 Pro (18-core GPU)', 150, null, 30.74, null, 'held-out'),
  apple('M3 Max (40-core GPU)', 400, null, 66.31, null, 'held-out'),
  apple('M4 (10-core GPU)', 120, null, 24.11, null, 'held-out'),
  apple('M4 Pro (20-core GPU)', 273, null, 50.74, null, 'fit'),
  // llama.cpp PR #16634 (M5 results posted 2025-10-25 by mweinbach), llama.swiftui bench, tg128.
  ...(
    [
      ['Mistral 7B Q4_0', 3.83 * GiB, 7.24e9, 26.59, 'held-out'],
      ['Phi-2 Q4_0', 1.49 * GiB, 2.78e9, 64.11, 'fit'],
      ['TinyLlama 1.1B Q4_0', 0.59 * GiB, 1.1e9, 149.69, 'held-out'],
    ] as const
  ).map(([model, modelBytes, parameters, tg, half]): PublishedRow => ({
    device: 'M5 (10-core GPU)',
    kind: 'apple-gpu',
    bandwidthGBs: 153,
    computeTflops: null,
    model,
    modelBytes,
    parameters,
    decodeTokensPerSec: tg,
    promptTokensPerSec: null,
    half,
    source: 'llama.cpp PR #16634 (github.com/ggml-org/llama.cpp/pull/16634), M5 results in its comments',
  })),
  {
    device: 'RTX 4090',
    kind: 'nvidia-gpu',
    bandwidthGBs: 1008,
    computeTflops: 165.2,
    model: 'Qwen2.5-Coder 3B Q4_0',
    modelBytes: 1.86 * GiB,
    parameters: 3.4e9,
    decodeTokensPerSec: 236.06,
    promptTokensPerSec: 18155.22,
    half: 'fit',
    source: 'llama.cpp PR #12183 (github.com/ggml-org/llama.cpp/pull/12183), master, fa 0',
  },
  {
    device: 'RTX 3080',
    kind: 'nvidia-gpu',
    bandwidthGBs: 760,
    computeTflops: 59.5,
    model: 'llama-v2 115M Q4_K_M',
    modelBytes: 72.74 * MiB,
    parameters: 116.93e6,
    decodeTokensPerSec: 1904.55,
    promptTokensPerSec: 144243.73,
    half: 'fit',
    source: 'llama.cpp PR #8672 (github.com/ggml-org/llama.cpp/pull/8672), CUDA, ngl 99',
  },
  {
    device: 'Tesla P40',
    kind: 'nvidia-gpu',
    bandwidthGBs: 346,
    // FP16 runs at 1/64 rate on Pascal; llama.cpp uses int8 dp4a there, so no comparable peak.
    computeTflops: null,
    ...llama7bQ4,
    decodeTokensPerSec: 56.79,
    promptTokensPerSec: null,
    half: 'held-out',
    source: 'llama.cpp PR #4766 (github.com/ggml-org/llama.cpp/pull/4766), JohannesGaessler, master column',
  },
  {
    device: 'Core i9-13900K, DDR5-6400 (CPU, 8 threads)',
    kind: 'cpu',
    bandwidthGBs: 102.4,
    computeTflops: null,
    ...llama7bQ4,
    decodeTokensPerSec: 18.27,
    promptTokensPerSec: null,
    half: 'fit',
    source: 'llama.cpp issue #34 (github.com/ggml-org/llama.cpp/issues/34), slaren, 7B gen 128 (Q4_0 assumed)',
  },
  {
    device: 'M2 Pro CPU (12-core)',
    kind: 'cpu',
    bandwidthGBs: 200,
    computeTflops: null,
    ...llama7bQ4,
    decodeTokensPerSec: 1000 / 47.81,
    promptTokensPerSec: null,
    half: 'fit',
    source: 'XiongjieDai/GPU-Benchmarks-on-LLM-Inference issue #1 (M2 Mini Pro CPU, 7B_q4_0, mean eval 47.81 ms/token)',
  },
  {
    device: 'Mac Pro 2019, 16-core Xeon W (CPU)',
    kind: 'cpu',
    bandwidthGBs: 140.8,
    computeTflops: null,
    ...llama7bQ4,
    decodeTokensPerSec: 1000 / 58.76,
    promptTokensPerSec: null,
    half: 'held-out',
    source: 'XiongjieDai/GPU-Benchmarks-on-LLM-Inference issue #1 (7B_q4_0, mean eval 58.76 ms/token)',
  },
  {
    device: 'Snapdragon 8 Gen 2 class (QCS8550, Radxa Dragon Q8B, CPU 8 threads)',
    kind: 'cpu',
    bandwidthGBs: 67,
    computeTflops: null,
    model: 'TinyLlama 1.1B Q4_K_M',
    modelBytes: 636.18 * MiB,
    parameters: 1.1e9,
    decodeTokensPerSec: 38.81,
    promptTokensPerSec: null,
    half: 'held-out',
    source: 'geerlingguy/ai-benchmarks issue #54 (llama-bench tg128); bandwidth: LPDDR5X-8400 on a 64-bit bus',
  },
];
