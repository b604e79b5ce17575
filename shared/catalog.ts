// The schema of models/catalog.json: facts about downloadable models, each with its source.
import { z } from 'zod';
import { archFacts } from './fit/archFacts.ts';

export const catalogFile = z.strictObject({
  name: z.string().min(1),
  quantization: z.string().min(1),
  uri: z.string().min(1),
  sizeBytes: z.number().int().positive().nullable(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
});

export const catalogModel = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
    name: z.string().min(1),
    /** An embedding model serves retrieval over attached documents (Documents → embedding model), not chat. */
    purpose: z.enum(['chat', 'embedding']).optional(),
    architecture: z.string().min(1),
    parameters: z.string().min(1),
    license: z.string().min(1),
    quantizationAware: z.boolean(),
    source: z.string().min(1),
    /** Architecture facts from the model's published config; a figure not found there is left out. */
    facts: archFacts.optional(),
    factsSource: z.string().min(1).optional(),
    files: z.array(catalogFile),
  })
  .refine((m) => !m.facts || m.factsSource, { message: 'facts need a factsSource saying where they were read' });

export const catalog = z.strictObject({
  version: z.literal(1),
  models: z.array(catalogModel),
});
export type Catalog = z.infer<typeof catalog>;

export const downloadState = z.enum(['downloading', 'paused', 'failed', 'done', 'cancelled']);
export const downloadRecord = z.object({
  id: z.string(),
  uri: z.string(),
  fileName: z.string(),
  state: downloadState,
  received: z.number(),
  total: z.number().nullable(),
  bytesPerSec: z.number(),
  secondsLeft: z.number().nullable(),
  error: z.string().nullable(),
  /** Where the finished file is. */
  path: z.string().nullable(),
  sha256: z.string().nullable(),
  /** What the sha256 was checked against: the catalog, the server's published hash, or nothing published. */
  verifiedAgainst: z.enum(['catalog', 'server']).nullable(),
});
export type DownloadRecord = z.infer<typeof downloadRecord>;
