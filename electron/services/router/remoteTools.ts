// Tool calling in the remote tiers' own formats: OpenAI's `tools` with `tool_calls` streamed as deltas
// (the name once, the arguments as pieces of a JSON string), and Anthropic's `tool_use` content blocks
// with their input streamed as `input_json_delta`. The loop that runs the calls is toolUse/remoteToolLoop.

export interface RemoteToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments (an object schema). */
  inputSchema: Record<string, unknown>;
}

export interface RemoteToolCall {
  /** The server's id for the call, echoed with its result; made up when a server sends none. */
  id: string;
  name: string;
  /** The arguments as the server sent them: JSON text, not yet parsed or trusted. */
  arguments: string;
  /** The arguments passed the size cap; over it they are dropped and the call is answered with an error. */
  argumentsCut: boolean;
}

/** One exchange after the question: what the remote wrote, the calls it made and what each returned. */
export interface ToolRound {
  text: string;
  calls: RemoteToolCall[];
  results: { id: string; content: string; isError: boolean }[];
}

/** Arguments past this many characters are not kept: no tool takes that much, and it bounds memory. */
export const MAX_ARGUMENT_CHARS = 256 * 1024;

function parsedInput(call: RemoteToolCall): unknown {
  try {
    const value: unknown = JSON.parse(call.arguments || '{}');
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** The request fields for tools, and the messages of the rounds so far, in OpenAI's format. */
export function openaiTools(tools: RemoteToolSpec[] | undefined, choice: 'auto' | 'none', rounds: ToolRound[]) {
  const fields = tools?.length
    ? {
        tools: tools.map((t) => ({
          type: 'function',
          function: { name: t.name, description: t.description, parameters: t.inputSchema },
        })),
        tool_choice: choice,
      }
    : {};
  const messages = rounds.flatMap((r) => [
    {
      role: 'assistant',
      content: r.text || null,
      tool_calls: r.calls.map((c) => ({
        id: c.id,
        type: 'function',
        function: { name: c.name, arguments: c.argumentsCut ? '{}' : c.arguments },
      })),
    },
    ...r.results.map((x) => ({ role: 'tool', tool_call_id: x.id, content: x.content })),
  ]);
  return { fields, messages };
}

/** The same in Anthropic's format: tool_use blocks in the assistant's turn, tool_result blocks in the next. */
export function anthropicTools(tools: RemoteToolSpec[] | undefined, choice: 'auto' | 'none', rounds: ToolRound[]) {
  const fields = tools?.length
    ? {
        tools: tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema })),
        tool_choice: { type: choice },
      }
    : {};
  const messages = rounds.flatMap((r) => [
    {
      role: 'assistant',
      content: [
        ...(r.text ? [{ type: 'text', text: r.text }] : []),
        ...r.calls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: parsedInput(c) })),
      ],
    },
    {
      role: 'user',
      content: r.results.map((x) => ({
        type: 'tool_result',
        tool_use_id: x.id,
        content: x.content,
        ...(x.isError ? { is_error: true } : {}),
      })),
    },
  ]);
  return { fields, messages };
}

/** Gathers the calls of one streamed answer from either format's events. */
export class ToolCallCollector {
  private readonly calls = new Map<number, RemoteToolCall>();

  private at(index: number): RemoteToolCall {
    let call = this.calls.get(index);
    if (!call) {
      call = { id: '', name: '', arguments: '', argumentsCut: false };
      this.calls.set(index, call);
    }
    return call;
  }

  private append(call: RemoteToolCall, piece: unknown) {
    if (typeof piece !== 'string' || call.argumentsCut) return;
    if (call.arguments.length + piece.length > MAX_ARGUMENT_CHARS) {
      call.arguments = '';
      call.argumentsCut = true;
    } else call.arguments += piece;
  }

  /** OpenAI: `choices[0].delta.tool_calls`, each piece keyed by its index. */
  openai(deltas: unknown): void {
    if (!Array.isArray(deltas)) return;
    for (const d of deltas as { index?: number; id?: string; function?: { name?: string; arguments?: string } }[]) {
      const call = this.at(typeof d.index === 'number' ? d.index : 0);
      if (d.id) call.id = d.id;
      if (d.function?.name) call.name += d.function.name;
      this.append(call, d.function?.arguments);
    }
  }

  /** Anthropic: a tool_use block starts with its id and name; its input arrives as partial JSON. */
  anthropic(e: Record<string, any>): void {
    if (e.type === 'content_block_start' && e.content_block?.type === 'tool_use') {
      const call = this.at(e.index);
      call.id = String(e.content_block.id ?? '');
      call.name = String(e.content_block.name ?? '');
      const input = e.content_block.input as unknown;
      if (input && typeof input === 'object' && Object.keys(input).length > 0) this.append(call, JSON.stringify(input));
    }
    if (e.type === 'content_block_delta' && e.delta?.type === 'input_json_delta' && this.calls.has(e.index))
      this.append(this.at(e.index), e.delta.partial_json);
  }

  result(): RemoteToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => ({ ...c, id: c.id || `call_${index}` }))
      .filter((c) => c.name);
  }
}
