// `edgewise chat --attach FILE|FOLDER` (repeatable): the files are read, chunked and indexed in a
// throwaway in-memory database, exactly as the app does, and the question is sent with them whole or with
// the passages that fit. Files that cannot be read are named with the reason on stderr; if none can, the
// command stops with bad input before loading a model.
import type { ConversationSettings } from '../../shared/schemas.ts';
import { estimateTokens } from '../../shared/documents.ts';
import { openDatabase } from '../services/store/database.ts';
import { ConversationStore } from '../services/store/conversationStore.ts';
import { DocumentStore } from '../services/store/documentStore.ts';
import { DocumentService } from '../services/documents/documentService.ts';
import {
  documentBudget,
  documentContext,
  withDocuments,
  type DocumentContext,
} from '../services/documents/documentContext.ts';
import { CliError, exitCodes } from './args.ts';

export interface AttachedQuestion {
  text: string;
  documents: DocumentContext | null;
}

export async function questionWithAttachments(
  paths: string[],
  prompt: string,
  settings: ConversationSettings,
  modelContext: number | null,
  warn: (line: string) => void,
): Promise<AttachedQuestion> {
  if (paths.length === 0) return { text: prompt, documents: null };
  const db = openDatabase(':memory:');
  try {
    const conversations = new ConversationStore(db);
    const documents = new DocumentService({ store: new DocumentStore(db), conversations });
    const conversation = conversations.create('edgewise chat --attach', null, settings);
    const { attached, rejected } = await documents.attachPaths(conversation.id, paths);
    for (const r of rejected) warn(`Not attached: ${r.reason}`);
    if (attached.length === 0)
      throw new CliError(exitCodes.badInput, 'None of the files given with --attach can be read.');
    const budget = documentBudget(settings, modelContext, estimateTokens(`${settings.systemPrompt}\n\n${prompt}`));
    const context = await documentContext(documents, conversation.id, prompt, budget);
    if (context) {
      const files = context.trace.files.map((f) => `${f.name} (≈${f.tokens} tokens)`).join(', ');
      warn(
        `Attached ${files}: ${context.trace.mode === 'whole' ? 'sent whole' : 'retrieved passages'}. ${context.trace.why}`,
      );
    }
    return { text: withDocuments(context, prompt), documents: context };
  } finally {
    db.close();
  }
}

/** The sources after an answer in text mode, one a line, as the answer cites them. */
export function sourcesText(context: DocumentContext | null): string {
  if (!context || context.trace.passages.length === 0) return '';
  const lines = context.trace.passages.map(
    (p) =>
      `[${p.n}] ${p.name}${p.page !== null ? `, page ${p.page}` : ''} (≈${p.tokens} tokens${p.score !== null ? `, score ${p.score.toFixed(4)}` : ''})`,
  );
  return `\nSources:\n${lines.join('\n')}\n`;
}
