import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../electron/server/server.ts';
import { tempDir } from './fixtures.ts';

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, name: string, args: unknown): Promise<any> {
  return new Promise((resolve) => {
    const id = Math.floor(Math.random() * 1e9);
    const onMessage = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString());
      if (m.t === 'result' && m.id === id) {
        ws.off('message', onMessage);
        resolve(m);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ t: 'call', id, name, args }));
  });
}

describe('headless shell: only its own pages, with the token, get in', () => {
  let server: RunningServer;
  let ws: string;
  beforeAll(async () => {
    const rendererDir = tempDir();
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Edgewise</title>');
    server = await startServer({ dataDir: tempDir(), rendererDir, gpu: 'cpu' });
    ws = `ws://127.0.0.1:${server.port}/rpc`;
  });
  afterAll(async () => {
    await server.close();
  });

  it('listens on 127.0.0.1 and prints a URL with a long random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[\\w-]{32}$`));
    const address = server.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
  });

  it('serves the UI with a strict CSP, and refuses a foreign Host (DNS rebinding) and path escapes', async () => {
    expect(await get(server.port, '/')).toBe(200);
    expect(await get(server.port, '/', { Host: 'evil.example:80' })).toBe(421);
    expect([403, 404]).toContain(await get(server.port, '/%2e%2e/%2e%2e/etc/passwd'));
    expect([403, 404]).toContain(await get(server.port, '/..%2f..%2fetc%2fpasswd'));
  });

  it('refuses WebSockets without the token, with a wrong one, from a foreign Origin or Host', async () => {
    await expect(open(ws)).rejects.toThrow('HTTP 401');
    await expect(open(`${ws}?token=wrong`)).rejects.toThrow('HTTP 401');
    await expect(open(`${ws}?token=${server.token}`, { Origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(open(`${ws}?token=${server.token}`, { Host: 'evil.example' })).rejects.toThrow('HTTP 421');
  });

  it('with the token: calls work and bad payloads are refused', async () => {
    const socket = await open(`${ws}?token=${server.token}`, { Origin: `http://127.0.0.1:${server.port}` });
    const created = await call(socket, 'conversations.create', { title: 'Hello' });
    expect(created).toMatchObject({ ok: true, value: { title: 'Hello' } });
    const list = await call(socket, 'conversations.list', {});
    expect(list.value.map((c: { title: string }) => c.title)).toEqual(['Hello']);
    expect(await call(socket, 'conversations.get', { id: 42 })).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
    expect(await call(socket, 'models.add', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
    socket.close();
  });
});
