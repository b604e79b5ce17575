// What the fit view needs: catalog models with their published facts, the models on disk with the
// facts read from their own GGUF, and the devices (presets, the user's own, and this machine).
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { RpcError } from '../../../shared/rpc.ts';
import type { Catalog } from '../../../shared/catalog.ts';
import { customDevice, device, presetDevices, verdictFor, type Device } from '../../../shared/fit/devices.ts';
import { estimate } from '../../../shared/fit/estimator.ts';
import { catalogFitModels, type FitModel } from '../../../shared/fit/matrix.ts';
import type { ModelInfo } from '../../../shared/schemas.ts';
import type { MachineMemory } from '../engine/workerContract.ts';
import type { SettingsStore } from '../store/settingsStore.ts';
import { readLocalFacts, type LocalFacts } from './localFacts.ts';
import { thisMachine } from './thisMachine.ts';

export interface FitServiceOptions {
  catalog: Catalog;
  settings: SettingsStore;
  memory: () => Promise<MachineMemory>;
}

const customDevices = z.array(device);
const gb = (n: number) => `${(n / 1024 ** 3).toFixed(2)} GB`;

export class FitService {
  private readonly options: FitServiceOptions;
  private readonly cache = new Map<string, { mtimeMs: number; facts: LocalFacts }>();
  constructor(options: FitServiceOptions) {
    this.options = options;
  }

  catalogModels(): FitModel[] {
    return catalogFitModels(this.options.catalog);
  }

  async localFacts(path: string): Promise<LocalFacts> {
    const { mtimeMs } = await stat(path);
    const hit = this.cache.get(path);
    if (hit && hit.mtimeMs === mtimeMs) return hit.facts;
    const facts = await readLocalFacts(path);
    this.cache.set(path, { mtimeMs, facts });
    return facts;
  }

  async localModels(models: ModelInfo[]): Promise<FitModel[]> {
    const out: FitModel[] = [];
    for (const m of models) {
      const local = await this.localFacts(m.path).catch(() => null);
      if (local)
        out.push({
          id: m.id,
          name: m.name,
          facts: local.facts,
          weightsBytes: local.weightsBytes,
          quantization: local.quantization,
        });
    }
    return out;
  }

  async devices(): Promise<Device[]> {
    const machine = thisMachine(await this.options.memory());
    return [...presetDevices, ...this.customDevices(), machine];
  }

  customDevices(): Device[] {
    return this.options.settings.get('fit.customDevices', customDevices, []);
  }

  addDevice(name: string, memoryBytes: number, memoryType: Device['memoryType'], vramBytes: number | null): Device[] {
    if (memoryType === 'discrete' && !vramBytes) throw new RpcError('bad_input', 'A discrete GPU needs its VRAM size.');
    const added = customDevice(name, memoryBytes, memoryType, memoryType === 'discrete' ? vramBytes : null);
    const list = this.customDevices()
      .filter((d) => d.id !== added.id)
      .concat(added);
    this.options.settings.set('fit.customDevices', list);
    return list;
  }

  removeDevice(id: string): Device[] {
    const list = this.customDevices().filter((d) => d.id !== id);
    this.options.settings.set('fit.customDevices', list);
    return list;
  }

  /** Refuses, before any native load, a model this machine cannot hold at the given context. */
  async assertLoadable(model: ModelInfo, contextSize: number): Promise<void> {
    const local = await this.localFacts(model.path).catch(() => null);
    if (!local) return; // inspectModel already vetted the file; let the engine give its own answer
    const machine = thisMachine(await this.options.memory());
    const e = estimate(local.facts, { contextSize, kvType: 'f16', weightsBytes: local.weightsBytes });
    const { verdict, marginBytes } = verdictFor(e.totalBytes, machine);
    if (verdict === 'no') {
      throw new RpcError(
        'model_load_failed',
        `${model.name} needs about ${gb(e.totalBytes)} at a ${contextSize}-token context (weights ${gb(e.weightsBytes)}, KV cache ${gb(e.kvCacheBytes)}, buffers and runtime ${gb(e.overheadBytes)}), ${gb(-marginBytes)} more than the ${gb(machine.budgetBytes ?? 0)} free on this machine. Choose a smaller quantization or model, or a shorter context.`,
      );
    }
  }
}
