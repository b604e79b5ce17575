// Reading an export file the user hands us: every way it can be wrong gets its own plain reason, and
// nothing is imported unless the whole file is right.
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_CONVERSATIONS,
  MAX_IMPORT_MESSAGES,
  exportFile,
  exportFileV1,
  type ExportFile,
  type ExportFileV1,
} from './exportFormat.ts';
import { errorMessage } from './errors.ts';

export class ImportRefused extends Error {}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MiB`;

/** UTF-8 size without TextEncoder or Buffer (shared/ runs on neither platform's globals). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export function parseExportFile(text: string, byteLength = utf8Length(text)): ExportFile {
  if (byteLength > MAX_IMPORT_BYTES)
    throw new ImportRefused(
      `The file is ${mib(byteLength)}; Edgewise imports files up to ${mib(MAX_IMPORT_BYTES)}. Export fewer conversations per file.`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const trimmed = text.trim();
    const reason =
      trimmed.startsWith('{') && !trimmed.endsWith('}')
        ? 'it looks cut off (truncated) before its end'
        : `it is not JSON (${errorMessage(error)})`;
    throw new ImportRefused(`This is not an Edgewise export file: ${reason}.`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ImportRefused('This is not an Edgewise export file: it is JSON but not an object.');
  const head = raw as Record<string, unknown>;
  if (head.format !== EXPORT_FORMAT)
    throw new ImportRefused(`This is not an Edgewise export file: its "format" is not "${EXPORT_FORMAT}".`);
  if (typeof head.version !== 'number' || !Number.isInteger(head.version) || head.version < 1)
    throw new ImportRefused('The file has no valid format version.');
  if (head.version > EXPORT_VERSION)
    throw new ImportRefused(
      `The file was written by a newer Edgewise (format version ${head.version}; this one reads up to ${EXPORT_VERSION}). Update Edgewise to import it.`,
    );
  const list = Array.isArray(head.conversations) ? head.conversations : [];
  if (list.length > MAX_IMPORT_CONVERSATIONS)
    throw new ImportRefused(
      `The file holds ${list.length} conversations; one import takes up to ${MAX_IMPORT_CONVERSATIONS}.`,
    );
  let messages = 0;
  for (const c of list) {
    const m = (c as { messages?: unknown } | null)?.messages;
    if (Array.isArray(m)) messages += m.length;
  }
  if (messages > MAX_IMPORT_MESSAGES)
    throw new ImportRefused(
      `The file holds ${messages.toLocaleString('en')} messages; one import takes up to ${MAX_IMPORT_MESSAGES.toLocaleString('en')}.`,
    );
  const parsed = (head.version === 1 ? exportFileV1 : exportFile).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new ImportRefused(`The file does not match the Edgewise export schema${where}: ${issue.message}.`);
  }
  if (parsed.data.version === 1) return fromVersion1(parsed.data);
  checkTrees(parsed.data);
  return parsed.data;
}

/** A version 1 conversation is one path: each message follows the one before it, the last one is the leaf. */
function fromVersion1(file: ExportFileV1): ExportFile {
  return {
    ...file,
    version: EXPORT_VERSION,
    conversations: file.conversations.map((c) => ({
      ...c,
      leafId: c.messages.at(-1)?.id ?? null,
      messages: c.messages.map((m, i) => ({ ...m, parentId: i === 0 ? null : c.messages[i - 1]!.id })),
    })),
  };
}

/** Each parent must come earlier in its own conversation, and the leaf must be one of its messages. */
function checkTrees(file: ExportFile): void {
  file.conversations.forEach((c, ci) => {
    const seen = new Set<string>();
    c.messages.forEach((m, mi) => {
      const where = `conversations.${ci}.messages.${mi}`;
      if (seen.has(m.id))
        throw new ImportRefused(
          `The file repeats message id "${m.id}" inside one conversation (${where}), so its branches cannot be told apart.`,
        );
      if (m.parentId !== null && !seen.has(m.parentId))
        throw new ImportRefused(
          `The file's message at ${where} follows "${m.parentId}", which is not an earlier message of the same conversation.`,
        );
      seen.add(m.id);
    });
    if (c.leafId === null ? c.messages.length > 0 : !seen.has(c.leafId))
      throw new ImportRefused(
        `The file's conversation at conversations.${ci} names a chosen path (leafId ${JSON.stringify(c.leafId)}) that is not one of its messages.`,
      );
  });
}
