// Hostile requests at the access gate of a real API process: other host names (DNS rebinding),
// other spellings of a path, malformed cookies, stolen and signed-out sessions, guessing the
// token, too many sockets, cursors Redis cannot read, and pages that would frame the admin tools.
// Each answers with its exact status or close code, the API prints no stack trace, and a
// sentinel job's data is the same afterwards.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSentinel, type Sentinel } from '../support/sentinel.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

const TOKEN = 'abuse-token-9d2e';
const bearer = { authorization: `Bearer ${TOKEN}` };
const MAX_SOCKETS = 6;
let stack: TestStack;
let api: ApiProcess;
let port: number;
let sentinel: Sentinel;

beforeAll(async () => {
  stack = await startStack({
    prefix: 'abuse-access',
    api: {
      API_TOKEN: TOKEN,
      ALLOWED_ORIGINS: 'https://dashboard.example',
      ALLOWED_HOSTS: 'headway.internal',
      MAX_SOCKETS_PER_CLIENT: String(MAX_SOCKETS),
    },
    workers: 1,
  });
  ({ api } = stack);
  port = Number(new URL(api.url).port);
  sentinel = await createSentinel(api.url, bearer);
});

afterAll(async () => {
  try {
    expect(api.output()).not.toMatch(/\n\s+at |TypeError|URIError|RangeError/);
  } finally {
    await stack?.stop();
  }
});

type ErrorBody = { error: { code: string; message: string } };
const call = async (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) => {
  const res = await fetch(api.url + path, { redirect: 'manual', ...init });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body: body as ErrorBody, headers: res.headers };
};

