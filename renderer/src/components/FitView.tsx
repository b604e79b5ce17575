import { useEffect, useMemo } from 'react';
import { budgetOf } from '../../../shared/fit/devices.ts';
import { bestFit, buildMatrix, type Cell, type CellModel } from '../../../shared/fit/matrix.ts';
import { quantLevels, type KvType } from '../../../shared/fit/quantLevels.ts';
import { speedLabel } from '../../../shared/fit/speed.ts';
import { fitActions, useFitStore } from '../state/fitStore.ts';
import { FitDetail } from './FitDetail.tsx';
import { DeviceForm } from './FitDeviceForm.tsx';
import { gb } from '../format.ts';
import { Verdict } from './Verdict.tsx';

const contexts = [2048, 4096, 8192, 16384, 32768, 65536, 131072];

export function FitView() {
  const { facts, controls, selected, measuring } = useFitStore();
  useEffect(() => {
    void fitActions.load();
  }, []);
  const models = useMemo(() => (facts ? [...facts.catalog, ...facts.local] : []), [facts]);
  const matrix = useMemo(() => buildMatrix(models, facts?.devices ?? [], controls), [models, facts, controls]);
  const machine = facts?.devices.find((d) => d.id === 'this-machine');
  const best = useMemo(
    () =>
      machine && facts ? bestFit(facts.catalog, machine, controls.ctx, controls.kvType, controls.readingSpeed) : null,
    [facts, machine, controls.ctx, controls.kvType, controls.readingSpeed],
  );
  if (!facts)
    return (
      <section className="fit" aria-labelledby="fit-title">
        <h2 id="fit-title" tabIndex={-1} data-view-focus>
          What fits where
        </h2>
        <p className="empty">Reading model facts and this machine's memory…</p>
      </section>
    );
  const cell =
    selected && matrix.rows.find((r) => r.tier === selected.tier)?.cells.find((c) => c.device === selected.device);
  const device = selected && facts.devices.find((d) => d.name === selected.device);
  return (
    <section className="fit" aria-labelledby="fit-title">
      <h2 id="fit-title" tabIndex={-1} data-view-focus>
        What fits where
      </h2>
      <div className="fit-controls">
        <label>
          Quantization
          <select
            aria-label="Quantization"
            value={controls.quant}
            onChange={(e) => fitActions.setControls({ quant: e.target.value })}
          >
            {quantLevels.map((q) => (
              <option key={q.name} value={q.name}>
                {q.name} · {q.bitsPerWeight.toFixed(2)} bits/weight
              </option>
            ))}
          </select>
        </label>
        <label>
          Context
          <select
            aria-label="Context length"
            value={controls.ctx}
            onChange={(e) => fitActions.setControls({ ctx: Number(e.target.value) })}
          >
            {contexts.map((c) => (
              <option key={c} value={c}>
                {c / 1024}K tokens
              </option>
            ))}
          </select>
        </label>
        <label>
          KV cache
          <select
            aria-label="KV cache type"
            value={controls.kvType}
            onChange={(e) => fitActions.setControls({ kvType: e.target.value as KvType })}
          >
            <option value="f16">f16</option>
            <option value="q8_0">q8_0</option>
          </select>
        </label>
        <label>
          Reading speed (tok/s)
          <input
            aria-label="Reading speed (tokens per second)"
            type="number"
            min="0.1"
            max="10000"
            step="any"
            value={controls.readingSpeed ?? 10}
            onChange={(e) => void fitActions.setReadingSpeed(Number(e.target.value))}
          />
        </label>
        <button type="button" onClick={() => void fitActions.measure()} disabled={measuring}>
          {measuring ? 'Measuring this machine…' : 'Measure this machine'}
        </button>
        {machine && (
          <p className="best-fit" data-testid="best-fit">
            {best ? (
              <>
                Best fit for this machine: <strong>{best.name}</strong> at {best.quantization} ({gb(best.totalBytes)} of{' '}
                {gb(budgetOf(machine))}, predicted {speedLabel(best.speed)}): {best.why}.
              </>
            ) : (
              <>
                Best fit for this machine: none. No catalog model fits with room to spare and is predicted at or above{' '}
                {controls.readingSpeed ?? 10} tok/s here; lower the reading speed or the context to see the nearest.
              </>
            )}
          </p>
        )}
      </div>
      <p className="explain">
        Speeds are predictions: decoding with the context full, and the first token after a{' '}
        {controls.promptTokens ?? 100}-token prompt. ⏳ marks a model that fits in memory but would be slower than your
        reading speed. Click a cell for the arithmetic.
      </p>
      <table className="fit-matrix">
        <thead>
          <tr>
            <th>Model size</th>
            {matrix.devices.map((d) => (
              <th key={d.id} title={d.explanation}>
                {d.name}
                <small>
                  {gb(d.budgetBytes)} of {gb(d.memoryBytes)} usable
                </small>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.rows.map((row) => (
            <tr key={row.tier}>
              <th scope="row">{row.tier}</th>
              {row.cells.map((c) => (
                <td key={c.device}>
                  <MatrixCell
                    cell={c}
                    tier={row.tier}
                    pressed={selected?.tier === row.tier && selected.device === c.device}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {cell && device && <FitDetail cell={cell.models} device={device} tier={selected!.tier} />}
      <DeviceForm devices={facts.devices} />
    </section>
  );
}

/** The largest model of the cell that runs at all: its predicted speed stands for the cell. */
function representative(c: Cell): CellModel | null {
  const running = c.models.filter((m) => m.verdict !== 'no');
  return running.reduce<CellModel | null>((a, m) => (!a || m.weightsBytes > a.weightsBytes ? m : a), null);
}

function MatrixCell({ cell: c, tier, pressed }: { cell: Cell; tier: string; pressed: boolean }) {
  const shown = representative(c);
  // Shaded when models fit in memory but every one of them would be slower than the reading speed.
  const tooSlow = shown !== null && c.models.filter((m) => m.verdict !== 'no').every((m) => m.tooSlow);
  return (
    <button
      className={`fit-cell ${c.verdict}${tooSlow ? ' too-slow' : ''}`}
      data-testid="fit-cell"
      data-tier={tier}
      data-device={c.device}
      data-verdict={c.verdict}
      data-too-slow={tooSlow ? 'true' : 'false'}
      aria-pressed={pressed}
      onClick={() => fitActions.select(tier, c.device)}
    >
      <Verdict verdict={c.verdict} />
      {shown && (
        <span className="speed" data-testid="cell-speed" title={`Predicted for ${shown.name} at ${shown.quantization}`}>
          predicted {speedLabel(shown.speed)}
        </span>
      )}
      {tooSlow && <span className="too-slow-note">⏳ slower than your reading speed</span>}
      {c.models.slice(0, 4).map((m) => (
        <ModelChip key={m.id} model={m} />
      ))}
      {c.models.length > 4 && <span className="more">+{c.models.length - 4} more</span>}
    </button>
  );
}

function ModelChip({ model }: { model: CellModel }) {
  return (
    <span className={`chip ${model.verdict}`}>
      {model.tooSlow && <span aria-hidden="true">⏳ </span>}
      {model.name}
      {model.tooSlow && <span className="sr-only"> (too slow)</span>}
      {model.verdict === 'no' && <span className="sr-only"> (does not fit)</span>}
    </span>
  );
}
