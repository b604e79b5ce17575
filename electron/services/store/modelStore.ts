// The models added by path (the file stays where it is) and the names the user gave models: the two
// tables the model library keeps. Files found by scanning folders are not stored here.
import type { DatabaseSync } from 'node:sqlite';

export class ModelStore {
  private readonly db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** Paths of the models added by path, oldest first. */
  addedPaths(): string[] {
    return (this.db.prepare('SELECT path FROM models ORDER BY added_at').all() as { path: string }[]).map(
      (r) => r.path,
    );
  }

  /** Remembers a model added by path; adding the same file again keeps the first entry. */
  addPath(id: string, path: string, addedAt = Date.now()): void {
    this.db.prepare('INSERT OR IGNORE INTO models (id, path, added_at) VALUES (?, ?, ?)').run(id, path, addedAt);
  }

  forgetPath(id: string): void {
    this.db.prepare('DELETE FROM models WHERE id = ?').run(id);
  }

  /** Every name given in Edgewise, by model id. */
  names(): Map<string, string> {
    const rows = this.db.prepare('SELECT id, name FROM model_names').all() as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  name(id: string): string | null {
    const row = this.db.prepare('SELECT name FROM model_names WHERE id = ?').get(id) as { name: string } | undefined;
    return row?.name ?? null;
  }

  setName(id: string, name: string): void {
    this.db
      .prepare('INSERT INTO model_names (id, name) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name')
      .run(id, name);
  }

  forgetName(id: string): void {
    this.db.prepare('DELETE FROM model_names WHERE id = ?').run(id);
  }
}
