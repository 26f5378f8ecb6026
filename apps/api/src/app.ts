// Composes the API: error handling and body reading first (hooks only cover routes registered after them).
import { openapi } from '@elysiajs/openapi';
import { Elysia } from 'elysia';
import { apiDocs } from './api-docs.ts';
import { bullBoard } from './bull-board.ts';
import { errorHandler } from './error-handler.ts';
import { jsonBody } from './json-body.ts';
import { artifactRoutes } from './routes/artifacts.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { jobActionRoutes } from './routes/job-actions.ts';
import { jobRoutes } from './routes/jobs.ts';
import { jobsSocket } from './routes/jobs-socket.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { pipelineRoutes } from './routes/pipelines.ts';
import { progressSocket } from './routes/progress-socket.ts';
import { sessionRoutes } from './routes/session.ts';
import { shareRoutes } from './routes/share.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import type { Services } from './services.ts';
import { webApp } from './web-app.ts';

/** Bun's per-server WebSocket limits; Elysia ignores them per route. */
const websocket = {
  idleTimeout: 120,
  maxPayloadLength: 64 * 1024,
  backpressureLimit: 4 * 1024 * 1024,
  closeOnBackpressureLimit: true,
};

/**
 * The API, with its background work: the relay, the job-list feed, the artifact sweep, webhook
 * deliveries, the tokens file's reload and the rechecks of open sockets' credentials start when it listens and stop with `app.stop()`. Elysia
 * does not wait for onStop, so whoever stops the app then awaits `services.close()`, which waits for those same stops (and reports their failure).
 * Without `listen()` (tests calling `app.handle`) nothing runs in the background.
 */
export async function createApp(services: Services, options: { webDist: string; maxBodyBytes?: number }) {
  // normalize off: a body that does not match its schema is refused (422 naming the field), never
  // reshaped to fit (a string `input` became an object with a key per character; unknown fields
  // were dropped silently).
  return new Elysia({ websocket, normalize: false })
    .onStart((app) => {
      const publish = (topic: string, data: string) => void app.server?.publish(topic, data);
      services.relay.start(publish);
      services.jobListFeed.start(publish);
      services.artifactSweep.start();
      services.tokensReload.start();
      services.sockets.startRechecks();
      const host = app.server?.hostname ?? '127.0.0.1';
      services.webhooks.start(services.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${app.server?.port}`);
    })
    .onStop(() => void services.stopBackground().catch(() => undefined))
    .onRequest(({ request }) => services.access.refusal(request))
    .use(errorHandler)
    .onTransform({ as: 'global' }, ({ request, route, params }) =>
      services.access.check({ request, route, params: params as Record<string, string> }),
    )
    .use(jsonBody({ maxBytes: options.maxBodyBytes }))
    .use(
      openapi({
        // The page is ours (api-docs.ts): the plugin's would load a script from a CDN.
        provider: null,
        documentation: {
          info: {
            title: 'Headway API',
            version: '0.1.0',
            description:
              'Run pipeline jobs on BullMQ and follow them: REST here; live progress over WebSocket /ws/jobs/{id}/progress (README, How it works).',
          },
        },
        // The dashboard's files and Bull Board are not the API. staticFile off: the plugin would
        // hide every path with a dot, /api/jobs/{id}/artifacts.zip among them (the docs' own files hide themselves).
        exclude: { paths: ['/', '/jobs/*', '/pipelines/*', '/assets/*', /^\/admin/], methods: ['ws', 'WS'], staticFile: false },
      }),
    )
    .use(sessionRoutes(services.access, services.sessions, services.shareLinks, services.sockets))
    .use(healthRoutes(services))
    .use(metricsRoutes(services))
    .use(pipelineRoutes(services))
    .use(jobRoutes(services))
    .use(jobActionRoutes(services))
    .use(shareRoutes(services))
    .use(eventRoutes(services))
    .use(artifactRoutes(services))
    .use(webhookRoutes(services))
    .use(progressSocket(services))
    .use(jobsSocket(services))
    .use(apiDocs)
    .use(await bullBoard(services.queue, services.stream))
    .use(webApp(options.webDist));
}

export type App = Awaited<ReturnType<typeof createApp>>;
