// The composition root: constructs the services, wires them together, and merges each service
// folder's handlers into the whole contract. Every shell (Electron, headless, CLI) builds one of these
// and only adapts its transport. No handler logic lives here.
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { appContract, type AppContract } from '../../shared/contract.ts';
import type { Handlers } from '../../shared/rpc.ts';
import type { EngineStatus, FlashAttentionChoice, GpuChoice, ModelInfo } from '../../shared/schemas.ts';
import { EngineHost } from './engine/engineHost.ts';
import type { SpawnWorker } from './engine/workerProcess.ts';
import { DEMO_MODEL_FILE, ModelLibrary } from './library/modelLibrary.ts';
import { openDataService, type DataAccess } from './store/dataService.ts';
import { dataHandlers } from './store/dataHandlers.ts';
import { SavingStore } from './store/savingStore.ts';
import { ChatService } from './chat/chatService.ts';
import type { AppEmit } from './events.ts';
import { appRoot, bundledModelsDir, referenceTextPath } from './paths.ts';
import { SettingsStore } from './store/settingsStore.ts';
import { ThreadCalibrationStore } from './store/threadCalibrationStore.ts';
import { FitService } from './fit/fitService.ts';
import { loadCatalog } from './library/catalogFile.ts';
import { RoutingService } from './router/routingService.ts';
import { SecretStore, type Cipher } from './router/secretStore.ts';
import { ConsentGate } from './router/consentGate.ts';
import { TelemetryService } from './telemetry/telemetryService.ts';
import { powerSources } from './telemetry/powerSources.ts';
import type { PowerState } from './telemetry/powerState.ts';
import { ComparisonStore } from './store/comparisonStore.ts';
import { QuantLab } from './quant/quantLab.ts';
import { sweepPartials } from './quant/quantizer.ts';
import { physicalCores } from './engine/cpuInfo.ts';
import { DownloadManager } from './library/downloadManager.ts';
import { storeChoice, storeDirs } from './library/storeChoice.ts';
import { modelLoader } from './engine/modelLoader.ts';
import { engineHandlers, storedFlashAttention } from './engine/engineHandlers.ts';
import { libraryHandlers } from './library/libraryHandlers.ts';
import { chatHandlers } from './chat/chatHandlers.ts';
import { fitHandlers } from './fit/fitHandlers.ts';
import { routingHandlers, type LocalApiAccess } from './router/routingHandlers.ts';
import { telemetryHandlers } from './telemetry/telemetryHandlers.ts';
import { quantHandlers } from './quant/quantHandlers.ts';
import { conversationsHandlers } from './conversations/conversationsHandlers.ts';
import { Exporter } from './conversations/exporter.ts';
import { TransferStore } from './store/transferStore.ts';
import { SearchStore } from './store/searchStore.ts';
import { PresetStore } from './store/presetStore.ts';
import { presetsHandlers } from './conversations/presetsHandlers.ts';
import { DocumentStore } from './store/documentStore.ts';
import { DocumentService } from './documents/documentService.ts';
import { documentsHandlers } from './documents/documentsHandlers.ts';
import { EmbeddingSetup } from './documents/embeddingSetup.ts';
import { engineEmbedder } from './documents/engineEmbedder.ts';
import { McpServerStore } from './store/mcpServerStore.ts';
import { McpService } from './toolUse/mcpService.ts';
import { ToolConsentGate } from './toolUse/toolConsentGate.ts';
import { ToolAsker } from './toolUse/toolAsker.ts';
import { ConversationTools, documentSearch } from './toolUse/conversationTools.ts';
import { toolsHandlers } from './toolUse/toolsHandlers.ts';
import { z } from 'zod';

const threadSetting = z.number().int().min(1).nullable();

