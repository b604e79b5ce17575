// A scripted remote model on a real loopback HTTP server, streaming server-sent events in OpenAI's
// (chat/completions, tool_calls deltas) or Anthropic's (messages, tool_use blocks, input_json_delta)
// format. Each request is kept, so a test sees exactly what the app sent and when. A GET (a private
// server's reachability probe) gets a list of one model.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedReply {
  text?: string;
  /** Calls to ask for; `args` is the raw JSON text, streamed in small pieces as real servers do. */
  calls?: { name: string; args: string; piece?: number }[];
  /**
   * Holds the answer open after its text and calls, before the events that end it, until this settles:
   * a test can look at the app while the answer is still streaming.
   */
  hold?: Promise<unknown>;
}

export interface ToolResultSeen {
  id: string;
  content: string;
  isError: boolean;
}

export interface RemoteModel {
  baseUrl: string;
  requests: Record<string, any>[];
  close(): Promise<void>;
}

/** The tool results in a request, from either format's messages. */
export function toolResults(kind: 'openai' | 'anthropic', body: Record<string, any>): ToolResultSeen[] {
  const messages = (body.messages ?? []) as Record<string, any>[];
  if (kind === 'openai')
    return messages
      .filter((m) => m.role === 'tool')
      .map((m) => ({ id: m.tool_call_id, content: m.content, isError: false }));
  return messages
    .filter((m) => m.role === 'user' && Array.isArray(m.content))
    .flatMap((m) => m.content as Record<string, any>[])
    .filter((b) => b.type === 'tool_result')
    .map((b) => ({ id: b.tool_use_id, content: b.content, isError: b.is_error === true }));
}

function pieces(text: string, size = 5): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [''];
}

function openaiEvents(reply: ScriptedReply, n: number): unknown[] {
  const chunk = (delta: unknown, finish: string | null = null) => ({
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const events: unknown[] = [chunk({ role: 'assistant', content: '' })];
  for (const p of reply.text ? pieces(reply.text) : []) events.push(chunk({ content: p }));
  (reply.calls ?? []).forEach((c, index) => {
    events.push(
      chunk({
        tool_calls: [{ index, id: `call_${n}_${index}`, type: 'function', function: { name: c.name, arguments: '' } }],
      }),
    );
    for (const p of pieces(c.args, c.piece))
      events.push(chunk({ tool_calls: [{ index, function: { arguments: p } }] }));
  });
  events.push(chunk({}, reply.calls?.length ? 'tool_calls' : 'stop'));
  events.push({ choices: [], usage: { prompt_tokens: 20, completion_tokens: 7 } });
  return events;
}

function anthropicEvents(reply: ScriptedReply, n: number): unknown[] {
  const events: unknown[] = [{ type: 'message_start', message: { usage: { input_tokens: 20 } } }];
  let index = 0;
  if (reply.text) {
    events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    for (const p of pieces(reply.text))
      events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: p } });
    events.push({ type: 'content_block_stop', index: index++ });
  }
  (reply.calls ?? []).forEach((c, i) => {
    const block = { type: 'tool_use', id: `toolu_${n}_${i}`, name: c.name, input: {} };
    events.push({ type: 'content_block_start', index, content_block: block });
    for (const p of pieces(c.args, c.piece))
      events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: p } });
    events.push({ type: 'content_block_stop', index: index++ });
  });
  const stop = reply.calls?.length ? 'tool_use' : 'end_turn';
  events.push({ type: 'message_delta', delta: { stop_reason: stop }, usage: { output_tokens: 7 } });
  events.push({ type: 'message_stop' });
  return events;
}

/** Starts the server; `script` answers each request from its body and its number (0 first). */
export async function remoteModel(
  kind: 'openai' | 'anthropic',
  script: (body: Record<string, any>, n: number) => ScriptedReply,
): Promise<RemoteModel> {
  const requests: Record<string, any>[] = [];
  const server: Server = createServer((req, res) => {
    // The router's reachability probe of a private server (GET /models): answered, and not kept.
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ id: 'scripted' }] }));
      return;
    }
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', async () => {
      const body = JSON.parse(raw) as Record<string, any>;
      const n = requests.push(body) - 1;
      const reply = script(body, n);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const events = kind === 'openai' ? openaiEvents(reply, n) : anthropicEvents(reply, n);
      const write = (e: unknown) =>
        res.write(
          kind === 'openai'
            ? `data: ${JSON.stringify(e)}\n\n`
            : `event: ${(e as { type: string }).type}\ndata: ${JSON.stringify(e)}\n\n`,
        );
      // Both formats end with two events (finish and usage; message_delta and message_stop).
      const ending = events.splice(-2);
      for (const e of events) write(e);
      if (reply.hold) await reply.hold;
      for (const e of ending) write(e);
      if (kind === 'openai') res.end('data: [DONE]\n\n');
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: kind === 'openai' ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
