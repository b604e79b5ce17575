// Linux power figures from sysfs. The root is a parameter so tests can build a real-layout tree.
//  - RAPL energy counters: /sys/class/powercap/intel-rapl:N/energy_uj (package domain), which wrap at
//    max_energy_range_uj. Reading them needs root on most distributions since 2020 (CVE-2020-8694).
//  - Battery: /sys/class/power_supply/BAT*/power_now (µW), or current_now (µA) × voltage_now (µV).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reading, unavailable, type Reading } from './reading.ts';
import { errorMessage } from '../../../shared/errors.ts';

const readNumber = (path: string) => Number(readFileSync(path, 'utf8').trim());

export interface RaplCounter {
  energyUj: number;
  maxEnergyRangeUj: number;
  domain: string;
}

export function readRapl(root = '/sys/class/powercap'): Reading<RaplCounter> {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return unavailable(
      'no RAPL power counters (/sys/class/powercap is missing: not an Intel/AMD package sensor, or not Linux)',
    );
  }
  const pkg = entries.filter((e) => /^intel-rapl:\d+$/.test(e)).sort()[0];
  if (!pkg) return unavailable('no RAPL package domain under /sys/class/powercap');
  const dir = join(root, pkg);
  try {
    const domain = readFileSync(join(dir, 'name'), 'utf8').trim();
    return reading(
      {
        energyUj: readNumber(join(dir, 'energy_uj')),
        maxEnergyRangeUj: readNumber(join(dir, 'max_energy_range_uj')),
        domain,
      },
      `RAPL ${pkg} (${domain})`,
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return unavailable(
      code === 'EACCES'
        ? `RAPL counters need root to read (${join(dir, 'energy_uj')} is root-only)`
        : `RAPL counter unreadable (${code ?? errorMessage(error)})`,
    );
  }
}

/** Joules between two readings of one counter, across at most one wrap-around. */
export function raplJoules(before: RaplCounter, after: RaplCounter): number {
  const delta =
    after.energyUj >= before.energyUj
      ? after.energyUj - before.energyUj
      : after.energyUj + (before.maxEnergyRangeUj - before.energyUj);
  return delta / 1e6;
}

export interface BatteryState {
  percent: number | null;
  charging: boolean | null;
  powerW: number | null;
}

export function readLinuxBattery(root = '/sys/class/power_supply'): Reading<BatteryState> {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return unavailable('no /sys/class/power_supply (not Linux, or hidden in this container)');
  }
  for (const name of names) {
    const dir = join(root, name);
    const text = (file: string) => {
      try {
        return readFileSync(join(dir, file), 'utf8').trim();
      } catch {
        return null;
      }
    };
    if (text('type') !== 'Battery') continue;
    const num = (file: string) => {
      const t = text(file);
      return t === null || t === '' ? null : Number(t);
    };
    const powerUw = num('power_now');
    const currentUa = num('current_now');
    const voltageUv = num('voltage_now');
    const powerW =
      powerUw !== null
        ? powerUw / 1e6
        : currentUa !== null && voltageUv !== null
          ? (currentUa * voltageUv) / 1e12
          : null;
    const status = text('status');
    return reading(
      {
        percent: num('capacity'),
        charging: status === null ? null : status === 'Charging' || status === 'Full',
        powerW,
      },
      `sysfs ${name}`,
    );
  }
  return unavailable('no battery: this machine has none (no power_supply of type Battery)');
}
