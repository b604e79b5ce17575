// "This machine" as a fit-matrix column: its memory as the engine's backend sees it, with a budget
// that matches what node-llama-cpp checks before it loads a model (free RAM, or free VRAM on a GPU).
import type { Device } from '../../../shared/fit/devices.ts';
import type { SpeedKind } from '../../../shared/fit/speed.ts';
import type { MachineMemory } from '../engine/workerContract.ts';
import type { MachineSpeed } from './speedProbe.ts';
import { physicalCores } from '../engine/cpuInfo.ts';
import { gb } from '../../../shared/format.ts';

/**
 * This machine's speed facts: the bandwidth probe's figure, and the engine's own rates at the thread
 * count it runs with when they have been measured; until then, the probe's bandwidth × the kind's share.
 */
export function machineSpeedFields(m: MachineMemory, speed: MachineSpeed | null, threads: number) {
  const kind: SpeedKind =
    m.backend === 'metal'
      ? 'apple-gpu'
      : m.backend === 'cuda'
        ? 'nvidia-gpu'
        : m.backend === 'vulkan'
          ? 'amd-gpu'
          : 'cpu';
  if (!speed) return { speedKind: kind };
  const engine = speed.engine.find((e) => e.threads === threads) ?? null;
  const probe = `memory probe ${(speed.bandwidthBytesPerSec / 1e9).toFixed(1)} GB/s (one thread reading a 64 MiB array), measured ${speed.measuredAt.slice(0, 16).replace('T', ' ')}`;
  return {
    speedKind: kind,
    bandwidthBytesPerSec: speed.bandwidthBytesPerSec,
    // Until measured: an estimate of the CPU's FP32 vector peak (AVX2/NEON: 2 FMA units × 8 lanes × 2 FLOPs
    // at ~2.5 GHz = 80 GFLOP/s per core); the kind's fitted share is applied to it.
    computeFlops: engine?.effectiveFlops ?? physicalCores() * 80e9,
    speedSource: engine
      ? `Measured on this machine at ${threads} thread(s): ${probe}; the engine reaches ${(engine.effectiveBytesPerSec / 1e9).toFixed(2)} GB/s of weights with a fixed ${(engine.fixedSecondsPerToken * 1000).toFixed(2)} ms per token, and ${(engine.effectiveFlops / 1e9).toFixed(1)} GFLOP/s on a prompt (two probe models: the demo model and a synthetic 160M).`
      : `${probe}. The engine's own rates are not measured yet (Measure this machine, or edgewise fit --measure), so this uses the CPU kind's fitted share of the probe's bandwidth, and of an estimated compute peak (${physicalCores()} cores × 80 GFLOP/s).`,
    ...(engine ? { measuredSpeed: engine } : {}),
  };
}

export function thisMachine(m: MachineMemory, speed: MachineSpeed | null = null, threads = 1): Device {
  return { ...memoryOf(m), ...machineSpeedFields(m, speed, threads) };
}

function memoryOf(m: MachineMemory): Device {
  const base = { id: 'this-machine', name: `This machine (${m.backend === 'cpu' ? 'CPU' : m.backend})` };
  if (m.backend !== 'cpu' && m.vramTotal) {
    if (m.unifiedBytes > 0) {
      return {
        ...base,
        memoryBytes: m.ramTotal,
        memoryType: 'unified',
        vramBytes: m.vramTotal,
        budgetFraction: 1,
        budgetBytes: m.vramFree ?? m.vramTotal,
        explanation: `Unified memory: ${gb(m.ramTotal)} in all, of which the GPU may wire ${gb(m.vramTotal)} (reported by ${m.backend}); ${gb(m.vramFree ?? 0)} of it is free now.`,
      };
    }
    return {
      ...base,
      memoryBytes: m.ramTotal,
      memoryType: 'discrete',
      vramBytes: m.vramTotal,
      budgetFraction: 1,
      budgetBytes: m.vramFree ?? m.vramTotal,
      explanation: `${m.gpuDevices.join(', ') || 'GPU'}: ${gb(m.vramFree ?? 0)} of ${gb(m.vramTotal)} VRAM free now, plus ${gb(m.ramTotal)} of system RAM that spilled layers can use (far slower).`,
    };
  }
  return {
    ...base,
    memoryBytes: m.ramTotal,
    memoryType: 'ram',
    vramBytes: null,
    budgetFraction: 1,
    budgetBytes: m.ramFree,
    explanation: `No GPU in use: the model runs from system RAM, of which ${gb(m.ramFree)} of ${gb(m.ramTotal)} is free now (node-llama-cpp checks the same figure before it loads a model).`,
  };
}
