// `npm run bench -- relay`: how fast and how lean the way from a worker's event to a browser is.
// It measures, against a real redis-server and the real API process: latency emit → WebSocket
// client (p50/p99) of events written as the worker writes them (EventStream.append) for 100 jobs
// at 20 events/s each with 1000 viewers, and for 1 job with 1 viewer; worker throughput of no-op
// jobs reporting 20 events through apps/worker's own processor; fan-out of one busy job to 1000
// viewers; and the API's RSS per idle viewer and while a viewer stops reading. The machine is
// shared and noisy, so every figure stands beside a baseline from the same run and only ratios
// mean much. The latency baselines are the relay's two hops done raw under the same load, so the
// ratio is what Headway adds on top of them: `floor` is plain XADD → one blocking XREAD over all
// streams on two ioredis connections, `bun_floor` a bare Bun.serve publishing the same messages to
// the same subscribers, from a socket callback as the API does (stamped just before publish);
// `seed_polling` is the design Headway replaces, a file polled every 500 ms. Throughput sits beside
// bare BullMQ making 20 `job.updateProgress` calls (what reporting progress costs without
// Headway) and doing nothing; fan-out and per-socket memory beside the same bare Bun server.
// Viewers run in two child processes, so clients never share an event loop with the emitter.
// Then 10,000 viewers on the same API process (scale.ts). With `--cluster`, the relay's phases run
// on one Redis and on a 3-master + 3-replica Redis Cluster side by side instead; with `--only
// throughput`, only the worker throughput phase runs.
import { availableParallelism, loadavg } from 'node:os';
import { createRedis, EventStream, redisKeys } from '@headway/progress';
import { Queue } from 'bullmq';
import { startApi } from '../tests/support/processes.ts';
import { startRedisCluster } from '../tests/support/redis-cluster.ts';
import { startRedis } from '../tests/support/redis-server.ts';
import { Cleanup } from './cleanup.ts';
import { emitEvents, paced, redisFloor } from './relay/latency.ts';
import {
  apiSocket,
  closeViewers,
  connect,
  fanout,
  headwayBurst,
  headwayLatency,
  type Rig,
  rawBurst,
  rawSocket,
  stalledViewer,
  viewerLatency,
} from './relay/phases.ts';
import { printScale, type ScaleResult, scalePhases } from './relay/scale.ts';
import { Child, type Percentiles, percentiles, rssKb } from './relay/shared.ts';
import { EVENTS_PER_JOB, type ThroughputResult, workerThroughput } from './relay/throughput.ts';

const JOBS = 100;
const VIEWERS = 1000;
const RATE = 20;
const WARMUP_MS = 2000;
const MEASURE_MS = 10_000;
const FANOUT_EVENTS = 5000;
const STALL_MS = 30_000;
/** The same busy job without the stalled viewer, for the RSS baseline. */
const BUSY_BASELINE_MS = 10_000;
const PREFIX = 'relaybench';

