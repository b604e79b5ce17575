// Conversations as the user's own data: export and import, and full-text search over every message.
import { z } from 'zod';
import type { Contract } from '../rpc.ts';
import { id } from '../schemas.ts';
import { exportFormatName, importResult } from '../exportFormat.ts';
import { searchHit } from '../search.ts';

/** One contract message carries at most 1 MiB over the WebSocket; a bigger file goes through `edgewise import`. */
export const MAX_UI_IMPORT_CHARS = 900_000;

export const conversationsContract = {
  calls: {
    'conversations.export': {
      args: z.strictObject({ id: id.optional(), format: exportFormatName }),
      result: z.object({
        fileName: z.string(),
        format: exportFormatName,
        content: z.string(),
        conversations: z.number(),
      }),
    },
    'conversations.import': {
      args: z.strictObject({
        content: z
          .string()
          .max(
            MAX_UI_IMPORT_CHARS,
            'the file is too big to import from the window (900 KB at most); use `edgewise import FILE`',
          ),
      }),
      result: importResult,
    },
    'conversations.search': {
      args: z.strictObject({ query: z.string().max(500), limit: z.number().int().min(1).max(200).optional() }),
      result: z.array(searchHit),
    },
  },
  events: {},
} as const satisfies Contract;
