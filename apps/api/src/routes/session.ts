// Signing in on the dashboard: a token in exchange for a session id in an HttpOnly cookie, which
// the browser then sends with every request, socket and Bull Board page of this origin. A share
// link's token is itself the cookie (signed, it needs no session), until it expires.
// Signing out ends the session on the server, not only in this browser.
import { HeadwayError, isShareToken, SessionState, SignInRequest } from '@headway/progress';
import { Elysia, t } from 'elysia';
import { type Access, type Identity, SESSION_COOKIE, sessionIdOf } from '../access.ts';
import { errorResponses } from '../error-handler.ts';
import { SESSION_SECONDS, type Sessions } from '../sessions.ts';
import type { ShareLinks } from '../share-links.ts';
import type { SocketGate } from '../socket-gate.ts';

const cookie = (value: string, maxAge: number, secure: boolean) =>
  `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;

const signedIn = t.Void({ description: 'Signed in: the session cookie is set (or the API needs no token)' });

const isHttps = (request: Request) => new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';

function stateOf(tokenRequired: boolean, identity: Identity | undefined): SessionState {
  switch (identity?.kind) {
    case undefined:
      return { tokenRequired, signedIn: false };
    case 'open':
      return { tokenRequired, signedIn: true, role: 'admin' };
    case 'person':
      return { tokenRequired, signedIn: true, name: identity.name, role: identity.role };
    case 'share':
      return { tokenRequired, signedIn: true, share: { jobId: identity.jobId, expiresAt: new Date(identity.expiresAt).toISOString() } };
  }
}

export const sessionRoutes = (access: Access, sessions: Sessions | undefined, shareLinks: ShareLinks, sockets: SocketGate) =>
  new Elysia({ name: 'session', prefix: '/api/session' })
    .get(
      '',
      // Who is signed in, and with which role: the dashboard hides what that role cannot do. An
      // expired or revoked share link is no one.
      async ({ headers }) => stateOf(access.tokenRequired, await access.identify(headers).catch(() => undefined)),
      { response: { 200: SessionState, ...errorResponses(503) } },
    )
    .post(
      '',
      async ({ body, request, server, set }) => {
        if (!sessions) {
          set.status = 204;
          return;
        }
        const client = server?.requestIP(request)?.address ?? 'unknown';
        const wait = await sessions.signInWait(client);
        if (wait > 0) {
          set.headers['retry-after'] = String(wait);
          throw new HeadwayError(429, 'TOO_MANY_REQUESTS', `Too many wrong tokens from this address; try again in ${wait} s`);
        }
        if (isShareToken(body.token)) {
          const share = await shareLinks.verify(body.token).catch(async (error) => {
            await sessions.countFailedSignIn(client);
            throw error;
          });
          set.status = 204;
          const seconds = Math.max(1, Math.floor((share.expiresAt - Date.now()) / 1000));
          set.headers['set-cookie'] = cookie(body.token, seconds, isHttps(request));
          return;
        }
        const person = access.personOf(body.token);
        if (!person) {
          await sessions.countFailedSignIn(client);
          throw new HeadwayError(401, 'UNAUTHORIZED', 'That is not the API token');
        }
        set.status = 204;
        set.headers['set-cookie'] = cookie(await sessions.open(person), SESSION_SECONDS, isHttps(request));
      },
      {
        body: SignInRequest,
        parse: 'json',
        // 204 with the session cookie; 401 not a token, or a share link expired or revoked; 429 too many wrong tokens from this address.
        response: { 204: signedIn, ...errorResponses(400, 401, 413, 415, 422, 429, 503) },
      },
    )
    .delete(
      '',
      async ({ headers, request, set }) => {
        const session = sessionIdOf(headers);
        if (session && sessions) {
          await sessions.close(session);
          // Its sockets open here close now; those on other APIs at their next recheck.
          void sockets.recheck();
        }
        set.status = 204;
        set.headers['set-cookie'] = cookie('', 0, isHttps(request));
      },
      { response: { 204: t.Void({ description: 'Signed out: the session is ended and the cookie cleared' }), ...errorResponses(503) } },
    );
