// `npm run bench -- command`: what the line protocol of command pipelines costs, on a real
// redis-server with apps/worker's own processor (createProcessor) in an in-process BullMQ Worker.
// Throughput: events/s from job start until every event is in the job's stream (checked there),
// of bench/command/flood.py printing `::progress` lines as fast as it can with maxLinesPerSecond
// out of the way, and with the default cap (whose rate should be the cap, in any second); beside the same
// events emitted in-process by a code pipeline (yielding every 1000), flood.py's output read by Bun
// and only counted, and flood.py alone writing to /dev/null, so the cost splits into program, pipe
// and Headway; CPU per event of the worker, the program and redis-server says where it goes.
// Latency: paced events carry their print time; a viewer-like reader on its own connection (XREAD
// BLOCK) takes arrival minus print time, beside a code pipeline emitting the same way. The machine
// is shared and noisy: only figures from the same run mean much side by side.
import { availableParallelism } from 'node:os';
import { DEFAULT_MAX_LINES_PER_SECOND } from '@headway/progress';
import { startRedis } from '../tests/support/redis-server.ts';
import { Cleanup } from './cleanup.ts';
import { clockOffsetMs, pipeRead, programAlone } from './command/pipe.ts';
import { benchCatalog, YIELD_EVERY } from './command/pipelines.ts';
import { type ProfileResult, profileWorker } from './command/profile.ts';
import { type JobRun, Rig } from './command/rig.ts';
import { type Percentiles, percentiles } from './relay/shared.ts';

const FLOOD_LINES = 100_000;
/** Four seconds at the default cap. */
const CAPPED_LINES = 40_000;
const WARMUP_LINES = 10_000;
const PACED_RATE = 200;
const PACED_SECONDS = 5;
const PREFIX = 'commandbench';

interface Flood extends JobRun {
  lines: number;
  eventsPerS: number;
  /** When Redis wrote each progress event (ms). */
  written: number[];
}

async function flood(rig: Rig, pipeline: string, lines: number): Promise<Flood> {
  const run = await rig.run(pipeline, { lines });
  const written = await rig.verify(run.jobId, lines);
  return { ...run, lines, eventsPerS: lines / run.seconds, written };
}

