// A user cancels a running job from its page in headless Chromium; the worker running it is a
// separate process, reached through the API's control channel.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSummary } from '@headway/progress';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

const shots = join(import.meta.dirname, '../../test-results');
let stack: TestStack;
let api: ApiProcess;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  [stack, browser] = await Promise.all([
    startStack({ prefix: 'e2e-cancel', workers: 1, worker: { WORKER_SHUTDOWN_GRACE_MS: '500' } }),
    launchChromium(),
  ]);
  ({ api } = stack);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('cancel from the job page', () => {
  it('Cancel from the UI of a job running on a worker in another process ends it cancelled', async () => {
    const res = await fetch(`${api.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 30 } }),
    });
    const job = (await res.json()) as JobSummary;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${api.url}/jobs/${job.id}`);

    const badge = page.locator('hw-job-view hw-status-badge');
    const bar = page.getByRole('progressbar', { name: 'Overall progress' });
    await expect.poll(() => badge.getAttribute('status'), { timeout: 20_000 }).toBe('active');
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 20_000 }).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Cancel job' }).click();
    await expect.poll(() => badge.getAttribute('status'), { timeout: 5_000 }).toBe('cancelled');
    await expect.poll(() => badge.locator('[part=base]').innerText()).toBe('cancelled');
    await expect.poll(() => page.getByText('Job cancelled: requested through the API').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
    await page.screenshot({ path: join(shots, 'job-cancelled.png') });

    // The same header offers the retry, which puts the job back in the queue as attempt 2.
    await page.getByRole('button', { name: 'Retry job' }).click();
    await expect.poll(() => badge.getAttribute('status'), { timeout: 10_000 }).toMatch(/^(retrying|active)$/);
    await expect.poll(() => page.getByText(/^Attempt 2/).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
