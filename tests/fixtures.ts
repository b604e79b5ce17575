// Paths to the real test models beside the repo, and throwaway data folders.
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const sharedModels = join(repoRoot, '..', 'shared', 'models');
export const demoModel = join(sharedModels, 'TinyStories-656K-Q8_0.gguf');
export const f16Model = join(sharedModels, 'TinyStories-656K.f16.gguf');
export const stories260k = join(sharedModels, 'stories260K.gguf');

export function tempDir(prefix = 'edgewise-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
