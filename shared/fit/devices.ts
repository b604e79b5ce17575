// Devices and their memory budgets. A budget is the part of memory a model may use, and each one says
// why: the operating system, other apps and the GPU driver take the rest.
import { z } from 'zod';
import { efficiencies } from './calibrate.ts';
import { speedKinds, type SpeedFacts } from './speed.ts';
import { chipById, defaultChipFor } from './chips.ts';

export const device = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(80),
  memoryBytes: z.number().positive(),
  /** unified: CPU and GPU share memory (Apple Silicon, phones); discrete: a GPU with its own VRAM; ram: CPU only. */
  memoryType: z.enum(['unified', 'discrete', 'ram']),
  vramBytes: z.number().positive().nullable(),
  /** Share of memory (or of VRAM, for a discrete GPU) a model may use. */
  budgetFraction: z.number().min(0.05).max(1),
  /** A measured budget (this machine: memory available now) that replaces memory × fraction. */
  budgetBytes: z.number().positive().optional(),
  explanation: z.string(),
  custom: z.boolean().optional(),
  /** This machine with the engine's flash attention off: its estimates count the larger compute buffer. */
  flashAttention: z.boolean().optional(),
  /** Peak memory bandwidth (published, or measured on this machine); optional for devices saved before it. */
  bandwidthBytesPerSec: z.number().positive().optional(),
  /** Peak FP16 FLOP/s for prompt processing. */
  computeFlops: z.number().positive().optional(),
  speedKind: z.enum(speedKinds).optional(),
  speedSource: z.string().optional(),
  /** This machine: the engine's own rates at the thread count it runs with (probe, cached per machine). */
  measuredSpeed: z
    .strictObject({
      threads: z.number().int().positive(),
      fixedSecondsPerToken: z.number().nonnegative(),
      effectiveBytesPerSec: z.number().positive(),
      effectiveFlops: z.number().positive(),
      startSeconds: z.number().nonnegative(),
    })
    .optional(),
});
export type Device = z.infer<typeof device>;

const GB = 1024 ** 3;

export const presetDevices: Device[] = [
  {
    id: 'phone-6',
    name: '4-6 GB phone (iPhone 17)',
    memoryBytes: 6 * GB,
    memoryType: 'unified',
    vramBytes: null,
    budgetFraction: 0.5,
    explanation:
      'iOS ends an app that passes its memory limit (jetsam). Without the com.apple.developer.kernel.increased-memory-limit entitlement, an app gets about half of RAM; this half is our assumption, and on a phone os_proc_available_memory() reports the real figure.',
    ...speedFrom('a19'),
  },
  {
    id: 'phone-12',
    name: '8-12 GB phone (Pixel 11)',
    memoryBytes: 12 * GB,
    memoryType: 'unified',
    vramBytes: null,
    budgetFraction: 0.5,
    explanation:
      "Android's low-memory killer and the system's own services (camera, launcher, Play services) leave a foreground app about half of RAM; this is our assumption, and ActivityManager.getMemoryInfo() reports availMem on a real phone.",
    ...speedFrom('tensor-g4'),
  },
  {
    id: 'macbook-air-16',
    name: '16 GB MacBook Air',
    memoryBytes: 16 * GB,
    memoryType: 'unified',
    vramBytes: null,
    budgetFraction: 2 / 3,
    explanation:
      "macOS lets Metal wire about two thirds of unified memory on Macs with 36 GB or less (MTLDevice.recommendedMaxWorkingSetSize, which llama.cpp's Metal backend reads); the limit can be raised with sysctl iogpu.wired_limit_mb.",
    ...speedFrom('m4'),
  },
  {
    id: 'mac-studio-32',
    name: '32 GB Mac Studio',
    memoryBytes: 32 * GB,
    memoryType: 'unified',
    vramBytes: null,
    budgetFraction: 2 / 3,
    explanation:
      'As on any Mac with 36 GB or less, Metal may wire about two thirds of unified memory (MTLDevice.recommendedMaxWorkingSetSize); three quarters above 36 GB.',
    ...speedFrom('m2-max-30'),
  },
];

/** A chip's published speed facts as device fields. */
export function speedFrom(chipId: string) {
  const chip = chipById(chipId);
  if (!chip) throw new Error(`Unknown chip "${chipId}"`);
  return {
    bandwidthBytesPerSec: chip.bandwidthGBs * 1e9,
    computeFlops: chip.fp16Tflops * 1e12,
    speedKind: chip.kind,
    speedSource: `${chip.name}: ${chip.source}`,
  };
}

