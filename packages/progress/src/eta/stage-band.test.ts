import { describe, expect, it } from 'vitest';
import type { StageSpec } from '../model/pipeline-spec.ts';
import type { JobRecord } from './job-history.ts';
import { MIN_JOBS_FOR_BAND, stageBand, stageBands, stageSizeExponent } from './stage-band.ts';

const stages: StageSpec[] = [
  { name: 'a', label: 'A', weight: 1 },
  { name: 'b', label: 'B', weight: 1 },
];
const record = (seconds: number[], size?: number): JobRecord => ({
  pipeline: 'p',
  ...(size !== undefined && { size }),
  seconds: seconds.reduce((x, y) => x + y, 0),
  stages: stages.map((s, i) => ({ name: s.name, seconds: seconds[i]! })),
});

describe('stageBand', () => {
  it('is the 10th to 90th percentile of past times, interpolated (hand-computed)', () => {
    // 10, 20, …, 100: the 10th percentile sits at rank 0.9 (10 + 0.9 × 10), the 90th at rank 8.1.
    const runs = [30, 10, 100, 50, 70, 20, 90, 40, 80, 60].map((seconds) => ({ seconds }));
    expect(stageBand(runs)).toEqual({ low: 19, high: 91 });
  });

  it('needs MIN_JOBS_FOR_BAND runs of the stage; skipped runs (0 s) do not count', () => {
    const history = [1, 2, 3, 4].map((i) => record([10 * i, 0]));
    expect(stageBands(stages, history).size).toBe(0);
    const more = [...history, record([50, 0])];
    expect(MIN_JOBS_FOR_BAND).toBe(5);
    expect([...stageBands(stages, more)]).toEqual([['a', { low: 14, high: 46 }]]);
  });

  it('scales past times to the job’s size by the stage’s own exponent, which one outlier does not tilt', () => {
    // Stage a takes 2 s a unit, stage b 30 s whatever the size.
    const history = [10, 20, 40, 80, 160, 10, 20].map((size) => record([2 * size, 30], size));
    expect(stageSizeExponent(history.map((r) => ({ seconds: r.stages[0]!.seconds, size: r.size })))).toBeCloseTo(1, 9);
    const bands = stageBands(stages, history, 400);
    expect(bands.get('a')!.low).toBeCloseTo(800, 6);
    expect(bands.get('a')!.high).toBeCloseTo(800, 6);
    expect(bands.get('b')).toEqual({ low: 30, high: 30 });
    const outlier = [...history, record([2 * 40 * 10, 30], 40)];
    expect(stageSizeExponent(outlier.map((r) => ({ seconds: r.stages[0]!.seconds, size: r.size })))).toBeCloseTo(1, 9);
    // Scaled to 400 units: seven runs at 800 s, the outlier at 8000 s; the 90th percentile is at rank 6.3.
    const withOutlier = stageBands(stages, outlier, 400).get('a')!;
    expect(withOutlier.low).toBeCloseTo(800, 6);
    expect(withOutlier.high).toBeCloseTo(800 + 0.3 * 7200, 6);
  });

  it('does not scale when sizes do not vary, nor for a job of no size', () => {
    const history = [1, 2, 3, 4, 5].map((i) => record([10 * i, 1], 100));
    expect(stageBands(stages, history, 1000).get('a')).toEqual({ low: 14, high: 46 });
    const sized = [10, 20, 40, 80, 160].map((size) => record([size, 1], size));
    expect(stageBands(stages, sized).get('a')).toEqual({ low: 14, high: 128 });
  });
});
