// A tool as the tool loop sees it, whoever provides it (a built-in or an MCP server).

export interface Tool {
  /** The name the model calls it by: unique across all the tools offered in one answer. */
  name: string;
  /** "built-in" or the MCP server's name, shown in the consent dialog and the trace. */
  server: string;
  description: string;
  /** JSON Schema of the arguments (an object schema). */
  inputSchema: Record<string, unknown>;
  /** Built-ins that read nothing outside the conversation and change nothing run without asking. */
  needsConsent: boolean;
  /** Returns plain text; the loop caps its size and never interprets it. */
  run(args: Record<string, unknown>, signal: AbortSignal): Promise<string>;
}

/** Limits on tool use in one answer; the defaults are the app's. */
export interface ToolLimits {
  /** Calls per answer; the model is told when it reaches the cap and must answer without more calls. */
  maxCalls: number;
  /** Per call, from the start of the call to its result. */
  timeoutMs: number;
  /** Characters of a result given back to the model (and stored); the rest is cut with a note. */
  maxResultChars: number;
}

export const defaultToolLimits: ToolLimits = { maxCalls: 8, timeoutMs: 30_000, maxResultChars: 16_000 };
