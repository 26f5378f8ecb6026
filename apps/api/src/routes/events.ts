// A job's history over REST: `GET /api/jobs/:id/events` (a page after a cursor, filtered) and
// `GET /api/jobs/:id/logs` (the filtered log as a .txt or .ndjson download). Both read the whole
// retained stream in order, since a log line's iteration comes from the progress before it.
import {
  type CompiledLogFilter,
  compareIds,
  compileLogFilter,
  formatLine,
  HeadwayError,
  JOB_ID_PATTERN,
  JobEventsPage,
  JobEventsQuery,
  LineReader,
  LogDownloadQuery,
  type LogFilter,
  LogQueryError,
  type StreamEntry,
} from '@headway/progress';
import { Elysia, t } from 'elysia';
import { errorResponses } from '../error-handler.ts';
import type { Services } from '../services.ts';
import { loadJob } from './jobs.ts';

/** Entries a read asks Redis for: a reply small enough to be taken in a few turns of the event loop. */
const READ_CHUNK = 1000;
const DEFAULT_LIMIT = 1000;
/** A search still running after this is stopped with a 422, so one request cannot hold the API. */
export const SEARCH_BUDGET_MS = 5000;
/**
 * A scan gives the event loop a turn at least this often (plus one line's search, itself bounded
 * by MAX_SEARCHED_CHARS × MAX_PATTERN_SIZE), so REST, sockets and the relay go on meanwhile.
 */
const SCAN_SLICE_MS = 10;
/**
 * Scans that run at once; others wait their turn (a search's wait counts in its budget). Each
 * turn of the event loop then gives scans at most this many slices, however many are asked for.
 */
const SCAN_LANES = 2;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
let scansRunning = 0;
const scansWaiting: Array<() => void> = [];

/** Waits for a free lane; returns its release, which hands the lane to the next in line. */
async function takeLane(): Promise<() => void> {
  if (scansRunning < SCAN_LANES) scansRunning++;
  else await new Promise<void>((resolve) => scansWaiting.push(resolve));
  return () => {
    const next = scansWaiting.shift();
    if (next) next();
    else scansRunning--;
  };
}

const BUDGET_NOTE = `A search (q) still running after ${SEARCH_BUDGET_MS / 1000} s, waiting for its turn included, answers 422.`;
const tooSlow = () =>
  new HeadwayError(422, 'VALIDATION', `q: the search took longer than ${SEARCH_BUDGET_MS / 1000} s; make it narrower`, {
    details: [{ path: '/q', message: 'too slow' }],
  });

const params = t.Object({ id: t.String({ pattern: JOB_ID_PATTERN }) });

function compile(filter: LogFilter): CompiledLogFilter {
  try {
    return compileLogFilter(filter);
  } catch (error) {
    if (!(error instanceof LogQueryError)) throw error;
    throw new HeadwayError(422, 'VALIDATION', `q: ${error.message}`, { details: [{ path: '/q', message: error.message }] });
  }
}

/** Calls `visit` with every retained entry that passes, oldest first. */
async function scan(services: Services, jobId: string, filter: CompiledLogFilter, visit: (entry: StreamEntry) => void) {
  const started = performance.now();
  const overBudget = () => filter.query !== undefined && performance.now() - started > SEARCH_BUDGET_MS;
  const release = await takeLane();
  try {
    const reader = new LineReader();
    for (let cursor = '0'; ; ) {
      if (overBudget()) throw tooSlow();
      const entries = await services.stream.range(jobId, cursor, READ_CHUNK);
      // Checked after every line, not every chunk: a chunk of long lines can take seconds.
      let slice = performance.now();
      for (const entry of entries) {
        if (filter.matches(reader.facts(entry.event))) visit(entry);
        if (overBudget()) throw tooSlow();
        if (performance.now() - slice > SCAN_SLICE_MS) {
          await nextTurn();
          slice = performance.now();
        }
      }
      if (entries.length < READ_CHUNK) return;
      cursor = entries.at(-1)!.id;
    }
  } finally {
    release();
  }
}

export const eventRoutes = (services: Services) =>
  new Elysia({ name: 'events', prefix: '/api/jobs' })
    .get(
      '/:id/events',
      async ({ params, query }): Promise<JobEventsPage> => {
        const { after = '0', limit = DEFAULT_LIMIT, ...filter } = query;
        const compiled = compile(filter);
        await loadJob(services, params.id);
        const entries: StreamEntry[] = [];
        let matched = 0;
        await scan(services, params.id, compiled, (entry) => {
          if (after !== '0' && compareIds(entry.id, after) <= 0) return;
          matched++;
          if (entries.length < limit) entries.push(entry);
        });
        const next = matched > entries.length ? entries.at(-1)?.id : undefined;
        return { entries, ...(next && { next }), total_matched: matched };
      },
      {
        params,
        query: JobEventsQuery,
        response: { 200: JobEventsPage, ...errorResponses(401, 404, 422, 503) },
        detail: { summary: "A job's events after a cursor, filtered by kind, level, stage, iteration and text", description: BUDGET_NOTE },
      },
    )
    .get(
      '/:id/logs',
      async ({ params, query }) => {
        const { format = 'txt', ...filter } = query;
        const compiled = compile(filter);
        await loadJob(services, params.id);
        const lines: string[] = [];
        await scan(services, params.id, compiled, (entry) => lines.push(formatLine(format, entry)));
        const body = lines.length > 0 ? `${lines.join('\n')}\n` : '';
        return new Response(body, {
          headers: {
            'content-type': format === 'txt' ? 'text/plain; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
            'content-disposition': `attachment; filename="job-${params.id}-log.${format}"`,
            'x-content-type-options': 'nosniff',
          },
        });
      },
      {
        params,
        query: LogDownloadQuery,
        response: {
          200: t.String({ description: 'One line an event (.txt), or one JSON object a line (.ndjson)' }),
          ...errorResponses(401, 404, 422, 503),
        },
        detail: { summary: "A job's log, filtered, as a .txt or .ndjson download", description: BUDGET_NOTE },
      },
    );
