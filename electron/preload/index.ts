// The only thing the page gets: one object that carries contract messages, nothing else. Calls with
// a name the contract does not declare are dropped here; main checks the sender and parses the payload.
import { contextBridge, ipcRenderer } from 'electron';
import { callNames, eventNames, IPC_CHANNEL } from '../../shared/contract.ts';
import type { RpcMessage } from '../../shared/rpc.ts';

const calls = new Set<string>(callNames);
const events = new Set<string>(eventNames);

contextBridge.exposeInMainWorld('edgewise', {
  send(message: RpcMessage) {
    if (message?.t === 'call' && calls.has(message.name)) ipcRenderer.send(IPC_CHANNEL, message);
  },
  onMessage(listener: (message: RpcMessage) => void) {
    const handler = (_event: unknown, message: RpcMessage) => {
      if (message.t === 'result' || (message.t === 'event' && events.has(message.name))) listener(message);
    };
    ipcRenderer.on(IPC_CHANNEL, handler);
    return () => ipcRenderer.removeListener(IPC_CHANNEL, handler);
  },
});
