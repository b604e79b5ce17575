// Three-tier routing as a pure function: (query, conversation, device state, tiers, policy) → decision.
// Rules are checked in order and the first that applies decides; every decision says why in plain words.
import { complexityOf, type Complexity } from './complexity.ts';
import { detectPrivate, type Finding } from './privacy.ts';

export type Tier = 'device' | 'private' | 'partner';
export type Policy = 'local' | 'auto' | 'private';

export interface RouteInput {
  query: string;
  /** Earlier turns of the conversation: their private data counts too, since they are sent along. */
  history?: string[];
  /** Attached documents' text that would be sent along: private content exactly like typed text. */
  attachments?: string[];
  battery: { percent: number | null; charging: boolean | null };
  online: boolean;
  /** Tiers that are configured and reachable; the device tier is always there. */
  tiers: Tier[];
  policy: Policy;
  /** The user said yes to the partner for every query of this conversation. */
  partnerConsentRemembered?: boolean;
}

export interface Decision {
  tier: Tier;
  consentRequired: boolean;
  rule: string;
  reasons: string[];
  signals: {
    complexity: number;
    complexityLevel: Complexity['level'];
    complexityReasons: string[];
    privacy: { detected: string[]; findings: Finding[] };
    battery: { percent: number | null; charging: boolean | null; low: boolean };
    connectivity: { online: boolean; reachable: Tier[] };
  };
}

export const LOW_BATTERY_PERCENT = 20;

export function route(input: RouteInput): Decision {
  const complexity = complexityOf(input.query);
  const findings = [input.query, ...(input.history ?? []), ...(input.attachments ?? [])].flatMap(detectPrivate);
  const detected = [...new Set(findings.map((f) => f.kind))];
  const low =
    input.battery.percent !== null && input.battery.percent < LOW_BATTERY_PERCENT && input.battery.charging !== true;
  const reachable: Tier[] = input.online
    ? (['device', ...input.tiers.filter((t) => t !== 'device')] as Tier[])
    : ['device'];
  const can = (t: Tier) => reachable.includes(t);
  const signals: Decision['signals'] = {
    complexity: complexity.score,
    complexityLevel: complexity.level,
    complexityReasons: complexity.reasons,
    privacy: { detected, findings },
    battery: { percent: input.battery.percent, charging: input.battery.charging, low },
    connectivity: { online: input.online, reachable },
  };
  const decide = (tier: Tier, rule: string, ...reasons: string[]): Decision => ({
    tier,
    rule,
    reasons,
    signals,
    consentRequired: tier === 'partner' && !input.partnerConsentRemembered,
  });
  const why = `complexity ${complexity.score} (${complexity.reasons.join('; ')})`;
  const privateNote =
    detected.length > 0 ? `it holds personal data (${detected.join(', ')}), which never goes to a partner cloud` : '';

  if (input.policy === 'local')
    return decide('device', 'policy-local', 'Your policy keeps every query on this device.');
  if (!input.online)
    return decide('device', 'offline', 'No network connection: only the on-device model is reachable.');

  if (input.policy === 'private' && can('private')) {
    return decide(
      'private',
      'policy-private',
      'Your policy prefers your private server when it is reachable.',
      `Signals: ${why}.`,
    );
  }
  if (complexity.level === 'high') {
    if (can('private'))
      return decide('private', 'complex-private', `A demanding task: ${why}. Your private server runs a larger model.`);
    if (detected.length > 0)
      return decide(
        'device',
        'complex-but-private',
        `A demanding task (${why}), but ${privateNote}; no private server is reachable, so it stays on this device.`,
      );
    if (can('partner') && input.policy === 'auto') {
      return decide(
        'partner',
        'complex-partner',
        `A demanding task: ${why}. No private server is reachable; the partner model is asked only if you agree.`,
      );
    }
    return decide(
      'device',
      'complex-no-tier',
      `A demanding task (${why}), but no larger tier is reachable, so this device answers.`,
    );
  }
  if (low && can('private')) {
    return decide(
      'private',
      'battery-private',
      `The battery is at ${input.battery.percent}% and not charging: your private server answers to save power.`,
    );
  }
  const reasons = [`Routine enough for the on-device model: ${why}.`];
  if (privateNote) reasons.push(`Also, ${privateNote}.`);
  return decide('device', 'routine-device', ...reasons);
}
