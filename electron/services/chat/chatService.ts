// One answer at a time per conversation: store the user's turn, stream the model's answer as batched
// deltas, save the growing answer at least twice a second, and keep whatever was shown when it stops,
// fails or the engine dies.
import { basename } from 'node:path';
import { randomUUID } from 'node:crypto';
import { RpcError } from '../../../shared/rpc.ts';
import type { Message, MessageStats, ModelInfo, StopReason } from '../../../shared/schemas.ts';
import type { EngineHost } from '../engine/engineHost.ts';
import type { ConversationStore } from '../store/conversationStore.ts';
import type { AppEmit } from '../events.ts';
import type { Decision } from '../../../shared/router/router.ts';
import type { RouteTrace } from '../../../shared/router/schemas.ts';
import type { RoutingService } from '../router/routingService.ts';
import type { ConsentGate } from '../router/consentGate.ts';
import { streamRemote } from '../router/remoteClient.ts';
import type { RunSummary, TelemetryRun, TelemetryService } from '../telemetry/telemetryService.ts';

const DELTA_BATCH_MS = 16;
const SAVE_EVERY_MS = 500;

export interface ChatServiceOptions {
  store: ConversationStore;
  engine: EngineHost;
  emit: AppEmit;
  /** Loads the conversation's model when the engine holds another one. */
  ensureModel: (modelId: string | null) => Promise<ModelInfo>;
  routing: RoutingService;
  consent: ConsentGate;
  telemetry: TelemetryService;
}

export class ChatService {
  private readonly options: ChatServiceOptions;
  private active = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(options: ChatServiceOptions) {
    this.options = options;
  }

  isBusy(conversationId: string): boolean {
    return this.active.has(conversationId);
  }

  private assertIdle(conversationId: string) {
    if (this.active.has(conversationId)) {
      throw new RpcError('busy', 'An answer is still being written in this conversation: stop it first.');
    }
  }

  send(conversationId: string, text: string): { userMessage: Message; assistantMessage: Message } {
    const { store } = this.options;
    store.get(conversationId);
    this.assertIdle(conversationId);
    const userMessage = store.addMessage(conversationId, 'user', text, 'done');
    if (store.messages(conversationId).length === 1 && store.get(conversationId).title === 'New conversation') {
      store.update(conversationId, { title: text.trim().replace(/\s+/g, ' ').slice(0, 60) });
    }
    return { userMessage, assistantMessage: this.startAnswer(conversationId) };
  }

  regenerate(conversationId: string): { assistantMessage: Message } {
    const { store } = this.options;
    this.assertIdle(conversationId);
    const messages = store.messages(conversationId);
    const lastUser = messages.findLast((m) => m.role === 'user');
    if (!lastUser) throw new RpcError('bad_input', 'There is nothing to regenerate: send a message first.');
    store.truncateAfter(conversationId, lastUser.id, false);
    return { assistantMessage: this.startAnswer(conversationId) };
  }

  edit(conversationId: string, messageId: string, text: string): { userMessage: Message; assistantMessage: Message } {
    const { store } = this.options;
    this.assertIdle(conversationId);
    const target = store.message(messageId);
    if (target.conversationId !== conversationId) throw new RpcError('not_found', 'That message is not in this conversation');
    if (target.role !== 'user') throw new RpcError('bad_input', 'Only your own messages can be edited');
    store.truncateAfter(conversationId, messageId, true);
    const userMessage = store.addMessage(conversationId, 'user', text, 'done');
    return { userMessage, assistantMessage: this.startAnswer(conversationId) };
  }

  stop(conversationId: string): void {
    this.active.get(conversationId)?.controller.abort();
  }

  /** Resolves when the conversation's current answer (if any) has finished and been saved. */
  async settled(conversationId: string): Promise<void> {
    await this.active.get(conversationId)?.done;
  }

