// Command pipelines with real programs (python3 from the machine) run by a real worker process:
// the shipped Python orchestrator followed by a viewer, cancels that stop a whole process group,
// programs that misbehave beside a job that must not notice, and configs with mistakes.
import { readdirSync, readFileSync } from 'node:fs';
import type { JobSummary, LogEvent, PipelineInfo, ProgressEvent, StatusEvent } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProcessHandle, startApi, startWorker } from '../support/processes.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

const PREFIX = 'command';
const CONFIG = 'tests/support/test-pipelines.config.ts';
let stack: TestStack;
let api: ApiProcess;
let worker: ProcessHandle;
/** What this file's API and worker run with; the tests start others on prefixes of their own. */
let env: Record<string, string>;
const clients: ProgressClient[] = [];
const others: ProcessHandle[] = [];

beforeAll(async () => {
  // One worker running two jobs at a time: a misbehaving program and its neighbour share it.
  stack = await startStack({ prefix: PREFIX, env: { HEADWAY_CONFIG: CONFIG }, workers: 1, worker: { WORKER_CONCURRENCY: '2' } });
  ({ api, worker, env } = stack);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await Promise.all(others.map((p) => p.stop()));
  await stack?.stop();
});

async function createJob(pipeline: string, input: object, apiUrl = api.url): Promise<JobSummary> {
  const res = await fetch(`${apiUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pipeline, input }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as JobSummary;
}

async function watch(job: JobSummary, apiUrl = api.url): Promise<ProgressClient> {
  const client = new ProgressClient(wsUrl(apiUrl, `/ws/jobs/${job.id}/progress?after=0`));
  clients.push(client);
  await client.opened;
  return client;
}

const ended = (c: ProgressClient) => c.messages.some((m) => m.type === 'job_complete');
const endStatus = (c: ProgressClient) => c.messages.flatMap((m) => (m.type === 'job_complete' ? [m.status] : []))[0];
const eventsOf = (c: ProgressClient) => c.events.map((e) => e.event);
const progressOf = (c: ProgressClient) => eventsOf(c).filter((e): e is ProgressEvent => e.kind === 'progress');
const logsOf = (c: ProgressClient) => eventsOf(c).filter((e): e is LogEvent => e.kind === 'log');
const statusesOf = (c: ProgressClient) => eventsOf(c).filter((e): e is StatusEvent => e.kind === 'status');
const failedReason = (c: ProgressClient) => statusesOf(c).find((e) => e.status === 'failed')?.reason;

/** Processes started for `jobId` by this file's worker (the program and its children), read from /proc. */
function processesOf(jobId: string, prefix = PREFIX): number[] {
  const marks = [`HEADWAY_JOB_ID=${jobId}\0`, `QUEUE_PREFIX=${prefix}\0`];
  return readdirSync('/proc').flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    try {
      const environ = readFileSync(`/proc/${name}/environ`, 'latin1');
      // A zombie has exited; it only waits for its parent to read its status.
      const state = readFileSync(`/proc/${name}/stat`, 'latin1').split(') ')[1]?.[0];
      return marks.every((m) => environ.includes(m)) && state !== 'Z' ? [Number(name)] : [];
    } catch {
      return [];
    }
  });
}

async function waitUntilGone(jobId: string, withinMs: number, prefix = PREFIX): Promise<number> {
  const started = performance.now();
  while (processesOf(jobId, prefix).length > 0) {
    if (performance.now() - started > withinMs) throw new Error(`processes of job ${jobId} still running: ${processesOf(jobId, prefix)}`);
    await Bun.sleep(20);
  }
  return performance.now() - started;
}

function expectWholeAndInOrder(client: ProgressClient) {
  const seqs = eventsOf(client).map((e) => e.seq);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  const percentages = progressOf(client).map((e) => e.percentage);
  for (let i = 1; i < percentages.length; i++) expect(percentages[i]).toBeGreaterThanOrEqual(percentages[i - 1]!);
}

describe('the python-orchestrator pipeline (examples/python)', () => {
  it('is listed by GET /api/pipelines with its six stages and input options', async () => {
    const pipelines = (await (await fetch(`${api.url}/api/pipelines`)).json()) as PipelineInfo[];
    const python = pipelines.find((p) => p.name === 'python-orchestrator');
    expect(pipelines.map((p) => p.name)).toEqual([
      'literature-review',
      'python-orchestrator',
      'misbehave',
      'fails-like-a-cancel',
      'fails-at-once',
      'seed-prints',
      'capped',
      'sleeps-long',
      'slowpoke',
    ]);
    expect(python?.stages.map((s) => s.name)).toEqual([
      'initialization',
      'judge',
      'deep_review',
      'gap_analysis',
      'visualization',
      'finalization',
    ]);
    expect(python?.stages.find((s) => s.name === 'gap_analysis')).toMatchObject({ label: 'Gap analysis', loops: true });
    const options = (python!.inputSchema as { properties: Record<string, { anyOf?: { const: string }[] }> }).properties;
    expect(Object.keys(options)).toEqual(['runMode', 'maxIterations', 'papers', 'paceMs', 'workers']);
    expect(options.runMode?.anyOf?.map((o) => o.const)).toEqual(['ONCE', 'DEEP_LOOP']);
  });

  it('in DEEP_LOOP mode: a viewer sees the six stages in order, the iteration counter advance, its logs (stderr as warn) and completed', async () => {
    const job = await createJob('python-orchestrator', { runMode: 'DEEP_LOOP', paceMs: 5 });
    const client = await watch(job);
    await client.waitFor(ended, 60_000);
    expect(endStatus(client)).toBe('completed');
    expectWholeAndInOrder(client);

    const progress = progressOf(client);
    const firstStarts = [...new Set(progress.filter((e) => e.phase === 'starting').map((e) => e.stage))];
    expect(firstStarts).toEqual(['initialization', 'judge', 'deep_review', 'gap_analysis', 'visualization', 'finalization']);
    const completes = progress.filter((e) => e.phase === 'complete').map((e) => e.stage);
    expect(new Set(completes).size).toBe(6);
    const iterations = progress.filter((e) => e.stage === 'gap_analysis' && e.iteration).map((e) => e.iteration!);
    expect([...new Set(iterations)]).toEqual([1, 2, 3]);
    for (let i = 1; i < iterations.length; i++) expect(iterations[i]).toBeGreaterThanOrEqual(iterations[i - 1]!);
    expect(progress.some((e) => e.stage === 'judge' && e.phase === 'running' && (e.stageProgress ?? 0) > 0)).toBe(true);
    expect(progress.at(-1)?.percentage).toBe(100);

    const logs = logsOf(client);
    // print() lines are info, stderr lines are warn, each under the stage that printed it.
    expect(logs.some((l) => l.level === 'info' && /^Found \d+ gaps? in pillar/.test(l.message) && l.stage === 'gap_analysis')).toBe(true);
    expect(logs.some((l) => l.level === 'warn' && /P7 has no abstract/.test(l.message) && l.stage === 'judge')).toBe(true);
    expect(logs.filter((l) => /line ignored/.test(l.message))).toEqual([]);
    expect(statusesOf(client).map((e) => e.status)).toEqual(['active', 'completed']);
  });

  it('cancelled mid-run: the Python process and the children it spawned are gone within the grace period; the job ends cancelled', async () => {
    const job = await createJob('python-orchestrator', { runMode: 'DEEP_LOOP', paceMs: 200, workers: 2 });
    const client = await watch(job);
    // Judge works on the papers in a pool of child processes.
    await client.waitFor((c) => progressOf(c).some((e) => e.stage === 'judge' && (e.stageProgress ?? 0) > 0), 30_000);
    const pids = processesOf(job.id);
    expect(pids.length).toBeGreaterThanOrEqual(3);

    const res = await fetch(`${api.url}/api/jobs/${job.id}/cancel`, { method: 'POST' });
    expect(res.status).toBe(202);
    const goneAfter = await waitUntilGone(job.id, 5_000);
    await client.waitFor(ended, 5_000);
    expect(endStatus(client)).toBe('cancelled');
    // SIGTERM is enough for Python: nothing waited for the 5 s SIGKILL.
    expect(goneAfter).toBeLessThan(2_000);
    expect(statusesOf(client).map((e) => e.status)).toEqual(['active', 'cancelled']);
  });

  it('a program and a child that ignore SIGTERM are killed with SIGKILL after the grace period (1 s for misbehave)', async () => {
    const job = await createJob('misbehave', { mode: 'ignore-term' });
    const client = await watch(job);
    await client.waitFor((c) => logsOf(c).some((l) => l.message.startsWith('pids ')), 15_000);
    const pids = logsOf(client)
      .find((l) => l.message.startsWith('pids '))!
      .message.split(' ')
      .slice(1)
      .map(Number);
    expect(processesOf(job.id).sort()).toEqual(pids.sort());

    await fetch(`${api.url}/api/jobs/${job.id}/cancel`, { method: 'POST' });
    const goneAfter = await waitUntilGone(job.id, 4_000);
    expect(goneAfter).toBeGreaterThan(800);
    await client.waitFor(ended, 5_000);
    expect(endStatus(client)).toBe('cancelled');
  });
});

describe('a misbehaving program', () => {
  /** Runs `mode` beside a well-behaved job on the same worker; both must end, the neighbour untouched. */
  async function besideNeighbour(mode: string) {
    const neighbourJob = await createJob('misbehave', { mode: 'steady' });
    const neighbour = await watch(neighbourJob);
    await neighbour.waitFor((c) => progressOf(c).length > 0, 15_000);
    const client = await watch(await createJob('misbehave', { mode }));
    await Promise.all([client.waitFor(ended, 30_000), neighbour.waitFor(ended, 30_000)]);

    expect(endStatus(neighbour)).toBe('completed');
    expectWholeAndInOrder(neighbour);
    const running = progressOf(neighbour).filter((e) => e.phase === 'running');
    expect(running.map((e) => e.message)).toEqual(['one', 'two'].flatMap((s) => [...Array(10)].map((_, i) => `${s} ${i + 1}/10`)));
    expect(logsOf(neighbour).filter((l) => l.level !== 'info')).toEqual([]);
    expect(worker.proc.exitCode).toBeNull();
    expectWholeAndInOrder(client);
    return client;
  }

  it('exits 3: the job fails naming the code and the last lines of standard error', async () => {
    const client = await besideNeighbour('exit3');
    expect(endStatus(client)).toBe('failed');
    expect(failedReason(client)).toBe(
      'python3 exited with code 3; its last lines on standard error:\nabout to fail\nboom: the corpus file is missing',
    );
    expect(
      logsOf(client)
        .filter((l) => l.level === 'warn')
        .map((l) => l.message),
    ).toEqual(['about to fail', 'boom: the corpus file is missing']);
    expect(progressOf(client).at(-1)).toMatchObject({ stage: 'one', phase: 'error' });
  });

  it('is killed by a signal: the job fails naming the signal', async () => {
    const client = await besideNeighbour('signal');
    expect(endStatus(client)).toBe('failed');
    expect(failedReason(client)).toBe('python3 was killed by SIGKILL');
  });

  it('prints a 10 MB line: it is cut to 64 KB with a warning, and the lines after it still arrive', async () => {
    const client = await besideNeighbour('hugeline');
    expect(endStatus(client)).toBe('completed');
    const logs = logsOf(client);
    const warning = logs.findIndex((l) => l.message === 'A line of 10485760 bytes was cut to its first 65536 bytes');
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(logs[warning + 1]?.message).toMatch(/^x{1000}/);
    expect(logs.some((l) => l.message === 'after the huge line' && l.stage === 'two')).toBe(true);
  });

  it('prints invalid UTF-8 and malformed commands: each becomes a warning that names the problem, and the job completes', async () => {
    const client = await besideNeighbour('garbage');
    expect(endStatus(client)).toBe('completed');
    const messages = logsOf(client).map((l) => `${l.level} ${l.message}`);
    expect(messages).toContain('info caf\uFFFD \uFFFD\uFFFD bytes');
    const warnings = messages.filter((m) => m.startsWith('warn '));
    expect(warnings).toEqual([
      expect.stringMatching(/^warn `::progress` needs one JSON object on the line: .*line ignored: ::progress \{"stageProgress": 0\.5$/),
      expect.stringMatching(/^warn `::progress` \/stageProgress: .*1; line ignored/),
      `warn \`::stage\`: pipeline "misbehave" in ${CONFIG} declares no stage "nope" (its stages: one, two); line ignored`,
      'warn unknown command `::bogus` (known: ::stage, ::progress, ::log, ::artifact); line ignored: ::bogus hello',
      'warn `::log` level "loud" is not one of debug, info, warn, error; line ignored: ::log loud hello',
    ]);
    expect(progressOf(client).find((e) => e.message === 'half way')).toMatchObject({ stage: 'two', stageProgress: 0.5 });
  });
  it('prints faster than its maxLinesPerSecond (1000): it is slowed down to that rate and nothing is dropped', async () => {
    const client = await watch(await createJob('capped', {}));
    await client.waitFor(ended, 20_000);
    expect(endStatus(client)).toBe('completed');
    expectWholeAndInOrder(client);
    const flood = progressOf(client).filter((e) => e.phase === 'running');
    expect(flood).toHaveLength(2500);
    expect(flood.map((e) => e.stageProgress)).toEqual(flood.map((_, i) => Number(((i + 1) / 2500).toFixed(6))));
    // 2500 lines at 1000 a second: at least the two full seconds after the first thousand.
    const spanMs = Date.parse(flood.at(-1)!.ts) - Date.parse(flood[0]!.ts);
    expect(spanMs).toBeGreaterThanOrEqual(1900);
  });

  it('runs past its timeoutSeconds: the job fails saying so, and its processes are gone after the grace period', async () => {
    const job = await createJob('slowpoke', {});
    const client = await watch(job);
    await client.waitFor(ended, 10_000);
    expect(endStatus(client)).toBe('failed');
    expect(failedReason(client)).toBe('python3 ran longer than its 1 s timeout');
    expect(progressOf(client).at(-1)).toMatchObject({ stage: 'one', phase: 'error' });
    expect(processesOf(job.id)).toEqual([]);
  });
});

