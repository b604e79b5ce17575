// The engine: which model is loaded, on which backend, and loading another.
import { z } from 'zod';
import type { Contract } from '../rpc.ts';
import { engineStatus, flashAttentionChoice, gpuChoice, id } from '../schemas.ts';
import { empty } from './parts.ts';

export const engineContract = {
  calls: {
    'engine.status': { args: empty, result: engineStatus },
    /** warning: said when the model fits but is predicted under the reading speed (fit.loadCheck says it first). */
    'engine.load': {
      args: z.strictObject({ modelId: id, gpu: gpuChoice.optional() }),
      result: engineStatus.extend({ warning: z.string().nullable().optional() }),
    },
    /** The thread count chosen by the user (null: measured per model on this machine); a --threads flag wins. */
    'engine.setThreads': {
      args: z.strictObject({ threads: z.number().int().min(1).max(1024).nullable() }),
      result: engineStatus,
    },
    /** Flash attention for the engine's contexts (auto: llama.cpp's choice); a --flash-attention flag wins. */
    'engine.setFlashAttention': {
      args: z.strictObject({ flashAttention: flashAttentionChoice }),
      result: engineStatus,
    },
  },
  events: {
    'engine.status': engineStatus,
  },
} as const satisfies Contract;
