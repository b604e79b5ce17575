// Clients for the remote tiers: any OpenAI-compatible server (another Edgewise, llama-server, Ollama,
// LM Studio, mlx_lm.server, vLLM) and Anthropic's Messages API. Both stream server-sent events, stop on
// the caller's signal, time out when the server does not answer, and turn failures into plain words.
import {
  anthropicTools,
  openaiTools,
  ToolCallCollector,
  type RemoteToolCall,
  type RemoteToolSpec,
  type ToolRound,
} from './remoteTools.ts';

export interface RemoteEndpoint {
  name: string;
  kind: 'openai' | 'anthropic';
  baseUrl: string;
  model: string;
  apiKey: string | null;
}
export interface RemoteRequest {
  systemPrompt: string;
  history: { role: 'user' | 'assistant'; text: string }[];
  maxTokens: number;
  temperature: number;
  /** Tools the remote may call ('none': offered but not to be called, once the cap is reached). */
  tools?: RemoteToolSpec[];
  toolChoice?: 'auto' | 'none';
  /** Calls made so far in this answer and their results, after the history. */
  rounds?: ToolRound[];
}
export interface RemoteResult {
  text: string;
  /** Reasoning the server streamed apart from the answer (reasoning_content, Anthropic thinking blocks). */
  thoughts: string;
  /** Reasoning tokens as the server reported them (usage.completion_tokens_details.reasoning_tokens). */
  thoughtTokens: number | null;
  promptTokens: number | null;
  outputTokens: number | null;
  stopReason: 'eos' | 'maxTokens' | 'aborted';
  /** The tools the remote asked to call; the answer continues once their results are sent back. */
  toolCalls: RemoteToolCall[];
}

/**
 * Tokens in a text by the rule of thumb of about four characters a token (English, BPE vocabularies):
 * an estimate, used for cost only where the server reports no usage figures.
 */
export function roughTokenCount(text: string): number {
  return Math.ceil(text.length / 4);
}

export class RemoteError extends Error {
  readonly kind: 'unreachable' | 'auth' | 'rate_limit' | 'timeout' | 'server' | 'bad_request';
  constructor(kind: RemoteError['kind'], message: string) {
    super(message);
    this.kind = kind;
  }
}

const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;

function describeHttp(endpoint: RemoteEndpoint, status: number, body: string, retryAfter: string | null): RemoteError {
  const detail = (() => {
    try {
      const parsed = JSON.parse(body) as { error?: { message?: string } | string };
      return typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? '');
    } catch {
      return body.slice(0, 200);
    }
  })();
  if (status === 401 || status === 403)
    return new RemoteError(
      'auth',
      `${endpoint.name} refused the API key (HTTP ${status}). Check the key in Routing settings.`,
    );
  if (status === 429)
    return new RemoteError(
      'rate_limit',
      `${endpoint.name} is rate limiting requests (HTTP 429)${retryAfter ? `; it asks to retry after ${retryAfter} s` : ''}.`,
    );
  if (status >= 500)
    return new RemoteError('server', `${endpoint.name} failed (HTTP ${status})${detail ? `: ${detail}` : ''}.`);
  return new RemoteError(
    'bad_request',
    `${endpoint.name} refused the request (HTTP ${status})${detail ? `: ${detail}` : ''}.`,
  );
}

async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string | null; data: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      let event: string | null = null;
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) yield { event, data: data.join('\n') };
    }
  }
}

function request(
  endpoint: RemoteEndpoint,
  req: RemoteRequest,
): { url: string; headers: Record<string, string>; body: unknown } {
  const turns = req.history.map((t) => ({ role: t.role, content: t.text }));
  const toolChoice = req.toolChoice ?? 'auto';
  if (endpoint.kind === 'anthropic') {
    const tools = anthropicTools(req.tools, toolChoice, req.rounds ?? []);
    const messages = [...turns, ...tools.messages];
    return {
      url: join(endpoint.baseUrl, '/v1/messages'),
      headers: {
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
        ...(endpoint.apiKey ? { 'x-api-key': endpoint.apiKey } : {}),
      },
      body: {
        model: endpoint.model,
        max_tokens: req.maxTokens,
        temperature: req.temperature,
        stream: true,
        messages,
        ...(req.systemPrompt ? { system: req.systemPrompt } : {}),
        ...tools.fields,
      },
    };
  }
  const tools = openaiTools(req.tools, toolChoice, req.rounds ?? []);
  const messages = [...turns, ...tools.messages];
  return {
    url: join(endpoint.baseUrl, '/chat/completions'),
    headers: {
      'content-type': 'application/json',
      ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}),
    },
    body: {
      model: endpoint.model,
      max_tokens: req.maxTokens,
      temperature: req.temperature,
      stream: true,
      stream_options: { include_usage: true },
      messages: req.systemPrompt ? [{ role: 'system', content: req.systemPrompt }, ...messages] : messages,
      ...tools.fields,
    },
  };
}

