import { describe, expect, it } from 'vitest';
import { literatureReview } from '../pipelines/literature-review.ts';
import type { JobEvent, NewJobEvent, StreamEntry } from './events.ts';
import { applyEntry, createJobView, resetView } from './job-state.ts';
import type { JobSummary } from './job-summary.ts';

const base = { jobId: '7', attempt: 1, ts: '2026-11-24T00:00:00.000Z' };
let n = 0;
const entry = (event: NewJobEvent, at?: number): StreamEntry => {
  const seq = at ?? ++n;
  return { id: `1-${seq}`, event: { ...event, seq } as JobEvent };
};

describe('job view fold', () => {
  it('turns a stage active then complete and follows the percentage', () => {
    n = 0;
    let view = createJobView(literatureReview.stages);
    view = applyEntry(view, entry({ ...base, kind: 'progress', stage: 'judge', phase: 'starting', message: 'go', percentage: 5 }));
    expect(view.stages.find((s) => s.name === 'judge')?.state).toBe('active');
    expect(view.status).toBe('active');
    view = applyEntry(view, entry({ ...base, kind: 'progress', stage: 'judge', phase: 'complete', message: 'ok', percentage: 20 }));
    expect(view.stages.find((s) => s.name === 'judge')?.state).toBe('complete');
    expect(view.percentage).toBe(20);
    expect(view.cursor).toBe('1-2');
  });

  it('keeps every attempt’s artifacts in order, without touching the stages or the bar', () => {
    n = 0;
    let view = createJobView(literatureReview.stages);
    view = applyEntry(
      view,
      entry({ ...base, kind: 'progress', stage: 'visualization', phase: 'running', message: 'drawing', percentage: 80 }),
    );
    const artifact = {
      ...base,
      kind: 'artifact' as const,
      stage: 'visualization',
      size: 10,
      contentType: 'image/svg+xml',
      sha256: 'f'.repeat(64),
    };
    view = applyEntry(view, entry({ ...artifact, name: 'radar.svg' }));
    expect(view.stages.find((s) => s.name === 'visualization')?.state).toBe('active');
    expect(view.percentage).toBe(80);
    view = applyEntry(view, entry({ ...artifact, name: 'radar.svg', attempt: 2 }));
    expect(view.artifacts.map((a) => [a.name, a.attempt, a.seq])).toEqual([
      ['radar.svg', 1, 2],
      ['radar.svg', 2, 3],
    ]);
    expect(applyEntry(view, entry({ ...artifact, name: 'again.svg' }, 3))).toBe(view);
  });

  it('ignores a duplicate and counts a hole in seq', () => {
    n = 0;
    let view = createJobView(literatureReview.stages);
    const first = entry({ ...base, kind: 'log', level: 'info', message: 'a' });
    view = applyEntry(view, first);
    const again = applyEntry(view, first);
    expect(again).toBe(view);
    view = applyEntry(view, entry({ ...base, kind: 'log', level: 'info', message: 'c' }, 4));
    expect(view.missing).toBe(2);
  });

  it('restarts the stages and the bar on a new attempt', () => {
    n = 0;
    let view = createJobView(literatureReview.stages);
    view = applyEntry(view, entry({ ...base, kind: 'progress', stage: 'judge', phase: 'complete', message: '', percentage: 20 }));
    view = applyEntry(view, entry({ ...base, attempt: 2, kind: 'status', status: 'active' }));
    expect(view.attempt).toBe(2);
    expect(view.percentage).toBe(0);
    expect(view.stages.every((s) => s.state === 'waiting')).toBe(true);
  });

  it('after a reset, shows the snapshot: stages before the current one ended, the current one in its phase, then the retained events refine it', () => {
    const summary: JobSummary = {
      id: '7',
      name: 'literature-review',
      pipeline: 'literature-review',
      status: 'active',
      attempt: 1,
      attempts: 1,
      percentage: 62,
      stage: 'gap_analysis',
      phase: 'running',
      iteration: 2,
      createdAt: base.ts,
    };
    let view = resetView(createJobView(literatureReview.stages), summary);
    expect(view.stages.map((s) => s.state)).toEqual(['complete', 'complete', 'complete', 'active', 'waiting', 'waiting']);
    expect(view.stages[3]?.iteration).toBe(2);
    expect(view.percentage).toBe(62);
    view = applyEntry(
      view,
      entry({ ...base, kind: 'progress', stage: 'gap_analysis', phase: 'complete', message: '', percentage: 80 }, 900),
    );
    expect(view.stages[3]?.state).toBe('complete');
    expect(view.lastSeq).toBe(900);
    const done = resetView(view, { ...summary, status: 'completed', percentage: 100, stage: 'finalization', phase: 'complete' });
    expect(done.stages.every((s) => s.state === 'complete')).toBe(true);
    expect(done.eta).toBeUndefined();
  });

  it('times a looping stage’s iterations and remembers when the newest event was written', () => {
    n = 0;
    const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 0, 0, s)).toISOString();
    const loop = (s: number, phase: 'starting' | 'running' | 'complete', iteration?: number) =>
      entry({
        ...base,
        ts: at(s),
        kind: 'progress',
        stage: 'gap_analysis',
        phase,
        message: '',
        percentage: 50,
        ...(iteration && { iteration }),
      });
    let view = createJobView(literatureReview.stages);
    view = applyEntry(view, loop(0, 'starting'));
    view = applyEntry(view, loop(1, 'running', 1));
    view = applyEntry(view, loop(3, 'running', 1));
    expect(view.stages[3]?.lastIterationSeconds).toBeUndefined();
    view = applyEntry(view, loop(5, 'running', 2));
    expect(view.stages[3]).toMatchObject({ iteration: 2, lastIterationSeconds: 4 });
    view = applyEntry(view, loop(12, 'complete', 2));
    expect(view.stages[3]).toMatchObject({ state: 'complete', iteration: 2, lastIterationSeconds: 7 });
    expect(view.lastEventAt).toBe(at(12));
  });

  it('marks the running stage as an error when the job is cancelled or fails, and drops the ETA', () => {
    n = 0;
    let view = createJobView(literatureReview.stages);
    view = applyEntry(
      view,
      entry({
        ...base,
        kind: 'progress',
        stage: 'judge',
        phase: 'running',
        message: '',
        percentage: 10,
        eta: { seconds: 5, low: 4, high: 6, basis: 'history' },
      }),
    );
    view = applyEntry(view, entry({ ...base, kind: 'status', status: 'cancelled', reason: 'requested through the API' }));
    expect(view.stages[1]).toMatchObject({ state: 'error', message: 'requested through the API' });
    expect(view.stages[2]?.state).toBe('waiting');
    expect(view.eta).toBeUndefined();
  });
});

