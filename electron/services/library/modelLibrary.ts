// The models Edgewise can load: the bundled demo model, the user's models folder, files added by path,
// and what Ollama and LM Studio already downloaded (used in place). Every file passes checkGguf and
// node-llama-cpp's readGgufFileInfo before it is listed.
import type { DatabaseSync } from 'node:sqlite';
import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { fileTypeNames } from '../../../shared/ggmlTypes.ts';
import { RpcError } from '../../../shared/rpc.ts';
import type { ModelInfo } from '../../../shared/schemas.ts';
import { checkGguf, GgufError } from './ggufCheck.ts';
import { scanLmStudio, scanOllama } from './externalStores.ts';
import { dominantType } from '../fit/localFacts.ts';
import { ModelStore } from '../store/modelStore.ts';
import { errorMessage } from '../../../shared/errors.ts';

interface Listed {
  path: string;
  source: ModelInfo['source'];
  storeName?: string;
}

/** Where to look for other apps' models; each list is tried in order. */
export interface StoreDirs {
  ollama: string[];
  lmStudio: string[];
}

export const DEMO_MODEL_FILE = 'TinyStories-656K-Q8_0.gguf';
const DEMO_DESCRIPTION =
  'A 656K-parameter demo model that tells short children\'s stories. It is not a chat assistant: start a story ("Once upon a time") and it continues it.';

export function modelIdFor(path: string): string {
  return 'm-' + createHash('sha256').update(resolve(path)).digest('hex').slice(0, 16);
}

