// Picks this platform's power and battery sources. Each says what it measured or why it could not.
import { readLinuxBattery, readRapl, type BatteryState, type RaplCounter } from './linuxPower.ts';
import { readMacBattery } from './macPower.ts';
import { readWindowsBattery } from './windowsPower.ts';
import { unavailable, type Reading } from './reading.ts';

export interface PowerSources {
  platform: NodeJS.Platform;
  battery(): Promise<Reading<BatteryState>>;
  /** A cumulative energy counter (RAPL), when the platform has a readable one. */
  energy(): Reading<RaplCounter>;
}

export function powerSources(platform: NodeJS.Platform = process.platform, sysRoot = '/sys/class'): PowerSources {
  return {
    platform,
    battery: async () => {
      if (platform === 'linux') return readLinuxBattery(`${sysRoot}/power_supply`);
      if (platform === 'darwin') return readMacBattery();
      if (platform === 'win32') return readWindowsBattery();
      return unavailable(`no battery source for ${platform}`);
    },
    energy: () => {
      if (platform === 'linux') return readRapl(`${sysRoot}/powercap`);
      if (platform === 'darwin') return unavailable('package power on macOS needs `sudo powermetrics`; Edgewise does not run as root');
      return unavailable(`no energy counter readable without administrator rights on ${platform}`);
    },
  };
}

export interface SourceStatus { available: boolean; detail: string }

/** What the telemetry panel can show on this machine, and why the rest is unavailable. */
export async function describeSources(
  sources: PowerSources, backend: string | null, powerState?: () => { onBattery: boolean; thermalState: string },
): Promise<{ battery: SourceStatus; power: SourceStatus; vram: SourceStatus; powerState: SourceStatus }> {
  const [battery, energy] = [await sources.battery(), sources.energy()];
  const state = powerState?.();
  return {
    battery: battery.ok ? { available: true, detail: battery.source } : { available: false, detail: battery.reason },
    power: energy.ok ? { available: true, detail: energy.source }
      : battery.ok && battery.value.powerW !== null ? { available: true, detail: `${battery.source} (only while on battery)` }
        : { available: false, detail: `${energy.reason}; ${battery.ok ? 'the battery reports no power figure' : battery.reason}` },
    vram: backend && backend !== 'cpu' ? { available: true, detail: backend } : { available: false, detail: 'no GPU in use: the model runs on the CPU' },
    powerState: state
      ? { available: true, detail: `${state.onBattery ? 'on battery' : 'on AC power'}, thermal state ${state.thermalState}` }
      : { available: false, detail: "Electron's powerMonitor runs only in the desktop app, not in the headless shell" },
  };
}
