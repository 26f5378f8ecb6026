// A job's history over REST: `GET /api/jobs/:id/events` (a page after a cursor, filtered) and
// `GET /api/jobs/:id/logs` (the filtered log as a .txt or .ndjson download). Both read the whole
// retained stream in order, since a log line's iteration comes from the progress before it.
import {
  compareIds,
  compileLogFilter,
  type CompiledLogFilter,
  formatLine,
  HeadwayError,
  JOB_ID_PATTERN,
  JobEventsQuery,
  type JobEventsPage,
  LineReader,
  LogDownloadQuery,
  type LogFilter,
  LogQueryError,
  type StreamEntry,
} from '@headway/progress';
import { Elysia, t } from 'elysia';
import type { Services } from '../services.ts';
import { loadJob } from './jobs.ts';

const READ_CHUNK = 5000;
const DEFAULT_LIMIT = 1000;
/** A search still running after this is stopped with a 422, so one request cannot hold the API. */
export const SEARCH_BUDGET_MS = 5000;

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
  const reader = new LineReader();
  const started = performance.now();
  for (let cursor = '0'; ; ) {
    const entries = await services.stream.range(jobId, cursor, READ_CHUNK);
    for (const entry of entries) if (filter.matches(reader.facts(entry.event))) visit(entry);
    if (entries.length < READ_CHUNK) return;
    cursor = entries.at(-1)!.id;
    if (filter.query && performance.now() - started > SEARCH_BUDGET_MS) {
      throw new HeadwayError(422, 'VALIDATION', `q: the search took longer than ${SEARCH_BUDGET_MS / 1000} s; make it narrower`, {
        details: [{ path: '/q', message: 'too slow' }],
      });
    }
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
        detail: { summary: "A job's events after a cursor, filtered by kind, level, stage, iteration and text" },
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
      { params, query: LogDownloadQuery, detail: { summary: "A job's log, filtered, as a .txt or .ndjson download" } },
    );
