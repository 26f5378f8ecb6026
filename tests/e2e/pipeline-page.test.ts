// "Slower than usual" and the pipeline page in Chromium, on histories seeded through the model's
// HistoryStore: a quiet stage held past its band says so on the job page (and in the job's summary
// and /metrics) until it ends; the pipeline page draws its charts from the history at 360 px in
// the dark scheme, axe-clean, and compares two runs stage by stage.
import { join } from 'node:path';
import { createRedis, HistoryStore, type JobRecord, literatureReview, redisKeys } from '@headway/progress';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeSerious } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { callApi, createJob } from '../support/call-api.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

const PREFIX = 'e2e-pipeline';
const CONFIG = 'tests/support/test-pipelines.config.ts';
let stack: TestStack;
let api: ApiProcess;
let browser: Browser;

const stageNames = literatureReview.stages.map((s) => s.name);
/** Literature-review job i of 40: size 10…49, stage k takes (k + 1) × size ÷ 10 s, ETA errors growing smaller. */
function reviewRecord(i: number): JobRecord {
  const size = 10 + i;
  const stages = stageNames.map((name, k) => ({ name, seconds: ((k + 1) * size) / 10 }));
  const seconds = stages.reduce((sum, s) => sum + s.seconds, 0);
  return {
    pipeline: 'literature-review',
    jobId: String(1000 + i),
    finishedAt: new Date(Date.UTC(2026, 10, 24, 12, i)).toISOString(),
    size,
    seconds,
    stages,
    // The first job had no history to estimate from.
    ...(i > 0 && { etaError: { at25: (seconds * (40 - i)) / 100, at50: (-seconds * (40 - i)) / 200 } }),
  };
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ prefix: PREFIX, env: { HEADWAY_CONFIG: CONFIG }, workers: 1 }), launchChromium()]);
  ({ api } = stack);
  const connection = createRedis(stack.redis.url, 'blocking');
  const history = new HistoryStore(connection, redisKeys(PREFIX));
  // sleeps-long's `wait` usually takes 1.0–1.7 s: its band is 1.07–1.63 s ("usually 1–2 s").
  for (let i = 0; i < 8; i++) {
    const seconds = 1 + i / 10;
    await history.record({ pipeline: 'sleeps-long', seconds, stages: [{ name: 'wait', seconds }] });
  }
  for (let i = 0; i < 40; i++) await history.record(reviewRecord(i));
  connection.disconnect();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** `headway_slow_stages` as /metrics says it now. */
const slowStages = async () => /^headway_slow_stages (\d+)$/m.exec(await (await fetch(`${api.url}/metrics`)).text())?.[1];

