// Append throughput of a job's event stream: Headway's one-script append (seq + XADD + cap, in
// batches) next to the floor, raw XADD of the same payloads pipelined in the same batches.
import { createRedis, EventStream, type NewJobEvent, redisKeys } from '@headway/progress';
import { startRedis } from '../tests/support/redis-server.ts';

const EVENTS = 20_000;
const BATCH = 20;

function event(i: number): NewJobEvent {
  return {
    kind: 'progress',
    jobId: 'bench',
    attempt: 1,
    ts: new Date().toISOString(),
    stage: 'judge',
    phase: 'running',
    message: `Validated ${i} of ${EVENTS} claims`,
    percentage: (100 * i) / EVENTS,
    stageProgress: i / EVENTS,
  };
}

async function timeIt(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

export async function benchEvents() {
  const redis = await startRedis();
  const client = createRedis(redis.url, 'blocking');
  try {
    const keys = redisKeys('bench');
    const stream = new EventStream(client, keys, { maxLen: EVENTS * 2 });
    const payloads = Array.from({ length: EVENTS }, (_, i) => event(i + 1));
    const rounds: { headway: number; raw: number }[] = [];
    for (let round = 0; round < 3; round++) {
      await client.flushall();
      const headway = await timeIt(async () => {
        for (let i = 0; i < EVENTS; i += BATCH) await stream.append(`h${round}`, payloads.slice(i, i + BATCH));
      });
      const raw = await timeIt(async () => {
        for (let i = 0; i < EVENTS; i += BATCH) {
          const pipe = client.pipeline();
          for (const e of payloads.slice(i, i + BATCH)) pipe.xadd(`raw:${round}`, '*', 'e', JSON.stringify(e));
          await pipe.exec();
        }
      });
      rounds.push({ headway: EVENTS / headway, raw: EVENTS / raw });
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const headway = median(rounds.map((r) => r.headway));
    const raw = median(rounds.map((r) => r.raw));
    console.log(`events: append ${EVENTS} events in batches of ${BATCH}, median of 3 rounds`);
    console.log(`  headway (seq + XADD + MAXLEN in one script)  ${Math.round(headway)} events/s`);
    console.log(`  baseline raw pipelined XADD                  ${Math.round(raw)} events/s`);
    console.log(`  ratio headway / raw                          ${(headway / raw).toFixed(2)}`);
    return { headway_events_s: Math.round(headway), raw_xadd_events_s: Math.round(raw), ratio: headway / raw };
  } finally {
    client.disconnect();
    await redis.stop();
  }
}
