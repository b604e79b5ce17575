import { describe, expect, it } from 'vitest';
import { candidateThreads, chooseThreads, median } from './threadCalibration.ts';
import type { ThreadChoice } from '../../../shared/schemas.ts';
import { describeThreadChoice } from '../../../shared/format.ts';

describe('choosing a thread count from measurements', () => {
  it('keeps the count with the fastest median step, and fewer threads on a tie', () => {
    // 2 threads has one lucky fast step but a slow median: the median decides, not the best sample.
    const picked = chooseThreads(
      new Map([
        [1, [1.0, 1.1, 0.9]],
        [2, [0.2, 9, 12]],
      ]),
    );
    expect(picked.threads).toBe(1);
    expect(picked.measurements).toEqual([
      { threads: 1, tokensPerSec: 1000, samples: 3 },
      { threads: 2, tokensPerSec: 1000 / 9, samples: 3 },
    ]);
    expect(
      chooseThreads(
        new Map([
          [4, [2]],
          [2, [2]],
          [3, [3]],
        ]),
      ).threads,
    ).toBe(2);
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(() => chooseThreads(new Map())).toThrow(/No thread count/);
  });

  it('tries every count up to the cores on small machines, a spread on big ones', () => {
    expect(candidateThreads(1)).toEqual([1]);
    expect(candidateThreads(4)).toEqual([1, 2, 3, 4]);
    expect(candidateThreads(16)).toEqual([1, 2, 4, 8, 15, 16]);
  });

  it('says how the count was chosen', () => {
    const measured: ThreadChoice = {
      threads: 1,
      source: 'measured',
      measurements: [
        { threads: 1, tokensPerSec: 812.4, samples: 5 },
        { threads: 2, tokensPerSec: 95, samples: 2 },
      ],
      measuredAt: 1,
      calibrationMs: 300,
    };
    expect(describeThreadChoice(measured)).toBe('1 thread: measured 1 → 812 tok/s, 2 → 95 tok/s');
    expect(describeThreadChoice({ ...measured, source: 'remembered', threads: 2 })).toBe(
      '2 threads: measured earlier 1 → 812 tok/s, 2 → 95 tok/s',
    );
    expect(describeThreadChoice({ ...measured, source: 'override', measurements: [] })).toBe('1 thread: set by you');
  });
});
