// Reasoning models' thoughts, as node-llama-cpp hands them over: thought segments parsed by the chat
// wrapper the model's template resolves to. This file picks the wrapper (and one with thinking off),
// follows the segments while an answer streams, and rebuilds history with thoughts as segments, so the
// wrapper, not Edgewise, decides which past thoughts go back to the model.
import {
  JinjaTemplateChatWrapper,
  QwenChatWrapper,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatModelResponse,
  type ChatWrapper,
  type LlamaChatResponseChunk,
  type LlamaModel,
} from 'node-llama-cpp';
import type { z } from 'zod';
import type { thinkingOptions, turn } from './workerContract.ts';

type Thinking = z.infer<typeof thinkingOptions>;
type Turn = z.infer<typeof turn>;

export interface ModelWrappers {
  /** The wrapper node-llama-cpp resolves for the model (as LlamaChat's "auto" would). */
  normal: ChatWrapper;
  /** The same template with its thinking switch off (Qwen's thoughts: "discourage", a Jinja template's
   *  enable_thinking = false); null when the template has no such switch. */
  noThinking: ChatWrapper | null;
}

export function wrappersFor(model: LlamaModel): ModelWrappers {
  const normal = resolveChatWrapper(model);
  let noThinking: ChatWrapper | null = null;
  if (normal instanceof QwenChatWrapper) {
    noThinking = new QwenChatWrapper({ variation: normal.variation, thoughts: 'discourage' });
  } else if (normal instanceof JinjaTemplateChatWrapper && normal.settings.segments?.thought) {
    noThinking = resolveChatWrapper(model, {
      type: 'jinjaTemplate',
      customWrapperSettings: { jinjaTemplate: { reasoning: false } },
    });
  }
  return { normal, noThinking };
}

/** The wrapper and budgets for one answer; thinking off without a template switch is a budget of 0. */
export function thinkingPlan(wrappers: ModelWrappers, thinking: Thinking | undefined) {
  if (thinking && !thinking.enabled) {
    return wrappers.noThinking
      ? { chatWrapper: wrappers.noThinking, budgets: undefined, off: 'template' as const }
      : { chatWrapper: wrappers.normal, budgets: { thoughtTokens: 0 }, off: 'budget' as const };
  }
  const budget = thinking?.budget ?? null;
  // No budgets at all without a cap: an object with thoughtTokens unset gets node-llama-cpp's default (half the context).
  return { chatWrapper: wrappers.normal, budgets: budget === null ? undefined : { thoughtTokens: budget }, off: null };
}

/** History for LlamaChat: an answer's thoughts as a thought segment in front of its text. */
export function historyItems(systemPrompt: string, history: Turn[]): ChatHistoryItem[] {
  const items: ChatHistoryItem[] = [];
  if (systemPrompt) items.push({ type: 'system', text: systemPrompt });
  for (const t of history) {
    if (t.role === 'user') {
      items.push({ type: 'user', text: t.text });
      continue;
    }
    const response: ChatModelResponse['response'] = [];
    if (t.thoughts) response.push({ type: 'segment', segmentType: 'thought', text: t.thoughts, ended: true });
    if (t.text || !t.calls?.length) response.push(t.text);
    // Tools the answer called, with what each returned (functionCalling.ts)
    for (const call of t.calls ?? [])
      response.push({ type: 'functionCall', name: call.name, params: call.params, result: call.result });
    items.push({ type: 'model', response });
  }
  // An answer that stopped to call functions is continued with their results, not started again.
  if (!history.at(-1)?.calls?.length) items.push({ type: 'model', response: [] });
  return items;
}

/** Follows one answer's chunks: thought and answer text, their token counts and when each began. */
export class SegmentTracker {
  private readonly started: number;
  thoughtTokens = 0;
  firstThoughtAt = 0;
  firstAnswerAt = 0;
  thoughtEndAt = 0;

  constructor(started: number) {
    this.started = started;
  }

  /** Classifies a chunk; every segment that is not the answer (thoughts, and comments) is shown as thinking. */
  take(chunk: LlamaChatResponseChunk): { text: string; thought: boolean } {
    const now = performance.now();
    const thought = chunk.type === 'segment';
    if (thought) {
      this.thoughtTokens += chunk.tokens.length;
      if (chunk.text && !this.firstThoughtAt) this.firstThoughtAt = now;
      if (chunk.segmentEndTime && !this.thoughtEndAt) this.thoughtEndAt = now;
    } else if (chunk.text) {
      this.firstAnswerAt ||= now;
      if (this.firstThoughtAt) this.thoughtEndAt ||= now;
    }
    return { text: chunk.text, thought };
  }

  figures(finished: number) {
    const since = (at: number) => (at ? at - this.started : null);
    return {
      thoughtTokens: this.thoughtTokens,
      firstThoughtMs: since(this.firstThoughtAt),
      firstAnswerMs: since(this.firstAnswerAt),
      thoughtMs: this.firstThoughtAt ? (this.thoughtEndAt || finished) - this.firstThoughtAt : null,
    };
  }
}

/** The thoughts of a finished response, and whether one was still open when it stopped. */
export function thoughtsOf(fullResponse: readonly unknown[]): { thoughts: string; unclosed: boolean } {
  const segments = fullResponse.filter(
    (r): r is { type: 'segment'; text: string; ended: boolean } =>
      typeof r === 'object' && r !== null && (r as { type?: unknown }).type === 'segment',
  );
  return {
    thoughts: segments.map((s) => s.text).join('\n\n'),
    unclosed: segments.some((s) => !s.ended),
  };
}
