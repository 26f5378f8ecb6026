// The job page's log viewer in headless Chromium against a real API, worker and Redis: search
// (text and /regex/), filters whose counts agree with GET /api/jobs/:id/events, permalinks,
// follow-tail, download, log text that tries to be HTML, a narrow screen. How fast a filter is
// over 100,000 lines is measured by `npm run bench -- ui`, not here.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRedis, EventStream, type JobEventsPage, type JobSummary, type NewJobEvent, redisKeys } from '@headway/progress';
import type { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { freePort } from '../support/redis-server.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

const PREFIX = 'e2e-log';
/** Where screenshots go; docs/log-viewer.png is copied from here after looking at it. */
const shots = join(import.meta.dirname, '../../test-results');
const IMG_LINE = '<img src=x onerror=alert(1)>';
const SCRIPT_LINE = '\x1b[31m<script>alert(1)</script>';

let stack: TestStack;
let api: ApiProcess;
let browser: Browser;
let connection: Redis;
let stream: EventStream;
/** A finished DEEP_LOOP literature review, with a few lines of the test's own added to its log. */
let job: JobSummary;

const count = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'line' : 'lines'}`;

async function runJob(input: Record<string, unknown>): Promise<JobSummary> {
  const res = await fetch(`${api.url}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pipeline: 'literature-review', input }),
  });
  const created = (await res.json()) as JobSummary;
  for (const deadline = Date.now() + 90_000; Date.now() < deadline; await Bun.sleep(250)) {
    const { status } = (await (await fetch(`${api.url}/api/jobs/${created.id}`)).json()) as JobSummary;
    if (status === 'completed') return created;
  }
  throw new Error(`job ${created.id} did not complete within 90 s`);
}

const log = (jobId: string, level: 'info' | 'warn' | 'error', message: string, stage?: string): NewJobEvent => ({
  kind: 'log',
  jobId,
  attempt: 1,
  ts: new Date().toISOString(),
  level,
  message,
  ...(stage && { stage }),
});

async function events(query: string): Promise<JobEventsPage> {
  return (await fetch(`${api.url}/api/jobs/${job.id}/events?limit=5000&${query}`)).json() as Promise<JobEventsPage>;
}

async function openJob(jobId: string, hash = '', viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on('pageerror', (e) => {
    if (!/ResizeObserver loop/.test(e.message)) problems.push(e.message);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`${api.url}/jobs/${jobId}${hash}`);
  // The log draws only the rows on screen, and the run's Results sit above it: bring it into view
  // as a reader would (a permalink scrolls there by itself).
  if (!hash) await page.locator('hw-log-view').scrollIntoViewIfNeeded();
  return { page, problems };
}

const linesShown = (page: Page) => page.getByRole('status', { name: 'Lines shown' });
const rows = (page: Page) => page.locator('hw-log-view lit-virtualizer hw-log-line');
const rowTexts = (page: Page) => rows(page).evaluateAll((els) => els.map((el) => (el.textContent ?? '').replace(/\s+/g, ' ')));

async function waitForAll(page: Page, total: number) {
  await expect.poll(() => linesShown(page).innerText(), { timeout: 60_000 }).toBe(count(total));
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  [stack, browser] = await Promise.all([
    startStack({ prefix: PREFIX, api: { PORT: String(await freePort()) }, workers: 1 }),
    launchChromium(),
  ]);
  ({ api } = stack);
  connection = createRedis(stack.redis.url, 'blocking');
  stream = new EventStream(connection, redisKeys(PREFIX), { maxLen: 200_000 });
  job = await runJob({ runMode: 'DEEP_LOOP', paceMs: 10 });
  await stream.append(job.id, [
    log(job.id, 'info', 'needle alpha', 'finalization'),
    log(job.id, 'warn', 'needle beta', 'finalization'),
    log(job.id, 'error', 'a NEEDLE gamma went missing', 'finalization'),
    log(job.id, 'info', IMG_LINE),
    log(job.id, 'error', SCRIPT_LINE),
    log(job.id, 'info', '\x1b[1;32mbuild ok\x1b[0m in \x1b[38;5;208m12 s\x1b[0m'),
  ]);
});

afterAll(async () => {
  connection?.disconnect();
  await browser?.close();
  await stack?.stop();
});

