// An answer with tools: the model answers through node-llama-cpp's function calling; when it stops to
// call tools, each call goes through consent, runs (or is refused) and its result is given back, and the
// model continues. A cap on calls per answer ends the loop: past it the model is offered no tools.
import type { ToolStep } from '../../../shared/contract/tools.ts';
import {
  answerOnDevice,
  type OnDeviceAnswer,
  type OnDeviceDeps,
  type OnDeviceRequest,
} from '../chat/onDeviceAnswer.ts';
import type { FunctionSpec, TurnCall } from '../engine/functionCalling.ts';
import { callTool, overCap, shownArguments } from './toolCall.ts';
import type { ConsentAsker, ToolConsentGate } from './toolConsentGate.ts';
import type { Tool, ToolLimits } from './toolTypes.ts';
import { defaultToolLimits } from './toolTypes.ts';

export interface ToolRun {
  tools: Tool[];
  conversationId: string;
  gate: ToolConsentGate;
  ask: ConsentAsker | null;
  limits?: ToolLimits;
  /** Each step as it ends (the trace, the UI), with the text the model was given back. */
  onStep?: (step: ToolStep, result: string) => void;
}

export interface ToolAnswer extends OnDeviceAnswer {
  steps: ToolStep[];
}

export function functionSpecs(tools: Tool[]): Record<string, FunctionSpec> {
  return Object.fromEntries(tools.map((t) => [t.name, { description: t.description, params: t.inputSchema }]));
}

export async function answerWithTools(deps: OnDeviceDeps, req: OnDeviceRequest, run: ToolRun): Promise<ToolAnswer> {
  const limits = run.limits ?? defaultToolLimits;
  const byName = new Map(run.tools.map((t) => [t.name, t]));
  const specs = functionSpecs(run.tools);
  const history = [...req.history];
  const steps: ToolStep[] = [];
  let text = '';
  let first = true;
  for (;;) {
    const offer = run.tools.length > 0 && steps.length < limits.maxCalls;
    const answer = await answerOnDevice(deps, {
      ...req,
      history,
      ...(offer ? { functions: specs, toolChoice: first ? (req.toolChoice ?? 'auto') : 'auto' } : {}),
    });
    first = false;
    text += answer.text;
    if (answer.functionCalls.length === 0 || req.signal?.aborted) return { ...answer, text, steps };
    const calls: TurnCall[] = [];
    for (const call of answer.functionCalls) {
      const over = steps.length >= limits.maxCalls;
      const outcome = over
        ? overCap(call.name, byName.get(call.name), shownArguments(call.params), limits.maxCalls)
        : await callTool(byName.get(call.name), call.name, call.params, {
            conversationId: run.conversationId,
            gate: run.gate,
            ask: run.ask,
            limits,
            signal: req.signal ?? new AbortController().signal,
          });
      steps.push(outcome.step);
      run.onStep?.(outcome.step, outcome.result);
      calls.push({ name: call.name, params: call.params, result: outcome.result });
    }
    // The answer so far, its calls and their results: the model continues the same answer.
    const last = history.at(-1);
    if (last?.role === 'assistant' && last.calls?.length) {
      history[history.length - 1] = { ...last, text: last.text + answer.text, calls: [...last.calls, ...calls] };
    } else {
      history.push({ role: 'assistant', text: answer.text, calls });
    }
  }
}
