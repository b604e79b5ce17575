// A store's load() may run on every mount and every reconnection; its event subscriptions must be made
// once. The client here is the renderer's own, over the preload bridge path, answered by the contract's
// real dispatcher (which parses every call's arguments); the handlers return fixed figures that pass
// the contract's result schemas, since what is under test is the store, not the telemetry service.
import { beforeAll, describe, expect, it } from 'vitest';
import { appContract } from '../../../shared/contract.ts';
import { createDispatcher, type Handlers, type RpcMessage } from '../../../shared/rpc.ts';
import type { AppContract } from '../../../shared/contract.ts';
import type { TelemetrySample } from '../../../shared/schemas.ts';
import { connectClient } from '../rpc/client.ts';
import { telemetryActions, useTelemetryStore } from './telemetryStore.ts';
import { subscribeOnce } from './lifecycle.ts';

const calls: string[] = [];
const toRenderer = new Set<(message: RpcMessage) => void>();
const emit = (name: string, payload: unknown) => {
  for (const listener of toRenderer) listener({ t: 'event', name, payload });
};

const handlers = {
  'telemetry.sources': () =>
    appContract.calls['telemetry.sources'].result.parse({
      battery: { available: false, detail: 'no battery' },
      power: { available: false, detail: 'no RAPL power counters' },
      vram: { available: false, detail: 'CPU only' },
      powerState: { available: false, detail: 'not reported' },
    }),
  'telemetry.summary': () => [],
} as Partial<Handlers<AppContract>> as Handlers<AppContract>;
const dispatch = createDispatcher(appContract, handlers);

beforeAll(async () => {
  const bridge = {
    send(message: RpcMessage) {
      if (message.t === 'call') calls.push(message.name);
      // Answered on a later task, as over a real channel.
      setTimeout(() => void dispatch(message, (reply) => toRenderer.forEach((l) => l(reply))), 0);
    },
    onMessage(listener: (message: RpcMessage) => void) {
      toRenderer.add(listener);
      return () => toRenderer.delete(listener);
    },
  };
  (globalThis as { window?: unknown }).window = { edgewise: bridge };
  await new Promise<void>((resolve) => connectClient((up) => up && resolve()));
});

const sample = (messageId: string, tokens: number): TelemetrySample => ({
  messageId,
  atMs: tokens * 10,
  tokens,
  tokensPerSec: 100,
  rssBytes: null,
  cpuPercent: null,
  contextTokens: null,
  contextSize: null,
  vramUsedBytes: null,
  vramTotalBytes: null,
  batteryPercent: null,
  charging: null,
  powerW: null,
  energyPerTokenMj: null,
});

describe('store lifecycle', () => {
  it('subscribeOnce runs its subscriptions on the first call only', () => {
    let runs = 0;
    const subscribe = subscribeOnce(() => runs++);
    subscribe();
    subscribe();
    expect(runs).toBe(1);
  });

  it('loading the telemetry store twice fetches twice but applies each event once', async () => {
    await telemetryActions.load();
    await telemetryActions.load();
    expect(calls.filter((c) => c === 'telemetry.sources')).toHaveLength(2);
    expect(useTelemetryStore.getState().sources?.power.detail).toBe('no RAPL power counters');

    emit('telemetry.samples', [sample('m1', 1), sample('m1', 2)]);
    expect(useTelemetryStore.getState().samples['m1']?.map((s) => s.tokens)).toEqual([1, 2]);

    // A finished answer refreshes the medians once, not once per load().
    const before = calls.filter((c) => c === 'telemetry.summary').length;
    emit('chat.done', {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls.filter((c) => c === 'telemetry.summary').length - before).toBe(1);
  });
});
