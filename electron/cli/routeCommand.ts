// `edgewise route`: how a prompt would be routed, without running any model.
import { route, type Policy, type Tier } from '../../shared/router/router.ts';
import { CliError, exitCodes, numberOption, parseCommandLine } from './args.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRouting, routingSettings } from '../../shared/router/schemas.ts';
import { openDatabase } from '../services/store/database.ts';
import { SettingsStore } from '../services/store/settingsStore.ts';
import { defaultDataDir } from '../services/paths.ts';

export const routeUsage = `Usage: edgewise route [--json] [--battery PERCENT] [--charging] [--offline]
                      [--policy local|auto|private] [--tiers device,private,partner] PROMPT`;

const policies: Policy[] = ['local', 'auto', 'private'];
const allTiers: Tier[] = ['device', 'private', 'partner'];

/** Without --tiers: the tiers configured in the user's settings (the device, plus any remote tier set up). */
function configuredTiers(): Tier[] {
  const file = join(defaultDataDir(), 'edgewise.db');
  if (!existsSync(file)) return ['device'];
  const db = openDatabase(file);
  try {
    const s = new SettingsStore(db).get('routing', routingSettings, defaultRouting);
    return ['device', ...(s.private ? ['private' as const] : []), ...(s.partner ? ['partner' as const] : [])];
  } finally {
    db.close();
  }
}

export function routeCommand(argv: string[]): number {
  const parsed = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        battery: { type: 'string' },
        charging: { type: 'boolean' },
        offline: { type: 'boolean' },
        policy: { type: 'string', default: 'auto' },
        tiers: { type: 'string' },
      },
    },
    routeUsage,
  );
  const { values, positionals } = parsed;
  const query = positionals.join(' ');
  if (!query.trim()) throw new CliError(exitCodes.badInput, `Give a prompt to route.\n${routeUsage}`);
  if (!policies.includes(values.policy as Policy))
    throw new CliError(exitCodes.badInput, `--policy must be one of ${policies.join(', ')} (got "${values.policy}")`);
  const tiers = (values.tiers ?? configuredTiers().join(','))
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = tiers.filter((t) => !allTiers.includes(t as Tier));
  if (unknown.length > 0)
    throw new CliError(exitCodes.badInput, `--tiers takes device, private and partner (got "${unknown.join(', ')}")`);
  const percent = numberOption(values.battery, 'battery', 0, 100) ?? null;
  const d = route({
    query,
    tiers: tiers as Tier[],
    policy: values.policy as Policy,
    online: !values.offline,
    battery: { percent, charging: values.charging ? true : percent === null ? null : false },
  });
  if (values.json) {
    process.stdout.write(
      JSON.stringify(
        { tier: d.tier, consentRequired: d.consentRequired, rule: d.rule, reasons: d.reasons, signals: d.signals },
        null,
        2,
      ) + '\n',
    );
  } else {
    process.stdout.write(
      `${d.tier}${d.consentRequired ? ' (asks for your consent first)' : ''}\n${d.reasons.map((r) => `- ${r}`).join('\n')}\n` +
        `signals: complexity ${d.signals.complexity} (${d.signals.complexityLevel}); personal data: ${d.signals.privacy.detected.join(', ') || 'none'}; ` +
        `battery: ${percent === null ? 'unknown' : `${percent}%${values.charging ? ', charging' : ''}`}; ${values.offline ? 'offline' : 'online'}\n`,
    );
  }
  return exitCodes.ok;
}
