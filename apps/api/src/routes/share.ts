// Share links: `POST /api/jobs/:id/share` makes a link that reads that one job, read-only, until it
// expires; `DELETE /api/share-links` revokes every link made so far (share-links.ts).
import { DEFAULT_SHARE_SECONDS, JOB_ID_PATTERN, ShareLink, ShareRequest } from '@headway/progress';
import { Elysia, t } from 'elysia';
import { errorResponses } from '../error-handler.ts';
import type { Services } from '../services.ts';
import { loadJob } from './jobs.ts';

/**
 * The dashboard's origin: PUBLIC_URL when set, else as the caller reached it (behind a TLS proxy,
 * X-Forwarded-Proto says https).
 */
function originOf(request: Request, publicUrl?: string): string {
  if (publicUrl) return new URL(publicUrl).origin;
  const url = new URL(request.url);
  const proto = request.headers.get('x-forwarded-proto') === 'https' ? 'https:' : url.protocol;
  return `${proto}//${request.headers.get('host') ?? url.host}`;
}

export const shareRoutes = (services: Services) =>
  new Elysia({ name: 'share' })
    .post(
      '/api/jobs/:id/share',
      async ({ params, body, request, set }): Promise<ShareLink> => {
        await loadJob(services, params.id);
        const expiresAt = Date.now() + (body?.expiresInSeconds ?? DEFAULT_SHARE_SECONDS) * 1000;
        const token = await services.shareLinks.sign({ jobId: params.id, expiresAt });
        set.status = 201;
        // The token rides after `#`: browsers never send it in a request line (or a proxy's log).
        const url = `${originOf(request, services.publicUrl)}/jobs/${encodeURIComponent(params.id)}#share=${token}`;
        return { url, token, expiresAt: new Date(Math.floor(expiresAt / 1000) * 1000).toISOString() };
      },
      {
        params: t.Object({ id: t.String({ pattern: JOB_ID_PATTERN }) }),
        body: t.Optional(ShareRequest),
        parse: 'json',
        response: { 201: ShareLink, ...errorResponses(400, 401, 403, 404, 413, 415, 422, 503) },
      },
    )
    .delete(
      '/api/share-links',
      async ({ set }) => {
        await services.shareLinks.rotate();
        // Links' sockets open here close now; those on other APIs at their next recheck.
        void services.sockets.recheck();
        set.status = 204;
      },
      {
        // 409: SHARE_KEY is set, so only changing it revokes the links.
        response: { 204: t.Void({ description: 'Every share link made so far is revoked' }), ...errorResponses(401, 403, 409, 503) },
      },
    );
