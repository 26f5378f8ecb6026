// WebSocket `/ws/jobs?status=&pipeline=&limit=&offset=`: a `jobs` snapshot (the page `GET /api/jobs`
// answers for the same query), then a `job` or `job_removed` message for every change the job-list
// feed publishes, for any job: the client drops those outside its filter.
import { CLOSE_BAD_REQUEST, JobListQuery, type JobListServerMessage } from '@headway/progress';
import { Value } from '@sinclair/typebox/value';
import { Elysia } from 'elysia';
import { listJobs } from '../job-list.ts';
import { JOBS_TOPIC } from '../job-list-feed.ts';
import type { Services } from '../services.ts';

/** Snapshots read again when more changes went out during the read than the feed keeps. */
const SNAPSHOT_TRIES = 3;

interface SocketLike {
  id: string;
  send(data: string): unknown;
  subscribe(topic: string): unknown;
  close(code?: number, reason?: string): unknown;
}

/** The query as the REST list takes it (numbers from strings), or what is wrong with it. */
function parseQuery(raw: Record<string, string | undefined>): JobListQuery | string {
  const query = Value.Convert(JobListQuery, { ...raw });
  const problem = Value.Errors(JobListQuery, query).First();
  return problem ? `${problem.path || '/'}: ${problem.message}` : (query as JobListQuery);
}

export const jobsSocket = (services: Services) => {
  /** Sockets whose snapshot is being read; a close removes them so the read ends quietly. */
  const reading = new Set<string>();

  const send = (ws: SocketLike, message: JobListServerMessage) => ws.send(JSON.stringify(message));

  async function start(ws: SocketLike, query: JobListQuery) {
    const feed = services.jobListFeed;
    for (let tries = 1; ; tries++) {
      const version = feed.version;
      const page = await listJobs(services, query);
      if (!reading.has(ws.id)) return;
      // Changes published while the page was read may be newer than it: they follow it, and the
      // subscription starts in the same tick, so nothing published later is missed.
      const missed = feed.publishedSince(version);
      if (!missed && tries < SNAPSHOT_TRIES) continue;
      reading.delete(ws.id);
      send(ws, { type: 'jobs', ...page });
      for (const data of missed ?? []) ws.send(data);
      ws.subscribe(JOBS_TOPIC);
      return;
    }
  }

  return new Elysia({ name: 'jobs-socket' }).ws('/ws/jobs', {
    // Validated here rather than by Elysia, which would refuse the upgrade with a 422 that a
    // browser's WebSocket never sees: a 4400 close tells the client not to retry.
    open(ws) {
      services.sockets.open(ws, '/ws/jobs', 'the job list', () => {
        const query = parseQuery(ws.data.query as Record<string, string | undefined>);
        if (typeof query === 'string') {
          send(ws, { type: 'error', code: 'VALIDATION', message: query });
          ws.close(CLOSE_BAD_REQUEST, 'bad request');
          return;
        }
        reading.add(ws.id);
        return start(ws, query).finally(() => reading.delete(ws.id));
      });
    },
    close(ws) {
      services.sockets.closed(ws);
      reading.delete(ws.id);
    },
  });
};