export interface AppOptions {
  dataDir: string;
  spawn: SpawnWorker;
  emit: AppEmit;
  shell: 'electron' | 'headless';
  gpu?: GpuChoice;
  threads?: number | null;
  /** Flash attention, from a flag: wins over the setting. */
  flashAttention?: FlashAttentionChoice;
  /** A model file to load at start instead of the default demo model. */
  modelPath?: string;
  /** Electron's powerMonitor: on battery or not, and the thermal state (macOS only; null elsewhere). */
  powerState?: () => PowerState;
  /** Worker crashes per minute before restarts stop (tests that kill it on purpose raise it). */
  crashLimit?: number;
  /** Encrypts API keys at rest (Electron's safeStorage); without it they sit in a 0600 file. */
  cipher?: Cipher | null;
  /** write (the default) takes the data folder's lock or fails; read works beside another owner. */
  dataAccess?: DataAccess;
  /** How the data folder's lock names this process to a second one ("edgewise serve", say). */
  ownerName?: string;
  /** Tests and the benchmark only: answers never end on their own, only at maxTokens or Stop (EngineHostOptions). */
  ignoreEos?: boolean;
  /** The /v1 key, in the shell that serves the OpenAI-compatible API (shown and rotated in Settings). */
  localApi?: LocalApiAccess;
  /**
   * Whether a window or browser is there to answer a tool call's consent request (the Electron window is
   * open; a browser is connected to the headless shell). Without it every tool that needs consent is
   * refused: "refused: no one to ask".
   */
  listening?: () => boolean;
}

const version = (createRequire(import.meta.url)(join(appRoot(), 'package.json')) as { version: string }).version;