describe('job view fold: slower than usual', () => {
  const progress = (phase: 'running' | 'complete', extra: object = {}): NewJobEvent => ({
    ...base,
    kind: 'progress',
    stage: 'judge',
    phase,
    message: phase,
    percentage: 10,
    ...extra,
  });
  const judge = (view: ReturnType<typeof createJobView>) => view.stages.find((s) => s.name === 'judge')!;

  it('shows the band while the stage’s events carry it and drops it when the stage completes', () => {
    n = 0;
    let view = createJobView(literatureReview.stages);
    view = applyEntry(view, entry(progress('running')));
    expect(judge(view).slow).toBeUndefined();
    view = applyEntry(view, entry(progress('running', { slow: { low: 20, high: 35 } })));
    expect(judge(view).slow).toEqual({ low: 20, high: 35 });
    view = applyEntry(view, entry(progress('complete')));
    expect(judge(view)).not.toHaveProperty('slow');
    expect(view.stages.filter((s) => 'slow' in s)).toEqual([]);
  });

  it('drops it from a stage the job’s failure interrupts', () => {
    n = 0;
    let view = createJobView(literatureReview.stages);
    view = applyEntry(view, entry(progress('running', { slow: { low: 20, high: 35 } })));
    view = applyEntry(view, entry({ ...base, kind: 'status', status: 'failed', reason: 'boom' }));
    expect(judge(view)).toMatchObject({ state: 'error', message: 'boom' });
    expect(judge(view)).not.toHaveProperty('slow');
  });
});