describe('log viewer', () => {
  it('shows only the lines matching a word, then a /regex/, and steps through matches with Enter', async () => {
    // A long line a backtracking engine would take for ever over with the pattern searched below.
    await stream.append(job.id, [log(job.id, 'info', `backtracking bait ${'a '.repeat(4000)}`)]);
    const { page, problems } = await openJob(job.id);
    await waitForAll(page, (await events('')).total_matched);
    const search = page.getByRole('searchbox', { name: 'Search logs' });
    await search.fill('needle');
    await expect.poll(() => linesShown(page).innerText()).toMatch(/^3 of /);
    // The count is set before the virtualizer draws its rows: wait for the rows themselves.
    await expect.poll(async () => (await rowTexts(page)).length).toBe(3);
    for (const text of await rowTexts(page)) expect(text.toLowerCase()).toContain('needle');
    await expect.poll(() => page.locator('hw-log-line mark').count()).toBe(3);

    await search.fill('/needle (alpha|beta)$/');
    await expect.poll(() => linesShown(page).innerText()).toMatch(/^2 of /);
    await expect
      .poll(async () => (await rowTexts(page)).map((t) => t.trim().replace(/^.*\] (WARN )?/, '')))
      .toEqual(['needle alpha', 'needle beta']);

    await search.press('Enter');
    await expect.poll(() => page.getByLabel('Match position').innerText()).toBe('1 / 2');
    await search.press('Enter');
    await expect.poll(() => page.locator('hw-log-line[current]').evaluate((el) => el.textContent)).toContain('needle beta');
    await search.press('Shift+Enter');
    await expect.poll(() => page.getByLabel('Match position').innerText()).toBe('1 / 2');

    const hostile = '/.*.*.*.*.*x/';
    const withX = (await events(`q=${encodeURIComponent(hostile)}`)).total_matched;
    await search.fill(hostile);
    await expect.poll(() => linesShown(page).innerText()).toMatch(new RegExp(`^${withX} of `));
    expect(await page.evaluate(() => 'still answering')).toBe('still answering');

    await search.fill('/(a)\\1/');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Search not run: back-references' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('filters by level, stage and iteration at once, each option counting what the API counts for the same filter', async () => {
    const { page, problems } = await openJob(job.id);
    await waitForAll(page, (await events('')).total_matched);
    await page.getByRole('combobox', { name: 'Level' }).selectOption('error');
    const errors = await events('level=error');
    await expect.poll(() => linesShown(page).innerText()).toMatch(new RegExp(`^${errors.total_matched} of `));
    const tones = await rows(page).evaluateAll((els) => els.map((el) => el.querySelector('.line')!.getAttribute('data-tone')));
    expect(tones.length).toBe(Math.min(errors.total_matched, tones.length));
    expect(tones.every((tone) => tone === 'error')).toBe(true);

    await page.getByRole('combobox', { name: 'Level' }).selectOption('');
    await page.getByRole('combobox', { name: 'Stage' }).selectOption('gap_analysis');
    await page.getByRole('combobox', { name: 'Iteration' }).selectOption('2');
    await page.getByRole('combobox', { name: 'Level' }).selectOption('info');
    const combined = await events('stage=gap_analysis&iteration=2&level=info');
    expect(combined.total_matched).toBeGreaterThan(0);
    await expect.poll(() => linesShown(page).innerText()).toMatch(new RegExp(`^${combined.total_matched} of `));
    // Each option's count is what choosing it would show, the other filters kept.
    const options = async (name: string) =>
      page
        .getByRole('combobox', { name })
        .locator('option')
        .evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    for (const [value, label] of await options('Level')) {
      const expected = await events(`stage=gap_analysis&iteration=2${value ? `&level=${value}` : ''}`);
      expect(label).toMatch(new RegExp(`\\(${expected.total_matched}\\)$`));
    }
    for (const [value, label] of await options('Iteration')) {
      const expected = await events(`stage=gap_analysis&level=info${value ? `&iteration=${value}` : ''}`);
      expect(label).toMatch(new RegExp(`\\(${expected.total_matched}\\)$`));
    }
    for (const [value, label] of await options('Stage')) {
      const expected = await events(`iteration=2&level=info${value ? `&stage=${value}` : ''}`);
      expect(label).toMatch(new RegExp(`\\(${expected.total_matched}\\)$`));
    }

    // Download is exactly the filtered view, as the API's /logs gives it for the same filter.
    const [txt] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .txt' }).click()]);
    expect(txt.suggestedFilename()).toBe(`job-${job.id}-log.txt`);
    const fromApi = await (await fetch(`${api.url}/api/jobs/${job.id}/logs?format=txt&stage=gap_analysis&iteration=2&level=info`)).text();
    expect(readFileSync((await txt.path())!, 'utf8')).toBe(fromApi);
    const [nd] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .ndjson' }).click()]);
    const entries = readFileSync((await nd.path())!, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entries).toEqual(combined.entries);

    // The picture in the README: one stage's second iteration, searched.
    await page.getByRole('combobox', { name: 'Level' }).selectOption('');
    await page.getByRole('searchbox', { name: 'Search logs' }).fill('/iteration|widened/i');
    const shown = await events(`stage=gap_analysis&iteration=2&q=${encodeURIComponent('/iteration|widened/i')}`);
    await expect.poll(() => linesShown(page).innerText()).toMatch(new RegExp(`^${shown.total_matched} of `));
    await expect.poll(() => page.locator('hw-log-line mark').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Relative times' }).click();
    await page.mouse.move(0, 0);
    await page.locator('hw-log-view').screenshot({ path: join(shots, 'log-viewer.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens a permalink in a fresh page scrolled to its line and marked, and keeps it there as the log grows', async () => {
    const all = await events('');
    const target = all.entries[Math.floor(all.entries.length / 3)]!;
    const { page, problems } = await openJob(job.id, `#event-${target.id}`);
    const row = page.locator(`hw-log-line[data-id="${target.id}"]`);
    await expect.poll(() => row.getAttribute('target'), { timeout: 30_000 }).toBe('');
    const inView = () =>
      row.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const scroller = el.closest('lit-virtualizer')!.getBoundingClientRect();
        return box.top >= scroller.top && box.bottom <= scroller.bottom && box.top >= 0 && box.bottom <= innerHeight;
      });
    await expect.poll(inView).toBe(true);
    await stream.append(
      job.id,
      Array.from({ length: 200 }, (_, i) => log(job.id, 'info', `grown ${i}`)),
    );
    await expect.poll(() => linesShown(page).innerText()).toBe(count(all.total_matched + 200));
    expect(await inView()).toBe(true);

    // The line number is the permalink.
    const href = await row.evaluate((el) => el.querySelector('a')!.getAttribute('href'));
    expect(href).toBe(`/jobs/${job.id}#event-${target.id}`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('follows new lines, stops when the user scrolls up, and resumes on Jump to end', async () => {
    const { page, problems } = await openJob(job.id);
    await waitForAll(page, (await events('')).total_matched);
    const lastShown = async () => (await rowTexts(page)).at(-1) ?? '';
    const visible = (text: string) =>
      rows(page).evaluateAll((els, t) => {
        const scroller = els[0]?.closest('lit-virtualizer')?.getBoundingClientRect();
        return els.some((el) => {
          const box = el.getBoundingClientRect();
          return !!scroller && (el.textContent ?? '').includes(t) && box.bottom <= scroller.bottom + 1 && box.top >= scroller.top;
        });
      }, text);
    await stream.append(job.id, [log(job.id, 'info', 'tail one')]);
    await expect.poll(() => visible('tail one')).toBe(true);

    await page.locator('hw-log-view lit-virtualizer').hover();
    await page.mouse.wheel(0, -2000);
    await page.getByRole('button', { name: 'Jump to end' }).waitFor();
    await stream.append(job.id, [log(job.id, 'info', 'tail two')]);
    await expect.poll(lastShown).not.toContain('tail two');
    await page.waitForTimeout(500);
    expect(await visible('tail two')).toBe(false);

    await page.getByRole('button', { name: 'Jump to end' }).click();
    await expect.poll(() => visible('tail two')).toBe(true);
    await page.getByRole('button', { name: 'Following' }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows log text that looks like HTML literally, coloured where asked, creating no element and no dialog', async () => {
    const { page, problems } = await openJob(job.id);
    await page.getByRole('searchbox', { name: 'Search logs' }).fill('alert(1)');
    await expect.poll(() => linesShown(page).innerText()).toMatch(/^2 of /);
    // The count is set before the virtualizer draws its rows: wait for the rows themselves.
    const bothShown = async () => {
      const texts = await rowTexts(page);
      return texts.some((t) => t.includes(IMG_LINE)) && texts.some((t) => t.includes('<script>alert(1)</script>'));
    };
    await expect.poll(bothShown).toBe(true);
    const found = await page.evaluate(() => {
      const all: Element[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('*')) {
          all.push(el);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document);
      // The red segment, split where the search match is marked.
      const red = all.filter((el) => el.classList.contains('fg-1'));
      const plain = all.find((el) => el.classList.contains('message') && el.textContent === '<img src=x onerror=alert(1)>');
      return {
        img: all.filter((el) => el.tagName === 'IMG').length,
        script: all.filter((el) => el.tagName === 'SCRIPT' && !(el as HTMLScriptElement).src).length,
        redText: red.map((el) => el.textContent).join(''),
        redColour: red[0] && getComputedStyle(red[0]).color,
        plainColour: plain && getComputedStyle(plain).color,
      };
    });
    expect(found.img).toBe(0);
    expect(found.script).toBe(0);
    expect(found.redText).toBe('<script>alert(1)</script>');
    expect(found.plainColour).toBeDefined();
    expect(found.redColour).not.toBe(found.plainColour);
    await page.waitForTimeout(300);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fits a 360 px screen with every control reachable', async () => {
    const { page, problems } = await openJob(job.id, '', { width: 360, height: 780 });
    await waitForAll(page, (await events('')).total_matched);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    for (const name of ['Search logs', 'Level', 'Stage', 'Download .txt', 'Relative times']) {
      const control = page.getByLabel(name, { exact: true }).or(page.getByRole('button', { name, exact: true }));
      const box = await control.first().boundingBox();
      expect(box, name).not.toBeNull();
      expect(box!.x + box!.width, name).toBeLessThanOrEqual(360);
    }
    // A permalink lands on its line here too, though the log starts far below the fold.
    const target = (await events('')).entries[5]!;
    await page.goto(`${api.url}/jobs/${job.id}#event-${target.id}`);
    const row = page.locator(`hw-log-line[data-id="${target.id}"][target]`);
    await expect
      .poll(() =>
        row.evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().bottom <= innerHeight).catch(() => false),
      )
      .toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
