// Roles on a real API process started with HEADWAY_TOKENS_FILE and API_TOKEN: a viewer reads, an
// operator also runs, cancels and retries, an admin also gets Bull Board; each refusal is a 403
// FORBIDDEN naming the role needed (401 without a token), sessions carry the name and role, and
// runs, cancels and retries record the token's name in the job, its stream and `headway`'s output.
import { writeFileSync } from 'node:fs';
import type { JobEventsPage, StatusEvent } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../support/call-api.ts';
import { type ProcessHandle, startApi } from '../support/processes.ts';
import { startStack, type TestStack } from '../support/test-stack.ts';
import { bearerOf, TEST_TOKENS, tokenEntry, writeTokensFile } from '../support/tokens-file.ts';
import { until } from '../support/until.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

const API_TOKEN = 'the-old-shared-token';
let stack: TestStack;
let api: ProcessHandle & { url: string };
let env: Record<string, string>;
const clients: ProgressClient[] = [];

beforeAll(async () => {
  stack = await startStack({ prefix: 'roles', api: false, workers: 1 });
  ({ env } = stack);
  api = await stack.startApi({ API_TOKEN, HEADWAY_TOKENS_FILE: writeTokensFile(stack.dir) });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await stack?.stop();
});

const as = (name: keyof typeof TEST_TOKENS) => bearerOf(name);
const admin = { authorization: `Bearer ${API_TOKEN}` };
const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  callApi(api.url, method, path, { headers, body });
const raw = (method: string, path: string, headers: Record<string, string>) => fetch(api.url + path, { method, headers });

function socket(path: string, headers: Record<string, string>): ProgressClient {
  const client = new ProgressClient(wsUrl(api.url, path), headers);
  clients.push(client);
  return client;
}

const forbidden = (need: string, name: string, role: string) => ({
  error: { code: 'FORBIDDEN', message: `This needs the ${need} role; ${name} is ${role === 'viewer' ? 'a' : 'an'} ${role}` },
});

async function statusesOf(jobId: string): Promise<[string, string | undefined][]> {
  const page = (await call('GET', `/api/jobs/${jobId}/events?kind=status`, as('vera'))).body as JobEventsPage;
  return page.entries.map(({ event }) => [(event as StatusEvent).status, (event as StatusEvent).reason]);
}

