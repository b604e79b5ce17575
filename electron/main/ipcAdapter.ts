// The contract over Electron IPC: check the sender (our window's top frame), then the payload.
import type { BrowserWindow, IpcMain, IpcMainEvent } from 'electron';
import { appContract, IPC_CHANNEL } from '../../shared/contract.ts';
import { createDispatcher, isRpcMessage, type Handlers } from '../../shared/rpc.ts';
import type { AppContract } from '../../shared/contract.ts';
import { isTrustedSender } from './security.ts';

export function serveContractOverIpc(
  ipcMain: IpcMain,
  handlers: Handlers<AppContract>,
  window: () => BrowserWindow | null,
  appIndexUrl: string,
) {
  const dispatch = createDispatcher(appContract, handlers);
  ipcMain.on(IPC_CHANNEL, (event: IpcMainEvent, message: unknown) => {
    if (!isTrustedSender(event.senderFrame, window(), event.sender, appIndexUrl)) return;
    if (!isRpcMessage(message)) return;
    void dispatch(message, (reply) => {
      if (!event.sender.isDestroyed()) event.sender.send(IPC_CHANNEL, reply);
    });
  });
}