  async stopAll(): Promise<void> {
    for (const { controller } of this.active.values()) controller.abort();
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  /** Asks a higher tier again after a local answer the model itself was unsure of. */
  escalate(conversationId: string): { assistantMessage: Message } {
    const { store } = this.options;
    this.assertIdle(conversationId);
    const messages = store.messages(conversationId);
    const last = messages.at(-1);
    const lastUser = messages.findLast((m) => m.role === 'user');
    const offered = last?.role === 'assistant' ? last.trace?.offerEscalation : null;
    if (!last || !lastUser || !offered || offered === 'device') throw new RpcError('bad_input', 'The last answer did not offer to ask a higher tier.');
    store.truncateAfter(conversationId, lastUser.id, false);
    const reason = `The on-device answer had a mean token confidence of ${last.trace?.confidence?.toFixed(2)}, below your threshold; you asked the ${offered === 'private' ? 'private server' : 'partner cloud'} instead.`;
    return { assistantMessage: this.startAnswer(conversationId, { tier: offered, reason }) };
  }

  private startAnswer(conversationId: string, forced?: { tier: 'private' | 'partner'; reason: string }): Message {
    const { store } = this.options;
    const history = store.messages(conversationId)
      .filter((m) => m.text.length > 0)
      .map((m) => ({ role: m.role, text: m.text }));
    const assistant = store.addMessage(conversationId, 'assistant', '', 'streaming');
    const controller = new AbortController();
    const done = this.run(conversationId, assistant.id, history, controller.signal, forced)
      .finally(() => this.active.delete(conversationId));
    this.active.set(conversationId, { controller, done });
    return assistant;
  }

  private async run(
    conversationId: string, messageId: string, history: { role: 'user' | 'assistant'; text: string }[], signal: AbortSignal,
    forced?: { tier: 'private' | 'partner'; reason: string },
  ) {
    const { store, engine, emit, routing, consent } = this.options;
    const conversation = store.get(conversationId);
    const started = performance.now();
    const at = () => Math.round(performance.now() - started);
    let text = '';
    let pending = '';
    let outputTokens = 0;
    let firstAt = 0;
    let batchTimer: NodeJS.Timeout | null = null;
    let lastSave = Date.now();
    let trace: RouteTrace | null = null;
    let telemetrySummary: RunSummary = { energyJoules: null, energyPerTokenMj: null, powerSource: null, powerMethod: null, powerUnavailable: null, peakRssBytes: null, meanCpuPercent: null, samples: 0, samplerCpuShare: 0 };
    let firstShownAt = 0;
    let telemetryRun: TelemetryRun | null = null;
    const event = (kind: RouteTrace['events'][number]['kind'], detail: string) => {
      if (!trace) return;
      trace.events.push({ atMs: at(), kind, detail });
      store.saveTrace(messageId, trace);
    };
    const flush = () => {
      batchTimer = null;
      if (!pending) return;
      const elapsed = (performance.now() - firstAt) / 1000;
      firstShownAt ||= performance.now();
      emit('chat.delta', {
        conversationId, messageId, delta: pending, outputTokens,
        tokensPerSec: elapsed > 0.05 && outputTokens > 1 ? (outputTokens - 1) / elapsed : null,
      });
      pending = '';
    };
    const onDelta = (delta: string, tokens: number) => {
      if (!firstAt) {
        firstAt = performance.now();
        event('first-token', `after ${at()} ms`);
      }
      text += delta;
      pending += delta;
      outputTokens = tokens;
      telemetryRun?.setTokens(tokens);
      batchTimer ??= setTimeout(flush, DELTA_BATCH_MS);
      if (Date.now() - lastSave >= SAVE_EVERY_MS) {
        store.saveText(messageId, text);
        lastSave = Date.now();
      }
    };
    const finish = (status: Message['status'], stats: MessageStats | null, error: string | null, stopReason: StopReason) => {
      if (batchTimer) clearTimeout(batchTimer);
      flush();
      if (trace) {
        trace.events.push({ atMs: at(), kind: error ? 'error' : 'done', detail: error ?? `${stopReason}, ${outputTokens} tokens` });
        trace.latencyMs = at();
        trace.outputTokens = stats?.outputTokens ?? outputTokens;
      }
      const message = store.finish(messageId, text, status, stats, error, trace);
      emit('chat.done', { conversationId, message, stopReason });
      emit('conversations.changed', { id: conversationId });
    };
    try {
      const query = history.at(-1)?.text ?? '';
      let decision = await routing.decide(query, history.slice(0, -1).map((t) => t.text), consent.isRemembered(conversationId));
      if (forced) {
        if (forced.tier === 'partner' && decision.signals.privacy.detected.length > 0) {
          throw new RpcError('bad_input', `This conversation holds personal data (${decision.signals.privacy.detected.join(', ')}), which never goes to a partner cloud.`);
        }
        decision = { ...decision, tier: forced.tier, rule: 'escalated', reasons: [forced.reason], consentRequired: forced.tier === 'partner' && !consent.isRemembered(conversationId) };
      }
      trace = traceOf(decision);
      event('decided', `${decision.tier} (${decision.rule})`);
      let tier = decision.tier;
      if (tier === 'partner' && decision.consentRequired) {
        const partner = routing.get().partner!;
        const sends = [conversation.settings.systemPrompt, ...history.map((t) => t.text)].filter(Boolean).join('\n\n');
        const estimatedCostUsd = costOf(partner, Math.ceil(sends.length / 4), conversation.settings.sampling.maxTokens);
        trace.estimatedCostUsd = estimatedCostUsd;
        event('consent-asked', `${partner.name} (${new URL(partner.baseUrl).host}), ${partner.model}, up to $${estimatedCostUsd.toFixed(4)}`);
        emit('route.consent', {
          conversationId, messageId, partner: partner.name, host: new URL(partner.baseUrl).host, model: partner.model,
          sends, estimatedCostUsd, reasons: decision.reasons,
        });
        const answer = await consent.wait(messageId, conversationId, signal);
        trace.consent = answer;
        event('consent-answered', answer);
        if (answer === 'no') {
          tier = decision.signals.connectivity.reachable.includes('private') ? 'private' : 'device';
          event('fallback', `answered by ${tier} instead`);
        }
      }
      if (signal.aborted) return finish('aborted', null, null, 'aborted');
      if (tier === 'device') {
        const model = await this.options.ensureModel(conversation.modelId);
        trace.answeredBy = { tier, name: 'this device', model: model.name };
        event('dispatched', `${model.name} on ${engine.status.backend ?? 'cpu'}`);
        const higher = decision.signals.connectivity.reachable.includes('private') ? 'private'
          : decision.signals.connectivity.reachable.includes('partner') && decision.signals.privacy.detected.length === 0 ? 'partner' : null;
        telemetryRun = await this.options.telemetry.start(messageId);
        let result;
        try {
          result = await engine.generate({
            requestId: randomUUID(), mode: 'chat', systemPrompt: conversation.settings.systemPrompt, history,
            sampling: conversation.settings.sampling, contextSize: conversation.settings.contextSize, scoreConfidence: higher !== null,
          }, onDelta, signal);
        } finally {
          telemetrySummary = telemetryRun.finish(outputTokens);
          telemetryRun = null;
        }
        text = result.text;
        trace.energyJoules = telemetrySummary.energyJoules;
        trace.estimatedCostUsd = 0;
        trace.confidence = result.meanConfidence;
        const threshold = routing.get().confidenceThreshold;
        if (higher && result.meanConfidence !== null && result.meanConfidence < threshold) {
          trace.offerEscalation = higher;
          event('low-confidence', `mean token confidence ${result.meanConfidence.toFixed(2)} < ${threshold}: offering the ${higher === 'private' ? 'private server' : 'partner cloud'}`);
        }
        finish(result.stopReason === 'aborted' ? 'aborted' : 'done', {
          modelFile: basename(model.path), quantization: model.quantization, backend: engine.status.backend ?? 'cpu',
          ttftMs: result.ttftMs, promptTokens: result.promptTokens, prefillTokensPerSec: result.prefillTokensPerSec,
          outputTokens: result.outputTokens, decodeTokensPerSec: result.decodeTokensPerSec, stopReason: result.stopReason,
          contextShifted: result.contextShifted, meanConfidence: result.meanConfidence,
          ttftFromSendMs: firstShownAt ? firstShownAt - started : null,
          energyJoules: telemetrySummary.energyJoules, energyPerTokenMj: telemetrySummary.energyPerTokenMj,
          powerSource: telemetrySummary.powerSource, powerMethod: telemetrySummary.powerMethod,
          powerUnavailable: telemetrySummary.powerUnavailable, peakRssBytes: telemetrySummary.peakRssBytes,
          meanCpuPercent: telemetrySummary.meanCpuPercent,
        }, null, result.stopReason);
        return;
      }
      const endpoint = routing.endpoint(tier);
      trace.answeredBy = { tier, name: endpoint.name, model: endpoint.model };
      event('dispatched', `${endpoint.name} (${new URL(endpoint.baseUrl).host}), ${endpoint.model}`);
      const dispatchedAt = performance.now();
      let deltas = 0;
      const result = await streamRemote(endpoint, {
        systemPrompt: conversation.settings.systemPrompt, history,
        maxTokens: conversation.settings.sampling.maxTokens, temperature: conversation.settings.sampling.temperature,
      }, (delta) => onDelta(delta, ++deltas), signal);
      text = result.text;
      const tokens = result.outputTokens ?? deltas;
      const decodeSeconds = firstAt ? (performance.now() - firstAt) / 1000 : 0;
      if (tier === 'partner') {
        const partner = routing.get().partner!;
        trace.estimatedCostUsd = costOf(partner, result.promptTokens ?? Math.ceil(text.length / 4), tokens);
      } else trace.estimatedCostUsd = null;
      finish(result.stopReason === 'aborted' ? 'aborted' : 'done', {
        modelFile: endpoint.model, quantization: 'remote', backend: 'remote',
        ttftMs: firstAt ? firstAt - dispatchedAt : 0, promptTokens: result.promptTokens ?? 0, prefillTokensPerSec: 0,
        outputTokens: tokens, decodeTokensPerSec: decodeSeconds > 0 && tokens > 1 ? (tokens - 1) / decodeSeconds : 0,
        stopReason: result.stopReason, contextShifted: false,
      }, null, result.stopReason);
    } catch (error) {
      const code = error instanceof RpcError ? error.code : 'internal';
      const message = error instanceof Error ? error.message : String(error);
      if (code === 'aborted') finish('aborted', null, null, 'aborted');
      else finish('error', null, message, code === 'engine_crashed' ? 'crashed' : 'error');
    }
  }
}

function traceOf(d: Decision): RouteTrace {
  return {
    tier: d.tier, rule: d.rule, reasons: d.reasons,
    signals: { ...d.signals, privacy: { detected: d.signals.privacy.detected } },
    consent: d.tier !== 'partner' ? 'not needed' : d.consentRequired ? 'asked' : 'remembered',
    answeredBy: null, events: [], latencyMs: null, outputTokens: null, estimatedCostUsd: null, energyJoules: null,
  };
}

function costOf(partner: { inputPricePerMTok: number; outputPricePerMTok: number }, inputTokens: number, outputTokens: number): number {
  return (inputTokens * partner.inputPricePerMTok + outputTokens * partner.outputPricePerMTok) / 1e6;
}
