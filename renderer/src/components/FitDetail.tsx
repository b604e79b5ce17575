import { budgetOf, efficiencyOf, speedFactsOf, type Device } from '../../../shared/fit/devices.ts';
import type { CellModel } from '../../../shared/fit/matrix.ts';
import { roundSeconds, roundTokens } from '../../../shared/fit/speed.ts';
import { gb } from '../format.ts';
import { SpeedArithmetic } from './FitSpeedArithmetic.tsx';
import { Verdict } from './Verdict.tsx';

export function FitDetail({ cell, device, tier }: { cell: CellModel[]; device: Device; tier: string }) {
  const budget = budgetOf(device);
  return (
    <div className="fit-detail" data-testid="fit-detail">
      <h3>
        {tier} on {device.name}
      </h3>
      <p className="explain">
        Budget {gb(budget)}: {device.explanation}
      </p>
      {cell.length === 0 && <p className="empty">No catalog or local model in this size tier.</p>}
      {cell.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Model</th>
              <th>Quant</th>
              <th>Weights</th>
              <th>KV cache</th>
              <th>Compute buffers</th>
              <th>Runtime</th>
              <th>Total</th>
              <th>Budget</th>
              <th>Verdict</th>
              <th>Margin</th>
              <th>Predicted decode</th>
              <th>Predicted first token</th>
            </tr>
          </thead>
          <tbody>
            {cell.map((m) => (
              <tr key={m.id} data-testid="fit-model" data-verdict={m.verdict}>
                <td title={m.notes.join('\n')}>
                  {m.name}
                  {m.notes.length > 0 && ' ⓘ'}
                </td>
                <td>{m.quantization}</td>
                <td>{gb(m.weightsBytes)}</td>
                <td>{gb(m.kvCacheBytes)}</td>
                <td>{gb(m.computeBytes)}</td>
                <td>{gb(m.runtimeBytes)}</td>
                <td>
                  <strong>{gb(m.totalBytes)}</strong>
                </td>
                <td>{gb(budget)}</td>
                <td>
                  <Verdict verdict={m.verdict} title={m.reason} />
                </td>
                <td>{m.marginBytes >= 0 ? `${gb(m.marginBytes)} free` : `${gb(-m.marginBytes)} short`}</td>
                <td data-testid="predicted-decode">
                  ~{roundTokens(m.predictedDecodeTokensPerSec)} tok/s{m.tooSlow && ' ⏳ too slow'}
                </td>
                <td>~{roundSeconds(m.predictedTtftMs / 1000)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="explain">
        Weights: parameters × bits per weight of the level (a file on disk: its own tensors). KV cache: 2 × layers × KV
        heads × head dimension × context × bytes per element (sliding-window layers keep only their window). Compute
        buffers: one batch of logits plus the attention mask, as llama.cpp allocates them with flash attention. Runtime:
        llama.cpp's own code and tables, measured. A model "fits" when a fifth of the budget stays free.
      </p>
      <SpeedArithmetic models={cell} speed={speedFactsOf(device)} efficiency={efficiencyOf(device)} />
    </div>
  );
}
