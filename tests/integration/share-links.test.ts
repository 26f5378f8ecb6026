// Share links on real API processes: an operator makes one for a job; its token, as a Bearer
// header or as the cookie the link's page trades it for, reads that job (page, socket, events,
// logs, artifacts) and nothing else; an expired link and a revoked one (key rotated, in Redis or
// SHARE_KEY) are refused with a 401 saying which.
import { createRedis, type JobSummary, redisKeys } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShareLinks } from '../../apps/api/src/share-links.ts';
import { callApi, createJob } from '../support/call-api.ts';
import { type ProcessHandle, startApi } from '../support/processes.ts';
import type { RedisHandle } from '../support/redis-server.ts';
import { startStack, type TestStack } from '../support/test-stack.ts';
import { bearerOf, writeTokensFile } from '../support/tokens-file.ts';
import { until } from '../support/until.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

const PREFIX = 'share';
let stack: TestStack;
let redis: RedisHandle;
let api: ProcessHandle & { url: string };
let env: Record<string, string>;
let shared: JobSummary;
let other: JobSummary;
const clients: ProgressClient[] = [];

beforeAll(async () => {
  stack = await startStack({ prefix: PREFIX, api: false, workers: 1 });
  ({ redis, env } = stack);
  api = await stack.startApi({ HEADWAY_TOKENS_FILE: writeTokensFile(stack.dir) });
  const input = { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 0 } };
  [shared, other] = [await createJob(api.url, input, bearerOf('olga')), await createJob(api.url, input, bearerOf('olga'))];
  for (const job of [shared, other]) {
    await until(
      async () => (await callApi(api.url, 'GET', `/api/jobs/${job.id}`, { headers: bearerOf('vera') })).body.status,
      (status) => status === 'completed',
      30_000,
    );
  }
});

afterAll(async () => {
  for (const client of clients) client.close();
  await stack?.stop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function share(jobId: string, body: unknown = {}, headers = bearerOf('olga'), url = api.url) {
  return callApi(url, 'POST', `/api/jobs/${jobId}/share`, { headers, body });
}

function socket(path: string, headers: Record<string, string>): ProgressClient {
  const client = new ProgressClient(wsUrl(api.url, path), headers);
  clients.push(client);
  return client;
}

const closedWith = async (client: ProgressClient) => {
  await client.waitFor((c) => c.closed !== undefined, 10_000);
  return { code: client.closed!.code, messages: client.messages };
};

/** The job's routes a share link reads. */
const readRoutes = (id: string) => [
  `/api/jobs/${id}`,
  `/api/jobs/${id}/events`,
  `/api/jobs/${id}/logs`,
  `/api/jobs/${id}/artifacts`,
  `/api/jobs/${id}/artifacts.zip`,
  `/api/jobs/${id}/artifacts/report.md`,
];

describe('POST /api/jobs/:id/share', () => {
  it('answers 201 with the link, its token and when it expires: 7 days by default', async () => {
    const before = Date.now();
    const res = await share(shared.id);
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'token', 'url']);
    expect(res.body.token).toMatch(/^hws1\.[\w-]+\.[\w-]{43}$/);
    expect(res.body.url).toBe(`${api.url}/jobs/${shared.id}#share=${res.body.token}`);
    const expires = Date.parse(res.body.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 7 * 24 * 3600 * 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 7 * 24 * 3600 * 1000);
  });

  it('refuses more than 30 days with a 422 naming the field, a viewer with 403, and an unknown job with 404', async () => {
    const long = await share(shared.id, { expiresInSeconds: 30 * 24 * 3600 + 1 });
    expect(long.status).toBe(422);
    expect(long.body.error).toMatchObject({ code: 'VALIDATION', message: '/expiresInSeconds: an integer from 60 to 2592000 (30 days)' });
    expect((await share(shared.id, { expiresInSeconds: 30 * 24 * 3600 })).status).toBe(201);
    const viewer = await share(shared.id, {}, bearerOf('vera'));
    expect(viewer.status).toBe(403);
    expect(viewer.body.error).toEqual({ code: 'FORBIDDEN', message: 'This needs the operator role; vera is a viewer' });
    expect((await share('no-such-job')).status).toBe(404);
  });
});

