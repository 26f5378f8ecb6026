// `npm run bench -- ui`: the log viewer in headless Chromium, on the real job page served by the
// real API from the built web app, against a real redis-server. Two figures: the time from a
// /regex/ search running over 100,000 lines to the filtered view painted (median of 5 searches,
// each from the whole log shown), and the longest main-thread task while 1,000 lines/s arrive for
// 10 s (wall clock, from a CDP trace of the renderer's RunTask events, leaving out the bench's own
// DevTools calls; each task's CPU time and the PerformanceObserver('longtask') figure are printed
// beside it). Each stands beside the same page at `?virtualize=0`, which draws
// every line with Lit's `repeat` instead of the virtualizer. Lines are written the way the worker
// writes them (EventStream.append) into waiting jobs created by POST /api/jobs; no worker runs.
// `npm run bench -- ui --traces DIR` keeps the two streaming traces for the DevTools Performance panel.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createRedis, EventStream, type JobSummary, type NewJobEvent, redisKeys } from '@headway/progress';
import { compileLogFilter, LineReader } from '@headway/progress/client';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../tests/support/browser.ts';
import { startApi } from '../tests/support/processes.ts';
import { startRedis } from '../tests/support/redis-server.ts';
import { Cleanup } from './cleanup.ts';
import { type FilterTiming, type TaskStats, timeSearch, traceTasks, waitForShownInPage } from './ui/page.ts';

const PREFIX = 'uibench';
const BIG = 100_000;
/** Each matches about 10 % of the big log (checked against the shared filter before use). */
const SEARCHES = ['/row \\d*7 of/', '/part 1\\d$/', '/row \\d*3 of the big/', '/cyan part \\d*5$/', '/^row \\d+9 /'];
const STREAM_BATCH = 50;
const STREAM_EVERY_MS = 50;
const STREAM_MS = 10_000;
/** The longest the bench waits for one thing (a page to receive every line, a search to paint). */
const CAP_MS = 60_000;
const TARGET_MS = 100;
const LEVELS = ['info', 'info', 'info', 'warn', 'error'] as const;

const root = join(import.meta.dirname, '..');
const web = join(root, 'apps/web');

interface Variant {
  name: 'headway' | 'baseline';
  label: string;
  query: string;
}
const VARIANTS: Variant[] = [
  { name: 'headway', label: 'virtualized (the job page as shipped)', query: '' },
  { name: 'baseline', label: '?virtualize=0: every line in the DOM', query: '?virtualize=0' },
];

interface FilterResult {
  loadMs: number;
  loaded: boolean;
  runs: (FilterTiming & { q: string; expected: number; clearMs: number })[];
  /** Set when a wait reached CAP_MS: what was being waited for and after how long. */
  gaveUp?: { what: string; afterMs: number };
}

interface UiResult {
  headway: { filter_100k_ms: number; longest_task_ms: number };
  baseline: { filter_100k_ms: number; longest_task_ms: number };
}

