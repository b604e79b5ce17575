// A loopback endpoint in the partner cloud's place: it streams a short answer the way an OpenAI-compatible
// cloud does, and counts the requests it got.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Partner {
  url: string;
  requests(): number;
  stop(): Promise<void>;
}

export async function startPartner(words = ['There ', 'are ', 'infinitely ', 'many ', 'primes.']): Promise<Partner> {
  let requests = 0;
  const server = createServer(async (req, res) => {
    requests++;
    for await (const chunk of req) void chunk;
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    for (const word of words) {
      res.write(
        `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: word }, finish_reason: null }] })}\n\n`,
      );
    }
    res.end(
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: words.length } })}\n\ndata: [DONE]\n\n`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: () => requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
