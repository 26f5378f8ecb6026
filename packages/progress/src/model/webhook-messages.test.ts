import { describe, expect, it } from 'vitest';
import type { JobSummary } from './job-summary.ts';
import { webhookText } from './webhook-messages.ts';

const job: JobSummary = {
  id: '12',
  name: 'Review <!channel> & more',
  pipeline: 'literature-review',
  status: 'failed',
  attempt: 1,
  attempts: 1,
  percentage: 40,
  createdAt: '2026-12-01T10:00:00.000Z',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:03:05.000Z',
  failedReason: 'Judge <@U123> failed\nsee log',
};

describe('webhookText', () => {
  it('says what happened, how long it took and why, with the link, the job’s own words escaped for Slack', () => {
    expect(webhookText('job.failed', job, 'https://hw.example/jobs/12')).toBe(
      ':x: Review &lt;!channel&gt; &amp; more (literature-review) failed in 3 min 5 s: Judge &lt;@U123&gt; failed see log <https://hw.example/jobs/12|Open>',
    );
    expect(webhookText('job.completed', { ...job, status: 'completed', failedReason: undefined }, 'https://hw.example/jobs/12')).toBe(
      ':white_check_mark: Review &lt;!channel&gt; &amp; more (literature-review) completed in 3 min 5 s <https://hw.example/jobs/12|Open>',
    );
    const { startedAt: _s, finishedAt: _f, failedReason: _r, ...waiting } = job;
    expect(webhookText('job.stalled', { ...waiting, status: 'waiting' }, 'u')).toBe(
      ':warning: Review &lt;!channel&gt; &amp; more (literature-review) stalled (its worker stopped) <u|Open>',
    );
  });
});
