// Three-tier routing: its settings, the local servers found, the history, and the partner-cloud consent.
import { z } from 'zod';
import type { Contract } from '../rpc.ts';
import { id } from '../schemas.ts';
import { routingSettings, routingUpdate } from '../router/schemas.ts';
import { empty } from './parts.ts';

/** The key for the OpenAI-compatible API (/v1) of the shell that serves it. */
const localApiKey = z.object({
  /** The whole key (the view masks it); null where this shell serves no /v1. */
  key: z.string().nullable(),
  /** Why there is no key here, or why the key lasts this run only; null when it is kept across restarts. */
  note: z.string().nullable(),
});

export const routingContract = {
  calls: {
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
    'routing.apiKey': { args: empty, result: localApiKey },
    /** A new /v1 key, kept; the old one stops working at once. */
    'routing.rotateApiKey': { args: empty, result: localApiKey },
    'route.consent': {
      args: z.strictObject({ messageId: id, answer: z.enum(['yes', 'yes for this conversation', 'no']) }),
      result: z.object({ ok: z.boolean() }),
    },
  },
  events: {
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
      /** Attached files whose text is in `sends`, with the tokens of each (estimated). */
      documents: z.array(z.object({ name: z.string(), tokens: z.number() })).optional(),
      /**
       * Tools this conversation has on: their names, descriptions and argument schemas go with the query,
       * and the partner may ask to call them (each call asks its own consent before it runs).
       */
      tools: z.array(z.object({ name: z.string(), server: z.string() })).optional(),
    }),
  },
} as const satisfies Contract;
