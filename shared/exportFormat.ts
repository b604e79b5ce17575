// The Edgewise conversation export file: a format name and version, then every conversation with its
// settings and messages in order (the path the user sees), each message with its own figures and
// routing trace. Import accepts every version listed in `readableVersions`; a newer one is refused.
import { z } from 'zod';
import { conversationSettings, id, message } from './schemas.ts';

export const EXPORT_FORMAT = 'edgewise.conversations';
export const EXPORT_VERSION = 1;
export const readableVersions = [1] as const;

/** A bigger file is refused before it is read: 64 MiB holds far more text than anyone types. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
/** Messages in one import file, all conversations together. */
export const MAX_IMPORT_MESSAGES = 250_000;
export const MAX_IMPORT_CONVERSATIONS = 20_000;

export const exportedMessage = message.omit({ conversationId: true }).extend({ updatedAt: z.number().optional() });
export type ExportedMessage = z.infer<typeof exportedMessage>;

export const exportedConversation = z.object({
  id,
  title: z.string().max(200),
  modelId: id.nullable(),
  settings: conversationSettings,
  createdAt: z.number(),
  updatedAt: z.number(),
  /** In the order they are shown. */
  messages: z.array(exportedMessage),
});
export type ExportedConversation = z.infer<typeof exportedConversation>;

export const exportFile = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: z.number(),
  app: z.object({ name: z.literal('Edgewise'), version: z.string() }),
  conversations: z.array(exportedConversation).max(MAX_IMPORT_CONVERSATIONS),
});
export type ExportFile = z.infer<typeof exportFile>;

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
