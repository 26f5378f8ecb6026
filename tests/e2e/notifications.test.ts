// Being told when a job ends, in headless Chromium: the tab's icon follows the job's state on its
// page (and comes back on leaving it), and "Notify me when it ends" raises a notification when it
// completes. Permission is granted to the test's browser context; an init script records every
// Notification the page makes (and still makes it).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAVICONS } from '../../apps/web/src/job-favicon.ts';
import { launchChromium } from '../support/browser.ts';
import { createJob } from '../support/call-api.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

const CONFIG = join(import.meta.dirname, '../support/test-pipelines.config.ts');
let stack: TestStack;
let api: ApiProcess;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startStack({ prefix: 'e2e-notify', env: { HEADWAY_CONFIG: CONFIG }, workers: 1 }),
    launchChromium(),
  ]);
  api = stack.api;
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

interface Recorded {
  title: string;
  body?: string;
  tag?: string;
}

declare global {
  interface Window {
    recorded: { notifications: Recorded[]; permissionRequests: number };
  }
}

async function openPage({ grant = true } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (grant) await context.grantPermissions(['notifications'], { origin: api.url });
  await context.addInitScript(() => {
    const Real = window.Notification;
    const recorded = { notifications: [] as Recorded[], permissionRequests: 0 };
    window.recorded = recorded;
    function Recording(title: string, options: NotificationOptions = {}) {
      recorded.notifications.push({ title, body: options.body, tag: options.tag });
      return new Real(title, options);
    }
    Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
    Object.assign(Recording, {
      requestPermission: () => {
        recorded.permissionRequests++;
        return Real.requestPermission();
      },
    });
    window.Notification = Recording as unknown as typeof Notification;
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('close', () => expect(errors).toEqual([]));
  return page;
}

const favicon = (page: Page) =>
  page.evaluate(() => {
    const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]')!;
    return { href: link.getAttribute('href'), state: link.dataset.state };
  });
const recorded = (page: Page) => page.evaluate(() => window.recorded);

describe('being told when a job ends', () => {
  it('shows the job’s state in the tab’s icon, notifies when it completes, and restores the icon on leaving', async () => {
    const page = await openPage();
    await page.goto(api.url);
    const own = await favicon(page);
    expect(own.href).toMatch(/^data:image\/svg\+xml,/);
    expect(own.state).toBeUndefined();

    const job = await createJob(api.url, { pipeline: 'literature-review', name: 'Nightly review', input: { runMode: 'ONCE', paceMs: 8 } });
    await page.goto(`${api.url}/jobs/${job.id}`);
    const badge = page.locator('hw-job-view hw-status-badge');
    await expect.poll(() => badge.getAttribute('status'), { timeout: 20_000 }).toBe('active');
    expect(await favicon(page)).toEqual({ href: FAVICONS.running, state: 'running' });

    const notify = page.getByRole('button', { name: 'Notify me when it ends' });
    expect(await notify.getAttribute('aria-pressed')).toBe('false');
    expect(await recorded(page)).toEqual({ notifications: [], permissionRequests: 0 });
    await notify.click();
    expect(await notify.getAttribute('aria-pressed')).toBe('true');
    expect((await recorded(page)).notifications).toEqual([]);

    await expect.poll(() => badge.getAttribute('status'), { timeout: 30_000 }).toBe('completed');
    await expect.poll(() => favicon(page)).toEqual({ href: FAVICONS.completed, state: 'completed' });
    await expect
      .poll(() => recorded(page))
      .toEqual({
        notifications: [{ title: 'Nightly review completed', body: 'Headway', tag: `headway-job-${job.id}` }],
        permissionRequests: 0,
      });
    // Ended: nothing left to be notified of.
    expect(await notify.count()).toBe(0);

    await page.getByRole('link', { name: '← All jobs' }).click();
    await expect.poll(() => favicon(page)).toEqual(own);
    await page.context().close();
  });

  it('asks for the permission on the click, not before, and does not notify while it is not given', async () => {
    const page = await openPage({ grant: false });
    const job = await createJob(api.url, { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 50 } });
    await page.goto(`${api.url}/jobs/${job.id}`);
    const notify = page.getByRole('button', { name: 'Notify me when it ends' });
    await notify.waitFor({ timeout: 20_000 });
    expect((await recorded(page)).permissionRequests).toBe(0);
    await notify.click();
    // Headless Chromium leaves the prompt open: the request is made, and nothing is armed meanwhile.
    await expect.poll(() => recorded(page)).toEqual({ notifications: [], permissionRequests: 1 });
    expect(await notify.getAttribute('aria-pressed')).toBe('false');
    await fetch(`${api.url}/api/jobs/${job.id}/cancel`, { method: 'POST' });
    await page.context().close();
  });

  it('shows a failed job’s icon, and offers no notification for a job that has ended', async () => {
    const page = await openPage();
    const job = await createJob(api.url, { pipeline: 'fails-at-once' });
    await page.goto(`${api.url}/jobs/${job.id}`);
    await expect.poll(() => page.locator('hw-job-view hw-status-badge').getAttribute('status'), { timeout: 20_000 }).toBe('failed');
    await expect.poll(() => favicon(page)).toEqual({ href: FAVICONS.failed, state: 'failed' });
    expect(await page.getByRole('button', { name: 'Notify me when it ends' }).count()).toBe(0);
    expect((await recorded(page)).notifications).toEqual([]);
    await page.context().close();
  });
});