/** Streams one answer; onDelta gets each piece of text as it arrives, `thought` set for reasoning. */
export async function streamRemote(
  endpoint: RemoteEndpoint,
  req: RemoteRequest,
  onDelta: (text: string, thought: boolean) => void,
  signal: AbortSignal,
  firstByteTimeoutMs = 20_000,
): Promise<RemoteResult> {
  const { url, headers, body } = request(endpoint, req);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), firstByteTimeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.any([signal, timeout.signal]),
    });
  } catch (error) {
    if (signal.aborted)
      return {
        text: '',
        thoughts: '',
        thoughtTokens: null,
        promptTokens: null,
        outputTokens: null,
        stopReason: 'aborted',
        toolCalls: [],
      };
    if (timeout.signal.aborted)
      throw new RemoteError('timeout', `${endpoint.name} did not answer within ${firstByteTimeoutMs / 1000} s.`);
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new RemoteError(
      'unreachable',
      `Cannot reach ${endpoint.name} at ${new URL(url).host}${cause ? ` (${cause})` : ''}. Is the server running?`,
    );
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok || !response.body)
    throw describeHttp(endpoint, response.status, await response.text(), response.headers.get('retry-after'));

  let text = '';
  let thoughts = '';
  let thoughtTokens: number | null = null;
  const thought = (piece: unknown) => {
    if (typeof piece !== 'string' || !piece) return;
    thoughts += piece;
    onDelta(piece, true);
  };
  let promptTokens: number | null = null;
  let outputTokens: number | null = null;
  let stopReason: RemoteResult['stopReason'] = 'eos';
  const calls = new ToolCallCollector();
  try {
    for await (const { data } of sseEvents(response.body)) {
      if (data === '[DONE]') break;
      const e = JSON.parse(data) as Record<string, any>;
      if (endpoint.kind === 'anthropic') {
        calls.anthropic(e);
        if (e.type === 'content_block_delta' && e.delta?.type === 'text_delta') {
          text += e.delta.text;
          onDelta(e.delta.text, false);
        }
        // Extended thinking: thinking blocks stream as thinking_delta before the answer's text.
        if (e.type === 'content_block_delta' && e.delta?.type === 'thinking_delta') thought(e.delta.thinking);
        if (e.type === 'message_start') promptTokens = e.message?.usage?.input_tokens ?? null;
        if (e.type === 'message_delta') {
          outputTokens = e.usage?.output_tokens ?? outputTokens;
          if (e.delta?.stop_reason === 'max_tokens') stopReason = 'maxTokens';
        }
        if (e.type === 'error')
          throw new RemoteError('server', `${endpoint.name}: ${e.error?.message ?? 'stream error'}`);
      } else {
        const choice = e.choices?.[0];
        calls.openai(choice?.delta?.tool_calls);
        // llama-server, vLLM and DeepSeek stream reasoning as reasoning_content (some servers name it reasoning).
        thought(choice?.delta?.reasoning_content ?? choice?.delta?.reasoning);
        const delta = choice?.delta?.content;
        if (delta) {
          text += delta;
          onDelta(delta, false);
        }
        if (choice?.finish_reason === 'length') stopReason = 'maxTokens';
        if (e.usage) {
          promptTokens = e.usage.prompt_tokens ?? null;
          outputTokens = e.usage.completion_tokens ?? null;
          thoughtTokens = e.usage.completion_tokens_details?.reasoning_tokens ?? null;
        }
      }
    }
  } catch (error) {
    if (signal.aborted)
      return { text, thoughts, thoughtTokens, promptTokens, outputTokens, stopReason: 'aborted', toolCalls: [] };
    throw error;
  }
  return {
    text,
    thoughts,
    thoughtTokens,
    promptTokens,
    outputTokens,
    stopReason: signal.aborted ? 'aborted' : stopReason,
    toolCalls: signal.aborted ? [] : calls.result(),
  };
}

/** Servers people run at home, on their usual ports. */
export const privatePresets = [
  { name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1' },
  { name: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1' },
  { name: 'llama.cpp llama-server', baseUrl: 'http://127.0.0.1:8080/v1' },
  { name: 'vLLM', baseUrl: 'http://127.0.0.1:8000/v1' },
  { name: 'mlx_lm.server', baseUrl: 'http://127.0.0.1:8081/v1' },
];

/** Lists the models of an OpenAI-compatible server, or says why it could not. */
export async function probe(
  baseUrl: string,
  apiKey: string | null,
  timeoutMs = 800,
): Promise<{ ok: true; models: string[] } | { ok: false; why: string }> {
  try {
    const response = await fetch(join(baseUrl, '/models'), {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return { ok: false, why: `HTTP ${response.status}` };
    const body = (await response.json()) as { data?: { id: string }[]; models?: { name: string }[] };
    return { ok: true, models: body.data?.map((m) => m.id) ?? body.models?.map((m) => m.name) ?? [] };
  } catch (error) {
    return { ok: false, why: (error as Error).name === 'TimeoutError' ? 'no answer' : 'not running' };
  }
}
