// `--preset NAME`: a shipped preset or one the user saved in the app (read from the data folder).
import { join } from 'node:path';
import type { Preset } from '../../shared/presets.ts';
import { openDatabase } from '../services/store/database.ts';
import { PresetStore } from '../services/store/presetStore.ts';
import { defaultDataDir } from '../services/paths.ts';
import { CliError, exitCodes } from './args.ts';

export function presetNamed(name: string): Preset {
  const db = openDatabase(join(defaultDataDir(), 'edgewise.db'));
  try {
    const presets = new PresetStore(db);
    const found = presets.byName(name);
    if (!found)
      throw new CliError(
        exitCodes.badInput,
        `No preset named "${name}". Presets: ${presets
          .list()
          .map((p) => p.name)
          .join(', ')}.`,
      );
    return found;
  } finally {
    db.close();
  }
}
