// A job's artifacts over REST: the list, one file (ETag, Range, a safe disposition) and all of an
// attempt's files as a zip, each streamed from the store. Artifacts are untrusted content from a
// program: they are served sandboxed and never sniffed, and a request names an artifact only by
// an artifact event of its own job, so no name reaches a file of another job or outside the store.
import {
  type ArtifactEvent,
  ArtifactList,
  artifactInfoOf,
  artifactKey,
  artifactNameProblem,
  HeadwayError,
  JOB_ID_PATTERN,
} from '@headway/progress';
import { Elysia, t } from 'elysia';
import { artifactZip } from '../artifact-zip.ts';
import { errorResponse, errorResponses } from '../error-handler.ts';
import type { Services } from '../services.ts';
import { loadJob } from './jobs.ts';

/**
 * Every artifact response carries these: a document opened from here runs no script, loads
 * nothing but its own images and styles, and is never read as another type than it says.
 */
export const ARTIFACT_SECURITY_HEADERS = {
  'content-security-policy': "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
};

/** Types the dashboard previews: shown inline. Everything else, HTML first, is a download. */
const INLINE_TYPES = new Set([
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/markdown',
  'text/csv',
  'text/tab-separated-values',
  'application/json',
  'application/x-ndjson',
]);

/** A content type a header may carry (`type/subtype` and simple parameters); others are served as bytes. */
const CONTENT_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[\w .+/-]*"|[\w.+/-]+))*$/;

const params = t.Object({ id: t.String({ pattern: JOB_ID_PATTERN }) });
const attemptQuery = t.Optional(
  t.Numeric({ minimum: 1, maximum: 1_000_000, multipleOf: 1, description: 'Which attempt (default: the newest that has it)' }),
);

const ORDER_NOTE =
  'Every attempt’s artifacts, oldest first, in the order they were published (a retry’s after the first attempt’s). The newest attempt’s are the ones shown by default.';

export const artifactRoutes = (services: Services) =>
  new Elysia({ name: 'artifacts', prefix: '/api/jobs' })
    .get(
      '/:id/artifacts',
      async ({ params }): Promise<ArtifactList> => {
        const artifacts = await artifactsOf(services, params.id);
        return { artifacts: artifacts.map(artifactInfoOf) };
      },
      {
        params,
        response: { 200: ArtifactList, ...errorResponses(401, 404, 422, 503) },
        detail: { summary: "A job's artifacts, every attempt's", description: ORDER_NOTE },
      },
    )
    .get(
      '/:id/artifacts.zip',
      async ({ params, query }) => {
        const artifacts = await artifactsOf(services, params.id);
        const attempt = query.attempt ?? Math.max(0, ...artifacts.map((a) => a.attempt));
        // A name published twice in one attempt: the later file is the one kept.
        const chosen = [...new Map(artifacts.filter((a) => a.attempt === attempt).map((a) => [a.name, a])).values()];
        if (chosen.length === 0) {
          throw new HeadwayError(404, 'NOT_FOUND', `Job ${params.id} has no artifacts${query.attempt ? ` in attempt ${attempt}` : ''}`);
        }
        const body = artifactZip(services.artifacts, params.id, chosen);
        return new Response(body, {
          headers: {
            ...ARTIFACT_SECURITY_HEADERS,
            'content-type': 'application/zip',
            'content-disposition': `attachment; filename="job-${params.id}-artifacts.zip"`,
            'cache-control': 'private, no-cache',
          },
        });
      },
      {
        params,
        query: t.Object({ attempt: attemptQuery }),
        response: { 200: t.String({ format: 'binary', description: 'application/zip' }), ...errorResponses(401, 404, 422, 503) },
        detail: {
          summary: "An attempt's artifacts as one zip, streamed",
          description: 'The newest attempt’s unless `attempt` names another; entry names are the artifact names, stored uncompressed.',
        },
      },
    )
    .get(
      '/:id/artifacts/*',
      async ({ params, query, request }) => {
        const name = artifactNameOf(params['*']);
        const artifacts = await artifactsOf(services, params.id);
        const artifact = artifacts.findLast((a) => a.name === name && (query.attempt === undefined || a.attempt === query.attempt));
        if (!artifact) {
          const which = query.attempt ? ` in attempt ${query.attempt}` : '';
          throw new HeadwayError(404, 'NOT_FOUND', `Job ${params.id} has no artifact ${JSON.stringify(name)}${which}`);
        }
        return serveArtifact(services, params.id, artifact, request.headers, query.download === '1');
      },
      {
        params: t.Object({ id: t.String({ pattern: JOB_ID_PATTERN }), '*': t.String() }),
        query: t.Object({
          attempt: attemptQuery,
          download: t.Optional(t.Literal('1', { description: '1: always an attachment, named after the file' })),
        }),
        response: {
          200: t.String({ format: 'binary', description: 'The whole file' }),
          206: t.String({ format: 'binary', description: 'The range asked for' }),
          304: t.Void({ description: 'Not modified (If-None-Match)' }),
          ...errorResponses(400, 401, 404, 416, 422, 503),
        },
        detail: {
          summary: 'One artifact, streamed',
          description:
            'The name’s `/`-separated segments each URL-encoded. `ETag` (the SHA-256) with `If-None-Match`, one `Range` (206, or 416), and `Content-Disposition` inline for images, text, Markdown, JSON and CSV, an attachment for anything else (HTML included). Served sandboxed (`Content-Security-Policy: sandbox`) and `nosniff`.',
        },
      },
    );

