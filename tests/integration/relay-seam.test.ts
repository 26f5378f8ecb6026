// The seam between a viewer's replay (XRANGE) and the relay's live tail (XREAD) must hold even
// when replies of the two connections are handled out of order: here the viewer's first XRANGE
// runs before the job has any event, and its (empty) reply is handled only after the relay has
// published the job's first events.
import { type JobSummary, loadConfig } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../apps/api/src/app.ts';
import { env } from '../../apps/api/src/env.ts';
import { createServices, type Services } from '../../apps/api/src/services.ts';
import { startStack, type TestStack } from '../support/test-stack.ts';
import { ProgressClient } from '../support/ws-client.ts';

let stack: TestStack;
let services: Services;
let app: Awaited<ReturnType<typeof createApp>>;
let base: string;
let firstRangeDone = false;

beforeAll(async () => {
  // The API runs in this process (its stream is instrumented below); only the worker is a process.
  stack = await startStack({ prefix: 'seam', api: false });
  const settings = { ...env, redisUrl: stack.redis.url, queuePrefix: 'seam' };
  services = createServices(settings, await loadConfig(settings.configFile));
  const range = services.stream.range.bind(services.stream);
  services.stream.range = async (jobId, after, count) => {
    const entries = await range(jobId, after, count);
    firstRangeDone = true;
    for (let i = 0; i < 200 && (services.relay.cursorOf(jobId) ?? '0-0') === '0-0'; i++) await Bun.sleep(25);
    return entries;
  };
  app = await createApp(services, { webDist: settings.webDist });
  app.listen({ hostname: '127.0.0.1', port: 0 });
  services.relay.start((topic, data) => app.server?.publish(topic, data));
  base = `127.0.0.1:${app.server!.port}`;
});

afterAll(async () => {
  await app?.stop();
  await services?.close();
  await stack?.stop();
});

describe('replay/live seam', () => {
  it('loses nothing when the relay publishes a job’s first events before the viewer’s replay returns', async () => {
    const res = await fetch(`http://${base}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 1 } }),
    });
    const job = (await res.json()) as JobSummary;
    const viewer = new ProgressClient(`ws://${base}/ws/jobs/${job.id}/progress`);
    while (!firstRangeDone) await Bun.sleep(10);
    await stack.addWorker();
    await viewer.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'));
    viewer.close();
    const seqs = viewer.events.map((e) => e.event.seq);
    expect(seqs.slice(0, 3)).toEqual([1, 2, 3]);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });
});
