import { describe, expect, it } from 'vitest';
import type { JobCounts } from './job-list-messages.ts';
import { applyJobListMessage, type JobListView, matchesText } from './job-list-view.ts';
import type { JobSummary } from './job-summary.ts';

const job = (id: number, patch: Partial<JobSummary> = {}): JobSummary => ({
  id: String(id),
  name: `literature-review #${id}`,
  pipeline: 'literature-review',
  status: 'waiting',
  attempt: 1,
  attempts: 1,
  percentage: 0,
  createdAt: new Date(Date.UTC(2026, 10, 24, 0, 0, id)).toISOString(),
  ...patch,
});
const counts = (patch: Partial<JobCounts> = {}): JobCounts => ({ waiting: 0, active: 0, completed: 0, failed: 0, ...patch });
const ids = (view: JobListView | undefined) => view?.jobs.map((j) => j.id);

describe('job list view', () => {
  it('puts a new job on top and replaces a known one in place', () => {
    let view = applyJobListMessage(undefined, { type: 'jobs', jobs: [job(2), job(1)], total: 2 });
    view = applyJobListMessage(view, { type: 'job', job: job(3), counts: counts({ waiting: 3 }) });
    expect(ids(view)).toEqual(['3', '2', '1']);
    expect(view?.total).toBe(3);
    view = applyJobListMessage(view, {
      type: 'job',
      job: job(2, { status: 'active', percentage: 40 }),
      counts: counts({ waiting: 2, active: 1 }),
    });
    expect(ids(view)).toEqual(['3', '2', '1']);
    expect(view?.jobs[1]).toMatchObject({ status: 'active', percentage: 40 });
  });

  it('keeps at most `limit` jobs, dropping the oldest', () => {
    let view = applyJobListMessage(undefined, { type: 'jobs', jobs: [job(2), job(1)], total: 2 }, { limit: 2 });
    view = applyJobListMessage(view, { type: 'job', job: job(3), counts: counts({ waiting: 3 }) }, { limit: 2 });
    expect(ids(view)).toEqual(['3', '2']);
    expect(view?.total).toBe(3);
  });

  it('drops a job that leaves its filter, and ignores one that never matched', () => {
    const query = { status: 'active' as const };
    let view = applyJobListMessage(undefined, { type: 'jobs', jobs: [job(1, { status: 'active' })], total: 1 }, query);
    view = applyJobListMessage(view, { type: 'job', job: job(2), counts: counts({ waiting: 1, active: 1 }) }, query);
    expect(ids(view)).toEqual(['1']);
    view = applyJobListMessage(
      view,
      { type: 'job', job: job(1, { status: 'completed' }), counts: counts({ waiting: 1, completed: 1 }) },
      query,
    );
    expect(ids(view)).toEqual([]);
    expect(view?.total).toBe(0);
  });

  it('removes a job the queue no longer has', () => {
    let view = applyJobListMessage(undefined, { type: 'jobs', jobs: [job(2), job(1)], total: 2 });
    view = applyJobListMessage(view, { type: 'job_removed', id: '1', counts: counts({ waiting: 1 }) });
    expect(ids(view)).toEqual(['2']);
    expect(view?.total).toBe(1);
  });

  it('on a later page updates the jobs it shows but inserts none', () => {
    const query = { offset: 50 };
    let view = applyJobListMessage(undefined, { type: 'jobs', jobs: [job(1)], total: 51 }, query);
    view = applyJobListMessage(view, { type: 'job', job: job(60), counts: counts({ waiting: 52 }) }, query);
    expect(ids(view)).toEqual(['1']);
    view = applyJobListMessage(view, { type: 'job', job: job(1, { status: 'active' }), counts: counts({ waiting: 51, active: 1 }) }, query);
    expect(view?.jobs[0]?.status).toBe('active');
  });

  it('searches id, name and pipeline in any case, and counts a text-filtered list by what it shows', () => {
    const query = { q: 'NEEDLE' };
    let view = applyJobListMessage(undefined, { type: 'jobs', jobs: [job(1, { name: 'a needle' })], total: 1 }, query);
    view = applyJobListMessage(view, { type: 'job', job: job(2), counts: counts({ waiting: 2 }) }, query);
    expect(ids(view)).toEqual(['1']);
    expect(view?.total).toBe(1);
    view = applyJobListMessage(view, { type: 'job', job: job(3, { name: 'Needle two' }), counts: counts({ waiting: 3 }) }, query);
    expect(ids(view)).toEqual(['3', '1']);
    expect(view?.total).toBe(2);
    expect(matchesText('review #3', job(3))).toBe(true);
    expect(matchesText('7', job(17))).toBe(true);
    expect(matchesText('other', job(3))).toBe(false);
  });
});
