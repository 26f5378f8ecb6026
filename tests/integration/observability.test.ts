// What operators read off a running API: the OpenAPI document of its REST routes, and /metrics in
// Prometheus text (jobs per state from BullMQ, what this process relays, process metrics).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

let stack: TestStack;
let api: ApiProcess;

beforeAll(async () => {
  stack = await startStack({ prefix: 'observe', workers: 1 });
  ({ api } = stack);
});

afterAll(() => stack?.stop());

/** `name{labels} value` lines of a Prometheus text body, by series. */
function samples(text: string): Map<string, number> {
  return new Map(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const at = line.lastIndexOf(' ');
        return [line.slice(0, at), Number(line.slice(at + 1))] as const;
      }),
  );
}

describe('GET /openapi/json', () => {
  it('documents the REST routes with their request schemas, and not the dashboard or Bull Board', async () => {
    const res = await fetch(`${api.url}/openapi/json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as OpenApiDoc;
    expect(doc.info.title).toBe('Headway API');
    for (const path of [
      '/api/jobs',
      '/api/jobs/{id}',
      '/api/jobs/{id}/cancel',
      '/api/jobs/{id}/retry',
      '/api/jobs/{id}/events',
      '/api/pipelines',
      '/api/session',
      '/healthz',
      '/metrics',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    const create = doc.paths['/api/jobs']!.post;
    expect(JSON.stringify(create?.requestBody)).toContain('"pipeline"');
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/admin') || p.startsWith('/assets') || p === '/')).toEqual([]);
    expect((await fetch(`${api.url}/openapi`)).headers.get('content-type')).toMatch(/text\/html/);
  });

  it('documents what each route answers: its success body and its errors, all in the one error shape', async () => {
    const doc = (await (await fetch(`${api.url}/openapi/json`)).json()) as OpenApiDoc;
    const statuses = (path: string, method: string) => Object.keys(doc.paths[path]?.[method]?.responses ?? {});
    const jsonSchema = (path: string, method: string, status: string) =>
      (doc.paths[path]![method]!.responses![status] as { content?: Record<string, { schema?: JsonSchema }> }).content?.['application/json']
        ?.schema;

    expect(statuses('/api/jobs/{id}', 'get')).toEqual(expect.arrayContaining(['200', '404']));
    expect(jsonSchema('/api/jobs/{id}', 'get', '200')?.required).toEqual(expect.arrayContaining(['id', 'status', 'input']));
    const notFound = jsonSchema('/api/jobs/{id}', 'get', '404');
    expect(notFound?.required).toEqual(['error']);
    expect(notFound?.properties?.error?.properties?.code?.enum).toEqual(
      expect.arrayContaining(['JOB_NOT_FOUND', 'CONFLICT', 'VALIDATION']),
    );
    expect(statuses('/api/jobs', 'post')).toEqual(expect.arrayContaining(['201', '404', '409', '422']));
    expect(statuses('/api/jobs/{id}/cancel', 'post')).toEqual(expect.arrayContaining(['200', '202', '404', '409']));
    expect(statuses('/api/jobs/{id}/retry', 'post')).toEqual(expect.arrayContaining(['200', '404', '409']));
    // Every REST route says what it answers, and every error it documents has the one shape.
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const documented = Object.keys(operation.responses ?? {});
        expect(
          documented.some((s) => s.startsWith('2')),
          `${method} ${path}`,
        ).toBe(true);
        for (const status of documented.filter((s) => Number(s) >= 400 && path !== '/healthz')) {
          expect(jsonSchema(path, method, status), `${method} ${path} ${status}`).toEqual(notFound);
        }
      }
    }
  });
});

interface JsonSchema {
  required?: string[];
  properties?: Record<string, JsonSchema>;
  enum?: string[];
}

interface OpenApiDoc {
  info: { title: string };
  paths: Record<string, Record<string, { requestBody?: unknown; responses?: Record<string, unknown> }>>;
}

describe('GET /metrics', () => {
  it('counts jobs per state, the viewers and the events this process relayed', async () => {
    const created = await fetch(`${api.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 0 } }),
    });
    const job = (await created.json()) as { id: string };
    const viewer = new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress`));
    await viewer.waitFor((c) => c.messages.some((m) => m.type === 'initial_status'), 10_000);
    const during = samples(await (await fetch(`${api.url}/metrics`)).text());
    expect(during.get('headway_progress_viewers')).toBe(1);
    expect(during.get('headway_watched_jobs')).toBe(1);
    await viewer.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'), 30_000);

    const res = await fetch(`${api.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = samples(await res.text());
    expect(after.get('headway_jobs{state="completed"}')).toBe(1);
    expect(after.get('headway_jobs{state="failed"}')).toBe(0);
    // Events that reached the viewer live, not by replay, went through the relay.
    expect(after.get('headway_events_relayed_total')).toBeGreaterThan(0);
    expect(after.get('headway_api_process_resident_memory_bytes')).toBeGreaterThan(0);
    viewer.close();
  });
});
