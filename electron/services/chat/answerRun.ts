// One answer from start to end: route it (asking consent when the partner is proposed), stream it from
// the device or a remote tier as batched deltas, save the growing text at least twice a second, and keep
// whatever was shown when it stops, fails or the engine dies, with its figures and its routing trace.
import { RpcError } from '../../../shared/rpc.ts';
import type { Conversation, Message, MessageStats, ModelInfo, StopReason } from '../../../shared/schemas.ts';
import type { Decision, Tier } from '../../../shared/router/router.ts';
import type { RouteTrace } from '../../../shared/router/schemas.ts';
import { roughTokenCount } from '../router/remoteClient.ts';
import { streamRemoteWithTools } from '../toolUse/remoteToolLoop.ts';
import type { ConversationStore } from '../store/conversationStore.ts';
import type { AppEmit } from '../events.ts';
import type { RoutingService } from '../router/routingService.ts';
import type { ConsentGate } from '../router/consentGate.ts';
import { answerOnDevice, type OnDeviceDeps, type Turn } from './onDeviceAnswer.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { estimateTokens } from '../../../shared/documents.ts';
import { documentBudget, documentContext, withDocuments, type DocumentContext } from '../documents/documentContext.ts';
import type { DocumentService } from '../documents/documentService.ts';
import { speculationFor } from './speculationChoice.ts';
import type { ConversationTools } from '../toolUse/conversationTools.ts';
import { answerWithTools, type ToolRun } from '../toolUse/toolLoop.ts';
import { TRACED_RESULT_CHARS, type ToolStep } from '../../../shared/contract/tools.ts';

const DELTA_BATCH_MS = 16;
const SAVE_EVERY_MS = 500;

/** The collaborators one answer needs, and no more. */
export interface AnswerRunDeps extends OnDeviceDeps {
  store: Pick<ConversationStore, 'saveTrace' | 'saveText' | 'finish'>;
  emit: AppEmit;
  /** Loads the conversation's model when the engine holds another one. */
  ensureModel: (modelId: string | null) => Promise<ModelInfo>;
  /** Finds a draft model for speculative decoding; without it a conversation's draft setting is refused. */
  library?: { get(id: string): Promise<ModelInfo | null | undefined> };
  routing: Pick<RoutingService, 'decide' | 'get' | 'endpoint'>;
  consent: Pick<ConsentGate, 'isRemembered' | 'wait'>;
  /** The conversation's attached documents; an answer without them is the question alone. */
  documents?: Pick<DocumentService, 'store' | 'rank' | 'refresh' | 'countTokens'> | null;
  /** The context the model can hold (the engine uses the smaller of this and the setting); null if unknown. */
  modelContext?: (modelId: string | null) => Promise<number | null>;
  /**
   * The app's tools per conversation (off unless the user turned some on), with their consent, for the
   * device and the remote tiers (a remote tier gets them through its API).
   */
  tools?: Pick<ConversationTools, 'runFor'> | null;
}

export interface AnswerRequest {
  conversation: Conversation;
  messageId: string;
  history: Turn[];
  signal: AbortSignal;
  /** Escalation: the tier the user chose after a low-confidence local answer. */
  forced?: { tier: 'private' | 'partner'; reason: string };
}

export class AnswerRun {
  private readonly deps: AnswerRunDeps;
  private readonly req: AnswerRequest;
  private readonly started = performance.now();
  private text = '';
  private thoughts = '';
  private pending = '';
  private pendingThought = '';
  private outputTokens = 0;
  private firstAt = 0;
  private firstShownAt = 0;
  private batchTimer: NodeJS.Timeout | null = null;
  private lastSave = Date.now();
  private trace: RouteTrace | null = null;
  /** The conversation's tools for this answer, found once (the partner's consent names them first). */
  private tools: Promise<ToolRun | null> | null = null;
  private documents: DocumentContext | null = null;
  /** The turns as sent: the last question carries the documents' passages. */
  private sent: Turn[];

