// What the job page says about a job that has gone quiet, and about a looping stage, from events
// written straight into a job's stream (no worker runs it), so the times are the test's to choose.
import { createRedis, EventStream, type JobSummary, type NewJobEvent, redisKeys } from '@headway/progress';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import type { RedisHandle } from '../support/redis-server.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let redis: RedisHandle;
let api: ApiProcess;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ prefix: 'view' }), launchChromium()]);
  ({ redis, api } = stack);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('job page', () => {
  it('says a running job has made no progress for a while, and times a looping stage’s iterations', async () => {
    const res = await fetch(`${api.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pipeline: 'literature-review' }),
    });
    const job = (await res.json()) as JobSummary;
    const connection = createRedis(redis.url, 'blocking');
    const start = Date.now() - 95_000;
    const at = (s: number) => new Date(start + s * 1000).toISOString();
    const base = { jobId: job.id, attempt: 1 };
    const gap = (s: number, phase: 'starting' | 'running', iteration?: number): NewJobEvent => ({
      ...base,
      ts: at(s),
      kind: 'progress',
      stage: 'gap_analysis',
      phase,
      message: `step at ${s}`,
      percentage: 60,
      ...(iteration && { iteration }),
    });
    await new EventStream(connection, redisKeys('view'), { maxLen: 1000 }).append(job.id, [
      { ...base, ts: at(0), kind: 'status', status: 'active' },
      gap(1, 'starting'),
      gap(2, 'running', 1),
      gap(9, 'running', 2),
      gap(10, 'running', 2),
    ]);
    connection.disconnect();

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${api.url}/jobs/${job.id}`);
    const stage = page.getByRole('listitem', { name: 'Gap analysis: active, iteration 2 of ~3' });
    await stage.waitFor();
    await expect.poll(() => stage.innerText()).toContain('last iteration 7');
    // The newest event is 85 s old.
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /^No progress for 1 min/ })
          .count(),
      )
      .toBe(1);
    await page.close();
  });
});