describe('a program that prints the seed’s `[stage] message` lines, unchanged (bracketStages)', () => {
  it('moves through the stages they name, and logs the rest', async () => {
    const client = await watch(await createJob('seed-prints', {}));
    await client.waitFor(ended, 15_000);
    expect(endStatus(client)).toBe('completed');
    expectWholeAndInOrder(client);
    const progress = progressOf(client).map((e) => `${e.stage} ${e.phase}: ${e.message}`);
    expect(progress).toEqual([
      'one starting: Loading definitions...',
      'one running: Loaded 5 pillar definitions',
      'one complete: One: done',
      'two starting: Running Judge to validate claims...',
      'two running: Claims validated',
      'two complete: Two: done',
    ]);
    expect(logsOf(client).map((l) => `${l.level} ${l.stage} ${l.message}`)).toEqual(['info one [other] not a stage']);
  });
});

describe('a code pipeline from the same config', () => {
  it('whose error reads like a cancel’s reason ends failed, not cancelled', async () => {
    const job = await createJob('fails-like-a-cancel', {});
    const client = await watch(job);
    await client.waitFor(ended, 15_000);
    expect(endStatus(client)).toBe('failed');
    expect(failedReason(client)).toBe('Failed: Cancelled: by the upstream service');
    // The stream tells the end before BullMQ has moved the job to its failed set.
    const status = async () => ((await (await fetch(`${api.url}/api/jobs/${job.id}`)).json()) as JobSummary).status;
    await expect.poll(status, { timeout: 5_000 }).toBe('failed');
  });
});

