// Routing end to end on real parts: a second Edgewise on loopback plays the private server, and a
// loopback endpoint that counts every request (forwarding to that Edgewise) plays the partner cloud.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../electron/services/app.ts';
import { forkWorker } from '../electron/services/engine/workerProcess.ts';
import { startServer, type RunningServer } from '../electron/server/server.ts';
import { roughTokenCount, streamRemote } from '../electron/services/router/remoteClient.ts';
import type { Message } from '../shared/schemas.ts';
import { demoModel, tempDir } from './fixtures.ts';

const PRIVATE_KEY = 'private-key-0123456789';
const PARTNER_KEY = 'sk-partner-PLANTED-SECRET-42';
let privateServer: RunningServer;
let partner: Server;
let partnerHits = 0;
let partnerUrl = '';
/** When set, the partner answers without usage figures (it drops the request's stream_options). */
let partnerOmitsUsage = false;
let app: App;
let dataDir: string;
const events: { name: string; payload: any }[] = [];

function next(name: string, where: (p: any) => boolean = () => true): Promise<any> {
  return new Promise((resolve) => {
    const seen = events.find((e) => e.name === name && where(e.payload));
    if (seen) {
      events.splice(events.indexOf(seen), 1);
      return resolve(seen.payload);
    }
    const timer = setInterval(() => {
      const hit = events.find((e) => e.name === name && where(e.payload));
      if (hit) {
        clearInterval(timer);
        events.splice(events.indexOf(hit), 1);
        resolve(hit.payload);
      }
    }, 10);
  });
}

async function ask(
  text: string,
): Promise<{ message: Message; consent: any | null; answer?: 'yes' | 'no' | 'yes for this conversation' }> {
  const conversation = app.store.create('test', null);
  const { assistantMessage } = app.chat.send(conversation.id, text);
  return { message: assistantMessage, consent: null };
}

beforeAll(async () => {
  privateServer = await startServer({
    dataDir: tempDir(),
    rendererDir: tempDir(),
    gpu: 'cpu',
    modelPath: demoModel,
    apiKey: PRIVATE_KEY,
  });
  await privateServer.app.start();
  partner = createServer((req, res) => {
    partnerHits++;
    if (req.headers.authorization !== `Bearer ${PARTNER_KEY}`) {
      res.writeHead(401).end('{"error":{"message":"bad key"}}');
      return;
    }
    const forward = (body: Buffer | null) => {
      const upstream = httpRequest(
        {
          host: '127.0.0.1',
          port: privateServer.port,
          method: req.method,
          path: req.url!.replace(/^\/partner/, '/v1'),
          headers: {
            ...req.headers,
            ...(body ? { 'content-length': String(body.length) } : {}),
            host: `127.0.0.1:${privateServer.port}`,
            authorization: `Bearer ${PRIVATE_KEY}`,
          },
        },
        (up) => {
          res.writeHead(up.statusCode!, up.headers);
          up.pipe(res);
        },
      );
      if (body) upstream.end(body);
      else req.pipe(upstream);
    };
    if (!partnerOmitsUsage || req.method !== 'POST') return forward(null);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { stream_options: _dropped, ...rest } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      forward(Buffer.from(JSON.stringify(rest)));
    });
  });
  await new Promise<void>((r) => partner.listen(0, '127.0.0.1', () => r()));
  partnerUrl = `http://127.0.0.1:${(partner.address() as AddressInfo).port}/partner`;
  dataDir = tempDir();
  app = await createApp({
    dataDir,
    spawn: forkWorker,
    shell: 'headless',
    gpu: 'cpu',
    emit: (name, payload) => {
      events.push({ name, payload });
    },
  });
  await app.start();
  app.handlers['routing.set']({
    policy: 'auto',
    partner: {
      name: 'Partner Cloud',
      kind: 'openai',
      baseUrl: partnerUrl,
      model: 'default',
      apiKey: PARTNER_KEY,
      inputPricePerMTok: 3,
      outputPricePerMTok: 15,
    },
  } as never);
  // Two engine workers started and a model loaded in each (the private server's and the app under test's):
  // process start-up and model loads, as slow as the machine is (seconds idle, past 90 s on a loaded one).
}, 180_000);

afterAll(async () => {
  await app?.dispose();
  await privateServer?.close();
  partner?.close();
});