  constructor(deps: AnswerRunDeps, req: AnswerRequest) {
    this.deps = deps;
    this.req = req;
    this.sent = req.history;
  }

  /** Puts the attached documents (whole, or the passages that fit) before the question. */
  private async addDocuments(): Promise<void> {
    const { documents } = this.deps;
    const { conversation, history } = this.req;
    const last = history.at(-1);
    if (!documents || !last || last.role !== 'user') return;
    // Most conversations hold no documents: they skip the model's facts (the first look reads the library's
    // files: 300 ms before the first answer's routing, measured) and the budget.
    if (documents.store.list(conversation.id).length === 0) return;
    const trained = await this.deps.modelContext?.(conversation.modelId).catch(() => null);
    const conversationTokens = estimateTokens(sentText(conversation.settings.systemPrompt, history));
    const budget = documentBudget(conversation.settings, trained ?? null, conversationTokens);
    this.documents = await documentContext(documents, conversation.id, last.text, budget);
    if (!this.documents?.block) return;
    this.sent = [...history.slice(0, -1), { role: 'user', text: withDocuments(this.documents, last.text) }];
  }

  async execute(): Promise<void> {
    try {
      await this.addDocuments();
      const { tier, decision } = await this.route();
      if (this.req.signal.aborted) return this.finish('aborted', null, null, 'aborted');
      if (tier === 'device') await this.onDevice(decision);
      else await this.remotely(tier);
    } catch (error) {
      const code = error instanceof RpcError ? error.code : 'internal';
      const message = errorMessage(error);
      if (code === 'aborted') this.finish('aborted', null, null, 'aborted');
      else this.finish('error', null, message, code === 'engine_crashed' ? 'crashed' : 'error');
    }
  }

  private at(): number {
    return Math.round(performance.now() - this.started);
  }

  private event(kind: RouteTrace['events'][number]['kind'], detail: string) {
    if (!this.trace) return;
    this.trace.events.push({ atMs: this.at(), kind, detail });
    this.deps.store.saveTrace(this.req.messageId, this.trace);
  }

  private flush() {
    this.batchTimer = null;
    if (!this.pending && !this.pendingThought) return;
    const elapsed = (performance.now() - this.firstAt) / 1000;
    this.firstShownAt ||= performance.now();
    this.deps.emit('chat.delta', {
      conversationId: this.req.conversation.id,
      messageId: this.req.messageId,
      delta: this.pending,
      ...(this.pendingThought ? { thought: this.pendingThought } : {}),
      outputTokens: this.outputTokens,
      tokensPerSec: elapsed > 0.05 && this.outputTokens > 1 ? (this.outputTokens - 1) / elapsed : null,
    });
    this.pending = '';
    this.pendingThought = '';
  }

  private readonly onDelta = (delta: string, tokens: number, thought = false) => {
    const first = !this.firstAt;
    if (first) this.firstAt = performance.now();
    if (thought) {
      this.thoughts += delta;
      this.pendingThought += delta;
    } else {
      this.text += delta;
      this.pending += delta;
    }
    this.outputTokens = tokens;
    if (first) {
      // The first token goes out at once, before the trace is written: batching is for the stream after it,
      // and waiting for the batch timer (16 ms, later on a loaded machine) was time to first token on screen.
      this.flush();
      this.event('first-token', `after ${Math.round(this.firstAt - this.started)} ms${thought ? ' (thinking)' : ''}`);
    } else this.batchTimer ??= setTimeout(() => this.flush(), DELTA_BATCH_MS);
    if (Date.now() - this.lastSave >= SAVE_EVERY_MS) {
      this.deps.store.saveText(this.req.messageId, this.text, this.thoughts || null);
      this.lastSave = Date.now();
    }
  };

