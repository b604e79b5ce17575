import { describe, expect, it } from 'vitest';
import { summarizeAttention } from './attentionBench.ts';
import type { AttentionTiming } from '../../services/engine/attentionTiming.ts';

const timing = (flashAttention: boolean, fill: number, points: [number, number, number][]): AttentionTiming => ({
  flashAttention,
  fillTokensPerSec: fill,
  points: points.map(([depth, turnMs, decodeTokensPerSec]) => ({ depth, turnMs, decodeTokensPerSec })),
});

describe('flash attention bench summary', () => {
  it('pairs each repetition on against off, whatever the order, and takes medians per depth', () => {
    const runs = [
      [
        timing(true, 300, [
          [0, 100, 90],
          [512, 200, 60],
        ]),
        timing(false, 200, [
          [0, 120, 80],
          [512, 100, 66],
        ]),
      ],
      [
        timing(false, 150, [
          [0, 150, 70],
          [512, 150, 60],
        ]),
        timing(true, 300, [
          [0, 100, 70],
          [512, 300, 50],
        ]),
      ],
      [
        timing(true, 300, [
          [0, 110, 90],
          [512, 220, 60],
        ]),
        timing(false, 210, [
          [0, 110, 90],
          [512, 110, 72],
        ]),
      ],
    ];
    const s = summarizeAttention(runs);
    expect(s.depths.map((d) => d.depth)).toEqual([0, 512]);
    const deep = s.depths[1]!;
    expect(deep.turnMs).toEqual({ on: 220, off: 110 });
    // Ratios per repetition (on ÷ off for time, off ÷ on for speed), then their median and range.
    expect(deep.turnSpeedupOff).toEqual({ median: 2, min: 2, max: 2 });
    expect(deep.decodeSpeedupOff).toEqual({ median: 1.2, min: 1.1, max: 1.2 });
    expect(s.depths[0]!.turnSpeedupOff.min).toBeCloseTo(100 / 150);
    expect(s.fillSpeedupOff?.median).toBeCloseTo(200 / 300);
    expect(s.fillSpeedupOff).toMatchObject({ min: 0.5, max: 0.7 });
    expect(s.fillTokensPerSec).toEqual({ on: 300, off: 200 });
  });
});
