// Roles and share links in Chromium: a viewer's dashboard has no Run, Cancel or Share button (an
// operator's has them), and a share link opens its job read-only in a fresh browser, is refused
// for another job, and says so plainly once it has expired.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSummary } from '@headway/progress';
import { createRedis, redisKeys } from '@headway/progress';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShareLinks } from '../../apps/api/src/share-links.ts';
import { launchChromium } from '../support/browser.ts';
import { callApi, createJob } from '../support/call-api.ts';
import type { RedisHandle } from '../support/redis-server.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { bearerOf, TEST_TOKENS, writeTokensFile } from '../support/tokens-file.ts';
import { until } from '../support/until.ts';

const PREFIX = 'e2e-roles';
const shots = join(import.meta.dirname, '../../test-results');
let stack: TestStack;
let redis: RedisHandle;
let api: ApiProcess;
let browser: Browser;
/** Runs for a minute: Cancel would show for it. */
let running: JobSummary;
let finished: JobSummary;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  [stack, browser] = await Promise.all([startStack({ prefix: PREFIX, api: false, workers: 1 }), launchChromium()]);
  redis = stack.redis;
  api = await stack.startApi({ HEADWAY_TOKENS_FILE: writeTokensFile(stack.dir) });
  finished = await createJob(api.url, { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 0 } }, bearerOf('olga'));
  await until(
    async () => (await callApi(api.url, 'GET', `/api/jobs/${finished.id}`, { headers: bearerOf('olga') })).body.status,
    (status) => status === 'completed',
    30_000,
  );
  running = await createJob(api.url, { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 5000 } }, bearerOf('olga'));
});

afterAll(async () => {
  await callApi(api.url, 'POST', `/api/jobs/${running.id}/cancel`, { headers: bearerOf('olga') }).catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

async function signedIn(name: keyof typeof TEST_TOKENS, url = api.url): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(url);
  await page.getByLabel('API token').fill(TEST_TOKENS[name].token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Pipelines' }).waitFor();
  return page;
}

describe('the dashboard by role', () => {
  it('shows a viewer no Run, Cancel or Share button and no Bull Board link, where an operator has them', async () => {
    const viewer = await signedIn('vera');
    const operator = await signedIn('olga');
    await viewer.getByText('vera · viewer').waitFor();
    await operator.getByRole('button', { name: 'Run Literature review' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Run Literature review' }).count()).toBe(0);
    expect(await viewer.getByRole('link', { name: 'Queues' }).count()).toBe(0);
    // The list itself is the viewer's to read.
    await viewer.locator(`tr[data-job-id="${running.id}"]`).waitFor();

    for (const page of [viewer, operator]) await page.goto(`${api.url}/jobs/${running.id}`);
    await operator.getByRole('button', { name: 'Cancel job' }).waitFor();
    await operator.getByRole('button', { name: 'Share job' }).waitFor();
    await viewer.getByText('live', { exact: true }).waitFor({ timeout: 15_000 });
    // Who ran it, in the page's header (the log has its `active` status too).
    await viewer.locator('hw-job-view header p.meta').filter({ hasText: ' · run by olga' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Share job' }).count()).toBe(0);
    await viewer.context().close();
    await operator.context().close();
  });
});

describe('a token taken out of HEADWAY_TOKENS_FILE', () => {
  it('signs its open dashboard out within seconds, on the job list and on a job page', async () => {
    const file = writeTokensFile(stack.dir);
    const own = await stack.startApi({ HEADWAY_TOKENS_FILE: file });
    const list = await signedIn('vera', own.url);
    const jobPage = await signedIn('vera', own.url);
    await jobPage.goto(`${own.url}/jobs/${finished.id}`);
    await jobPage.getByRole('heading', { name: finished.name }).waitFor();
    // Both sockets open: the list shows the job it was sent, the job page says it is live.
    await list.getByText(finished.name).first().waitFor();
    await jobPage.getByText('live', { exact: true }).first().waitFor();

    const kept = (JSON.parse(readFileSync(file, 'utf8')) as { name: string }[]).filter((entry) => entry.name !== 'vera');
    writeFileSync(file, JSON.stringify(kept));
    for (const page of [list, jobPage]) {
      await page.getByLabel('API token').waitFor({ timeout: 10_000 });
      expect(await page.getByRole('heading', { name: 'Pipelines' }).count()).toBe(0);
      await page.context().close();
    }
    await own.stop();
  });
});

describe('a share link', () => {
  it('opens its job read-only in a fresh browser, and is refused for another job', async () => {
    // Made on the page, as an operator would.
    const operator = await signedIn('olga');
    await operator.goto(`${api.url}/jobs/${finished.id}`);
    await operator.getByRole('button', { name: 'Share job' }).click();
    const url = await operator.getByLabel('Share link').inputValue();
    expect(url).toMatch(new RegExp(`^${api.url}/jobs/${finished.id}#share=hws1\\.`));
    await operator.screenshot({ path: join(shots, 'share-link.png') });
    await operator.context().close();

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.getByText('Shared with you, read-only').waitFor();
    await expect
      .poll(async () => Number(await page.getByRole('progressbar', { name: 'Overall progress' }).getAttribute('aria-valuenow')), {
        timeout: 15_000,
      })
      .toBe(100);
    // The token has left the address bar; the cookie reads the job.
    expect(page.url()).toBe(`${api.url}/jobs/${finished.id}`);
    for (const name of ['Retry job', 'Cancel job', 'Share job', 'Sign in'])
      expect(await page.getByRole('button', { name }).count(), name).toBe(0);
    expect(await page.getByRole('link', { name: 'Jobs' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Queues' }).count()).toBe(0);
    expect((await context.request.get(`${api.url}/api/jobs/${finished.id}/logs`)).status()).toBe(200);
    expect((await context.request.get(`${api.url}/api/jobs`)).status()).toBe(403);

    await page.goto(`${api.url}/jobs/${running.id}`);
    await page
      .getByRole('alert')
      .filter({ hasText: `This share link reads only job ${finished.id}, not job ${running.id}` })
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
    expect((await context.request.get(`${api.url}/api/jobs/${running.id}`)).status()).toBe(403);
    await page.screenshot({ path: join(shots, 'share-link-other-job.png') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a clear page once it has expired', async () => {
    const connection = createRedis(redis.url, 'blocking');
    const token = await new ShareLinks(connection, redisKeys(PREFIX)).sign({ jobId: finished.id, expiresAt: Date.now() - 1000 });
    connection.disconnect();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${api.url}/jobs/${finished.id}#share=${token}`);
    await page.getByRole('heading', { name: 'This share link cannot be used' }).waitFor();
    await page.getByText(/^This share link expired at .*; ask whoever shared it for a new one$/).waitFor();
    expect((await context.request.get(`${api.url}/api/jobs/${finished.id}`)).status()).toBe(401);
    await context.close();
  });
});
