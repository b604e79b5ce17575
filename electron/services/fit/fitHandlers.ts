// The fit matrix's calls: the facts it is computed from, and the user's own devices.
import type { Handlers } from '../../../shared/rpc.ts';
import type { fitContract } from '../../../shared/contract/fit.ts';
import type { ModelLibrary } from '../library/modelLibrary.ts';
import type { FitService } from './fitService.ts';
import { defaultSettings } from '../../../shared/schemas.ts';

export function fitHandlers(deps: {
  fit: FitService;
  library: Pick<ModelLibrary, 'list' | 'get'>;
}): Handlers<typeof fitContract> {
  const { fit, library } = deps;
  return {
    'fit.facts': async () => ({
      catalog: fit.catalogModels(),
      local: await fit.localModels(await library.list()),
      devices: await fit.devices(),
      readingSpeed: fit.readingSpeed(),
    }),
    'fit.addDevice': ({ name, memoryBytes, memoryType, vramBytes, bandwidthBytesPerSec, computeFlops, chipId }) =>
      fit.addDevice(name, memoryBytes, memoryType, vramBytes, { bandwidthBytesPerSec, computeFlops, chipId }),
    'fit.measure': () => fit.measure(),
    'fit.setReadingSpeed': ({ tokensPerSec }) => fit.setReadingSpeed(tokensPerSec),
    'fit.loadCheck': async ({ modelId, contextSize }) => ({
      warning: await fit.loadCheck(await library.get(modelId), contextSize ?? defaultSettings.contextSize),
    }),
    'fit.removeDevice': ({ id }) => fit.removeDevice(id),
  };
}
