// For the stores' tests: the renderer's own client over the preload bridge path, answered by the contract's
// real dispatcher (which parses every call's arguments and results) on a later task, as over a real channel.
import { appContract, type AppContract } from '../../../shared/contract.ts';
import { createDispatcher, type Handlers, type RpcMessage } from '../../../shared/rpc.ts';
import { connectClient } from '../rpc/client.ts';

/** Connects the client to `handlers`; `onCall` sees each call's name. Resolves to an event sender. */
export async function connectTestBridge(
  handlers: Partial<Handlers<AppContract>>,
  onCall: (name: string) => void = () => {},
): Promise<(name: string, payload: unknown) => void> {
  const dispatch = createDispatcher(appContract, handlers as Handlers<AppContract>);
  const toRenderer = new Set<(message: RpcMessage) => void>();
  const bridge = {
    send(message: RpcMessage) {
      if (message.t === 'call') onCall(message.name);
      setTimeout(() => void dispatch(message, (reply) => toRenderer.forEach((l) => l(reply))), 0);
    },
    onMessage(listener: (message: RpcMessage) => void) {
      toRenderer.add(listener);
      return () => toRenderer.delete(listener);
    },
  };
  (globalThis as { window?: unknown }).window = { edgewise: bridge };
  await new Promise<void>((resolve) => connectClient((up) => up && resolve()));
  return (name, payload) => toRenderer.forEach((l) => l({ t: 'event', name, payload }));
}
