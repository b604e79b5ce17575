// Presets: the shipped ones (shared/presets.ts) and the user's (table presets), and each model's default.
import type { DatabaseSync } from 'node:sqlite';
import { randomUUID } from 'node:crypto';
import { builtInPresets, preset, type Preset, type PresetInput } from '../../../shared/presets.ts';
import { conversationSettings } from '../../../shared/schemas.ts';
import { RpcError } from '../../../shared/rpc.ts';
import { transaction } from './database.ts';

interface PresetRow {
  id: string;
  name: string;
  settings: string;
  thinking: number;
}

function toPreset(row: PresetRow): Preset | null {
  const settings = conversationSettings.safeParse(JSON.parse(row.settings));
  if (!settings.success) return null;
  return preset.parse({
    id: row.id,
    name: row.name,
    builtIn: false,
    settings: settings.data,
    thinking: row.thinking === 1,
  });
}

export class PresetStore {
  private readonly db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.db = db;
  }

  list(): Preset[] {
    const rows = this.db.prepare('SELECT * FROM presets ORDER BY name COLLATE NOCASE').all() as unknown as PresetRow[];
    return [...builtInPresets, ...rows.flatMap((r) => toPreset(r) ?? [])];
  }

  get(id: string): Preset {
    const found = this.list().find((p) => p.id === id);
    if (!found) throw new RpcError('not_found', `No preset ${id}`);
    return found;
  }

  /** By name, ignoring case (the CLI's --preset). */
  byName(name: string): Preset | null {
    const wanted = name.trim().toLowerCase();
    return this.list().find((p) => p.name.toLowerCase() === wanted) ?? null;
  }

  save(input: PresetInput): Preset {
    if (input.id && builtInPresets.some((p) => p.id === input.id))
      throw new RpcError(
        'bad_input',
        `"${this.get(input.id).name}" ships with Edgewise and cannot be changed; save a copy under another name.`,
      );
    const clash = this.byName(input.name);
    if (clash && clash.id !== input.id)
      throw new RpcError('bad_input', `A preset named "${clash.name}" already exists; choose another name.`);
    const id = input.id ?? randomUUID();
    if (input.id) {
      this.get(input.id);
      this.db
        .prepare('UPDATE presets SET name = ?, settings = ?, thinking = ? WHERE id = ?')
        .run(input.name.trim(), JSON.stringify(input.settings), input.thinking ? 1 : 0, id);
    } else {
      this.db
        .prepare('INSERT INTO presets (id, name, settings, thinking, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, input.name.trim(), JSON.stringify(input.settings), input.thinking ? 1 : 0, Date.now());
    }
    return this.get(id);
  }

  delete(id: string): void {
    const found = this.get(id);
    if (found.builtIn) throw new RpcError('bad_input', `"${found.name}" ships with Edgewise and cannot be deleted.`);
    transaction(this.db, () => {
      this.db.prepare('DELETE FROM presets WHERE id = ?').run(id);
      this.db.prepare('DELETE FROM model_presets WHERE preset_id = ?').run(id);
    });
  }

  /** Model id → preset id, for every model that has a default. */
  modelDefaults(): Record<string, string> {
    const rows = this.db.prepare('SELECT model_id, preset_id FROM model_presets').all() as {
      model_id: string;
      preset_id: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.model_id, r.preset_id]));
  }

  setModelDefault(modelId: string, presetId: string | null): void {
    if (presetId === null) {
      this.db.prepare('DELETE FROM model_presets WHERE model_id = ?').run(modelId);
      return;
    }
    this.get(presetId);
    this.db
      .prepare(
        'INSERT INTO model_presets (model_id, preset_id) VALUES (?, ?) ON CONFLICT(model_id) DO UPDATE SET preset_id = excluded.preset_id',
      )
      .run(modelId, presetId);
  }

  /** The preset a new conversation with this model starts from, if the model has one. */
  forModel(modelId: string | null): Preset | null {
    if (!modelId) return null;
    const presetId = this.modelDefaults()[modelId];
    return presetId ? (this.list().find((p) => p.id === presetId) ?? null) : null;
  }
}
