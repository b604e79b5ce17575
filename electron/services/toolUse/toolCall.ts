// One tool call: consent first, then the arguments checked against the tool's schema, then the run under
// a timeout, and the result capped and kept as plain text. Whatever happens becomes text for the model
// and a step for the trace; a failing tool never fails the answer.
import type { ToolStep } from '../../../shared/contract/tools.ts';
import { errorMessage } from '../../../shared/errors.ts';
import { allowed, type ConsentAsker, type ToolConsentGate } from './toolConsentGate.ts';
import { checkArguments } from './argumentCheck.ts';
import type { Tool, ToolLimits } from './toolTypes.ts';

export interface CallContext {
  conversationId: string;
  gate: ToolConsentGate;
  ask: ConsentAsker | null;
  limits: ToolLimits;
  signal: AbortSignal;
}

export interface CallOutcome {
  /** What the model is given back. */
  result: string;
  step: ToolStep;
}

const MAX_SHOWN_ARGUMENTS = 2000;

export function shownArguments(params: unknown): string {
  const text = JSON.stringify(params ?? {}) ?? 'null';
  return text.length > MAX_SHOWN_ARGUMENTS ? `${text.slice(0, MAX_SHOWN_ARGUMENTS)}… (cut)` : text;
}

/** A call answered without running anything: over the cap, or arguments that are not a JSON object. */
export function notRun(
  name: string,
  tool: Tool | undefined,
  shown: string,
  consent: ToolStep['consent'],
  result: string,
  error: string | null,
): CallOutcome {
  return {
    result,
    step: {
      tool: tool?.name ?? name,
      server: tool?.server ?? 'unknown',
      arguments: shown,
      consent,
      resultBytes: Buffer.byteLength(result),
      truncated: false,
      ms: 0,
      error,
    },
  };
}

/** Past the answer's cap on calls, on the device and on a remote tier alike: the model is told, nothing runs. */
export function overCap(name: string, tool: Tool | undefined, shown: string, maxCalls: number): CallOutcome {
  const result = `Not run: this answer reached its cap of ${maxCalls} tool calls. Answer with what you have.`;
  return notRun(name, tool, shown, 'refused: over the cap', result, null);
}

/** Control characters other than newline and tab are dropped: the text is shown and stored, never run. */
export function inertText(text: string, maxChars: number): { text: string; truncated: boolean } {
  const clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  if (clean.length <= maxChars) return { text: clean, truncated: false };
  return {
    text: `${clean.slice(0, maxChars)}\n[Result cut at ${maxChars} of ${clean.length} characters.]`,
    truncated: true,
  };
}

export async function callTool(
  tool: Tool | undefined,
  name: string,
  params: unknown,
  ctx: CallContext,
): Promise<CallOutcome> {
  const started = performance.now();
  const args = shownArguments(params);
  const step = (consent: ToolStep['consent'], result: string, truncated: boolean, error: string | null) => ({
    result,
    step: {
      tool: name,
      server: tool?.server ?? 'unknown',
      arguments: args,
      consent,
      resultBytes: Buffer.byteLength(result),
      truncated,
      ms: performance.now() - started,
      error,
    },
  });
  if (!tool) return step('not needed', `Error: there is no tool named "${name}".`, false, 'no such tool');
  const consent = await ctx.gate.decide(ctx.conversationId, tool, args, ctx.ask, ctx.signal);
  if (!allowed(consent)) {
    const why =
      consent === 'denied'
        ? 'The user denied this call. Do not call it again for this request; answer without it.'
        : "This tool needs the user's consent and no one can be asked here, so it was not run. Answer without it.";
    return step(consent, why, false, null);
  }
  const problem = checkArguments(tool.inputSchema, params);
  if (problem) return step(consent, `Error: the arguments do not match the tool's schema: ${problem}`, false, problem);
  const timeout = AbortSignal.timeout(ctx.limits.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const onAbort = () =>
        reject(
          new Error(timeout.aborted ? `the tool did not answer within ${ctx.limits.timeoutMs / 1000} s` : 'stopped'),
        );
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      tool.run((params ?? {}) as Record<string, unknown>, signal).then(resolve, reject);
    });
    const { text, truncated } = inertText(output, ctx.limits.maxResultChars);
    return step(consent, text, truncated, null);
  } catch (error) {
    const message = errorMessage(error);
    return step(consent, `Error: ${message}`, false, message);
  }
}
