// The headless shell: the built UI and the contract over WebSocket, on 127.0.0.1 unless the user
// explicitly asks for another address. The printed URL carries a random token; nothing works without it.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { LocalApiKey } from '../services/router/localApiKey.ts';
import { SecretStore } from '../services/router/secretStore.ts';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { appContract } from '../../shared/contract.ts';
import { createDispatcher, type RpcMessage } from '../../shared/rpc.ts';
import { contentSecurityPolicy } from '../common/csp.ts';
import { createApp, type App, type AppOptions } from '../services/app.ts';
import { forkWorker } from '../services/engine/workerProcess.ts';
import type { AppEmit } from '../services/events.ts';
import { allowedHosts, hostAllowed, originAllowed, tokenMatches } from './httpGuards.ts';
import { serveStatic } from './staticFiles.ts';
import { handleOpenAi } from './openaiApi.ts';
import { httpLimits, MAX_UNREAD_BYTES, serveSocket } from './abuseLimits.ts';

const MAX_MESSAGE_BYTES = 1 << 20;

export interface ServeOptions extends Partial<Omit<AppOptions, 'emit' | 'shell'>> {
  dataDir: string;
  port?: number;
  host?: string;
  token?: string;
  /** Key for the OpenAI-compatible API under /v1, for this run only; otherwise the stored one. */
  apiKey?: string;
  rendererDir: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  /** The /v1 key now (kept in secrets.json across restarts unless given in the options). */
  readonly apiKey: string;
  apiKeyProblem: string | null;
  rotateApiKey(): string;
  app: App;
  server: Server;
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sockets = new Set<WebSocket>();
  const emit: AppEmit = (name, payload) => {
    const data = JSON.stringify({ t: 'event', name, payload } satisfies RpcMessage);
    for (const socket of sockets) {
      // A client that stopped reading is cut off rather than buffered for without end.
      if (socket.bufferedAmount > MAX_UNREAD_BYTES) socket.terminate();
      else if (socket.readyState === socket.OPEN) socket.send(data);
    }
  };
  // Made once the app holds the data folder; Settings reads and rotates it through the contract.
  let apiKey: LocalApiKey | null = null;
  const app = await createApp({
    ...options,
    spawn: options.spawn ?? forkWorker,
    emit,
    shell: 'headless',
    localApi: () => apiKey,
    // A tool call's consent is asked of the browsers connected now; with none, no one can answer it.
    listening: () => sockets.size > 0,
  });
  const dispatch = createDispatcher(appContract, app.handlers);
  const key = (apiKey = new LocalApiKey(new SecretStore(options.dataDir), options.apiKey));

  let allowed = new Set<string>();
  const server = createServer(httpLimits, (req, res) => {
    if (!hostAllowed(req.headers.host, allowed)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Refused: unexpected Host header');
      return;
    }
    if (req.url?.startsWith('/v1/')) {
      if (!originAllowed(req.headers.origin, allowed)) {
        res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Refused: foreign Origin');
        return;
      }
      void handleOpenAi(req, res, app, () => key.current());
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const csp = contentSecurityPolicy(`ws://${req.headers.host}`);
    void serveStatic(options.rendererDir, url.pathname, res, csp);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: number, why: string) => {
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/rpc') return refuse(404, 'Not Found');
    if (!hostAllowed(req.headers.host, allowed)) return refuse(421, 'Misdirected Request');
    if (!originAllowed(req.headers.origin, allowed)) return refuse(403, 'Forbidden');
    if (!tokenMatches(url.searchParams.get('token'), token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => {
        sockets.delete(ws);
        if (sockets.size === 0) app.toolAsker.noOneLeft();
      });
      serveSocket(ws, dispatch);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowed = allowedHosts(host, port);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    get apiKey() {
      return key.current();
    },
    apiKeyProblem: key.problem,
    rotateApiKey: () => key.rotate(),
    app,
    server,
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await app.dispose();
    },
  };
}
