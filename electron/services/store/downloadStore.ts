// The downloads table: one row per download the user asked for, so that downloads survive a restart.
import type { DatabaseSync } from 'node:sqlite';
import type { DownloadRecord } from '../../../shared/catalog.ts';

export interface DownloadRow {
  id: string;
  uri: string;
  url: string;
  file_name: string;
  expected_sha256: string | null;
  expected_size: number | null;
  state: DownloadRecord['state'];
  received: number;
  total: number | null;
  error: string | null;
  path: string | null;
  sha256: string | null;
  verified_against: DownloadRecord['verifiedAgainst'];
}

/** The columns a running download changes. */
export type DownloadChange = Partial<
  Pick<DownloadRow, 'state' | 'received' | 'total' | 'error' | 'path' | 'sha256' | 'verified_against'>
>;

export interface NewDownload {
  id: string;
  uri: string;
  url: string;
  fileName: string;
  expectedSha256: string | null;
  expectedSize: number | null;
}

export class DownloadStore {
  private readonly db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.db = db;
  }

  get(id: string): DownloadRow | null {
    return (
      (this.db.prepare('SELECT * FROM downloads WHERE id = ?').get(id) as unknown as DownloadRow | undefined) ?? null
    );
  }

  /** Newest first. */
  list(): DownloadRow[] {
    return this.db.prepare('SELECT * FROM downloads ORDER BY created_at DESC').all() as unknown as DownloadRow[];
  }

  /** Whether a download of this file is running or paused. */
  activeFor(fileName: string): boolean {
    return !!this.db
      .prepare("SELECT id FROM downloads WHERE file_name = ? AND state IN ('downloading', 'paused')")
      .get(fileName);
  }

  /** The ids of the downloads left running (by the last shutdown, or a crash). */
  runningIds(): string[] {
    return (this.db.prepare("SELECT id FROM downloads WHERE state = 'downloading'").all() as { id: string }[]).map(
      (r) => r.id,
    );
  }

  insert(download: NewDownload, createdAt = Date.now()): void {
    this.db
      .prepare(
        'INSERT INTO downloads (id, uri, url, file_name, expected_sha256, expected_size, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        download.id,
        download.uri,
        download.url,
        download.fileName,
        download.expectedSha256,
        download.expectedSize,
        'downloading',
        createdAt,
      );
  }

  update(id: string, change: DownloadChange): void {
    // Column names come from DownloadChange's keys, never from input.
    const keys = Object.keys(change) as (keyof DownloadChange)[];
    if (keys.length === 0) return;
    this.db
      .prepare(`UPDATE downloads SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`)
      .run(...keys.map((k) => change[k] ?? null), id);
  }
}