export async function createApp(options: AppOptions) {
  const data = await openDataService({
    dataDir: options.dataDir,
    shell: options.ownerName ?? (options.shell === 'electron' ? 'the Edgewise app' : 'headless Edgewise'),
    access: options.dataAccess ?? 'write',
  });
  const db = data.db;
  const store = new SavingStore(db, (why) => {
    data.saveFailed(why);
    options.emit('data.health', data.status());
  });
  // Only the folder's owner may decide that an answer in progress was interrupted.
  const interrupted = data.owner ? store.markInterrupted() : 0;
  const settings = new SettingsStore(db);
  const library = new ModelLibrary({
    db,
    bundledDir: bundledModelsDir(),
    modelsDir: join(options.dataDir, 'models'),
    stores: () => storeDirs(storeChoice(settings)),
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
  const userThreads = () => options.threads ?? settings.get('engine.threads', threadSetting, null);
  const flashAttention = () => options.flashAttention ?? storedFlashAttention(settings);
  const engine = new EngineHost({
    spawn: options.spawn,
    gpu: options.gpu,
    threads: userThreads,
    flashAttention,
    threadMemory: new ThreadCalibrationStore(db),
    crashLimit: options.crashLimit,
    ignoreEos: options.ignoreEos,
    onStatus: (status: EngineStatus) => options.emit('engine.status', status),
  });

  const fit = new FitService({
    catalog: catalogData,
    settings,
    memory: () => engine.memory(),
    engineThreads: options.threads ?? physicalCores(),
    probeDir: join(options.dataDir, 'probe-models'),
    tokenizerFrom: join(bundledModelsDir(), DEMO_MODEL_FILE),
    timer: (path, threads, promptTokens, decodeTokens, maxSeconds) =>
      engine.speedProbe(path, threads, promptTokens, decodeTokens, maxSeconds),
    flashAttention,
  });

  const loader = modelLoader({ engine, library, fit });
  const loadModel = loader.load;
  // Start-up loads the model the shell was given; until it has, a request for "the default model"
  // (an API call with model "default", a new conversation) must wait for it, or it would load the demo.
  let startup: Promise<void> | null = null;
  async function ensureModel(modelId: string | null): Promise<ModelInfo> {
    if (startup) await startup.catch(() => undefined);
    return loader.ensure(modelId);
  }
  /** The loaded model (the default one if none is), once start-up and any load in progress are done. */
  async function ensureLoadedModel(): Promise<ModelInfo> {
    if (startup) await startup.catch(() => undefined);
    await loader.settled();
    return loader.ensure(engine.loadedModel?.id ?? null);
  }

  const routing = new RoutingService({ settings, secrets: new SecretStore(options.dataDir, options.cipher ?? null) });
  const consent = new ConsentGate();
  const sources = powerSources();
  const telemetry = new TelemetryService({
    sources,
    usage: () => engine.usage(),
    emit: (samples) => options.emit('telemetry.samples', samples),
  });
  const documentStore = new DocumentStore(db);
  const embedding = new EmbeddingSetup({ settings, library, store: documentStore });
  const documents = new DocumentService({
    store: documentStore,
    conversations: store,
    tokens: engine,
    embedder: engineEmbedder({ engine, model: () => embedding.current() }),
    onChange: (conversationId) => options.emit('documents.changed', { conversationId }),
  });
  const mcpStore = new McpServerStore(db);
  const mcp = new McpService(mcpStore);
  const toolAsker = new ToolAsker(options.emit, options.listening ?? (() => false));
  const tools = new ConversationTools({
    mcp,
    store: mcpStore,
    gate: new ToolConsentGate(),
    asker: toolAsker,
    documents: documentSearch(documents),
  });
  const chat = new ChatService({
    store,
    engine,
    emit: options.emit,
    ensureModel,
    routing,
    consent,
    telemetry,
    documents,
    modelContext: async (modelId) => {
      const id = modelId ?? engine.loadedModel?.id;
      return id ? (await library.get(id)).contextLength : null;
    },
    library,
    tools,
  });
  const comparisons = new ComparisonStore(db);
  const lab = new QuantLab({
    library,
    comparisons,
    emit: options.emit,
    threads: options.threads ?? physicalCores(),
    scratchDir: join(options.dataDir, 'tmp'),
    referenceText: referenceTextPath(),
  });

  const presets = new PresetStore(db);
  const handlers: Handlers<AppContract> = {
    'app.info': () => ({ version, dataDir: options.dataDir, shell: options.shell }),
    ...engineHandlers({ engine, library, loader, settings }),
    ...libraryHandlers({ library, downloads, catalog: catalogData, settings, engine, emit: options.emit }),
    ...chatHandlers({ store, chat, library, engine, presets, tools }),
    ...fitHandlers({ fit, library }),
    ...routingHandlers({ routing, consent, store, localApi: options.localApi }),
    ...telemetryHandlers({ sources, store, engine, powerState: options.powerState }),
    ...quantHandlers({ lab, comparisons }),
    ...dataHandlers({ data, chat, emit: options.emit }),
    ...conversationsHandlers({
      exporter: new Exporter(new TransferStore(db), version),
      search: new SearchStore(db),
      emit: options.emit,
    }),
    ...presetsHandlers({ presets, library }),
    ...documentsHandlers({ documents, embedding }),
    ...toolsHandlers({ tools, mcp, asker: toolAsker, conversations: store }),
  };

  function start(): Promise<void> {
    startup ??= startUp().finally(() => {
      startup = null;
    });
    return startup;
  }

  async function startUp(): Promise<void> {
    // A quantization the app did not live to finish leaves a ".partial" file; it is never a model.
    await sweepPartials(library.modelsDir);
    downloads.resumeInterrupted();
    await engine.startWorker();
    const model = options.modelPath ? await library.add(options.modelPath) : await library.defaultModel();
    if (model) await loadModel(model);
  }

  async function dispose(): Promise<void> {
    await chat.stopAll();
    await mcp.dispose();
    lab.dispose();
    await downloads.dispose();
    await engine.dispose();
    store.dispose();
    data.close();
  }

  return {
    contract: appContract,
    handlers,
    engine,
    chat,
    store,
    documents,
    library,
    fit,
    routing,
    consent,
    tools,
    toolAsker,
    mcp,
    telemetry,
    lab,
    comparisons,
    downloads,
    db,
    data,
    interrupted,
    ensureModel,
    ensureLoadedModel,
    start,
    dispose,
  };
}

export type App = Awaited<ReturnType<typeof createApp>>;
