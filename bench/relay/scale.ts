// The relay's figures that change with the Redis behind it and with the number of viewers: the
// same phases on one Redis and on a 3-master Redis Cluster (`npm run bench -- relay --cluster`),
// and 10,000 viewers on one API process. Each set runs against its own API process and Redis.
import { createRedis, EventStream, type RedisTarget, redisKeys } from '@headway/progress';
import { Queue } from 'bullmq';
import { startApi } from '../../tests/support/processes.ts';
import { Cleanup } from '../cleanup.ts';
import { emitEvents } from './latency.ts';
import { apiSocket, closeViewers, connect, fanout, headwayBurst, headwayLatency, type ViewerRig, viewerLatency } from './phases.ts';
import { Child, type Percentiles, rssKb } from './shared.ts';

const BUSY_JOBS = 100;
const RATE = 20;
const VIEWERS = 1000;
export const MANY_VIEWERS = 10_000;
/** The 10,000 viewers watch this many jobs (10 each), of which BUSY_JOBS are busy. */
const MANY_JOBS = 1000;
const WARMUP_MS = 2000;
const MEASURE_MS = 10_000;
const FANOUT_EVENTS = 2000;

export interface ScaleResult {
  /** 100 jobs × 20 events/s, 1000 viewers. */
  latency: Percentiles;
  /** 1 job, 1 viewer. */
  latency_alone: Percentiles;
  /** One busy job to 1000 viewers. */
  fanout_msg_s: number;
  /** API RSS per idle viewer, 1000 viewers. */
  idle_viewer_kb: number;
  /** 10,000 viewers of 1000 jobs, 100 of them at 20 events/s (20,000 messages/s delivered). */
  many_latency: Percentiles;
  /** API RSS per viewer with 10,000 open. */
  many_viewer_kb: number;
  samples: Record<string, number>;
}

/**
 * `apiEnv` says where the API finds Redis (REDIS_URL or REDIS_CLUSTER_NODES); `target` is the
 * same for the bench's own writer connection.
 */
export async function scalePhases(target: RedisTarget, apiEnv: Record<string, string>, prefix: string): Promise<ScaleResult> {
  const cleanup = new Cleanup();
  try {
    const keys = redisKeys(prefix);
    const client = createRedis(target, 'blocking');
    cleanup.push(() => client.disconnect());
    const queueConnection = createRedis(target, 'blocking');
    cleanup.push(() => queueConnection.disconnect());
    const queue = new Queue(keys.queueName, { connection: queueConnection, prefix });
    cleanup.push(() => queue.close());
    const children = [new Child('./viewers.ts'), new Child('./viewers.ts')] as const;
    cleanup.push(() => Promise.all(children.map((c) => c.stop())));
    const api = await startApi({ ...apiEnv, QUEUE_PREFIX: prefix, HOST: '127.0.0.1', MAX_SOCKETS_PER_CLIENT: '20000' });
    cleanup.push(() => api.stop());
    await Promise.all(children.map((c) => c.ready()));
    const rig: ViewerRig = { api, stream: new EventStream(client, keys, { maxLen: 100_000 }), viewers: [children[0], children[1]] };

    // Waiting jobs (no worker runs this queue): a socket only needs its job to exist.
    const jobs = Array.from({ length: MANY_JOBS }, (_, i) => `s-${i}`);
    const busy = jobs.slice(0, BUSY_JOBS);
    for (let i = 0; i < jobs.length; i += 200) {
      // On a cluster a queue's keys share a slot, so a bulk add is one call to one master.
      await queue.addBulk(
        [...jobs.slice(i, i + 200), ...(i === 0 ? ['warm', 'alone', 'busy'] : [])].map((jobId) => ({
          name: 'literature-review',
          data: { input: {} },
          opts: { jobId },
        })),
      );
    }

    await connect(rig, ['warm'], 20, apiSocket);
    await closeViewers(rig);
    await Bun.sleep(1000);
    const idleBefore = rssKb(api.proc.pid);
    await connect(rig, busy, VIEWERS, apiSocket);
    await Bun.sleep(2000);
    const idleAfter = rssKb(api.proc.pid);
    const latency = await viewerLatency(rig, WARMUP_MS, MEASURE_MS, (ms) => emitEvents(rig.stream, busy, RATE, ms));
    const alone = await headwayLatency(rig, ['alone'], 1, RATE, 1000, MEASURE_MS / 2);

    await connect(rig, ['busy'], VIEWERS, apiSocket);
    const spread = await fanout(rig, api.proc.pid, VIEWERS * FANOUT_EVENTS, () => headwayBurst(rig, 'busy', FANOUT_EVENTS, 20));
    console.log(`  ${describe(target)}: 1000-viewer phases done; opening ${MANY_VIEWERS} viewers`);

    await Bun.sleep(1000);
    const manyBefore = rssKb(api.proc.pid);
    // Viewer k watches job k mod 1000, so each busy job has 10 viewers among the 10,000.
    await connect(rig, jobs, MANY_VIEWERS, apiSocket);
    await Bun.sleep(3000);
    const manyAfter = rssKb(api.proc.pid);
    const many = await viewerLatency(rig, WARMUP_MS, MEASURE_MS, (ms) => emitEvents(rig.stream, busy, RATE, ms));
    return {
      latency: pick(latency),
      latency_alone: pick(alone),
      fanout_msg_s: Math.round(spread.msgPerS),
      idle_viewer_kb: round1((idleAfter - idleBefore) / VIEWERS),
      many_latency: pick(many),
      many_viewer_kb: round1((manyAfter - manyBefore) / MANY_VIEWERS),
      samples: { latency: latency.n, alone: alone.n, many: many.n },
    };
  } finally {
    await cleanup.run();
  }
}

