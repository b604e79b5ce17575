// The model library: local models, the catalog, other apps' stores, and downloads.
import { z } from 'zod';
import type { Contract } from '../rpc.ts';
import { id, modelInfo } from '../schemas.ts';
import { catalogModel, downloadRecord } from '../catalog.ts';
import { empty, ok } from './parts.ts';

export const modelsContract = {
  calls: {
    'models.list': { args: empty, result: z.array(modelInfo) },
    'models.add': { args: z.strictObject({ path: z.string().min(1).max(4096) }), result: modelInfo },
    'models.rename': { args: z.strictObject({ modelId: id, name: z.string().trim().min(1).max(200) }), result: ok },
    /** Deletes a file Edgewise owns, forgets one added by path; other apps' files are refused. */
    'models.remove': {
      args: z.strictObject({ modelId: id }),
      result: z.object({ deleted: z.boolean(), path: z.string() }),
    },
    'catalog.list': { args: empty, result: z.array(catalogModel) },
    'library.stores': {
      args: empty,
      result: z.object({
        ollama: z.array(z.string()),
        lmStudio: z.array(z.string()),
        ollamaDir: z.string().nullable(),
        lmStudioDir: z.string().nullable(),
      }),
    },
    'library.setStores': {
      args: z.strictObject({
        ollamaDir: z.string().max(4096).nullable(),
        lmStudioDir: z.string().max(4096).nullable(),
      }),
      result: ok,
    },
    'downloads.list': { args: empty, result: z.array(downloadRecord) },
    'downloads.start': { args: z.strictObject({ uri: z.string().min(1).max(2048) }), result: downloadRecord },
    'downloads.pause': { args: z.strictObject({ id }), result: downloadRecord },
    'downloads.resume': { args: z.strictObject({ id }), result: downloadRecord },
    'downloads.cancel': { args: z.strictObject({ id }), result: downloadRecord },
  },
  events: {
    /** The model list changed (a file was made, downloaded or removed). */
    'models.changed': z.object({}),
    'downloads.changed': downloadRecord,
  },
} as const satisfies Contract;
