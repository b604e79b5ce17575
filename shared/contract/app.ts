// The app itself: its version, where it keeps data, and which shell runs it.
import { z } from 'zod';
import type { Contract } from '../rpc.ts';
import { empty } from './parts.ts';

export const appInfoContract = {
  calls: {
    'app.info': {
      args: empty,
      result: z.object({ version: z.string(), dataDir: z.string(), shell: z.enum(['electron', 'headless']) }),
    },
  },
  events: {},
} as const satisfies Contract;
