// Data shapes shared by main and renderer. Types are inferred from the schemas, never declared twice.
import { z } from 'zod';
import { routeTrace } from './router/schemas.ts';

export const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9:_-]+$/, 'must be a plain identifier');

export const gpuChoice = z.enum(['auto', 'cpu', 'metal', 'cuda', 'vulkan']);
export type GpuChoice = z.infer<typeof gpuChoice>;
/**
 * Flash attention in the engine's contexts: auto leaves it to llama.cpp (on wherever the backend supports
 * it, the CPU included); on and off force it. On a CPU, off made each new turn deep in a conversation faster
 * and a long pasted prompt slower (README, "Flash attention").
 */
export const flashAttentionChoice = z.enum(['auto', 'on', 'off']);
export type FlashAttentionChoice = z.infer<typeof flashAttentionChoice>;
export const backendName = z.enum(['cpu', 'metal', 'cuda', 'vulkan']);
export type BackendName = z.infer<typeof backendName>;

export const sampling = z.strictObject({
  temperature: z.number().min(0).max(2),
  topK: z.number().int().min(0).max(1000),
  topP: z.number().min(0).max(1),
  minP: z.number().min(0).max(1),
  repeatPenalty: z.number().min(1).max(2),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .nullable(),
  maxTokens: z.number().int().min(1).max(32768),
});
export type Sampling = z.infer<typeof sampling>;

export const defaultSampling: Sampling = {
  temperature: 0.7,
  topK: 40,
  topP: 0.95,
  minP: 0.05,
  repeatPenalty: 1.1,
  seed: null,
  maxTokens: 512,
};

/**
 * A conversation's speculative decoding: off, prompt lookup (guesses copied from the conversation's own
 * text), or a draft model from the library with the same vocabulary. Absent means off: measured on the
 * test machines it saves time only where answers copy from the prompt (see README, Speculative decoding).
 */
export const speculationSetting = z.strictObject({
  kind: z.enum(['off', 'prompt', 'draft']),
  draftModelId: id.nullable(),
});
export type SpeculationSetting = z.infer<typeof speculationSetting>;

export const conversationSettings = z.strictObject({
  systemPrompt: z.string().max(20_000),
  sampling,
  contextSize: z.number().int().min(128).max(131072),
  /** Reasoning models: false turns thinking off (by the template's switch where it has one, else a budget of 0). */
  thinking: z.boolean().optional(),
  /** Most thought tokens an answer may spend before its thought is closed; null or absent: no cap. */
  thoughtBudget: z.number().int().min(1).max(32768).nullable().optional(),
  speculation: speculationSetting.optional(),
  /**
   * With tools on: "required" makes the answer start with a tool call (function calling engaged from the first
   * token, as the API's tool_choice "required"), for models that would not call one on their own.
   */
  toolChoice: z.enum(['auto', 'required']).optional(),
});
export type ConversationSettings = z.infer<typeof conversationSettings>;

export const defaultSettings: ConversationSettings = { systemPrompt: '', sampling: defaultSampling, contextSize: 2048 };

export const stopReason = z.enum(['eos', 'maxTokens', 'aborted', 'crashed', 'error', 'interrupted']);
export type StopReason = z.infer<typeof stopReason>;

export const messageStats = z.object({
  modelFile: z.string(),
  quantization: z.string(),
  /** "remote" when a private server or the partner answered. */
  backend: z.union([backendName, z.literal('remote')]),
  ttftMs: z.number(),
  promptTokens: z.number(),
  /** Of promptTokens, those evaluated for this answer; the rest were reused from the context (null: unknown). */
  evaluatedPromptTokens: z.number().nullable().optional(),
  prefillTokensPerSec: z.number(),
  outputTokens: z.number(),
  decodeTokensPerSec: z.number(),
  stopReason,
  contextShifted: z.boolean(),
  /** Mean probability of the answer's own tokens, when it was measured. */
  meanConfidence: z.number().nullable().optional(),
  /** From the moment the request arrived to the first token sent to the screen. */
  ttftFromSendMs: z.number().nullable().optional(),
  energyJoules: z.number().nullable().optional(),
  energyPerTokenMj: z.number().nullable().optional(),
  powerSource: z.string().nullable().optional(),
  powerMethod: z.string().nullable().optional(),
  /** Why energy could not be measured on this machine. */
  powerUnavailable: z.string().nullable().optional(),
  peakRssBytes: z.number().nullable().optional(),
  /** The most GPU memory in use on the device while answering; null on the CPU backend. */
  peakVramBytes: z.number().nullable().optional(),
  meanCpuPercent: z.number().nullable().optional(),
  /** The context the answer ran in (asked for, capped at the model's training context). */
  contextSize: z.number().optional(),
  /** Speculative decoding: how tokens were guessed ahead ('prompt' lookup or a 'draft' model), if at all. */
  speculation: z.enum(['prompt', 'draft']).nullable().optional(),
  /** Guessed tokens the model confirmed, and those it refuted; the rate is confirmed / (confirmed + refuted). */
  draftAcceptedTokens: z.number().nullable().optional(),
  draftRejectedTokens: z.number().nullable().optional(),
  acceptanceRate: z.number().nullable().optional(),
  /** Reasoning: of outputTokens, those the model spent thinking (outputTokens and the decode speed count both). */
  thoughtTokens: z.number().nullable().optional(),
  /** From the request to the first thought token, and to the first answer token; null when there was none. */
  firstThoughtMs: z.number().nullable().optional(),
  firstAnswerMs: z.number().nullable().optional(),
  /** How long the model thought: first thought token to the thought's end. */
  thoughtMs: z.number().nullable().optional(),
  /** The thought never closed: cut by the token limit or a stop, or the model only thought. */
  thoughtUnclosed: z.boolean().optional(),
  /** Thinking was turned off for this answer: by the chat template's switch, or by a thought budget of 0. */
  thinkingOff: z.enum(['template', 'budget']).nullable().optional(),
});
export type MessageStats = z.infer<typeof messageStats>;

