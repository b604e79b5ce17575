// `edgewise bench --attention`: flash attention on against off on one model, at the depths a conversation
// reaches: a turn's time to first token and the decode speed after it, and the long prompt that fills the
// context. Repetitions alternate the order of the two settings, so machine noise falls on both alike;
// medians and the min–max of the per-repetition ratios (off ÷ on, above 1 where off is faster) are reported.
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { timeAttention, type AttentionTiming } from '../../services/engine/attentionTiming.ts';
import { median } from '../../services/engine/threadCalibration.ts';
import type { GpuChoice } from '../../../shared/schemas.ts';
import { ratioRange, type Ratio } from './peer/peerStats.ts';

export interface AttentionDepthSummary {
  depth: number;
  turnMs: { on: number; off: number };
  decodeTokensPerSec: { on: number; off: number };
  /** on ÷ off of the turn's time: how many times faster off starts answering. */
  turnSpeedupOff: Ratio;
  /** off ÷ on of decode speed. */
  decodeSpeedupOff: Ratio;
}

export interface AttentionResult {
  /** The backend the contexts ran on: cpu unless --gpu chose another. */
  backend: string;
  threads: number;
  repetitions: number;
  turnTokens: number;
  decodeTokens: number;
  fillTokensPerSec: { on: number | null; off: number | null };
  /** off ÷ on of the fill's speed: above 1 where off evaluates a long prompt faster. */
  fillSpeedupOff: Ratio | null;
  depths: AttentionDepthSummary[];
  runs: AttentionTiming[][];
}

/** Medians per depth and setting, and the per-repetition ratios; each repetition holds one run of each. */
export function summarizeAttention(
  runs: AttentionTiming[][],
): Pick<AttentionResult, 'fillTokensPerSec' | 'fillSpeedupOff' | 'depths'> {
  const pick = (rep: AttentionTiming[], on: boolean) => rep.find((r) => r.flashAttention === on)!;
  const ons = runs.map((rep) => pick(rep, true));
  const offs = runs.map((rep) => pick(rep, false));
  const fills = runs
    .map((rep) => [pick(rep, true).fillTokensPerSec, pick(rep, false).fillTokensPerSec] as const)
    .filter((p): p is readonly [number, number] => p[0] !== null && p[1] !== null);
  const depths = ons[0]!.points.map((p, i) => {
    const on = ons.map((r) => r.points[i]!);
    const off = offs.map((r) => r.points[i]!);
    return {
      depth: p.depth,
      turnMs: { on: median(on.map((x) => x.turnMs)), off: median(off.map((x) => x.turnMs)) },
      decodeTokensPerSec: {
        on: median(on.map((x) => x.decodeTokensPerSec)),
        off: median(off.map((x) => x.decodeTokensPerSec)),
      },
      turnSpeedupOff: ratioRange(on.map((x, k) => x.turnMs / off[k]!.turnMs)),
      decodeSpeedupOff: ratioRange(off.map((x, k) => x.decodeTokensPerSec / on[k]!.decodeTokensPerSec)),
    };
  });
  return {
    fillTokensPerSec: {
      on: fills.length ? median(fills.map((f) => f[0])) : null,
      off: fills.length ? median(fills.map((f) => f[1])) : null,
    },
    fillSpeedupOff: fills.length ? ratioRange(fills.map((f) => f[1] / f[0])) : null,
    depths,
  };
}

export async function benchAttention(o: {
  modelPath: string;
  threads: number;
  depths: number[];
  repetitions: number;
  turnTokens?: number;
  decodeTokens?: number;
  gpu?: GpuChoice;
  say: (line: string) => void;
}): Promise<AttentionResult> {
  const turnTokens = o.turnTokens ?? 30;
  const decodeTokens = o.decodeTokens ?? 32;
  const gpu = o.gpu ?? 'cpu';
  const llama = await getLlama({
    gpu: gpu === 'cpu' ? false : gpu,
    build: 'never',
    maxThreads: o.threads,
    logLevel: LlamaLogLevel.error,
  });
  try {
    const model = await llama.loadModel({ modelPath: o.modelPath });
    try {
      const runs: AttentionTiming[][] = [];
      for (let rep = 0; rep < o.repetitions; rep++) {
        const order = rep % 2 === 0 ? [true, false] : [false, true];
        const pair: AttentionTiming[] = [];
        for (const flashAttention of order) {
          const t = await timeAttention(model, {
            threads: o.threads,
            flashAttention,
            depths: o.depths,
            turnTokens,
            decodeTokens,
          });
          pair.push(t);
          o.say(
            `  ${rep + 1} flash attention ${flashAttention ? 'on ' : 'off'}: ${t.points
              .map((p) => `@${p.depth} turn ${p.turnMs.toFixed(0)} ms, decode ${p.decodeTokensPerSec.toFixed(1)} tok/s`)
              .join('; ')}${t.fillTokensPerSec ? `; fill ${t.fillTokensPerSec.toFixed(0)} tok/s` : ''}`,
          );
        }
        runs.push(pair);
      }
      return {
        backend: llama.gpu === false ? 'cpu' : llama.gpu,
        threads: o.threads,
        repetitions: o.repetitions,
        turnTokens,
        decodeTokens,
        ...summarizeAttention(runs),
        runs,
      };
    } finally {
      await model.dispose();
    }
  } finally {
    await llama.dispose();
  }
}

export function attentionMarkdown(r: AttentionResult, modelFile: string): string {
  const x = (q: Ratio) => `${q.median.toFixed(2)} (${q.min.toFixed(2)}–${q.max.toFixed(2)})`;
  const lines = [
    `${modelFile}, ${r.backend}, ${r.threads} thread(s), a turn of ${r.turnTokens} tokens then ${r.decodeTokens} decoded, greedy, ${r.repetitions} alternating repetitions (medians; ×: off against on, median and min–max, above 1 where off is faster).`,
    '',
    '| Depth (tokens) | Turn TTFT ms, on / off | × | Decode tok/s, on / off | × |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...r.depths.map(
      (d) =>
        `| ${d.depth} | ${d.turnMs.on.toFixed(0)} / ${d.turnMs.off.toFixed(0)} | ${x(d.turnSpeedupOff)} | ${d.decodeTokensPerSec.on.toFixed(1)} / ${d.decodeTokensPerSec.off.toFixed(1)} | ${x(d.decodeSpeedupOff)} |`,
    ),
  ];
  if (r.fillSpeedupOff && r.fillTokensPerSec.on !== null && r.fillTokensPerSec.off !== null)
    lines.push(
      '',
      `The filler text up to ${Math.max(...r.depths.map((d) => d.depth))} tokens (evaluated in batches of up to 512, between the depths): ${r.fillTokensPerSec.on.toFixed(0)} tok/s on, ${r.fillTokensPerSec.off.toFixed(0)} off (× ${x(r.fillSpeedupOff)}).`,
    );
  return lines.join('\n');
}
