// Downloads the user asked for, kept in SQLite so that they survive a restart: several at once, each
// with pause, resume and cancel. Part files live in a staging folder (dataDir/downloads); only a file
// that passed its sha256 and GGUF checks is moved into the models folder.
import type { DatabaseSync } from 'node:sqlite';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DownloadRecord } from '../../../shared/catalog.ts';
import { diskFailure } from '../store/savingStore.ts';
import { RpcError } from '../../../shared/rpc.ts';
import { download, DownloadError, resolveModelUrl } from './downloader.ts';
import { DownloadStore, type DownloadChange, type DownloadRow as Row } from '../store/downloadStore.ts';
import { errorMessage } from '../../../shared/errors.ts';

/** Why a running download was stopped: by the user (pause, cancel), or because the app is closing. */
type Stop = 'paused' | 'cancelled' | 'shutdown' | null;

export interface DownloadRequest {
  uri: string;
  fileName?: string;
  sha256?: string | null;
  sizeBytes?: number | null;
}

export class DownloadManager {
  private readonly rows: DownloadStore;
  private readonly stagingDir: string;
  private readonly modelsDir: string;
  private readonly onChange: (record: DownloadRecord) => void;
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void>; next: Stop }>();
  private readonly live = new Map<string, { bytesPerSec: number; secondsLeft: number | null }>();

  constructor(options: {
    db: DatabaseSync;
    stagingDir: string;
    modelsDir: string;
    onChange: (record: DownloadRecord) => void;
  }) {
    this.rows = new DownloadStore(options.db);
    this.stagingDir = options.stagingDir;
    this.modelsDir = options.modelsDir;
    this.onChange = options.onChange;
  }

  private row(id: string): Row {
    const row = this.rows.get(id);
    if (!row) throw new RpcError('not_found', `No download ${id}`);
    return row;
  }

  private record(row: Row): DownloadRecord {
    const live = this.live.get(row.id);
    return {
      id: row.id,
      uri: row.uri,
      fileName: row.file_name,
      state: row.state,
      received: row.received,
      total: row.total,
      bytesPerSec: row.state === 'downloading' ? (live?.bytesPerSec ?? 0) : 0,
      secondsLeft: row.state === 'downloading' ? (live?.secondsLeft ?? null) : null,
      error: row.error,
      path: row.path,
      sha256: row.sha256,
      verifiedAgainst: row.verified_against,
    };
  }

  private update(id: string, change: DownloadChange): DownloadRecord {
    this.rows.update(id, change);
    const record = this.record(this.row(id));
    this.onChange(record);
    return record;
  }

  list(): DownloadRecord[] {
    return this.rows.list().map((r) => this.record(r));
  }

  start(request: DownloadRequest): DownloadRecord {
    let url: string;
    try {
      url = resolveModelUrl(request.uri);
    } catch (error) {
      throw new RpcError('bad_input', errorMessage(error));
    }
    const fileName = request.fileName ?? decodeURIComponent(basename(new URL(url).pathname));
    if (!/^[^/\\]+\.gguf$/i.test(fileName)) throw new RpcError('bad_input', `"${fileName}" is not a .gguf file name`);
    if (existsSync(join(this.modelsDir, fileName)))
      throw new RpcError('bad_input', `${fileName} is already in the models folder`);
    if (this.rows.activeFor(fileName)) throw new RpcError('busy', `${fileName} is already being downloaded`);
    const id = randomUUID();
    this.rows.insert({
      id,
      uri: request.uri,
      url,
      fileName,
      expectedSha256: request.sha256 ?? null,
      expectedSize: request.sizeBytes ?? null,
    });
    this.run(id);
    return this.record(this.row(id));
  }

  private partPath(id: string): string {
    return join(this.stagingDir, `${id}.part`);
  }

  private run(id: string): void {
    const row = this.row(id);
    mkdirSync(this.stagingDir, { recursive: true });
    mkdirSync(this.modelsDir, { recursive: true });
    const controller = new AbortController();
    const job = { controller, next: null as Stop, done: Promise.resolve() };
    this.running.set(id, job);
    this.update(id, { state: 'downloading', error: null });
    job.done = (async () => {
      try {
        const result = await download(
          {
            url: row.url,
            partPath: this.partPath(id),
            finalPath: join(this.modelsDir, row.file_name),
            expectedSha256: row.expected_sha256,
            expectedSize: row.expected_size,
          },
          {
            signal: controller.signal,
            onProgress: (p) => {
              this.live.set(id, { bytesPerSec: p.bytesPerSec, secondsLeft: p.secondsLeft });
              // Progress is only shown; when the disk is full, the download's own write fails next.
              try {
                this.update(id, { received: p.received, total: p.total });
              } catch (error) {
                if (!diskFailure(error)) throw error;
              }
            },
          },
        );
        this.update(id, {
          state: 'done',
          received: result.bytes,
          total: result.bytes,
          path: result.path,
          sha256: result.sha256,
          verified_against: result.verifiedAgainst,
        });
      } catch (error) {
        if (job.next === 'shutdown') {
          // Left as "downloading": the next start resumes it.
        } else if (job.next === 'cancelled') {
          await rm(this.partPath(id), { force: true });
          this.update(id, { state: 'cancelled', error: null });
        } else if (job.next === 'paused') {
          this.update(id, { state: 'paused' });
        } else {
          // A full disk is not resumed from: the part file goes, giving the space back.
          const noSpace = /ENOSPC/.test(errorMessage(error));
          const resumable = error instanceof DownloadError && error.resumable && !noSpace;
          if (!resumable) await rm(this.partPath(id), { force: true });
          await this.whenWritable(() =>
            this.update(id, {
              state: 'failed',
              error: `${row.file_name}: ${errorMessage(error)}${resumable ? ' (resume continues from where it stopped)' : ''}`,
            }),
          );
        }
      } finally {
        this.running.delete(id);
        this.live.delete(id);
      }
    })();
  }

  /** Retries a write the full disk refused: the removed part file frees its space once its stream closes. */
  private async whenWritable(write: () => void): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return write();
      } catch (error) {
        if (!diskFailure(error) || attempt >= 50) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async pause(id: string): Promise<DownloadRecord> {
    const job = this.running.get(id);
    if (!job) throw new RpcError('bad_input', 'That download is not running');
    job.next = 'paused';
    job.controller.abort();
    await job.done;
    return this.record(this.row(id));
  }

  resume(id: string): DownloadRecord {
    const row = this.row(id);
    if (this.running.has(id)) return this.record(row);
    if (row.state !== 'paused' && row.state !== 'failed')
      throw new RpcError('bad_input', `A ${row.state} download cannot be resumed`);
    this.run(id);
    return this.record(this.row(id));
  }

  async cancel(id: string): Promise<DownloadRecord> {
    const job = this.running.get(id);
    if (job) {
      job.next = 'cancelled';
      job.controller.abort();
      await job.done;
    } else {
      await rm(this.partPath(id), { force: true });
      this.update(id, { state: 'cancelled' });
    }
    return this.record(this.row(id));
  }

  /** After a restart: downloads that were running carry on from their part files. */
  resumeInterrupted(): number {
    const ids = this.rows.runningIds();
    for (const id of ids) this.run(id);
    return ids.length;
  }

  /** Waits for a download to stop running (done, failed, paused or cancelled). */
  async settled(id: string): Promise<DownloadRecord> {
    await this.running.get(id)?.done;
    return this.record(this.row(id));
  }

  async dispose(): Promise<void> {
    // Running downloads stay "downloading" in the store, so the next start resumes them.
    for (const job of this.running.values()) {
      job.next = 'shutdown';
      job.controller.abort();
    }
    await Promise.all([...this.running.values()].map((j) => j.done));
  }
}
