import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { catalog } from './catalog.ts';
import { repoRoot } from '../tests/fixtures.ts';

describe('models/catalog.json', () => {
  const data = JSON.parse(readFileSync(join(repoRoot, 'models', 'catalog.json'), 'utf8'));
  it('matches its schema', () => {
    const result = catalog.safeParse(data);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
  });
  it('the bundled demo model matches its catalog size and sha256', () => {
    const file = catalog.parse(data).models[0]!.files[0]!;
    const bytes = readFileSync(join(repoRoot, 'models', file.name));
    expect(bytes.length).toBe(file.sizeBytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
  });
  it('a malformed catalog is refused', () => {
    expect(catalog.safeParse({ version: 1, models: [{ id: 'X Y', files: [] }] }).success).toBe(false);
  });
});
