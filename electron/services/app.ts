// Wires the services together and implements the contract. Every shell (Electron, headless, CLI)
// builds one of these and only adapts its transport.
import { join } from 'node:path';
import { totalmem } from 'node:os';
import { createRequire } from 'node:module';
import { appContract, type AppContract } from '../../shared/contract.ts';
import { RpcError, type Handlers } from '../../shared/rpc.ts';
import type { EngineStatus, GpuChoice, ModelInfo } from '../../shared/schemas.ts';
import { EngineHost } from './engine/engineHost.ts';
import type { SpawnWorker } from './engine/workerProcess.ts';
import { ModelLibrary } from './library/modelLibrary.ts';
import { openDatabase } from './store/database.ts';
import { ConversationStore } from './store/conversationStore.ts';
import { ChatService } from './chat/chatService.ts';
import type { AppEmit } from './events.ts';
import { appRoot, bundledModelsDir, referenceTextPath } from './paths.ts';
import { SettingsStore } from './store/settingsStore.ts';
import { FitService } from './fit/fitService.ts';
import { loadCatalog } from './library/catalogFile.ts';
import { RoutingService } from './router/routingService.ts';
import { SecretStore, type Cipher } from './router/secretStore.ts';
import { ConsentGate } from './router/consentGate.ts';
import { TelemetryService } from './telemetry/telemetryService.ts';
import { describeSources, powerSources } from './telemetry/powerSources.ts';
import type { PowerState } from './telemetry/powerState.ts';
import { summarize } from './telemetry/summary.ts';
import { defaultSettings } from '../../shared/schemas.ts';
import { ComparisonStore } from './store/comparisonStore.ts';
import { QuantLab } from './quant/quantLab.ts';
import { sweepPartials } from './quant/quantizer.ts';
import { physicalCores } from './engine/cpuInfo.ts';
import { DownloadManager } from './library/downloadManager.ts';
import { defaultStoreDirs } from './library/externalStores.ts';
import { z } from 'zod';

const storeSettings = z.object({ ollamaDir: z.string().nullable(), lmStudioDir: z.string().nullable() });

export interface AppOptions {
  dataDir: string;
  spawn: SpawnWorker;
  emit: AppEmit;
  shell: 'electron' | 'headless';
  gpu?: GpuChoice;
  threads?: number | null;
  /** A model file to load at start instead of the default demo model. */
  modelPath?: string;
  /** Electron's powerMonitor: on battery or not, and the thermal state (macOS only; null elsewhere). */
  powerState?: () => PowerState;
  /** Worker crashes per minute before restarts stop (tests that kill it on purpose raise it). */
  crashLimit?: number;
  /** Encrypts API keys at rest (Electron's safeStorage); without it they sit in a 0600 file. */
  cipher?: Cipher | null;
}

const version = (createRequire(import.meta.url)(join(appRoot(), 'package.json')) as { version: string }).version;

export function assertFitsInMemory(model: ModelInfo, memory = totalmem()): void {
  if (model.sizeBytes > memory) {
    const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;
    throw new RpcError(
      'model_load_failed',
      `${model.name} needs at least ${gb(model.sizeBytes)} for its weights alone, and this machine has ${gb(memory)} of memory. Choose a smaller quantization or model.`,
    );
  }
}

