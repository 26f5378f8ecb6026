// Generated job histories of the literature-review pipeline's shape, one set per kind of trouble
// an estimator meets: steady, noisy, mixed sizes, a regime change halfway, variable loop counts.
import type { HistoryEvent, JobHistory } from './history-file.ts';

/** Seconds of each stage for a job of size 40 (gap_analysis: per iteration). */
const BASE = { initialization: 2, judge: 6, deep_review: 12, gap_analysis: 4, visualization: 3, finalization: 1.5 };
type StageName = keyof typeof BASE;
const ORDER: StageName[] = ['initialization', 'judge', 'deep_review', 'gap_analysis', 'visualization', 'finalization'];
/** How each stage's time grows with size (initialization and finalization barely do). */
const SIZE_EXPONENT: Record<StageName, number> = {
  initialization: 0.3,
  judge: 1,
  deep_review: 1,
  gap_analysis: 1,
  visualization: 0.6,
  finalization: 0.3,
};

interface JobShape {
  size: number;
  noise: number;
  iterations: number;
  slowdown: number;
  /** What the iteration count is on average, for the oracle (the count itself is not known ahead). */
  meanIterations?: number;
}

/** mulberry32: small, seedable, good enough for test data. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, normal };
}

function job(shape: JobShape, rng: ReturnType<typeof random>): JobHistory {
  const events: HistoryEvent[] = [];
  let t = 0;
  const lognormal = (sigma: number) => Math.exp(sigma * rng.normal() - (sigma * sigma) / 2);
  // Steps inside a stage take about equal time, each a little uneven.
  const steps = (stage: StageName, seconds: number, count: number, extra: Partial<HistoryEvent> = {}, from = 0) => {
    const weights = Array.from({ length: count }, () => lognormal(0.2));
    const total = weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < count; i++) {
      t += (seconds * weights[i]!) / total;
      events.push({ t: round(t), stage, phase: 'running', ...extra, stageProgress: round(from + (i + 1) / count, 4) });
    }
  };
  for (const stage of ORDER) {
    const scale = (shape.size / 40) ** SIZE_EXPONENT[stage] * shape.slowdown;
    events.push({ t: round(t), stage, phase: 'starting' });
    if (stage === 'gap_analysis') {
      for (let i = 1; i <= shape.iterations; i++) {
        const seconds = BASE[stage] * scale * lognormal(shape.noise);
        events.push({ t: round(t), stage, phase: 'running', iteration: i });
        steps(stage, seconds, 6, { iteration: i });
        events.at(-1)!.stageProgress = 1;
      }
    } else if (stage === 'initialization') {
      // Reports no progress of its own: two plain messages.
      const seconds = BASE[stage] * scale * lognormal(shape.noise);
      t += seconds / 2;
      events.push({ t: round(t), stage, phase: 'running' });
      t += seconds / 2;
    } else {
      steps(stage, BASE[stage] * scale * lognormal(shape.noise), 12);
    }
    events.push({ t: round(t), stage, phase: 'complete' });
  }
  const expected = Object.fromEntries(
    ORDER.map((stage) => [stage, BASE[stage] * (shape.size / 40) ** SIZE_EXPONENT[stage] * shape.slowdown]),
  );
  return {
    pipeline: 'literature-review',
    size: shape.size,
    events,
    expected: { stages: expected, iterations: shape.meanIterations ?? shape.iterations },
  };
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

export function generatedSets(jobs = 100): Record<string, JobHistory[]> {
  const make = (seed: number, shape: (i: number, rng: ReturnType<typeof random>) => JobShape) => {
    const rng = random(seed);
    return Array.from({ length: jobs }, (_, i) => job(shape(i, rng), rng));
  };
  const steady = { size: 40, noise: 0.05, iterations: 3, slowdown: 1 };
  return {
    steady: make(1, () => steady),
    noisy: make(2, () => ({ ...steady, noise: 0.25 })),
    mixed_sizes: make(3, (_, rng) => ({ ...steady, noise: 0.08, size: Math.round(10 * 16 ** rng.next()) })),
    regime_change: make(4, (i) => ({ ...steady, noise: 0.08, slowdown: i < jobs / 2 ? 1 : 1.8 })),
    variable_loops: make(5, (_, rng) => ({
      ...steady,
      noise: 0.08,
      iterations: 1 + Math.floor(rng.next() * 6),
      meanIterations: 3.5,
    })),
  };
}