  private finish(status: Message['status'], stats: MessageStats | null, error: string | null, stopReason: StopReason) {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.flush();
    if (this.trace) {
      this.trace.events.push({
        atMs: this.at(),
        kind: error ? 'error' : 'done',
        detail: error ?? `${stopReason}, ${this.outputTokens} tokens`,
      });
      this.trace.latencyMs = this.at();
      this.trace.outputTokens = stats?.outputTokens ?? this.outputTokens;
    }
    const { conversation, messageId } = this.req;
    const message = this.deps.store.finish(
      messageId,
      this.text,
      status,
      stats,
      error,
      this.trace,
      this.thoughts || null,
    );
    this.deps.emit('chat.done', { conversationId: conversation.id, message, stopReason });
    this.deps.emit('conversations.changed', { id: conversation.id });
  }

  /**
   * The tools this conversation has on, with the ask that reaches the window, or null for none. Each call
   * becomes a step in the trace (saved as it ends, so it survives a restart) and a 'tool' event. The
   * remote tiers' tool loop takes the same ToolRun.
   */
  private toolRun(): Promise<ToolRun | null> {
    return (this.tools ??= this.findTools());
  }

  private async findTools(): Promise<ToolRun | null> {
    const { tools } = this.deps;
    if (!tools) return null;
    const found = await tools.runFor(this.req.conversation.id);
    for (const problem of found.problems) this.event('tool', `left out: ${problem}`);
    const run = found.run;
    if (!run) return null;
    const given = run.onStep;
    return {
      ...run,
      onStep: (step, result) => {
        this.toolStep(step, result);
        given?.(step, result);
      },
    };
  }

  private toolStep(step: ToolStep, result: string) {
    const trace = this.trace;
    if (!trace) return;
    const kept = result.length > TRACED_RESULT_CHARS ? `${result.slice(0, TRACED_RESULT_CHARS)}… (cut)` : result;
    const traced = { ...step, result: kept };
    (trace.tools ??= []).push(traced);
    this.deps.emit('tools.step', {
      conversationId: this.req.conversation.id,
      messageId: this.req.messageId,
      step: traced,
    });
    this.event(
      'tool',
      `${step.server}/${step.tool}: ${step.consent}, ${step.resultBytes} bytes in ${Math.round(step.ms)} ms${step.error ? `, error: ${step.error}` : ''}`,
    );
  }

  /** Decides the tier; a partner dispatch first waits for the user's yes for this query. */
  private async route(): Promise<{ tier: Tier; decision: Decision }> {
    const { routing, consent, emit } = this.deps;
    const { conversation, history, forced, messageId, signal } = this.req;
    // Attached passages count as private content, exactly as typed text does.
    const attached = this.documents?.block ? [this.documents.block] : [];
    let decision = await routing.decide(
      history.at(-1)?.text ?? '',
      history.slice(0, -1).map((t) => t.text),
      consent.isRemembered(conversation.id),
      attached,
    );
    if (forced) {
      if (forced.tier === 'partner' && decision.signals.privacy.detected.length > 0) {
        throw new RpcError(
          'bad_input',
          `This conversation holds personal data (${decision.signals.privacy.detected.join(', ')}), which never goes to a partner cloud.`,
        );
      }
      decision = {
        ...decision,
        tier: forced.tier,
        rule: 'escalated',
        reasons: [forced.reason],
        consentRequired: forced.tier === 'partner' && !consent.isRemembered(conversation.id),
      };
    }
    const trace = (this.trace = traceOf(decision));
    if (this.documents) {
      trace.documents = this.documents.trace;
      this.event('documents', `${this.documents.trace.mode}: ${this.documents.trace.why}`);
    }
    this.event('decided', `${decision.tier} (${decision.rule})`);
    if (decision.tier !== 'partner' || !decision.consentRequired) return { tier: decision.tier, decision };

    const partner = routing.get().partner!;
    const host = new URL(partner.baseUrl).host;
    const sends = sentText(conversation.settings.systemPrompt, this.sent);
    const estimatedCostUsd = costOf(partner, roughTokenCount(sends), conversation.settings.sampling.maxTokens);
    const offered = (await this.toolRun())?.tools.map((t) => ({ name: t.name, server: t.server })) ?? [];
    trace.estimatedCostUsd = estimatedCostUsd;
    this.event('consent-asked', `${partner.name} (${host}), ${partner.model}, up to $${estimatedCostUsd.toFixed(4)}`);
    emit('route.consent', {
      conversationId: conversation.id,
      messageId,
      partner: partner.name,
      host,
      model: partner.model,
      sends,
      estimatedCostUsd,
      reasons: decision.reasons,
      documents: sentFiles(this.documents),
      ...(offered.length > 0 ? { tools: offered } : {}),
    });
    const answer = await consent.wait(messageId, conversation.id, signal);
    trace.consent = answer;
    this.event('consent-answered', answer);
    if (answer !== 'no') return { tier: 'partner', decision };
    const tier = decision.signals.connectivity.reachable.includes('private') ? 'private' : 'device';
    this.event('fallback', `answered by ${tier} instead`);
    return { tier, decision };
  }

