// Adding a device: memory, and the speed facts the predictions need (bandwidth, FP16 compute), filled
// from a published chip the user picks or typed in; every figure shows where it came from.
import { useState } from 'react';
import type { Device } from '../../../shared/fit/devices.ts';
import { chips, defaultChipFor } from '../../../shared/fit/chips.ts';
import { fitActions } from '../state/fitStore.ts';

export function DeviceForm({ devices }: { devices: Device[] }) {
  const [name, setName] = useState('');
  const [memory, setMemory] = useState('24');
  const [type, setType] = useState<Device['memoryType']>('unified');
  const [vram, setVram] = useState('8');
  const [chipId, setChipId] = useState('');
  const chip = chips.find((c) => c.id === chipId) ?? defaultChipFor(type);
  const [bandwidth, setBandwidth] = useState('');
  const [compute, setCompute] = useState('');
  const custom = devices.filter((d) => d.custom);
  return (
    <form
      className="device-form"
      onSubmit={(e) => {
        e.preventDefault();
        void fitActions.addDevice(name.trim(), type, Number(memory), type === 'discrete' ? Number(vram) : null, {
          bandwidthGBs: bandwidth ? Number(bandwidth) : null,
          computeTflops: compute ? Number(compute) : null,
          chipId: chipId || null,
        });
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
      <select aria-label="Chip" value={chipId} onChange={(e) => setChipId(e.target.value)}>
        <option value="">Chip: default for this memory type ({defaultChipFor(type).name})</option>
        {chips.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <label title={chip.source}>
        Bandwidth (GB/s){' '}
        <input
          aria-label="Memory bandwidth (GB/s)"
          type="number"
          min="1"
          max="20000"
          step="any"
          placeholder={String(chip.bandwidthGBs)}
          value={bandwidth}
          onChange={(e) => setBandwidth(e.target.value)}
        />
      </label>
      <label title={chip.source}>
        FP16 TFLOPS{' '}
        <input
          aria-label="FP16 compute (TFLOPS)"
          type="number"
          min="0.001"
          max="10000"
          step="any"
          placeholder={String(chip.fp16Tflops)}
          value={compute}
          onChange={(e) => setCompute(e.target.value)}
        />
      </label>
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
