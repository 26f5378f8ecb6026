// A user opens the dashboard, clicks Run and watches the job to the end in headless Chromium.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { literatureReview } from '@headway/progress';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { freePort } from '../support/redis-server.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

const shots = join(import.meta.dirname, '../../test-results');
let stack: TestStack;
let api: ApiProcess;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  [stack, browser] = await Promise.all([
    startStack({ prefix: 'e2e', api: { PORT: String(await freePort()) }, workers: 1 }),
    launchChromium(),
  ]);
  ({ api } = stack);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('dashboard', () => {
  it('runs a literature review from the Run button and shows it live to 100 % with all six stages complete', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The page is served with a Content-Security-Policy: nothing it does may be refused by it.
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) errors.push(m.text());
    });
    const served = await page.goto(api.url);
    expect(served?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await page.getByRole('button', { name: 'Run Literature review' }).click();
    await page.waitForURL(/\/jobs\/\w+/);

    const bar = page.getByRole('progressbar', { name: 'Overall progress' });
    await bar.waitFor();
    const stages = page.getByRole('list', { name: 'Stages', exact: true });
    const samples: number[] = [];
    let shotTaken = false;
    let secondTab: Awaited<ReturnType<Browser['newPage']>> | undefined;
    const eta = page.getByText(/^about .+ left \(.+\)$/);
    let etaSeen = false;
    const etaTitles = new Set<string>();
    let iterationSeen = false;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const now = Number(await bar.getAttribute('aria-valuenow'));
      samples.push(now);
      etaSeen ||= (await eta.count()) > 0;
      const etaPart = page.locator('hw-job-view [part=eta]');
      // The ETA goes when the job ends, possibly between the count and the read.
      if ((await etaPart.count()) > 0) {
        const title = await etaPart
          .first()
          .getAttribute('title', { timeout: 500 })
          .catch(() => null);
        if (title !== null) etaTitles.add(title);
      }
      iterationSeen ||= (await page.getByRole('listitem', { name: /Gap analysis: active, iteration \d/ }).count()) > 0;
      if (!secondTab && now >= 30) {
        secondTab = await browser.newPage({ viewport: { width: 390, height: 844 } });
        await secondTab.goto(page.url());
      }
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
    expect(etaSeen).toBe(true);
    // The first job on a fresh Redis has no history: its ETA says it rests on its own pace.
    expect([...etaTitles]).toContain("Estimated from this job's own pace so far");
    expect(iterationSeen).toBe(true);
    await expect.poll(() => eta.count()).toBe(0);
    await expect.poll(() => page.getByRole('listitem', { name: /Gap analysis: complete, [2-9] iterations/ }).count()).toBe(1);

    const items = stages.getByRole('listitem');
    await expect.poll(() => items.count()).toBe(6);
    for (const stage of literatureReview.stages) {
      await expect
        .poll(() => items.filter({ hasText: stage.label }).first().getAttribute('aria-label'))
        .toMatch(new RegExp(`${stage.label}: complete`));
    }
    await expect
      .poll(() =>
        page
          .getByText(/completed/i)
          .first()
          .isVisible(),
      )
      .toBe(true);
    const timeline = page.getByRole('img', { name: /^Stage timeline:/ });
    await timeline.waitFor();
    const timelineName = (await timeline.getAttribute('aria-label')) ?? '';
    for (const stage of literatureReview.stages) expect(timelineName).toContain(stage.label);
    await page.screenshot({ path: join(shots, 'dashboard-finished.png'), fullPage: true });

    // The second tab, opened halfway, shows the same job the same way.
    const logCount = await page.getByText(/^\d+ lines$/).innerText();
    expect(secondTab).toBeDefined();
    const other = secondTab!;
    await expect
      .poll(async () => Number(await other.getByRole('progressbar', { name: 'Overall progress' }).getAttribute('aria-valuenow')))
      .toBe(100);
    await expect.poll(() => other.getByText(/^\d+ lines$/).innerText()).toBe(logCount);
    // The log is virtualized (each tab draws only the lines on screen): compare the newest line.
    const newest = async (p: typeof page) => {
      await p.locator('hw-log-view').scrollIntoViewIfNeeded();
      return p
        .locator('hw-log-view hw-log-line')
        .last()
        .evaluate((el) => el.textContent);
    };
    expect(await newest(other)).toBe(await newest(page));
    await other.screenshot({ path: join(shots, 'dashboard-narrow.png'), fullPage: true });
    await other.close();

    // A reload replays the finished job.
    await page.reload();
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBe(100);
    // The log draws only the lines on screen, and the Results panel now sits above it.
    await page.locator('hw-log-view').scrollIntoViewIfNeeded();
    await expect.poll(() => page.getByRole('log', { name: 'Job log' }).innerText()).toMatch(/\[finalization\]\s+Report written/);

    // What the run made: its report rendered in the Results region with its charts drawn, and the
    // bytes a download gets are the ones its artifact event vouched for.
    const jobId = new URL(page.url()).pathname.split('/')[2]!;
    await page.goto(`${api.url}/jobs/${jobId}/artifacts/report.md`);
    const preview = page.getByRole('region', { name: 'Preview of report.md' });
    await expect.poll(() => preview.getByRole('heading').first().isVisible(), { timeout: 15_000 }).toBe(true);
    const charts = preview.locator('img');
    await expect.poll(() => charts.count()).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < (await charts.count()); i++) {
      // Markdown images load lazily: bring each into view as a reader scrolling would. A chart
      // still loading reads 0 (not `false`, which toBeGreaterThan refuses at once).
      await charts.nth(i).scrollIntoViewIfNeeded();
      await expect
        .poll(() => charts.nth(i).evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: 10_000 })
        .toBeGreaterThan(0);
    }
    const listed = (await (await fetch(`${api.url}/api/jobs/${jobId}/artifacts`)).json()) as {
      artifacts: { name: string; sha256: string }[];
    };
    expect(listed.artifacts.map((a) => a.name)).toEqual(expect.arrayContaining(['report.md', 'summary.md']));
    for (const artifact of listed.artifacts) {
      const bytes = await (await fetch(`${api.url}/api/jobs/${jobId}/artifacts/${artifact.name}?download=1`)).arrayBuffer();
      expect(createHash('sha256').update(new Uint8Array(bytes)).digest('hex'), artifact.name).toBe(artifact.sha256);
    }
    // The README's picture: the Results region from its top, the summary and the radar chart open.
    await page.goto(`${api.url}/jobs/${jobId}/artifacts/completeness-radar.svg`);
    const radar = page.getByRole('region', { name: 'Preview of completeness-radar.svg' }).locator('img');
    await expect
      .poll(() => radar.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await page.getByRole('heading', { name: 'Results' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.evaluate(() => window.scrollBy(0, -60));
    await page.screenshot({ path: join(shots, 'results-literature-review-run.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs the Python orchestrator (a command pipeline) from its card with its own options, and shows its stages, iterations and stderr', async () => {
    // Reduced motion: the screenshot shows the bar where it is, not part-way through its transition.
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(api.url);
    const card = page.locator('hw-pipeline-card').filter({ hasText: 'Python orchestrator' });
    await expect.poll(() => card.getByRole('listitem').allInnerTexts()).toEqual(literatureReview.stages.map((s) => s.label));
    await card.getByText('More options').click();
    await card.getByLabel('Pace ms for Python orchestrator').fill('15');
    await page.getByRole('button', { name: 'Run Python orchestrator' }).click();
    await page.waitForURL(/\/jobs\/\w+/);

    const bar = page.getByRole('progressbar', { name: 'Overall progress' });
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000 }).toBe(100);
    await expect.poll(() => page.getByRole('listitem', { name: 'Gap analysis: complete, 3 iterations' }).count()).toBe(1);
    for (const stage of literatureReview.stages) {
      await expect.poll(() => page.getByRole('listitem', { name: new RegExp(`^${stage.label}: complete`) }).count()).toBe(1);
    }
    const log = page.getByRole('log', { name: 'Job log' });
    await expect.poll(() => log.innerText()).toMatch(/P7 has no abstract/);
    await page.screenshot({ path: join(shots, 'python-orchestrator.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reconnects by itself after the API restarts mid-job and shows every event exactly once', async () => {
    const res = await fetch(`${api.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pipeline: 'literature-review', input: { runMode: 'DEEP_LOOP', paceMs: 25 } }),
    });
    const job = await res.json();
    const page = await browser.newPage();
    await page.goto(`${api.url}/jobs/${job.id}`);
    const bar = page.getByRole('progressbar', { name: 'Overall progress' });
    const connection = page.getByRole('status', { name: 'Connection' });
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000 }).toBeGreaterThan(10);
    await expect.poll(() => connection.innerText()).toMatch(/live/);

    await api.stop();
    await expect.poll(() => connection.innerText(), { timeout: 15_000 }).toMatch(/reconnecting|offline/);
    api = await stack.startApi();
    await expect.poll(() => connection.innerText(), { timeout: 30_000 }).toMatch(/live/);
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 90_000 }).toBe(100);

    // Every event of the job is in the page's log once: the count matches a full replay.
    const replay = new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress?after=0`));
    await replay.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'));
    replay.close();
    const seqs = replay.events.map((e) => e.event.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    await expect.poll(() => page.getByText(/^\d+ lines$/).innerText()).toBe(`${seqs.length} lines`);
    await page.close();
  });

  it('shows a job started elsewhere in the recent-jobs list and follows it to completed, with no polling and no reload', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const listRequests: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.replace(/\/$/, '') === '/api/jobs') listRequests.push(r.url());
    });
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(api.url);
    await page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor();
    await expect.poll(() => page.getByText('Loading jobs…').count()).toBe(0);

    const res = await fetch(`${api.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 20 } }),
    });
    const job = await res.json();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: job.id, exact: true }) });
    await row.waitFor({ timeout: 15_000 });
    const bar = row.getByRole('progressbar', { name: `Progress of job ${job.id}` });
    const badge = row.locator('hw-status-badge');
    const seen: string[] = [];
    const deadline = Date.now() + 90_000;
    for (;;) {
      const status = await badge.getAttribute('status');
      seen.push(`${status} ${await bar.getAttribute('aria-valuenow')}`);
      if (status === 'completed') break;
      if (Date.now() > deadline) throw new Error(`still ${status} after 90 s`);
      await page.waitForTimeout(100);
    }
    expect(seen.at(-1)).toBe('completed 100');
    expect(seen.some((s) => /^active ([1-9]\d?)$/.test(s))).toBe(true);

    // Filters and search ask the server again over the socket: still no REST polling.
    const other = await (
      await fetch(`${api.url}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pipeline: 'literature-review', name: 'needle in the list', input: { runMode: 'ONCE', paceMs: 1 } }),
      })
    ).json();
    await page.getByRole('searchbox', { name: 'Search jobs' }).fill('needle');
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-job-id')))).toEqual([other.id]);
    await page.getByRole('searchbox', { name: 'Search jobs' }).fill('');
    await page.getByRole('combobox', { name: 'Status' }).selectOption('completed');
    await expect
      .poll(async () => {
        const statuses = await rows.locator('hw-status-badge').evaluateAll((badges) => badges.map((b) => b.getAttribute('status')));
        return statuses.length > 0 && statuses.every((s) => s === 'completed');
      })
      .toBe(true);
    expect(listRequests).toEqual([]);
    expect(loads).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
