// The `headway` terminal client as a user's script runs it: a child process whose output is a
// pipe, against a real Redis, API and worker. It prints every stage and every log line exactly
// once, exits with the job's outcome, and rides out an API killed and restarted mid-job.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogEvent } from '@headway/progress';
import { literatureReview } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLine } from '../../apps/cli/src/job-lines.ts';
import { freePort } from '../support/redis-server.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

const root = join(import.meta.dirname, '../..');
const LOG_LINE = /^\d\d:\d\d:\d\d (DEBUG|INFO |WARN |ERROR) /;

let stack: TestStack;
let api: ApiProcess;
let dir: string;

beforeAll(async () => {
  // A fixed port, so that the API restarted below is where the client left it.
  stack = await startStack({ prefix: 'cli', api: { PORT: String(await freePort()) }, workers: 1, worker: { WORKER_CONCURRENCY: '2' } });
  ({ api, dir } = stack);
});

afterAll(() => stack?.stop());

/** Runs `headway …` with its output piped; `output()` reads standard output so far. */
function headway(...args: string[]) {
  const proc = Bun.spawn([process.execPath, 'apps/cli/src/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, HEADWAY_API_URL: api.url, NO_COLOR: '' },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let stdout = '';
  const decoder = new TextDecoder();
  const pumped = (async () => {
    for await (const chunk of proc.stdout as unknown as AsyncIterable<Uint8Array>) stdout += decoder.decode(chunk);
  })();
  const result = (async () => {
    const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text(), pumped]);
    return { code, stdout, stderr };
  })();
  return { proc, result, output: () => stdout };
}

function inputFile(name: string, input: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(input));
  return path;
}

/** The job's whole history from a fresh socket with after=0, once it has ended. */
async function history(jobId: string): Promise<LogEvent[]> {
  const client = new ProgressClient(wsUrl(api.url, `/ws/jobs/${jobId}/progress?after=0`));
  await client.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'));
  client.close();
  const seqs = client.events.map((e) => e.event.seq);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  return client.events.map((e) => e.event).filter((e): e is LogEvent => e.kind === 'log');
}

const jobIdOf = (stdout: string) => stdout.match(/^job (\S+) /m)?.[1] ?? '';

/** Every log line of the job is printed, and none twice. */
async function expectEachLogLineOnce(stdout: string) {
  const logs = await history(jobIdOf(stdout));
  expect(logs.length).toBeGreaterThan(20);
  const printed = stdout.split('\n').filter((line) => LOG_LINE.test(line));
  expect(printed.sort()).toEqual(logs.map((event) => logLine(event, false)).sort());
  expect(stdout).not.toMatch(/could not be replayed/);
}

describe('headway (terminal client)', () => {
  it('run: follows a job to the end, prints every stage and log line once, exits 0', async () => {
    const input = inputFile('once.json', { runMode: 'ONCE', paceMs: 2 });
    const { code, stdout, stderr } = await headway('run', 'literature-review', '--input', input).result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const stage of literatureReview.stages) expect(stdout).toMatch(new RegExp(`── ${stage.name} · ${stage.label} `));
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^✔ job \S+ completed · 100 %/);
    // The files the run published, each once, as they were stored.
    expect(stdout.match(/^▣ Artifact report\.md "Literature review report" \([\d.]+ KB, text\/markdown; charset=utf-8\)$/gm)).toHaveLength(
      1,
    );
    expect(stdout).toMatch(/^▣ Artifact summary\.md /m);
    // Not a terminal: no status line redrawn in place.
    expect(stdout).not.toContain('\r');
    await expectEachLogLineOnce(stdout);
  });

  it('run: an invalid input exits 2 and names the field, from the API’s 422', async () => {
    const input = inputFile('bad.json', { runMode: 'SOMETIMES' });
    const { code, stdout, stderr } = await headway('run', 'literature-review', '--input', input).result;
    expect(code).toBe(2);
    expect(stderr).toMatch(/runMode/);
    expect(stderr).toMatch(/SOMETIMES/);
    expect(stdout).toBe('');
  });

  it('pipelines: lists every pipeline the API declares, with its stages and input options, and exits 0', async () => {
    const { code, stdout, stderr } = await headway('pipelines').result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const blocks = stdout.trimEnd().split('\n\n');
    expect(blocks.map((b) => b.split('\n')[0])).toEqual([
      'literature-review · Literature review',
      'python-orchestrator · Python orchestrator',
    ]);
    expect(blocks[1]).toContain('  stages: initialization → judge → deep_review → gap_analysis (loops) → visualization → finalization');
    expect(blocks[1]).toContain('    papers: integer 1–500 (default 12)');
  });

  it('watch: an unknown job exits 2 with a message', async () => {
    const { code, stderr } = await headway('watch', '987654').result;
    expect(code).toBe(2);
    expect(stderr).toMatch(/No job with id "987654"/);
  });

  it('reconnects by itself when the API is killed and restarted mid-job, and still prints each log line once', async () => {
    const input = inputFile('slow.json', { runMode: 'DEEP_LOOP', paceMs: 25 });
    const cli = headway('run', 'literature-review', '--input', input);
    const deadline = Date.now() + 30_000;
    while (!/── deep_review /.test(cli.output())) {
      if (Date.now() > deadline) throw new Error(`the job did not reach deep_review:\n${cli.output()}`);
      await Bun.sleep(20);
    }
    api.proc.kill('SIGKILL');
    await api.proc.exited;
    await Bun.sleep(500);
    api = await stack.startApi();

    const { code, stdout, stderr } = await cli.result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.match(/^connection lost.*, reconnecting…$/gm)).toHaveLength(1);
    expect(stdout.match(/^reconnected$/gm)).toHaveLength(1);
    expect(stdout.indexOf('connection lost')).toBeLessThan(stdout.indexOf('── visualization'));
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^✔ job \S+ completed · 100 %/);
    await expectEachLogLineOnce(stdout);
  });
});
