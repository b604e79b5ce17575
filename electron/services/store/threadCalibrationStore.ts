// Thread counts measured per model file, machine and GPU choice, kept in SQLite (the settings table) so a
// model is measured on its first load on a machine only. A changed file (size or modification time) or
// another machine (CPU model or core count) reads as unmeasured, and is measured again.
import { statSync } from 'node:fs';
import { cpus } from 'node:os';
import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { threadChoice, type GpuChoice, type ThreadChoice } from '../../../shared/schemas.ts';
import { physicalCores } from '../engine/cpuInfo.ts';
import type { ThreadMemory } from '../engine/engineHost.ts';
import { workerEnv } from '../engine/workerProcess.ts';
import { SettingsStore } from './settingsStore.ts';

/**
 * This machine as far as thread speed goes: the CPU model, its physical and logical cores, and the engine
 * worker's libuv pool size (counts measured with libuv's default pool, where 2 threads ran at half the
 * speed they run at now, are measured again).
 */
export function machineIdentity(): string {
  const list = cpus();
  return `${list[0]?.model.trim() ?? 'unknown cpu'}|${physicalCores()}p${list.length}l|uv${workerEnv().UV_THREADPOOL_SIZE}`;
}

/** A model file by path, size and modification time: a rewritten file is a new model to measure. */
export function fileIdentity(path: string): string {
  const s = statSync(path);
  return `${path}|${s.size}|${Math.round(s.mtimeMs)}`;
}

const remembered = z.object({ model: z.string(), machine: z.string(), choice: threadChoice }).nullable();

export class ThreadCalibrationStore implements ThreadMemory {
  private readonly settings: SettingsStore;
  private readonly machine: () => string;
  constructor(db: DatabaseSync, machine: () => string = machineIdentity) {
    this.settings = new SettingsStore(db);
    this.machine = machine;
  }

  private key(modelPath: string, gpu: GpuChoice) {
    return `engine.threadCalibration:${gpu}:${modelPath}`;
  }

  recall(modelPath: string, gpu: GpuChoice): ThreadChoice | null {
    let model: string;
    try {
      model = fileIdentity(modelPath);
    } catch {
      return null;
    }
    const row = this.settings.get(this.key(modelPath, gpu), remembered, null);
    return row && row.model === model && row.machine === this.machine() ? row.choice : null;
  }

  remember(modelPath: string, gpu: GpuChoice, choice: ThreadChoice): void {
    this.settings.set(this.key(modelPath, gpu), { model: fileIdentity(modelPath), machine: this.machine(), choice });
  }
}
