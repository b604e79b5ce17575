import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from './database.ts';
import { ModelStore } from './modelStore.ts';
import { DownloadStore } from './downloadStore.ts';
import { tempDir } from '../../../tests/fixtures.ts';

describe('the model and download tables on a real SQLite file', () => {
  it('keeps added paths once each, oldest first, and names across reopen', () => {
    const path = join(tempDir(), 'edgewise.db');
    let db = openDatabase(path);
    let models = new ModelStore(db);
    models.addPath('m-b', '/models/b.gguf', 2);
    models.addPath('m-a', '/models/a.gguf', 1);
    models.addPath('m-a', '/models/a.gguf', 3);
    models.setName('m-a', 'First');
    models.setName('m-a', 'Renamed');
    db.close();
    db = openDatabase(path);
    models = new ModelStore(db);
    expect(models.addedPaths()).toEqual(['/models/a.gguf', '/models/b.gguf']);
    expect(models.name('m-a')).toBe('Renamed');
    expect(models.name('m-b')).toBeNull();
    expect([...models.names()]).toEqual([['m-a', 'Renamed']]);
    models.forgetPath('m-a');
    models.forgetName('m-a');
    expect(models.addedPaths()).toEqual(['/models/b.gguf']);
    expect(models.names().size).toBe(0);
    db.close();
  });

  it('records downloads, updates only the given columns, and finds running and active ones', () => {
    const db = openDatabase(join(tempDir(), 'edgewise.db'));
    const downloads = new DownloadStore(db);
    const base = { uri: 'hf:a/b/c.gguf', url: 'http://127.0.0.1/c.gguf', expectedSha256: null, expectedSize: 10 };
    downloads.insert({ ...base, id: 'd1', fileName: 'c.gguf' }, 1);
    downloads.insert({ ...base, id: 'd2', fileName: 'd.gguf' }, 2);
    expect(downloads.list().map((r) => r.id)).toEqual(['d2', 'd1']);
    expect(downloads.runningIds().sort()).toEqual(['d1', 'd2']);
    downloads.update('d1', { state: 'paused', received: 4 });
    expect(downloads.get('d1')).toMatchObject({ state: 'paused', received: 4, total: null, expected_size: 10 });
    expect(downloads.activeFor('c.gguf')).toBe(true);
    downloads.update('d1', { state: 'cancelled' });
    expect(downloads.activeFor('c.gguf')).toBe(false);
    expect(downloads.runningIds()).toEqual(['d2']);
    expect(downloads.get('nope')).toBeNull();
    db.close();
  });
});
