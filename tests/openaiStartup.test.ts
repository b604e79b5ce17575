// The /v1 start-up race: `serve --model X` is still loading X when a request for "default" lands. The
// request must wait for X and be answered by it, never by the bundled demo model.
import { afterEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../electron/server/server.ts';
import { stories260k, tempDir } from './fixtures.ts';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('/v1 during start-up', () => {
  it('answers a "default" request sent while --model X loads with X, and never loads the demo', async () => {
    server = await startServer({
      dataDir: tempDir(),
      rendererDir: tempDir(),
      gpu: 'cpu',
      modelPath: stories260k,
      apiKey: 'test-key-0123456789',
    });
    // Every load the engine is asked for, in order (the real load still runs).
    const engine = server.app.engine;
    const loads: string[] = [];
    const realLoad = engine.load.bind(engine);
    engine.load = (model, gpu) => {
      loads.push(model.path);
      return realLoad(model, gpu);
    };
    const client = new OpenAI({
      baseURL: `http://127.0.0.1:${server.port}/v1`,
      apiKey: 'test-key-0123456789',
      maxRetries: 0,
    });
    const starting = server.app.start();
    // Sent before start-up has even spawned the engine worker: no model is loaded or loading yet.
    expect(server.app.engine.status.state).toBe('starting');
    const answer = await client.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'Once upon a time' }],
      temperature: 0,
      max_tokens: 8,
    });
    await starting;
    const wanted = (await server.app.library.list()).find((m) => m.path === stories260k)!;
    expect(wanted).toBeDefined();
    expect(answer.model).toBe(wanted.id);
    expect(answer.usage!.completion_tokens).toBeGreaterThan(0);
    expect(server.app.engine.loadedModel?.id).toBe(wanted.id);
    expect(loads).toEqual([stories260k]); // X once: not the demo, and not X a second time
  }, 120_000);
});
