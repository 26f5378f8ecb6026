// A user opens a dashboard whose API was started with API_TOKEN: it asks for the token, then
// everything works on the cookie signing in set (REST, the job's live socket, Bull Board).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

const TOKEN = 'e2e-token-5f1c';
const shots = join(import.meta.dirname, '../../test-results');
let stack: TestStack;
let api: ApiProcess;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  [stack, browser] = await Promise.all([startStack({ prefix: 'e2e-sign-in', api: { API_TOKEN: TOKEN }, workers: 1 }), launchChromium()]);
  ({ api } = stack);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('sign-in', () => {
  it('asks for the token, refuses a wrong one, then runs and follows a job live; Sign out asks again', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(api.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Pipelines' }).count()).toBe(0);

    const token = page.getByLabel('API token');
    await token.fill('not it');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toBe('That is not the API token');
    await page.screenshot({ path: join(shots, 'sign-in.png') });

    await token.fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Pipelines' }).waitFor();
    const card = page.locator('hw-pipeline-card').filter({ hasText: 'Literature review' });
    await card.getByText('More options').click();
    await card.getByLabel('Pace ms for Literature review').fill('5');
    await page.getByRole('button', { name: 'Run Literature review' }).click();
    await page.waitForURL(/\/jobs\/\w+/);
    // The job's socket is authorized by the cookie too: it goes live and follows the job to the end.
    await page.getByText('live', { exact: true }).waitFor({ timeout: 15_000 });
    await expect
      .poll(async () => Number(await page.getByRole('progressbar', { name: 'Overall progress' }).getAttribute('aria-valuenow')), {
        timeout: 90_000,
      })
      .toBe(100);

    const board = await page.context().request.get(`${api.url}/admin/queues`);
    expect(board.status()).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
