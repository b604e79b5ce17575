// Loading a model into the engine, after the checks that keep an impossible load from starting: the
// weights must fit in memory, and the fit estimate must not rule it out.
import { totalmem } from 'node:os';
import { RpcError } from '../../../shared/rpc.ts';
import { defaultSettings, type EngineStatus, type GpuChoice, type ModelInfo } from '../../../shared/schemas.ts';
import type { EngineHost } from './engineHost.ts';
import type { ModelLibrary } from '../library/modelLibrary.ts';
import type { FitService } from '../fit/fitService.ts';
import { gb } from '../../../shared/format.ts';

export function assertFitsInMemory(model: ModelInfo, memory = totalmem()): void {
  if (model.sizeBytes > memory) {
    throw new RpcError(
      'model_load_failed',
      `${model.name} needs at least ${gb(model.sizeBytes)} for its weights alone, and this machine has ${gb(memory)} of memory. Choose a smaller quantization or model.`,
    );
  }
}

export interface ModelLoader {
  /** Loads this model, replacing the one loaded; warning: it is predicted under the reading speed. */
  load(model: ModelInfo, gpu?: GpuChoice): Promise<EngineStatus & { warning: string | null }>;
  /** The model asked for (or the default one), loaded unless it already is. */
  ensure(modelId: string | null): Promise<ModelInfo>;
  /** Resolves once the load in progress (if any) has finished, whether it worked or not. */
  settled(): Promise<void>;
}

export function modelLoader(deps: {
  engine: EngineHost;
  library: Pick<ModelLibrary, 'get' | 'defaultModel'>;
  fit: Pick<FitService, 'assertLoadable' | 'loadCheck'>;
}): ModelLoader {
  const { engine, library, fit } = deps;
  let inFlight: Promise<unknown> = Promise.resolve();
  function load(model: ModelInfo, gpu?: GpuChoice): Promise<EngineStatus & { warning: string | null }> {
    const loading = checkedLoad(model, gpu);
    inFlight = loading.catch(() => undefined);
    return loading;
  }
  async function checkedLoad(model: ModelInfo, gpu?: GpuChoice): Promise<EngineStatus & { warning: string | null }> {
    assertFitsInMemory(model);
    await fit.assertLoadable(model, defaultSettings.contextSize);
    const warning = await fit.loadCheck(model, defaultSettings.contextSize).catch(() => null);
    return { ...(await engine.load({ id: model.id, name: model.name, path: model.path }, gpu)), warning };
  }
  async function ensure(modelId: string | null): Promise<ModelInfo> {
    // A load already under way for this model is waited for, not started a second time.
    await inFlight;
    const model = modelId ? await library.get(modelId) : await library.defaultModel();
    if (!model) throw new RpcError('model_load_failed', 'No model is available: add a .gguf file first.');
    if (engine.loadedModel?.id !== model.id || engine.status.state !== 'ready') await load(model);
    return model;
  }
  return { load, ensure, settled: () => inFlight.then(() => undefined) };
}
