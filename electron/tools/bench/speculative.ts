// `edgewise bench --speculative`: decode speed with and without speculative decoding, on a prompt where
// guesses should land (the model's own greedy answer, then the prompt again: it repeats itself, as a
// rewrite or an edit copies its source). Repetitions alternate the modes so that machine noise falls on
// all of them alike; medians and the spread of the per-repetition ratios are reported.
import { EngineHost } from '../../services/engine/engineHost.ts';
import { trackedWorker } from './children.ts';
import { median } from '../../services/engine/threadCalibration.ts';
import { ratioRange, type Ratio } from './peer/peerStats.ts';
import { defaultSampling, type Speculation } from '../../../shared/schemas.ts';

export interface SpeculativeRun {
  kind: Speculation['kind'];
  decodeTokensPerSec: number;
  outputTokens: number;
  validated: number;
  refuted: number;
  sameTextAsOff: boolean;
}

export interface SpeculativeSummary {
  kind: Speculation['kind'];
  medianDecodeTokensPerSec: number;
  /** Median of (this mode ÷ off) over the repetitions, and their lowest and highest. */
  speedup: Ratio | null;
  acceptanceRate: number | null;
  identicalOutput: boolean;
}

export interface SpeculativeResult {
  prompt: string;
  tokens: number;
  threads: number;
  repetitions: number;
  draftModel: string | null;
  runs: SpeculativeRun[][];
  summary: SpeculativeSummary[];
}

export function summarize(kinds: Speculation['kind'][], runs: SpeculativeRun[][]): SpeculativeSummary[] {
  return kinds.map((kind, k) => {
    const mine = runs.map((rep) => rep[k]!);
    const checked = mine.reduce((n, r) => n + r.validated + r.refuted, 0);
    return {
      kind,
      medianDecodeTokensPerSec: median(mine.map((r) => r.decodeTokensPerSec)),
      speedup:
        kind === 'off' ? null : ratioRange(runs.map((rep) => rep[k]!.decodeTokensPerSec / rep[0]!.decodeTokensPerSec)),
      acceptanceRate: kind === 'off' || checked === 0 ? null : mine.reduce((n, r) => n + r.validated, 0) / checked,
      identicalOutput: mine.every((r) => r.sameTextAsOff),
    };
  });
}

export async function benchSpeculative(options: {
  modelPath: string;
  draftModelPath: string | null;
  seedPrompt: string;
  tokens: number;
  threads: number;
  repetitions: number;
  say: (line: string) => void;
}): Promise<SpeculativeResult> {
  const engine = new EngineHost({ spawn: trackedWorker, onStatus: () => {}, gpu: 'cpu', threads: options.threads });
  const sampling = { ...defaultSampling, temperature: 0, repeatPenalty: 1, maxTokens: options.tokens };
  const kinds: Speculation['kind'][] = ['off', 'prompt', ...(options.draftModelPath ? (['draft'] as const) : [])];
  try {
    await engine.load({ id: 'bench', name: 'bench', path: options.modelPath });
    const generate = (text: string, kind: Speculation['kind']) =>
      engine.generate(
        {
          requestId: `spec-${kind}-${Math.random()}`,
          mode: 'raw',
          systemPrompt: '',
          history: [{ role: 'user', text }],
          sampling,
          contextSize: 2048,
          speculation: { kind, draftModelPath: kind === 'draft' ? options.draftModelPath : null },
        },
        () => {},
      );
    // The model's own answer, then the seed again: from there on greedy decoding repeats that answer.
    const first = await generate(options.seedPrompt, 'off');
    const prompt = `${options.seedPrompt}${first.text}\n\n${options.seedPrompt}`;
    const runs: SpeculativeRun[][] = [];
    for (let rep = 0; rep < options.repetitions; rep++) {
      // Alternate the order: off first on even repetitions, last on odd ones.
      const order = rep % 2 === 0 ? kinds : [...kinds].reverse();
      const results = new Map<string, Awaited<ReturnType<typeof generate>>>();
      for (const kind of order) results.set(kind, await generate(prompt, kind));
      const off = results.get('off')!;
      runs.push(
        kinds.map((kind) => {
          const r = results.get(kind)!;
          return {
            kind,
            decodeTokensPerSec: r.decodeTokensPerSec,
            outputTokens: r.outputTokens,
            validated: r.speculation?.validated ?? 0,
            refuted: r.speculation?.refuted ?? 0,
            sameTextAsOff: r.text === off.text,
          };
        }),
      );
      options.say(
        `  repetition ${rep + 1}: ${runs
          .at(-1)!
          .map(
            (r) =>
              `${r.kind} ${r.decodeTokensPerSec.toFixed(1)} tok/s${r.kind === 'off' ? '' : ` (${r.validated} guesses kept, ${r.refuted} refuted)`}`,
          )
          .join(', ')}`,
      );
    }
    return {
      prompt,
      tokens: options.tokens,
      threads: options.threads,
      repetitions: options.repetitions,
      draftModel: options.draftModelPath,
      runs,
      summary: summarize(kinds, runs),
    };
  } finally {
    await engine.dispose();
  }
}
