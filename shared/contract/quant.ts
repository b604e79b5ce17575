// Quantization (making smaller variants of a model) and comparing variants' quality and speed.
import { z } from 'zod';
import type { Contract } from '../rpc.ts';
import { id } from '../schemas.ts';
import { comparison, quantizeResult, quantType, variantResult } from '../quant.ts';
import { empty, ok } from './parts.ts';

export const quantContract = {
  calls: {
    /** The levels a model can be quantized to from here, and why any cannot. */
    'quant.levels': {
      args: z.strictObject({ modelId: id }),
      result: z.object({
        sourceType: z.string(),
        levels: z.array(
          z.object({
            type: quantType,
            blocker: z.string().nullable(),
            fallbackTensors: z.number(),
            totalTensors: z.number(),
          }),
        ),
      }),
    },
    'quant.start': {
      args: z.strictObject({ modelId: id, types: z.array(quantType).min(1).max(10) }),
      result: z.object({ jobId: z.string() }),
    },
    'quant.cancel': { args: z.strictObject({ jobId: id }), result: z.object({ ok: z.boolean() }) },
    'compare.start': {
      args: z.strictObject({
        modelIds: z.array(id).min(2, 'pick at least two variants').max(6, 'pick at most six variants'),
        ctx: z.number().int().min(64).max(8192),
        prompt: z.string().trim().min(1).max(2000),
        maxTokens: z.number().int().min(1).max(1024),
        text: z
          .strictObject({
            name: z.string().min(1).max(200),
            content: z.string().min(1).max(5_000_000, 'the text is larger than 5 MB'),
          })
          .nullable(),
      }),
      result: z.object({ jobId: z.string() }),
    },
    'compare.cancel': { args: z.strictObject({ jobId: id }), result: z.object({ ok: z.boolean() }) },
    'compare.list': { args: empty, result: z.array(comparison) },
    'compare.delete': { args: z.strictObject({ id }), result: ok },
  },
  events: {
    'quant.progress': z.object({
      jobId: z.string(),
      type: quantType,
      state: z.enum(['running', 'done', 'failed', 'cancelled']),
      done: z.number(),
      total: z.number(),
      message: z.string().nullable(),
      result: quantizeResult.nullable(),
    }),
    'compare.event': z.union([
      z.object({
        jobId: z.string(),
        kind: z.literal('stage'),
        index: z.number(),
        stage: z.string(),
        fraction: z.number(),
      }),
      z.object({ jobId: z.string(), kind: z.literal('delta'), index: z.number(), text: z.string() }),
      z.object({ jobId: z.string(), kind: z.literal('variant'), index: z.number(), result: variantResult }),
    ]),
    'compare.done': z.object({ jobId: z.string(), comparison: comparison.nullable(), error: z.string().nullable() }),
  },
} as const satisfies Contract;
