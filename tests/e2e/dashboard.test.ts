// A user opens the dashboard, clicks Run and watches the job to the end in headless Chromium.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { literatureReview } from '@headway/progress';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { type ProcessHandle, startApi, startWorker } from '../support/processes.ts';
import { type RedisHandle, startRedis } from '../support/redis-server.ts';

const shots = join(import.meta.dirname, '../../test-results');
let redis: RedisHandle;
let api: ProcessHandle & { url: string };
let worker: ProcessHandle;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  redis = await startRedis();
  const env = { REDIS_URL: redis.url, QUEUE_PREFIX: 'e2e', DATA_DIR: `/tmp/hw-e2e-${redis.port}` };
  [api, worker, browser] = await Promise.all([startApi(env), startWorker(env), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([api?.stop(), worker?.stop()]);
  await redis?.stop();
});

describe('dashboard', () => {
  it('runs a literature review from the Run button and shows it live to 100 % with all six stages complete', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(api.url);
    await page.getByRole('button', { name: 'Run Literature review' }).click();
    await page.waitForURL(/\/jobs\/\w+/);

    const bar = page.getByRole('progressbar', { name: 'Overall progress' });
    await bar.waitFor();
    const stages = page.getByRole('list').filter({ has: page.getByRole('listitem') }).first();
    const samples: number[] = [];
    let shotTaken = false;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const now = Number(await bar.getAttribute('aria-valuenow'));
      samples.push(now);
      if (!shotTaken && now >= 55) {
        await page.screenshot({ path: join(shots, 'dashboard-running.png'), fullPage: true });
        shotTaken = true;
      }
      if (now >= 100) break;
      if (Date.now() > deadline) throw new Error(`stuck at ${now} %`);
      await page.waitForTimeout(150);
    }
    for (let i = 1; i < samples.length; i++) expect(samples[i]).toBeGreaterThanOrEqual(samples[i - 1]!);
    expect(new Set(samples).size).toBeGreaterThan(5);

    const items = stages.getByRole('listitem');
    await expect.poll(() => items.count()).toBe(6);
    for (const stage of literatureReview.stages) {
      await expect
        .poll(() => items.filter({ hasText: stage.label }).first().getAttribute('aria-label'))
        .toMatch(new RegExp(`${stage.label}: complete`));
    }
    await expect.poll(() => page.getByText(/completed/i).first().isVisible()).toBe(true);
    await page.screenshot({ path: join(shots, 'dashboard-finished.png'), fullPage: true });

    // A reload replays the finished job.
    await page.reload();
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBe(100);
    await expect.poll(() => page.getByRole('log', { name: 'Job log' }).innerText()).toMatch(/\[finalization\]\s+Report written/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
