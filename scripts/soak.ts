// npm run soak -- --minutes N: the scripted session of scripts/soak/soakSession.ts for N minutes (60 for
// the figure in RELIABILITY.md), printing a sample every 10 s and the fitted growth of each resource.
// Exits 1 when any of them grows without bound, or when a call failed for a reason other than a kill.
import { parseArgs } from 'node:util';
import { runSoak } from './soak/soakSession.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '60' }, json: { type: 'boolean' } } });
const minutes = Number(values.minutes);
if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) {
  console.error(`--minutes must be a number of minutes from 0 to 1440 (got "${values.minutes}")`);
  process.exit(2);
}
console.log(`Soaking edgewise serve for ${minutes} minute(s)…`);
const result = await runSoak({ minutes, log: (line) => console.log(line) });
if (values.json) console.log(JSON.stringify(result, null, 2));
console.log(
  `\n${result.cycles} cycles, ${result.answers} answers, ${result.kills} worker kills, ${result.expectedErrors} calls cut by a kill`,
);
for (const [name, v] of Object.entries(result.verdicts))
  console.log(
    `${name.padEnd(12)} ${v.firstThird.toFixed(1)} → ${v.lastThird.toFixed(1)}  slope ${v.slopePerHour.toFixed(1)}/h  ${v.growing ? 'GROWING' : 'bounded'}`,
  );
for (const e of result.otherErrors) console.log(`error: ${e}`);
console.log(result.ok ? '\nSoak passed.' : '\nSoak FAILED.');
process.exit(result.ok ? 0 : 1);
