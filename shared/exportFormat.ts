// The Edgewise conversation export file: a format name and version, then every conversation with its
// settings and messages, each message with its own figures and routing trace. Version 2 (branches)
// holds every version of every message, in creation order, each naming its parent, and the chosen
// path's last message (leafId); version 1 held the shown path only, in order, and is read as a single
// path. Import accepts every version listed in `readableVersions`; a newer one is refused.
import { z } from 'zod';
import { conversationSettings, id, message } from './schemas.ts';

export const EXPORT_FORMAT = 'edgewise.conversations';
export const EXPORT_VERSION = 2;
export const readableVersions = [1, 2] as const;

/** A bigger file is refused before it is read: 64 MiB holds far more text than anyone types. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
/** Messages in one import file, all conversations together. */
export const MAX_IMPORT_MESSAGES = 250_000;
export const MAX_IMPORT_CONVERSATIONS = 20_000;

const exportedMessageV1 = message.omit({ conversationId: true, parentId: true }).extend({
  updatedAt: z.number().optional(),
  // A reasoning model's thoughts (`thoughts` comes from the message) and their token count: both optional,
  // so files without them still read and readers that predate them ignore them.
  thoughtTokens: z.number().optional(),
});
export const exportedMessage = exportedMessageV1.extend({
  /** The message this one follows (an earlier one in the list); null for a first message. */
  parentId: id.nullable(),
});
export type ExportedMessage = z.infer<typeof exportedMessage>;

const conversationFields = {
  id,
  title: z.string().max(200),
  modelId: id.nullable(),
  settings: conversationSettings,
  createdAt: z.number(),
  updatedAt: z.number(),
};

export const exportedConversation = z.object({
  ...conversationFields,
  /** The chosen path's last message; null when there are no messages. */
  leafId: id.nullable(),
  /** Every version of every message, in the order they were written: a parent before its children. */
  messages: z.array(exportedMessage),
});
export type ExportedConversation = z.infer<typeof exportedConversation>;

const fileFields = {
  format: z.literal(EXPORT_FORMAT),
  exportedAt: z.number(),
  app: z.object({ name: z.literal('Edgewise'), version: z.string() }),
};

export const exportFile = z.object({
  ...fileFields,
  version: z.literal(EXPORT_VERSION),
  conversations: z.array(exportedConversation).max(MAX_IMPORT_CONVERSATIONS),
});
export type ExportFile = z.infer<typeof exportFile>;

/** Version 1: no branches; messages in the order they were shown. */
export const exportFileV1 = z.object({
  ...fileFields,
  version: z.literal(1),
  conversations: z
    .array(z.object({ ...conversationFields, messages: z.array(exportedMessageV1) }))
    .max(MAX_IMPORT_CONVERSATIONS),
});
export type ExportFileV1 = z.infer<typeof exportFileV1>;

export const exportFormatName = z.enum(['json', 'md']);
export type ExportFormatName = z.infer<typeof exportFormatName>;

/** What an import did: the new conversations and how many ids had to be given new values. */
export const importResult = z.object({
  conversations: z.number(),
  messages: z.number(),
  remappedIds: z.number(),
  ids: z.array(id),
});
export type ImportResult = z.infer<typeof importResult>;
