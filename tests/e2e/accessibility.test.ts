// axe-core in headless Chromium: the home page and job pages (a finished job with its Results, a
// cancelled one, one still running) have no serious or critical accessibility violation, in the
// light and the dark colour scheme.
import type { JobSummary } from '@headway/progress';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeSerious } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { callApi, createJob } from '../support/call-api.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let api: ApiProcess;
let browser: Browser;
let completed: JobSummary;
let cancelled: JobSummary;
let running: JobSummary;

async function statusOf(id: string): Promise<string> {
  const { body } = await callApi(api.url, 'GET', `/api/jobs/${id}`);
  return body.status;
}

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${ms} ms`);
    await Bun.sleep(50);
  }
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startStack({ prefix: 'e2e-a11y', workers: 1, worker: { WORKER_SHUTDOWN_GRACE_MS: '500' } }),
    launchChromium(),
  ]);
  ({ api } = stack);
  completed = await createJob(api.url, { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 0 } });
  await until(`job ${completed.id} completed`, async () => (await statusOf(completed.id)) === 'completed');
  cancelled = await createJob(api.url, { pipeline: 'literature-review', input: { runMode: 'DEEP_LOOP', paceMs: 300 } });
  await until(`job ${cancelled.id} active`, async () => (await statusOf(cancelled.id)) === 'active');
  expect((await callApi(api.url, 'POST', `/api/jobs/${cancelled.id}/cancel`)).status).toBe(202);
  await until(`job ${cancelled.id} cancelled`, async () => (await statusOf(cancelled.id)) === 'cancelled');
  // Long enough (minutes at this pace) to stay active through the checks.
  running = await createJob(api.url, { pipeline: 'literature-review', input: { runMode: 'DEEP_LOOP', paceMs: 300 } });
  await until(`job ${running.id} active`, async () => (await statusOf(running.id)) === 'active');
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function expectNoSeriousViolation(page: Page): Promise<void> {
  const serious = describeSerious(await axeViolations(page));
  expect(serious, `axe-core on ${page.url()}:\n${serious.join('\n')}`).toEqual([]);
}

describe.each(['light', 'dark'] as const)('accessibility in the %s colour scheme', (colorScheme) => {
  const open = async (path: string) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
    await page.goto(api.url + path);
    return page;
  };

  it('the home page, listing a completed, a cancelled and a running job', async () => {
    const page = await open('/');
    await page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor();
    for (const job of [completed, cancelled, running]) {
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: job.id, exact: true }) });
      await row.waitFor({ timeout: 15_000 });
    }
    await expect.poll(() => page.locator('hw-status-badge[status=completed]').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('hw-status-badge[status=cancelled]').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('hw-status-badge[status=active]').count()).toBeGreaterThan(0);
    await expectNoSeriousViolation(page);
    await page.close();
  });

  it('the page of a completed job, with its Results', async () => {
    const page = await open(`/jobs/${completed.id}`);
    await expect.poll(() => page.locator('hw-job-view hw-status-badge').getAttribute('status')).toBe('completed');
    await page.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 15_000 });
    await expectNoSeriousViolation(page);
    await page.close();
  });

  it('the page of a cancelled job', async () => {
    const page = await open(`/jobs/${cancelled.id}`);
    await expect.poll(() => page.locator('hw-job-view hw-status-badge').getAttribute('status')).toBe('cancelled');
    await page.getByText(/^Job cancelled/).waitFor();
    await expectNoSeriousViolation(page);
    await page.close();
  });

  it('the page of a running job', async () => {
    const page = await open(`/jobs/${running.id}`);
    await expect.poll(() => page.locator('hw-job-view hw-status-badge').getAttribute('status')).toBe('active');
    await page.getByRole('button', { name: 'Cancel job' }).waitFor();
    await expectNoSeriousViolation(page);
    await page.close();
  });
});
