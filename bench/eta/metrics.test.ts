import { describe, expect, it } from 'vitest';
import { score } from './metrics.ts';

describe('replay metrics', () => {
  it('scores a hand-computed two-sample job', () => {
    // T = 10 s. At t=2 (R=8): estimate 6, band 5..9 (covers), 30 %. At t=5 (R=5): estimate 7, band 6..8 (misses), 20 %.
    const scores = score(
      [
        {
          duration: 10,
          samples: [
            { t: 2, percentage: 30, eta: { seconds: 6, low: 5, high: 9 }, boundary: false },
            { t: 5, percentage: 20, eta: { seconds: 7, low: 6, high: 8 }, boundary: false },
          ],
        },
      ],
      { warmup: 0 },
    );
    expect(scores.mae_s).toBeCloseTo(2); // |6-8| and |7-5|
    expect(scores.nerr_p50).toBeCloseTo(0.2);
    expect(scores.band80_coverage).toBeCloseTo(0.5);
    expect(scores.band_width).toBeCloseTo((0.4 + 0.2) / 2);
    expect(scores.linearity_pts).toBeCloseTo((10 + 30) / 2); // |30-20| and |20-50|
    expect(scores.backwards).toBe(1);
    expect(scores.max_jump_pts).toBe(0); // nothing rose
  });

  it('ignores the warm-up jobs and counts a jump only outside stage boundaries', () => {
    const job = (rise: number, boundary: boolean) => ({
      duration: 10,
      samples: [
        { t: 1, percentage: 10, boundary: false },
        { t: 2, percentage: 10 + rise, boundary },
      ],
    });
    expect(score([job(50, false), job(5, false)], { warmup: 1 }).max_jump_pts).toBe(5);
    expect(score([job(50, true)], { warmup: 0 }).max_jump_pts).toBe(0);
  });
});
