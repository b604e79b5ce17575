import { useEffect, useMemo, useState } from 'react';
import { budgetOf, type Device } from '../../../shared/fit/devices.ts';
import { bestFit, buildMatrix, type CellModel } from '../../../shared/fit/matrix.ts';
import { quantLevels, type KvType } from '../../../shared/fit/quantLevels.ts';
import { fitActions, useFitStore } from '../state/fitStore.ts';
import { FitDetail } from './FitDetail.tsx';
import { gb } from '../format.ts';

const contexts = [2048, 4096, 8192, 16384, 32768, 65536, 131072];
const verdictText = { fits: 'fits', tight: 'tight', no: 'does not fit' } as const;

export function FitView() {
  const { facts, controls, selected } = useFitStore();
  useEffect(() => {
    void fitActions.load();
  }, []);
  const models = useMemo(() => (facts ? [...facts.catalog, ...facts.local] : []), [facts]);
  const matrix = useMemo(() => buildMatrix(models, facts?.devices ?? [], controls), [models, facts, controls]);
  const machine = facts?.devices.find((d) => d.id === 'this-machine');
  const best = useMemo(
    () => (machine && facts ? bestFit(facts.catalog, machine, controls.ctx, controls.kvType) : null),
    [facts, machine, controls.ctx, controls.kvType],
  );
  if (!facts)
    return (
      <section className="fit">
        <p className="empty">Reading model facts and this machine's memory…</p>
      </section>
    );
  const cell =
    selected && matrix.rows.find((r) => r.tier === selected.tier)?.cells.find((c) => c.device === selected.device);
  const device = selected && facts.devices.find((d) => d.name === selected.device);
  return (
    <section className="fit" aria-label="Fit">
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
        {best && (
          <p className="best-fit" data-testid="best-fit">
            Best fit for this machine: <strong>{best.name}</strong> at {best.quantization} ({gb(best.totalBytes)} of{' '}
            {gb(budgetOf(machine!))})
          </p>
        )}
      </div>
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
                  <button
                    className={`fit-cell ${c.verdict}`}
                    data-testid="fit-cell"
                    data-tier={row.tier}
                    data-device={c.device}
                    data-verdict={c.verdict}
                    aria-pressed={selected?.tier === row.tier && selected.device === c.device}
                    onClick={() => fitActions.select(row.tier, c.device)}
                  >
                    <span className="verdict">{verdictText[c.verdict]}</span>
                    {c.models.slice(0, 4).map((m) => (
                      <ModelChip key={m.id} model={m} />
                    ))}
                    {c.models.length > 4 && <span className="more">+{c.models.length - 4} more</span>}
                  </button>
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

function ModelChip({ model }: { model: CellModel }) {
  return <span className={`chip ${model.verdict}`}>{model.name}</span>;
}

function DeviceForm({ devices }: { devices: Device[] }) {
  const [name, setName] = useState('');
  const [memory, setMemory] = useState('24');
  const [type, setType] = useState<Device['memoryType']>('unified');
  const [vram, setVram] = useState('8');
  const custom = devices.filter((d) => d.custom);
  return (
    <form
      className="device-form"
      onSubmit={(e) => {
        e.preventDefault();
        void fitActions.addDevice(name.trim(), type, Number(memory), type === 'discrete' ? Number(vram) : null);
        setName('');
      }}
    >
      <strong>Add a device</strong>
      <input
        aria-label="Device name"
        placeholder="My laptop"
        value={name}
        required
        onChange={(e) => setName(e.target.value)}
      />
      <label>
        Memory (GB){' '}
        <input
          aria-label="Device memory (GB)"
          type="number"
          min="1"
          max="4096"
          step="any"
          value={memory}
          onChange={(e) => setMemory(e.target.value)}
        />
      </label>
      <select aria-label="Memory type" value={type} onChange={(e) => setType(e.target.value as Device['memoryType'])}>
        <option value="unified">Unified memory (Apple Silicon)</option>
        <option value="discrete">Discrete GPU with VRAM</option>
        <option value="ram">CPU only</option>
      </select>
      {type === 'discrete' && (
        <label>
          VRAM (GB){' '}
          <input
            aria-label="VRAM (GB)"
            type="number"
            min="1"
            max="1024"
            step="any"
            value={vram}
            onChange={(e) => setVram(e.target.value)}
          />
        </label>
      )}
      <button type="submit">Add device</button>
      {custom.map((d) => (
        <span key={d.id} className="custom-device">
          {d.name}{' '}
          <button type="button" aria-label={`Remove ${d.name}`} onClick={() => void fitActions.removeDevice(d.id)}>
            ×
          </button>
        </span>
      ))}
    </form>
  );
}
