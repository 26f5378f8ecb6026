import { describe, expect, it } from 'vitest';
import type { NewJobEvent, Phase } from '../model/events.ts';
import { literatureReview } from '../pipelines/literature-review.ts';
import { type EmitExtras, ProgressTracker } from './progress-tracker.ts';

type Step = [stage: string, phase: Phase, extras?: EmitExtras];

function replay(steps: Step[], setup?: (t: ProgressTracker) => void) {
  const events: NewJobEvent[] = [];
  let clock = 0;
  const tracker = new ProgressTracker({
    jobId: '1',
    attempt: 1,
    stages: literatureReview.stages,
    emit: (e) => events.push(e),
    now: () => (clock += 1000),
  });
  setup?.(tracker);
  for (const [stage, phase, extras] of steps) tracker.emit(stage, phase, `${stage} ${phase}`, extras);
  const percentages = events.flatMap((e) => (e.kind === 'progress' ? [e.percentage] : []));
  return { tracker, events, percentages };
}

const STAGES = literatureReview.stages.map((s) => s.name);
const fullRun: Step[] = STAGES.flatMap((s): Step[] => [
  [s, 'starting'],
  [s, 'running', { stageProgress: 0.5 }],
  [s, 'complete'],
]);

function expectNeverDecreasing(values: number[]) {
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
}

describe('ProgressTracker percentage', () => {
  it('adds each completed stage’s weight, the seed’s 5/15/30/35/10/5', () => {
    const { events } = replay(fullRun);
    const completes = events.filter((e) => e.kind === 'progress' && e.phase === 'complete');
    expect(completes.map((e) => (e.kind === 'progress' ? e.percentage : -1))).toEqual([5, 20, 50, 85, 95, 100]);
  });

  it('counts a running stage by its stageProgress, not a fixed half', () => {
    const { tracker } = replay([
      ['initialization', 'complete'],
      ['judge', 'starting'],
      ['judge', 'running', { stageProgress: 0.2 }],
    ]);
    expect(tracker.percentage).toBeCloseTo(5 + 15 * 0.2);
  });

  it('never decreases over a full run, and ends at 100', () => {
    const { percentages } = replay(fullRun);
    expectNeverDecreasing(percentages);
    expect(percentages.at(-1)).toBe(100);
  });

  it('ignores a stageProgress that goes backwards', () => {
    const { percentages } = replay([
      ['judge', 'running', { stageProgress: 0.8 }],
      ['judge', 'running', { stageProgress: 0.1 }],
    ]);
    expect(percentages[1]).toBe(percentages[0]);
  });

  it('counts skipped stages as done so a job that skips some still reaches 100', () => {
    const steps: Step[] = fullRun.filter(([s]) => s !== 'deep_review' && s !== 'visualization');
    steps.splice(3, 0, ['deep_review', 'skipped']);
    const { tracker, percentages } = replay(steps, undefined);
    tracker.skipUntouched();
    expectNeverDecreasing(percentages);
    expect(tracker.percentage).toBe(100);
  });

  it('estimates a looping stage from its expected iterations, rising with every iteration', () => {
    const steps: Step[] = [
      ['initialization', 'complete'],
      ['judge', 'complete'],
      ['deep_review', 'complete'],
      ['gap_analysis', 'starting'],
    ];
    for (let i = 1; i <= 6; i++) {
      steps.push(['gap_analysis', 'running', { iteration: i }]);
      steps.push(['gap_analysis', 'running', { iteration: i, stageProgress: 1 }]);
    }
    steps.push(['gap_analysis', 'complete']);
    const { percentages, events } = replay(steps);
    expectNeverDecreasing(percentages);
    // expected 3 iterations: after the first of them 50 + 35 × 1/3
    expect(percentages[5]).toBeCloseTo(50 + 35 / 3, 1);
    // past the expected count it still rises but stays below the stage's end
    expect(percentages.at(-2)).toBeGreaterThan(percentages[9]!);
    expect(percentages.at(-2)).toBeLessThan(85);
    expect(percentages.at(-1)).toBe(85);
    const last = events.filter((e) => e.kind === 'progress').at(-2);
    expect(last?.kind === 'progress' && last.iteration).toBe(6);
  });

  it('uses the expected iteration count a run declares (ONCE mode = 1)', () => {
    const { percentages } = replay([['gap_analysis', 'running', { iteration: 1, stageProgress: 0.5 }]], (t) =>
      t.expectIterations('gap_analysis', 1),
    );
    // one expected iteration: half of it is 0.5 / max(1, 1.5) of the stage
    expect(percentages[0]).toBeCloseTo(35 * (0.5 / 1.5), 1);
  });

  it('holds the percentage when a stage errors', () => {
    const steps = fullRun.slice(0, 7); // through deep_review starting
    steps.push(['deep_review', 'running', { stageProgress: 0.4 }], ['deep_review', 'error']);
    const { percentages } = replay(steps);
    expectNeverDecreasing(percentages);
    expect(percentages.at(-1)).toBe(percentages.at(-2));
    expect(percentages.at(-1)).toBeCloseTo(20 + 30 * 0.4);
  });

  it('keeps every phase sequence of every stage non-decreasing', () => {
    const phases: Phase[] = ['starting', 'running', 'complete', 'error', 'skipped'];
    for (const a of phases) {
      for (const b of phases) {
        for (const c of phases) {
          const steps: Step[] = STAGES.flatMap((s, i): Step[] => [
            [s, a, { stageProgress: (i % 3) / 3, iteration: 1 }],
            [s, b, { stageProgress: ((i + 1) % 3) / 3, iteration: 2 }],
            [s, c, { stageProgress: 0.9, iteration: 2 }],
          ]);
          const { percentages } = replay(steps);
          expectNeverDecreasing(percentages);
          for (const p of percentages) expect(p).toBeLessThanOrEqual(100);
        }
      }
    }
  });

  it('rejects a stage the pipeline does not declare, naming the known ones', () => {
    expect(() => replay([['judgement', 'starting']])).toThrow(/Unknown stage "judgement".*initialization, judge/);
  });

  it('gives an ETA from the job’s own rate once some work is done, and basis none at the very start', () => {
    const { events } = replay(fullRun);
    const progress = events.filter((e) => e.kind === 'progress');
    expect(progress[0]?.kind === 'progress' && progress[0].eta?.basis).toBe('none');
    const mid = progress.find((e) => e.kind === 'progress' && e.percentage >= 50);
    expect(mid?.kind === 'progress' && mid.eta?.basis).toBe('rate');
    if (mid?.kind === 'progress' && mid.eta) {
      expect(mid.eta.low).toBeLessThanOrEqual(mid.eta.seconds);
      expect(mid.eta.high).toBeGreaterThanOrEqual(mid.eta.seconds);
    }
  });
});
