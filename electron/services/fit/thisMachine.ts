// "This machine" as a fit-matrix column: its memory as the engine's backend sees it, with a budget
// that matches what node-llama-cpp checks before it loads a model (free RAM, or free VRAM on a GPU).
import type { Device } from '../../../shared/fit/devices.ts';
import type { MachineMemory } from '../engine/workerContract.ts';

const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;

export function thisMachine(m: MachineMemory): Device {
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