export interface CustomSpeed {
  bandwidthBytesPerSec?: number | null;
  computeFlops?: number | null;
  chipId?: string | null;
}

/** What a custom device gets unless the user says otherwise. */
export function customDevice(
  name: string,
  memoryBytes: number,
  memoryType: Device['memoryType'],
  vramBytes: number | null,
  speed: CustomSpeed = {},
): Device {
  const budgetFraction =
    memoryType === 'unified' ? (memoryBytes > 36 * GB ? 0.75 : 2 / 3) : memoryType === 'discrete' ? 0.9 : 0.7;
  const explanation =
    memoryType === 'unified'
      ? 'Unified memory: the GPU may wire about two thirds of it (three quarters above 36 GB), as macOS allows by default.'
      : memoryType === 'discrete'
        ? 'Discrete GPU: 90% of VRAM (the driver and display keep the rest); a model that spills into system RAM runs its CPU layers far slower, so that is "tight" at best.'
        : 'CPU only: 70% of RAM, leaving the rest to the operating system and other apps.';
  const id = `custom-${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)}`;
  const chip = (speed.chipId && chipById(speed.chipId)) || defaultChipFor(memoryType);
  const own = speed.bandwidthBytesPerSec || speed.computeFlops;
  return {
    id,
    name,
    memoryBytes,
    memoryType,
    vramBytes,
    budgetFraction,
    explanation,
    custom: true,
    bandwidthBytesPerSec: speed.bandwidthBytesPerSec || chip.bandwidthGBs * 1e9,
    computeFlops: speed.computeFlops || chip.fp16Tflops * 1e12,
    speedKind: chip.kind,
    speedSource: own
      ? `entered by the user (device kind as ${chip.name})`
      : `${speed.chipId ? '' : 'default for this memory type: '}${chip.name}: ${chip.source}`,
  };
}

/**
 * A device's speed facts. Devices saved before speed facts existed get the default chip of their memory
 * type, and say so.
 */
export function speedFactsOf(d: Device): SpeedFacts {
  const fallback = defaultChipFor(d.memoryType);
  return {
    kind: d.speedKind ?? fallback.kind,
    bandwidthBytesPerSec: d.bandwidthBytesPerSec ?? fallback.bandwidthGBs * 1e9,
    computeFlops: d.computeFlops ?? fallback.fp16Tflops * 1e12,
    source: d.speedSource ?? `assumed: ${fallback.name} (${fallback.source})`,
    ...(d.measuredSpeed ? { measured: d.measuredSpeed } : {}),
  };
}

export function efficiencyOf(d: Device) {
  return efficiencies()[speedFactsOf(d).kind];
}

export function budgetOf(d: Device): number {
  if (d.budgetBytes !== undefined) return d.budgetBytes;
  if (d.memoryType === 'discrete' && d.vramBytes) return d.vramBytes * d.budgetFraction;
  return d.memoryBytes * d.budgetFraction;
}

/** System RAM a discrete-GPU machine can lend when layers spill off the GPU. */
export function spillOf(d: Device): number {
  return d.memoryType === 'discrete' && d.vramBytes ? d.memoryBytes * 0.5 : 0;
}

export type Verdict = 'fits' | 'tight' | 'no';

/** Comfortable means a fifth of the budget stays free for the conversation to grow and for other apps. */
export const comfortableShare = 0.8;

export function verdictFor(totalBytes: number, d: Device): { verdict: Verdict; marginBytes: number; reason: string } {
  const budget = budgetOf(d);
  const marginBytes = budget - totalBytes;
  if (totalBytes <= budget * comfortableShare)
    return { verdict: 'fits', marginBytes, reason: 'fits with at least a fifth of the budget to spare' };
  if (totalBytes <= budget)
    return { verdict: 'tight', marginBytes, reason: 'fits, with less than a fifth of the budget to spare' };
  if (totalBytes <= budget + spillOf(d))
    return {
      verdict: 'tight',
      marginBytes,
      reason: 'spills past VRAM into system RAM, where its layers run on the CPU',
    };
  return { verdict: 'no', marginBytes, reason: 'needs more than the budget' };
}