const describe = (target: RedisTarget) => (typeof target === 'string' ? 'one Redis' : 'cluster');
const pick = ({ p50_ms, p99_ms }: Percentiles): Percentiles => ({ p50_ms, p99_ms });
const round1 = (x: number) => Math.round(x * 10) / 10;

/** The sets side by side, one column each. */
export function printScale(columns: [string, ScaleResult][]) {
  const w = [52, ...columns.map(() => 22)];
  const row = (cells: string[]) => console.log(`  ${cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('')}`);
  const ms = (p: Percentiles) => `${p.p50_ms.toFixed(2)} / ${p.p99_ms.toFixed(2)}`;
  console.log('\nrelay: one Redis beside a Redis Cluster (latency p50 / p99 ms, same run)');
  row(['', ...columns.map(([name]) => name)]);
  row([`latency, ${BUSY_JOBS} jobs × ${RATE}/s, ${VIEWERS} viewers`, ...columns.map(([, r]) => ms(r.latency))]);
  row(['latency, 1 job, 1 viewer', ...columns.map(([, r]) => ms(r.latency_alone))]);
  row([`fan-out, 1 job to ${VIEWERS} viewers (msg/s)`, ...columns.map(([, r]) => String(r.fanout_msg_s))]);
  row([`API RSS per idle viewer, ${VIEWERS} (KB)`, ...columns.map(([, r]) => String(r.idle_viewer_kb))]);
  row([`latency, ${MANY_VIEWERS} viewers of ${MANY_JOBS} jobs, ${BUSY_JOBS} busy`, ...columns.map(([, r]) => ms(r.many_latency))]);
  row([`API RSS per viewer, ${MANY_VIEWERS} (KB)`, ...columns.map(([, r]) => String(r.many_viewer_kb))]);
  for (const [name, r] of columns) {
    const ok = r.latency.p99_ms <= 20 && r.many_latency.p99_ms <= 20;
    console.log(`  ${name}: target p99 ≤ 20 ms at ${VIEWERS} and ${MANY_VIEWERS} viewers: ${ok ? 'holds' : 'DOES NOT HOLD'}`);
  }
}
