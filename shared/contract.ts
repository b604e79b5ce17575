// Every call and event between the UI and the back end, declared once. The back end parses every
// payload with these schemas (the renderer is untrusted input); the preload exposes exactly these names.
import { z } from 'zod';
import {
  conversation,
  conversationSettings,
  engineStatus,
  gpuChoice,
  id,
  message,
  modelInfo,
  stopReason,
  telemetrySample,
} from './schemas.ts';
import { fitModelSchema as fitModel } from './fit/archFacts.ts';
import { device } from './fit/devices.ts';
import { routingSettings, routingUpdate } from './router/schemas.ts';
import { comparison, quantizeResult, quantType, variantResult } from './quant.ts';
import { catalogModel, downloadRecord } from './catalog.ts';

const empty = z.strictObject({});
const ok = z.object({ ok: z.literal(true) });
const userText = z.string().trim().min(1, 'message is empty').max(100_000, 'message is longer than 100,000 characters');

export const appContract = {
  calls: {
    'app.info': {
      args: empty,
      result: z.object({ version: z.string(), dataDir: z.string(), shell: z.enum(['electron', 'headless']) }),
    },
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
    'engine.status': { args: empty, result: engineStatus },
    'engine.load': { args: z.strictObject({ modelId: id, gpu: gpuChoice.optional() }), result: engineStatus },
    'conversations.list': {
      args: z.strictObject({ query: z.string().max(200).optional() }),
      result: z.array(conversation),
    },
    'conversations.create': {
      args: z.strictObject({ title: z.string().max(200).optional(), modelId: id.optional() }),
      result: conversation,
    },
    'conversations.get': {
      args: z.strictObject({ id }),
      result: z.object({ conversation, messages: z.array(message) }),
    },
    'conversations.rename': {
      args: z.strictObject({ id, title: z.string().trim().min(1).max(200) }),
      result: conversation,
    },
    'conversations.update': {
      args: z.strictObject({ id, modelId: id.optional(), settings: conversationSettings.optional() }),
      result: conversation,
    },
    'conversations.delete': { args: z.strictObject({ id }), result: ok },
    'chat.send': {
      args: z.strictObject({ conversationId: id, text: userText }),
      result: z.object({ userMessage: message, assistantMessage: message }),
    },
    'chat.stop': { args: z.strictObject({ conversationId: id }), result: ok },
    'chat.regenerate': {
      args: z.strictObject({ conversationId: id }),
      result: z.object({ assistantMessage: message }),
    },
    /** Asks the higher tier that a low-confidence local answer offered, under the same consent rules. */
    'chat.escalate': { args: z.strictObject({ conversationId: id }), result: z.object({ assistantMessage: message }) },
    'chat.edit': {
      args: z.strictObject({ conversationId: id, messageId: id, text: userText }),
      result: z.object({ userMessage: message, assistantMessage: message }),
    },
    'fit.facts': {
      args: empty,
      result: z.object({ catalog: z.array(fitModel), local: z.array(fitModel), devices: z.array(device) }),
    },
    'fit.addDevice': {
      args: z.strictObject({
        name: z.string().trim().min(1).max(80),
        memoryBytes: z
          .number()
          .min(256 * 1024 ** 2)
          .max(16 * 1024 ** 4),
        memoryType: z.enum(['unified', 'discrete', 'ram']),
        vramBytes: z
          .number()
          .min(256 * 1024 ** 2)
          .max(1024 ** 4)
          .nullable(),
      }),
      result: z.array(device),
    },
    'routing.get': { args: empty, result: routingSettings },
    'routing.set': { args: routingUpdate, result: routingSettings },
    'routing.detect': {
      args: empty,
      result: z.array(
        z.object({
          name: z.string(),
          baseUrl: z.string(),
          ok: z.boolean(),
          models: z.array(z.string()),
          why: z.string().nullable(),
        }),
      ),
    },
    'routing.history': { args: empty, result: z.record(z.string(), z.number()) },
    'route.consent': {
      args: z.strictObject({ messageId: id, answer: z.enum(['yes', 'yes for this conversation', 'no']) }),
      result: z.object({ ok: z.boolean() }),
    },
    /** Which figures this machine can measure, and why the others are unavailable. */
    'telemetry.sources': {
      args: empty,
      result: z.object({
        battery: z.object({ available: z.boolean(), detail: z.string() }),
        power: z.object({ available: z.boolean(), detail: z.string() }),
        vram: z.object({ available: z.boolean(), detail: z.string() }),
        powerState: z.object({ available: z.boolean(), detail: z.string() }),
      }),
    },
    'telemetry.summary': {
      args: empty,
      result: z.array(
        z.object({
          modelFile: z.string(),
          quantization: z.string(),
          backend: z.string(),
          answers: z.number(),
          medianDecodeTokensPerSec: z.number(),
          medianTtftMs: z.number(),
          medianEnergyPerTokenMj: z.number().nullable(),
        }),
      ),
    },
    'fit.removeDevice': { args: z.strictObject({ id: z.string().min(1).max(64) }), result: z.array(device) },
    /** The levels a model can be quantized to from here, and why any cannot. */
    'quant.levels': {
      args: z.strictObject({ modelId: id }),
      result: z.object({
        sourceType: z.string(),
        levels: z.array(
          z.object({
            type: quantType,
            blocker: z.string().nullable(),
            fallbackTensors: z.number(),
            totalTensors: z.number(),
          }),
        ),
      }),
    },
    'quant.start': {
      args: z.strictObject({ modelId: id, types: z.array(quantType).min(1).max(10) }),
      result: z.object({ jobId: z.string() }),
    },
    'quant.cancel': { args: z.strictObject({ jobId: id }), result: z.object({ ok: z.boolean() }) },
    'compare.start': {
      args: z.strictObject({
        modelIds: z.array(id).min(2, 'pick at least two variants').max(6, 'pick at most six variants'),
        ctx: z.number().int().min(64).max(8192),
        prompt: z.string().trim().min(1).max(2000),
        maxTokens: z.number().int().min(1).max(1024),
        text: z
          .strictObject({
            name: z.string().min(1).max(200),
            content: z.string().min(1).max(5_000_000, 'the text is larger than 5 MB'),
          })
          .nullable(),
      }),
      result: z.object({ jobId: z.string() }),
    },
    'compare.cancel': { args: z.strictObject({ jobId: id }), result: z.object({ ok: z.boolean() }) },
    'compare.list': { args: empty, result: z.array(comparison) },
    'compare.delete': { args: z.strictObject({ id }), result: ok },
  },
  events: {
    /** The model list changed (a file was made, downloaded or removed). */
    'models.changed': z.object({}),
    'downloads.changed': downloadRecord,
    'quant.progress': z.object({
      jobId: z.string(),
      type: quantType,
      state: z.enum(['running', 'done', 'failed', 'cancelled']),
      done: z.number(),
      total: z.number(),
      message: z.string().nullable(),
      result: quantizeResult.nullable(),
    }),
    'compare.event': z.union([
      z.object({
        jobId: z.string(),
        kind: z.literal('stage'),
        index: z.number(),
        stage: z.string(),
        fraction: z.number(),
      }),
      z.object({ jobId: z.string(), kind: z.literal('delta'), index: z.number(), text: z.string() }),
      z.object({ jobId: z.string(), kind: z.literal('variant'), index: z.number(), result: variantResult }),
    ]),
    'compare.done': z.object({ jobId: z.string(), comparison: comparison.nullable(), error: z.string().nullable() }),
    /** Tokens as deltas, batched about once per animation frame. */
    'chat.delta': z.object({
      conversationId: id,
      messageId: id,
      delta: z.string(),
      outputTokens: z.number(),
      tokensPerSec: z.number().nullable(),
    }),
    'chat.done': z.object({ conversationId: id, message, stopReason }),
    'engine.status': engineStatus,
    'conversations.changed': z.object({ id }),
    /** Telemetry samples of the answer being generated, a few at a time. */
    'telemetry.samples': z.array(telemetrySample),
    /** A query routed to the partner cloud waits for the user's answer; this is exactly what would be sent. */
    'route.consent': z.object({
      conversationId: id,
      messageId: id,
      partner: z.string(),
      host: z.string(),
      model: z.string(),
      sends: z.string(),
      estimatedCostUsd: z.number(),
      reasons: z.array(z.string()),
    }),
  },
} as const;

export type AppContract = typeof appContract;
/** The one Electron IPC channel the contract travels on. */
export const IPC_CHANNEL = 'edgewise:rpc';
export const callNames = Object.keys(appContract.calls) as (keyof AppContract['calls'])[];
export const eventNames = Object.keys(appContract.events) as (keyof AppContract['events'])[];