  private async onDevice(decision: Decision) {
    const { engine, routing } = this.deps;
    const { conversation, messageId, signal } = this.req;
    const history = this.sent;
    const trace = this.trace!;
    const model = await this.deps.ensureModel(conversation.modelId);
    trace.answeredBy = { tier: 'device', name: 'this device', model: model.name };
    this.event('dispatched', `${model.name} on ${engine.status.backend ?? 'cpu'}`);
    // Confidence is scored only when a higher tier could take the query over.
    const reachable = decision.signals.connectivity.reachable;
    const higher = reachable.includes('private')
      ? 'private'
      : reachable.includes('partner') && decision.signals.privacy.detected.length === 0
        ? 'partner'
        : null;
    const speculation = await speculationFor(conversation.settings.speculation, this.deps.library);
    const request = {
      id: messageId,
      model,
      settings: conversation.settings,
      history,
      speculation,
      scoreConfidence: higher !== null,
      onDelta: this.onDelta,
      signal,
    };
    const tools = await this.toolRun();
    const { text, thoughts, stats } = tools
      ? await answerWithTools(this.deps, { ...request, toolChoice: conversation.settings.toolChoice ?? 'auto' }, tools)
      : await answerOnDevice(this.deps, request);
    this.text = text;
    this.thoughts = thoughts;
    trace.energyJoules = stats.energyJoules ?? null;
    trace.estimatedCostUsd = 0;
    const confidence = stats.meanConfidence ?? null;
    trace.confidence = confidence;
    const threshold = routing.get().confidenceThreshold;
    if (higher && confidence !== null && confidence < threshold) {
      trace.offerEscalation = higher;
      this.event(
        'low-confidence',
        `mean token confidence ${confidence.toFixed(2)} < ${threshold}: offering the ${higher === 'private' ? 'private server' : 'partner cloud'}`,
      );
    }
    // A call the token limit cut off is neither text nor a call: without this the answer is silently empty.
    const cutCall =
      tools && !text && !trace.tools?.length && stats.stopReason === 'maxTokens'
        ? `The answer reached its limit of ${conversation.settings.sampling.maxTokens} tokens while writing a tool call, so no tool was called. Raise Max tokens in Settings.`
        : null;
    this.finish(
      stats.stopReason === 'aborted' ? 'aborted' : 'done',
      { ...stats, ttftFromSendMs: this.firstShownAt ? this.firstShownAt - this.started : null },
      cutCall,
      stats.stopReason,
    );
  }

