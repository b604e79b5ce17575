// Routing settings and traces, as they cross the contract and live in the store. API keys never do:
// the settings only say whether a key is set.
import { z } from 'zod';
import { documentsTrace } from '../documents.ts';
import { tracedToolStep } from '../contract/tools.ts';

export const tier = z.enum(['device', 'private', 'partner']);
export const policy = z.enum(['local', 'auto', 'private']);

const endpoint = {
  name: z.string().trim().min(1).max(80),
  baseUrl: z.url({ protocol: /^https?$/ }).max(500),
  model: z.string().trim().min(1).max(200),
};

export const privateTier = z.strictObject({ ...endpoint, hasKey: z.boolean() });
export const partnerTier = z.strictObject({
  ...endpoint,
  kind: z.enum(['openai', 'anthropic']),
  hasKey: z.boolean(),
  /** US dollars per million tokens, for the estimate shown before consent. */
  inputPricePerMTok: z.number().min(0).max(1000),
  outputPricePerMTok: z.number().min(0).max(1000),
});

export const routingSettings = z.strictObject({
  policy,
  private: privateTier.nullable(),
  partner: partnerTier.nullable(),
  /** Below this mean token confidence, a local answer offers to ask a higher tier. */
  confidenceThreshold: z.number().min(0).max(1).default(0.35),
});
export type RoutingSettings = z.infer<typeof routingSettings>;
export const defaultRouting: RoutingSettings = {
  policy: 'auto',
  private: null,
  partner: null,
  confidenceThreshold: 0.35,
};

/** What a user sends to change the settings: keys may be given (or cleared with ""), never read back. */
export const routingUpdate = z.strictObject({
  policy: policy.optional(),
  confidenceThreshold: z.number().min(0).max(1).optional(),
  private: privateTier
    .omit({ hasKey: true })
    .extend({ apiKey: z.string().max(500).optional() })
    .nullable()
    .optional(),
  partner: partnerTier
    .omit({ hasKey: true })
    .extend({ apiKey: z.string().max(500).optional() })
    .nullable()
    .optional(),
});
export type RoutingUpdate = z.infer<typeof routingUpdate>;

export const traceEvent = z.object({
  /** Milliseconds since the user pressed send. */
  atMs: z.number(),
  kind: z.enum([
    'decided',
    'consent-asked',
    'consent-answered',
    'fallback',
    'dispatched',
    'first-token',
    'done',
    'error',
    'low-confidence',
    'documents',
    'tool',
  ]),
  detail: z.string(),
});

export const routeTrace = z.object({
  tier,
  rule: z.string(),
  reasons: z.array(z.string()),
  signals: z.object({
    complexity: z.number(),
    complexityLevel: z.string(),
    complexityReasons: z.array(z.string()),
    privacy: z.object({ detected: z.array(z.string()) }),
    battery: z.object({ percent: z.number().nullable(), charging: z.boolean().nullable(), low: z.boolean() }),
    connectivity: z.object({ online: z.boolean(), reachable: z.array(tier) }),
  }),
  consent: z.enum(['not needed', 'asked', 'yes', 'yes for this conversation', 'no', 'remembered']),
  answeredBy: z.object({ tier, name: z.string(), model: z.string() }).nullable(),
  events: z.array(traceEvent),
  latencyMs: z.number().nullable(),
  outputTokens: z.number().nullable(),
  estimatedCostUsd: z.number().nullable(),
  energyJoules: z.number().nullable(),
  /** Mean token confidence of a local answer, and the tier offered when it fell below the threshold. */
  confidence: z.number().nullable().optional(),
  offerEscalation: tier.nullable().optional(),
  /** The attached documents' part in this answer: whole or retrieved, each passage with its score and tokens. */
  documents: documentsTrace.optional(),
  /** Each tool call of the answer, in order: tool, server, arguments, consent, result size, time, error. */
  tools: z.array(tracedToolStep).optional(),
});
export type RouteTrace = z.infer<typeof routeTrace>;
