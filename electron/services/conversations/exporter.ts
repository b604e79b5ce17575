// Export (JSON, lossless; Markdown, readable) and import of conversations. The file format and its
// checks are in shared/exportFormat.ts and shared/exportParse.ts; the SQL in store/transferStore.ts.
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportFile,
  type ExportFormatName,
  type ExportedConversation,
  type ImportResult,
} from '../../../shared/exportFormat.ts';
import { ImportRefused, parseExportFile } from '../../../shared/exportParse.ts';
import { RpcError } from '../../../shared/rpc.ts';
import type { TransferStore } from '../store/transferStore.ts';
import { chosenPath } from '../../../shared/branches.ts';

export interface ExportedText {
  fileName: string;
  format: ExportFormatName;
  content: string;
  conversations: number;
}

export function buildExportFile(conversations: ExportedConversation[], appVersion: string): ExportFile {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: Date.now(),
    app: { name: 'Edgewise', version: appVersion },
    conversations,
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/** The chosen path only: the other versions of each message are in the JSON export. */
function conversationMarkdown(c: ExportedConversation): string {
  const s = c.settings;
  const path = chosenPath(c.messages, c.leafId);
  const models = [...new Set(path.flatMap((m) => (m.stats ? [m.stats.modelFile] : [])))];
  const lines = [
    `# ${c.title}`,
    '',
    `- Model: ${models.length ? models.join(', ') : (c.modelId ?? 'none chosen')}`,
    `- Started: ${iso(c.createdAt)}; last change: ${iso(c.updatedAt)}`,
    `- Settings: temperature ${s.sampling.temperature}, top-k ${s.sampling.topK}, top-p ${s.sampling.topP}, min-p ${s.sampling.minP}, repeat penalty ${s.sampling.repeatPenalty}, seed ${s.sampling.seed ?? 'random'}, max tokens ${s.sampling.maxTokens}, context ${s.contextSize}`,
  ];
  if (s.systemPrompt) lines.push(`- System prompt: ${s.systemPrompt.replace(/\s+/g, ' ')}`);
  const hidden = c.messages.length - path.length;
  if (hidden > 0)
    lines.push(`- Branches: the chosen path is shown; ${hidden} message(s) on other branches are in the JSON export`);
  for (const m of path) {
    const who = m.role === 'user' ? 'You' : 'Assistant';
    const figures = m.stats
      ? ` _(${m.stats.modelFile}, ${m.stats.outputTokens} tokens, ${m.stats.decodeTokensPerSec.toFixed(1)} tok/s)_`
      : '';
    const status = m.status === 'done' ? '' : ` _[${m.status}]_`;
    lines.push('', `## ${who}${status}${figures}`, '');
    // Thoughts as a quote above the answer: plain Markdown, no HTML for a reader to render.
    if (m.thoughts) lines.push('> _Thinking_', '>', ...m.thoughts.split('\n').map((l) => `> ${l}`.trimEnd()), '');
    lines.push(m.text || '_(empty)_');
    if (m.error) lines.push('', `> ${m.error}`);
  }
  return lines.join('\n') + '\n';
}

export function toMarkdown(conversations: ExportedConversation[]): string {
  return conversations.map(conversationMarkdown).join('\n---\n\n');
}

const slug = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'conversation';

export class Exporter {
  private readonly transfer: TransferStore;
  private readonly appVersion: string;
  constructor(transfer: TransferStore, appVersion: string) {
    this.transfer = transfer;
    this.appVersion = appVersion;
  }

  export(conversationId: string | undefined, format: ExportFormatName): ExportedText {
    const conversations = this.transfer.read(conversationId);
    const base = conversationId ? slug(conversations[0]!.title) : 'edgewise-conversations';
    return {
      fileName: `${base}.${format === 'json' ? 'json' : 'md'}`,
      format,
      conversations: conversations.length,
      content:
        format === 'json'
          ? JSON.stringify(buildExportFile(conversations, this.appVersion), null, 2) + '\n'
          : toMarkdown(conversations),
    };
  }

  /** Refuses a bad file with its reason (bad_input); imports the whole file or nothing. */
  import(text: string, byteLength?: number): ImportResult {
    let file: ExportFile;
    try {
      file = parseExportFile(text, byteLength);
    } catch (error) {
      if (error instanceof ImportRefused) throw new RpcError('bad_input', `Nothing was imported. ${error.message}`);
      throw error;
    }
    return this.transfer.write(file.conversations);
  }
}
