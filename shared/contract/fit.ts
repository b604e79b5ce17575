// Which models fit which devices: the facts behind the fit matrix, and the user's own devices.
import { z } from 'zod';
import type { Contract } from '../rpc.ts';
import { fitModelSchema as fitModel } from '../fit/archFacts.ts';
import { device } from '../fit/devices.ts';
import { empty } from './parts.ts';
import { id } from '../schemas.ts';

export const fitContract = {
  calls: {
    'fit.facts': {
      args: empty,
      result: z.object({
        catalog: z.array(fitModel),
        local: z.array(fitModel),
        devices: z.array(device),
        /** Tokens per second below which a model that fits is shaded as too slow (the user's, persisted). */
        readingSpeed: z.number(),
      }),
    },
    /** Measures this machine's engine rates with the speed probe (seconds to a minute) and caches them. */
    'fit.measure': { args: empty, result: z.array(device) },
    'fit.setReadingSpeed': {
      args: z.strictObject({ tokensPerSec: z.number().min(0.1).max(10_000) }),
      result: z.number(),
    },
    /** Before a load: a warning when the model is predicted under the reading speed or does not fit, with what to choose instead. */
    'fit.loadCheck': {
      args: z.strictObject({ modelId: id, contextSize: z.number().int().min(256).max(1_048_576).optional() }),
      result: z.object({ warning: z.string().nullable() }),
    },
    'fit.addDevice': {
      args: z.strictObject({
        name: z.string().trim().min(1).max(80),
        memoryBytes: z
          .number()
          .min(256 * 1024 ** 2)
          .max(16 * 1024 ** 4),
        memoryType: z.enum(['unified', 'discrete', 'ram']),
        vramBytes: z
          .number()
          .min(256 * 1024 ** 2)
          .max(1024 ** 4)
          .nullable(),
        bandwidthBytesPerSec: z.number().min(1e9).max(20e12).nullable().optional(),
        computeFlops: z.number().min(1e9).max(10e15).nullable().optional(),
        chipId: z.string().max(40).nullable().optional(),
      }),
      result: z.array(device),
    },
    'fit.removeDevice': { args: z.strictObject({ id: z.string().min(1).max(64) }), result: z.array(device) },
  },
  events: {},
} as const satisfies Contract;
