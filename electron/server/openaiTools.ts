// OpenAI's tool calling and structured output for /v1/chat/completions: the request fields, the history
// with assistant tool_calls and tool results, and the check that a JSON answer parses and matches.
// The API only returns the model's calls; the client runs them, so no tool of the app's (MCP or other)
// is ever run from here, with or without consent.
import { z } from 'zod';
import type { Turn } from '../services/chat/onDeviceAnswer.ts';
import type { FunctionSpec } from '../services/engine/functionCalling.ts';
import { checkArguments } from '../services/toolUse/argumentCheck.ts';

const functionName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, up to 64');

export const toolDefinition = z.object({
  type: z.literal('function'),
  function: z.object({
    name: functionName,
    description: z.string().max(8192).optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

export const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: functionName }) }),
]);

export const toolCall = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

export const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().max(64),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);
export type ResponseFormatField = z.infer<typeof responseFormat>;

type Content = string | { type: 'text'; text: string }[];
type Message =
  | { role: 'system' | 'developer'; content: Content }
  | { role: 'user'; content: Content }
  | {
      role: 'assistant';
      content?: Content | null | undefined;
      tool_calls?: z.infer<typeof toolCall>[] | null | undefined;
      reasoning_content?: string | null | undefined;
    }
  | { role: 'tool'; content: Content; tool_call_id: string };

const text = (c: Content | null | undefined) =>
  c == null ? '' : typeof c === 'string' ? c : c.map((p) => p.text).join('');

/** The conversation as the engine takes it; `problem` says what is wrong with a history it cannot use. */
export function historyOf(messages: Message[]): { systemPrompt: string; history: Turn[]; problem: string | null } {
  const system: string[] = [];
  const history: Turn[] = [];
  const pending = new Map<string, { turn: Turn; index: number }>();
  for (const m of messages) {
    if (m.role === 'system' || m.role === 'developer') system.push(text(m.content));
    else if (m.role === 'user') history.push({ role: 'user', text: text(m.content) });
    else if (m.role === 'assistant') {
      const turn: Turn = {
        role: 'assistant',
        text: text(m.content),
        ...(m.reasoning_content ? { thoughts: m.reasoning_content } : {}),
      };
      for (const call of m.tool_calls ?? []) {
        let params: unknown;
        try {
          params = JSON.parse(call.function.arguments);
        } catch {
          return { systemPrompt: '', history: [], problem: `tool call ${call.id} has arguments that are not JSON.` };
        }
        turn.calls ??= [];
        pending.set(call.id, { turn, index: turn.calls.length });
        turn.calls.push({ name: call.function.name, params, result: '' });
      }
      history.push(turn);
    } else if (m.role === 'tool') {
      const owner = pending.get(m.tool_call_id);
      if (!owner)
        return { systemPrompt: '', history: [], problem: `tool message for unknown tool_call_id "${m.tool_call_id}".` };
      owner.turn.calls![owner.index]!.result = text(m.content);
      pending.delete(m.tool_call_id);
    }
  }
  if (pending.size > 0)
    return {
      systemPrompt: '',
      history: [],
      problem: `tool_calls without a tool message answering them: ${[...pending.keys()].join(', ')}.`,
    };
  const last = history.at(-1);
  if (!last || (last.role !== 'user' && !last.calls?.length))
    return { systemPrompt: '', history: [], problem: 'messages must end with a user message or tool results.' };
  return { systemPrompt: system.join('\n\n'), history, problem: null };
}

/** The functions to offer and whether one must be called; a string says what is wrong with the request. */
export function toolRequest(
  tools: z.infer<typeof toolDefinition>[],
  choice: z.infer<typeof toolChoice> | null,
): { functions: Record<string, FunctionSpec> | null; choice: 'auto' | 'required' } | string {
  if (tools.length === 0 || choice === 'none') {
    if (choice && choice !== 'none' && tools.length === 0) return 'tool_choice needs tools.';
    return { functions: null, choice: 'auto' };
  }
  const functions: Record<string, FunctionSpec> = {};
  for (const t of tools) {
    if (t.function.name in functions) return `two tools are named "${t.function.name}".`;
    functions[t.function.name] = { description: t.function.description, params: t.function.parameters };
  }
  if (typeof choice === 'object' && choice !== null) {
    const wanted = functions[choice.function.name];
    if (!wanted) return `tool_choice names "${choice.function.name}", which is not among the tools.`;
    return { functions: { [choice.function.name]: wanted }, choice: 'required' };
  }
  return { functions, choice: choice === 'required' ? 'required' : 'auto' };
}

/** null when the answer parses (as an object for json_object) and matches the schema. */
export function validJsonAnswer(answer: string, format: Exclude<ResponseFormatField, { type: 'text' }>): string | null {
  let value: unknown;
  try {
    value = JSON.parse(answer);
  } catch (error) {
    return `it does not parse (${error instanceof Error ? error.message : String(error)})`;
  }
  if (format.type === 'json_object')
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? null : 'it is not a JSON object';
  return format.json_schema.schema ? checkArguments(format.json_schema.schema, value) : null;
}