/**
 * The artifact name a request path names: its segments decoded one by one (so `%2F` inside a
 * segment is a `/` and `%2e%2e` a `..`, both then refused by the name rules), or a 400.
 */
export function artifactNameOf(rawPath: string): string {
  let name: string;
  try {
    name = rawPath.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw new HeadwayError(400, 'BAD_REQUEST', 'The artifact name is not valid percent-encoding');
  }
  const problem = artifactNameProblem(name);
  if (problem) throw new HeadwayError(400, 'BAD_REQUEST', `Not an artifact name: ${problem}`);
  return name;
}

/** The job's artifact events (every attempt, oldest first); 404 for a job that does not exist. */
async function artifactsOf(services: Services, jobId: string): Promise<ArtifactEvent[]> {
  await loadJob(services, jobId);
  return (await services.stream.artifacts(jobId)).map((entry) => entry.event);
}

async function serveArtifact(
  services: Services,
  jobId: string,
  artifact: ArtifactEvent,
  request: Headers,
  download: boolean,
): Promise<Response> {
  const etag = `"${artifact.sha256}"`;
  const headers: Record<string, string> = {
    ...ARTIFACT_SECURITY_HEADERS,
    etag,
    'accept-ranges': 'bytes',
    'cache-control': 'private, no-cache',
  };
  if (matchesEtag(request.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });

  const contentType = CONTENT_TYPE.test(artifact.contentType) ? artifact.contentType : 'application/octet-stream';
  const baseType = contentType.split(';')[0]!.trim().toLowerCase();
  const inline = !download && INLINE_TYPES.has(baseType);
  headers['content-type'] = contentType;
  headers['content-disposition'] = disposition(inline ? 'inline' : 'attachment', artifact.name.split('/').at(-1)!);

  const size = artifact.size;
  const ifRange = request.get('if-range');
  const range = ifRange && ifRange !== etag ? undefined : parseRange(request.get('range'), size);
  if (range === 'unsatisfiable') {
    const error = new HeadwayError(416, 'BAD_REQUEST', `The range is outside the artifact's ${size} bytes`);
    return errorResponse(error, { ...ARTIFACT_SECURITY_HEADERS, 'content-range': `bytes */${size}` });
  }
  const stored = await services.artifacts.get(artifactKey(jobId, artifact.attempt, artifact.name), range);
  if (!stored) throw new HeadwayError(404, 'NOT_FOUND', `The file of artifact ${JSON.stringify(artifact.name)} is gone from the store`);
  if (stored.size !== size) {
    await stored.body.cancel().catch(() => undefined);
    throw new Error(`artifact ${jobId}/${artifact.attempt}/${artifact.name} is ${stored.size} bytes in the store, ${size} in its event`);
  }
  if (!range) return new Response(stored.body, { status: 200, headers: { ...headers, 'content-length': String(size) } });
  headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
  headers['content-length'] = String(range.end - range.start + 1);
  return new Response(stored.body, { status: 206, headers });
}

/** Whether `If-None-Match` names this ETag (or `*`); weak and strong compare alike here. */
function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const value = tag.trim().replace(/^W\//, '');
    return value === '*' || value === etag;
  });
}

/**
 * One `bytes=` range of an artifact of `size` bytes, inclusive; undefined when there is none or
 * it is not one we serve (several ranges, another unit: the whole artifact answers, as RFC 9110
 * allows); 'unsatisfiable' when it starts past the end.
 */
export function parseRange(header: string | null, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** `inline` or `attachment` with the file's name: an ASCII fallback and the exact name (RFC 5987 / 6266). */
export function disposition(kind: 'inline' | 'attachment', fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
