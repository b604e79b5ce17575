import { describe, expect, it } from 'vitest';
import { runSliced, SLICE_MS } from './sliced.ts';

/** Busy for `ms`, as a formula's typesetting is. */
function work(ms: number) {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('runSliced', () => {
  it('runs a burst of jobs a slice per task: the first at once, the rest later, in order, none cancelled lost', async () => {
    const ran: number[] = [];
    const taskOf: number[] = [];
    // Microtasks run when a task ends: jobs that see the same count ran in the same task.
    let task = 0;
    let counting = false;
    const count = () => {
      if (counting) return;
      counting = true;
      queueMicrotask(() => {
        task++;
        counting = false;
      });
    };
    const cancels: (() => void)[] = [];
    for (let i = 0; i < 40; i++)
      cancels.push(
        runSliced(() => {
          count();
          work(2);
          ran.push(i);
          taskOf.push(task);
        }),
      );
    cancels[7]!();
    // Within this task: the first job ran, and no more than a slice's worth of them.
    expect(ran[0]).toBe(0);
    expect(ran.length).toBeLessThanOrEqual(Math.ceil(SLICE_MS / 2) + 1);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (ran.length === 39) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    expect(ran).toEqual([...Array(40).keys()].filter((i) => i !== 7));
    // Spread over several tasks, each running about a slice's worth (a job that starts inside the slice
    // may end past it).
    const perTask = new Map<number, number>();
    for (const t of taskOf) perTask.set(t, (perTask.get(t) ?? 0) + 1);
    expect(perTask.size).toBeGreaterThan(3);
    for (const jobs of perTask.values()) expect(jobs).toBeLessThanOrEqual(Math.ceil(SLICE_MS / 2) + 1);
  });
});
