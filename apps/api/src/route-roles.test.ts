// The role table against the routes the app registers, through `app.handle`: every route has its
// least role, no entry is stale, and each role is refused (401 without a token, 403 FORBIDDEN
// naming the role needed) exactly where the table says, on REST and Bull Board alike.
import { ROLES, type Role, roleAllows } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessApi, inProcessApi } from '../../../tests/support/in-process-api.ts';
import { type RedisHandle, startRedis } from '../../../tests/support/redis-server.ts';
import { bearerOf, type TEST_TOKENS, writeTokensFile } from '../../../tests/support/tokens-file.ts';
import { ROUTE_ROLES, ruleFor, ruleKeyFor } from './route-roles.ts';

let redis: RedisHandle;
let api: InProcessApi;

beforeAll(async () => {
  redis = await startRedis();
  api = await inProcessApi(redis, 'roles', { tokensFile: writeTokensFile(redis.dir), apiToken: undefined });
});

afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

const registered = () => api.app.routes.map((r) => ({ method: r.method, path: r.path }));
const personOf: Record<Role, keyof typeof TEST_TOKENS> = { viewer: 'vera', operator: 'olga', admin: 'ada' };

/** A path the route answers: parameters filled in with names that exist or could. */
const concrete = (path: string) => path.replace(':queueName', 'pipelines').replace(/:\w+/g, '1').replace(/\*$/, 'x');

describe('the role table', () => {
  it('names every route the app registers, REST, sockets and Bull Board', () => {
    const missing = registered().filter((r) => ruleKeyFor(r.method, r.path) === undefined);
    expect(missing).toEqual([]);
  });

  it('has no entry that no registered route uses', () => {
    const used = new Set(registered().map((r) => ruleKeyFor(r.method, r.path)));
    expect(Object.keys(ROUTE_ROLES).filter((key) => !used.has(key))).toEqual([]);
  });

  it('gives a route it does not name to admins only', () => {
    expect(ruleFor('GET', '/api/some-new-route')).toEqual({ need: 'admin' });
  });
});

describe('each role on each REST and Bull Board route', () => {
  it('answers 401 without a token and 403 FORBIDDEN naming the role needed for a role too small, and lets the others through', async () => {
    const rows: string[] = [];
    for (const { method, path } of registered()) {
      if (method === 'WS') continue;
      const { need } = ruleFor(method, path);
      const url = concrete(path);
      const anonymous = await api.request(url, { method });
      if (need === 'public') {
        expect(anonymous.status, `${method} ${path}`).not.toBe(401);
        continue;
      }
      expect(anonymous.status, `${method} ${path} without a token`).toBe(401);
      for (const role of ROLES) {
        // Refused requests never reach their handler; allowed writes are not sent (Bull Board's obliterate…).
        if (roleAllows(role, need) && method !== 'GET') continue;
        const res = await api.request(url, { method, headers: bearerOf(personOf[role]) });
        if (roleAllows(role, need)) {
          expect([401, 403], `${method} ${path} as ${role}`).not.toContain(res.status);
        } else {
          expect(res.status, `${method} ${path} as ${role}`).toBe(403);
          const body = (await res.json()) as { error: { code: string; message: string } };
          expect(body.error.code).toBe('FORBIDDEN');
          expect(body.error.message).toBe(`This needs the ${need} role; ${personOf[role]} is ${role === 'viewer' ? 'a' : 'an'} ${role}`);
        }
        rows.push(`${role} ${method} ${path} ${res.status}`);
      }
    }
    // Every kind was tried: Bull Board's page and API, a write, and the REST reads.
    expect(rows).toContain('operator GET /admin/queues/ 403');
    expect(rows).toContain('operator GET /admin/queues/api/queues 403');
    expect(rows).toContain('viewer POST /api/jobs 403');
    expect(rows).toContain('viewer GET /api/jobs 200');
    expect(rows).toContain('admin GET /admin/queues/api/queues 200');
  });
});
