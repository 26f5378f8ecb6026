// Overall percentage = Σ weight × fraction done, over a pipeline's stages (declared or learned weights).
import type { StageSpec } from '../model/pipeline-spec.ts';

/**
 * Fraction of a looping stage that is done after `done` iterations (fractional while one runs).
 * Follows done/expected until one iteration before the expected count, then done/(done+1),
 * so it keeps rising with extra iterations yet only reaches 1 when the stage completes.
 */
export function loopFraction(done: number, expected: number): number {
  if (done <= 0) return 0;
  return done / Math.max(expected, done + 1);
}

export function weightedPercentage(stages: readonly StageSpec[], fractionOf: (stage: string) => number): number {
  let total = 0;
  let done = 0;
  for (const stage of stages) {
    total += stage.weight;
    done += stage.weight * Math.min(1, Math.max(0, fractionOf(stage.name)));
  }
  return total === 0 ? 0 : (100 * done) / total;
}
