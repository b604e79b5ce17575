// A store's load() may run on every mount and every reconnection; its event subscriptions must be made
// once. The client here is the renderer's own, over the preload bridge path, answered by the contract's
// real dispatcher (which parses every call's arguments); the handlers return fixed figures that pass
// the contract's result schemas, since what is under test is the store, not the telemetry service.
import { beforeAll, describe, expect, it } from 'vitest';
import { appContract } from '../../../shared/contract.ts';
import type { AppContract } from '../../../shared/contract.ts';
import type { Handlers } from '../../../shared/rpc.ts';
import type { TelemetrySample } from '../../../shared/schemas.ts';
import { telemetryActions, useTelemetryStore } from './telemetryStore.ts';
import { subscribeOnce } from './lifecycle.ts';
import { connectTestBridge } from './testBridge.ts';

const calls: string[] = [];
let emit: (name: string, payload: unknown) => void = () => {};

const handlers = {
  'telemetry.sources': () =>
    appContract.calls['telemetry.sources'].result.parse({
      battery: { available: false, detail: 'no battery' },
      power: { available: false, detail: 'no RAPL power counters' },
      vram: { available: false, detail: 'CPU only' },
      powerState: { available: false, detail: 'not reported' },
    }),
  'telemetry.summary': () => [],
} as Partial<Handlers<AppContract>>;

beforeAll(async () => {
  emit = await connectTestBridge(handlers, (name) => calls.push(name));
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