describe('a worker killed with SIGKILL while its program runs', () => {
  it('leaves no orphan: the program stops at its next print (its output pipe is gone)', async () => {
    const crashEnv = { ...env, QUEUE_PREFIX: `${PREFIX}-crash` };
    const [crashApi, doomed] = await Promise.all([startApi(crashEnv), startWorker(crashEnv)]);
    others.push(crashApi);
    const job = await createJob('misbehave', { mode: 'steady' }, crashApi.url);
    const client = await watch(job, crashApi.url);
    await client.waitFor((c) => progressOf(c).length > 0, 15_000);
    expect(processesOf(job.id, crashEnv.QUEUE_PREFIX)).toHaveLength(1);

    await doomed.stop('SIGKILL');
    // steady prints every 100 ms.
    await waitUntilGone(job.id, 1_000, crashEnv.QUEUE_PREFIX);
  });
});

describe('a config with a mistake', () => {
  it('with two pipelines of one name: the worker refuses to start, naming the file and the pipeline', async () => {
    const config = 'tests/support/configs/duplicate-name.config.ts';
    const error = await startWorker({ ...env, HEADWAY_CONFIG: config }).then(
      (handle) => {
        others.push(handle);
        return undefined;
      },
      (e: Error) => e.message,
    );
    expect(error).toContain(`${config}: pipeline "literature-review": two pipelines have this name`);
  });

  it('with a missing program: the worker says so at start, and a job of it fails naming the file and the pipeline', async () => {
    const config = 'tests/support/configs/missing-program.config.ts';
    const ghostEnv = { ...env, QUEUE_PREFIX: `${PREFIX}-ghost`, HEADWAY_CONFIG: config };
    const [ghostApi, ghostWorker] = await Promise.all([startApi(ghostEnv), startWorker(ghostEnv)]);
    others.push(ghostApi, ghostWorker);
    const problem = `pipeline "ghost" in ${config}: program "headway-no-such-program" was not found on PATH`;
    expect(ghostWorker.output()).toContain(problem);

    const client = await watch(await createJob('ghost', {}, ghostApi.url), ghostApi.url);
    await client.waitFor(ended, 15_000);
    expect(endStatus(client)).toBe('failed');
    expect(failedReason(client)).toBe(problem);
    // Its other pipelines still run.
    const review = await watch(await createJob('literature-review', { runMode: 'ONCE', paceMs: 0 }, ghostApi.url), ghostApi.url);
    await review.waitFor(ended, 30_000);
    expect(endStatus(review)).toBe('completed');
  });
});