export const message = z.object({
  id,
  conversationId: id,
  /** The message this one answers or follows; null for a first message. Versions of one message share it. */
  parentId: id.nullable().optional(),
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  /** A reasoning model's thoughts, kept apart from the answer; absent or null when it did not think. */
  thoughts: z.string().nullable().optional(),
  status: z.enum(['done', 'streaming', 'aborted', 'error', 'interrupted']),
  stats: messageStats.nullable(),
  error: z.string().nullable(),
  trace: routeTrace.nullable().optional(),
  createdAt: z.number(),
});
export type Message = z.infer<typeof message>;

export const conversation = z.object({
  id,
  title: z.string(),
  modelId: id.nullable(),
  settings: conversationSettings,
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Conversation = z.infer<typeof conversation>;

export const modelInfo = z.object({
  id,
  name: z.string(),
  path: z.string(),
  /** bundled: ships with the app; library: in Edgewise's models folder (Edgewise owns it); added: a file
   *  registered where it is; ollama, lmstudio: another app's download, used in place. */
  source: z.enum(['bundled', 'library', 'added', 'ollama', 'lmstudio']),
  sizeBytes: z.number(),
  architecture: z.string(),
  parameters: z.string().nullable(),
  quantization: z.string(),
  contextLength: z.number().nullable(),
  hasChatTemplate: z.boolean(),
  description: z.string(),
});
export type ModelInfo = z.infer<typeof modelInfo>;

/**
 * How the engine's thread count was chosen: set by the user (flag or setting), measured on this machine
 * at the model's first load (decode steps timed at each candidate count), or remembered from that.
 */
export const threadChoice = z.object({
  threads: z.number().int().min(1),
  source: z.enum(['override', 'measured', 'remembered']),
  /** Median decode speed at each candidate count, in the order measured; empty for an override. */
  measurements: z.array(z.object({ threads: z.number().int(), tokensPerSec: z.number(), samples: z.number().int() })),
  /** When the measurement was taken (ms since 1970); null for an override. */
  measuredAt: z.number().nullable(),
  /** How long the measurement took. */
  calibrationMs: z.number().nullable(),
});
export type ThreadChoice = z.infer<typeof threadChoice>;

/**
 * Speculative decoding: tokens guessed ahead and checked by the model in one batch (greedy output stays
 * the same). 'prompt' guesses from the conversation's own text; 'draft' from a smaller model with the
 * same vocabulary.
 */
export const speculation = z.object({
  kind: z.enum(['off', 'prompt', 'draft']),
  draftModelPath: z.string().nullable(),
});
export type Speculation = z.infer<typeof speculation>;

export const engineState = z.enum(['starting', 'idle', 'loading', 'ready', 'crashed', 'error']);
export const engineStatus = z.object({
  state: engineState,
  modelId: id.nullable(),
  modelName: z.string().nullable(),
  backend: backendName.nullable(),
  gpuDevices: z.array(z.string()),
  threads: z.number().nullable(),
  /** Why that thread count: measured, remembered or chosen by the user (absent before a load). */
  threadChoice: threadChoice.nullable().optional(),
  /** Flash attention for the contexts of the model loaded, or being loaded or failed to load (absent before a load). */
  flashAttention: flashAttentionChoice.nullable().optional(),
  progress: z.number().min(0).max(1).nullable(),
  error: z.string().nullable(),
  restarts: z.number(),
});
export type EngineStatus = z.infer<typeof engineStatus>;

/** One telemetry sample, taken at 4 Hz while an answer is generated; null where a figure is unavailable. */
export const telemetrySample = z.object({
  messageId: id,
  atMs: z.number(),
  tokens: z.number(),
  tokensPerSec: z.number().nullable(),
  rssBytes: z.number().nullable(),
  cpuPercent: z.number().nullable(),
  contextTokens: z.number().nullable(),
  contextSize: z.number().nullable(),
  /** GPU memory in use on the whole device, as llama.cpp's backend reports it; null on the CPU backend. */
  vramUsedBytes: z.number().nullable(),
  vramTotalBytes: z.number().nullable(),
  /** Speculative decoding: share of this answer's guessed tokens the model kept so far; null without guesses. */
  draftAcceptanceRate: z.number().nullable().optional(),
  batteryPercent: z.number().nullable(),
  charging: z.boolean().nullable(),
  powerW: z.number().nullable(),
  energyPerTokenMj: z.number().nullable(),
});
export type TelemetrySample = z.infer<typeof telemetrySample>;
