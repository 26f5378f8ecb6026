// What `npm run bench -- ui` measures inside Chromium: the time from the log's search running to
// the filtered view painted, and the main thread's tasks while lines arrive, from a CDP trace
// (exact below Chromium's 50 ms long-task threshold) and from PerformanceObserver('longtask').
import { writeFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';

export interface FilterTiming {
  /** From the search running (the toolbar's typing delay over) to the view painted. */
  ms: number;
  /** From the input event, the toolbar's 150 ms typing delay included. */
  fromInputMs: number;
  /** The model's pass over every line (`hw-log-view.filterMs`). */
  filterMs: number;
  /** The "Lines shown" status once painted, and how many rows are in the DOM. */
  shown: string;
  rows: number;
  firstRow: string;
}

/**
 * Sets the "Search logs" box to `q` as typing does and times, in the page, from the moment the
 * search runs (the toolbar's `hw-log-filter`, after its typing delay) to the Lit updates done, a
 * frame and a macrotask after it: the filtered view painted.
 */
export function timeSearch(search: Locator, q: string): Promise<FilterTiming> {
  return search.evaluate(async (input: HTMLInputElement, query: string) => {
    type Lit = HTMLElement & { updateComplete: Promise<unknown>; renderRoot: ShadowRoot; filterMs: number };
    const toolbar = (input.getRootNode() as ShadowRoot).host as Lit;
    const view = (toolbar.getRootNode() as ShadowRoot).host as Lit;
    const macrotask = () =>
      new Promise<void>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(null);
      });
    const ran = new Promise<number>((resolve) =>
      addEventListener('hw-log-filter', () => resolve(performance.now()), { capture: true, once: true }),
    );
    const typed = performance.now();
    input.value = query;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    // Resumes after the whole dispatch, so the view's filter is set and its update pending.
    const started = await ran;
    await view.updateComplete;
    await toolbar.updateComplete;
    const virtualizer = view.renderRoot.querySelector('lit-virtualizer') as Lit | null;
    if (virtualizer) await virtualizer.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await macrotask();
    const painted = performance.now();
    const rows = view.renderRoot.querySelectorAll('hw-log-line');
    return {
      ms: painted - started,
      fromInputMs: painted - typed,
      filterMs: view.filterMs,
      shown: toolbar.renderRoot.querySelector('[aria-label="Lines shown"]')?.textContent ?? '',
      rows: rows.length,
      firstRow: rows[0]?.querySelector('.message')?.textContent ?? '',
    };
  }, q);
}

/**
 * Waits in the page, without DevTools calls while it waits, until the log's "Lines shown" status
 * reads `want`; resolves to the time waited, or undefined after `capMs`.
 */
