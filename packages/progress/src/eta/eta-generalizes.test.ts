// The estimator on job shapes it was not written around: sizes far from its history, drift and
// regime changes, loops whose iterations shrink, heavy tails; and the percentage never jumping.
import { describe, expect, it } from 'vitest';
import type { NewJobEvent } from '../model/events.ts';
import type { StageSpec } from '../model/pipeline-spec.ts';
import { ProgressTracker } from '../tracker/progress-tracker.ts';
import { EtaEstimator } from './eta-estimator.ts';
import type { JobRecord } from './job-history.ts';

const stages: StageSpec[] = [
  { name: 'fetch', label: 'Fetch', weight: 10 },
  { name: 'crunch', label: 'Crunch', weight: 60 },
  { name: 'refine', label: 'Refine', weight: 20, loops: true },
  { name: 'report', label: 'Report', weight: 10 },
];

/** A finished job: fetch and report fixed, crunch in proportion to size, refine's iterations as given. */
function record(size: number, speed = 1, iterations = [4, 2, 1]): JobRecord {
  const list = [
    { name: 'fetch', seconds: 2 * speed },
    { name: 'crunch', seconds: 0.5 * size * speed },
    {
      name: 'refine',
      seconds: iterations.reduce((a, b) => a + b, 0) * speed,
      iterations: iterations.length,
      iterationSeconds: iterations.map((s) => s * speed),
    },
    { name: 'report', seconds: 1 * speed },
  ];
  return { pipeline: 'p', size, seconds: list.reduce((a, s) => a + s.seconds, 0), stages: list };
}

/** Newest first, as HistoryStore loads them. */
const newestFirst = (oldestFirst: JobRecord[]) => [...oldestFirst].reverse();

describe('EtaEstimator beyond its history', () => {
  it('scales each stage to a job ten times the size of every job before it', () => {
    const history = Array.from({ length: 20 }, () => record(40));
    const estimator = new EtaEstimator(stages, history, 400);
    // Nothing in history tells how crunch grows: in proportion, the plainest guess.
    expect(estimator.expectedSeconds('crunch')).toBeCloseTo(200, 0);
    // Sizes seen once do tell: fetch stays 2 s at any size, crunch grows in proportion.
    const varied = [10, 20, 40, 80, 20, 40, 10, 80].map((size) => record(size));
    const far = new EtaEstimator(stages, varied, 800);
    expect(far.expectedSeconds('fetch')).toBeCloseTo(2, 1);
    expect(far.expectedSeconds('crunch')).toBeCloseTo(400, -1);
  });

  it('never lets the bar rise more than 10 points inside a stage on a job ten times its history’s size', () => {
    const history = Array.from({ length: 20 }, () => record(40));
    const events: NewJobEvent[] = [];
    let clock = 0;
    const tracker = new ProgressTracker({
      jobId: 'j',
      attempt: 1,
      stages,
      estimator: new EtaEstimator(stages, history, 400),
      emit: (e) => events.push(e),
      now: () => clock * 1000,
    });
    const at = (t: number, stage: string, phase: 'starting' | 'running' | 'complete', extras = {}) => {
      clock = t;
      tracker.emit(stage, phase, '', extras);
    };
    at(0, 'fetch', 'starting');
    at(2, 'fetch', 'complete');
    at(2, 'crunch', 'starting');
    // Crunch reports no progress of its own: two plain messages, 150 s apart, in a 200 s stage.
    at(80, 'crunch', 'running');
    at(180, 'crunch', 'running');
    at(202, 'crunch', 'complete');
    at(202, 'refine', 'starting');
    [4, 2, 1].reduce((t, seconds, i) => {
      at(t, 'refine', 'running', { iteration: i + 1, stageProgress: 0 });
      at(t + seconds, 'refine', 'running', { iteration: i + 1, stageProgress: 1 });
      return t + seconds;
    }, 202);
    at(209, 'refine', 'complete');
    at(209, 'report', 'starting');
    at(210, 'report', 'complete');
    const progress = events.flatMap((e) => (e.kind === 'progress' ? [e] : []));
    for (let i = 1; i < progress.length; i++) {
      const rise = progress[i]!.percentage - progress[i - 1]!.percentage;
      expect(rise).toBeGreaterThanOrEqual(0);
      if (progress[i]!.phase === 'running') expect(rise).toBeLessThanOrEqual(10);
    }
    expect(progress.at(-1)!.percentage).toBe(100);
  });

  it('follows a change of speed within two jobs, and a drift job after job', () => {
    const steady = Array.from({ length: 30 }, (_, i) => record(40, 1 + ((i % 3) - 1) * 0.02));
    const afterTwo = new EtaEstimator(stages, newestFirst([...steady, record(40, 1.5), record(40, 1.5)]), 40);
    expect(afterTwo.expectedSeconds('crunch')! / 20).toBeGreaterThan(1.4);
    // One slow job is a tail, not a change.
    const afterOne = new EtaEstimator(stages, newestFirst([...steady, record(40, 1.5)]), 40);
    expect(afterOne.expectedSeconds('crunch')! / 20).toBeLessThan(1.1);
    // 3 % slower each job: the next one is forecast at the trend, not at the average of the past.
    const drifting = Array.from({ length: 40 }, (_, i) => record(40, 1.03 ** i));
    const next = new EtaEstimator(stages, newestFirst(drifting), 40).expectedSeconds('crunch')! / 20;
    expect(next / 1.03 ** 40).toBeGreaterThan(0.95);
    expect(next / 1.03 ** 40).toBeLessThan(1.05);
  });

  it('learns that each iteration of a loop takes half the last, and how many there are', () => {
    const history = Array.from({ length: 12 }, () => record(40));
    const estimator = new EtaEstimator(stages, history, 40);
    expect(estimator.expectedIterations('refine')).toBeCloseTo(3);
    expect(estimator.expectedSeconds('refine')).toBeCloseTo(7, 0);
    // In iteration 2 of a run whose first took 8 s (twice the usual): 4 s + 2 s are left of refine.
    const eta = estimator.estimate({
      elapsedS: 30,
      stage: 'refine',
      stageElapsedS: 8,
      stageProgress: 0,
      iteration: 2,
      iterationSeconds: [8],
      finished: new Map([
        ['fetch', 2],
        ['crunch', 20],
      ]),
      fraction: 0.7,
    });
    expect(eta.seconds).toBeGreaterThan(7 * 0.9);
    expect(eta.seconds).toBeLessThan(7 * 1.1);
  });

  it('is moved little by one run that took ten times as long', () => {
    const history = Array.from({ length: 20 }, (_, i) => record(40, 1 + ((i % 5) - 2) * 0.03));
    const before = new EtaEstimator(stages, history, 40).expectedSeconds('crunch')!;
    const tail = { ...record(40), stages: record(40).stages.map((s) => (s.name === 'crunch' ? { ...s, seconds: 200 } : s)) };
    const after = new EtaEstimator(stages, [history[0]!, history[1]!, tail, ...history.slice(2)], 40).expectedSeconds('crunch')!;
    expect(Math.abs(after / before - 1)).toBeLessThan(0.03);
  });
});

