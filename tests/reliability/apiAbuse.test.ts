// The local API under abuse, on 127.0.0.1 against the real `edgewise serve`: slowloris clients, 1,000
// connections opened and dropped, oversized and malformed bodies on /v1, and a WebSocket flood. Each is
// answered with a clear error or cut off, another client is served meanwhile, and the server's memory
// stays bounded (read from /proc, not from the test's own process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect as tcpConnect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { demoModel, repoRoot, tempDir } from '../fixtures.ts';

let child: ChildProcess;
let base: string;
let token: string;
let apiKey: string;
const figures: Record<string, number | string> = {};

const rssMb = () => {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
  return Math.round(kb / 1024);
};

beforeAll(async () => {
  child = spawn(
    process.execPath,
    [join(repoRoot, 'electron/cli/index.ts'), 'serve', '--gpu', 'cpu', '--model', demoModel],
    {
      env: { ...process.env, EDGEWISE_DATA_DIR: tempDir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Model ready')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${output}`)));
  });
  const url = new URL(/serving at (\S+)/.exec(output)![1]!);
  base = `http://${url.host}`;
  token = url.searchParams.get('token')!;
  apiKey = /API key: (\S+)\)/.exec(output)![1]!;
  figures.rssAtStartMb = rssMb();
});

afterAll(async () => {
  console.log('abuse figures', JSON.stringify(figures));
  if (child.exitCode === null) {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }
});

const models = async () => {
  const started = Date.now();
  const res = await fetch(`${base}/v1/models`, { headers: { Authorization: `Bearer ${apiKey}` } });
  expect(res.status).toBe(200);
  return Date.now() - started;
};
const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', ...headers },
    body,
  });

function socket(): Promise<Socket> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const s = tcpConnect(Number(port), hostname, () => resolve(s));
    s.once('error', reject);
  });
}

