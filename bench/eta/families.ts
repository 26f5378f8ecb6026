// Job histories of shapes the estimator was not written around, from a generator of its own
// (not generate.ts's): heavy-tailed stage times, bimodal job sizes with a fixed cost plus a cost
// per unit, a loop whose count varies and whose iterations each take less than the last, and a
// speed that drifts job after job. `seed` picks the draws and jitters every parameter by ±20 %,
// so `npm run bench -- eta --seed N` tries the same families with other numbers.
import type { StageSpec } from '@headway/progress';
import type { HistoryEvent, JobHistory } from './history-file.ts';

/** A second pipeline, so not every set has literature-review's stage weights. */
export const ingestStages: StageSpec[] = [
  { name: 'fetch', label: 'Fetch', weight: 10 },
  { name: 'parse', label: 'Parse', weight: 20 },
  { name: 'embed', label: 'Embed', weight: 40 },
  { name: 'index', label: 'Index', weight: 20 },
  { name: 'report', label: 'Report', weight: 10 },
];

interface StageShape {
  name: string;
  /** Seconds = (fixed + perUnit × size^exponent) × speed × noise. */
  fixed: number;
  perUnit: number;
  exponent: number;
  /** Steps reporting stageProgress; 0 = the stage reports none (one plain message halfway). */
  steps: number;
  /** Looping stage: P(count = k) for k = 1…, and each iteration's time ÷ the one before. */
  loop?: { counts: number[]; decay: number };
}

interface Family {
  pipeline: string;
  stages: StageShape[];
  size: (rng: Rng) => number;
  /** Multiplicative noise of one stage's time (a job's own draw), mean 1. */
  noise: (rng: Rng) => number;
  /**
   * The pipeline's speed for job i (1 = nominal): `actual`, and what the generator expected of
   * it before this job's own draw (`expected`, with that draw's log sd): the oracle knows those.
   */
  speed: (i: number, rng: Rng) => { actual: number; expected: number; sd: number };
}

type Rng = ReturnType<typeof random>;

/** xorshift32 seeded through splitmix: unrelated to generate.ts's mulberry32 streams. */
function random(seed: number) {
  let s = (seed * 0x9e3779b1 + 0x7f4a7c15) >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const lognormal = (sigma: number) => Math.exp(sigma * normal() - (sigma * sigma) / 2);
  /** Pareto with minimum 1: P(X > x) = x^-alpha. */
  const pareto = (alpha: number) => (1 - next()) ** (-1 / alpha);
  const pick = (probabilities: number[]) => {
    let u = next();
    for (const [i, p] of probabilities.entries()) {
      u -= p;
      if (u <= 0) return i + 1;
    }
    return probabilities.length;
  };
  return { next, normal, lognormal, pareto, pick };
}

const expectedStageSeconds = (s: StageShape, size: number, speed: number) => (s.fixed + s.perUnit * size ** s.exponent) * speed;

/** Draws one job: its events and, for the oracle, what the generator expected of it. */
function draw(family: Family, size: number, speed: number, rng: Rng): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let t = 0;
  const r = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  const run = (stage: string, seconds: number, steps: number, extra: Partial<HistoryEvent> = {}) => {
    if (steps === 0) {
      t += seconds / 2;
      events.push({ t: r(t), stage, phase: 'running', ...extra });
      t += seconds / 2;
      return;
    }
    // Uneven steps: some items take three times others.
    const weights = Array.from({ length: steps }, () => 0.5 + rng.next());
    const total = weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < steps; i++) {
      t += (seconds * weights[i]!) / total;
      events.push({ t: r(t), stage, phase: 'running', ...extra, stageProgress: r((i + 1) / steps, 4) });
    }
  };
  for (const s of family.stages) {
    events.push({ t: r(t), stage: s.name, phase: 'starting' });
    const base = expectedStageSeconds(s, size, speed);
    if (s.loop) {
      const count = rng.pick(s.loop.counts);
      for (let k = 1; k <= count; k++) {
        events.push({ t: r(t), stage: s.name, phase: 'running', iteration: k });
        run(s.name, base * s.loop.decay ** (k - 1) * family.noise(rng), s.steps, { iteration: k });
      }
    } else {
      run(s.name, base * family.noise(rng), s.steps);
    }
    events.push({ t: r(t), stage: s.name, phase: 'complete' });
  }
  return events;
}

/**
 * The oracle's knowledge of a job: each stage's mean seconds (a loop's first iteration), the loop's
 * count distribution and decay, and the median of the seconds of all stages after each stage,
 * by Monte Carlo over the generator's own noise: the least error a remaining time can have there.
 */
function expectation(family: Family, size: number, speed: number, speedSd: number, rng: Rng): NonNullable<JobHistory['expected']> {
  const stages = Object.fromEntries(family.stages.map((s) => [s.name, expectedStageSeconds(s, size, speed)]));
  const loop = family.stages.find((s) => s.loop);
  const counts = loop?.loop?.counts ?? [1];
  const iterations = counts.reduce((a, p, i) => a + p * (i + 1), 0);
  const after: Record<string, number> = {};
  const DRAWS = 400;
  for (const [i, s] of family.stages.entries()) {
    // The job's own speed draw is shared by all its stages.
    const totals = Array.from({ length: DRAWS }, () => {
      const common = Math.exp(speedSd * rng.normal() - (speedSd * speedSd) / 2);
      return family.stages.slice(i + 1).reduce((sum, later) => {
        if (!later.loop) return sum + stages[later.name]! * common * family.noise(rng);
        const count = rng.pick(later.loop.counts);
        let loopSeconds = 0;
        for (let k = 1; k <= count; k++) loopSeconds += stages[later.name]! * common * later.loop.decay ** (k - 1) * family.noise(rng);
        return sum + loopSeconds;
      }, 0);
    }).sort((a, b) => a - b);
    after[s.name] = totals[DRAWS / 2]!;
  }
  return { stages, iterations, after, ...(loop?.loop && { loop: { stage: loop.name, ...loop.loop } }) };
}

