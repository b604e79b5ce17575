// Function calling in the worker, through node-llama-cpp's own path (LlamaChat's `functions` option):
// the chat wrapper describes the functions, the function-name and parameter grammars make whatever the
// model writes after the call prefix a valid call, and LlamaChat stops with the calls for the host to run.
import type {
  ChatHistoryItem,
  ChatModelFunctions,
  ChatModelResponse,
  ChatWrapper,
  ChatWrapperGenerateContextStateOptions,
  ChatWrapperGeneratedContextState,
} from 'node-llama-cpp';
import { RpcError } from '../../../shared/rpc.ts';
import type { VocabularyGuard } from './vocabularyGuard.ts';

export interface FunctionSpec {
  description?: string | undefined;
  params?: unknown;
}

export interface TurnCall {
  name: string;
  params: unknown;
  result: string;
}

function hasCall(response: ChatModelResponse['response']): boolean {
  return response.some((r) => typeof r === 'object' && r !== null && r.type === 'functionCall');
}

/**
 * `tool_choice: "required"`: the wrapper's own output, with function calling engaged from the first token
 * (node-llama-cpp's initiallyEngaged mode) so the model must call one of the functions. Once the answer
 * holds a call it is left free, so a forced call cannot loop.
 */
export function requireFunctionCall(inner: ChatWrapper): ChatWrapper {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== 'generateContextState') return Reflect.get(target, prop, receiver) as unknown;
      return (options: ChatWrapperGenerateContextStateOptions): ChatWrapperGeneratedContextState => {
        const state = target.generateContextState(options);
        const last = options.chatHistory.at(-1);
        if (last?.type === 'model' && hasCall(last.response)) return state;
        return {
          contextText: state.contextText,
          stopGenerationTriggers: state.stopGenerationTriggers,
          ...(state.ignoreStartText ? { ignoreStartText: state.ignoreStartText } : {}),
          functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] },
        };
      };
    },
  });
}

/** The characters every call and JSON answer needs: a vocabulary without them cannot write one. */
const JSON_CHARACTERS = '{}[]":,0123456789';

export function assertCanWriteJson(guard: VocabularyGuard | null, what: string): void {
  if (!guard) return;
  const missing = guard(JSON_CHARACTERS);
  if (missing.length === 0) return;
  throw new RpcError(
    'bad_input',
    `This model cannot write ${what}: its vocabulary has no token for ${missing.map((c) => JSON.stringify(c)).join(', ')} and no byte fallback. Choose another model.`,
  );
}

/**
 * node-llama-cpp builds grammars from a subset of JSON Schema. A tool's schema (from an MCP server or an
 * API client) is cut down to that subset; what is dropped only loosens the grammar, and the host still
 * validates the arguments against the full schema before running anything.
 */
export function grammarSchema(schema: unknown, depth = 0): Record<string, unknown> {
  if (!schema || typeof schema !== 'object' || depth > 8) return {};
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (typeof s.description === 'string') out.description = s.description;
  if (Array.isArray(s.enum) && s.enum.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v)))
    return { ...out, enum: s.enum };
  if ('const' in s) return { ...out, const: s.const };
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf))
    return { ...out, oneOf: ((s.anyOf ?? s.oneOf) as unknown[]).map((v) => grammarSchema(v, depth + 1)) };
  const type = Array.isArray(s.type) ? s.type : typeof s.type === 'string' ? [s.type] : null;
  if (!type) return out;
  if (type.length > 1) return { ...out, oneOf: type.map((t) => grammarSchema({ ...s, type: t }, depth + 1)) };
  switch (type[0]) {
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      const properties: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(props)) properties[key] = grammarSchema(value, depth + 1);
      const required = Array.isArray(s.required) ? s.required.filter((r) => typeof r === 'string' && r in props) : [];
      return { ...out, type: 'object', properties, required };
    }
    case 'array':
      return { ...out, type: 'array', items: grammarSchema(s.items, depth + 1) };
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'null':
      return { ...out, type: type[0] };
    default:
      return out;
  }
}

export function modelFunctions(functions: Record<string, FunctionSpec>): ChatModelFunctions {
  const out: Record<string, { description?: string; params?: never }> = {};
  for (const [name, spec] of Object.entries(functions)) {
    out[name] = {
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.params ? { params: grammarSchema(spec.params) as never } : {}),
    };
  }
  return out;
}