export async function benchRelay(args: string[] = []) {
  if (args.includes('--cluster')) return benchRelayCluster();
  if (args.join(' ').includes('--only throughput')) return benchThroughput();
  const cleanup = new Cleanup();
  const startedAt = performance.now();
  try {
    const redis = await startRedis();
    cleanup.push(() => redis.stop());
    const client = createRedis(redis.url, 'blocking');
    cleanup.push(() => client.disconnect());
    const keys = redisKeys(PREFIX);
    const queueConnection = createRedis(redis.url, 'blocking');
    cleanup.push(() => queueConnection.disconnect());
    const queue = new Queue(keys.queueName, { connection: queueConnection, prefix: PREFIX });
    cleanup.push(() => queue.close());
    const children = [new Child('./viewers.ts'), new Child('./viewers.ts'), new Child('./raw-server.ts')] as const;
    cleanup.push(() => Promise.all(children.map((c) => c.stop())));
    // Every viewer of the benchmark comes from this one address.
    const api = await startApi({ REDIS_URL: redis.url, QUEUE_PREFIX: PREFIX, HOST: '127.0.0.1', MAX_SOCKETS_PER_CLIENT: '5000' });
    cleanup.push(() => api.stop());
    const [, , rawPorts] = await Promise.all([
      children[0].ready(),
      children[1].ready(),
      children[2].ready<{ ws: number; trigger: number }>(),
    ]);
    const rawTrigger = await Bun.connect({ hostname: '127.0.0.1', port: rawPorts.trigger, socket: { data() {} } });
    cleanup.push(() => rawTrigger.end());
    const rig: Rig = {
      api,
      stream: new EventStream(client, keys, { maxLen: 100_000 }),
      viewers: [children[0], children[1]],
      raw: children[2],
      rawUrl: `ws://127.0.0.1:${rawPorts.ws}`,
      rawTrigger,
    };

    // Waiting jobs (no worker runs this queue): the socket only needs the job to exist.
    const jobs = Array.from({ length: JOBS }, (_, i) => `lat-${i}`);
    const extra = ['warm', 'alone', 'busy', 'stall'];
    await queue.addBulk([...jobs, ...extra].map((jobId) => ({ name: 'literature-review', data: { input: {} }, opts: { jobId } })));

    console.log(`relay: API pid ${api.proc.pid} at ${api.url}, redis at ${redis.url}`);
    // Memory per idle viewer: the API warmed by a few sockets first, then 1000 viewers of waiting jobs.
    await connect(rig, ['warm'], 20, apiSocket);
    await closeViewers(rig);
    await Bun.sleep(1000);
    const idleBefore = rssKb(api.proc.pid);
    await connect(rig, jobs, VIEWERS, apiSocket);
    await Bun.sleep(2000);
    const idleAfter = rssKb(api.proc.pid);
    console.log(`  ${VIEWERS} idle viewers: API RSS ${mb(idleBefore)} → ${mb(idleAfter)} MB`);

    // Latency under load, on those same viewers, then alone.
    const headway = await viewerLatency(rig, WARMUP_MS, MEASURE_MS, (ms) => emitEvents(rig.stream, jobs, RATE, ms));
    const alone = await headwayLatency(rig, ['alone'], 1, RATE, 1000, MEASURE_MS);
    const floor = percentiles(await redisFloor(redis.url, JOBS, RATE, MEASURE_MS - 2000, WARMUP_MS));
    console.log('  latency: headway, alone and floor done');

    // Raw Bun: per-socket memory and latency with the same subscribers and messages.
    const rawBefore = rssKb(rig.raw.proc.pid);
    const topics = jobs.map((j) => `job:${j}`);
    await connect(rig, topics, VIEWERS, rawSocket);
    await Bun.sleep(2000);
    const rawAfter = rssKb(rig.raw.proc.pid);
    const bunFloor = await viewerLatency(rig, WARMUP_MS, MEASURE_MS - 2000, (ms) =>
      paced(topics.length, RATE, ms, async (i) => rig.rawTrigger.write(`${topics[i]}\n`)),
    );

    // Fan-out: one busy job to 1000 viewers, then the raw server the same way.
    await connect(rig, ['busy'], VIEWERS, apiSocket);
    const headwayFanout = await fanout(rig, api.proc.pid, VIEWERS * FANOUT_EVENTS, () => headwayBurst(rig, 'busy', FANOUT_EVENTS, 20));
    await connect(rig, ['job:busy'], VIEWERS, rawSocket);
    const rawFanout = await fanout(rig, rig.raw.proc.pid, VIEWERS * FANOUT_EVENTS, () => rawBurst(rig, 'job:busy', FANOUT_EVENTS, 20));
    console.log(`  fan-out done; a busy job for ${BUSY_BASELINE_MS / 1000} s, then a viewer stops reading for ${STALL_MS / 1000} s`);

    const stall = await stalledViewer(rig, 'stall', BUSY_BASELINE_MS, STALL_MS);
    const seed = percentiles(stall.seed);
    console.log(`  worker throughput (in-process BullMQ workers, concurrency 10)`);
    const tp = await workerThroughput(redis.url);

    const result: RelayResult = {
      latency: {
        headway: pick(headway),
        headway_alone: pick(alone),
        floor: pick(floor),
        bun_floor: pick(bunFloor),
        seed_polling: pick(seed),
      },
      throughput: throughputFigures(tp),
      fanout: { headway_msg_s: Math.round(headwayFanout.msgPerS), bun_raw_msg_s: Math.round(rawFanout.msgPerS) },
      memory: {
        idle_viewer_kb: round1((idleAfter - idleBefore) / VIEWERS),
        stalled_viewer_rss_mb: round1(stall.peakKb / 1024),
      },
    };
    printTables(result, {
      samples: { headway: headway.n, alone: alone.n, floor: floor.n, bunFloor: bunFloor.n, seed: seed.n },
      rawIdleKb: (rawAfter - rawBefore) / VIEWERS,
      stall,
      tp,
      fanoutCpu: [headwayFanout.cpuMsPer1000, rawFanout.cpuMsPer1000],
    });
    await Promise.all([api.stop(), ...children.map((c) => c.stop())]);
    console.log('\n  10,000 viewers on one API process (a fresh one, same Redis)');
    const scale = await scalePhases(redis.url, { REDIS_URL: redis.url }, 'relaymany');
    printScale([['one Redis', scale]]);
    Object.assign(result, { scale });
    console.log(`\nrelay: measured in ${Math.round((performance.now() - startedAt) / 1000)} s`);
    return result;
  } finally {
    await cleanup.run();
  }
}

