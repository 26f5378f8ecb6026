// The app owns its background work: nothing runs until it listens; once it does, the job-list
// feed and the relay follow Redis and publish through its server; `app.stop()` ends them.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessApi, inProcessApi } from '../../../tests/support/in-process-api.ts';
import { JobListClient } from '../../../tests/support/job-list-client.ts';
import { type RedisHandle, startRedis } from '../../../tests/support/redis-server.ts';
import { until } from '../../../tests/support/until.ts';
import { ProgressClient } from '../../../tests/support/ws-client.ts';

let redis: RedisHandle;
let admin: Redis;
let api: InProcessApi;

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
  api = await inProcessApi(redis, 'lifecycle');
});

afterAll(async () => {
  await api?.stop();
  admin?.disconnect();
  await redis?.stop();
});

/** Connections sitting in a blocking read: the feed writer's QueueEvents and the feed's reader. */
const blockedClients = async () => Number(/blocked_clients:(\d+)/.exec(await admin.info('clients'))?.[1]);
/** Subscribers to a job's live channel (the relay's doorbell). */
const liveSubscribers = async (id: string) =>
  Number(((await admin.call('PUBSUB', 'SHARDNUMSUB', api.services.keys.live(id))) as [string, number])[1]);

describe('createApp', () => {
  it('starts the job-list feed and the relay when it listens, publishes through its server, and stops them with app.stop()', async () => {
    await Bun.sleep(100);
    expect(await blockedClients()).toBe(0);

    api.app.listen({ hostname: '127.0.0.1', port: 0, reusePort: false });
    const url = `http://127.0.0.1:${api.app.server!.port}`;
    await until(blockedClients, (n) => n === 2, 5000);
    const list = new JobListClient(url);
    await list.waitFor((c) => c.messages[0]?.type === 'jobs', 5000);
    const created = await fetch(`${url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pipeline: 'literature-review' }),
    });
    const { id } = (await created.json()) as { id: string };
    // The feed saw the queue's event and published it on this app's server.
    await list.waitFor((c) => c.updatesOf(id).length > 0, 5000);
    // A viewer makes the relay follow the job's stream: it subscribes to the job's doorbell.
    const viewer = new ProgressClient(`${url.replace(/^http/, 'ws')}/ws/jobs/${id}/progress`);
    await viewer.waitFor((c) => c.messages.some((m) => m.type === 'initial_status'), 5000);
    await until(
      () => liveSubscribers(id),
      (n) => n === 1,
      5000,
    );

    viewer.close();
    list.close();
    await api.app.stop(true);
    expect(api.app.server).toBeNull();
    await until(blockedClients, (n) => n === 0, 3000);
    await until(
      () => liveSubscribers(id),
      (n) => n === 0,
      3000,
    );
  });
});
