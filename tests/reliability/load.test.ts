// Load: 20 clients at once on the headless shell, half on the UI's WebSocket, half on the /v1 API, for a
// bounded run. No errors, each conversation answered in the order it asked, memory bounded.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { newDataDir, startShell } from '../../e2e/headlessShell.ts';
import { connect } from '../../electron/common/wsClient.ts';

const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
const children = (pid: number) =>
  execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map(Number);

describe('load', () => {
  it('20 clients at once, mixed WebSocket and /v1: no errors, in order per conversation, bounded memory', async () => {
    const shell = await startShell(newDataDir());
    const pids = [shell.process.pid!, ...children(shell.process.pid!)];
    const total = () => pids.reduce((n, pid) => n + rss(pid), 0);
    const before = total();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, total());
    }, 100);
    const ROUNDS = 3;
    const started = Date.now();

    const wsClient = async (n: number) => {
      const { client, close } = await connect(shell.url);
      const conversation = await client.call('conversations.create', { title: `ws ${n}` });
      await client.call('conversations.update', {
        id: conversation.id,
        settings: { ...conversation.settings, sampling: { ...conversation.settings.sampling, maxTokens: 16 } },
      });
      for (let r = 0; r < ROUNDS; r++) {
        const done = new Promise<any>((resolve) => {
          const off = client.on('chat.done', (p) => {
            if (p.conversationId === conversation.id) {
              off();
              resolve(p);
            }
          });
        });
        await client.call('chat.send', {
          conversationId: conversation.id,
          text: `Once upon a time, client ${n} round ${r}`,
        });
        const { message } = await done;
        expect(message.status).toBe('done');
      }
      const { messages } = await client.call('conversations.get', { id: conversation.id });
      expect(messages.map((m) => `${m.role}:${m.role === 'user' ? m.text : m.status}`)).toEqual(
        Array.from({ length: ROUNDS }, (_, r) => [
          `user:Once upon a time, client ${n} round ${r}`,
          'assistant:done',
        ]).flat(),
      );
      close();
    };

    const apiClient = async (n: number) => {
      for (let r = 0; r < ROUNDS; r++) {
        const response = await fetch(new URL('/v1/chat/completions', shell.url), {
          method: 'POST',
          headers: { authorization: `Bearer ${shell.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'default',
            max_tokens: 16,
            stream: r % 2 === 1,
            messages: [{ role: 'user', content: `Once upon a time, api ${n} round ${r}` }],
          }),
        });
        expect(response.status).toBe(200);
        const body = await response.text();
        expect(
          r % 2 === 1 ? body.trimEnd().endsWith('data: [DONE]') : JSON.parse(body).choices[0].finish_reason,
        ).toBeTruthy();
      }
    };

    const results = await Promise.allSettled([
      ...Array.from({ length: 10 }, (_, n) => wsClient(n)),
      ...Array.from({ length: 10 }, (_, n) => apiClient(n)),
    ]);
    clearInterval(sampler);
    const failures = results
      .filter((r) => r.status === 'rejected')
      .map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `load: 20 clients × ${ROUNDS} answers in ${seconds.toFixed(1)} s; server + worker RSS ${(before / 1e6).toFixed(0)} MB before, peak ${(peak / 1e6).toFixed(0)} MB`,
    );
    expect(peak - before).toBeLessThan(300e6);
    await shell.stop();
  }, 180_000);
});
