import { describe, expect, it } from 'vitest';
import { durationTick } from './chart-axes.ts';
import { niceTicks } from './chart-scale.ts';

describe('durationTick', () => {
  it('labels sub-second and few-second ticks apart (a fast pipeline’s axis is not all "0 s")', () => {
    expect(niceTicks(0, 0.7).map(durationTick)).toEqual(['0 s', '0.2 s', '0.4 s', '0.6 s', '0.8 s']);
    expect(niceTicks(0, 7).map(durationTick)).toEqual(['0 s', '2 s', '4 s', '6 s', '8 s']);
    expect([0.25, 1.5, 30, 120, 3900].map(durationTick)).toEqual(['0.25 s', '1.5 s', '30 s', '2 min', '1 h 5 min']);
  });
});
