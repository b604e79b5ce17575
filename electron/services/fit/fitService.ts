// What the fit view needs: catalog models with their published facts, the models on disk with the
// facts read from their own GGUF, and the devices (presets, the user's own, and this machine).
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { RpcError } from '../../../shared/rpc.ts';
import type { Catalog } from '../../../shared/catalog.ts';
import {
  customDevice,
  device,
  presetDevices,
  verdictFor,
  type CustomSpeed,
  type Device,
} from '../../../shared/fit/devices.ts';
import { estimate } from '../../../shared/fit/estimator.ts';
import { catalogFitModels, type FitModel } from '../../../shared/fit/matrix.ts';
import { defaultReadingSpeed } from '../../../shared/fit/speed.ts';
import type { FlashAttentionChoice, ModelInfo } from '../../../shared/schemas.ts';
import type { MachineMemory } from '../engine/workerContract.ts';
import type { SettingsStore } from '../store/settingsStore.ts';
import { gb } from '../../../shared/format.ts';
import { readLocalFacts, type LocalFacts } from './localFacts.ts';
import { thisMachine } from './thisMachine.ts';
import {
  ensureProbeModels,
  machineKey,
  machineSpeed,
  probeBandwidth,
  probeEngine,
  type MachineSpeed,
  type Timer,
} from './speedProbe.ts';
import { loadWarning } from '../../../shared/fit/loadWarning.ts';

export interface FitServiceOptions {
  catalog: Catalog;
  settings: SettingsStore;
  memory: () => Promise<MachineMemory>;
  /** The thread count the engine runs with: this machine's predictions use the rates measured at it. */
  engineThreads: number;
  /** Where the speed probe keeps its two small models, and the tokenizer they borrow. */
  probeDir: string;
  tokenizerFrom: string;
  /** Times a model file in the engine worker (EngineHost.speedProbe). */
  timer: Timer;
  /** The engine's flash attention for the next load: off makes llama.cpp's compute buffer larger. */
  flashAttention?: () => FlashAttentionChoice;
}

const customDevices = z.array(device);
const speeds = z.record(z.string(), machineSpeed);
const readingSpeedSchema = z.number().min(0.1).max(10_000);

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
    return [...presetDevices, ...this.customDevices(), await this.machine()];
  }

  async machine(): Promise<Device> {
    const device = thisMachine(await this.options.memory(), this.speed(), this.options.engineThreads);
    return this.options.flashAttention?.() === 'off' ? { ...device, flashAttention: false } : device;
  }

  /** This machine's cached speed facts; the bandwidth probe (under a second) runs the first time. */
  speed(): MachineSpeed {
    const all = this.options.settings.get('fit.machineSpeed', speeds, {});
    const key = machineKey();
    if (all[key]) return all[key];
    const fresh = { key, measuredAt: new Date().toISOString(), bandwidthBytesPerSec: probeBandwidth(), engine: [] };
    this.options.settings.set('fit.machineSpeed', { ...all, [key]: fresh });
    return fresh;
  }

  /** Measures the engine's own rates at 1..threads threads (seconds to a minute) and caches them. */
  async measure(): Promise<Device[]> {
    const models = await ensureProbeModels(this.options.probeDir, this.options.tokenizerFrom);
    const counts = Array.from({ length: Math.max(1, this.options.engineThreads) }, (_, i) => i + 1);
    const engine = await probeEngine(this.options.timer, models, counts);
    const all = this.options.settings.get('fit.machineSpeed', speeds, {});
    const key = machineKey();
    const measured = { key, measuredAt: new Date().toISOString(), bandwidthBytesPerSec: probeBandwidth(), engine };
    this.options.settings.set('fit.machineSpeed', { ...all, [key]: measured });
    return this.devices();
  }

  readingSpeed(): number {
    return this.options.settings.get('fit.readingSpeed', readingSpeedSchema, defaultReadingSpeed);
  }

  setReadingSpeed(tokensPerSec: number): number {
    this.options.settings.set('fit.readingSpeed', tokensPerSec);
    return tokensPerSec;
  }

  /**
   * Said before a load: the model fits but is predicted under the reading speed, or the context does
   * not fit; with what to choose instead. Null when neither.
   */
  async loadCheck(model: ModelInfo, contextSize: number): Promise<string | null> {
    const local = await this.localFacts(model.path).catch(() => null);
    if (!local) return null;
    const machine = await this.machine();
    const me = {
      id: model.id,
      name: model.name,
      facts: local.facts,
      weightsBytes: local.weightsBytes,
      quantization: local.quantization,
    };
    return loadWarning(me, machine, contextSize, this.readingSpeed(), this.catalogModels());
  }

  customDevices(): Device[] {
    return this.options.settings.get('fit.customDevices', customDevices, []);
  }

  addDevice(
    name: string,
    memoryBytes: number,
    memoryType: Device['memoryType'],
    vramBytes: number | null,
    speed: CustomSpeed = {},
  ): Device[] {
    if (memoryType === 'discrete' && !vramBytes) throw new RpcError('bad_input', 'A discrete GPU needs its VRAM size.');
    const added = customDevice(name, memoryBytes, memoryType, memoryType === 'discrete' ? vramBytes : null, speed);
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
    const machine = await this.machine();
    const e = estimate(local.facts, {
      contextSize,
      kvType: 'f16',
      weightsBytes: local.weightsBytes,
      flashAttention: machine.flashAttention ?? true,
    });
    const { verdict, marginBytes } = verdictFor(e.totalBytes, machine);
    if (verdict === 'no') {
      throw new RpcError(
        'model_load_failed',
        `${model.name} needs about ${gb(e.totalBytes)} at a ${contextSize}-token context (weights ${gb(e.weightsBytes)}, KV cache ${gb(e.kvCacheBytes)}, buffers and runtime ${gb(e.overheadBytes)}), ${gb(-marginBytes)} more than the ${gb(machine.budgetBytes ?? 0)} free on this machine. Choose a smaller quantization or model, or a shorter context.`,
      );
    }
  }
}
