// macOS battery figures from `ioreg -rn AppleSmartBattery` (no root needed): percent, charging, and
// instant power = Voltage (mV) × InstantAmperage (mA). `powermetrics` gives package power but needs sudo.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { reading, unavailable, type Reading } from './reading.ts';
import type { BatteryState } from './linuxPower.ts';
import { errorMessage } from '../../../shared/errors.ts';

const run = promisify(execFile);

function field(text: string, key: string): string | null {
  return new RegExp(`"${key}"\\s*=\\s*(\\S+)`).exec(text)?.[1] ?? null;
}

/** ioreg prints negative amperages as unsigned 64-bit integers. */
function signed64(value: string): number {
  const n = BigInt(value);
  return Number(n > 2n ** 63n ? n - 2n ** 64n : n);
}

export function parseIoreg(text: string): Reading<BatteryState> {
  if (!text.includes('AppleSmartBattery'))
    return unavailable('no battery: ioreg lists no AppleSmartBattery (a desktop Mac)');
  const voltage = field(text, 'Voltage');
  const amperage = field(text, 'InstantAmperage') ?? field(text, 'Amperage');
  const current = field(text, 'CurrentCapacity');
  const max = field(text, 'MaxCapacity');
  const charging = field(text, 'IsCharging');
  // On Apple Silicon CurrentCapacity is already a percentage (MaxCapacity = 100).
  const percent = current && max ? Math.round((Number(current) / Number(max)) * 100) : null;
  const powerW = voltage && amperage ? Math.abs((Number(voltage) / 1000) * (signed64(amperage) / 1000)) : null;
  return reading(
    { percent, charging: charging === null ? null : charging === 'Yes', powerW },
    'ioreg AppleSmartBattery',
  );
}

export async function readMacBattery(): Promise<Reading<BatteryState>> {
  try {
    const { stdout } = await run('ioreg', ['-rn', 'AppleSmartBattery'], { timeout: 2000, windowsHide: true });
    return parseIoreg(stdout);
  } catch (error) {
    return unavailable(`ioreg failed: ${errorMessage(error)}`);
  }
}
