import { describe, expect, it } from 'vitest';
import { stagesOf, targetMisses } from '../eta.ts';
import { familySets } from './families.ts';
import type { JobHistory } from './history-file.ts';
import { oracle } from './methods.ts';
import { score } from './metrics.ts';
import { replay } from './replay.ts';

/** Two stages: `a` (2 s, four steps) then `loop`, whose iterations take 4 s, then 2 s. */
const job: JobHistory = {
  pipeline: 'hand-made',
  size: 1,
  events: [
    { t: 0, stage: 'a', phase: 'starting' },
    { t: 1, stage: 'a', phase: 'running', stageProgress: 0.5 },
    { t: 2, stage: 'a', phase: 'complete' },
    { t: 2, stage: 'loop', phase: 'starting' },
    { t: 2, stage: 'loop', phase: 'running', iteration: 1 },
    { t: 6, stage: 'loop', phase: 'running', iteration: 2 },
    { t: 8, stage: 'loop', phase: 'complete' },
  ],
  // The generator's view: `a` 2 s; the loop's first iteration 4 s, each next half the last, one
  // or two iterations with equal chance; the median of all after `a` is 5 s.
  expected: {
    stages: { a: 2, loop: 4 },
    iterations: 1.5,
    after: { a: 5, loop: 0 },
    loop: { stage: 'loop', counts: [0.5, 0.5], decay: 0.5 },
  },
};

describe('ETA benchmark families', () => {
  it('scores the oracle on a hand-computed job with a shrinking loop', () => {
    const [samples] = replay(oracle(), [job]);
    // t=0: a 2 + after 5 = 7; t=1: a 1 + 5 = 6; t=2 (a done): 5; loop starts: 4 + ½ × 2 = 5;
    // iteration 1 running: 5; iteration 2 (reached, so 2 s of it): 2.
    expect(samples!.samples.map((s) => s.eta?.seconds)).toEqual([7, 6, 5, 5, 5, 2]);
    // True remaining: 8, 7, 6, 6, 6, 2. Errors 1, 1, 1, 1, 1, 0 over 8 s.
    const scores = score([samples!], { warmup: 0 });
    expect(scores.mae_s).toBeCloseTo(5 / 6);
    expect(scores.nerr_p90).toBeCloseTo(1 / 8);
  });

  it('reads an unknown pipeline’s stages from its histories', () => {
    expect(stagesOf([job])).toEqual([
      { name: 'a', label: 'a', weight: 1 },
      { name: 'loop', label: 'loop', weight: 1, loops: true },
    ]);
  });

  it('names each missed target', () => {
    const row = (mae: number, extra = {}) => ({
      mae_s: mae,
      nerr_p50: 0.01,
      nerr_p90: 0.1,
      band80_coverage: 0.8,
      band_width: 0.15,
      linearity_pts: 2,
      max_jump_pts: 4,
      backwards: 0,
      max_plateau: 0,
      early_100: 0,
      cold_mae_s: 3,
      ...extra,
    });
    expect(targetMisses({ headway: row(1.1), oracle: row(1), linear: row(4, { cold_mae_s: 3.5 }) })).toEqual([]);
    expect(
      targetMisses({ headway: row(1.3, { band80_coverage: 0.7, max_jump_pts: 12 }), oracle: row(1), linear: row(4, { cold_mae_s: 2 }) }),
    ).toEqual(['mae 1.30 × oracle > 1.2', 'band80 0.70 outside 0.75–0.85', 'max_jump 12.00 > 10', 'cold 3.00 not below linear 2.00']);
  });

  it('draws the same families for a seed, and others for another', () => {
    const a = familySets(11, 3);
    expect(Object.keys(a)).toEqual(['heavy_tails', 'bimodal_sizes', 'shrinking_loops', 'drift']);
    expect(familySets(11, 3)).toEqual(a);
    expect(familySets(12, 3).drift![1]!.events).not.toEqual(a.drift![1]!.events);
  });
});