/** Sends a request byte for byte as written (fetch would resolve dots and backslashes first). */
function rawRequest(requestLine: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const done = () => {
      socket.destroy();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    };
    socket.on('data', (chunk) => {
      data += chunk;
      // A refused upgrade may keep the connection open: the answer is complete at its length.
      const length = /\r\ncontent-length: (\d+)/i.exec(data)?.[1];
      const head = data.indexOf('\r\n\r\n');
      if (length !== undefined && head >= 0 && Buffer.byteLength(data.slice(head + 4)) >= Number(length)) done();
    });
    socket.on('error', reject);
    socket.on('close', done);
    const lines = Object.entries({ host: `127.0.0.1:${port}`, connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}`);
    socket.write(`${requestLine}\r\n${lines.join('\r\n')}\r\n\r\n`);
  });
}

describe('host names (DNS rebinding)', () => {
  it('answers 421 naming the host to a request whose Host is not this API’s, even with its own Origin and the token', async () => {
    for (const host of ['rebind.attacker.example', `rebind.attacker.example:${port}`, '10.0.0.7', 'localhost.attacker.example']) {
      const origin = `http://${host}`;
      for (const [path, method] of [
        ['/api/jobs', 'POST'],
        ['/api/jobs', 'GET'],
        ['/admin/queues', 'GET'],
        ['/healthz', 'GET'],
      ] as const) {
        const res = await call(path, {
          method,
          headers: { ...bearer, host, origin, 'content-type': 'application/json' },
          ...(method === 'POST' && { body: JSON.stringify({ pipeline: 'literature-review' }) }),
        });
        expect(res.status, `${method} ${path} as ${host}`).toBe(421);
        expect(res.body.error).toEqual({
          code: 'MISDIRECTED',
          message: `This API does not serve the host "${host.replace(/:\d+$/, '')}"; add it to ALLOWED_HOSTS`,
        });
      }
    }
    const upgrade = await rawRequest('GET /ws/jobs HTTP/1.1', {
      host: 'rebind.attacker.example',
      upgrade: 'websocket',
      connection: 'Upgrade',
      'sec-websocket-key': btoa('0123456789abcdef'),
      'sec-websocket-version': '13',
    });
    expect(upgrade.status).toBe(421);
  });

  it('serves loopback names, ALLOWED_HOSTS and the hosts of ALLOWED_ORIGINS, whatever the port', async () => {
    for (const host of [
      'localhost',
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      '127.1.2.3',
      `[::1]:${port}`,
      'app.localhost',
      'headway.internal:8443',
      'HEADWAY.INTERNAL',
      'dashboard.example',
    ]) {
      expect((await call('/api/jobs', { headers: { ...bearer, host } })).status, host).toBe(200);
    }
  });

  it('answers 400 with a JSON error, not a 500 and a stack trace, to a Host that is no host name', async () => {
    for (const host of ['bad host', 'a@b', 'x:y:z', '-lead.example', `${'a'.repeat(300)}.example`]) {
      const res = await rawRequest('GET /api/jobs HTTP/1.1', { host });
      expect(res.status, host).toBe(400);
      expect(JSON.parse(res.body).error.code, host).toBe('BAD_REQUEST');
    }
  });

  it('still refuses another site’s Origin on a served host', async () => {
    const res = await call('/api/jobs', { headers: { ...bearer, origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
  });
});

describe('spellings of a path', () => {
  it('never reaches a Bull Board action without the token, however the path is written', async () => {
    const spellings = [
      'PUT /admin/queues/api/queues/pipelines/clean/completed\\..\\..\\..\\..\\..\\..\\..\\jobs',
      'PUT /admin/queues/api/queues/pipelines/clean/completed%5c..%5c..%5c..%5c..%5c..%5c..%5c..%5cjobs',
      'PUT /admin/queues/api/queues/pipelines/clean/completed%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fjobs',
      'PUT /admin/queues/api/queues/pipelines/clean/completed/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/jobs',
      'PUT /admin/queues/api/queues/pipelines/clean/%2e%2e',
      'PUT /admin/queues/api/queues/pipelines/retry/failed\\..\\..\\..\\..\\..\\..\\..\\jobs',
      'PUT /jobs/../admin/queues/api/queues/pipelines/clean/completed',
      'PUT /assets/..%2f..%2fadmin/queues/api/queues/pipelines/clean/completed',
      'GET /jobs/..\\..\\api\\jobs',
      'GET /healthz/../api/jobs',
      'GET /api/jobs/..%5c..%5cpipelines',
    ];
    for (const line of spellings) {
      const res = await rawRequest(`${line} HTTP/1.1`);
      expect([400, 401, 404], line).toContain(res.status);
      expect(res.body, line).not.toMatch(/"jobs":\[/);
    }
    // The completed sentinel is still there: no clean ran.
    await sentinel.expectUnchanged();
  });

  it('answers 400 naming the parameter when a dot segment or backslash lands in one, with or without the token', async () => {
    const res = await rawRequest('PUT /admin/queues/api/queues/pipelines/clean/completed\\..\\jobs HTTP/1.1', bearer);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.message).toMatch(/queueStatus has a dot segment or a backslash/);
    expect((await rawRequest('GET /api/jobs/%2e%2e/events HTTP/1.1', bearer)).status).toBe(400);
  });
});

describe('session cookies', () => {
  async function signIn(token: string, headers: Record<string, string> = {}) {
    return call('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ token }),
    });
  }

  it('treats a malformed cookie as no session: 401 for REST, 4401 for a socket, never a 500', async () => {
    for (const cookie of [
      'headway_session=%',
      'headway_session=%E0%A4%A',
      'headway_session=',
      `headway_session=${'x'.repeat(4000)}`,
      'headway_session="unterminated',
    ]) {
      const res = await call('/api/jobs', { headers: { cookie } });
      expect(res.status, cookie).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
      expect((await call('/api/session', { headers: { cookie } })).body).toEqual({ tokenRequired: true, signedIn: false });
    }
    const sockets = Array.from(
      { length: 3 },
      () => new ProgressClient(wsUrl(api.url, `/ws/jobs/${sentinel.id}/progress`), { cookie: 'headway_session=%' }),
    );
    for (const socket of sockets) {
      await socket.waitFor((c) => c.closed !== undefined, 5_000);
      expect(socket.closed?.code).toBe(4401);
    }
  });

  it('keeps no token in the cookie, and a signed-out session opens neither REST nor a socket', async () => {
    const res = await signIn(TOKEN);
    expect(res.status).toBe(204);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).not.toContain(TOKEN);
    expect((await call('/api/jobs', { headers: { cookie } })).status).toBe(200);
    expect((await call('/api/session', { method: 'DELETE', headers: { cookie } })).status).toBe(204);
    expect((await call('/api/jobs', { headers: { cookie } })).status).toBe(401);
    const socket = new ProgressClient(wsUrl(api.url, `/ws/jobs/${sentinel.id}/progress`), { cookie });
    await socket.waitFor((c) => c.closed !== undefined, 5_000);
    expect(socket.closed?.code).toBe(4401);
  });

  it('lets an address try 10 wrong tokens a minute, then answers 429 with Retry-After, even to the right one', async () => {
    for (let i = 0; i < 10; i++) expect((await signIn(`wrong-${i}`)).status).toBe(401);
    const limited = await signIn(`wrong-again`);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await signIn(TOKEN)).status).toBe(429);
    // The Bearer header is not a sign-in: it keeps working.
    expect((await call('/api/jobs', { headers: bearer })).status).toBe(200);
  });
});

