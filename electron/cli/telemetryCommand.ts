// `edgewise telemetry`: one reading of every telemetry source on this machine, or why it has none.
import { powerSources } from '../services/telemetry/powerSources.ts';
import { CliError, exitCodes, parseCommandLine } from './args.ts';

export const telemetryUsage = 'Usage: edgewise telemetry [--json]';

export async function telemetryCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(
    { args: argv, strict: true, options: { json: { type: 'boolean' } } },
    telemetryUsage,
  );
  const sources = powerSources();
  const battery = await sources.battery();
  const energy = sources.energy();
  const cpu = process.cpuUsage();
  const sample = {
    platform: process.platform,
    battery: battery.ok
      ? { available: true, source: battery.source, percent: battery.value.percent, charging: battery.value.charging }
      : { available: false, reason: battery.reason },
    batteryPower:
      battery.ok && battery.value.powerW !== null
        ? { available: true, source: battery.source, watts: battery.value.powerW, charging: battery.value.charging }
        : { available: false, reason: battery.ok ? 'the battery reports no power figure' : battery.reason },
    energyCounter: energy.ok
      ? {
          available: true,
          source: energy.source,
          joules: energy.value.energyUj / 1e6,
          wrapsAtJoules: energy.value.maxEnergyRangeUj / 1e6,
        }
      : { available: false, reason: energy.reason },
    powerMonitor: {
      available: false,
      reason: "Electron's powerMonitor exists only inside the Electron app, not in the CLI",
    },
    process: {
      available: true,
      source: 'node process',
      rssBytes: process.memoryUsage.rss(),
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
    },
  };
  if (values.json) {
    process.stdout.write(JSON.stringify(sample, null, 2) + '\n');
  } else {
    for (const [name, v] of Object.entries(sample)) {
      if (typeof v !== 'object') {
        console.log(`${name}: ${v}`);
        continue;
      }
      console.log(
        `${name}: ${'reason' in v && v.available === false ? `unavailable (${v.reason})` : JSON.stringify(v)}`,
      );
    }
  }
  return exitCodes.ok;
}
