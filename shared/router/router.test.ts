import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectPrivate, ibanValid, luhnValid } from './privacy.ts';
import { complexityOf } from './complexity.ts';
import { route, type RouteInput } from './router.ts';
import { evaluate, type LabelledPrompt } from './evaluate.ts';
import { repoRoot } from '../../tests/fixtures.ts';

const base: Omit<RouteInput, 'query'> = {
  battery: { percent: 80, charging: true },
  online: true,
  tiers: ['device', 'private', 'partner'],
  policy: 'auto',
};
const kinds = (text: string) => detectPrivate(text).map((f) => f.kind);

describe('privacy signals', () => {
  it('checks card numbers with Luhn and IBANs with mod 97, not just their shape', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(ibanValid('DE89 3704 0044 0532 0130 01')).toBe(false);
    expect(kinds('pay with 4111 1111 1111 1111')).toEqual(['card number']);
    expect(kinds('order number 4111 1111 1111 1112')).not.toContain('card number');
  });

  it('finds emails, phones, IDs, addresses, secrets and first-person health or money details', () => {
    expect(kinds('write to jane.doe@example.com')).toContain('email address');
    expect(kinds('call +44 7700 900123')).toContain('phone number');
    expect(kinds('SSN 123-45-6789')).toContain('national ID number');
    expect(kinds('I live at 221 Baker Street')).toContain('postal address');
    expect(kinds('key sk-proj-abcdefghijklmnop1234')).toContain('API key or token');
    expect(kinds('my password is hunter2')).toContain('password');
    expect(kinds('I was diagnosed with diabetes')).toContain('health detail');
    expect(kinds('Explain how diabetes affects the pancreas')).toEqual([]); // general knowledge, not about the writer
    expect(kinds('my salary is 50k')).toContain('financial detail');
    expect(kinds('Write a poem about the sea')).toEqual([]);
  });
});

describe('router', () => {
  it('keeps routine work on the device and says why', () => {
    const d = route({ ...base, query: 'Rewrite this to be friendlier: see you later' });
    expect(d).toMatchObject({ tier: 'device', consentRequired: false, rule: 'routine-device' });
    expect(d.reasons[0]).toMatch(/Routine enough/);
    expect(complexityOf('Hi!').level).toBe('low');
  });

  it('sends demanding work to the private server, else to the partner only with consent', () => {
    const q = 'Prove that there are infinitely many primes.';
    expect(route({ ...base, query: q })).toMatchObject({ tier: 'private', consentRequired: false });
    expect(route({ ...base, tiers: ['device', 'partner'], query: q })).toMatchObject({
      tier: 'partner',
      consentRequired: true,
    });
    expect(route({ ...base, tiers: ['device', 'partner'], query: q, partnerConsentRemembered: true })).toMatchObject({
      tier: 'partner',
      consentRequired: false,
    });
    expect(route({ ...base, tiers: ['device'], query: q })).toMatchObject({ tier: 'device', rule: 'complex-no-tier' });
  });

  it('never sends personal data to the partner, also when it sits in an earlier turn', () => {
    const q = 'Prove that there are infinitely many primes.';
    expect(route({ ...base, tiers: ['device', 'partner'], query: `My email is a@b.co. ${q}` })).toMatchObject({
      tier: 'device',
      rule: 'complex-but-private',
    });
    expect(
      route({ ...base, tiers: ['device', 'partner'], query: q, history: ['my card is 4111 1111 1111 1111'] }).tier,
    ).toBe('device');
    expect(route({ ...base, query: `My email is a@b.co. ${q}` }).tier).toBe('private'); // the user's own server may see it
  });

  it('obeys the policy, the network and the battery', () => {
    const q = 'Implement a thread-safe LRU cache in Go with unit tests.';
    expect(route({ ...base, policy: 'local', query: q })).toMatchObject({ tier: 'device', rule: 'policy-local' });
    expect(route({ ...base, online: false, query: q })).toMatchObject({ tier: 'device', rule: 'offline' });
    expect(route({ ...base, policy: 'private', query: 'Hi!' })).toMatchObject({
      tier: 'private',
      rule: 'policy-private',
    });
    const low = route({ ...base, battery: { percent: 9, charging: false }, query: 'Write a haiku about rain.' });
    expect(low).toMatchObject({ tier: 'private', rule: 'battery-private' });
    expect(low.signals.battery.low).toBe(true);
    expect(route({ ...base, battery: { percent: 9, charging: true }, query: 'Write a haiku about rain.' }).tier).toBe(
      'device',
    );
  });

  it('on the labelled set: no private query reaches the partner, and accuracy stays high', () => {
    const { prompts } = JSON.parse(readFileSync(join(repoRoot, 'eval', 'route-prompts.json'), 'utf8')) as {
      prompts: (LabelledPrompt & { split: string })[];
    };
    expect(prompts.length).toBeGreaterThanOrEqual(100);
    const e = evaluate(prompts);
    expect(e.privateToPartner).toBe(0);
    expect(e.correct / e.total).toBeGreaterThan(0.85);
    // misses must err on the safe side: a query kept on the device, never one sent further than expected
    for (const m of e.misses) expect(m.got).toBe('device');
  });
});
