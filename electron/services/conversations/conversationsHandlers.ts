// Export, import and search of conversations.
import type { Handlers } from '../../../shared/rpc.ts';
import type { conversationsContract } from '../../../shared/contract/conversations.ts';
import type { AppEmit } from '../events.ts';
import type { SearchStore } from '../store/searchStore.ts';
import type { Exporter } from './exporter.ts';

export function conversationsHandlers(deps: {
  exporter: Exporter;
  search: SearchStore;
  emit: AppEmit;
}): Handlers<typeof conversationsContract> {
  const { exporter, search, emit } = deps;
  return {
    'conversations.export': ({ id, format }) => exporter.export(id, format),
    'conversations.import': ({ content }) => {
      const result = exporter.import(content);
      // One event, not one per conversation: each makes every window reload its list.
      if (result.ids[0]) emit('conversations.changed', { id: result.ids[0] });
      return result;
    },
    'conversations.search': ({ query, limit }) => search.search(query, limit),
  };
}
