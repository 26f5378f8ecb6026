// "Slower than usual": a stage past the top of its usual band says so while it runs, also when
// its pipeline is quiet (tick), and stops saying so when it ends.
import { describe, expect, it } from 'vitest';
import type { NewJobEvent, ProgressEvent } from '../model/events.ts';
import type { StageSpec } from '../model/pipeline-spec.ts';
import { ProgressTracker } from './progress-tracker.ts';

const stages: StageSpec[] = [
  { name: 'fetch', label: 'Fetch', weight: 1 },
  { name: 'build', label: 'Build', weight: 1 },
];
const band = { low: 20, high: 35 };

function setUp() {
  const events: NewJobEvent[] = [];
  let clockMs = 0;
  const tracker = new ProgressTracker({
    jobId: '1',
    attempt: 1,
    stages,
    emit: (e) => events.push(e),
    now: () => clockMs,
    usual: new Map([['fetch', band]]),
  });
  const progress = () => events.filter((e): e is Omit<ProgressEvent, 'seq'> => e.kind === 'progress');
  return { tracker, events, progress, at: (seconds: number) => (clockMs = seconds * 1000) };
}

describe('ProgressTracker: slower than usual', () => {
  it('says nothing while the stage is inside its band, even at its very top', () => {
    const { tracker, progress, at } = setUp();
    tracker.emit('fetch', 'starting', 'Fetching');
    at(35);
    tracker.emit('fetch', 'running', 'Still fetching', { stageProgress: 0.5 });
    tracker.tick();
    expect(progress().map((e) => e.slow)).toEqual([undefined, undefined]);
    expect(tracker.snapshot().slow).toBeUndefined();
  });

  it('raises it on a quiet stage at the first tick past the band, once, and on every event after', () => {
    const { tracker, progress, at } = setUp();
    tracker.emit('fetch', 'starting', 'Fetching');
    at(10);
    tracker.emit('fetch', 'running', 'Fetching page 3', { stageProgress: 0.3 });
    at(35.5);
    tracker.tick();
    at(36.5);
    tracker.tick();
    const raised = progress().at(-1)!;
    expect(progress()).toHaveLength(3);
    expect(raised).toMatchObject({ stage: 'fetch', phase: 'running', message: 'Fetching page 3', stageProgress: 0.3, slow: band });
    expect(raised.percentage).toBeGreaterThanOrEqual(progress()[1]!.percentage);
    expect(tracker.snapshot()).toMatchObject({ stage: 'fetch', slow: band });
    at(40);
    tracker.emit('fetch', 'running', 'Fetching page 4', { stageProgress: 0.4 });
    expect(progress().at(-1)!.slow).toEqual(band);
  });

  it('clears it when the stage ends, and a stage without a band never raises it', () => {
    const { tracker, progress, at } = setUp();
    tracker.emit('fetch', 'starting', 'Fetching');
    at(50);
    tracker.tick();
    expect(progress().at(-1)!.slow).toEqual(band);
    tracker.emit('fetch', 'complete', 'Fetched');
    expect(progress().at(-1)!.slow).toBeUndefined();
    expect(tracker.snapshot().slow).toBeUndefined();
    tracker.emit('build', 'starting', 'Building');
    at(5000);
    tracker.tick();
    expect(progress().map((e) => e.phase)).toEqual(['starting', 'running', 'complete', 'starting']);
    expect(tracker.snapshot().slow).toBeUndefined();
  });

  it('does not tick once no stage is open', () => {
    const { tracker, events, at } = setUp();
    tracker.emit('fetch', 'starting', 'Fetching');
    tracker.emit('fetch', 'error', 'Broke');
    at(100);
    tracker.tick();
    expect(events).toHaveLength(2);
  });
});
