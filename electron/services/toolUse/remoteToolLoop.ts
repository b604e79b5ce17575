// An answer with tools from a remote tier (the private server's OpenAI-compatible API, or the partner's
// OpenAI or Anthropic API): the remote is offered the tools; when it stops to call some, each call goes
// through the same consent, schema check, timeout and inert cap as on this device (callTool), its result
// (or the refusal) is sent back as a `tool` message or `tool_result` block, and the remote continues.
// The partner's own per-query consent is asked before this runs (AnswerRun.route); nothing here sends
// anything anywhere but to the endpoint that asked, whatever a document or a tool result says.
import type { ToolStep } from '../../../shared/contract/tools.ts';
import { streamRemote, type RemoteEndpoint, type RemoteRequest, type RemoteResult } from '../router/remoteClient.ts';
import type { RemoteToolCall, ToolRound } from '../router/remoteTools.ts';
import { callTool, notRun, overCap } from './toolCall.ts';
import { allowed, type ConsentAsker } from './toolConsentGate.ts';
import type { ToolRun } from './toolLoop.ts';
import { defaultToolLimits, type Tool } from './toolTypes.ts';

export interface RemoteToolAnswer extends RemoteResult {
  steps: ToolStep[];
}

/** The arguments as the trace shows them. */
function shown(call: RemoteToolCall): string {
  return call.argumentsCut ? '(too long: not kept)' : call.arguments.slice(0, 2000);
}

/** The arguments as an object, or why they cannot be used. */
function parseArguments(call: RemoteToolCall): { params: unknown } | { problem: string } {
  if (call.argumentsCut) return { problem: 'the arguments are longer than any tool takes' };
  try {
    return { params: JSON.parse(call.arguments.trim() || '{}') as unknown };
  } catch (error) {
    return { problem: `the arguments are not valid JSON (${(error as Error).message})` };
  }
}

/**
 * Names as the remote APIs accept them (OpenAI and Anthropic both allow [a-zA-Z0-9_-]{1,64}): an MCP
 * tool named "files.read" is offered as "files_read", and a call to that name maps back to the tool.
 */
export function remoteNames(tools: Tool[]): Map<string, Tool> {
  const valid = (name: string) => /^[a-zA-Z0-9_-]{1,64}$/.test(name);
  // Names already valid keep them; the others take what is left.
  const taken = new Set(tools.map((t) => t.name).filter(valid));
  const names = tools.map((tool) => {
    if (valid(tool.name)) return tool.name;
    const base = tool.name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 60) || 'tool';
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    return name;
  });
  return new Map(names.map((name, i) => [name, tools[i]!]));
}

const sum = (a: number | null, b: number | null) => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));

/**
 * Streams one remote answer, running the tools it calls; without a ToolRun (or with no tools on) it is
 * exactly streamRemote. Text from every round is streamed through onDelta and joined in the result.
 */
export async function streamRemoteWithTools(
  endpoint: RemoteEndpoint,
  req: RemoteRequest,
  run: ToolRun | null,
  onDelta: (text: string, thought: boolean) => void,
  signal: AbortSignal,
  firstByteTimeoutMs?: number,
): Promise<RemoteToolAnswer> {
  if (!run || run.tools.length === 0)
    return { ...(await streamRemote(endpoint, req, onDelta, signal, firstByteTimeoutMs)), steps: [] };
  const limits = run.limits ?? defaultToolLimits;
  // The dialog says who asked: allowing a call here also sends its result to this endpoint.
  const resultGoesTo = `${endpoint.name} (${new URL(endpoint.baseUrl).host})`;
  const given = run.ask;
  const ask: ConsentAsker | null = given && ((request, s) => given({ ...request, resultGoesTo }, s));
  const byName = remoteNames(run.tools);
  const tools = [...byName].map(([name, t]) => ({ name, description: t.description, inputSchema: t.inputSchema }));
  const rounds: ToolRound[] = [];
  const steps: ToolStep[] = [];
  let total: RemoteToolAnswer | null = null;
  let pastCapRounds = 0;
  for (;;) {
    const offer = steps.length < limits.maxCalls;
    const result = await streamRemote(
      endpoint,
      { ...req, tools, toolChoice: offer ? 'auto' : 'none', rounds },
      onDelta,
      signal,
      firstByteTimeoutMs,
    );
    total = total
      ? {
          ...result,
          text: total.text + result.text,
          thoughts: total.thoughts + result.thoughts,
          thoughtTokens: sum(total.thoughtTokens, result.thoughtTokens),
          promptTokens: sum(total.promptTokens, result.promptTokens),
          outputTokens: sum(total.outputTokens, result.outputTokens),
          steps,
        }
      : { ...result, steps };
    // A remote that keeps calling after being told not to gets one more refusal, then the answer ends.
    if (!offer) pastCapRounds++;
    if (result.toolCalls.length === 0 || result.stopReason === 'aborted' || signal.aborted || pastCapRounds > 1)
      return total;
    const results: ToolRound['results'] = [];
    for (const call of result.toolCalls) {
      const tool = byName.get(call.name);
      const parsed = parseArguments(call);
      const outcome =
        steps.length >= limits.maxCalls
          ? overCap(call.name, tool, shown(call), limits.maxCalls)
          : 'problem' in parsed
            ? notRun(
                call.name,
                tool,
                shown(call),
                'not needed',
                `Error: ${parsed.problem}. Nothing was run.`,
                parsed.problem,
              )
            : await callTool(tool, tool?.name ?? call.name, parsed.params, {
                conversationId: run.conversationId,
                gate: run.gate,
                ask,
                limits,
                signal,
              });
      steps.push(outcome.step);
      run.onStep?.(outcome.step, outcome.result);
      results.push({
        id: call.id,
        content: outcome.result,
        isError: outcome.step.error !== null || !allowed(outcome.step.consent),
      });
    }
    rounds.push({ text: result.text, calls: result.toolCalls, results });
  }
}
