// The renderer knows the contract, never the transport: Electron's preload bridge when present,
// otherwise a WebSocket to the headless shell (token from the page URL). Reconnects if it drops.
import { createClient, type Client, type RpcMessage, type Transport } from '../../../shared/rpc.ts';
import type { AppContract } from '../../../shared/contract.ts';

interface Bridge {
  send(message: RpcMessage): void;
  onMessage(listener: (message: RpcMessage) => void): () => void;
}
declare global {
  interface Window {
    edgewise?: Bridge;
  }
}

function webSocketTransport(onConnection: (up: boolean) => void): Transport {
  const listeners = new Set<(message: RpcMessage) => void>();
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = `ws://${location.host}/rpc?token=${encodeURIComponent(token)}`;
  let socket: WebSocket;
  let queue: RpcMessage[] = [];
  const connect = () => {
    socket = new WebSocket(url);
    socket.onopen = () => {
      onConnection(true);
      for (const m of queue) socket.send(JSON.stringify(m));
      queue = [];
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as RpcMessage;
      for (const l of listeners) l(message);
    };
    socket.onclose = () => {
      onConnection(false);
      setTimeout(connect, 500);
    };
  };
  connect();
  return {
    send(message) {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
      else queue.push(message);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function connect(onConnection: (up: boolean) => void): Client<AppContract> {
  if (window.edgewise) {
    const client = createClient<AppContract>(window.edgewise);
    // Announced after this returns, so a caller that loads data on connection already holds the client.
    queueMicrotask(() => onConnection(true));
    return client;
  }
  return createClient<AppContract>(webSocketTransport(onConnection));
}
