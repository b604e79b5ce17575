// The renderer's one contract client. Only the stores in state/ call it; components read the stores
// (eslint.config.js forbids components/ to import anything under rpc/).
import type { Client } from '../../../shared/rpc.ts';
import type { AppContract } from '../../../shared/contract.ts';
import { connect } from './transport.ts';

let client: Client<AppContract> | null = null;

/** Opens the transport once; onConnection runs on every connection and loss. */
export function connectClient(onConnection: (up: boolean) => void): Client<AppContract> {
  client ??= connect(onConnection);
  return client;
}

export function rpc(): Client<AppContract> {
  if (!client) throw new Error('Edgewise is not connected yet.');
  return client;
}
