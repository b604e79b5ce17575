// Finished quantization comparisons, kept so that one can be reopened and exported later.
import type { DatabaseSync } from 'node:sqlite';
import { randomUUID } from 'node:crypto';
import { comparison, type Comparison } from '../../../shared/quant.ts';
import { RpcError } from '../../../shared/rpc.ts';

interface Row {
  id: string;
  created_at: number;
  settings: string;
  variants: string;
}

export class ComparisonStore {
  private readonly db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.db = db;
  }

  save(settings: Comparison['settings'], variants: Comparison['variants']): Comparison {
    const saved = comparison.parse({ id: randomUUID(), createdAt: Date.now(), settings, variants });
    this.db
      .prepare('INSERT INTO comparisons (id, created_at, settings, variants) VALUES (?, ?, ?, ?)')
      .run(saved.id, saved.createdAt, JSON.stringify(saved.settings), JSON.stringify(saved.variants));
    return saved;
  }

  list(): Comparison[] {
    const rows = this.db.prepare('SELECT * FROM comparisons ORDER BY created_at DESC').all() as unknown as Row[];
    return rows.map((r) => this.parse(r));
  }

  get(id: string): Comparison {
    const row = this.db.prepare('SELECT * FROM comparisons WHERE id = ?').get(id) as unknown as Row | undefined;
    if (!row) throw new RpcError('not_found', `No comparison ${id}`);
    return this.parse(row);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM comparisons WHERE id = ?').run(id);
  }

  private parse(row: Row): Comparison {
    return comparison.parse({
      id: row.id,
      createdAt: row.created_at,
      settings: JSON.parse(row.settings),
      variants: JSON.parse(row.variants),
    });
  }
}
