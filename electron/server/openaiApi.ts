// An OpenAI-compatible API on the headless shell: GET /v1/models and POST /v1/chat/completions,
// streamed as server-sent events or returned whole. Every request needs the API key printed at start.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RpcError } from '../../shared/rpc.ts';
import { defaultSettings, type ConversationSettings } from '../../shared/schemas.ts';
import type { App } from '../services/app.ts';
import { answerOnDevice } from '../services/chat/onDeviceAnswer.ts';
import { tokenMatches } from './httpGuards.ts';
import { errorMessage } from '../../shared/errors.ts';
import {
  historyOf,
  responseFormat,
  toolCall,
  toolChoice,
  toolDefinition,
  toolRequest,
  validJsonAnswer,
} from './openaiTools.ts';

const MAX_BODY_BYTES = 1 << 20;
// A declared-too-large body up to this size is read and dropped so its client gets the 413 (readJson).
const DRAIN_BYTES = 16 << 20;

const content = z.union([z.string(), z.array(z.object({ type: z.literal('text'), text: z.string() }))]);

const chatRequest = z.object({
  model: z.string().min(1).max(256),
  messages: z
    .array(
      z.discriminatedUnion('role', [
        z.object({ role: z.enum(['system', 'developer', 'user']), content }),
        z.object({
          role: z.literal('assistant'),
          content: content.nullish(),
          tool_calls: z.array(toolCall).nullish(),
          /** An earlier answer's reasoning, as llama-server and vLLM return it; the chat template decides if it is used. */
          reasoning_content: z.string().nullish(),
        }),
        z.object({ role: z.literal('tool'), content, tool_call_id: z.string() }),
      ]),
    )
    .min(1)
    .max(1000),
  tools: z.array(toolDefinition).max(128).nullish(),
  tool_choice: toolChoice.nullish(),
  response_format: responseFormat.nullish(),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().min(1).max(32768).nullish(),
  max_completion_tokens: z.number().int().min(1).max(32768).nullish(),
  seed: z.number().int().min(0).nullish(),
  /** llama-server's field (1 = off); without it the app's own default applies, as in the chat window. */
  repeat_penalty: z.number().min(1).max(2).nullish(),
  /** As llama-server and vLLM take it: enable_thinking = false turns a reasoning model's thinking off. */
  chat_template_kwargs: z.object({ enable_thinking: z.boolean().optional() }).nullish(),
});

class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  constructor(status: number, type: string, message: string) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: ApiError) {
  // Mid-stream (a streamed answer's headers are sent before the engine has read the prompt): the error
  // goes out as a last event, as llama-server sends it, which OpenAI's clients raise; ending the stream
  // without it read as an empty answer.
  if (res.headersSent) {
    res.end(`data: ${JSON.stringify({ error: { message: error.message, type: error.type, code: error.status } })}\n\n`);
    return;
  }
  // A body cut off unread leaves the rest of it on the connection: answer, then close it.
  if (error.status === 413 && !res.req.complete) res.setHeader('Connection', 'close');
  sendJson(res, error.status, { error: { message: error.message, type: error.type, param: null, code: null } });
}

function tooLarge() {
  return new ApiError(413, 'invalid_request_error', 'The request body is larger than 1 MB.');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  // A body declared too large is refused without keeping a byte. Up to DRAIN_BYTES it is still read and
  // dropped, so a client that is still sending it reads the 413 instead of a broken pipe; past that, or
  // streamed without a length, it is cut off at the limit and the connection closed (see sendError).
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > DRAIN_BYTES) throw tooLarge();
  const keep = declared <= MAX_BODY_BYTES;
  const readUpTo = keep ? MAX_BODY_BYTES : declared;
  // Read with listeners, not for-await: leaving a for-await loop destroys the socket, and the client
  // would get a reset instead of the 413.
  const chunks = await new Promise<Buffer[]>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > readUpTo) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge());
      } else if (keep) chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => (keep ? resolve(chunks) : reject(tooLarge())));
    req.once('error', reject);
  });
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid_request_error', 'The request body is not valid JSON.');
  }
}

export async function handleOpenAi(
  req: IncomingMessage,
  res: ServerResponse,
  app: App,
  apiKey: string | (() => string),
): Promise<void> {
  try {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!tokenMatches(bearer, typeof apiKey === 'string' ? apiKey : apiKey()))
      throw new ApiError(
        401,
        'invalid_api_key',
        'Incorrect or missing API key: pass the key that `edgewise serve` printed, as "Authorization: Bearer KEY".',
      );
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/v1/models') {
      const models = await app.library.list();
      sendJson(res, 200, {
        object: 'list',
        data: models.map((m) => ({ id: m.id, object: 'model', created: 0, owned_by: 'edgewise', name: m.name })),
      });
      return;
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') return await chatCompletions(req, res, app);
    throw new ApiError(404, 'invalid_request_error', `No route for ${req.method} ${path}`);
  } catch (error) {
    if (error instanceof ApiError) return sendError(res, error);
    if (error instanceof RpcError) {
      const status =
        error.code === 'bad_input' ? 400 : error.code === 'not_found' ? 404 : error.code === 'busy' ? 429 : 500;
      return sendError(res, new ApiError(status, error.code, error.message));
    }
    sendError(res, new ApiError(500, 'internal', errorMessage(error)));
  }
}

