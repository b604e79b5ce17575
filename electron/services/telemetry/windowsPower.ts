// Windows battery figures through CIM, via PowerShell: root/wmi BatteryStatus gives the discharge and
// charge rates in mW; Win32_Battery gives the percentage.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { reading, unavailable, type Reading } from './reading.ts';
import type { BatteryState } from './linuxPower.ts';
import { errorMessage } from '../../../shared/errors.ts';

const run = promisify(execFile);
export const cimScript =
  '$s = Get-CimInstance -Namespace root/wmi -ClassName BatteryStatus -ErrorAction SilentlyContinue | Select-Object -First 1 DischargeRate,ChargeRate,Charging,Discharging,PowerOnline; $b = Get-CimInstance Win32_Battery -ErrorAction SilentlyContinue | Select-Object -First 1 EstimatedChargeRemaining; @{ status = $s; battery = $b } | ConvertTo-Json -Compress';

export function parseCim(json: string): Reading<BatteryState> {
  const data = JSON.parse(json || '{}') as {
    status?: {
      DischargeRate?: number;
      ChargeRate?: number;
      Charging?: boolean;
      Discharging?: boolean;
      PowerOnline?: boolean;
    } | null;
    battery?: { EstimatedChargeRemaining?: number } | null;
  };
  if (!data.status && !data.battery) return unavailable('no battery: CIM lists no BatteryStatus or Win32_Battery');
  const s = data.status ?? {};
  const rateMw = s.Discharging ? s.DischargeRate : s.Charging ? s.ChargeRate : s.DischargeRate;
  return reading(
    {
      percent: data.battery?.EstimatedChargeRemaining ?? null,
      charging: s.Charging ?? (s.PowerOnline === undefined ? null : s.PowerOnline && !s.Discharging),
      powerW: rateMw === undefined || rateMw === null ? null : rateMw / 1000,
    },
    'CIM BatteryStatus',
  );
}

export async function readWindowsBattery(): Promise<Reading<BatteryState>> {
  try {
    // Started every 2 s while an answer streams: without windowsHide each start flashes a console window.
    const { stdout } = await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', cimScript], {
      timeout: 5000,
      windowsHide: true,
    });
    return parseCim(stdout.trim());
  } catch (error) {
    return unavailable(`PowerShell CIM query failed: ${errorMessage(error)}`);
  }
}
