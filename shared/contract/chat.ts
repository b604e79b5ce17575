// Conversations and the messages in them: sending, stopping, regenerating, editing, escalating.
import { z } from 'zod';
import type { Contract } from '../rpc.ts';
import { conversation, conversationSettings, id, message, stopReason } from '../schemas.ts';
import { ok } from './parts.ts';
import { branchView } from '../branches.ts';

const userText = z.string().trim().min(1, 'message is empty').max(100_000, 'message is longer than 100,000 characters');

/** A conversation as the chat view shows it: the chosen path, and the versions of each message on it. */
const conversationView = z.object({ conversation, messages: z.array(message), branches: branchView });
const branchArgs = z.strictObject({ conversationId: id, messageId: id });

export const chatContract = {
  calls: {
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
      result: conversationView,
    },
    /** Shows another version of a message (and below it, that version's newest branch); the choice is stored. */
    'conversations.showBranch': { args: branchArgs, result: conversationView },
    /**
     * Deletes one version of a message and what followed it. The only version is refused (bad_input);
     * when the version shown is deleted, `shownId` is the version shown in its place.
     */
    'conversations.deleteBranch': {
      args: branchArgs,
      result: conversationView.extend({ deleted: z.number(), shownId: id.nullable() }),
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
  },
  events: {
    /** Tokens as deltas, batched about once per animation frame. */
    'chat.delta': z.object({
      conversationId: id,
      messageId: id,
      delta: z.string(),
      /** Thought text that arrived in the same batch (a reasoning model's thinking), apart from the answer's. */
      thought: z.string().optional(),
      outputTokens: z.number(),
      tokensPerSec: z.number().nullable(),
    }),
    'chat.done': z.object({ conversationId: id, message, stopReason }),
    'conversations.changed': z.object({ id }),
  },
} as const satisfies Contract;
