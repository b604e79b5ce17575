// The fit matrix's calls: the facts it is computed from, and the user's own devices.
import type { Handlers } from '../../../shared/rpc.ts';
import type { fitContract } from '../../../shared/contract/fit.ts';
import type { ModelLibrary } from '../library/modelLibrary.ts';
import type { FitService } from './fitService.ts';

export function fitHandlers(deps: {
  fit: FitService;
  library: Pick<ModelLibrary, 'list'>;
}): Handlers<typeof fitContract> {
  const { fit, library } = deps;
  return {
    'fit.facts': async () => ({
      catalog: fit.catalogModels(),
      local: await fit.localModels(await library.list()),
      devices: await fit.devices(),
    }),
    'fit.addDevice': ({ name, memoryBytes, memoryType, vramBytes }) =>
      fit.addDevice(name, memoryBytes, memoryType, vramBytes),
    'fit.removeDevice': ({ id }) => fit.removeDevice(id),
  };
}
