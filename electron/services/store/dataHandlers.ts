// The data folder's calls: what the start-up checks found, and the backups (a restore stops any
// answer being written first, then tells every window to reload).
import type { Handlers } from '../../../shared/rpc.ts';
import type { dataContract } from '../../../shared/contract/data.ts';
import type { ChatService } from '../chat/chatService.ts';
import type { AppEmit } from '../events.ts';
import type { DataService } from './dataService.ts';

export function dataHandlers(deps: {
  data: DataService;
  chat: Pick<ChatService, 'stopAll'>;
  emit: AppEmit;
}): Handlers<typeof dataContract> {
  const { data, chat, emit } = deps;
  return {
    'data.health': () => data.status(),
    'backups.list': () => data.list(),
    'backups.create': () => data.backupNow(),
    'backups.restore': async ({ id }) => {
      await chat.stopAll();
      const result = await data.restore(id);
      emit('data.restored', { id });
      return result;
    },
  };
}
