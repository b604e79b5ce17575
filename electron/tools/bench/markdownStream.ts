// The Markdown half of the UI under fire. No model in ../shared/models writes Markdown (they tell children's
// stories), so a long answer with code, tables and math comes from a loopback OpenAI-compatible server that
// the app reaches as a private tier, through its real remote client, router and store. The server streams a
// fixed document one token-sized piece per SSE event, as llama-server does, at a given rate (the bench
// passes the rate the demo model just streamed at, so the two runs put the same load on the renderer).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One section of the document: a heading, prose with inline marks and math, a table, code, display math, a list. */
function section(i: number): string {
  const rows = Array.from(
    { length: 8 },
    (_, r) => `| item ${i}.${r + 1} | ${(i * 7 + r * 13) % 101} | ${r % 2 ? '`ok`' : '**check**'} | $x_{${r}}^2$ |`,
  ).join('\n');
  return `## Section ${i}: measuring step ${i}

The *engine* emits tokens and the **renderer** paints them; step ${i} keeps \`value_${i}\` below the limit, as
[the notes](https://example.com/notes/${i}) say. Inline math such as $E_${i} = m c^2 + ${i}$ and \\(a_${i} + b\\) sits
in the text, and ~~old figures~~ are struck out.

| Name | Count | State | Formula |
|:-----|------:|:-----:|---------|
${rows}

\`\`\`${i % 2 ? 'typescript' : 'python'}
${
  i % 2
    ? `// Step ${i}: a running mean over the samples.
export function mean${i}(samples: number[]): number {
  let total = 0;
  for (const sample of samples) {
    if (!Number.isFinite(sample)) throw new Error(\`bad sample \${sample}\`);
    total += sample;
  }
  return samples.length ? total / samples.length : 0;
}
const limits = { step: ${i}, tokens: ${i * 100}, label: "section-${i}" };`
    : `# Step ${i}: a running mean over the samples.
def mean_${i}(samples: list[float]) -> float:
    total = 0.0
    for sample in samples:
        if sample != sample:
            raise ValueError(f"bad sample {sample}")
        total += sample
    return total / len(samples) if samples else 0.0

LIMITS = {"step": ${i}, "tokens": ${i * 100}, "label": "section-${i}"}`
}
\`\`\`

$$
\\sum_{k=1}^{${i}} k^2 = \\frac{${i}(${i}+1)(2 \\cdot ${i}+1)}{6}
$$

- [x] checked the table of step ${i}
- [ ] a task still open, with \`code\` and a [link](https://example.com/${i})
  1. a nested step
  2. another one, with $\\alpha + \\beta_${i}$
- > a quoted remark about step ${i}

`;
}

/** Token-sized pieces (a word, its leading space, punctuation and symbols apart), as a tokenizer cuts text. */
export function tokenPieces(text: string): string[] {
  return text.match(/ ?[A-Za-z]+| ?\d{1,3}|\n+| +|[^\sA-Za-z\d]/g) ?? [];
}

/** A document of at least `tokens` pieces, cut at that many (so it may end mid-block, as a stopped answer does). */
export function markdownAnswer(tokens: number): string[] {
  const pieces: string[] = [];
  for (let i = 1; pieces.length < tokens; i++) pieces.push(...tokenPieces(section(i)));
  return pieces.slice(0, tokens);
}

/** Plain prose of `tokens` pieces (a story's sentences, no Markdown marks): the yardstick run's answer. */
export function plainAnswer(tokens: number): string[] {
  const pieces: string[] = [];
  for (let i = 1; pieces.length < tokens; i++)
    pieces.push(...tokenPieces(`Lily and Ben played in the park for the ${i} time, and then they went home. `));
  return pieces.slice(0, tokens);
}

export interface MarkdownServer {
  /** The OpenAI-compatible base URL, ending in /v1. */
  baseUrl: string;
  model: string;
  close(): Promise<void>;
}

/**
 * Serves /v1/models and a streaming /v1/chat/completions that sends `pieces` (the Markdown document of
 * `tokens` pieces unless told) at `tokensPerSec`.
 * Pieces are written in the batches a timer tick allows, so the pace holds on a loaded machine too.
 */
export async function startMarkdownServer(
  tokens: number,
  tokensPerSec: number,
  pieces: string[] = markdownAnswer(tokens),
): Promise<MarkdownServer> {
  const model = 'bench-markdown';
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: model, object: 'model' }] }));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const event = (body: object) => `data: ${JSON.stringify(body)}\n\n`;
      const chunk = (content: string) =>
        event({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] });
      const started = performance.now();
      let sent = 0;
      const tick = () => {
        if (res.destroyed) return;
        const due = Math.min(
          pieces.length,
          Math.max(sent + 1, Math.floor(((performance.now() - started) / 1000) * tokensPerSec)),
        );
        let out = '';
        for (; sent < due; sent++) out += chunk(pieces[sent]!);
        res.write(out);
        if (sent < pieces.length) {
          setTimeout(tick, 2);
          return;
        }
        res.end(
          event({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'length' }] }) +
            event({
              object: 'chat.completion.chunk',
              choices: [],
              usage: { prompt_tokens: 8, completion_tokens: pieces.length },
            }) +
            'data: [DONE]\n\n',
        );
      };
      tick();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    model,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