/** log sd of the drift's step from one job to the next. */
const STEP = 0.03;

const LITERATURE_REVIEW = (jitter: (x: number) => number, loop?: StageShape['loop']): StageShape[] => [
  { name: 'initialization', fixed: jitter(1.5), perUnit: jitter(0.02), exponent: 1, steps: 0 },
  { name: 'judge', fixed: jitter(0.5), perUnit: jitter(0.15), exponent: 1, steps: 12 },
  { name: 'deep_review', fixed: jitter(1), perUnit: jitter(0.28), exponent: 1, steps: 12 },
  {
    name: 'gap_analysis',
    fixed: jitter(0.5),
    perUnit: jitter(0.1),
    exponent: 1,
    steps: 6,
    loop: loop ?? { counts: [0.2, 0.5, 0.3], decay: 1 },
  },
  { name: 'visualization', fixed: jitter(1), perUnit: jitter(0.05), exponent: 1, steps: 12 },
  { name: 'finalization', fixed: jitter(1), perUnit: jitter(0.01), exponent: 1, steps: 12 },
];

const INGEST = (jitter: (x: number) => number): StageShape[] => [
  { name: 'fetch', fixed: jitter(2), perUnit: jitter(0.01), exponent: 1, steps: 0 },
  { name: 'parse', fixed: jitter(1), perUnit: jitter(0.05), exponent: 1, steps: 10 },
  { name: 'embed', fixed: jitter(4), perUnit: jitter(0.12), exponent: jitter(0.9), steps: 16 },
  { name: 'index', fixed: jitter(6), perUnit: jitter(0.3), exponent: jitter(0.5), steps: 8 },
  { name: 'report', fixed: jitter(1.5), perUnit: 0, exponent: 1, steps: 4 },
];

export function familySets(seed = 11, jobs = 100): Record<string, JobHistory[]> {
  const params = random(seed * 7919);
  // Seed 11 keeps the parameters as written; any other seed moves each by up to ±20 %.
  const jitter = (x: number) => (seed === 11 ? x : x * (0.8 + 0.4 * params.next()));
  // Drawn once here: a family's parameters stay fixed across its jobs.
  const tailShare = jitter(0.1);
  const tailSigma = jitter(0.35);
  const bigShare = jitter(0.33);
  const sizeNoise = jitter(0.12);
  const decay = jitter(0.7);
  const loopNoise = jitter(0.1);
  const trend = jitter(0.01);
  const driftNoise = jitter(0.1);
  const families: Record<string, Family> = {
    heavy_tails: {
      pipeline: 'literature-review',
      stages: LITERATURE_REVIEW(jitter),
      size: (rng) => Math.round(30 + 30 * rng.next()),
      // Mostly lognormal; one stage in ten runs 1.5 × long or (rarely) far more: a retry, a cold cache.
      noise: (rng) => {
        const tail = rng.next() < tailShare ? rng.pareto(1.6) * 1.5 : 1;
        // Divided by the tail's mean (Pareto 1.6 has mean 1.6 / 0.6) so the noise has mean 1.
        return (rng.lognormal(tailSigma) * tail) / (1 - tailShare + tailShare * 1.5 * (1.6 / 0.6));
      },
      speed: () => ({ actual: 1, expected: 1, sd: 0 }),
    },
    bimodal_sizes: {
      pipeline: 'ingest',
      stages: INGEST(jitter),
      // Most jobs are small; a third are large, thirty times the size.
      size: (rng) => Math.max(1, Math.round((rng.next() < bigShare ? 400 : 12) * rng.lognormal(0.25))),
      noise: (rng) => rng.lognormal(sizeNoise),
      speed: () => ({ actual: 1, expected: 1, sd: 0 }),
    },
    shrinking_loops: {
      pipeline: 'literature-review',
      stages: LITERATURE_REVIEW(jitter, { counts: [0.1, 0.15, 0.2, 0.2, 0.15, 0.1, 0.06, 0.04], decay }),
      size: (rng) => Math.round(20 + 40 * rng.next()),
      noise: (rng) => rng.lognormal(loopNoise),
      speed: () => ({ actual: 1, expected: 1, sd: 0 }),
    },
    drift: {
      pipeline: 'ingest',
      stages: INGEST(jitter),
      size: (rng) => Math.round(20 + 60 * rng.next()),
      noise: (rng) => rng.lognormal(driftNoise),
      // Slower by about 1 % a job, wandering 3 % either way: a cache filling, a table growing.
      // The oracle knows the speed up to the last job and the trend, not this job's step.
      speed: (() => {
        let log = 0;
        const walk = random(seed * 31 + 5);
        return (i: number) => {
          if (i === 0) return { actual: 1, expected: 1, sd: 0 };
          const expected = Math.exp(log + trend);
          log += trend + STEP * walk.normal();
          return { actual: Math.exp(log), expected, sd: STEP };
        };
      })(),
    },
  };
  const out: Record<string, JobHistory[]> = {};
  for (const [name, family] of Object.entries(families)) {
    const rng = random(seed * 1000 + name.length);
    const oracleRng = random(seed * 1000 + name.length + 500);
    out[name] = Array.from({ length: jobs }, (_, i) => {
      const size = family.size(rng);
      const speed = family.speed(i, rng);
      return {
        pipeline: family.pipeline,
        size,
        events: draw(family, size, speed.actual, rng),
        expected: expectation(family, size, speed.expected, speed.sd, oracleRng),
      };
    });
  }
  return out;
}