async function chatCompletions(req: IncomingMessage, res: ServerResponse, app: App) {
  const parsed = chatRequest.safeParse(await readJson(req));
  if (!parsed.success) {
    throw new ApiError(
      400,
      'invalid_request_error',
      // The first few issues say enough; a 30,000-item array of wrong types would otherwise echo them all.
      parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; ') + (parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : ''),
    );
  }
  const body = parsed.data;
  // "default" and "edgewise" name the loaded model, and so does a request naming it: only another name reads
  // the library, whose list scans the models folders and the Ollama and LM Studio stores (time to first token).
  const alias = body.model === 'edgewise' || body.model === 'default';
  const named = (m: { id: string; name: string; path: string }) =>
    m.id === body.model || m.name === body.model || m.path.endsWith(`/${body.model}`);
  const loaded = app.engine.loadedModel;
  const wanted = alias ? null : loaded && named(loaded) ? loaded : (await app.library.list()).find(named);
  if (!wanted && !alias) {
    throw new ApiError(
      404,
      'model_not_found',
      `No model "${body.model}" here; GET /v1/models lists them (or use "default").`,
    );
  }
  // "default" is the loaded model, or the one being loaded (at start-up, say): it waits for that load.
  const model = wanted ? await app.ensureModel(wanted.id) : await app.ensureLoadedModel();
  const { systemPrompt, history, problem } = historyOf(body.messages);
  if (problem) throw new ApiError(400, 'invalid_request_error', problem);
  const tools = toolRequest(body.tools ?? [], body.tool_choice ?? null);
  if (typeof tools === 'string') throw new ApiError(400, 'invalid_request_error', tools);
  const format = body.response_format;
  if (format && format.type !== 'text' && tools.functions)
    throw new ApiError(400, 'invalid_request_error', 'response_format and tools cannot be used in the same request.');
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: object, finish: string | null, usage?: object, stats?: object) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model: model.id,
      choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }],
      ...(usage ? { usage, edgewise_stats: stats } : {}),
    })}\n\n`;
  if (body.stream) {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write(chunk({ role: 'assistant', content: '' }, null));
  }
  // A new conversation's settings, changed only where the request says so.
  const defaults = defaultSettings.sampling;
  const settings: ConversationSettings = {
    ...defaultSettings,
    systemPrompt,
    sampling: {
      ...defaults,
      temperature: body.temperature ?? defaults.temperature,
      topP: body.top_p ?? defaults.topP,
      maxTokens: body.max_completion_tokens ?? body.max_tokens ?? defaults.maxTokens,
      seed: body.seed ?? defaults.seed,
      repeatPenalty: body.repeat_penalty ?? defaults.repeatPenalty,
    },
    ...(body.chat_template_kwargs?.enable_thinking === false ? { thinking: false } : {}),
  };
  const {
    text: answer,
    thoughts,
    stats,
    functionCalls,
  } = await answerOnDevice(app, {
    id,
    model,
    settings,
    history,
    ...(tools.functions ? { functions: tools.functions, toolChoice: tools.choice } : {}),
    ...(format?.type === 'json_object' ? { responseFormat: { kind: 'json_object' as const } } : {}),
    ...(format?.type === 'json_schema'
      ? { responseFormat: { kind: 'json_schema' as const, schema: format.json_schema.schema ?? {} } }
      : {}),
    // Thoughts go out as reasoning_content deltas, as llama-server and vLLM send them.
    onDelta: (delta, _tokens, thought) => {
      if (body.stream) res.write(chunk(thought ? { reasoning_content: delta } : { content: delta }, null));
    },
    signal: controller.signal,
  });
  // The model's calls, in OpenAI's shape: the client runs them and sends the results back as tool messages.
  const toolCalls = functionCalls.map((c, index) => ({
    index,
    id: `call_${randomUUID().replaceAll('-', '')}`,
    type: 'function' as const,
    function: { name: c.name, arguments: JSON.stringify(c.params ?? {}) },
  }));
  const finish = toolCalls.length > 0 ? 'tool_calls' : stats.stopReason === 'maxTokens' ? 'length' : 'stop';
  // The grammar makes a finished JSON answer parse and match; one cut off by max_tokens cannot, and is
  // refused rather than passed on as if it were whole.
  const jsonProblem = format && format.type !== 'text' ? validJsonAnswer(answer, format) : null;
  if (jsonProblem && !body.stream)
    throw new ApiError(
      500,
      'json_incomplete',
      stats.stopReason === 'maxTokens'
        ? `The JSON answer was cut off at max_tokens (${settings.sampling.maxTokens}) before it was complete; ask again with a larger max_tokens.`
        : `The answer is not valid JSON for the requested format: ${jsonProblem}`,
    );
  // OpenAI's usage, and beside it (as llama-server adds its "timings") the figures the UI shows.
  const usage = {
    prompt_tokens: stats.promptTokens,
    // OpenAI's field for prompt tokens served from its cache: here, those the context already held.
    ...(typeof stats.evaluatedPromptTokens === 'number'
      ? { prompt_tokens_details: { cached_tokens: Math.max(0, stats.promptTokens - stats.evaluatedPromptTokens) } }
      : {}),
    completion_tokens: stats.outputTokens,
    total_tokens: stats.promptTokens + stats.outputTokens,
    completion_tokens_details: { reasoning_tokens: stats.thoughtTokens ?? 0 },
  };
  if (body.stream) {
    if (toolCalls.length > 0) res.write(chunk({ tool_calls: toolCalls }, null));
    res.write(chunk({}, finish));
    if (body.stream_options?.include_usage) res.write(chunk({}, null, usage, stats));
    res.end('data: [DONE]\n\n');
    return;
  }
  sendJson(res, 200, {
    id,
    object: 'chat.completion',
    created,
    model: model.id,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: toolCalls.length > 0 && !answer ? null : answer,
          ...(thoughts ? { reasoning_content: thoughts } : {}),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls.map(({ index: _, ...call }) => call) } : {}),
        },
        finish_reason: finish,
      },
    ],
    usage,
    edgewise_stats: stats,
  });
}
