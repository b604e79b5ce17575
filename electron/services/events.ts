// How services publish the contract's events without knowing which shell carries them.
import type { AppContract } from '../../shared/contract.ts';
import type { EventName, EventPayload } from '../../shared/rpc.ts';

export type AppEmit = <K extends EventName<AppContract>>(name: K, payload: EventPayload<AppContract, K>) => void;