export function waitForShownInPage(page: Page, want: string, capMs: number): Promise<number | undefined> {
  return page.evaluate(
    async ({ want, capMs }) => {
      const inside = (host: Element | null | undefined, selector: string) => host?.shadowRoot?.querySelector(selector);
      const view = inside(inside(document.querySelector('hw-app'), 'hw-job-view'), 'hw-log-view');
      const status = () => inside(inside(view, 'hw-log-toolbar'), '[aria-label="Lines shown"]')?.textContent?.trim();
      const started = performance.now();
      while (performance.now() - started < capMs) {
        if (status() === want) return performance.now() - started;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return undefined;
    },
    { want, capMs },
  );
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  /** Wall-clock start and duration, µs. */
  ts: number;
  dur?: number;
  /** The thread's CPU time during the event, µs. */
  tdur?: number;
  args?: {
    data?: { message?: string; functionName?: string; type?: string };
    chrome_mojo_event_info?: { mojo_interface_tag?: string };
  };
}

export interface TaskStats {
  /** Longest RunTask on the page's renderer main thread inside the window (wall clock), from the trace. */
  longestMs: number;
  /** The main thread's CPU time during that task: less than its duration when the thread was descheduled. */
  longestCpuMs: number;
  /** Most CPU time any one task took. */
  maxCpuMs: number;
  /** Tasks in the window, and those over 50 ms. */
  tasks: number;
  over50: number;
  /** Main-thread time in tasks over the window, as a share of it: wall clock, and CPU. */
  busyShare: number;
  cpuShare: number;
  /** What the longest task did: its parts in the trace of 1 ms or more. */
  longestParts: string;
  /** Tasks left out: the bench's own DevTools protocol calls into the page, and the longest of them. */
  protocolTasks: number;
  protocolLongestMs: number;
  /** Longest entry PerformanceObserver('longtask') reported in the window (0 when none over 50 ms). */
  observerLongestMs: number;
  observerCount: number;
}

const MARK_START = 'hw-ui-bench-start';
const MARK_END = 'hw-ui-bench-end';

/**
 * Runs `during` with the page traced (devtools.timeline) and a long-task observer installed, the
 * window marked in the page with console.timeStamp at its start and end; returns the main
 * thread's tasks inside that window.
 */
export async function traceTasks(page: Page, during: () => Promise<void>, saveTo?: string): Promise<TaskStats> {
  await page.evaluate(() => {
    const w = window as unknown as { __hwLongTasks: { start: number; duration: number }[] };
    w.__hwLongTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__hwLongTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => {
    for (const e of value as unknown as TraceEvent[]) events.push(e);
  });
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'] },
  });
  let span: [number, number];
  try {
    const start = await page.evaluate((mark) => {
      console.timeStamp(mark);
      return performance.now();
    }, MARK_START);
    await during();
    const end = await page.evaluate((mark) => {
      console.timeStamp(mark);
      return performance.now();
    }, MARK_END);
    span = [start, end];
  } finally {
    await cdp.send('Tracing.end').catch(() => undefined);
    await Promise.race([complete, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    await cdp.detach().catch(() => undefined);
  }
  // Opens in the DevTools Performance panel.
  if (saveTo) writeFileSync(saveTo, JSON.stringify({ traceEvents: events }));
  const observed = (
    await page.evaluate(() => (window as unknown as { __hwLongTasks: { start: number; duration: number }[] }).__hwLongTasks)
  ).filter((t) => t.start >= span[0] && t.start <= span[1]);
  return { ...tasksInTrace(events), observerLongestMs: Math.max(0, ...observed.map((t) => t.duration)), observerCount: observed.length };
}

function tasksInTrace(events: TraceEvent[]): Omit<TaskStats, 'observerLongestMs' | 'observerCount'> {
  const stamp = (message: string) => events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === message);
  const start = stamp(MARK_START);
  const end = stamp(MARK_END);
  if (!start || !end) throw new Error(`the trace has no ${start ? MARK_END : MARK_START} mark (${events.length} events)`);
  // The marks were stamped on the page's renderer main thread.
  const { pid, tid } = start;
  const inWindow = events.filter(
    (e) => e.ph === 'X' && e.pid === pid && e.tid === tid && e.ts + (e.dur ?? 0) >= start.ts && e.ts <= end.ts,
  );
  // The bench's own DevTools protocol calls (page.evaluate, the marks) are not the page's work.
  const devtools = inWindow.filter(
    (e) => e.name === 'Receive mojo message' && e.args?.chrome_mojo_event_info?.mojo_interface_tag === 'blink.mojom.DevToolsSession',
  );
  const isDevtools = (t: TraceEvent) =>
    devtools.some((m) => m.ts >= t.ts && m.ts + (m.dur ?? 0) <= t.ts + (t.dur ?? 0) && (m.dur ?? 0) >= 0.95 * (t.dur ?? 0));
  const all = inWindow.filter((e) => e.name === 'RunTask');
  const tasks = all.filter((t) => !isDevtools(t));
  const protocol = all.filter(isDevtools);
  if (tasks.length === 0) throw new Error('the trace has no RunTask on the page’s main thread');
  const ms = (us = 0) => us / 1000;
  const longest = tasks.reduce((a, b) => ((b.dur ?? 0) > (a.dur ?? 0) ? b : a));
  const span = ms(end.ts - start.ts);
  return {
    longestMs: ms(longest.dur),
    longestCpuMs: ms(longest.tdur),
    maxCpuMs: Math.max(...tasks.map((t) => ms(t.tdur))),
    tasks: tasks.length,
    over50: tasks.filter((t) => ms(t.dur) > 50).length,
    busyShare: tasks.reduce((sum, t) => sum + ms(t.dur), 0) / span,
    cpuShare: tasks.reduce((sum, t) => sum + ms(t.tdur), 0) / span,
    longestParts: partsOf(longest, events),
    protocolTasks: protocol.length,
    protocolLongestMs: Math.max(0, ...protocol.map((t) => ms(t.dur))),
  };
}

/**
 * What a task did: through wrappers that fill it (ThreadControllerImpl::RunTask, TimerFire), the
 * events directly inside of 1 ms or more, and how much of it none of them covers (the wrapper's
 * own script, or time the thread was not running).
 */
function partsOf(task: TraceEvent, events: TraceEvent[]): string {
  interface Node {
    e: TraceEvent;
    kids: Node[];
  }
  const endOf = (e: TraceEvent) => e.ts + (e.dur ?? 0);
  const inside = events
    .filter((e) => e !== task && e.ph === 'X' && e.pid === task.pid && e.tid === task.tid && e.ts >= task.ts && endOf(e) <= endOf(task))
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  // Nested by time: each event under the latest one still open around it.
  const root: Node = { e: task, kids: [] };
  const open = [root];
  for (const e of inside) {
    while (open.length > 1 && endOf(open.at(-1)!.e) < endOf(e)) open.pop();
    const node: Node = { e, kids: [] };
    open.at(-1)!.kids.push(node);
    open.push(node);
  }
  const label = (e: TraceEvent) => {
    const detail = e.args?.data?.functionName || e.args?.data?.type;
    return `${e.name}${detail ? ` ${detail}` : ''}`;
  };
  const path: string[] = [];
  let at = root;
  const filling = (n: Node) => n.kids.find((k) => (k.e.dur ?? 0) >= 0.95 * (n.e.dur ?? 0));
  for (let next = filling(at); next; next = filling(at)) {
    at = next;
    path.push(label(at.e));
  }
  const ms = (us = 0) => (us / 1000).toFixed(1);
  const parts = at.kids.filter((k) => (k.e.dur ?? 0) >= 1000).map((k) => `${label(k.e)} ${ms(k.e.dur)}`);
  const covered = at.kids.reduce((sum, k) => sum + (k.e.dur ?? 0), 0);
  return `${path.join(' > ') || task.name}: ${parts.join(', ') || 'no part over 1 ms'}; ${ms((at.e.dur ?? 0) - covered)} in none of them`;
}
