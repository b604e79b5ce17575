// The calls between the engine host and its worker process, on the same RPC layer as the UI.
import { z } from 'zod';
import {
  backendName,
  flashAttentionChoice,
  gpuChoice,
  sampling,
  speculation,
  stopReason,
  threadChoice,
} from '../../../shared/schemas.ts';

/** A call the model made in an assistant turn, with the result it was given back. */
export const turnCall = z.object({ name: z.string(), params: z.unknown(), result: z.string() });

/** A function the model may call: a JSON Schema for its arguments (cut down to what grammars support). */
export const functionSpec = z.object({ description: z.string().optional(), params: z.unknown().optional() });

/** A JSON answer: any JSON object, or one that matches a JSON Schema (node-llama-cpp's grammar for it). */
export const responseFormat = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('json_object') }),
  z.object({ kind: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) }),
]);
export type ResponseFormat = z.infer<typeof responseFormat>;

/** One turn of history; an answer's thoughts go back as a thought segment, which the chat template may drop. */
export const turn = z.object({
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  thoughts: z.string().optional(),
  calls: z.array(turnCall).optional(),
});

/** Thinking for models whose chat template marks thoughts: off where the template can turn it off, and a cap. */
export const thinkingOptions = z.object({
  enabled: z.boolean(),
  /** Most thought tokens before node-llama-cpp closes the thought (its budgets.thoughtTokens); null: no cap. */
  budget: z.number().int().min(0).nullable(),
});

export const loadResult = z.object({
  backend: backendName,
  gpuDevices: z.array(z.string()),
  threads: z.number(),
  threadChoice,
});

export const machineMemory = z.object({
  backend: backendName,
  gpuDevices: z.array(z.string()),
  ramTotal: z.number(),
  ramFree: z.number(),
  vramTotal: z.number().nullable(),
  vramFree: z.number().nullable(),
  unifiedBytes: z.number(),
});
export type MachineMemory = z.infer<typeof machineMemory>;

export const workerUsage = z.object({
  rssBytes: z.number(),
  cpuUserUs: z.number(),
  cpuSystemUs: z.number(),
  contextTokens: z.number(),
  contextSize: z.number(),
  vramUsedBytes: z.number().nullable(),
  vramTotalBytes: z.number().nullable(),
  /** Speculative decoding on the sequence so far (node-llama-cpp's counts): guesses confirmed and refuted. */
  draftValidated: z.number(),
  draftRefuted: z.number(),
});

export type WorkerUsage = z.infer<typeof workerUsage>;

export const generateResult = z.object({
  text: z.string(),
  stopReason,
  ttftMs: z.number(),
  promptTokens: z.number(),
  /** Of the prompt, the tokens evaluated for this answer; the rest was reused from the sequence's cache. */
  evaluatedPromptTokens: z.number().optional(),
  prefillTokensPerSec: z.number(),
  outputTokens: z.number(),
  decodeTokensPerSec: z.number(),
  contextShifted: z.boolean(),
  /** The context the answer ran in: the size asked for, capped at what the model was trained on. */
  contextSize: z.number(),
  /** node-llama-cpp's own count of output tokens (its token meter) over the same run. */
  engineOutputTokens: z.number(),
  /** Mean probability the model gave its own answer tokens (when asked for); low means unsure. */
  meanConfidence: z.number().nullable(),
  /** Guessed tokens in this answer: confirmed and refuted by the model; null without speculation. */
  speculation: z.object({ kind: z.enum(['prompt', 'draft']), validated: z.number(), refuted: z.number() }).nullable(),
  /** The model's thoughts (its thought segments, not in `text`); '' for a model that did not think. */
  thoughts: z.string(),
  /** Of outputTokens, those inside thought segments. */
  thoughtTokens: z.number(),
  /** From the call to the first thought token and to the first answer token; null when there was none. */
  firstThoughtMs: z.number().nullable(),
  firstAnswerMs: z.number().nullable(),
  /** From the first thought token to the thought's end (or to the end of the answer when it never closed). */
  thoughtMs: z.number().nullable(),
  /** A thought segment was still open when generation stopped (cut by maxTokens, stopped, or never closed). */
  thoughtUnclosed: z.boolean(),
  /** How thinking was turned off when asked: by the chat template's own switch, or by a thought budget of 0. */
  thinkingOff: z.enum(['template', 'budget']).nullable(),
  /** The calls the model made (it stopped to have them run); empty when it answered in text. */
  functionCalls: z.array(z.object({ name: z.string(), params: z.unknown() })).optional(),
});
export type GenerateResult = z.infer<typeof generateResult>;