/** `--only throughput`: the worker throughput phase alone, on a fresh Redis (seconds, not minutes). */
async function benchThroughput() {
  const redis = await startRedis();
  try {
    const tp = await workerThroughput(redis.url);
    printThroughput(tp);
    return throughputFigures(tp);
  } finally {
    await redis.stop();
  }
}

/** The relay's phases on one Redis and on a 3-master cluster (each master with a replica), same run. */
async function benchRelayCluster() {
  const cleanup = new Cleanup();
  const startedAt = performance.now();
  try {
    const [redis, cluster] = await Promise.all([startRedis(), startRedisCluster()]);
    cleanup.push(() => redis.stop());
    cleanup.push(() => cluster.stop());
    console.log(`relay --cluster: one Redis at ${redis.url}, a cluster of masters ${cluster.masters().join(', ')}`);
    const single = await scalePhases(redis.url, { REDIS_URL: redis.url }, 'relaybench');
    const nodes = cluster.nodesSetting.split(',').map((hp) => ({ host: hp.split(':')[0]!, port: Number(hp.split(':')[1]) }));
    const onCluster = await scalePhases(
      { kind: 'cluster', nodes },
      { REDIS_CLUSTER_NODES: cluster.nodesSetting, REDIS_URL: 'redis://127.0.0.1:1' },
      '{relaybench}',
    );
    const columns: [string, ScaleResult][] = [
      ['one Redis', single],
      ['cluster (3 masters)', onCluster],
    ];
    printScale(columns);
    // Other work on the machine shows in p99 first: say how busy it was.
    console.log(
      `\nrelay --cluster: measured in ${Math.round((performance.now() - startedAt) / 1000)} s; ` +
        `load average ${loadavg()[1]!.toFixed(1)} over the last 5 min on ${availableParallelism()} cores`,
    );
    return { single, cluster: onCluster };
  } finally {
    await cleanup.run();
  }
}

function printThroughput(tp: Throughput) {
  const t = throughputFigures(tp);
  console.log(`\nrelay: worker throughput (2000 no-op jobs of ${EVENTS_PER_JOB} events, concurrency 10)`);
  const tw = [48, 9, 10, 12, 14, 16];
  line(['', 'jobs/s', 'cmds/job', 'CPU ms/job', 'redis ms/job', 'headway ÷ this'], tw);
  const tpRows: [string, number, ThroughputResult][] = [
    ['headway (run-job: tracker → EventSink → stream)', t.headway_jobs_s, tp.headway],
    ['bullmq_progress (20 × job.updateProgress)', t.bullmq_progress_jobs_s, tp.bullmqProgress],
    ['bullmq_bare (does nothing)', t.bullmq_bare_jobs_s, tp.bullmqBare],
    ['(profile only) headway, one event per tick', Math.round(tp.spaced.jobsPerS), tp.spaced],
  ];
  for (const [label, v, res] of tpRows) {
    const cells = [res.tripsPerJob.toFixed(1), res.workerCpuMs.toFixed(3), res.redisCpuMs.toFixed(3)];
    line([label, v, ...cells, label.startsWith('bullmq') ? ratio(t.headway_jobs_s, v) : ''], tw);
  }
  console.log(`  target headway ≥ 1.5 × bullmq_progress: ${holds(t.headway_jobs_s >= 1.5 * t.bullmq_progress_jobs_s)}`);
  const profile = (res: ThroughputResult) =>
    res.byCommand
      .filter(([, n]) => n >= 0.05)
      .map(([c, n]) => `${c} ${n.toFixed(2)}`)
      .join(', ');
  console.log(`  commands per job, headway:          ${profile(tp.headway)}`);
  console.log(`  commands per job, bullmq_progress:  ${profile(tp.bullmqProgress)}`);
  console.log(`  commands per job, bullmq_bare:      ${profile(tp.bullmqBare)}`);
  console.log(`  commands per job, headway per tick: ${profile(tp.spaced)}`);
}

const throughputFigures = (tp: Throughput): RelayResult['throughput'] => ({
  headway_jobs_s: Math.round(tp.headway.jobsPerS),
  bullmq_progress_jobs_s: Math.round(tp.bullmqProgress.jobsPerS),
  bullmq_bare_jobs_s: Math.round(tp.bullmqBare.jobsPerS),
});

const pick = ({ p50_ms, p99_ms }: Percentiles): Percentiles => ({ p50_ms, p99_ms });
const round1 = (x: number) => Math.round(x * 10) / 10;
const mb = (kb: number) => (kb / 1024).toFixed(1);
const ratio = (a: number, b: number) => (b === 0 ? '—' : `${(a / b).toFixed(2)}×`);
const holds = (ok: boolean) => (ok ? 'holds' : 'DOES NOT HOLD');
const line = (cells: (string | number)[], widths: number[]) =>
  console.log(`  ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('')}`);

