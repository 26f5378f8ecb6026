import { describe, expect, it } from 'vitest';
import { compareRuns, formatChange } from './compare-runs.ts';

const stages = [
  { name: 'a', label: 'Fetch', weight: 1 },
  { name: 'b', label: 'Build', weight: 1 },
];

describe('compareRuns', () => {
  it('pairs each stage’s time in both runs, with the change and its share, and the whole job', () => {
    const one = {
      seconds: 30,
      stages: [
        { name: 'a', seconds: 10 },
        { name: 'b', seconds: 20 },
      ],
    };
    const two = {
      seconds: 37.5,
      stages: [
        { name: 'a', seconds: 12.5 },
        { name: 'b', seconds: 0 },
      ],
    };
    const { rows, total } = compareRuns(stages, one, two);
    expect(rows).toEqual([
      { name: 'a', label: 'Fetch', a: 10, b: 12.5, change: 2.5, ratio: 0.25 },
      { name: 'b', label: 'Build', a: 20, b: 0, change: -20, ratio: -1 },
    ]);
    expect(total).toEqual({ name: 'total', label: 'Whole job', a: 30, b: 37.5, change: 7.5, ratio: 0.25 });
    const text = (s: number) => `${s} s`;
    expect(rows.map((r) => formatChange(r, text))).toEqual(['+2.5 s (+25 %)', '−20 s (−100 %)']);
    expect(formatChange(compareRuns(stages, two, one).rows[1]!, text)).toBe('+20 s');
    expect(formatChange(compareRuns(stages, one, one).total, text)).toBe('same');
  });
});