describe('HEADWAY_TOKENS_FILE', () => {
  it('keeps the API from starting when an entry is wrong, naming the entry and its field', async () => {
    const cases: [unknown, RegExp][] = [
      [
        [{ name: 'vera', role: 'boss', sha256: 'a'.repeat(64) }],
        /entry 0 \("vera"\), field role: must be one of viewer, operator, admin; got "boss"/,
      ],
      [[{ name: 'vera', role: 'viewer', sha256: 'not-hex' }], /entry 0 \("vera"\), field sha256: must be the 64 hex digits/],
      [[{ name: 'vera', role: 'viewer', sha256: 'a'.repeat(64), token: 'x' }], /entry 0 \("vera"\), field token: is not a field/],
      [[{ name: 'admin', role: 'viewer', sha256: 'b'.repeat(64) }], /entry 0 \("admin"\), field name: "admin" is used twice \(API_TOKEN/],
      [{ vera: 'viewer' }, /must be a JSON array of \{ name, role, sha256 \}/],
    ];
    for (const [entries, message] of cases) {
      const file = writeTokensFile(stack.dir, entries);
      const started = startApi({ ...env, API_TOKEN, HEADWAY_TOKENS_FILE: file });
      await expect(started).rejects.toThrow(/api exited with 1 before it was ready/);
      await expect(started).rejects.toThrow(message);
      await expect(started).rejects.toThrow(file);
    }
  });
});

describe('HEADWAY_TOKENS_FILE changed while the API runs', () => {
  it('lets a person added in, shuts out one taken out (closing their socket 4401), applies a new role, and keeps the tokens over a file with a mistake', async () => {
    const file = writeTokensFile(stack.dir);
    const live = await stack.startApi({ API_TOKEN: '', HEADWAY_TOKENS_FILE: file });
    const status = async (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
      (await callApi(live.url, method, path, { headers, body })).status;
    const watching = new ProgressClient(wsUrl(live.url, '/ws/jobs'), as('vera'));
    clients.push(watching);
    await watching.waitFor((c) => c.messages.length > 0);
    expect(await status('GET', '/api/jobs', { authorization: 'Bearer hwt_nina-new' })).toBe(401);

    const entry = (name: keyof typeof TEST_TOKENS, role: string) => tokenEntry(name, role, TEST_TOKENS[name].token);
    writeFileSync(file, JSON.stringify([entry('olga', 'viewer'), entry('ada', 'admin'), tokenEntry('nina', 'viewer', 'hwt_nina-new')]));

    await until(
      () => status('GET', '/api/jobs', { authorization: 'Bearer hwt_nina-new' }),
      (code) => code === 200,
      10_000,
    );
    expect(await status('GET', '/api/jobs', as('vera'))).toBe(401);
    await watching.waitFor((c) => c.closed !== undefined, 10_000);
    expect(watching.closed).toEqual({ code: 4401, reason: 'unauthorized' });
    expect(watching.messages.at(-1)).toEqual({
      type: 'error',
      code: 'UNAUTHORIZED',
      message: 'The token or session this socket opened with is no longer valid: sign in again',
    });
    const run = await callApi(live.url, 'POST', '/api/jobs', { headers: as('olga'), body: { pipeline: 'literature-review' } });
    expect(run).toMatchObject({ status: 403, body: forbidden('operator', 'olga', 'viewer') });
    expect(await status('GET', '/admin/queues/api/queues', as('ada'))).toBe(200);
    expect(live.output()).toContain('HEADWAY_TOKENS_FILE read again: 3 tokens (added nina; removed vera; changed olga (viewer))');
    expect(live.output()).toContain('closed 1 socket(s) whose token was taken out or lost its role');

    writeFileSync(file, JSON.stringify([tokenEntry('nina', 'boss', 'hwt_nina-new')]));
    await until(
      async () => live.output(),
      (out) => out.includes('keeping the 3 tokens read before'),
      10_000,
    );
    expect(live.output()).toMatch(
      /entry 0 \("nina"\), field role: must be one of viewer, operator, admin; got "boss"; keeping the 3 tokens/,
    );
    expect(await status('GET', '/api/jobs', { authorization: 'Bearer hwt_nina-new' })).toBe(200);
    expect(await status('GET', '/api/jobs', as('ada'))).toBe(200);
    await live.stop();
  });
});

describe('each role on REST', () => {
  it('lets a viewer list, read and watch but not run, cancel, retry or share: 403 naming the operator role', async () => {
    expect((await call('GET', '/api/jobs', as('vera'))).status).toBe(200);
    expect((await call('GET', '/api/pipelines', as('vera'))).status).toBe(200);
    const job = await call('POST', '/api/jobs', as('olga'), { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 0 } });
    expect(job.status).toBe(201);
    expect((await call('GET', `/api/jobs/${job.body.id}`, as('vera'))).status).toBe(200);
    for (const [method, path] of [
      ['POST', '/api/jobs'],
      ['POST', `/api/jobs/${job.body.id}/cancel`],
      ['POST', `/api/jobs/${job.body.id}/retry`],
      ['POST', `/api/jobs/${job.body.id}/share`],
    ] as const) {
      const res = await call(method, path, as('vera'), {});
      expect(res.status, path).toBe(403);
      expect(res.body, path).toEqual(forbidden('operator', 'vera', 'viewer'));
    }
    // Refused before anything ran: the job was not cancelled, no second job was made.
    expect((await call('GET', '/api/jobs', as('vera'))).body.total).toBe(1);
  });

  it('answers 401 without a token or with an unknown one, as before roles', async () => {
    for (const headers of [{}, { authorization: 'Bearer hwt_nobody' }] as Record<string, string>[]) {
      const res = await call('GET', '/api/jobs', headers);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
  });

  it('keeps Bull Board, its page and its API, to admins: API_TOKEN is one, operators and viewers get 403', async () => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/api/redis/stats']) {
      for (const name of ['vera', 'olga'] as const) {
        const res = await raw('GET', path, as(name));
        expect(res.status, `${path} as ${name}`).toBe(403);
        expect(await res.json()).toEqual(forbidden('admin', name, TEST_TOKENS[name].role));
      }
      expect((await raw('GET', path, as('ada'))).status, path).toBe(200);
      expect((await raw('GET', path, admin)).status, path).toBe(200);
    }
    // A write of Bull Board's: refused for an operator, and the queue is not paused.
    const pause = await raw('PUT', '/admin/queues/api/queues/pipelines/pause', as('olga'));
    expect(pause.status).toBe(403);
    const queues = (await (await raw('GET', '/admin/queues/api/queues', as('ada'))).json()) as { queues: { isPaused: boolean }[] };
    expect(queues.queues.map((q) => q.isPaused)).toEqual([false]);
  });

  it('signs in for a session cookie that carries the name and role, and is refused what the role cannot do', async () => {
    const signIn = await fetch(`${api.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TEST_TOKENS.vera.token }),
    });
    expect(signIn.status).toBe(204);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    expect(await (await raw('GET', '/api/session', { cookie })).json()).toEqual({
      tokenRequired: true,
      signedIn: true,
      name: 'vera',
      role: 'viewer',
    });
    expect((await raw('GET', '/api/jobs', { cookie })).status).toBe(200);
    const run = await call('POST', '/api/jobs', { cookie }, { pipeline: 'literature-review' });
    expect(run.body).toEqual(forbidden('operator', 'vera', 'viewer'));
    expect((await raw('GET', '/admin/queues', { cookie })).status).toBe(403);
    expect(await (await raw('GET', '/api/session', admin)).json()).toEqual({
      tokenRequired: true,
      signedIn: true,
      name: 'admin',
      role: 'admin',
    });

    // Signing out ends the session, and closes the sockets it opened.
    const list = socket('/ws/jobs', { cookie });
    await list.waitFor((c) => c.messages.some((m) => (m as { type: string }).type === 'jobs'), 10_000);
    expect((await raw('DELETE', '/api/session', { cookie, 'content-type': 'application/json' })).status).toBe(204);
    await list.waitFor((c) => c.closed !== undefined, 5_000);
    expect(list.closed).toEqual({ code: 4401, reason: 'unauthorized' });
    expect((await raw('GET', '/api/jobs', { cookie })).status).toBe(401);
  });
});

describe('each role on sockets', () => {
  it('opens the job list and a job’s progress for a viewer, and closes them with 4401 without a token', async () => {
    const list = socket('/ws/jobs', as('vera'));
    await list.waitFor((c) => c.messages.some((m) => (m as { type: string }).type === 'jobs'), 10_000);
    for (const path of ['/ws/jobs', '/ws/jobs/1/progress']) {
      const refused = socket(path, { authorization: 'Bearer hwt_nobody' });
      await refused.waitFor((c) => c.closed !== undefined, 10_000);
      expect(refused.closed?.code, path).toBe(4401);
    }
  });
});

describe('who did it', () => {
  it('records who ran, cancelled and retried a job: in its data, its stream and its page', async () => {
    const run = await call('POST', '/api/jobs', as('olga'), { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 300 } });
    expect(run.status).toBe(201);
    const id = run.body.id as string;
    const watcher = socket(`/ws/jobs/${id}/progress`, as('vera'));
    await watcher.waitFor((c) => c.events.some((e) => e.event.kind === 'progress'), 30_000);

    const cancel = await call('POST', `/api/jobs/${id}/cancel`, as('olga'));
    expect(cancel.status).toBe(202);
    await watcher.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'), 30_000);
    // The stream says it first; BullMQ moves the job to failed a moment later.
    const cancelled = await until(
      async () => (await call('GET', `/api/jobs/${id}`, as('vera'))).body,
      (job) => job.status === 'cancelled',
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', failedReason: 'Cancelled: by olga', runBy: 'olga', cancelledBy: 'olga' });
    expect(await statusesOf(id)).toEqual([
      ['active', 'run by olga'],
      ['cancelled', 'by olga'],
    ]);

    const retry = await call('POST', `/api/jobs/${id}/retry`, as('ada'));
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ runBy: 'olga', cancelledBy: 'olga', retriedBy: 'ada' });
    const again = await call('POST', `/api/jobs/${id}/cancel`, as('olga'), { reason: 'wrong corpus' });
    expect([200, 202]).toContain(again.status);
    const statuses = await until(
      () => statusesOf(id),
      (list) => list.at(-1)?.[0] === 'cancelled' && list.length > 2,
    );
    // Attempt 2 may have started before the second cancel reached it (an `active` of its own, with no name: it was not run anew).
    expect(statuses.filter(([status, reason]) => status !== 'active' || reason)).toEqual([
      ['active', 'run by olga'],
      ['cancelled', 'by olga'],
      ['retrying', 'Retried by ada: back in the queue for attempt 2'],
      ['cancelled', 'by olga: wrong corpus'],
    ]);
  });

  it('shows who ran and who cancelled in `headway watch`', async () => {
    const run = await call('POST', '/api/jobs', as('olga'), { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 300 } });
    const id = run.body.id as string;
    await until(
      () => statusesOf(id),
      (statuses) => statuses.length === 1,
    );
    expect((await call('POST', `/api/jobs/${id}/cancel`, as('olga'))).status).toBe(202);
    const proc = Bun.spawn([process.execPath, 'apps/cli/src/main.ts', 'watch', id], {
      env: { ...process.env, HEADWAY_API_URL: api.url, NO_COLOR: '1', HEADWAY_API_TOKEN: TEST_TOKENS.vera.token },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const [code, stdout] = await Promise.all([proc.exited, new Response(proc.stdout).text()]);
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toContain('▶ run by olga');
    expect(lines.at(-1)).toMatch(new RegExp(`^✘ job ${id} cancelled at .*: by olga$`));
  });
});
