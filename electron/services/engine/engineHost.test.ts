import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineHost } from './engineHost.ts';
import { forkWorker } from './workerProcess.ts';
import { defaultSampling, type EngineStatus } from '../../../shared/schemas.ts';
import { demoModel, tempDir } from '../../../tests/fixtures.ts';

const demo = { id: 'demo', name: 'TinyStories 656K', path: demoModel };
const greedy = { ...defaultSampling, temperature: 0, repeatPenalty: 1, maxTokens: 24 };
const story = [{ role: 'user' as const, text: 'Once upon a time' }];

function waitFor(statuses: EngineStatus[], host: EngineHost, predicate: (s: EngineStatus) => boolean, ms = 20_000) {
  return new Promise<EngineStatus>((resolve, reject) => {
    const timer = setInterval(() => {
      const hit = statuses.find(predicate);
      if (hit) { clearInterval(timer); resolve(hit); }
    }, 5);
    setTimeout(() => { clearInterval(timer); reject(new Error(`status never matched; last: ${JSON.stringify(host.status)}`)); }, ms);
  });
}

describe('EngineHost with a real worker and a real model', () => {
  let host: EngineHost | null = null;
  afterEach(async () => { await host?.dispose(); host = null; });

  it('loads with progress, streams a greedy completion and reports honest figures', async () => {
    const statuses: EngineStatus[] = [];
    host = new EngineHost({ spawn: forkWorker, onStatus: (s) => statuses.push(s), gpu: 'cpu' });
    const status = await host.load(demo);
    expect(status.state).toBe('ready');
    expect(status.backend).toBe('cpu');
    expect(status.threads).toBeGreaterThanOrEqual(1);
    expect(statuses.some((s) => s.state === 'loading')).toBe(true);
    let streamed = '';
    let chunks = 0;
    const result = await host.generate(
      { requestId: 'r1', mode: 'raw', systemPrompt: '', history: story, sampling: greedy, contextSize: 512 },
      (text) => { streamed += text; chunks++; },
    );
    expect(result.text.startsWith(', a little girl named Lily lived in a small house.')).toBe(true);
    expect(streamed).toBe(result.text);
    expect(chunks).toBeGreaterThan(5);
    expect(result.outputTokens).toBe(24);
    expect(result.stopReason).toBe('maxTokens');
    expect(result.ttftMs).toBeGreaterThan(0);
    expect(result.promptTokens).toBeGreaterThan(0);
    expect(result.decodeTokensPerSec).toBeGreaterThan(0);
  });

  it('chat mode works on a model without a chat template, and stop ends the answer early', async () => {
    host = new EngineHost({ spawn: forkWorker, onStatus: () => {}, gpu: 'cpu' });
    await host.load(demo);
    const controller = new AbortController();
    let tokens = 0;
    const result = await host.generate(
      { requestId: 'r2', mode: 'chat', systemPrompt: 'Tell a story.', history: story, sampling: { ...greedy, maxTokens: 400 }, contextSize: 512 },
      (_text, n) => { tokens = n; if (n >= 5) controller.abort(); },
      controller.signal,
    );
    expect(result.stopReason).toBe('aborted');
    expect(tokens).toBeGreaterThanOrEqual(5);
    expect(result.outputTokens).toBeLessThan(400);
  });

  it('refuses files that are not models with a clear error, and keeps working', async () => {
    host = new EngineHost({ spawn: forkWorker, onStatus: () => {}, gpu: 'cpu' });
    const dir = tempDir();
    const bogus = join(dir, 'notes.gguf');
    writeFileSync(bogus, 'these are my notes, not a model');
    await expect(host.load({ id: 'x', name: 'notes', path: bogus })).rejects.toThrow(/Could not load notes/);
    const status = await host.load(demo);
    expect(status.state).toBe('ready');
  });

  it('a killed worker is reported at once, restarted, and the model reloaded', async () => {
    const statuses: EngineStatus[] = [];
    host = new EngineHost({ spawn: forkWorker, onStatus: (s) => statuses.push(s), gpu: 'cpu' });
    await host.load(demo);
    const firstPid = host.pid!;
    const pending = host.generate(
      { requestId: 'r3', mode: 'raw', systemPrompt: '', history: story, sampling: { ...greedy, maxTokens: 4000 }, contextSize: 512 },
      () => { process.kill(firstPid, 'SIGKILL'); },
    );
    const killedAt = Date.now();
    await expect(pending).rejects.toThrow(/SIGKILL/);
    const crashed = await waitFor(statuses, host, (s) => s.state === 'crashed');
    expect(Date.now() - killedAt).toBeLessThan(1000);
    expect(crashed.error).toMatch(/restarting/i);
    await waitFor(statuses, host, (s) => s.state === 'ready' && s.restarts === 1);
    expect(host.pid).not.toBe(firstPid);
    const result = await host.generate(
      { requestId: 'r4', mode: 'raw', systemPrompt: '', history: story, sampling: greedy, contextSize: 512 },
      () => {},
    );
    expect(result.text.length).toBeGreaterThan(10);
  });

  it('a native abort (SIGABRT) during a load takes only the worker down', async () => {
    const statuses: EngineStatus[] = [];
    host = new EngineHost({ spawn: forkWorker, onStatus: (s) => statuses.push(s), gpu: 'cpu' });
    await host.startWorker();
    const pid = host.pid!;
    const loading = host.load(demo);
    process.kill(pid, 'SIGABRT');
    await expect(loading).rejects.toThrow(/crashed while loading|SIGABRT/);
    await waitFor(statuses, host, (s) => s.state === 'idle' || s.state === 'crashed');
    const status = await host.load(demo);
    expect(status.state).toBe('ready');
  });
});
