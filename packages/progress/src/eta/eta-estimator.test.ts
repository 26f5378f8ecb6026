import { describe, expect, it } from 'vitest';
import { literatureReview } from '../pipelines/literature-review.ts';
import { type EstimateInput, EtaEstimator } from './eta-estimator.ts';
import type { JobRecord } from './job-history.ts';

const stages = literatureReview.stages;
const SECONDS = { initialization: 2, judge: 6, deep_review: 12, gap_analysis: 12, visualization: 3, finalization: 1 };

function record(size: number, factor = 1, iterations = 3): JobRecord {
  const list = stages.map(({ name }) => ({
    name,
    seconds: SECONDS[name as keyof typeof SECONDS] * factor * (size / 40),
    ...(name === 'gap_analysis' && { iterations }),
  }));
  return { pipeline: 'literature-review', size, seconds: list.reduce((a, s) => a + s.seconds, 0), stages: list };
}

const at = (partial: Partial<EstimateInput>): EstimateInput => ({
  elapsedS: 10,
  stage: 'judge',
  stageElapsedS: 2,
  finished: new Map([['initialization', 2]]),
  fraction: 0.2,
  ...partial,
});

describe('EtaEstimator', () => {
  it('says basis none with no history and too little done, then the job’s own rate', () => {
    const empty = new EtaEstimator(stages, []);
    expect(empty.estimate(at({ fraction: 0.01 })).basis).toBe('none');
    // Nothing finished yet: the job's overall pace, elapsed ÷ fraction done.
    const overall = empty.estimate(at({ elapsedS: 10, fraction: 0.25, finished: new Map() }));
    expect(overall.basis).toBe('rate');
    expect(overall.seconds).toBeCloseTo(30);
  });

  it('without history, uses the running stage’s own pace and the pace per declared weight for the rest', () => {
    const empty = new EtaEstimator(stages, []);
    // initialization (weight 5) took 2 s; judge (15) is half done after 3 s, so 3 s of it are left;
    // pace so far: (2 + 3) s for 5 + 7.5 weight = 0.4 s a weight, times the 80 weight still to come.
    const eta = empty.estimate(at({ elapsedS: 5, stageElapsedS: 3, stageProgress: 0.5, fraction: 0.125 }));
    expect(eta.basis).toBe('rate');
    expect(eta.seconds).toBeCloseTo(3 + 80 * 0.4);
  });

  it('says basis history once it has history, and learns each stage’s time', () => {
    const estimator = new EtaEstimator(stages, [record(40), record(40), record(40)], 40);
    expect(estimator.expectedSeconds('deep_review')).toBeCloseTo(12);
    const eta = estimator.estimate(at({ stageElapsedS: 0, stage: 'judge' }));
    expect(eta.basis).toBe('history');
    // judge 6 + deep_review 12 + gap 12 + visualization 3 + finalization 1
    expect(eta.seconds).toBeCloseTo(34, 0);
  });

  it('reads a job far bigger than all its history by its own first stages, not by the curves’ extrapolation', () => {
    // Each stage a fixed cost plus a cost per unit: history's sizes (10–20) barely show the second,
    // which makes a job of 400 eight times as long as theirs.
    const timed = (size: number, noise: number): JobRecord => {
      const list = stages.map(({ name }) => ({
        name,
        seconds: SECONDS[name as keyof typeof SECONDS] * (1 + size / 40) * noise,
        ...(name === 'gap_analysis' && { iterations: 1 }),
      }));
      return { pipeline: 'literature-review', size, seconds: list.reduce((a, s) => a + s.seconds, 0), stages: list };
    };
    const history = Array.from({ length: 20 }, (_, i) => timed(10 + (i % 11), 1 + 0.05 * ((i % 5) - 2)));
    const estimator = new EtaEstimator(stages, history, 400);
    const truth = timed(400, 1);
    const seconds = (name: string) => truth.stages.find((s) => s.name === name)!.seconds;
    // Initialization done in its true time, far over the curve's: the rest is read at its pace.
    const eta = estimator.estimate(
      at({ elapsedS: seconds('initialization'), stageElapsedS: 0, finished: new Map([['initialization', seconds('initialization')]]) }),
    );
    const remaining = truth.seconds - seconds('initialization');
    expect(eta.seconds).toBeGreaterThan(0.7 * remaining);
    expect(eta.seconds).toBeLessThan(1.3 * remaining);
    expect(eta.low).toBeLessThan(remaining);
    expect(eta.high).toBeGreaterThan(remaining);
  });

  it('keeps the point inside its band, for every stage and progress', () => {
    const history = Array.from({ length: 20 }, (_, i) => record(40, 0.8 + (i % 5) * 0.1, 2 + (i % 3)));
    const estimator = new EtaEstimator(stages, history, 40);
    for (const { name } of stages) {
      for (const stageProgress of [undefined, 0.1, 0.5, 0.9]) {
        const eta = estimator.estimate(at({ stage: name, stageProgress, iteration: 2, stageElapsedS: 3 }));
        expect(eta.low).toBeLessThanOrEqual(eta.seconds);
        expect(eta.seconds).toBeLessThanOrEqual(eta.high);
        expect(eta.high).toBeGreaterThan(eta.low);
      }
    }
  });

  it('scales stage times to the job’s size, learning how each grows', () => {
    const history = [10, 20, 40, 80, 20, 40].map((size) => record(size));
    const small = new EtaEstimator(stages, history, 20);
    const large = new EtaEstimator(stages, history, 160);
    expect(large.expectedSeconds('judge')! / small.expectedSeconds('judge')!).toBeCloseTo(8, 1);
  });

  it('weighs recent jobs more, so it follows a change of speed', () => {
    const old = Array.from({ length: 20 }, () => record(40, 1));
    const recent = Array.from({ length: 10 }, () => record(40, 2));
    const estimator = new EtaEstimator(stages, [...recent, ...old], 40);
    expect(estimator.expectedSeconds('judge')).toBeCloseTo(12, 0);
  });

  it('follows a shift after three runs that all land far off the same side, not after ten', () => {
    const old = Array.from({ length: 30 }, (_, i) => record(40, 1 + ((i % 3) - 1) * 0.03));
    const shifted = Array.from({ length: 3 }, () => record(40, 2));
    expect(new EtaEstimator(stages, [...shifted, ...old], 40).expectedSeconds('judge')).toBeCloseTo(12, 0);
    // One odd run is noise, not a shift.
    expect(new EtaEstimator(stages, [record(40, 2), ...old], 40).expectedSeconds('judge')).toBeCloseTo(6, 0);
  });

  it('speeds up or slows down what is left by how this job ran so far', () => {
    const estimator = new EtaEstimator(stages, [record(40), record(40), record(40)], 40);
    const onTime = estimator.estimate(
      at({
        stage: 'gap_analysis',
        stageElapsedS: 0,
        finished: new Map([
          ['initialization', 2],
          ['judge', 6],
          ['deep_review', 12],
        ]),
      }),
    );
    const slow = estimator.estimate(
      at({
        stage: 'gap_analysis',
        stageElapsedS: 0,
        finished: new Map([
          ['initialization', 4],
          ['judge', 12],
          ['deep_review', 24],
        ]),
      }),
    );
    expect(slow.seconds).toBeGreaterThan(onTime.seconds * 1.3);
  });
});
