// One client for both OpenAI-compatible servers (Edgewise's /v1 and llama-server's): a streamed chat
// completion timed from the client's side, and a conversation resent in full each turn, as chat clients
// and agents do.
import OpenAI from 'openai';

export interface StreamFigures {
  ttftMs: number;
  decodeTokensPerSec: number;
  completionTokens: number;
  /**
   * Prompt tokens the server evaluated for this request (the rest it reused from its cache): Edgewise
   * reports those reused as OpenAI's usage.prompt_tokens_details.cached_tokens, llama-server the evaluated
   * ones as timings.prompt_n. NaN when the server said neither.
   */
  evaluatedPromptTokens: number;
}

type ServerExtras = { timings?: { prompt_n?: number } };

/** One streamed chat completion, timed by the client: first content delta, then the rest. */
export async function streamOnce(
  client: OpenAI,
  model: string,
  messages: OpenAI.ChatCompletionMessageParam[],
  maxTokens: number,
): Promise<StreamFigures & { text: string }> {
  const started = performance.now();
  let first = 0;
  let last = 0;
  let deltas = 0;
  let text = '';
  let usage: OpenAI.CompletionUsage | undefined;
  let promptN: number | undefined;
  const stream = await client.chat.completions.create({
    model,
    messages,
    max_tokens: maxTokens,
    temperature: 0,
    // Greedy on both sides: llama-server's repeat penalty is off by default, Edgewise's chat default is 1.1.
    // Not in OpenAI's own type: the SDK passes the body's extra fields through.
    ...({ repeat_penalty: 1 } as object),
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const chunk of stream) {
    usage = chunk.usage ?? usage;
    promptN = (chunk as ServerExtras).timings?.prompt_n ?? promptN;
    const content = chunk.choices[0]?.delta?.content;
    if (!content) continue;
    last = performance.now();
    first ||= last;
    deltas++;
    text += content;
  }
  const tokens = usage?.completion_tokens ?? deltas;
  const seconds = (last - first) / 1000;
  const cached = usage?.prompt_tokens_details?.cached_tokens;
  return {
    text,
    evaluatedPromptTokens: promptN ?? (usage && typeof cached === 'number' ? usage.prompt_tokens - cached : NaN),
    ttftMs: first ? first - started : NaN,
    completionTokens: tokens,
    decodeTokensPerSec: seconds > 0 && tokens > 1 ? (tokens - 1) / seconds : NaN,
  };
}

const USER_TURNS = [
  'Tell me a story about a cat.',
  'What did the cat find?',
  'Who did the cat meet next?',
  'What did they do together?',
  'Where did they go?',
  'What happened at night?',
  'What did the cat dream?',
  'How did the day end?',
  'What did the cat learn?',
  'Tell me how the story ends.',
];

export interface MultiTurnFigures {
  turn1Ms: number;
  turn5Ms: number;
  turn10Ms: number;
  backMs: number;
  /** Prompt tokens evaluated at turn 1, turn 10 and on coming back: what reuse left to evaluate. */
  evaluated: { turn1: number; turn10: number; back: number };
}

/**
 * TTFT of turns 1, 5 and 10 of one conversation resent in full, then of a turn after another
 * conversation. `session` opens the conversation's first message, so that a repetition cannot reuse the
 * prompt cache an earlier one left behind. Plain words and a colon only: the test models' vocabularies
 * have no token for "(" or ")", and a message they cannot read is refused.
 */
export async function multiTurn(
  client: OpenAI,
  model: string,
  maxTokens: number,
  session: string,
): Promise<MultiTurnFigures> {
  const history: OpenAI.ChatCompletionMessageParam[] = [];
  const ttft: number[] = [];
  const evaluated: number[] = [];
  for (const [turn, text] of USER_TURNS.entries()) {
    history.push({ role: 'user', content: turn === 0 ? `Session ${session}: ${text}` : text });
    const r = await streamOnce(client, model, history, maxTokens);
    history.push({ role: 'assistant', content: r.text });
    ttft.push(r.ttftMs);
    evaluated.push(r.evaluatedPromptTokens);
  }
  await streamOnce(
    client,
    model,
    [{ role: 'user', content: `A different question, session ${session}: what is a dog?` }],
    maxTokens,
  );
  history.push({ role: 'user', content: 'Back to the cat: one more line.' });
  const back = await streamOnce(client, model, history, maxTokens);
  return {
    turn1Ms: ttft[0]!,
    turn5Ms: ttft[4]!,
    turn10Ms: ttft[9]!,
    backMs: back.ttftMs,
    evaluated: { turn1: evaluated[0]!, turn10: evaluated[9]!, back: back.evaluatedPromptTokens },
  };
}
