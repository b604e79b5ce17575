// The one way an answer is made on this device, for every shell: the chat UI (AnswerRun), `edgewise chat`
// and `/v1/chat/completions` all call answerOnDevice. It builds the engine request from conversation
// settings, samples telemetry around it and returns the figures as MessageStats, so the CLI's --json,
// the API's usage and the UI's figures come from the same request and the same arithmetic.
import { basename } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ConversationSettings, MessageStats, Speculation } from '../../../shared/schemas.ts';
import type { EngineHost } from '../engine/engineHost.ts';
import type { GenerateResult, ResponseFormat } from '../engine/workerContract.ts';
import type { FunctionSpec, TurnCall } from '../engine/functionCalling.ts';
import type { TelemetryService } from '../telemetry/telemetryService.ts';

export interface Turn {
  role: 'user' | 'assistant';
  text: string;
  /** An answer's thoughts: sent as a thought segment, which the model's chat template may leave out. */
  thoughts?: string;
  /** Tools the assistant called in this turn, with what each returned. */
  calls?: TurnCall[];
}

/** What an on-device answer needs: the engine holding the model, and the telemetry sampler. */
export interface OnDeviceDeps {
  engine: Pick<EngineHost, 'generate' | 'status'>;
  telemetry: Pick<TelemetryService, 'start'>;
}

export interface OnDeviceRequest {
  /** Names the answer's telemetry samples (the message id in the UI). */
  id: string;
  /** The model the engine has loaded for this answer. */
  model: { path: string; quantization: string };
  settings: ConversationSettings;
  history: Turn[];
  /** "raw" continues the text without a chat template (`edgewise chat --raw`). */
  mode?: 'chat' | 'raw';
  /** Scores the answer's mean token confidence (costs a re-evaluation of up to 128 tokens). */
  scoreConfidence?: boolean;
  /** Speculative decoding for this answer (prompt lookup or a draft model); off when absent. */
  speculation?: Speculation;
  /** Functions the model may call; the answer stops at its calls (functionCalls) for the caller to run. */
  functions?: Record<string, FunctionSpec>;
  toolChoice?: 'auto' | 'required';
  /** A JSON answer, constrained by grammar to parse (and to match the schema when one is given). */
  responseFormat?: ResponseFormat;
  /** Text as it streams; `thought` is true for a reasoning model's thinking. */
  onDelta?: (text: string, outputTokens: number, thought: boolean) => void;
  signal?: AbortSignal;
}

export interface OnDeviceAnswer {
  text: string;
  /** The model's thoughts ('' when it did not think). */
  thoughts: string;
  stats: MessageStats;
  /** node-llama-cpp's own count of output tokens, a cross-check on stats.outputTokens. */
  engineOutputTokens: number;
  functionCalls: { name: string; params: unknown }[];
}

function speculationStats(guessed: GenerateResult['speculation']): Partial<MessageStats> {
  if (!guessed) return {};
  const checked = guessed.validated + guessed.refuted;
  return {
    speculation: guessed.kind,
    draftAcceptedTokens: guessed.validated,
    draftRejectedTokens: guessed.refuted,
    acceptanceRate: checked > 0 ? guessed.validated / checked : null,
  };
}

/** Thought figures only for an answer that thought or had thinking turned off: others stay as they were. */
function thoughtStats(r: GenerateResult): Partial<MessageStats> {
  if (!r.thoughts && r.thoughtTokens === 0 && !r.thinkingOff) return {};
  return {
    thoughtTokens: r.thoughtTokens,
    firstThoughtMs: r.firstThoughtMs,
    firstAnswerMs: r.firstAnswerMs,
    thoughtMs: r.thoughtMs,
    thoughtUnclosed: r.thoughtUnclosed,
    thinkingOff: r.thinkingOff,
  };
}

export async function answerOnDevice(deps: OnDeviceDeps, req: OnDeviceRequest): Promise<OnDeviceAnswer> {
  const { engine, telemetry } = deps;
  const { settings } = req;
  let outputTokens = 0;
  const run = await telemetry.start(req.id);
  let result;
  let power;
  try {
    result = await engine.generate(
      {
        requestId: randomUUID(),
        mode: req.mode ?? 'chat',
        systemPrompt: settings.systemPrompt,
        history: req.history,
        sampling: settings.sampling,
        contextSize: settings.contextSize,
        scoreConfidence: req.scoreConfidence ?? false,
        ...(req.speculation ? { speculation: req.speculation } : {}),
        thinking: { enabled: settings.thinking ?? true, budget: settings.thoughtBudget ?? null },
        ...(req.functions ? { functions: req.functions, toolChoice: req.toolChoice ?? 'auto' } : {}),
        ...(req.responseFormat ? { responseFormat: req.responseFormat } : {}),
      },
      (text, tokens, thought) => {
        outputTokens = tokens;
        run.setTokens(tokens);
        req.onDelta?.(text, tokens, thought);
      },
      req.signal,
    );
  } finally {
    power = run.finish(outputTokens);
  }
  const stats: MessageStats = {
    modelFile: basename(req.model.path),
    quantization: req.model.quantization,
    backend: engine.status.backend ?? 'cpu',
    ttftMs: result.ttftMs,
    promptTokens: result.promptTokens,
    evaluatedPromptTokens: result.evaluatedPromptTokens ?? null,
    prefillTokensPerSec: result.prefillTokensPerSec,
    outputTokens: result.outputTokens,
    decodeTokensPerSec: result.decodeTokensPerSec,
    stopReason: result.stopReason,
    contextShifted: result.contextShifted,
    contextSize: result.contextSize,
    meanConfidence: result.meanConfidence,
    ...speculationStats(result.speculation),
    ...thoughtStats(result),
    energyJoules: power.energyJoules,
    energyPerTokenMj: power.energyPerTokenMj,
    powerSource: power.powerSource,
    powerMethod: power.powerMethod,
    powerUnavailable: power.powerUnavailable,
    peakRssBytes: power.peakRssBytes,
    peakVramBytes: power.peakVramBytes,
    meanCpuPercent: power.meanCpuPercent,
  };
  return {
    text: result.text,
    thoughts: result.thoughts,
    stats,
    engineOutputTokens: result.engineOutputTokens,
    functionCalls: result.functionCalls ?? [],
  };
}
