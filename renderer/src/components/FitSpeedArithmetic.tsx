// The arithmetic behind a cell's predicted speed, written out with its numbers, so a reader can check it.
import type { Efficiency, SpeedFacts } from '../../../shared/fit/speed.ts';
import type { CellModel } from '../../../shared/fit/matrix.ts';
import { roundSeconds, roundTokens } from '../../../shared/fit/speed.ts';
import { gb } from '../format.ts';

const gbs = (n: number) => `${(n / 1e9).toFixed(n < 10e9 ? 2 : 0)} GB/s`;
const flops = (n: number) => (n >= 1e12 ? `${(n / 1e12).toFixed(1)} TFLOP/s` : `${(n / 1e9).toFixed(1)} GFLOP/s`);
const ms = (s: number) => `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms`;

export function SpeedArithmetic({
  models,
  speed,
  efficiency,
}: {
  models: CellModel[];
  speed: SpeedFacts;
  efficiency: Efficiency;
}) {
  const running = models.filter((m) => m.verdict !== 'no');
  if (running.length === 0) return null;
  const measured = speed.measured;
  return (
    <div className="speed-arithmetic" data-testid="speed-arithmetic">
      <h4>How the speed is predicted (a prediction, not a measurement)</h4>
      <p className="explain">
        {measured
          ? `This machine, measured at ${measured.threads} thread(s): the engine reads weights at ${gbs(measured.effectiveBytesPerSec)} with a fixed ${ms(measured.fixedSecondsPerToken)} per token, computes a prompt at ${flops(measured.effectiveFlops)} and starts in ${ms(measured.startSeconds)}.`
          : `Peak bandwidth ${gbs(speed.bandwidthBytesPerSec)} and compute ${flops(speed.computeFlops)} (${speed.source}); llama.cpp reaches ${Math.round(efficiency.bandwidth * 100)}% of the bandwidth with a fixed ${ms(efficiency.fixedSecondsPerToken)} per token, and ${Math.round(efficiency.compute * 100)}% of the compute on a ${speed.kind} device (${efficiency.basis}).`}
      </p>
      <ul>
        {running.map((m) => {
          const p = m.speed;
          return (
            <li key={m.id}>
              <strong>{m.name}</strong>: each token reads {gb(p.weightBytesPerToken)} of weights
              {p.weightBytesPerToken < m.weightsBytes * 0.99 ? ' (the active experts only)' : ''} +{' '}
              {gb(p.kvBytesPerToken)} of KV cache = {gb(p.bytesPerToken)}; {gb(p.bytesPerToken)} ÷{' '}
              {gbs(p.effectiveBytesPerSec)} + {ms(p.fixedSecondsPerToken)} = {ms(p.secondsPerToken)} per token ≈{' '}
              <strong>{roundTokens(p.decodeTokensPerSec)} tok/s</strong>. First token: 2 × active parameters ×{' '}
              {p.promptTokens} tokens = {(p.promptFlops / 1e9).toFixed(1)} GFLOP ÷ {flops(p.effectiveFlops)} +{' '}
              {ms(p.startSeconds)} start ≈ <strong>{roundSeconds(p.ttftMs / 1000)}</strong>.
              {m.tooSlow && ' ⏳ Slower than your reading speed.'}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
