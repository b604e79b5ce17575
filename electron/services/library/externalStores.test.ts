// Ollama's and LM Studio's stores, read from directory trees laid out as those apps lay them out, holding
// real GGUF files; and the library's rename and remove rules.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultStoreDirs, scanLmStudio, scanOllama } from './externalStores.ts';
import { ModelLibrary } from './modelLibrary.ts';
import { openDatabase } from '../store/database.ts';
import { demoModel, f16Model, stories260k, tempDir } from '../../../tests/fixtures.ts';

/** An Ollama store as `ollama pull` leaves it: a manifest per name:tag, blobs named by sha256. */
function ollamaTree(root: string) {
  const digest = createHash('sha256').update(readFileSync(stories260k)).digest('hex');
  mkdirSync(join(root, 'blobs'), { recursive: true });
  copyFileSync(stories260k, join(root, 'blobs', `sha256-${digest}`));
  const params = Buffer.from('{"temperature":0.7}');
  const paramsDigest = createHash('sha256').update(params).digest('hex');
  writeFileSync(join(root, 'blobs', `sha256-${paramsDigest}`), params);
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      digest: `sha256:${'0'.repeat(64)}`,
      size: 2,
    },
    layers: [
      {
        mediaType: 'application/vnd.ollama.image.model',
        digest: `sha256:${digest}`,
        size: readFileSync(stories260k).length,
      },
      { mediaType: 'application/vnd.ollama.image.params', digest: `sha256:${paramsDigest}`, size: params.length },
    ],
  };
  for (const [ns, model, tag] of [
    ['library', 'stories', '260k'],
    ['someone', 'tiny', 'latest'],
  ]) {
    mkdirSync(join(root, 'manifests', 'registry.ollama.ai', ns!, model!), { recursive: true });
    writeFileSync(join(root, 'manifests', 'registry.ollama.ai', ns!, model!, tag!), JSON.stringify(manifest));
  }
  // A half-written manifest is skipped, not fatal.
  writeFileSync(join(root, 'manifests', 'registry.ollama.ai', 'library', 'stories', 'broken'), '{"layers": [');
  return digest;
}

function lmStudioTree(root: string) {
  const dir = join(root, 'lmstudio-community', 'TinyStories-656K-GGUF');
  mkdirSync(dir, { recursive: true });
  copyFileSync(f16Model, join(dir, 'TinyStories-656K.f16.gguf'));
  writeFileSync(join(dir, 'mmproj-model-f16.gguf'), 'not a language model');
  writeFileSync(join(dir, 'README.md'), 'notes');
}

describe("other apps' model stores", () => {
  it('finds Ollama models through their manifests, and LM Studio models by publisher and repository', async () => {
    const ollama = tempDir('edgewise-ollama-');
    const digest = ollamaTree(ollama);
    const lmStudio = tempDir('edgewise-lmstudio-');
    lmStudioTree(lmStudio);
    expect(await scanOllama(ollama)).toEqual([
      { path: join(ollama, 'blobs', `sha256-${digest}`), name: 'stories:260k', source: 'ollama' },
      { path: join(ollama, 'blobs', `sha256-${digest}`), name: 'someone/tiny:latest', source: 'ollama' },
    ]);
    expect(await scanLmStudio(lmStudio)).toEqual([
      {
        path: join(lmStudio, 'lmstudio-community', 'TinyStories-656K-GGUF', 'TinyStories-656K.f16.gguf'),
        name: 'lmstudio-community/TinyStories-656K-GGUF/TinyStories-656K.f16.gguf',
        source: 'lmstudio',
      },
    ]);
    expect(await scanOllama(join(ollama, 'missing'))).toEqual([]);
  });

  it("knows each app's default folders per OS, and OLLAMA_MODELS", () => {
    expect(defaultStoreDirs({}, 'darwin', '/Users/a')).toEqual({
      ollama: ['/Users/a/.ollama/models'],
      lmStudio: ['/Users/a/.lmstudio/models', '/Users/a/.cache/lm-studio/models'],
    });
    expect(defaultStoreDirs({}, 'linux', '/home/a').ollama).toEqual([
      '/home/a/.ollama/models',
      '/usr/share/ollama/.ollama/models',
    ]);
    expect(defaultStoreDirs({ OLLAMA_MODELS: '/data/ollama' }, 'linux', '/home/a').ollama).toEqual(['/data/ollama']);
  });

  it('lists them in the library, used in place, with their GGUF details; removes only what Edgewise owns', async () => {
    const dataDir = tempDir('edgewise-lib-');
    const ollama = tempDir('edgewise-ollama-');
    ollamaTree(ollama);
    const lmStudio = tempDir('edgewise-lmstudio-');
    lmStudioTree(lmStudio);
    mkdirSync(join(dataDir, 'models'));
    copyFileSync(demoModel, join(dataDir, 'models', 'mine.gguf'));
    const db = openDatabase(join(dataDir, 'edgewise.db'));
    const library = new ModelLibrary({
      db,
      bundledDir: tempDir(),
      modelsDir: join(dataDir, 'models'),
      stores: () => ({ ollama: [ollama], lmStudio: [lmStudio] }),
    });
    const added = await library.add(stories260k);

    const models = await library.list();
    const bySource = (s: string) => models.filter((m) => m.source === s);
    expect(bySource('ollama').map((m) => m.name)).toEqual(['stories:260k']);
    // The same blob under a second name is one file: listed once.
    expect(bySource('ollama')[0]).toMatchObject({ architecture: 'llama', quantization: 'F32', contextLength: 2048 });
    expect(bySource('lmstudio')[0]).toMatchObject({ quantization: 'F16', hasChatTemplate: false });
    expect(bySource('library')[0]!.path).toBe(join(dataDir, 'models', 'mine.gguf'));

    library.rename(bySource('ollama')[0]!.id, 'Karpathy stories');
    await expect(library.remove(bySource('ollama')[0]!.id)).rejects.toThrow(
      /belongs to Ollama; remove it with "ollama rm stories:260k"/,
    );
    await expect(library.remove(bySource('lmstudio')[0]!.id)).rejects.toThrow(/belongs to LM Studio/);
    expect(existsSync(bySource('ollama')[0]!.path)).toBe(true);

    library.rename(bySource('library')[0]!.id, 'My story model');
    expect((await library.list()).find((m) => m.source === 'library')!.name).toBe('My story model');
    expect((await library.get(bySource('library')[0]!.id)).name).toBe('My story model');
    expect(await library.remove(bySource('library')[0]!.id)).toMatchObject({ deleted: true });
    expect(existsSync(join(dataDir, 'models', 'mine.gguf'))).toBe(false);
    await expect(library.get(bySource('library')[0]!.id)).rejects.toThrow(/No model/);
    expect(await library.remove(added.id)).toMatchObject({ deleted: false });
    expect(existsSync(stories260k)).toBe(true);
  });
});
