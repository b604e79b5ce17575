import { describe, expect, it } from 'vitest';
import { reusedFor } from './powerSources.ts';

/** A source whose readings the test hands out one by one: 1, 2, 3… */
function source() {
  const waiting: ((n: number) => void)[] = [];
  let made = 0;
  return {
    read: () => new Promise<number>((resolve) => waiting.push(resolve)),
    reads: () => waiting.length,
    answer: () => waiting[made]!(++made),
  };
}

describe('a spawned source reused between readings', () => {
  it('waits only for the very first reading; a stale one is answered at once while the next is made', async () => {
    let clock = 0;
    const s = source();
    const battery = reusedFor(2000, s.read, () => clock);

    const first = battery();
    expect(s.reads()).toBe(1);
    s.answer();
    expect(await first).toBe(1);

    clock = 1999; // within the window: the same reading, no new process
    expect(await battery()).toBe(1);
    expect(s.reads()).toBe(1);

    clock = 2000; // stale: answered with the last reading at once, and a new one is started
    expect(await battery()).toBe(1);
    expect(s.reads()).toBe(2);
    clock = 2500; // still being made: the last reading again, and no third process
    expect(await battery()).toBe(1);
    expect(s.reads()).toBe(2);

    s.answer();
    await Promise.resolve();
    expect(await battery()).toBe(2);
  });

  it('a reading that arrives after a newer one started is not kept', async () => {
    let clock = 0;
    const s = source();
    const battery = reusedFor(10, s.read, () => clock);
    const first = battery();
    clock = 10;
    void battery(); // the first is still out: a second one starts
    expect(s.reads()).toBe(2);
    s.answer(); // the first arrives late
    expect(await first).toBe(1);
    s.answer();
    await Promise.resolve();
    await Promise.resolve();
    expect(await battery()).toBe(2);
  });
});
