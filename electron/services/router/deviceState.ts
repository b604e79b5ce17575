// The device signals the router needs: battery (Linux sysfs here; the telemetry issue adds macOS and
// Windows sources) and whether the network is up. A missing figure is null, never a guess.
import { readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';

export interface Battery { percent: number | null; charging: boolean | null }

export function readBattery(root = '/sys/class/power_supply'): Battery {
  try {
    for (const name of readdirSync(root)) {
      const dir = join(root, name);
      const type = readFileSync(join(dir, 'type'), 'utf8').trim();
      if (type !== 'Battery') continue;
      const percent = Number(readFileSync(join(dir, 'capacity'), 'utf8').trim());
      const status = readFileSync(join(dir, 'status'), 'utf8').trim();
      return { percent: Number.isFinite(percent) ? percent : null, charging: status === 'Charging' || status === 'Full' };
    }
  } catch {
    // no power_supply class (not Linux, or a container): unknown
  }
  return { percent: null, charging: null };
}

/** Online when any interface other than loopback is up with an address. */
export function isOnline(): boolean {
  return Object.values(networkInterfaces()).some((list) => list?.some((i) => !i.internal));
}
