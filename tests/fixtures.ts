// Paths to the real test models beside the repo, and throwaway data folders.
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const sharedModels = join(repoRoot, '..', 'shared', 'models');
export const demoModel = join(sharedModels, 'TinyStories-656K-Q8_0.gguf');
export const f16Model = join(sharedModels, 'TinyStories-656K.f16.gguf');
export const stories260k = join(sharedModels, 'stories260K.gguf');

const made: string[] = [];

/** A new empty folder, removed after the test that made it (or after the file, if made outside a test). */
export function tempDir(prefix = 'edgewise-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** How many folders tempDir() has made so far in this process. */
export const tempDirsMade = () => made.length;

/** Removes the folders made since the count `from` (tests/setup/eachFile.ts calls it). */
export function removeTempDirs(from: number): void {
  for (const dir of made.splice(from)) rmSync(dir, { recursive: true, force: true });
}
