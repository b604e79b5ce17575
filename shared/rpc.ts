// Transport-agnostic RPC: the same contract runs over Electron IPC, a WebSocket and a worker's
// process channel. Calls are parsed with the contract's schema on the side that serves them.
import type { z } from 'zod';
import { errorMessage } from './errors.ts';

export interface CallSpec {
  args: z.ZodType;
  result: z.ZodType;
}
export interface Contract {
  calls: Record<string, CallSpec>;
  events: Record<string, z.ZodType>;
}

export type CallName<C extends Contract> = keyof C['calls'] & string;
export type EventName<C extends Contract> = keyof C['events'] & string;
export type CallArgs<C extends Contract, K extends CallName<C>> = z.input<C['calls'][K]['args']>;
export type CallResult<C extends Contract, K extends CallName<C>> = z.output<C['calls'][K]['result']>;
export type EventPayload<C extends Contract, K extends EventName<C>> = z.output<C['events'][K]>;

export type ErrorCode =
  | 'bad_input'
  | 'not_found'
  | 'model_load_failed'
  | 'engine_crashed'
  // No llama.cpp binary for this platform is installed: no model can load until it is.
  | 'engine_missing'
  | 'aborted'
  | 'busy'
  | 'internal';

export interface WireError {
  code: ErrorCode;
  message: string;
}

export type RpcMessage =
  | { t: 'call'; id: number; name: string; args: unknown }
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: WireError }
  | { t: 'event'; name: string; payload: unknown };

export interface Transport {
  send(message: RpcMessage): void;
  onMessage(listener: (message: RpcMessage) => void): () => void;
}

export class RpcError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
  }
}

export type Handlers<C extends Contract> = {
  [K in CallName<C>]: (args: z.output<C['calls'][K]['args']>) => Promise<CallResult<C, K>> | CallResult<C, K>;
};

export interface Client<C extends Contract> {
  call<K extends CallName<C>>(name: K, args: CallArgs<C, K>): Promise<CallResult<C, K>>;
  on<K extends EventName<C>>(name: K, listener: (payload: EventPayload<C, K>) => void): () => void;
  /** Rejects every call still waiting, e.g. when the other side went away. */
  failPending(error: RpcError): void;
}

export function createClient<C extends Contract>(transport: Transport): Client<C> {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  transport.onMessage((message) => {
    if (message.t === 'result') {
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new RpcError(message.error.code, message.error.message));
    } else if (message.t === 'event') {
      for (const listener of listeners.get(message.name) ?? []) listener(message.payload);
    }
  });
  return {
    call(name, args) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        try {
          transport.send({ t: 'call', id, name, args });
        } catch (error) {
          pending.delete(id);
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const typed = listener as (payload: unknown) => void;
      set.add(typed);
      return () => set.delete(typed);
    },
    failPending(error) {
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    },
  };
}

export function toWireError(error: unknown): WireError {
  if (error instanceof RpcError) return { code: error.code, message: error.message };
  const message = errorMessage(error);
  return { code: 'internal', message };
}

/** Serves calls: unknown names and payloads that break the schema are refused before any handler runs. */
export function createDispatcher<C extends Contract>(contract: C, handlers: Handlers<C>) {
  return async (message: RpcMessage, reply: (message: RpcMessage) => void): Promise<void> => {
    if (message.t !== 'call') return;
    const { id, name } = message;
    const spec = Object.hasOwn(contract.calls, name) ? contract.calls[name] : undefined;
    if (!spec) {
      reply({
        t: 'result',
        id,
        ok: false,
        error: { code: 'bad_input', message: `Unknown call "${String(name).slice(0, 64)}"` },
      });
      return;
    }
    const parsed = spec.args.safeParse(message.args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      reply({
        t: 'result',
        id,
        ok: false,
        error: { code: 'bad_input', message: `Invalid arguments for ${name}${where}: ${issue?.message ?? 'rejected'}` },
      });
      return;
    }
    try {
      const handler = handlers[name as CallName<C>] as (args: unknown) => unknown;
      const value = await handler(parsed.data);
      reply({ t: 'result', id, ok: true, value });
    } catch (error) {
      reply({ t: 'result', id, ok: false, error: toWireError(error) });
    }
  };
}

/** Checks the outer shape of a message that arrived from an untrusted peer. */
export function isRpcMessage(value: unknown): value is RpcMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.t === 'call') return typeof m.id === 'number' && typeof m.name === 'string';
  if (m.t === 'result') return typeof m.id === 'number' && typeof m.ok === 'boolean';
  if (m.t === 'event') return typeof m.name === 'string';
  return false;
}
