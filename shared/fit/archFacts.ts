// Architecture facts that decide how much memory a model needs. The same shape comes from a catalog
// entry (the model's published config) or from a GGUF file on disk (its metadata and tensor sizes).
import { z } from 'zod';

export const archFacts = z.strictObject({
  /** Total parameters; for a mixture of experts, all experts (all of them must be resident). */
  parameters: z.number().positive(),
  /** Parameters used per token (mixture of experts only); affects speed, not memory. */
  activeParameters: z.number().positive().optional(),
  layers: z.number().int().positive(),
  attentionHeads: z.number().int().positive(),
  /** Fewer than attentionHeads with grouped-query attention. */
  kvHeads: z.number().int().positive(),
  headDim: z.number().int().positive(),
  embeddingSize: z.number().int().positive(),
  feedForwardSize: z.number().int().positive(),
  vocabSize: z.number().int().positive(),
  trainedContext: z.number().int().positive(),
  /** Sliding-window attention: the window, and how many layers form one group with a single global layer. */
  slidingWindow: z.number().int().positive().optional(),
  slidingWindowPattern: z.number().int().positive().optional(),
  experts: z.number().int().positive().optional(),
  expertsUsed: z.number().int().positive().optional(),
});
export type ArchFacts = z.infer<typeof archFacts>;

/** A model as the fit matrix sees it; weightsBytes and quantization are set for a file on disk. */
export const fitModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  facts: archFacts,
  weightsBytes: z.number().optional(),
  quantization: z.string().optional(),
  /** Trained for low bit widths (BitNet b1.58): loses little at ternary levels. */
  quantizationAware: z.boolean().optional(),
});