/** The most of these times (ms, ascending) within any 1000 ms. */
function busiestSecond(times: readonly number[]): number {
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

async function latency(rig: Rig, pipeline: string, offsetMs = 0) {
  const jobId = rig.jobId(pipeline);
  const follower = rig.follow(jobId);
  try {
    await rig.run(pipeline, { lines: PACED_RATE * PACED_SECONDS, rate: PACED_RATE }, jobId);
  } catch (error) {
    follower.stop();
    throw error;
  }
  const samples = (await follower.samples).map((ms) => ms + offsetMs);
  if (samples.length !== PACED_RATE * PACED_SECONDS)
    throw new Error(`${pipeline}: ${samples.length} of ${PACED_RATE * PACED_SECONDS} events seen`);
  return percentiles(samples);
}

export async function benchCommand() {
  const cleanup = new Cleanup();
  const startedAt = performance.now();
  try {
    const redis = await startRedis();
    cleanup.push(() => redis.stop());
    const rig = new Rig(redis.url, PREFIX, benchCatalog(), cleanup);
    await rig.ready();
    console.log(`command: redis at ${redis.url}; warming up`);
    for (const pipeline of ['code', 'command']) await flood(rig, pipeline, WARMUP_LINES);
    await pipeRead(WARMUP_LINES);

    const code = await flood(rig, 'code', FLOOD_LINES);
    const command = await flood(rig, 'command', FLOOD_LINES);
    const capped = await flood(rig, 'command-capped', CAPPED_LINES);
    const buffered = await flood(rig, 'command-buffered', FLOOD_LINES);
    const pipe = await pipeRead(FLOOD_LINES, true);
    const alone = await programAlone(FLOOD_LINES);
    const profile = await profileWorker(pipe.kept, FLOOD_LINES);
    console.log('  throughput done; latency next');

    const clock = await clockOffsetMs();
    const codeLatency = await latency(rig, 'code');
    // flood.py stamps with Python's clock: its offset from Bun's is added back to each sample.
    const commandLatency = await latency(rig, 'command-capped', clock.offsetMs);

    const result: CommandResult = {
      throughput: {
        code_events_s: Math.round(code.eventsPerS),
        command_events_s: Math.round(command.eventsPerS),
        command_capped_events_s: Math.round(capped.eventsPerS),
        command_capped_busiest_second: busiestSecond(capped.written),
        cap_lines_s: DEFAULT_MAX_LINES_PER_SECOND,
        command_buffered_events_s: Math.round(buffered.eventsPerS),
        pipe_lines_s: Math.round(FLOOD_LINES / pipe.seconds),
        program_lines_s: Math.round(FLOOD_LINES / alone.seconds),
      },
      latency: {
        code: pick(codeLatency),
        command: pick(commandLatency),
        added: { p50_ms: round2(commandLatency.p50_ms - codeLatency.p50_ms), p99_ms: round2(commandLatency.p99_ms - codeLatency.p99_ms) },
      },
      worker_profile_us: profile,
      clock_offset_ms: Math.round(clock.offsetMs * 1000) / 1000,
    };
    const rows: Row[] = [
      [`code pipeline, in-process (yields every ${YIELD_EVERY})`, code],
      ['command, uncapped (maxLinesPerSecond 1e9)', command],
      [`command, default cap (${DEFAULT_MAX_LINES_PER_SECOND} lines/s)`, capped],
      ['(profile) command uncapped, Python block-buffered', buffered],
      ['pipe only: flood.py → Bun.spawn, lines counted', { ...pipe, lines: FLOOD_LINES, redisCpuMs: 0 }],
      ['program only: flood.py → /dev/null', { ...alone, lines: FLOOD_LINES, workerCpuMs: 0, redisCpuMs: 0 }],
    ];
    printTables(result, { rows, pipeChunks: pipe.chunks, clockRttMs: clock.rttMs, samples: codeLatency.n });
    console.log(`\ncommand: measured in ${Math.round((performance.now() - startedAt) / 1000)} s`);
    return result;
  } finally {
    await cleanup.run();
  }
}

interface CommandResult {
  throughput: {
    code_events_s: number;
    command_events_s: number;
    /** Over the whole job, and the most events written within any 1 s. */
    command_capped_events_s: number;
    command_capped_busiest_second: number;
    cap_lines_s: number;
    command_buffered_events_s: number;
    pipe_lines_s: number;
    program_lines_s: number;
  };
  latency: Record<'code' | 'command' | 'added', Percentiles>;
  worker_profile_us: ProfileResult;
  clock_offset_ms: number;
}

type Row = [label: string, run: Pick<JobRun, 'seconds' | 'workerCpuMs' | 'programCpuMs' | 'redisCpuMs'> & { lines: number }];

const pick = ({ p50_ms, p99_ms }: Percentiles): Percentiles => ({ p50_ms, p99_ms });
const round2 = (x: number) => Math.round(x * 100) / 100;
const ratio = (a: number, b: number) => (b === 0 ? '—' : `${(a / b).toFixed(2)}×`);
const holds = (ok: boolean) => (ok ? 'holds' : 'DOES NOT HOLD');
const line = (cells: (string | number)[], widths: number[]) =>
  console.log(`  ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('')}`);

interface Extras {
  rows: Row[];
  pipeChunks: number;
  clockRttMs: number;
  samples: number;
}

function printTables(r: CommandResult, x: Extras) {
  const t = r.throughput;
  console.log(
    `\ncommand: throughput through the line protocol (job start → every event in its Redis stream; ${availableParallelism()} cores)`,
  );
  const w = [54, 8, 7, 10, 8, 10, 10, 8];
  console.log(`  ${''.padEnd(w.slice(0, 5).reduce((a, b) => a + b))}   CPU µs/event of the`);
  line(['', 'events', 's', 'events/s', '÷ code', 'worker', 'program', 'redis'], w);
  const [, code] = x.rows[0]!;
  const codeRate = code.lines / code.seconds;
  const us = (ms: number, n: number) => (ms === 0 ? '' : ((ms * 1000) / n).toFixed(2));
  for (const [label, run] of x.rows) {
    const rate = run.lines / run.seconds;
    line(
      [
        label,
        run.lines,
        run.seconds.toFixed(2),
        Math.round(rate),
        run === code ? '' : ratio(rate, codeRate),
        us(run.workerCpuMs, run.lines),
        us(run.programCpuMs, run.lines),
        us(run.redisCpuMs, run.lines),
      ],
      w,
    );
  }
  console.log(
    `  uncapped command ÷ pipe only: ${ratio(t.command_events_s, t.pipe_lines_s)} ` +
      `(the pipe came in ${x.pipeChunks} chunks, ${(FLOOD_LINES / x.pipeChunks).toFixed(1)} lines each; the program's CPU is in 10 ms steps)`,
  );
  const whole = t.command_capped_events_s / t.cap_lines_s;
  const busiest = t.command_capped_busiest_second / t.cap_lines_s;
  // The bucket holds a twentieth of a second's lines: no second should see much more than 1.05× the cap.
  console.log(
    `  default cap holds (whole job within 10 % of it, no second above 1.2×): ${holds(Math.abs(whole - 1) <= 0.1 && busiest <= 1.2)}; ` +
      `over the whole job ${ratio(t.command_capped_events_s, t.cap_lines_s)}, busiest sliding second ${t.command_capped_busiest_second} events ` +
      `(${ratio(t.command_capped_busiest_second, t.cap_lines_s)})`,
  );

  const p = r.worker_profile_us;
  console.log(
    `\ncommand: the worker's CPU per line, flood.py's output replayed in-process without Redis (µs; ${x.pipeChunks} chunks, best of 3)`,
  );
  const pw = [54, 9, 11];
  line(['', 'µs/line', 'step adds'], pw);
  line(['readLines only', p.read_us.toFixed(2), p.read_us.toFixed(2)], pw);
  line(['+ parseProtocolLine', p.read_parse_us.toFixed(2), (p.read_parse_us - p.read_us).toFixed(2)], pw);
  line(
    [
      '+ CommandProtocol, ProgressTracker (events dropped)',
      p.read_protocol_tracker_us.toFixed(2),
      (p.read_protocol_tracker_us - p.read_parse_us).toFixed(2),
    ],
    pw,
  );
  line(['ProgressTracker.emit alone (what code pipelines pay)', p.tracker_only_us.toFixed(2), ''], pw);
  console.log(`  protocol path without the sink − tracker alone: ${(p.read_protocol_tracker_us - p.tracker_only_us).toFixed(2)} µs/line`);

  const l = r.latency;
  console.log(
    `\ncommand: latency print → reader's XREAD BLOCK (ms; ${PACED_RATE} events/s for ${PACED_SECONDS} s, ${x.samples} samples each)`,
  );
  const lw = [54, 9, 9];
  line(['', 'p50', 'p99'], lw);
  line(['code pipeline, in-process (baseline)', l.code.p50_ms.toFixed(2), l.code.p99_ms.toFixed(2)], lw);
  line(['command, default cap (flood.py paced)', l.command.p50_ms.toFixed(2), l.command.p99_ms.toFixed(2)], lw);
  line(['added by the line protocol (command − code)', l.added.p50_ms.toFixed(2), l.added.p99_ms.toFixed(2)], lw);
  console.log(
    `  Python's clock − Bun's: ${r.clock_offset_ms.toFixed(3)} ms (best round trip ${x.clockRttMs.toFixed(3)} ms), added back to the command samples`,
  );
}
