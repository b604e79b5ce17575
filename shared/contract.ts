// Every call and event between the UI and the back end, declared once, one file per domain in
// contract/. The back end parses every payload with these schemas (the renderer is untrusted input);
// the preload exposes exactly these names.
import { mergeContracts } from './contract/merge.ts';
import { appInfoContract } from './contract/app.ts';
import { engineContract } from './contract/engine.ts';
import { modelsContract } from './contract/models.ts';
import { chatContract } from './contract/chat.ts';
import { fitContract } from './contract/fit.ts';
import { routingContract } from './contract/routing.ts';
import { telemetryContract } from './contract/telemetry.ts';
import { quantContract } from './contract/quant.ts';
import { dataContract } from './contract/data.ts';
import { conversationsContract } from './contract/conversations.ts';
import { presetsContract } from './contract/presets.ts';
import { documentsContract } from './contract/documents.ts';
import { toolsContract } from './contract/toolCalls.ts';

export const appContract = mergeContracts([
  appInfoContract,
  engineContract,
  modelsContract,
  chatContract,
  fitContract,
  routingContract,
  telemetryContract,
  quantContract,
  dataContract,
  conversationsContract,
  presetsContract,
  documentsContract,
  toolsContract,
]);

export type AppContract = typeof appContract;
/** The one Electron IPC channel the contract travels on. */
export const IPC_CHANNEL = 'edgewise:rpc';
export const callNames = Object.keys(appContract.calls) as (keyof AppContract['calls'])[];
export const eventNames = Object.keys(appContract.events) as (keyof AppContract['events'])[];