  private async remotely(tier: 'private' | 'partner') {
    const { routing } = this.deps;
    const { conversation, signal } = this.req;
    const history = this.sent;
    const trace = this.trace!;
    const endpoint = routing.endpoint(tier);
    trace.answeredBy = { tier, name: endpoint.name, model: endpoint.model };
    this.event('dispatched', `${endpoint.name} (${new URL(endpoint.baseUrl).host}), ${endpoint.model}`);
    const dispatchedAt = performance.now();
    let deltas = 0;
    let thoughtDeltas = 0;
    let firstThoughtAt = 0;
    let firstAnswerAt = 0;
    const result = await streamRemoteWithTools(
      endpoint,
      {
        systemPrompt: conversation.settings.systemPrompt,
        history,
        maxTokens: conversation.settings.sampling.maxTokens,
        temperature: conversation.settings.sampling.temperature,
      },
      await this.toolRun(),
      (delta, thought) => {
        if (thought) thoughtDeltas++;
        this.onDelta(delta, ++deltas, thought);
        if (!thought && !firstAnswerAt) firstAnswerAt = performance.now();
        if (thought && !firstThoughtAt) firstThoughtAt = performance.now();
      },
      signal,
    );
    this.text = result.text;
    this.thoughts = result.thoughts;
    const tokens = result.outputTokens ?? deltas;
    const decodeSeconds = this.firstAt ? (performance.now() - this.firstAt) / 1000 : 0;
    // A partner that reports no usage is billed for what it was sent, so the estimate counts that.
    const inputTokens = result.promptTokens ?? roughTokenCount(sentText(conversation.settings.systemPrompt, history));
    trace.estimatedCostUsd = tier === 'partner' ? costOf(routing.get().partner!, inputTokens, tokens) : null;
    this.finish(
      result.stopReason === 'aborted' ? 'aborted' : 'done',
      {
        modelFile: endpoint.model,
        quantization: 'remote',
        backend: 'remote',
        ttftMs: this.firstAt ? this.firstAt - dispatchedAt : 0,
        promptTokens: result.promptTokens ?? 0,
        prefillTokensPerSec: 0,
        outputTokens: tokens,
        decodeTokensPerSec: decodeSeconds > 0 && tokens > 1 ? (tokens - 1) / decodeSeconds : 0,
        stopReason: result.stopReason,
        contextShifted: false,
        // The server's count of reasoning tokens, else the reasoning deltas as received.
        ...(result.thoughts
          ? {
              thoughtTokens: result.thoughtTokens ?? thoughtDeltas,
              firstThoughtMs: firstThoughtAt - dispatchedAt,
              firstAnswerMs: firstAnswerAt ? firstAnswerAt - dispatchedAt : null,
              thoughtMs: (firstAnswerAt || performance.now()) - firstThoughtAt,
              thoughtUnclosed: !result.text,
            }
          : {}),
      },
      null,
      result.stopReason,
    );
  }
}

/** The text a remote tier is sent: the system prompt and every turn, as the consent prompt shows it. */
function sentText(systemPrompt: string, history: Turn[]): string {
  return [systemPrompt, ...history.map((t) => t.text)].filter(Boolean).join('\n\n');
}

/** Which files, and how many of their tokens, go with the question (for the consent dialog). */
function sentFiles(documents: DocumentContext | null): { name: string; tokens: number }[] {
  const byName = new Map<string, number>();
  for (const p of documents?.trace.passages ?? []) byName.set(p.name, (byName.get(p.name) ?? 0) + p.tokens);
  return [...byName].map(([name, tokens]) => ({ name, tokens }));
}

function traceOf(d: Decision): RouteTrace {
  return {
    tier: d.tier,
    rule: d.rule,
    reasons: d.reasons,
    signals: { ...d.signals, privacy: { detected: d.signals.privacy.detected } },
    consent: d.tier !== 'partner' ? 'not needed' : d.consentRequired ? 'asked' : 'remembered',
    answeredBy: null,
    events: [],
    latencyMs: null,
    outputTokens: null,
    estimatedCostUsd: null,
    energyJoules: null,
  };
}

/** US dollars for a partner answer, from the prices the user entered. */
function costOf(
  partner: { inputPricePerMTok: number; outputPricePerMTok: number },
  inputTokens: number,
  outputTokens: number,
): number {
  return (inputTokens * partner.inputPricePerMTok + outputTokens * partner.outputPricePerMTok) / 1e6;
}
