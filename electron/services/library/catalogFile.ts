// Reads models/catalog.json and checks it against its schema; a broken catalog is a clear error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog, type Catalog } from '../../../shared/catalog.ts';
import { bundledModelsDir } from '../paths.ts';

export function loadCatalog(path = join(bundledModelsDir(), 'catalog.json')): Catalog {
  const parsed = catalog.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${path} does not match its schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