describe('EtaEstimator without history', () => {
  // Declared weights 10/40/30/20 while the stages take about 3/50/20/25 % of each job, give or
  // take: the first stage's pace per declared weight says the job is far shorter than it is.
  const declared: StageSpec[] = [
    { name: 'load', label: 'Load', weight: 10 },
    { name: 'score', label: 'Score', weight: 40 },
    { name: 'merge', label: 'Merge', weight: 30 },
    { name: 'write', label: 'Write', weight: 20 },
  ];
  const jobs = [
    [2, 40, 15, 20],
    [3, 30, 25, 12],
    [1, 50, 10, 25],
    [2.5, 35, 20, 15],
    [1.5, 45, 30, 10],
    [4, 25, 12, 30],
  ];

  /** Mean absolute error (s) of the fresh tracker's ETA and of elapsed ÷ fraction done, from 20 % of each job on. */
  function errors() {
    let headway = 0;
    let linear = 0;
    let samples = 0;
    for (const seconds of jobs) {
      const duration = seconds.reduce((a, b) => a + b, 0);
      let clock = 0;
      let last: NewJobEvent | undefined;
      const tracker = new ProgressTracker({ jobId: 'j', attempt: 1, stages: declared, emit: (e) => (last = e), now: () => clock * 1000 });
      const read = () => {
        if (last?.kind !== 'progress' || !last.eta || last.eta.basis === 'none' || clock < 0.2 * duration || clock >= duration) return;
        const f = last.percentage / 100;
        headway += Math.abs(last.eta.seconds - (duration - clock));
        linear += Math.abs((clock * (1 - f)) / f - (duration - clock));
        samples++;
      };
      for (const [i, stage] of declared.entries()) {
        tracker.emit(stage.name, 'starting', '');
        // Ten steps, uneven: every other one takes twice as long.
        const steps = Array.from({ length: 10 }, (_, k) => (k % 2 === 0 ? 1 : 2));
        const total = steps.reduce((a, b) => a + b, 0);
        for (const [k, step] of steps.entries()) {
          clock += (seconds[i]! * step) / total;
          tracker.emit(stage.name, 'running', '', { stageProgress: (k + 1) / 10 });
          read();
        }
        tracker.emit(stage.name, 'complete', '');
        read();
      }
    }
    return { headway: headway / samples, linear: linear / samples, samples };
  }

  it('beats elapsed ÷ fraction done when the declared weights are off', () => {
    const { headway, linear, samples } = errors();
    expect(samples).toBeGreaterThan(150);
    // Before the blend with the overall pace: 6.52 s against 5.86 s; with it, 5.56 s.
    expect(headway).toBeLessThan(0.97 * linear);
  });
});
