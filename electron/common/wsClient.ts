// A contract client over the headless shell's WebSocket, as the UI uses it (the benchmark tool and tests).
import WebSocket from 'ws';
import { createClient, type Client, type RpcMessage } from '../../shared/rpc.ts';
import type { AppContract } from '../../shared/contract.ts';

export async function connect(shellUrl: string): Promise<{ client: Client<AppContract>; close(): void }> {
  const url = new URL(shellUrl);
  const ws = new WebSocket(`ws://${url.host}/rpc?token=${url.searchParams.get('token')}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const listeners = new Set<(m: RpcMessage) => void>();
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as RpcMessage;
    for (const l of listeners) l(m);
  });
  const client = createClient<AppContract>({
    send: (m) => ws.send(JSON.stringify(m)),
    onMessage: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  });
  return { client, close: () => ws.terminate() };
}