function formatParameters(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(count >= 1e8 ? 0 : 1)}M`;
  return `${Math.round(count / 1e3)}K`;
}

/** Validates a file and reads the facts shown for it. Throws RpcError('bad_input') with a clear message. */
export async function inspectModel(path: string, source: ModelInfo['source'], storeName?: string): Promise<ModelInfo> {
  if (!isAbsolute(path)) throw new RpcError('bad_input', `Give the full path to the model file (got "${path}")`);
  // Ollama's blobs are GGUF files named by their digest, without an extension.
  if (source !== 'ollama' && !path.toLowerCase().endsWith('.gguf'))
    throw new RpcError('bad_input', `${basename(path)} is not a .gguf file`);
  let summary;
  try {
    summary = await checkGguf(path);
  } catch (error) {
    if (error instanceof GgufError) throw new RpcError('bad_input', `${basename(path)}: ${error.message}`);
    throw error;
  }
  let info;
  try {
    info = await readGgufFileInfo(path, { readTensorInfo: true });
  } catch (error) {
    throw new RpcError(
      'bad_input',
      `${basename(path)}: node-llama-cpp cannot read this GGUF file (${errorMessage(error)})`,
    );
  }
  const metadata = info.metadata as Record<string, any>;
  const architecture = String(metadata.general?.architecture ?? 'unknown');
  const fileType = metadata.general?.file_type;
  const parameterCount = (info.fullTensorInfo ?? info.tensorInfo ?? []).reduce(
    (sum, t) => sum + t.dimensions.reduce((a: number, d: number | bigint) => a * Number(d), 1),
    0,
  );
  const contextLength = metadata[architecture]?.context_length;
  const isDemo = basename(path) === DEMO_MODEL_FILE && source === 'bundled';
  return {
    id: modelIdFor(path),
    name: isDemo ? 'TinyStories 656K (demo)' : (storeName ?? String(metadata.general?.name ?? basename(path, '.gguf'))),
    path,
    source,
    sizeBytes: summary.fileSize,
    architecture,
    parameters: parameterCount > 0 ? formatParameters(parameterCount) : null,
    quantization:
      typeof fileType === 'number'
        ? (fileTypeNames[fileType] ?? `type ${fileType}`)
        : dominantType(info.fullTensorInfo ?? info.tensorInfo ?? []),
    contextLength: typeof contextLength === 'number' ? contextLength : null,
    hasChatTemplate: typeof metadata.tokenizer?.chat_template === 'string',
    description: isDemo ? DEMO_DESCRIPTION : '',
  };
}

export class ModelLibrary {
  private readonly store: ModelStore;
  private readonly bundledDir: string;
  readonly modelsDir: string;
  private readonly stores: () => StoreDirs;
  private cache = new Map<string, { mtimeMs: number; size: number; info: ModelInfo }>();
  /** Where each model of the last listing was found, by id. */
  private listed = new Map<string, Listed>();

  constructor(options: { db: DatabaseSync; bundledDir: string; modelsDir: string; stores?: () => StoreDirs }) {
    this.store = new ModelStore(options.db);
    this.bundledDir = options.bundledDir;
    this.modelsDir = options.modelsDir;
    this.stores = options.stores ?? (() => ({ ollama: [], lmStudio: [] }));
  }

  private async inspectCached(path: string, source: ModelInfo['source'], storeName?: string): Promise<ModelInfo> {
    const s = await stat(path);
    const hit = this.cache.get(path);
    if (hit && hit.mtimeMs === s.mtimeMs && hit.size === s.size) return hit.info;
    const info = await inspectModel(path, source, storeName);
    this.cache.set(path, { mtimeMs: s.mtimeMs, size: s.size, info });
    return info;
  }

  private async external(): Promise<[string, ModelInfo['source'], string][]> {
    const { ollama, lmStudio } = this.stores();
    const found = [
      ...(await Promise.all(ollama.map(scanOllama))).flat(),
      ...(await Promise.all(lmStudio.map(scanLmStudio))).flat(),
    ];
    return found.map((m) => [m.path, m.source, m.name]);
  }

  private async scan(dir: string, source: ModelInfo['source']): Promise<[string, ModelInfo['source']][]> {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.gguf'))
      .map((e) => [join(dir, e.name), source]);
  }

  async list(): Promise<ModelInfo[]> {
    const candidates: [string, ModelInfo['source'], string?][] = [
      ...(await this.scan(this.bundledDir, 'bundled')),
      ...(await this.scan(this.modelsDir, 'library')),
      ...this.store.addedPaths().map((path) => [path, 'added'] as [string, ModelInfo['source']]),
      ...(await this.external()),
    ];
    const names = this.store.names();
    const seen = new Set<string>();
    const models: ModelInfo[] = [];
    const listed = new Map<string, Listed>();
    for (const [path, source, storeName] of candidates) {
      if (seen.has(path)) continue;
      seen.add(path);
      // A file that went missing or broke since it was added is left out of the list, not fatal.
      const info = await this.inspectCached(path, source, storeName).catch(() => null);
      if (!info) continue;
      listed.set(info.id, { path, source, storeName });
      models.push(names.has(info.id) ? { ...info, name: names.get(info.id)! } : info);
    }
    this.listed = listed;
    return models;
  }

  /** The model's display name: the one given in Edgewise, if any. */
  private named(info: ModelInfo): ModelInfo {
    const name = this.store.name(info.id);
    return name !== null ? { ...info, name } : info;
  }

  rename(id: string, name: string): void {
    this.store.setName(id, name);
  }

  /**
   * Deletes a file Edgewise owns (its models folder), forgets a file added by path (the file stays),
   * and refuses the bundled model and other apps' files, which are theirs to remove.
   */
  async remove(id: string): Promise<{ deleted: boolean; path: string }> {
    const model = await this.get(id);
    if (model.source === 'bundled')
      throw new RpcError('bad_input', 'The demo model ships with Edgewise and cannot be removed.');
    // Ollama knows it by its own name, not one given here: the cached inspection holds that one.
    const ollamaName = this.cache.get(model.path)?.info.name ?? model.name;
    if (model.source === 'ollama')
      throw new RpcError('bad_input', `${ollamaName} belongs to Ollama; remove it with "ollama rm ${ollamaName}".`);
    if (model.source === 'lmstudio')
      throw new RpcError('bad_input', `${model.name} belongs to LM Studio; remove it there (or delete ${model.path}).`);
    this.store.forgetName(id);
    this.listed.delete(id);
    if (model.source === 'added') {
      this.store.forgetPath(id);
      return { deleted: false, path: model.path };
    }
    await rm(model.path);
    this.cache.delete(model.path);
    return { deleted: true, path: model.path };
  }

  /**
   * One model. Every chat message asks for its model, so a model seen in the last listing is checked
   * on its own (its file unchanged) rather than by scanning every folder and store again.
   */
  async get(id: string): Promise<ModelInfo> {
    const known = this.listed.get(id);
    if (known) {
      const info = await this.inspectCached(known.path, known.source, known.storeName).catch(() => null);
      if (info?.id === id) return this.named(info);
    }
    const model = (await this.list()).find((m) => m.id === id);
    if (!model) throw new RpcError('not_found', `No model ${id}: it may have been moved or deleted`);
    return model;
  }

  async add(path: string): Promise<ModelInfo> {
    const info = await inspectModel(path, 'added');
    this.store.addPath(info.id, path);
    return info;
  }

  async defaultModel(): Promise<ModelInfo | null> {
    const models = await this.list();
    return models.find((m) => m.source === 'bundled' && basename(m.path) === DEMO_MODEL_FILE) ?? models[0] ?? null;
  }
}
