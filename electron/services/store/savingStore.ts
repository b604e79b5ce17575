// A ConversationStore whose writes during an answer survive a full (or failing) disk: the answer keeps
// streaming on screen, the user is told saving failed and why, what was saved before stays as it was,
// and the final save is retried until space comes back, without a restart.
import type { DatabaseSync } from 'node:sqlite';
import type { Message, MessageStats } from '../../../shared/schemas.ts';
import type { RouteTrace } from '../../../shared/router/schemas.ts';
import { RpcError } from '../../../shared/rpc.ts';
import { ConversationStore } from './conversationStore.ts';
import { errorMessage } from '../../../shared/errors.ts';

const RETRY_MS = 1000;
/** SQLite's primary result codes for a write the disk refused: IOERR, FULL, READONLY. */
const DISK_CODES = new Set([10, 13, 8]);

export function diskFailure(error: unknown): string | null {
  const code = (error as { errcode?: number }).errcode;
  if (typeof code !== 'number' || !DISK_CODES.has(code & 0xff)) return null;
  const what = (code & 0xff) === 13 ? 'the disk is full' : 'the disk refused the write';
  return `${what} (${errorMessage(error)})`;
}

export interface SaveReporter {
  /** A save failed (why), or, with null, saving works again. */
  (why: string | null): void;
}

type FinishArgs = [
  string,
  string,
  Message['status'],
  MessageStats | null,
  string | null,
  RouteTrace | null,
  (string | null)?,
];

export class SavingStore extends ConversationStore {
  private readonly report: SaveReporter;
  private failing = false;
  private readonly unsaved = new Map<string, FinishArgs>();
  private retry: NodeJS.Timeout | null = null;

  constructor(db: DatabaseSync, report: SaveReporter) {
    super(db);
    this.report = report;
  }

  private attempt<T>(write: () => T, otherwise: () => T): T {
    try {
      const result = write();
      this.saved();
      return result;
    } catch (error) {
      const why = diskFailure(error);
      if (!why) throw error;
      this.failing = true;
      this.report(why);
      return otherwise();
    }
  }

  private saved() {
    if (!this.failing || this.unsaved.size > 0) return;
    this.failing = false;
    this.report(null);
  }

  override saveText(id: string, text: string, thoughts: string | null = null): void {
    this.attempt(
      () => super.saveText(id, text, thoughts),
      () => undefined,
    );
  }

  override saveTrace(id: string, trace: RouteTrace): void {
    this.attempt(
      () => super.saveTrace(id, trace),
      () => undefined,
    );
  }

  override addMessage(
    conversationId: string,
    role: Message['role'],
    text: string,
    status: Message['status'],
    parentId?: string | null,
  ) {
    return this.attempt(
      () => super.addMessage(conversationId, role, text, status, parentId),
      () => {
        throw new RpcError('internal', 'Saving failed: the disk is full or refused the write; nothing was sent.');
      },
    );
  }

  /** The answer's end: if it cannot be saved now, the finished message is kept and saved once it can. */
  override finish(...args: FinishArgs): Message {
    return this.attempt(
      () => super.finish(...args),
      () => {
        this.unsaved.set(args[0], args);
        this.retry ??= setInterval(() => this.flushUnsaved(), RETRY_MS).unref();
        const [id, text, status, stats, error, trace, thoughts] = args;
        return { ...this.message(id), text, status, stats, error, trace, ...(thoughts != null ? { thoughts } : {}) };
      },
    );
  }

  private flushUnsaved() {
    for (const [id, args] of this.unsaved) {
      try {
        super.finish(...args);
        this.unsaved.delete(id);
      } catch (error) {
        if (!diskFailure(error))
          this.unsaved.delete(id); // deleted meanwhile, say: nothing left to save
        else return;
      }
    }
    this.saved();
    if (this.retry) clearInterval(this.retry);
    this.retry = null;
  }

  /** Tries the unsaved answers one last time (on shutdown). */
  dispose(): void {
    if (this.unsaved.size) this.flushUnsaved();
    if (this.retry) clearInterval(this.retry);
    this.retry = null;
  }
}
