// Two minutes of the soak (npm run soak runs it for as long as asked): the real headless shell through a
// scripted session with stops, regenerations, switches, exports and worker kills; nothing may grow
// without bound and no call may fail except those a kill cut off.
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../scripts/soak/soakSession.ts';
import { judge } from '../../scripts/soak/growth.ts';

describe('soak', () => {
  it('the growth check fails a steady leak and passes noise around a plateau', () => {
    const t = Array.from({ length: 12 }, (_, i) => i * 10);
    const leak = judge({ t, v: t.map((s) => 200 + s * 0.2) }, { perHour: 60, atLeast: 5 });
    expect(leak.growing).toBe(true);
    const flat = judge({ t, v: t.map((_, i) => 200 + (i % 3) * 4) }, { perHour: 60, atLeast: 5 });
    expect(flat.growing).toBe(false);
  });

  it('2 minutes against edgewise serve: memory, descriptors and the database stay bounded', async () => {
    const result = await runSoak({ minutes: 2, log: (line) => console.log(line) });
    console.log(JSON.stringify({ ...result, samples: result.samples.length }));
    expect(result.otherErrors).toEqual([]);
    expect(result.answers).toBeGreaterThanOrEqual(4);
    expect(result.kills).toBeGreaterThanOrEqual(3);
    expect(result.samples.length).toBeGreaterThanOrEqual(12);
    for (const [name, verdict] of Object.entries(result.verdicts)) expect(verdict.growing, name).toBe(false);
  }, 240_000);
});
