// Limits that keep the headless shell serving everyone else when one client misbehaves: a client that
// sends its headers a byte at a time (slowloris), a body that never ends, a WebSocket that floods calls
// or never reads its replies. Each is answered with a clear error or cut off; nothing queues unbounded.
import type { ServerOptions } from 'node:http';
import type { WebSocket } from 'ws';
import { isRpcMessage, type RpcMessage } from '../../shared/rpc.ts';

export const httpLimits = {
  /** The whole header block must arrive within this; Node's default is a minute. */
  headersTimeout: 10_000,
  /** The whole request (headers and body) within this; an answer may stream for longer. */
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  /** How often Node checks the two timeouts above (default 30 s, which would let them run late). */
  connectionsCheckingInterval: 1_000,
  maxHeaderSize: 16 * 1024,
} satisfies ServerOptions;

/** A socket's calls still being worked on; past this, new ones are refused as busy until some finish. */
export const MAX_CALLS_IN_FLIGHT = 64;
/** Replies waiting for a client that does not read them; past this, the socket is closed. */
export const MAX_UNREAD_BYTES = 8 * 1024 * 1024;

type Dispatch = (message: RpcMessage, reply: (message: RpcMessage) => void) => Promise<void>;

function refusal(id: unknown, message: string, code: 'bad_input' | 'busy' = 'bad_input'): RpcMessage {
  return { t: 'result', id: typeof id === 'number' ? id : -1, ok: false, error: { code, message } };
}

/** Serves the contract on one WebSocket, answering malformed and excess messages instead of dropping them. */
export function serveSocket(ws: WebSocket, dispatch: Dispatch): void {
  let inFlight = 0;
  const send = (message: RpcMessage) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_UNREAD_BYTES) {
      ws.close(1008, 'Too many unread replies; reconnect and read them');
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(message));
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) return send(refusal(null, 'Binary messages are not part of the contract; send JSON text.'));
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return send(refusal(null, 'The message is not valid JSON.'));
    }
    if (!isRpcMessage(message) || message.t !== 'call')
      return send(
        refusal((message as { id?: unknown })?.id, 'Expected a call: {"t":"call","id":N,"name":…,"args":…}.'),
      );
    if (inFlight >= MAX_CALLS_IN_FLIGHT)
      return send(refusal(message.id, `More than ${MAX_CALLS_IN_FLIGHT} calls at once on one connection.`, 'busy'));
    inFlight++;
    void dispatch(message, send).finally(() => inFlight--);
  });
}
