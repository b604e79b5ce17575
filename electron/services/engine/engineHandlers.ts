// The engine's calls: its status, and loading a model by id.
import type { Handlers } from '../../../shared/rpc.ts';
import type { engineContract } from '../../../shared/contract/engine.ts';
import type { EngineHost } from './engineHost.ts';
import type { ModelLibrary } from '../library/modelLibrary.ts';
import type { ModelLoader } from './modelLoader.ts';

export function engineHandlers(deps: {
  engine: Pick<EngineHost, 'status'>;
  library: Pick<ModelLibrary, 'get'>;
  loader: Pick<ModelLoader, 'load'>;
}): Handlers<typeof engineContract> {
  const { engine, library, loader } = deps;
  return {
    'engine.status': () => engine.status,
    'engine.load': async ({ modelId, gpu }) => loader.load(await library.get(modelId), gpu),
  };
}
