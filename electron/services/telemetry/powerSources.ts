// Picks this platform's power and battery sources. Each says what it measured or why it could not.
import { readLinuxBattery, readRapl, type BatteryState, type RaplCounter } from './linuxPower.ts';
import { readMacBattery } from './macPower.ts';
import { readWindowsBattery } from './windowsPower.ts';
import { unavailable, type Reading } from './reading.ts';
import { describePowerState, type PowerState, type SourceStatus } from './powerState.ts';

export type { SourceStatus } from './powerState.ts';

export interface PowerSources {
  platform: NodeJS.Platform;
  battery(): Promise<Reading<BatteryState>>;
  /** A cumulative energy counter (RAPL), when the platform has a readable one. */
  energy(): Reading<RaplCounter>;
}

/**
 * ioreg and PowerShell are processes to start; at the sampler's 4 Hz they would cost more CPU than the
 * whole 1% budget (PowerShell alone takes longer than a sample interval to start). Their readings are
 * reused for this long; sysfs files are cheap and read every time.
 */
export const SPAWNED_SOURCE_MS = 2000;

/**
 * A reading reused for `ms`; after that, the last one is still answered at once while a new one is made
 * (the next call gets it once it is in). Only the very first call waits for a reading. Routing reads the
 * battery before every answer: waiting there for PowerShell to start (hundreds of ms on Windows) or ioreg
 * would be time to first token.
 */
export function reusedFor<T>(ms: number, read: () => Promise<T>, now = Date.now): () => Promise<T> {
  let startedAt = -Infinity;
  let pending: Promise<T> | null = null;
  let latest: { value: T } | null = null;
  return () => {
    if (!pending || now() - startedAt >= ms) {
      startedAt = now();
      const reading = read();
      pending = reading;
      reading.then(
        (value) => {
          if (pending === reading) latest = { value };
        },
        () => undefined,
      );
    }
    return latest ? Promise.resolve(latest.value) : pending;
  };
}

export function powerSources(platform: NodeJS.Platform = process.platform, sysRoot = '/sys/class'): PowerSources {
  const battery =
    platform === 'linux'
      ? async () => readLinuxBattery(`${sysRoot}/power_supply`)
      : platform === 'darwin'
        ? reusedFor(SPAWNED_SOURCE_MS, readMacBattery)
        : platform === 'win32'
          ? reusedFor(SPAWNED_SOURCE_MS, readWindowsBattery)
          : async () => unavailable(`no battery source for ${platform}`);
  return {
    platform,
    battery,
    energy: () => {
      if (platform === 'linux') return readRapl(`${sysRoot}/powercap`);
      if (platform === 'darwin')
        return unavailable('package power on macOS needs `sudo powermetrics`; Edgewise does not run as root');
      return unavailable(`no energy counter readable without administrator rights on ${platform}`);
    },
  };
}

/** VRAM is measured in the engine worker (llama.cpp's backend reports the device's memory in use). */
function vramSource(backend: string | null, vramUsedBytes: number | null | undefined): SourceStatus {
  if (!backend) return { available: false, detail: 'no model is loaded yet' };
  if (backend === 'cpu') return { available: false, detail: 'the model runs on the CPU backend, which uses no VRAM' };
  if (vramUsedBytes === null)
    return {
      available: false,
      detail: `the ${backend} device reports no memory in use with a model loaded: its driver has no memory-budget query (as on software devices such as llvmpipe)`,
    };
  return {
    available: true,
    detail: `GPU memory in use on the whole device, as llama.cpp's ${backend} backend reports it, sampled while generating`,
  };
}

/** What the telemetry panel can show on this machine, and why the rest is unavailable. */
export async function describeSources(
  sources: PowerSources,
  backend: string | null,
  powerState?: () => PowerState,
  /** The GPU memory in use now, as the engine worker measured it (null: its backend reports none). */
  vramUsedBytes?: number | null,
): Promise<{ battery: SourceStatus; power: SourceStatus; vram: SourceStatus; powerState: SourceStatus }> {
  const [battery, energy] = [await sources.battery(), sources.energy()];
  const state = powerState?.();
  return {
    battery: battery.ok ? { available: true, detail: battery.source } : { available: false, detail: battery.reason },
    power: energy.ok
      ? { available: true, detail: energy.source }
      : battery.ok && battery.value.powerW !== null
        ? { available: true, detail: `${battery.source} (only while on battery)` }
        : {
            available: false,
            detail: `${energy.reason}; ${battery.ok ? 'the battery reports no power figure' : battery.reason}`,
          },
    vram: vramSource(backend, vramUsedBytes),
    powerState: describePowerState(state, sources.platform),
  };
}