describe('sockets', () => {
  it(`holds at most ${MAX_SOCKETS} sockets per address; more are told why and closed with 1013, and room frees up on close`, async () => {
    const open = Array.from({ length: MAX_SOCKETS }, () => new ProgressClient(wsUrl(api.url, `/ws/jobs/${sentinel.id}/progress`), bearer));
    for (const socket of open) await socket.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'), 10_000);
    const extra = new ProgressClient(wsUrl(api.url, '/ws/jobs'), bearer);
    await extra.waitFor((c) => c.closed !== undefined, 5_000);
    expect(extra.closed?.code).toBe(1013);
    expect(extra.messages).toEqual([
      { type: 'error', code: 'TOO_MANY_REQUESTS', message: expect.stringMatching(/MAX_SOCKETS_PER_CLIENT/) },
    ]);
    open[0]!.close();
    await open[0]!.waitFor((c) => c.closed !== undefined, 5_000);
    const again = new ProgressClient(wsUrl(api.url, '/ws/jobs'), bearer);
    await again.waitFor((c) => c.messages.length > 0, 5_000);
    expect(again.messages[0]?.type).toBe('jobs');
    for (const socket of [...open, again]) socket.close();
  });

  it('opens a socket with a cursor it cannot read, says what is wrong and closes with 4400', async () => {
    for (const after of [
      'garbage',
      '-1',
      '99999999999999999999-0',
      '18446744073709551616',
      '1-18446744073709551616',
      '9'.repeat(5000),
      '1.5-0',
    ]) {
      const socket = new ProgressClient(wsUrl(api.url, `/ws/jobs/${sentinel.id}/progress?after=${after}`), bearer);
      await socket.waitFor((c) => c.closed !== undefined, 5_000);
      expect(socket.closed?.code, after.slice(0, 30)).toBe(4400);
      expect(socket.messages).toEqual([
        { type: 'error', code: 'VALIDATION', message: expect.stringMatching(/^after must be a stream cursor/) },
      ]);
    }
    const res = await call(`/api/jobs/${sentinel.id}/events?after=99999999999999999999-0`, { headers: bearer });
    expect(res.status).toBe(422);
  });

  it('closes a socket for an id no job can have with 4404', async () => {
    const socket = new ProgressClient(wsUrl(api.url, `/ws/jobs/${'x'.repeat(200)}/progress`), bearer);
    await socket.waitFor((c) => c.closed !== undefined, 5_000);
    expect(socket.closed?.code).toBe(4404);
  });
});

describe('admin pages', () => {
  it('may not be framed by another site: Bull Board and the API docs say frame-ancestors none', async () => {
    for (const path of ['/admin/queues', '/openapi']) {
      const res = await call(path, { headers: bearer });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it('serves the API docs with scripts from this origin only, pinned in the lockfile, none from a CDN', async () => {
    const page = await call('/openapi');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    const scripts = [...String(page.body).matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src, src).toMatch(/^\/openapi\//);
      expect((await call(src)).status, src).toBe(200);
    }
    expect(String(page.body)).not.toMatch(/https?:\/\//);
  });
});

describe('afterwards', () => {
  it('left the sentinel job exactly as it was', async () => {
    await sentinel.expectUnchanged();
  });
});