export async function benchUi(args: string[] = []) {
  // `--traces DIR` keeps each streaming phase's trace there (for the DevTools Performance panel).
  const tracesAt = args.indexOf('--traces');
  const traces = tracesAt === -1 ? undefined : args[tracesAt + 1];
  if (traces) mkdirSync(traces, { recursive: true });
  const cleanup = new Cleanup();
  const startedAt = performance.now();
  try {
    buildWebIfStale();
    const redis = await startRedis();
    cleanup.push(() => redis.stop());
    const client = createRedis(redis.url, 'blocking');
    cleanup.push(() => client.disconnect());
    const stream = new EventStream(client, redisKeys(PREFIX), { maxLen: 2 * BIG });
    // Both settled before going on, so neither is left running when the other fails to start.
    const [apiStart, browserStart] = await Promise.allSettled([
      startApi({ REDIS_URL: redis.url, QUEUE_PREFIX: PREFIX, HOST: '127.0.0.1' }).then((a) => {
        cleanup.push(() => a.stop());
        return a;
      }),
      launchChromium().then((b) => {
        cleanup.push(() => b.close());
        return b;
      }),
    ]);
    if (apiStart.status === 'rejected') throw apiStart.reason;
    if (browserStart.status === 'rejected') throw browserStart.reason;
    const [api, browser] = [apiStart.value, browserStart.value];
    console.log(`ui: API pid ${api.proc.pid} at ${api.url}, redis at ${redis.url}, Chromium ${browser.version()}`);

    const createJob = async (): Promise<string> => {
      const res = await fetch(`${api.url}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 1 } }),
      });
      if (!res.ok) throw new Error(`POST /api/jobs: ${res.status} ${await res.text()}`);
      return ((await res.json()) as JobSummary).id;
    };

    // One big log, read by both pages; the searches' expected counts from the shared filter.
    const big = await createJob();
    const bigLines = Array.from({ length: BIG }, (_, i) => bigLine(big, i));
    const t0 = performance.now();
    for (let i = 0; i < BIG; i += 2000) await stream.append(big, bigLines.slice(i, i + 2000));
    const expected = SEARCHES.map((q) => expectedCount(bigLines, q));
    console.log(
      `  ${BIG.toLocaleString('en-US')} lines appended to job ${big} in ${Math.round(performance.now() - t0)} ms; ` +
        `searches keep ${expected.map((n) => `${((100 * n) / BIG).toFixed(1)} %`).join(', ')}`,
    );

    const filters = {} as Record<Variant['name'], FilterResult>;
    const tasks = {} as Record<Variant['name'], TaskStats & { lines: string }>;
    for (const variant of VARIANTS) {
      console.log(`  ${variant.name} (${variant.label})`);
      filters[variant.name] = await measureFilter(browser, `${api.url}/jobs/${big}${variant.query}`, expected);
      const f = filters[variant.name];
      console.log(
        `    all lines shown ${f.loaded ? `after ${sec(f.loadMs)}` : `NOT within ${sec(f.loadMs)}`}; ` +
          `searches: ${f.runs.map((r) => `${r.ms.toFixed(1)} ms (filter ${r.filterMs.toFixed(1)})`).join(', ') || 'none'}` +
          (f.gaveUp ? `; gave up waiting for ${f.gaveUp.what} after ${sec(f.gaveUp.afterMs)}` : ''),
      );
      const job = await createJob();
      tasks[variant.name] = await measureStream(
        browser,
        `${api.url}/jobs/${job}${variant.query}`,
        job,
        stream,
        traces && join(traces, `ui-${variant.name}.json`),
      );
      const t = tasks[variant.name];
      console.log(
        `    streaming: longest task ${t.longestMs.toFixed(1)} ms (CPU ${t.longestCpuMs.toFixed(1)} ms); shown at the end: ${t.lines}`,
      );
    }

    const result: UiResult = {
      headway: { filter_100k_ms: round1(filterFigure(filters.headway)), longest_task_ms: round1(tasks.headway.longestMs) },
      baseline: { filter_100k_ms: round1(filterFigure(filters.baseline)), longest_task_ms: round1(tasks.baseline.longestMs) },
    };
    printTable(result, filters, tasks);
    console.log(`\nui: measured in ${Math.round((performance.now() - startedAt) / 1000)} s`);
    return result;
  } finally {
    await cleanup.run();
  }
}

function bigLine(jobId: string, i: number): NewJobEvent {
  return {
    kind: 'log',
    jobId,
    attempt: 1,
    ts: new Date(Date.UTC(2025, 0, 1) + i * 10).toISOString(),
    level: LEVELS[i % LEVELS.length]!,
    message: `row ${i} of the big log, \x1b[36mcyan\x1b[0m part ${i % 97}`,
    stage: 'judge',
  };
}

function expectedCount(lines: NewJobEvent[], q: string): number {
  const filter = compileLogFilter({ q });
  const reader = new LineReader();
  let n = 0;
  for (const line of lines) if (filter.matches(reader.facts({ ...line, seq: 0 } as never))) n++;
  return n;
}

/** The median search, or when none painted within the cap, how long the bench waited. */
function filterFigure(f: FilterResult): number {
  if (f.runs.length === 0) return f.gaveUp?.afterMs ?? Number.NaN;
  const ms = f.runs.map((r) => r.ms).sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)]!;
}

async function openPage(browser: Browser, url: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => {
    if (!/ResizeObserver loop/.test(e.message)) problems.push(e.message);
  });
  await page.goto(url);
  return { page, problems };
}

const linesText = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'line' : 'lines'}`;

/** Waits until the "Lines shown" status reads `want`, up to `capMs`; returns the time waited, or undefined. */
async function waitForShown(page: Page, want: string, capMs: number): Promise<number | undefined> {
  const status = page.getByRole('status', { name: 'Lines shown' });
  const started = performance.now();
  for (;;) {
    const left = capMs - (performance.now() - started);
    if (left <= 0) return undefined;
    const text = await status.innerText({ timeout: left }).catch(() => '');
    if (text === want) return performance.now() - started;
    await Bun.sleep(200);
  }
}

/** Resolves to `run()`'s value, or to undefined once `ms` have passed. */
async function within<T>(ms: number, run: () => Promise<T>): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([run(), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function measureFilter(browser: Browser, url: string, expected: number[]): Promise<FilterResult> {
  const openedAt = performance.now();
  const { page, problems } = await openPage(browser, url);
  const result: FilterResult = { loadMs: 0, loaded: false, runs: [] };
  try {
    const waited = await waitForShown(page, linesText(BIG), CAP_MS);
    result.loadMs = performance.now() - openedAt;
    if (waited === undefined) {
      result.gaveUp = { what: `all ${BIG.toLocaleString('en-US')} lines to be shown`, afterMs: CAP_MS };
      return result;
    }
    result.loaded = true;
    await Bun.sleep(500);
    const search = page.getByRole('searchbox', { name: 'Search logs' });
    for (const [i, q] of SEARCHES.entries()) {
      // Each search from the whole log shown, as when one is typed into a fresh page.
      let clearMs = 0;
      if (i > 0) {
        const asked = performance.now();
        const cleared = await within(CAP_MS, () => timeSearch(search, ''));
        clearMs = performance.now() - asked;
        if (!cleared) {
          result.gaveUp = { what: 'the whole log to be shown again between searches', afterMs: clearMs };
          return result;
        }
        await Bun.sleep(300);
      }
      const asked = performance.now();
      const timing = await within(CAP_MS, () => timeSearch(search, q));
      if (!timing) {
        result.gaveUp = { what: `the search ${q} to paint`, afterMs: performance.now() - asked };
        return result;
      }
      const want = `${expected[i]!.toLocaleString('en-US')} of ${linesText(BIG)}`;
      if (timing.shown !== want || timing.rows === 0) {
        throw new Error(`search ${q} on ${url} showed "${timing.shown}" in ${timing.rows} rows; expected "${want}"`);
      }
      result.runs.push({ ...timing, q, expected: expected[i]!, clearMs });
      await Bun.sleep(300);
    }
    if (problems.length > 0) throw new Error(`errors in the page ${url}: ${problems.join('; ')}`);
    return result;
  } finally {
    // A page still busy rendering may not answer; the browser's own close ends it at the latest.
    await within(10_000, () => page.close());
  }
}

async function measureStream(
  browser: Browser,
  url: string,
  job: string,
  stream: EventStream,
  saveTo?: string,
): Promise<TaskStats & { lines: string }> {
  const { page, problems } = await openPage(browser, url);
  try {
    const total = 1 + (STREAM_MS / STREAM_EVERY_MS) * STREAM_BATCH;
    await stream.append(job, [streamLine(job, 0)]);
    if ((await waitForShown(page, linesText(1), CAP_MS)) === undefined) throw new Error(`${url} did not show its first line`);
    await Bun.sleep(500);
    let lines = '';
    const stats = await traceTasks(
      page,
      async () => {
        const started = performance.now();
        let n = 1;
        for (let tick = 0; tick < STREAM_MS / STREAM_EVERY_MS; tick++) {
          const due = started + tick * STREAM_EVERY_MS;
          const wait = due - performance.now();
          if (wait > 0) await Bun.sleep(wait);
          await stream.append(
            job,
            Array.from({ length: STREAM_BATCH }, () => streamLine(job, n++)),
          );
        }
        // Until the page has every line, capped.
        const waited = await waitForShownInPage(page, linesText(total), CAP_MS);
        lines =
          waited === undefined ? `NOT all ${total.toLocaleString('en-US')} within ${sec(CAP_MS)} of the last write` : linesText(total);
      },
      saveTo,
    );
    if (problems.length > 0) throw new Error(`errors in the page ${url}: ${problems.join('; ')}`);
    return { ...stats, lines };
  } finally {
    await within(10_000, () => page.close());
  }
}

function streamLine(jobId: string, i: number): NewJobEvent {
  return {
    kind: 'log',
    jobId,
    attempt: 1,
    ts: new Date().toISOString(),
    level: LEVELS[i % LEVELS.length]!,
    message: `streamed ${i}: \x1b[32mok\x1b[0m step ${i % 13} of the running job`,
    stage: 'judge',
  };
}

/** Builds apps/web when dist is missing or older than its sources (the shared package's included). */
function buildWebIfStale(): void {
  const built = join(web, 'dist/index.html');
  const sources = [
    join(web, 'src'),
    join(web, 'index.html'),
    join(web, 'vite.config.ts'),
    join(web, 'package.json'),
    join(root, 'packages/progress/src'),
  ];
  const newest = Math.max(...sources.map(newestMtime));
  if (existsSync(built) && statSync(built).mtimeMs >= newest) return;
  console.log('ui: building apps/web (dist missing or older than its sources)');
  const run = Bun.spawnSync([process.execPath, 'run', 'build'], { cwd: web, stdio: ['inherit', 'inherit', 'inherit'] });
  if (run.exitCode !== 0) throw new Error('the web app did not build');
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ratio = (a: number, b: number) => (b === 0 || !Number.isFinite(b) ? '—' : `${(a / b).toFixed(3)}×`);
const holds = (ok: boolean) => (ok ? 'holds' : 'DOES NOT HOLD');
const row = (cells: (string | number)[], widths: number[]) =>
  console.log(`  ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('')}`);

function printTable(
  r: UiResult,
  filters: Record<Variant['name'], FilterResult>,
  tasks: Record<Variant['name'], TaskStats & { lines: string }>,
) {
  const w = [52, 11, 14, 20, 22];
  const base = filters.baseline;
  const baseFilter = base.runs.length > 0 ? r.baseline.filter_100k_ms.toFixed(1) : `≥ ${r.baseline.filter_100k_ms.toFixed(0)} (gave up)`;
  console.log(`\nui: log viewer in headless Chromium (ms, lower is better; baseline = the same page with ?virtualize=0)`);
  row(['', 'headway', 'baseline', 'headway ÷ baseline', `target ≤ ${TARGET_MS} ms`], w);
  row(
    [
      `filter ${BIG.toLocaleString('en-US')} lines by /regex/ (median of ${SEARCHES.length})`,
      r.headway.filter_100k_ms.toFixed(1),
      baseFilter,
      ratio(r.headway.filter_100k_ms, r.baseline.filter_100k_ms),
      holds(r.headway.filter_100k_ms <= TARGET_MS),
    ],
    w,
  );
  row(
    [
      `longest main-thread task, ${(1000 * STREAM_BATCH) / STREAM_EVERY_MS} lines/s × ${STREAM_MS / 1000} s`,
      r.headway.longest_task_ms.toFixed(1),
      r.baseline.longest_task_ms.toFixed(1),
      ratio(r.headway.longest_task_ms, r.baseline.longest_task_ms),
      holds(r.headway.longest_task_ms <= TARGET_MS),
    ],
    w,
  );
  const cpu = [tasks.headway.maxCpuMs, tasks.baseline.maxCpuMs] as const;
  row(['  the same, the most CPU time one task took', cpu[0].toFixed(1), cpu[1].toFixed(1), ratio(cpu[0], cpu[1]), ''], w);
  if (base.gaveUp)
    console.log(
      `  the baseline's filter figure is a lower bound: the bench gave up waiting for ${base.gaveUp.what} after ${sec(base.gaveUp.afterMs)}`,
    );

  console.log(
    `\n  filter: from the search running (after the toolbar's 150 ms typing delay) to the view painted; each from the whole log shown`,
  );
  for (const v of VARIANTS) {
    const f = filters[v.name];
    console.log(`  ${v.name}: every line shown ${f.loaded ? `${sec(f.loadMs)}` : `NOT within ${sec(f.loadMs)}`} after opening the page`);
    for (const run of f.runs) {
      console.log(
        `    ${run.q.padEnd(24)} ${run.expected.toLocaleString('en-US').padStart(6)} lines  ${run.ms.toFixed(1).padStart(8)} ms ` +
          `(model ${run.filterMs.toFixed(1)} ms, from the input event ${run.fromInputMs.toFixed(1)} ms, ${run.rows} rows in the DOM` +
          `${run.clearMs ? `; showing all again took ${run.clearMs.toFixed(0)} ms` : ''})`,
      );
    }
  }
  console.log(
    `\n  streaming: RunTask events on the page's main thread in a CDP trace (devtools.timeline), from the first write to every line shown.`,
  );
  console.log(
    `  Durations are wall clock; CPU is the thread's own time in them, less when it was descheduled (${availableParallelism()} cores shared with the API, redis and this process).`,
  );
  for (const v of VARIANTS) {
    const t = tasks[v.name];
    console.log(
      `  ${v.name}: longest ${t.longestMs.toFixed(1)} ms (CPU ${t.longestCpuMs.toFixed(1)} ms) of ${t.tasks} tasks, ${t.over50} over 50 ms; ` +
        `most CPU in one task ${t.maxCpuMs.toFixed(1)} ms; in tasks ${(100 * t.busyShare).toFixed(0)} % of the time (CPU ${(100 * t.cpuShare).toFixed(0)} %); ` +
        `PerformanceObserver('longtask'): ${t.observerCount} entries${t.observerCount ? `, longest ${t.observerLongestMs.toFixed(0)} ms` : ' (none over 50 ms)'}; ${t.lines}`,
    );
    console.log(
      `    the longest task (ms): ${t.longestParts}; left out: ${t.protocolTasks} tasks of the bench's own DevTools calls, ` +
        `the longest ${t.protocolLongestMs.toFixed(1)} ms`,
    );
  }
}
