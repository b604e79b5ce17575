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
