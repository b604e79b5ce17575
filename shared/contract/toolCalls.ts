// The tools' calls and events: each conversation's tool choices, the MCP servers in Settings, and the
// consent asked per tool call. Apart from tools.ts because the trace (shared/router/schemas.ts) uses the
// step shapes, and schemas.ts uses the trace: this file may import schemas.ts, tools.ts may not.
import { z } from 'zod';
import type { Contract } from '../rpc.ts';
import { id } from '../schemas.ts';
import { ok } from './parts.ts';
import {
  mcpServerInput,
  mcpServerStatus,
  toolConsentAnswer,
  toolConsentRequest,
  toolInfo,
  tracedToolStep,
} from './tools.ts';

const toolKey = { conversationId: id, server: z.string().min(1).max(64), tool: z.string().min(1).max(128) };

export const toolsContract = {
  calls: {
    /** Built-ins and every MCP server's tools, each on or off for this conversation (off until turned on). */
    'tools.list': { args: z.strictObject({ conversationId: id }), result: z.array(toolInfo) },
    'tools.setEnabled': { args: z.strictObject({ ...toolKey, enabled: z.boolean() }), result: ok },
    'tools.servers': { args: z.strictObject({}), result: z.array(mcpServerStatus) },
    'tools.addServer': { args: mcpServerInput, result: mcpServerStatus },
    'tools.removeServer': { args: z.strictObject({ name: z.string().min(1).max(64) }), result: ok },
    /** The user's answer to one tool call's consent request; ok is false when nothing was waiting. */
    'tools.consent': {
      args: z.strictObject({ id: z.string().min(1).max(100), answer: toolConsentAnswer }),
      result: z.object({ ok: z.boolean() }),
    },
  },
  events: {
    /** A tool call waits for the user's answer; nothing runs before it. */
    'tools.consent': toolConsentRequest,
    /** A request was answered (here or in another window), or its answer was stopped: close its dialog. */
    'tools.consentClosed': z.object({ id: z.string() }),
    /** A tool call of an answer being written ended (the same step is kept in its trace). */
    'tools.step': z.object({ conversationId: id, messageId: id, step: tracedToolStep }),
  },
} as const satisfies Contract;
