// Request bodies, read one way for every route (Bull Board's too): JSON only, so no form a page on
// another site can post without a preflight reaches a route (415 otherwise); at most `maxBytes`,
// refused before reading when Content-Length says more, or as soon as a chunked body passes it
// (413); nested at most MAX_JSON_DEPTH deep, since validating it recurses that deep (400).
// Routes with a body still say `parse: 'json'`: that is how the OpenAPI document learns their
// media type, and this parser, global, runs before theirs.
import { HeadwayError } from '@headway/progress';
import { Elysia } from 'elysia';

/** MAX_BODY_BYTES's default: a pipeline's input is capped lower still (its `maxInputBytes`). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Deeper JSON is refused before it is parsed. A pipeline's input sits two levels down. */
export const MAX_JSON_DEPTH = 64;

const BODILESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const jsonBody = ({ maxBytes = DEFAULT_MAX_BODY_BYTES }: { maxBytes?: number } = {}) =>
  new Elysia({ name: 'json-body', seed: maxBytes })
    .onRequest(({ request }) => checkHeaders(request, maxBytes))
    // An error thrown here reaches onError as a PARSE error with this one as its cause.
    .onParse({ as: 'global' }, async ({ request }) => parseJson(await readText(request, maxBytes)));

/** Refuses, from its headers alone, a body that is too large or not JSON. */
function checkHeaders(request: Request, maxBytes: number): void {
  if (BODILESS_METHODS.has(request.method)) return;
  const declared = request.headers.get('content-length');
  // Over HTTP a body comes with a content-length or in chunks; a Request made in-process has neither.
  const bodiless = declared === null && !request.headers.has('transfer-encoding') && request.body === null;
  if (declared === '0' || bodiless) return;
  if (declared !== null && Number(declared) > maxBytes) {
    throw tooLarge(`The request body is ${declared} bytes; the API reads at most ${maxBytes} (MAX_BODY_BYTES)`);
  }
  const sent = request.headers.get('content-type');
  const mediaType = sent?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    const what = sent ? `"${sent.slice(0, 100)}"` : 'no content-type';
    throw new HeadwayError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Request bodies must be JSON sent as "content-type: application/json"; this one came with ${what}`,
    );
  }
}

const tooLarge = (message: string) => new HeadwayError(413, 'PAYLOAD_TOO_LARGE', message);
const overLimit = (maxBytes: number) => tooLarge(`The request body is over ${maxBytes} bytes, the most the API reads (MAX_BODY_BYTES)`);

/** The body as text, reading no more than `maxBytes` of it whatever Content-Length said. */
async function readText(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    // Bun's own maxRequestBodySize (set above ours in main.ts) makes a read throw.
    const { done, value } = await reader.read().catch(() => {
      throw overLimit(maxBytes);
    });
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => undefined);
      throw overLimit(maxBytes);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new HeadwayError(400, 'BAD_REQUEST', 'The request body is not UTF-8 text');
  }
}

/** An empty body reads as `{}`: actions such as cancel take an optional body. */
function parseJson(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new HeadwayError(400, 'BAD_REQUEST', `The request body is JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HeadwayError(400, 'BAD_REQUEST', 'The request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HeadwayError(422, 'VALIDATION', '/: the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Whether brackets outside strings open deeper than `max`; one pass, no recursion. */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}
