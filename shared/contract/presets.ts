// Presets: list, save (create or change), delete, and a model's default for new conversations.
import { z } from 'zod';
import type { Contract } from '../rpc.ts';
import { id } from '../schemas.ts';
import { preset, presetInput } from '../presets.ts';
import { ok } from './parts.ts';

export const presetsContract = {
  calls: {
    'presets.list': {
      args: z.strictObject({}),
      result: z.object({ presets: z.array(preset), modelDefaults: z.record(z.string(), id) }),
    },
    'presets.save': { args: presetInput, result: preset },
    'presets.delete': { args: z.strictObject({ id }), result: ok },
    'presets.setModelDefault': { args: z.strictObject({ modelId: id, presetId: id.nullable() }), result: ok },
  },
  events: {},
} as const satisfies Contract;
