// Routing's calls: its settings, the local servers it finds, which tier answered how often, and the
// user's answer to a partner-cloud consent request.
import type { Handlers } from '../../../shared/rpc.ts';
import type { routingContract } from '../../../shared/contract/routing.ts';
import type { ConversationStore } from '../store/conversationStore.ts';
import type { RoutingService } from './routingService.ts';
import type { ConsentGate } from './consentGate.ts';

export function routingHandlers(deps: {
  routing: Pick<RoutingService, 'get' | 'update' | 'detect'>;
  consent: Pick<ConsentGate, 'answer'>;
  store: Pick<ConversationStore, 'tierCounts'>;
}): Handlers<typeof routingContract> {
  const { routing, consent, store } = deps;
  return {
    'routing.get': () => routing.get(),
    'routing.set': (change) => routing.update(change),
    'routing.detect': () => routing.detect(),
    'routing.history': () => store.tierCounts(),
    'route.consent': ({ messageId, answer }) => ({ ok: consent.answer(messageId, answer) }),
  };
}
