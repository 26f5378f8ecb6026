import { Elysia, t } from 'elysia';
import { describe, expect, it } from 'vitest';
import { errorHandler } from './error-handler.ts';
import { jsonBody, MAX_JSON_DEPTH, nestedDeeperThan } from './json-body.ts';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('nestedDeeperThan', () => {
  it('counts brackets that open arrays and objects, up to the limit and past it', () => {
    expect(nestedDeeperThan(nested(3), 3)).toBe(false);
    expect(nestedDeeperThan(nested(4), 3)).toBe(true);
    expect(nestedDeeperThan('{"a":[{"b":{}}]}', 4)).toBe(false);
    expect(nestedDeeperThan('{"a":[{"b":{"c":1}}]}', 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestedDeeperThan(`{"a":"${'['.repeat(100)}"}`, 1)).toBe(false);
    expect(nestedDeeperThan(`{"a":"\\"${'{'.repeat(100)}\\\\"}`, 1)).toBe(false);
    expect(nestedDeeperThan(`{"a":"\\\\",  "b":[[]]}`, 2)).toBe(true);
  });
});

describe('jsonBody', () => {
  const app = new Elysia({ normalize: false })
    .use(errorHandler)
    .use(jsonBody({ maxBytes: 2048 }))
    .post('/echo', ({ body }) => body, { body: t.Object({ a: t.Unknown() }, { additionalProperties: false }) });
  const post = (body: string, type = 'application/json; charset=utf-8') =>
    app.handle(new Request('http://localhost/echo', { method: 'POST', headers: { 'content-type': type }, body }));

  it('passes JSON at the depth limit and refuses one level more', async () => {
    expect((await post(`{"a":${nested(MAX_JSON_DEPTH - 1)}}`)).status).toBe(200);
    const res = await post(`{"a":${nested(MAX_JSON_DEPTH)}}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'BAD_REQUEST', message: `The request body is JSON nested deeper than ${MAX_JSON_DEPTH} levels` },
    });
  });

  it('refuses a body past the limit even when its content-length is not what it reads', async () => {
    const res = await post(JSON.stringify({ a: 'x'.repeat(2048) }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('takes application/json with parameters, and refuses other media types with 415', async () => {
    expect(await (await post('{"a":1}')).json()).toEqual({ a: 1 });
    const res = await post('{"a":1}', 'application/jsonp');
    expect(res.status).toBe(415);
  });
});