describe('the local API under abuse', () => {
  it('slowloris: 50 clients dribbling their headers are cut off, others are served meanwhile', async () => {
    const { host } = new URL(base);
    const clients = await Promise.all(Array.from({ length: 50 }, socket));
    const started = Date.now();
    const closedAt = clients.map(
      (s) =>
        new Promise<number>((resolve) => {
          s.on('error', () => {});
          s.once('close', () => resolve(Date.now() - started));
        }),
    );
    const request = `GET /v1/models HTTP/1.1\r\nHost: ${host}\r\nX-Slow: ${'a'.repeat(200)}`;
    let i = 0;
    const drip = setInterval(() => {
      for (const s of clients) if (!s.destroyed) s.write(request[i % request.length]!);
      i++;
    }, 200);
    try {
      // Served while all 50 are still held open: before the first of them is cut off, however slowly this
      // machine answers (a fixed limit here measured its load, not the server).
      await models();
      const servedAt = Date.now() - started;
      const times = await Promise.all(closedAt);
      figures.slowlorisCutOffAfterMs = Math.max(...times);
      figures.servedDuringSlowlorisAfterMs = servedAt;
      expect(servedAt).toBeLessThan(Math.min(...times));
      // headersTimeout is 10 s, checked every second.
      expect(Math.max(...times)).toBeLessThan(13_000);
      expect(Math.min(...times)).toBeGreaterThanOrEqual(9_000);
    } finally {
      clearInterval(drip);
      for (const s of clients) s.destroy();
    }
    expect(await models()).toBeLessThan(2000);
  }, 30_000);

  it('1,000 connections opened and dropped, half of them mid-request: still serving, memory bounded', async () => {
    const { host } = new URL(base);
    const before = rssMb();
    for (let batch = 0; batch < 10; batch++) {
      const clients = await Promise.all(Array.from({ length: 100 }, socket));
      clients.forEach((s, n) => {
        s.on('error', () => {});
        if (n % 2)
          s.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 500000\r\n\r\n{"mod`);
      });
      for (const s of clients) s.destroy();
    }
    expect(await models()).toBeLessThan(2000);
    figures.connectionsRssBeforeMb = before;
    figures.connectionsRssAfterMb = rssMb();
    expect(rssMb() - before).toBeLessThan(64);
  }, 60_000);

  it('a body declared too large is read to its end and dropped: the sender gets the 413 and keeps its connection', async () => {
    // Answering before the body is read and closing made a client still writing it fail with EPIPE now
    // and then, and never see the 413 (a CI flake). Here the body goes out in 64 KB pieces, each after
    // the last has drained; then a second request goes on the same connection.
    const s = await socket();
    let received = '';
    s.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const closed = new Promise<string>((resolve) => s.once('close', () => resolve('closed')));
    const { host } = new URL(base);
    const size = 2 << 20;
    s.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${apiKey}\r\n`);
    s.write(`Content-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`);
    const piece = Buffer.alloc(64 * 1024, 32);
    for (let sent = 0; sent < size; sent += piece.length)
      if (!s.write(piece)) await new Promise((resolve) => s.once('drain', resolve));
    const responded = (count: number) =>
      new Promise<string>((resolve) => {
        const check = () => (received.split('HTTP/1.1 ').length > count ? resolve(received) : undefined);
        s.on('data', check);
        check();
      });
    expect(await Promise.race([responded(1), closed])).toMatch(
      /^HTTP\/1\.1 413 .*The request body is larger than 1 MB\./s,
    );
    expect(received).not.toMatch(/connection: close/i);
    s.write(`GET /v1/models HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${apiKey}\r\n\r\n`);
    expect(await Promise.race([responded(2), closed])).toMatch(/HTTP\/1\.1 200 OK/);
    s.destroy();
  }, 30_000);

  it('bodies: too large, malformed, wrong types and huge messages arrays each get a clear 4xx', async () => {
    const big = await post(
      JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'x'.repeat(2 << 20) }] }),
    );
    expect(big.status).toBe(413);
    expect((await big.json()).error.message).toBe('The request body is larger than 1 MB.');
    // Streamed without a length: cut off at 1 MB, not read to the end.
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let k = 0; k < 40; k++) controller.enqueue(new Uint8Array(256 * 1024).fill(32));
        controller.close();
      },
    });
    const chunked = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}` },
      body: endless,
      duplex: 'half',
    } as RequestInit).catch((error: Error) => error);
    if (chunked instanceof Error) figures.chunkedOversize = `connection closed: ${chunked.message}`;
    else expect(chunked.status).toBe(413);

    const malformed = await post('{"model": "default", "messages": [');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.message).toBe('The request body is not valid JSON.');

    const wrong = await post(JSON.stringify({ model: 42, messages: 'hello', temperature: 'hot' }));
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.message).toMatch(/model: .*expected string.*messages: .*expected array/);

    const many = Array.from({ length: 30_000 }, () => ({ role: 'user', content: 'hi' }));
    const huge = await post(JSON.stringify({ model: 'default', messages: many }));
    expect(huge.status).toBe(400);
    expect((await huge.json()).error.message).toMatch(/messages: Too big: expected array to have <=1000 items/);

    const wrongItems = Array.from({ length: 900 }, () => ({ role: 'robot', content: 7 }));
    const echoed = await post(JSON.stringify({ model: 'default', messages: wrongItems }));
    expect(echoed.status).toBe(400);
    const message = (await echoed.json()).error.message as string;
    expect(message).toMatch(/\(and \d+ more\)$/);
    expect(message.length).toBeLessThan(2000);
    expect(await models()).toBeLessThan(2000);
  }, 60_000);

  it('a WebSocket flooding 20,000 messages: each answered, another client served, a non-reader cut off', async () => {
    const { host } = new URL(base);
    const open = (): Promise<WebSocket> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://${host}/rpc?token=${token}`);
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const before = rssMb();
    const flooder = await open();
    const bystander = await open();
    const replies = { bad: 0, busy: 0, ok: 0 };
    flooder.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.t !== 'result') return;
      if (m.ok) replies.ok++;
      else if (m.error.code === 'busy') replies.busy++;
      else replies.bad++;
    });
    const total = 20_000;
    for (let n = 0; n < total; n++) {
      if (n % 4 === 0) flooder.send('{not json');
      else if (n % 4 === 1) flooder.send(JSON.stringify({ t: 'call', id: n, name: 'no.such.call', args: {} }));
      else flooder.send(JSON.stringify({ t: 'call', id: n, name: 'conversations.list', args: {} }));
    }
    // The bystander is answered while the flood is being worked through.
    const asked = Date.now();
    const answered = await new Promise<number>((resolve) => {
      bystander.on('message', (data) => {
        const m = JSON.parse(data.toString());
        if (m.t === 'result' && m.id === 1) resolve(Date.now() - asked);
      });
      bystander.send(JSON.stringify({ t: 'call', id: 1, name: 'engine.status', args: {} }));
    });
    figures.bystanderAnsweredMs = answered;
    expect(answered).toBeLessThan(5000);
    await expect.poll(() => replies.bad + replies.busy + replies.ok, { timeout: 30_000 }).toBe(total);
    // Not-JSON is always refused as bad input; unknown calls are too, unless refused as busy first
    // (calls beyond 64 in flight on one socket are turned away before they are looked at).
    expect(replies.bad).toBeGreaterThanOrEqual(total / 4);
    expect(replies.ok).toBeGreaterThan(0);
    expect(replies.bad + replies.busy).toBeGreaterThanOrEqual(total / 2);
    Object.assign(figures, { floodOk: replies.ok, floodBusy: replies.busy, floodBad: replies.bad });

    // A client that floods but never reads is disconnected once its unread replies pass 8 MB.
    const deaf = await open();
    const closed = new Promise<number>((resolve) => deaf.once('close', (code) => resolve(code)));
    (deaf as unknown as { _socket: Socket })._socket.pause();
    const call = JSON.stringify({ t: 'call', id: 1, name: 'catalog.list', args: {} });
    // It keeps sending until it is cut off: a fixed count was not always enough on a busy machine, where
    // more calls are refused as busy (short replies) and the reader woke up before 8 MB were waiting.
    let sent = 0;
    for (; sent < 500_000 && deaf.readyState === deaf.OPEN; sent++) {
      deaf.send(call);
      if (sent % 200 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    figures.deafCutOffAfterCalls = sent;
    (deaf as unknown as { _socket: Socket })._socket.resume();
    expect([1006, 1008]).toContain(await closed);
    figures.floodRssBeforeMb = before;
    figures.floodRssAfterMb = rssMb();
    expect(rssMb() - before).toBeLessThan(128);
    flooder.close();
    bystander.close();
    expect(await models()).toBeLessThan(2000);
  }, 90_000);
});