export const workerContract = {
  calls: {
    load: {
      args: z.object({
        path: z.string(),
        gpu: gpuChoice,
        /** The user's choice: always wins. */
        threads: z.number().int().min(1).nullable(),
        /** A measurement of this model on this machine from an earlier load: used instead of measuring again. */
        remembered: threadChoice.nullable().optional(),
        /** A context of this size is made at load, so the first answer at that size does not pay for it. */
        contextAhead: z.number().int().min(1).optional(),
        /** Flash attention for every context made for this model; auto when absent. */
        flashAttention: flashAttentionChoice.optional(),
      }),
      result: loadResult,
    },
    unload: { args: z.object({}), result: z.object({ ok: z.literal(true) }) },
    generate: {
      args: z.object({
        requestId: z.string(),
        mode: z.enum(['chat', 'raw']),
        systemPrompt: z.string(),
        history: z.array(turn),
        sampling,
        contextSize: z.number().int(),
        scoreConfidence: z.boolean().optional(),
        speculation: speculation.optional(),
        /** Tests and the benchmark only: the end-of-generation tokens are never sampled, so the answer runs
         *  to maxTokens unless stopped (electron/services/engine/ignoreEos.ts). */
        ignoreEos: z.boolean().optional(),
        thinking: thinkingOptions.optional(),
        functions: z.record(z.string(), functionSpec).optional(),
        /** "required": the model must call a function before it writes anything else. */
        toolChoice: z.enum(['auto', 'required']).optional(),
        responseFormat: responseFormat.optional(),
      }),
      result: generateResult,
    },
    /** Memory of this machine as the engine's backend sees it (VRAM, or unified memory on a Mac). */
    memory: { args: z.object({ gpu: gpuChoice }), result: machineMemory },
    /** The worker's own memory and CPU time, how full the context is, and the GPU's memory in use (as
     *  llama.cpp's backend reports it; null on the CPU backend): read by telemetry at 4 Hz. */
    usage: { args: z.object({}), result: workerUsage },
    abort: { args: z.object({ requestId: z.string() }), result: z.object({ ok: z.literal(true) }) },
    /** Counts tokens with the loaded model's own tokenizer (documents' exact counts); fails when none is loaded.
     *  A count is null for text the vocabulary cannot read (vocabularyGuard.ts): tokenizing it would abort. */
    tokenize: {
      args: z.object({ texts: z.array(z.string()).max(10_000) }),
      result: z.object({ counts: z.array(z.number().int().nullable()) }),
    },
    /** Embedding vectors of texts, from an embedding context on the model file at `path` (kept loaded apart
     *  from the chat model). A text longer than that context is cut to it; `truncated` counts those. */
    embed: {
      args: z.object({ path: z.string(), gpu: gpuChoice, texts: z.array(z.string()).max(1000) }),
      result: z.object({ vectors: z.array(z.array(z.number())), truncated: z.number().int() }),
    },
    /** Times a prompt and a few decoded tokens on a model of its own, apart from the loaded one (fit's speed probe). */
    speedProbe: {
      args: z.object({
        path: z.string(),
        gpu: gpuChoice,
        threads: z.number().int().min(1),
        promptTokens: z.number().int().min(1).max(4096),
        decodeTokens: z.number().int().min(2).max(1024),
        /** Stop decoding after this long (at least 3 tokens): an oversubscribed thread count can take seconds a token. */
        maxSeconds: z.number().positive().optional(),
      }),
      result: z.object({ ttftMs: z.number(), secondsPerToken: z.number(), promptTokens: z.number() }),
    },
  },
  events: {
    loadProgress: z.object({ progress: z.number() }),
    /** Text as it is generated; `thought` marks text inside a thought segment. */
    token: z.object({ requestId: z.string(), text: z.string(), tokens: z.number(), thought: z.boolean().optional() }),
    ready: z.object({ pid: z.number() }),
  },
} as const;

export type WorkerContract = typeof workerContract;