describe('remote tier client', () => {
  const endpoint = (baseUrl: string, apiKey: string | null) => ({
    name: 'Home server',
    kind: 'openai' as const,
    baseUrl,
    model: 'default',
    apiKey,
  });
  const req = {
    systemPrompt: '',
    history: [{ role: 'user' as const, text: 'Once upon a time' }],
    maxTokens: 8,
    temperature: 0,
  };

  it('streams from another Edgewise, and names a wrong key and an unreachable server plainly', async () => {
    const pieces: string[] = [];
    const ok = await streamRemote(
      endpoint(`http://127.0.0.1:${privateServer.port}/v1`, PRIVATE_KEY),
      req,
      (d) => pieces.push(d),
      new AbortController().signal,
    );
    expect(ok).toMatchObject({ outputTokens: 8, stopReason: 'maxTokens' });
    expect(pieces.join('')).toBe(ok.text);
    const wrong = streamRemote(
      endpoint(`http://127.0.0.1:${privateServer.port}/v1`, 'nope'),
      req,
      () => {},
      new AbortController().signal,
    );
    await expect(wrong).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringMatching(/refused the API key \(HTTP 401\)/),
    });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const gone = streamRemote(
      endpoint(`http://127.0.0.1:${port}/v1`, null),
      req,
      () => {},
      new AbortController().signal,
    );
    await expect(gone).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringMatching(/Cannot reach Home server/),
    });
  });

  it('a rate limit and a server that never answers are clear errors too', async () => {
    const slow = createServer((req, res) => {
      if (req.url?.includes('limited'))
        res.writeHead(429, { 'retry-after': '7' }).end('{"error":{"message":"slow down"}}');
      // otherwise never answer
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    await expect(
      streamRemote(endpoint(`${base}/limited`, null), req, () => {}, new AbortController().signal),
    ).rejects.toMatchObject({ kind: 'rate_limit', message: expect.stringMatching(/retry after 7 s/) });
    await expect(
      streamRemote(endpoint(`${base}/hang`, null), req, () => {}, new AbortController().signal, 300),
    ).rejects.toMatchObject({ kind: 'timeout' });
    slow.closeAllConnections();
    slow.close();
  });
});

