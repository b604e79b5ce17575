// Which models fit which devices: the facts behind the fit matrix, and the user's own devices.
import { z } from 'zod';
import type { Contract } from '../rpc.ts';
import { fitModelSchema as fitModel } from '../fit/archFacts.ts';
import { device } from '../fit/devices.ts';
import { empty } from './parts.ts';

export const fitContract = {
  calls: {
    'fit.facts': {
      args: empty,
      result: z.object({ catalog: z.array(fitModel), local: z.array(fitModel), devices: z.array(device) }),
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
      }),
      result: z.array(device),
    },
    'fit.removeDevice': { args: z.strictObject({ id: z.string().min(1).max(64) }), result: z.array(device) },
  },
  events: {},
} as const satisfies Contract;
