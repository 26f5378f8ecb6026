// API_TOKEN and ALLOWED_ORIGINS on a real API process: what needs the token and how it is given
// (Bearer header, or the cookie signing in sets), sockets closed with 4401, and requests from
// another site's pages refused whatever they carry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

const TOKEN = 'correct horse battery staple';
const ALLOWED = 'http://dashboard.example:8080';
let stack: TestStack;
let api: ApiProcess;

beforeAll(async () => {
  stack = await startStack({
    prefix: 'access',
    api: { API_TOKEN: TOKEN, ALLOWED_ORIGINS: `${ALLOWED}, http://other.example` },
    workers: 1,
  });
  ({ api } = stack);
});

afterAll(() => stack?.stop());

const bearer = { authorization: `Bearer ${TOKEN}` };
const get = (path: string, headers: Record<string, string> = {}) => fetch(api.url + path, { headers, redirect: 'manual' });

async function signIn(token: string) {
  return fetch(`${api.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
}

const socket = (path: string, headers: Record<string, string> = {}) => new ProgressClient(wsUrl(api.url, path), headers);

describe('with API_TOKEN set', () => {
  it('refuses REST calls and Bull Board without the token, with a 401 that says how to give it', async () => {
    for (const path of ['/api/jobs', '/api/pipelines', '/admin/queues']) {
      const res = await get(path);
      expect(res.status, path).toBe(401);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('UNAUTHORIZED');
      expect(body.error.message).toMatch(/Authorization: Bearer <API_TOKEN>/);
    }
    expect((await get('/api/jobs', { authorization: 'Bearer wrong' })).status).toBe(401);
  });

  it('answers with the token as a Bearer header', async () => {
    expect((await get('/api/jobs', bearer)).status).toBe(200);
    expect((await get('/api/pipelines', bearer)).status).toBe(200);
  });

  it('leaves the health check, the sign-in and the web app’s page open', async () => {
    expect((await get('/healthz')).status).toBe(200);
    expect(await (await get('/api/session')).json()).toEqual({ tokenRequired: true, signedIn: false });
    expect([200, 503]).toContain((await get('/')).status);
  });

  it('signs in with the token for an HttpOnly, SameSite=Strict session cookie that opens the API and Bull Board until signing out', async () => {
    const wrong = await signIn('nope');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe('That is not the API token');

    const res = await signIn(TOKEN);
    expect(res.status).toBe(204);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^headway_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+/);
    const cookie = setCookie.split(';')[0]!;
    // An opaque session id: the cookie does not carry the token.
    expect(decodeURIComponent(setCookie)).not.toContain(TOKEN);
    expect((await get('/api/jobs', { cookie })).status).toBe(200);
    expect((await get('/admin/queues', { cookie })).status).toBe(200);
    expect(await (await get('/api/session', { cookie })).json()).toEqual({
      tokenRequired: true,
      signedIn: true,
      name: 'admin',
      role: 'admin',
    });

    const out = await fetch(`${api.url}/api/session`, { method: 'DELETE', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^headway_session=; .*Max-Age=0/);
    // Ended on the server: a copy of the cookie kept elsewhere opens nothing any more.
    expect((await get('/api/jobs', { cookie })).status).toBe(401);
    expect((await get('/admin/queues', { cookie })).status).toBe(401);
  });

  it('closes a socket opened without the token with an error message and 4401, and serves one with it', async () => {
    for (const path of ['/ws/jobs', '/ws/jobs/1/progress']) {
      const refused = socket(path);
      await refused.waitFor((c) => c.closed !== undefined, 10_000);
      expect(refused.closed?.code, path).toBe(4401);
      expect(refused.messages).toEqual([{ type: 'error', code: 'UNAUTHORIZED', message: expect.stringMatching(/API token/) }]);
    }
    const list = socket('/ws/jobs', bearer);
    await list.waitFor((c) => c.messages.some((m) => (m as { type: string }).type === 'jobs'), 10_000);
    const unknown = socket('/ws/jobs/42/progress', bearer);
    await unknown.waitFor((c) => c.closed !== undefined, 10_000);
    expect(unknown.closed?.code).toBe(4404);
    list.close();
  });
});

describe('requests from other sites’ pages', () => {
  it('are refused with a 403 naming the origin, even with the token; the API’s own origin and ALLOWED_ORIGINS pass', async () => {
    const evil = { ...bearer, origin: 'http://evil.example' };
    const res = await fetch(`${api.url}/api/jobs/1/cancel`, { method: 'POST', headers: evil });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toEqual({
      code: 'FORBIDDEN',
      message: 'Requests from http://evil.example are not allowed; add it to ALLOWED_ORIGINS',
    });

    expect((await get('/api/jobs', { ...bearer, origin: ALLOWED })).status).toBe(200);
    expect((await get('/api/jobs', { ...bearer, origin: new URL(api.url).origin })).status).toBe(200);
  });

  it('cannot open a socket: the upgrade is refused before it opens', async () => {
    const hijack = socket('/ws/jobs', { ...bearer, origin: 'http://evil.example' });
    await expect(hijack.opened).rejects.toThrow(/could not connect/);
    await hijack.waitFor((c) => c.closed !== undefined, 10_000);
    expect(hijack.messages).toEqual([]);
    expect(hijack.closed?.code).not.toBe(1000);
    const allowed = socket('/ws/jobs', { ...bearer, origin: 'http://other.example' });
    await allowed.waitFor((c) => c.messages.length > 0, 10_000);
    expect((allowed.messages[0] as { type: string }).type).toBe('jobs');
    allowed.close();
  });
});

describe('the headway terminal client', () => {
  async function headway(args: string[], token?: string) {
    const proc = Bun.spawn([process.execPath, 'apps/cli/src/main.ts', ...args], {
      env: { ...process.env, HEADWAY_API_URL: api.url, NO_COLOR: '', HEADWAY_API_TOKEN: token ?? '' },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    return { code, stdout, stderr };
  }

  it('sends HEADWAY_API_TOKEN on its requests and its socket; without it, exits 2 saying so', async () => {
    const refused = await headway(['run', 'literature-review']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/needs its token[\s\S]*set HEADWAY_API_TOKEN to the API token/);
    const wrong = await headway(['run', 'literature-review'], 'wrong');
    expect(wrong.stderr).toMatch(/HEADWAY_API_TOKEN is not the API token/);

    const job = (await (
      await fetch(`${api.url}/api/jobs`, {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 0 } }),
      })
    ).json()) as { id: string };
    const blind = await headway(['watch', job.id]);
    expect(blind.code).toBe(2);
    expect(blind.stderr).toMatch(/API token.*set HEADWAY_API_TOKEN to the API token/);

    const watched = await headway(['watch', job.id], TOKEN);
    expect(watched.code).toBe(0);
    expect(watched.stdout.trimEnd().split('\n').at(-1)).toMatch(/^✔ job \S+ completed · 100 %/);
  });
});