interface RelayResult {
  latency: Record<'headway' | 'headway_alone' | 'floor' | 'bun_floor' | 'seed_polling', Percentiles>;
  throughput: { headway_jobs_s: number; bullmq_progress_jobs_s: number; bullmq_bare_jobs_s: number };
  fanout: { headway_msg_s: number; bun_raw_msg_s: number };
  memory: { idle_viewer_kb: number; stalled_viewer_rss_mb: number };
}

interface Extras {
  samples: Record<string, number>;
  /** Server CPU ms per 1000 delivered messages: the API's, the raw server's. */
  fanoutCpu: [number, number];
  rawIdleKb: number;
  stall: Awaited<ReturnType<typeof stalledViewer>>;
  tp: Throughput;
}

type Throughput = Awaited<ReturnType<typeof workerThroughput>>;

function printTables(r: RelayResult, x: Extras) {
  const h = r.latency.headway;
  const w = [48, 9, 9, 9, 26];
  console.log(`\nrelay: latency emit → WebSocket client (ms; ${JOBS} jobs × ${RATE} events/s, ${VIEWERS} viewers)`);
  line(['', 'p50', 'p99', 'samples', 'headway ÷ this p50/p99'], w);
  const rows: [string, keyof RelayResult['latency'], number][] = [
    ['headway (API relay, 1000 viewers)', 'headway', x.samples.headway!],
    ['headway_alone (1 job, 1 viewer)', 'headway_alone', x.samples.alone!],
    ['floor: XADD → blocking XREAD, same load', 'floor', x.samples.floor!],
    ['bun_floor: Bun publish → client, same load', 'bun_floor', x.samples.bunFloor!],
    ['seed_polling: a file polled every 500 ms', 'seed_polling', x.samples.seed!],
  ];
  for (const [label, key, n] of rows) {
    const p = r.latency[key];
    line(
      [
        label,
        p.p50_ms.toFixed(2),
        p.p99_ms.toFixed(2),
        n,
        key === 'headway' ? '' : `${ratio(h.p50_ms, p.p50_ms)} / ${ratio(h.p99_ms, p.p99_ms)}`,
      ],
      w,
    );
  }
  console.log(`  target p50 ≤ 3 ms, p99 ≤ 20 ms under load: ${holds(h.p50_ms <= 3 && h.p99_ms <= 20)}`);

  printThroughput(x.tp);

  const f = r.fanout;
  console.log(`\nrelay: fan-out of one busy job to ${VIEWERS} viewers (${FANOUT_EVENTS} events)`);
  line(
    ['headway msg/s', f.headway_msg_s, 'bun_raw msg/s', f.bun_raw_msg_s, 'ratio', ratio(f.headway_msg_s, f.bun_raw_msg_s)],
    [16, 10, 16, 10, 8, 8],
  );
  console.log(`  target ≥ 60 % of raw Bun: ${holds(f.headway_msg_s >= 0.6 * f.bun_raw_msg_s)}`);
  const [apiCpu, rawCpu] = x.fanoutCpu;
  console.log(
    `  server CPU per 1000 messages delivered: API ${apiCpu.toFixed(3)} ms, raw Bun ${rawCpu.toFixed(3)} ms (${ratio(apiCpu, rawCpu)}); ` +
      `the viewer processes share the machine's ${availableParallelism()} cores with the server, so msg/s may be capped by the clients`,
  );

  const m = r.memory;
  console.log(`\nrelay: API memory`);
  line(
    [
      'idle viewer (RSS delta / 1000)',
      `${m.idle_viewer_kb} KB`,
      'raw Bun socket',
      `${x.rawIdleKb.toFixed(1)} KB`,
      ratio(m.idle_viewer_kb, x.rawIdleKb),
    ],
    [40, 10, 20, 10, 9],
  );
  console.log(`  target ≤ 50 KB per idle viewer: ${holds(m.idle_viewer_kb <= 50)}`);
  line(
    [
      'peak RSS, a viewer stalled 30 s',
      `${m.stalled_viewer_rss_mb} MB`,
      'busy, none stalled',
      `${mb(x.stall.baselinePeakKb)} MB`,
      ratio(x.stall.peakKb, x.stall.baselinePeakKb),
    ],
    [40, 10, 20, 10, 9],
  );
  const closed = x.stall.stalledClosed;
  const what = closed ? `closed by the API (${closed.code}${closed.reason ? ` "${closed.reason}"` : ''})` : 'NOT closed';
  console.log(`  peak RSS every 5 s of the stall: ${x.stall.trace.join(', ')} MB`);
  console.log(
    `  the stalled viewer was ${what}, having got ${x.stall.stalledGot} of ${x.stall.events} events; ` +
      `the reading viewer got ${x.stall.readerGot} of ${x.stall.events} events`,
  );
}
