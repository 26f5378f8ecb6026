// GET /metrics, Prometheus text: the queue's jobs per state (asked of BullMQ at scrape time, so
// every API process reports the same), and what this process relays; process metrics beside.
import { Elysia, t } from 'elysia';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { errorResponses } from '../error-handler.ts';
import { readJobSummaries } from '../job-summary.ts';
import type { Services } from '../services.ts';

export const metricsRoutes = (services: Pick<Services, 'queue' | 'relay' | 'redis' | 'jobListFeed'>) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'headway_api_' });
  new Gauge({
    name: 'headway_jobs',
    help: 'Jobs in the queue by BullMQ state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      for (const [state, count] of Object.entries(await services.queue.getJobCounts())) this.set({ state }, count);
    },
  });
  new Gauge({
    name: 'headway_slow_stages',
    help: 'Running jobs whose current stage runs past the top of its usual 80 % band ("slower than usual")',
    registers: [registry],
    async collect() {
      const ids = await services.queue.getRanges(['active'], 0, -1);
      const active = await readJobSummaries(
        services.redis,
        services.queue,
        ids.map((id) => ({ id, state: 'active' })),
      );
      this.set(active.filter((job) => job.slow).length);
    },
  });
  new Gauge({
    name: 'headway_watched_jobs',
    help: 'Jobs this API process relays to at least one progress socket',
    registers: [registry],
    collect() {
      this.set(services.relay.stats.watchedJobs);
    },
  });
  new Gauge({
    name: 'headway_progress_viewers',
    help: 'Progress sockets open on this API process',
    registers: [registry],
    collect() {
      this.set(services.relay.stats.viewers);
    },
  });
  let counted = 0;
  new Counter({
    name: 'headway_events_relayed_total',
    help: 'Events this API process published to its progress sockets (each once per job, whatever the viewers)',
    registers: [registry],
    collect() {
      const { eventsRelayed } = services.relay.stats;
      this.inc(eventsRelayed - counted);
      counted = eventsRelayed;
    },
  });
  let loaded = 0;
  new Counter({
    name: 'headway_job_list_loads_total',
    help: 'Jobs this API process loaded for the job-list feed (only the one process that writes the feed loads any)',
    registers: [registry],
    collect() {
      const { loads } = services.jobListFeed;
      this.inc(loads - loaded);
      loaded = loads;
    },
  });

  return new Elysia({ name: 'metrics' }).get(
    '/metrics',
    async ({ set }) => {
      set.headers['content-type'] = registry.contentType;
      return registry.metrics();
    },
    { response: { 200: t.String({ description: 'Prometheus text format 0.0.4' }), ...errorResponses(401, 503) } },
  );
};
