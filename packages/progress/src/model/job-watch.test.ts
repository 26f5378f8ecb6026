import { describe, expect, it } from 'vitest';
import { literatureReview } from '../pipelines/literature-review.ts';
import type { LogEvent } from './events.ts';
import type { JobSummary } from './job-summary.ts';
import { foldServerMessage, type JobWatch } from './job-watch.ts';
import type { ServerMessage } from './messages.ts';

const job: JobSummary = {
  id: '7',
  name: 'job 7',
  pipeline: 'literature-review',
  status: 'active',
  attempt: 1,
  attempts: 1,
  percentage: 0,
  createdAt: '2026-12-01T00:00:00.000Z',
};
const pipeline = { ...literatureReview, inputSchema: {}, sampleInput: {} };
const log = (seq: number): { id: string; event: LogEvent } => ({
  id: `1-${seq}`,
  event: { kind: 'log', jobId: '7', attempt: 1, ts: '2026-12-01T00:00:01.000Z', seq, level: 'info', message: `line ${seq}` },
});

const fold = (messages: ServerMessage[], from: JobWatch = {}) => {
  let watch = from;
  const steps = messages.map((m) => {
    const step = foldServerMessage(watch, m);
    watch = step.watch;
    return step;
  });
  return { watch, steps };
};

describe('the fold of a job’s socket', () => {
  it('starts the view on the first initial_status only, and keeps folding across a reconnect', () => {
    const { watch, steps } = fold([
      { type: 'initial_status', job, pipeline, cursor: '0-0' },
      { type: 'logs', lines: [log(1), log(2)] },
      { type: 'initial_status', job, pipeline, cursor: '1-2' },
      { type: 'logs', lines: [log(2), log(3)] },
    ]);
    expect(steps.map((s) => s.started ?? false)).toEqual([true, false, false, false]);
    expect(steps[3]!.applied.map((a) => a.entry.id)).toEqual(['1-3']);
    expect(watch.view?.lastSeq).toBe(3);
  });

  it('tells each applied event’s view before and after, keeps the last error until the job is served again, and ends on job_complete', () => {
    const { watch, steps } = fold([
      { type: 'error', code: 'UNAVAILABLE', message: 'Redis is not reachable' },
      { type: 'initial_status', job, pipeline, cursor: '0-0' },
      { type: 'progress', id: '1-1', event: { kind: 'status', jobId: '7', attempt: 1, ts: job.createdAt, seq: 1, status: 'active' } },
      { type: 'reset', job: { ...job, percentage: 40, stage: 'deep_review' }, reason: 'older events were trimmed' },
      { type: 'job_complete', status: 'completed' },
    ]);
    expect(steps[0]!.watch.error).toEqual({ code: 'UNAVAILABLE', message: 'Redis is not reachable' });
    expect(steps[1]!.watch.error).toBeUndefined();
    expect(steps[2]!.applied[0]!.before.lastSeq).toBe(0);
    expect(steps[2]!.applied[0]!.after.lastSeq).toBe(1);
    expect(steps[3]!.resetFrom?.percentage).toBe(0);
    expect(steps[3]!.watch).toMatchObject({ resetReason: 'older events were trimmed', view: { percentage: 40, stage: 'deep_review' } });
    expect(watch.view?.status).toBe('completed');
  });
});
