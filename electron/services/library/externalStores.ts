// GGUF files other apps already downloaded, used in place. Ollama keeps each model as a manifest (an OCI
// image manifest, one file per name and tag) whose "application/vnd.ollama.image.model" layer points at a
// content-addressed blob, itself a GGUF file without an extension. LM Studio keeps plain .gguf files under
// <publisher>/<repository>/.
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ExternalModel {
  path: string;
  name: string;
  source: 'ollama' | 'lmstudio';
}

/** Where each app keeps its models by default on this OS, most likely first. */
export function defaultStoreDirs(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home = homedir(),
) {
  const ollama = env.OLLAMA_MODELS ? [env.OLLAMA_MODELS] : [join(home, '.ollama', 'models')];
  // The Linux install script runs Ollama as its own "ollama" user, with its models under /usr/share/ollama.
  if (!env.OLLAMA_MODELS && platform === 'linux') ollama.push('/usr/share/ollama/.ollama/models');
  // LM Studio 0.3 moved its models from ~/.cache/lm-studio/models to ~/.lmstudio/models.
  const lmStudio = [join(home, '.lmstudio', 'models'), join(home, '.cache', 'lm-studio', 'models')];
  return { ollama, lmStudio };
}

async function dirs(path: string): Promise<string[]> {
  return (await readdir(path, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}

/** manifests/<registry>/<namespace>/<model>/<tag> → blobs/sha256-<hex>. */
export async function scanOllama(root: string): Promise<ExternalModel[]> {
  const found: ExternalModel[] = [];
  const manifests = join(root, 'manifests');
  for (const registry of await dirs(manifests)) {
    for (const namespace of await dirs(join(manifests, registry))) {
      for (const model of await dirs(join(manifests, registry, namespace))) {
        const tags = await readdir(join(manifests, registry, namespace, model), { withFileTypes: true }).catch(
          () => [],
        );
        for (const tag of tags.filter((t) => t.isFile())) {
          try {
            const manifest = JSON.parse(
              await readFile(join(manifests, registry, namespace, model, tag.name), 'utf8'),
            ) as { layers?: { mediaType?: string; digest?: string }[] };
            const layer = manifest.layers?.find((l) => l.mediaType === 'application/vnd.ollama.image.model');
            const digest = /^sha256:([0-9a-f]{64})$/.exec(layer?.digest ?? '')?.[1];
            if (!digest) continue;
            const short =
              registry === 'registry.ollama.ai' && namespace === 'library' ? model : `${namespace}/${model}`;
            found.push({
              path: join(root, 'blobs', `sha256-${digest}`),
              name: `${short}:${tag.name}`,
              source: 'ollama',
            });
          } catch {
            // A manifest being written or from a newer Ollama: skip it rather than fail the list.
          }
        }
      }
    }
  }
  return found;
}

/** <publisher>/<repository>/<file>.gguf, without vision projectors (mmproj files are not language models). */
export async function scanLmStudio(root: string): Promise<ExternalModel[]> {
  const found: ExternalModel[] = [];
  for (const publisher of await dirs(root)) {
    for (const repo of await dirs(join(root, publisher))) {
      const files = await readdir(join(root, publisher, repo), { withFileTypes: true }).catch(() => []);
      for (const f of files) {
        if (!f.isFile() || !f.name.toLowerCase().endsWith('.gguf') || f.name.toLowerCase().startsWith('mmproj'))
          continue;
        found.push({
          path: join(root, publisher, repo, f.name),
          name: `${publisher}/${repo}/${f.name}`,
          source: 'lmstudio',
        });
      }
    }
  }
  return found;
}
