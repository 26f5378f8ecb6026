import { describe, expect, it } from 'vitest';
import { linearScale, niceTicks } from './chart-scale.ts';

describe('niceTicks', () => {
  it('covers the range with round steps of 1, 2 or 5 × a power of ten', () => {
    expect(niceTicks(0, 87)).toEqual([0, 50, 100]);
    expect(niceTicks(0, 87, 8)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(-23, 41)).toEqual([-40, -20, 0, 20, 40, 60]);
    expect(niceTicks(0, 0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
  });

  it('still draws an axis for an empty or flat range, with a flat one in its middle', () => {
    expect(niceTicks(5, 5)).toEqual([4.5, 5, 5.5]);
    expect(niceTicks(36, 36)).toEqual([32, 34, 36, 38, 40]);
    expect(niceTicks(0, 0)[0]).toBe(0);
    expect(niceTicks(Number.NaN, 3)).toEqual([0, 1]);
  });
});

describe('linearScale', () => {
  it('maps the domain onto the range, flipped for a y axis', () => {
    const y = linearScale(0, 100, 200, 0);
    expect([y(0), y(50), y(100)]).toEqual([200, 100, 0]);
  });
});
