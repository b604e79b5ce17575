// Documents attached to a conversation: sent from the window in pieces, listed with their token counts,
// removed, and opened at a cited passage.
import { z } from 'zod';
import type { Contract } from '../rpc.ts';
import { id } from '../schemas.ts';
import { attachResult, documentInfo, DOCUMENT_LIMITS, passage } from '../documents.ts';
import { ok } from './parts.ts';

/** One piece of a file: 512 KiB, which is about 700,000 characters of base64, under the 1 MiB message cap. */
export const UPLOAD_PART_BYTES = 512 * 1024;

const embeddingModelInfo = z.object({
  model: z.object({ id: z.string(), name: z.string() }).nullable(),
  status: z.string(),
});

export const documentsContract = {
  calls: {
    'documents.upload': {
      args: z.strictObject({
        conversationId: id,
        uploadId: id,
        name: z.string().trim().min(1).max(500),
        size: z.number().int().min(0),
        part: z.number().int().min(0),
        parts: z
          .number()
          .int()
          .min(1)
          .max(Math.ceil(DOCUMENT_LIMITS.fileBytes / UPLOAD_PART_BYTES)),
        data: z.string().max(Math.ceil(UPLOAD_PART_BYTES / 3) * 4),
      }),
      /** Null until the last piece; then what was attached, or why not. */
      result: attachResult.nullable(),
    },
    'documents.list': { args: z.strictObject({ conversationId: id }), result: z.array(documentInfo) },
    'documents.remove': { args: z.strictObject({ id }), result: ok },
    'documents.passage': {
      args: z.strictObject({
        documentId: id,
        page: z.number().int().min(1).nullable(),
        chunkId: z.number().int().min(1).nullable(),
      }),
      result: passage,
    },
    /** The model that embeds documents for retrieval (null: bm25 alone), and what the trace would say. */
    'documents.embeddingModel': { args: z.strictObject({}), result: embeddingModelInfo },
    'documents.setEmbeddingModel': { args: z.strictObject({ modelId: id.nullable() }), result: embeddingModelInfo },
  },
  events: {
    'documents.changed': z.object({ conversationId: id }),
  },
} as const satisfies Contract;
