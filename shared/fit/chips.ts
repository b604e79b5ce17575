// Published speed facts of common chips: peak memory bandwidth and peak FP16 compute, each with its
// source. "Estimate" marks a figure the vendor does not publish (Apple gives no TFLOPS after M2, nor
// any A-series bandwidth): it is derived as the source says, and is less certain than the others.
import type { SpeedKind } from './speed.ts';

export interface Chip {
  id: string;
  name: string;
  kind: SpeedKind;
  bandwidthGBs: number;
  fp16Tflops: number;
  source: string;
}

const appleSpecs = 'Apple newsroom / tech specs (apple.com/newsroom, support.apple.com/specs)';
const appleDerived =
  'bandwidth: Apple tech specs; TFLOPS: estimate (GPU cores × 128 lanes × 2 FLOPs × reported clock; Apple publishes none)';
const apple = (id: string, name: string, bw: number, tf: number, source = appleSpecs): Chip => ({
  id,
  name,
  kind: 'apple-gpu',
  bandwidthGBs: bw,
  fp16Tflops: tf,
  source,
});

export const chips: Chip[] = [
  apple('m1', 'Apple M1 (8-core GPU)', 68.25, 2.6),
  apple('m1-pro', 'Apple M1 Pro (16-core GPU)', 200, 5.2),
  apple('m1-max', 'Apple M1 Max (32-core GPU)', 400, 10.4),
  apple('m1-ultra', 'Apple M1 Ultra (64-core GPU)', 800, 21),
  apple('m2', 'Apple M2 (10-core GPU)', 100, 3.6),
  apple('m2-pro', 'Apple M2 Pro (19-core GPU)', 200, 6.8),
  apple('m2-max-30', 'Apple M2 Max (30-core GPU)', 400, 10.7, `${appleSpecs}; TFLOPS: 13.6 for 38 cores, scaled to 30`),
  apple('m2-max', 'Apple M2 Max (38-core GPU)', 400, 13.6),
  apple('m2-ultra', 'Apple M2 Ultra (76-core GPU)', 800, 27.2),
  apple('m3', 'Apple M3 (10-core GPU)', 100, 3.5, appleDerived),
  apple('m3-pro', 'Apple M3 Pro (18-core GPU)', 150, 6.4, appleDerived),
  apple('m3-max', 'Apple M3 Max (40-core GPU)', 400, 14.1, appleDerived),
  apple('m4', 'Apple M4 (10-core GPU)', 120, 4.0, appleDerived),
  apple('m4-pro', 'Apple M4 Pro (20-core GPU)', 273, 8.1, appleDerived),
  apple('m4-max', 'Apple M4 Max (40-core GPU)', 546, 16.2, appleDerived),
  apple(
    'a17-pro',
    'Apple A17 Pro (iPhone 15 Pro)',
    51.2,
    2.1,
    'estimate: LPDDR5-6400 on a 64-bit bus (teardowns); GPU TFLOPS from 6 cores × 128 × 2 × ~1.4 GHz',
  ),
  apple(
    'a19',
    'Apple A19 (iPhone 17)',
    68.3,
    2.4,
    'estimate: LPDDR5X-8533 on a 64-bit bus (teardowns); GPU TFLOPS from 5 cores × 128 × 2 × ~1.9 GHz',
  ),
  {
    id: 'snapdragon-8-gen-3',
    name: 'Snapdragon 8 Gen 3 (CPU)',
    kind: 'phone',
    bandwidthGBs: 76.8,
    fp16Tflops: 0.5,
    source:
      'Qualcomm product brief (LPDDR5X up to 4800 MHz, 64-bit = 76.8 GB/s); CPU FP16 estimate: 8 cores of NEON FMA',
  },
  {
    id: 'tensor-g4',
    name: 'Google Tensor G4 (CPU)',
    kind: 'phone',
    bandwidthGBs: 68.3,
    fp16Tflops: 0.4,
    source: 'estimate: LPDDR5X-8533 on a 64-bit bus (Pixel 9 teardowns); CPU FP16 estimate from its NEON cores',
  },
  {
    id: 'rtx-3060',
    name: 'NVIDIA RTX 3060 12 GB',
    kind: 'nvidia-gpu',
    bandwidthGBs: 360,
    fp16Tflops: 25.6,
    source: 'NVIDIA Ampere GA102 whitepaper / RTX 3060 specs (FP16 tensor, FP32 accumulate, dense)',
  },
  {
    id: 'rtx-3080',
    name: 'NVIDIA RTX 3080 10 GB',
    kind: 'nvidia-gpu',
    bandwidthGBs: 760,
    fp16Tflops: 59.5,
    source: 'NVIDIA Ampere GA102 whitepaper (FP16 tensor, FP32 accumulate, dense)',
  },
  {
    id: 'rtx-3090',
    name: 'NVIDIA RTX 3090 24 GB',
    kind: 'nvidia-gpu',
    bandwidthGBs: 936,
    fp16Tflops: 71,
    source: 'NVIDIA Ampere GA102 whitepaper (FP16 tensor, FP32 accumulate, dense)',
  },
  {
    id: 'rtx-4090',
    name: 'NVIDIA RTX 4090 24 GB',
    kind: 'nvidia-gpu',
    bandwidthGBs: 1008,
    fp16Tflops: 165.2,
    source: 'NVIDIA Ada Lovelace architecture whitepaper (FP16 tensor, FP32 accumulate, dense)',
  },
  {
    id: 'rx-7900-xtx',
    name: 'AMD Radeon RX 7900 XTX 24 GB',
    kind: 'amd-gpu',
    bandwidthGBs: 960,
    fp16Tflops: 122.8,
    source: 'AMD product page (amd.com, Radeon RX 7900 XTX specifications: peak half precision)',
  },
  {
    id: 'rx-7800-xt',
    name: 'AMD Radeon RX 7800 XT 16 GB',
    kind: 'amd-gpu',
    bandwidthGBs: 624,
    fp16Tflops: 74.6,
    source: 'AMD product page (amd.com, Radeon RX 7800 XT specifications: peak half precision)',
  },
  {
    id: 'ddr5-desktop',
    name: 'Desktop CPU, dual-channel DDR5-5600',
    kind: 'cpu',
    bandwidthGBs: 89.6,
    fp16Tflops: 1,
    source: 'JEDEC DDR5-5600 × 2 channels × 8 bytes = 89.6 GB/s; CPU compute estimate (8 cores of AVX2 FMA)',
  },
  {
    id: 'ddr4-laptop',
    name: 'Laptop CPU, dual-channel DDR4-3200',
    kind: 'cpu',
    bandwidthGBs: 51.2,
    fp16Tflops: 0.5,
    source: 'JEDEC DDR4-3200 × 2 channels × 8 bytes = 51.2 GB/s; CPU compute estimate (4 cores of AVX2 FMA)',
  },
];

export function chipById(id: string): Chip | undefined {
  return chips.find((c) => c.id === id);
}

/** What a device the user adds assumes until they say otherwise. */
export function defaultChipFor(memoryType: 'unified' | 'discrete' | 'ram'): Chip {
  return chipById(memoryType === 'unified' ? 'm2' : memoryType === 'discrete' ? 'rtx-3060' : 'ddr5-desktop')!;
}