describe('slower than usual', () => {
  it('shows on the job page while a quiet stage runs past its band, and goes when the stage ends', async () => {
    const job = await createJob(api.url, { pipeline: 'sleeps-long', input: { seconds: 8 } });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${api.url}/jobs/${job.id}`);
    const stage = page.getByRole('listitem', { name: 'Wait: active, slower than usual (usually 1–2 s)' });
    await stage.waitFor({ timeout: 6000 });
    expect(await stage.locator('[part=slow]').innerText()).toBe('slower than usual (usually 1–2 s)');
    // The job's summary (BullMQ's progress, written at most every half second) says it too.
    await expect
      .poll(async () => (await callApi(api.url, 'GET', `/api/jobs/${job.id}`)).body, { timeout: 3000 })
      .toMatchObject({ status: 'active', stage: 'wait', slow: { low: 1.07, high: 1.63 } });
    await expect.poll(slowStages, { timeout: 3000 }).toBe('1');
    const serious = describeSerious(await axeViolations(page));
    expect(serious, serious.join('\n')).toEqual([]);
    // The job list says it in the job's row.
    const list = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await list.goto(`${api.url}/`);
    const row = list.getByRole('row').filter({ has: list.getByRole('link', { name: job.id, exact: true }) });
    await expect.poll(() => row.innerText(), { timeout: 5000 }).toContain('slower than usual (usually 1–2 s)');
    await list.close();

    await page.getByRole('listitem', { name: 'Wait: complete' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('hw-stage-list [part=slow]').count()).toBe(0);
    // Raised by the worker's tick within about a second of the band's top (1.63 s), the stage being quiet.
    const { body } = await callApi(api.url, 'GET', `/api/jobs/${job.id}/events?kind=progress`);
    const progress = body.entries.map((e: { event: { phase: string; ts: string; slow?: object } }) => e.event);
    const started = Date.parse(progress.find((e: { phase: string }) => e.phase === 'starting').ts);
    const raised = progress.find((e: { slow?: object }) => e.slow);
    expect(raised).toMatchObject({ phase: 'running', message: 'Waiting', slow: { low: 1.07, high: 1.63 } });
    expect((Date.parse(raised.ts) - started) / 1000).toBeGreaterThan(1.63);
    expect((Date.parse(raised.ts) - started) / 1000).toBeLessThan(1.63 + 1.5);
    expect(progress.map((e: { phase: string; slow?: object }) => [e.phase, !!e.slow])).toEqual([
      ['starting', false],
      ['running', true],
      ['running', true],
      ['complete', false],
    ]);
    // `headway watch` prints it once for the stage, however many of its events say it.
    const watch = Bun.spawn([process.execPath, 'apps/cli/src/main.ts', 'watch', job.id], {
      cwd: join(import.meta.dirname, '../..'),
      env: { ...process.env, HEADWAY_API_URL: api.url },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const [code, printed] = await Promise.all([watch.exited, new Response(watch.stdout).text()]);
    expect(code).toBe(0);
    expect(printed.split('\n').filter((line) => line.includes('slower than usual'))).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d {4}wait slower than usual \(usually 1–2 s\)$/),
    ]);
    expect((await callApi(api.url, 'GET', `/api/jobs/${job.id}`)).body).not.toHaveProperty('slow');
    await expect.poll(slowStages, { timeout: 3000 }).toBe('0');
    // The finished job links its pipeline's page, where it is now the newest run.
    await page.getByRole('link', { name: 'Sleeps long' }).click();
    await page.waitForURL(`${api.url}/pipelines/sleeps-long`);
    await page.getByRole('heading', { name: 'Stage durations' }).waitFor();
    const newest = await callApi(api.url, 'GET', '/api/pipelines/sleeps-long/history');
    expect(newest.body.jobs).toHaveLength(9);
    expect(newest.body.jobs[0]).toMatchObject({ jobId: job.id, stages: [{ name: 'wait' }] });
    expect(newest.body.jobs[0].stages[0].seconds).toBeGreaterThanOrEqual(8);
    await page.close();
  });
});

describe('pipeline page', () => {
  it('draws its charts from the seeded history at 360 px in the dark scheme, with no serious axe violation', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 }, colorScheme: 'dark' });
    await page.goto(`${api.url}/`);
    await page.getByRole('link', { name: 'History and timings of Literature review' }).click();
    await page.waitForURL(`${api.url}/pipelines/literature-review`);
    await page.getByRole('heading', { name: 'Stage durations' }).waitFor();
    await expect.poll(() => page.locator('hw-stage-chart g.bar').count()).toBe(40);
    // A bar per job, a band per stage in it; a point per job; two error points per job that recorded them.
    expect(await page.locator('hw-stage-chart rect').count()).toBe(40 * stageNames.length);
    expect(await page.locator('hw-size-chart circle').count()).toBe(40);
    expect(await page.locator('hw-eta-error-chart .point').count()).toBe(2 * 39);
    expect(await page.locator('hw-stage-chart svg > title').textContent()).toBe('Stage durations of the last 40 jobs');
    expect(await page.locator('hw-stage-chart svg > desc').textContent()).toBe(
      '40 jobs, oldest on the left. Total time 21 s to 1 min 43 s, median 1 min 3 s. Finalization takes the most time.',
    );
    // The newest job (size 49): its bar's tooltip lists every stage.
    expect(await page.locator('hw-stage-chart g.bar').last().locator('title').textContent()).toBe(
      `Job 1039 · 1 min 43 s: ${literatureReview.stages.map((s, k) => `${s.label} ${Math.round(((k + 1) * 49) / 10)} s`).join(', ')}`,
    );
    // Drawn at its real width, so 11 px labels stay 11 px; nothing wider than the phone.
    const svgWidth = await page.locator('hw-stage-chart svg').evaluate((svg) => svg.getBoundingClientRect().width);
    expect(svgWidth).toBeLessThanOrEqual(360);
    expect(await page.locator('hw-stage-chart svg').getAttribute('width')).toBe(String(Math.floor(svgWidth)));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const serious = describeSerious(await axeViolations(page));
    expect(serious, serious.join('\n')).toEqual([]);
    await page.close();
  });

  it('compares two runs stage by stage, and says when a run is not in the history', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 }, colorScheme: 'dark' });
    await page.goto(`${api.url}/pipelines/literature-review/compare?a=1000&b=1020`);
    const table = page.getByRole('table', { name: 'Job 1000 and job 1020, stage by stage' });
    await table.waitFor();
    // Judge validation is stage 2: 2 × 10 ÷ 10 = 2 s, then 2 × 30 ÷ 10 = 6 s.
    const judge = table.locator('tr[data-stage=judge]');
    expect((await judge.locator('td').allInnerTexts()).slice(0, 3)).toEqual(['2.0 s', '6.0 s', '+4.0 s (+200 %)']);
    expect((await table.locator('tr.total td').allInnerTexts()).slice(0, 3)).toEqual(['21 s', '1 min 3 s', '+42 s (+200 %)']);
    // The table scrolls sideways in its own region; the page itself stays 360 px wide.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const serious = describeSerious(await axeViolations(page));
    expect(serious, serious.join('\n')).toEqual([]);
    await page.goto(`${api.url}/pipelines/literature-review/compare?a=1000&b=999999`);
    expect(await page.getByRole('alert').innerText()).toBe(
      "Job 999999 is not in this pipeline's history: a job is there once it has completed, among the last 200.",
    );
    await page.close();
  });
});
