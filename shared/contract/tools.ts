// Tools the model may call (built-ins and MCP servers' tools), the user's consent to each call, and the
// MCP servers the user added. One step per call goes into the routing trace.
import { z } from 'zod';

/** How a call was let through or not: the dialog's three answers, and the cases with no dialog. */
export const toolConsent = z.enum([
  'allowed once',
  'allowed for this conversation',
  'remembered for this conversation',
  'denied',
  'not needed',
  'refused: no one to ask',
  'refused: over the cap',
]);
export type ToolConsent = z.infer<typeof toolConsent>;

export const toolStep = z.object({
  tool: z.string(),
  /** "built-in" or the MCP server's name. */
  server: z.string(),
  /** The arguments as the model wrote them (JSON, cut at 2,000 characters). */
  arguments: z.string(),
  consent: toolConsent,
  /** Bytes of text returned to the model (after the cap), and whether the result was cut. */
  resultBytes: z.number(),
  truncated: z.boolean(),
  ms: z.number(),
  error: z.string().nullable(),
});
export type ToolStep = z.infer<typeof toolStep>;

/** What the consent dialog shows: the tool, its server and the arguments, nothing the model can style. */
export const toolConsentRequest = z.object({
  id: z.string(),
  conversationId: z.string(),
  tool: z.string(),
  server: z.string(),
  description: z.string(),
  arguments: z.string(),
  /**
   * Where the result goes if the call runs: the remote tier that asked for it ("Test Cloud (host)"), so
   * allowing it is also consent to send its result there. Absent on this device: the result stays here.
   */
  resultGoesTo: z.string().max(300).optional(),
});
export type ToolConsentRequest = z.infer<typeof toolConsentRequest>;

export const toolConsentAnswer = z.enum(['once', 'conversation', 'deny']);
export type ToolConsentAnswer = z.infer<typeof toolConsentAnswer>;

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

export const mcpServerInput = z.discriminatedUnion('transport', [
  z.object({
    transport: z.literal('stdio'),
    name: z.string().trim().min(1).max(64),
    command: z.string().min(1).max(4096),
    args: z.array(z.string().max(4096)).max(64).default([]),
    env: z.record(envName, z.string().max(8192)).default({}),
  }),
  z.object({
    transport: z.literal('http'),
    name: z.string().trim().min(1).max(64),
    url: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//i.test(u), 'an http:// or https:// URL'),
  }),
]);
export type McpServerInput = z.infer<typeof mcpServerInput>;
export type McpServer = McpServerInput & { id: string; createdAt: number };

export const toolInfo = z.object({
  name: z.string(),
  server: z.string(),
  description: z.string(),
  enabled: z.boolean(),
});
export type ToolInfo = z.infer<typeof toolInfo>;

/** A step as the trace keeps it: the step and the text the model was given back (cut for storage). */
export const tracedToolStep = toolStep.extend({ result: z.string() });
export type TracedToolStep = z.infer<typeof tracedToolStep>;
/** Characters of a result kept in the trace (the model may have been given more, up to the loop's cap). */
export const TRACED_RESULT_CHARS = 4000;

/** An MCP server as Settings lists it: its configuration and whether its tools could be listed. */
export const mcpServerStatus = z.object({
  name: z.string(),
  transport: z.enum(['stdio', 'http']),
  /** The command line or the URL, as the user entered it. */
  target: z.string(),
  connected: z.boolean(),
  tools: z.number(),
  error: z.string().nullable(),
});
export type McpServerStatus = z.infer<typeof mcpServerStatus>;
