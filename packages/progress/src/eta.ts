// First ETA estimator: extrapolates the job's own rate. A learned, history-based one replaces it.
import type { Eta } from './events.ts';

/** Below this fraction done (or elapsed time) a rate says nothing yet. */
const MIN_FRACTION = 0.03;
const MIN_ELAPSED_S = 1;

/**
 * Remaining time if the job keeps its average rate so far. The band is wide early on and
 * narrows as the job goes on, since the rate of the rest is less known the less has run.
 */
export function rateEta(elapsedS: number, fraction: number): Eta | undefined {
  if (fraction >= 1) return { seconds: 0, low: 0, high: 0, basis: 'rate' };
  if (fraction < MIN_FRACTION || elapsedS < MIN_ELAPSED_S) return undefined;
  const seconds = (elapsedS * (1 - fraction)) / fraction;
  const spread = 0.15 + 0.6 * (1 - fraction);
  return {
    seconds: round1(seconds),
    low: round1(seconds / (1 + spread)),
    high: round1(seconds * (1 + spread)),
    basis: 'rate',
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