export async function createApp(options: AppOptions) {
  const db = openDatabase(join(options.dataDir, 'edgewise.db'));
  const store = new ConversationStore(db);
  const interrupted = store.markInterrupted();
  const settings = new SettingsStore(db);
  const storeChoice = () => settings.get('library.stores', storeSettings, { ollamaDir: null, lmStudioDir: null });
  const stores = (chosen = storeChoice()) => {
    const defaults = defaultStoreDirs();
    return {
      ollama: chosen.ollamaDir ? [chosen.ollamaDir] : defaults.ollama,
      lmStudio: chosen.lmStudioDir ? [chosen.lmStudioDir] : defaults.lmStudio,
    };
  };
  const library = new ModelLibrary({
    db,
    bundledDir: bundledModelsDir(),
    modelsDir: join(options.dataDir, 'models'),
    stores,
  });
  const catalogData = loadCatalog();
  const downloads = new DownloadManager({
    db,
    stagingDir: join(options.dataDir, 'downloads'),
    modelsDir: library.modelsDir,
    onChange: (record) => {
      options.emit('downloads.changed', record);
      if (record.state === 'done') options.emit('models.changed', {});
    },
  });
  const engine = new EngineHost({
    spawn: options.spawn,
    gpu: options.gpu,
    threads: options.threads,
    crashLimit: options.crashLimit,
    onStatus: (status: EngineStatus) => options.emit('engine.status', status),
  });

  const fit = new FitService({ catalog: catalogData, settings, memory: () => engine.memory() });

  async function loadModel(model: ModelInfo, gpu?: GpuChoice): Promise<EngineStatus> {
    assertFitsInMemory(model);
    await fit.assertLoadable(model, defaultSettings.contextSize);
    return engine.load({ id: model.id, name: model.name, path: model.path }, gpu);
  }

  async function ensureModel(modelId: string | null): Promise<ModelInfo> {
    const model = modelId ? await library.get(modelId) : await library.defaultModel();
    if (!model) throw new RpcError('model_load_failed', 'No model is available: add a .gguf file first.');
    if (engine.loadedModel?.id !== model.id || engine.status.state !== 'ready') await loadModel(model);
    return model;
  }

  const routing = new RoutingService({ settings, secrets: new SecretStore(options.dataDir, options.cipher ?? null) });
  const consent = new ConsentGate();
  const sources = powerSources();
  const telemetry = new TelemetryService({
    sources,
    usage: () => engine.usage(),
    emit: (samples) => options.emit('telemetry.samples', samples),
  });
  const chat = new ChatService({ store, engine, emit: options.emit, ensureModel, routing, consent, telemetry });
  const comparisons = new ComparisonStore(db);
  const lab = new QuantLab({
    library,
    comparisons,
    emit: options.emit,
    threads: options.threads ?? physicalCores(),
    scratchDir: join(options.dataDir, 'tmp'),
    referenceText: referenceTextPath(),
  });

  const handlers: Handlers<AppContract> = {
    'app.info': () => ({ version, dataDir: options.dataDir, shell: options.shell }),
    'models.list': () => library.list(),
    'models.add': ({ path }) => library.add(path),
    'models.rename': ({ modelId, name }) => {
      library.rename(modelId, name);
      options.emit('models.changed', {});
      return { ok: true as const };
    },
    'models.remove': async ({ modelId }) => {
      if (engine.loadedModel?.id === modelId)
        throw new RpcError('busy', 'This model is loaded; load another one before removing it.');
      const removed = await library.remove(modelId);
      options.emit('models.changed', {});
      return removed;
    },
    'catalog.list': () => catalogData.models,
    'library.stores': () => {
      const chosen = storeChoice();
      return { ...stores(chosen), ...chosen };
    },
    'library.setStores': (change) => {
      settings.set('library.stores', change);
      options.emit('models.changed', {});
      return { ok: true as const };
    },
    'downloads.list': () => downloads.list(),
    'downloads.start': ({ uri }) => {
      const file = catalogData.models.flatMap((m) => m.files).find((f) => f.uri === uri);
      return downloads.start({
        uri,
        fileName: file?.name,
        sha256: file?.sha256 ?? null,
        sizeBytes: file?.sizeBytes ?? null,
      });
    },
    'downloads.pause': ({ id }) => downloads.pause(id),
    'downloads.resume': ({ id }) => downloads.resume(id),
    'downloads.cancel': ({ id }) => downloads.cancel(id),
    'engine.status': () => engine.status,
    'engine.load': async ({ modelId, gpu }) => loadModel(await library.get(modelId), gpu),
    'conversations.list': ({ query }) => store.list(query),
    'conversations.create': async ({ title, modelId }) => {
      if (modelId) await library.get(modelId);
      return store.create(title ?? 'New conversation', modelId ?? engine.loadedModel?.id ?? null);
    },
    'conversations.get': ({ id }) => ({ conversation: store.get(id), messages: store.messages(id) }),
    'conversations.rename': ({ id, title }) => store.update(id, { title }),
    'conversations.update': async ({ id, modelId, settings }) => {
      if (modelId) await library.get(modelId);
      return store.update(id, { modelId, settings });
    },
    'conversations.delete': async ({ id }) => {
      chat.stop(id);
      await chat.settled(id);
      store.delete(id);
      return { ok: true as const };
    },
    'chat.send': ({ conversationId, text }) => chat.send(conversationId, text),
    'chat.stop': ({ conversationId }) => {
      chat.stop(conversationId);
      return { ok: true as const };
    },
    'chat.regenerate': ({ conversationId }) => chat.regenerate(conversationId),
    'chat.escalate': ({ conversationId }) => chat.escalate(conversationId),
    'chat.edit': ({ conversationId, messageId, text }) => chat.edit(conversationId, messageId, text),
    'fit.facts': async () => ({
      catalog: fit.catalogModels(),
      local: await fit.localModels(await library.list()),
      devices: await fit.devices(),
    }),
    'fit.addDevice': ({ name, memoryBytes, memoryType, vramBytes }) =>
      fit.addDevice(name, memoryBytes, memoryType, vramBytes),
    'fit.removeDevice': ({ id }) => fit.removeDevice(id),
    'telemetry.summary': () => summarize(store.answerStats()),
    'telemetry.sources': () => describeSources(sources, engine.status.backend, options.powerState),
    'routing.get': () => routing.get(),
    'routing.set': (change) => routing.update(change),
    'routing.detect': () => routing.detect(),
    'routing.history': () => store.tierCounts(),
    'route.consent': ({ messageId, answer }) => ({ ok: consent.answer(messageId, answer) }),
    'quant.levels': ({ modelId }) => lab.levels(modelId),
    'quant.start': ({ modelId, types }) => lab.startQuantize(modelId, types),
    'quant.cancel': ({ jobId }) => ({ ok: lab.cancel(jobId) }),
    'compare.start': (args) => lab.startCompare(args),
    'compare.cancel': ({ jobId }) => ({ ok: lab.cancel(jobId) }),
    'compare.list': () => comparisons.list(),
    'compare.delete': ({ id }) => {
      comparisons.delete(id);
      return { ok: true as const };
    },
  };

  async function start(): Promise<void> {
    // A quantization the app did not live to finish leaves a ".partial" file; it is never a model.
    await sweepPartials(library.modelsDir);
    downloads.resumeInterrupted();
    await engine.startWorker();
    const model = options.modelPath ? await library.add(options.modelPath) : await library.defaultModel();
    if (model) await loadModel(model);
  }

  async function dispose(): Promise<void> {
    await chat.stopAll();
    lab.dispose();
    await downloads.dispose();
    await engine.dispose();
    db.close();
  }

  return {
    contract: appContract,
    handlers,
    engine,
    chat,
    store,
    library,
    fit,
    routing,
    consent,
    telemetry,
    lab,
    comparisons,
    downloads,
    db,
    interrupted,
    ensureModel,
    start,
    dispose,
  };
}

export type App = Awaited<ReturnType<typeof createApp>>;