describe('routing with consent', () => {
  it('asks before anything reaches the partner; "no" answers on the device and sends nothing', async () => {
    const { message } = await ask('Prove that there are infinitely many prime numbers.');
    const request = await next('route.consent', (p) => p.messageId === message.id);
    expect(request).toMatchObject({ partner: 'Partner Cloud', model: 'default' });
    expect(request.sends).toContain('infinitely many prime numbers');
    expect(request.estimatedCostUsd).toBeGreaterThan(0);
    expect(partnerHits).toBe(0);
    expect(app.handlers['route.consent']({ messageId: message.id, answer: 'no' })).toEqual({ ok: true });
    const done = await next('chat.done', (p) => p.message.id === message.id);
    expect(partnerHits).toBe(0);
    expect(done.message.trace).toMatchObject({
      tier: 'partner',
      consent: 'no',
      answeredBy: { tier: 'device' },
      estimatedCostUsd: 0,
    });
    expect(done.message.trace.events.map((e: { kind: string }) => e.kind)).toEqual([
      'decided',
      'consent-asked',
      'consent-answered',
      'fallback',
      'dispatched',
      'first-token',
      'done',
    ]);
    expect(done.message.stats).toMatchObject({ backend: 'cpu' });
    expect(done.message.stats.outputTokens).toBeGreaterThan(0);
  }, 60_000);

  it('"yes" sends that one query to the partner, streamed, with its cost', async () => {
    const { message } = await ask('Implement a thread-safe LRU cache in Go with unit tests.');
    await next('route.consent', (p) => p.messageId === message.id);
    expect(partnerHits).toBe(0);
    app.handlers['route.consent']({ messageId: message.id, answer: 'yes' });
    const done = await next('chat.done', (p) => p.message.id === message.id);
    expect(partnerHits).toBe(1);
    expect(done.message.status).toBe('done');
    expect(done.message.text.length).toBeGreaterThan(0);
    expect(done.message.stats).toMatchObject({ backend: 'remote', quantization: 'remote' });
    expect(done.message.trace).toMatchObject({
      consent: 'yes',
      answeredBy: { tier: 'partner', name: 'Partner Cloud' },
    });
    expect(done.message.trace.estimatedCostUsd).toBeGreaterThan(0);
  }, 60_000);

  it('personal data never goes to the partner, even for a demanding task', async () => {
    const { message } = await ask('My email is jane@example.com. Prove that the square root of 2 is irrational.');
    const done = await next('chat.done', (p) => p.message.id === message.id);
    expect(done.message.trace).toMatchObject({ tier: 'device', rule: 'complex-but-private', consent: 'not needed' });
    expect(done.message.trace.signals.privacy.detected).toContain('email address');
    expect(partnerHits).toBe(1);
  }, 60_000);

  it('a reachable private server takes demanding queries without consent; with a wrong key it is not used', async () => {
    app.handlers['routing.set']({
      private: {
        name: 'Home server',
        baseUrl: `http://127.0.0.1:${privateServer.port}/v1`,
        model: 'default',
        apiKey: PRIVATE_KEY,
      },
    } as never);
    const { message } = await ask('Derive the closed-form solution for least squares regression.');
    const done = await next('chat.done', (p) => p.message.id === message.id);
    expect(done.message.trace).toMatchObject({
      tier: 'private',
      consent: 'not needed',
      answeredBy: { tier: 'private', name: 'Home server' },
    });
    expect(done.message.text.length).toBeGreaterThan(0);

    app.handlers['routing.set']({
      private: {
        name: 'Home server',
        baseUrl: `http://127.0.0.1:${privateServer.port}/v1`,
        model: 'default',
        apiKey: 'wrong-key-000',
      },
    } as never);
    // The probe with the wrong key fails, so the router sees no private server: the partner is proposed.
    const again = await ask('Derive the closed-form solution for least squares regression.');
    await next('route.consent', (p) => p.messageId === again.message.id);
    app.handlers['route.consent']({ messageId: again.message.id, answer: 'no' });
    const fallback = await next('chat.done', (p) => p.message.id === again.message.id);
    expect(fallback.message.trace.signals.connectivity.reachable).not.toContain('private');
    expect(fallback.message.trace.answeredBy.tier).toBe('device');
    expect(partnerHits).toBe(1);
  }, 60_000);

  it('a local answer the model is unsure of offers the higher tier, which answers when asked', async () => {
    app.handlers['routing.set']({
      confidenceThreshold: 0.999,
      private: {
        name: 'Home server',
        baseUrl: `http://127.0.0.1:${privateServer.port}/v1`,
        model: 'default',
        apiKey: PRIVATE_KEY,
      },
    } as never);
    const conversation = app.store.create('unsure', null);
    const { assistantMessage } = app.chat.send(conversation.id, 'Once upon a time');
    const done = await next('chat.done', (p) => p.message.id === assistantMessage.id);
    const trace = done.message.trace;
    expect(trace.answeredBy.tier).toBe('device');
    expect(trace.confidence).toBeGreaterThan(0);
    expect(trace.confidence).toBeLessThan(0.999);
    expect(done.message.stats.meanConfidence).toBe(trace.confidence);
    expect(trace.offerEscalation).toBe('private');
    expect(trace.events.map((e: { kind: string }) => e.kind)).toContain('low-confidence');
    const { assistantMessage: again } = app.handlers['chat.escalate']({ conversationId: conversation.id }) as {
      assistantMessage: Message;
    };
    const escalated = await next('chat.done', (p) => p.message.id === again.id);
    expect(escalated.message.trace).toMatchObject({ rule: 'escalated', answeredBy: { tier: 'private' } });
    expect(escalated.message.trace.reasons[0]).toMatch(/mean token confidence of 0\.\d\d/);
    expect(app.store.messages(conversation.id).map((m) => m.role)).toEqual(['user', 'assistant']);

    app.handlers['routing.set']({ confidenceThreshold: 0 } as never);
    const calm = app.chat.send(conversation.id, 'Once upon a time there was a cat');
    const calmDone = await next('chat.done', (p) => p.message.id === calm.assistantMessage.id);
    expect(calmDone.message.trace.offerEscalation ?? null).toBeNull();
  }, 60_000);

  it('keeps API keys out of settings, traces, the database and every event; the key file is private', async () => {
    const settings = app.handlers['routing.get']({}) as any;
    expect(settings.partner).toMatchObject({ hasKey: true });
    expect(JSON.stringify(settings)).not.toContain(PARTNER_KEY);
    expect(JSON.stringify(events)).not.toContain(PARTNER_KEY);
    const db = readFileSync(join(dataDir, 'edgewise.db'));
    expect(db.includes(Buffer.from(PARTNER_KEY))).toBe(false);
    expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(app.handlers['routing.history']({})).toMatchObject({ device: expect.any(Number), partner: 1, private: 2 });
  });

  it('a partner answer without usage figures is costed from what was sent, not from the answer', async () => {
    app.handlers['routing.set']({ private: null } as never);
    partnerOmitsUsage = true;
    try {
      const conversation = app.store.create('costed', null);
      app.store.update(conversation.id, {
        settings: {
          ...conversation.settings,
          systemPrompt: 'You are a careful senior engineer. '.repeat(10),
          sampling: { ...conversation.settings.sampling, maxTokens: 16 },
        },
      });
      const { assistantMessage } = app.chat.send(
        conversation.id,
        'Implement a thread-safe LRU cache in Go with unit tests.',
      );
      const request = await next('route.consent', (p) => p.messageId === assistantMessage.id);
      app.handlers['route.consent']({ messageId: assistantMessage.id, answer: 'yes' });
      const done = await next('chat.done', (p) => p.message.id === assistantMessage.id);
      expect(done.message.trace.answeredBy.tier).toBe('partner');
      expect(done.message.stats.promptTokens).toBe(0); // the partner said nothing about its input
      const sentTokens = roughTokenCount(request.sends);
      expect(sentTokens).toBeGreaterThan(roughTokenCount(done.message.text));
      // $3 per million input tokens, $15 per million output tokens (the prices set above)
      expect(done.message.trace.estimatedCostUsd).toBeCloseTo(
        (sentTokens * 3 + done.message.stats.outputTokens * 15) / 1e6,
        12,
      );
    } finally {
      partnerOmitsUsage = false;
    }
  }, 60_000);
});
