// Scores the router against labelled prompts: accuracy per label and the confusion between tiers.
import { route, type Policy, type Tier } from './router.ts';

export interface LabelledPrompt {
  prompt: string;
  label: string;
  expect: Tier;
  scenario?: { tiers?: Tier[]; offline?: boolean; battery?: number; charging?: boolean; policy?: Policy };
}

export interface Evaluation {
  total: number;
  correct: number;
  perLabel: Record<string, { total: number; correct: number }>;
  /** confusion[expected][got] */
  confusion: Record<Tier, Record<Tier, number>>;
  misses: { prompt: string; label: string; expect: Tier; got: Tier; rule: string }[];
  /** Queries labelled private (or detected as such) that were sent to the partner: must be zero. */
  privateToPartner: number;
}

const tiers: Tier[] = ['device', 'private', 'partner'];

export function evaluate(prompts: LabelledPrompt[]): Evaluation {
  const confusion = Object.fromEntries(
    tiers.map((t) => [t, Object.fromEntries(tiers.map((u) => [u, 0]))]),
  ) as Evaluation['confusion'];
  const perLabel: Evaluation['perLabel'] = {};
  const misses: Evaluation['misses'] = [];
  let correct = 0;
  let privateToPartner = 0;
  for (const p of prompts) {
    const s = p.scenario ?? {};
    const d = route({
      query: p.prompt,
      online: !s.offline,
      tiers: s.tiers ?? tiers,
      policy: s.policy ?? 'auto',
      battery: { percent: s.battery ?? 80, charging: s.charging ?? true },
    });
    confusion[p.expect][d.tier]++;
    const label = (perLabel[p.label] ??= { total: 0, correct: 0 });
    label.total++;
    if (d.tier === 'partner' && (p.label.includes('private') || d.signals.privacy.detected.length > 0))
      privateToPartner++;
    if (d.tier === p.expect) {
      correct++;
      label.correct++;
    } else misses.push({ prompt: p.prompt, label: p.label, expect: p.expect, got: d.tier, rule: d.rule });
  }
  return { total: prompts.length, correct, perLabel, confusion, misses, privateToPartner };
}
