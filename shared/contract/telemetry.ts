// Speed, memory, power and energy: what this machine can measure, per-model summaries, live samples.
import { z } from 'zod';
import type { Contract } from '../rpc.ts';
import { telemetrySample } from '../schemas.ts';
import { empty } from './parts.ts';

export const telemetryContract = {
  calls: {
    /** Which figures this machine can measure, and why the others are unavailable. */
    'telemetry.sources': {
      args: empty,
      result: z.object({
        battery: z.object({ available: z.boolean(), detail: z.string() }),
        power: z.object({ available: z.boolean(), detail: z.string() }),
        vram: z.object({ available: z.boolean(), detail: z.string() }),
        powerState: z.object({ available: z.boolean(), detail: z.string() }),
      }),
    },
    'telemetry.summary': {
      args: empty,
      result: z.array(
        z.object({
          modelFile: z.string(),
          quantization: z.string(),
          backend: z.string(),
          answers: z.number(),
          medianDecodeTokensPerSec: z.number(),
          medianTtftMs: z.number(),
          medianEnergyPerTokenMj: z.number().nullable(),
        }),
      ),
    },
  },
  events: {
    /** Telemetry samples of the answer being generated, a few at a time. */
    'telemetry.samples': z.array(telemetrySample),
  },
} as const satisfies Contract;