describe('a share link’s token', () => {
  it('reads its job as a Bearer header: page data, events, logs, artifacts and the progress socket', async () => {
    const { token } = (await share(shared.id)).body;
    for (const path of readRoutes(shared.id)) {
      const res = await fetch(api.url + path, { headers: bearer(token) });
      expect(res.status, path).toBe(200);
    }
    const viewer = socket(`/ws/jobs/${shared.id}/progress`, bearer(token));
    await viewer.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'), 10_000);
    expect(viewer.messages[0]).toMatchObject({ type: 'initial_status', job: { id: shared.id, status: 'completed' } });
  });

  it('reads nothing else: not the list, not another job, no action, no Bull Board (403), and sockets close with 4403', async () => {
    const { token } = (await share(shared.id)).body;
    const eventsBefore = await callApi(api.url, 'GET', `/api/jobs/${shared.id}/events`, { headers: bearerOf('vera') });
    const refused: [string, string][] = [
      ['GET', '/api/jobs'],
      ['GET', '/api/pipelines'],
      ['POST', '/api/jobs'],
      ['POST', `/api/jobs/${shared.id}/retry`],
      ['POST', `/api/jobs/${shared.id}/cancel`],
      ['POST', `/api/jobs/${shared.id}/share`],
      ['GET', '/admin/queues'],
      ['GET', '/admin/queues/api/queues'],
      ...readRoutes(other.id).map((path): [string, string] => ['GET', path]),
    ];
    for (const [method, path] of refused) {
      const res = await fetch(api.url + path, { method, headers: bearer(token) });
      expect(res.status, `${method} ${path}`).toBe(403);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toMatch(new RegExp(`^This share link reads only job ${shared.id}, not `));
    }
    // The retry that was refused left the job as it was.
    expect(await callApi(api.url, 'GET', `/api/jobs/${shared.id}/events`, { headers: bearerOf('vera') })).toMatchObject({
      status: 200,
      body: eventsBefore.body,
    });
    for (const path of ['/ws/jobs', `/ws/jobs/${other.id}/progress`]) {
      const { code, messages } = await closedWith(socket(path, bearer(token)));
      expect(code, path).toBe(4403);
      expect(messages, path).toEqual([
        { type: 'error', code: 'FORBIDDEN', message: expect.stringMatching(/^This share link reads only job/) },
      ]);
    }
  });

  it('is traded for a cookie that reads the job until the link expires, and tells the dashboard which job', async () => {
    const link = (await share(shared.id, { expiresInSeconds: 3600 })).body;
    const signIn = await fetch(`${api.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: link.token }),
    });
    expect(signIn.status).toBe(204);
    const setCookie = signIn.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^headway_session=hws1\.[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=(\d+)/);
    expect(Number(/Max-Age=(\d+)/.exec(setCookie)![1])).toBeGreaterThan(3590);
    expect(Number(/Max-Age=(\d+)/.exec(setCookie)![1])).toBeLessThanOrEqual(3600);
    const cookie = { cookie: setCookie.split(';')[0]! };
    expect(await (await fetch(`${api.url}/api/session`, { headers: cookie })).json()).toEqual({
      tokenRequired: true,
      signedIn: true,
      share: { jobId: shared.id, expiresAt: link.expiresAt },
    });
    expect((await fetch(`${api.url}/api/jobs/${shared.id}`, { headers: cookie })).status).toBe(200);
    expect((await fetch(`${api.url}/api/jobs/${other.id}`, { headers: cookie })).status).toBe(403);
    expect((await fetch(`${api.url}/api/jobs`, { headers: cookie })).status).toBe(403);
  });

  it('is refused once expired, with a 401 saying when, for REST, signing in and sockets', async () => {
    const connection = createRedis(redis.url, 'blocking');
    const token = await new ShareLinks(connection, redisKeys(PREFIX)).sign({ jobId: shared.id, expiresAt: Date.now() - 2000 });
    connection.disconnect();
    const message = expect.stringMatching(/^This share link expired at \d{4}-\d\d-\d\dT[\d:.]+Z; ask whoever shared it for a new one$/);
    const res = await callApi(api.url, 'GET', `/api/jobs/${shared.id}`, { headers: bearer(token) });
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED', message } } });
    const signIn = await callApi(api.url, 'POST', '/api/session', { body: { token } });
    expect(signIn).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED', message } } });
    const { code, messages } = await closedWith(socket(`/ws/jobs/${shared.id}/progress`, bearer(token)));
    expect(code).toBe(4401);
    expect(messages).toEqual([{ type: 'error', code: 'UNAUTHORIZED', message }]);
  });

  it('is revoked, with every other link, when an admin rotates the key, closing its open sockets; links made afterwards work', async () => {
    const old = (await share(shared.id)).body.token;
    const watching = socket(`/ws/jobs/${shared.id}/progress`, bearer(old));
    await watching.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'), 10_000);
    const operator = await callApi(api.url, 'DELETE', '/api/share-links', { headers: bearerOf('olga') });
    expect(operator.body.error).toEqual({ code: 'FORBIDDEN', message: 'This needs the admin role; olga is an operator' });
    expect((await fetch(`${api.url}/api/jobs/${shared.id}`, { headers: bearer(old) })).status).toBe(200);

    const rotated = await fetch(`${api.url}/api/share-links`, { method: 'DELETE', headers: bearerOf('ada') });
    expect(rotated.status).toBe(204);
    const res = await callApi(api.url, 'GET', `/api/jobs/${shared.id}`, { headers: bearer(old) });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('This share link has been revoked, or was never valid; ask whoever shared it for a new one');
    expect(await closedWith(watching)).toMatchObject({ code: 4401 });
    expect(watching.messages.at(-1)).toEqual({ type: 'error', code: 'UNAUTHORIZED', message: res.body.error.message });
    const fresh = (await share(shared.id)).body.token;
    expect((await fetch(`${api.url}/api/jobs/${shared.id}`, { headers: bearer(fresh) })).status).toBe(200);
  });

  it('is signed with SHARE_KEY when it is set: another key revokes it, and the API cannot rotate it itself (409)', async () => {
    const start = (key: string) => startApi({ ...env, HEADWAY_TOKENS_FILE: writeTokensFile(stack.dir), SHARE_KEY: key });
    let keyed = await start('first key');
    try {
      const token = (await share(shared.id, {}, bearerOf('olga'), keyed.url)).body.token;
      expect((await fetch(`${keyed.url}/api/jobs/${shared.id}`, { headers: bearer(token) })).status).toBe(200);
      // The API with the key kept in Redis does not take it.
      expect((await fetch(`${api.url}/api/jobs/${shared.id}`, { headers: bearer(token) })).status).toBe(401);
      const rotate = await callApi(keyed.url, 'DELETE', '/api/share-links', { headers: bearerOf('ada') });
      expect(rotate.status).toBe(409);
      expect(rotate.body.error.message).toBe('Share links are signed with SHARE_KEY: change it and restart the API to revoke every link');
      await keyed.stop();
      keyed = await start('second key');
      expect((await fetch(`${keyed.url}/api/jobs/${shared.id}`, { headers: bearer(token) })).status).toBe(401);
    } finally {
      await keyed.stop();
    }
  });
});
