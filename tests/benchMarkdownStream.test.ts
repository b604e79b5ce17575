import { afterEach, describe, expect, it } from 'vitest';
import {
  markdownAnswer,
  startMarkdownServer,
  tokenPieces,
  type MarkdownServer,
} from '../electron/tools/bench/markdownStream.ts';
import { parseMarkdownDocument } from '../shared/markdownBlocks.ts';
import { streamRemote } from '../electron/services/router/remoteClient.ts';

describe('the Markdown answer of the UI under fire', () => {
  it('cuts text into token-sized pieces that join back to it', () => {
    const text = 'The *engine* emits `value_1`, $x_{2}^2$ and 12345.\n\n| a |';
    const pieces = tokenPieces(text);
    expect(pieces.join('')).toBe(text);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(9);
  });

  it('holds exactly the tokens asked for, with tables, code and math', () => {
    const pieces = markdownAnswer(10_000);
    expect(pieces).toHaveLength(10_000);
    const doc = parseMarkdownDocument(pieces.join(''));
    const kinds = doc.blocks.map((b) => (b.kind === 'node' ? b.node.type : b.kind));
    expect(kinds.filter((k) => k === 'table').length).toBeGreaterThan(10);
    expect(kinds.filter((k) => k === 'code').length).toBeGreaterThan(10);
    expect(kinds.filter((k) => k === 'math').length).toBeGreaterThan(10);
  });
});

describe('the loopback private tier', () => {
  let server: MarkdownServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('streams the answer through the real remote client at about the rate asked for', async () => {
    server = await startMarkdownServer(2_000, 20_000);
    const models = (await (await fetch(`${server.baseUrl}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual([server.model]);
    const deltas: string[] = [];
    const started = performance.now();
    const result = await streamRemote(
      { name: 'bench', kind: 'openai', baseUrl: server.baseUrl, model: server.model, apiKey: null },
      { systemPrompt: '', history: [{ role: 'user', text: 'Write.' }], maxTokens: 2_000, temperature: 0 },
      (delta) => deltas.push(delta),
      new AbortController().signal,
    );
    const seconds = (performance.now() - started) / 1000;
    expect(result.text).toBe(markdownAnswer(2_000).join(''));
    expect(result.outputTokens).toBe(2_000);
    // Paced, not dumped: 2,000 pieces at 20,000 a second take at least 0.1 s.
    expect(seconds).toBeGreaterThanOrEqual(0.09);
    expect(deltas.length).toBeGreaterThan(1);
  });

  it('answers 404 to anything but the two routes', async () => {
    server = await startMarkdownServer(10, 1000);
    expect((await fetch(`${server.baseUrl}/completions`, { method: 'POST' })).status).toBe(404);
  });
});
