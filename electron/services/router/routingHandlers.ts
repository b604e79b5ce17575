// Routing's calls: its settings, the local servers it finds, which tier answered how often, and the
// user's answer to a partner-cloud consent request.
import type { Handlers } from '../../../shared/rpc.ts';
import type { routingContract } from '../../../shared/contract/routing.ts';
import type { ConversationStore } from '../store/conversationStore.ts';
import type { RoutingService } from './routingService.ts';
import type { ConsentGate } from './consentGate.ts';
import { RpcError } from '../../../shared/rpc.ts';
import type { LocalApiKey } from './localApiKey.ts';

/** The /v1 key of the shell that serves the API; the desktop app serves none. */
export type LocalApiAccess = () => Pick<LocalApiKey, 'current' | 'rotate' | 'problem'> | null;

const NO_LOCAL_API =
  'This app serves no OpenAI-compatible API; `edgewise serve` does, and shows its key in its own Routing view.';

function keyView(api: ReturnType<LocalApiAccess>) {
  return api ? { key: api.current(), note: api.problem } : { key: null, note: NO_LOCAL_API };
}

export function routingHandlers(deps: {
  routing: Pick<RoutingService, 'get' | 'update' | 'detect'>;
  consent: Pick<ConsentGate, 'answer'>;
  store: Pick<ConversationStore, 'tierCounts'>;
  localApi?: LocalApiAccess;
}): Handlers<typeof routingContract> {
  const { routing, consent, store } = deps;
  const localApi = deps.localApi ?? (() => null);
  return {
    'routing.get': () => routing.get(),
    'routing.set': (change) => routing.update(change),
    'routing.detect': () => routing.detect(),
    'routing.history': () => store.tierCounts(),
    'routing.apiKey': () => keyView(localApi()),
    'routing.rotateApiKey': () => {
      const api = localApi();
      if (!api) throw new RpcError('bad_input', NO_LOCAL_API);
      api.rotate();
      return keyView(api);
    },
    'route.consent': ({ messageId, answer }) => ({ ok: consent.answer(messageId, answer) }),
  };
}
