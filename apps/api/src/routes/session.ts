// Signing in on the dashboard: the API token in exchange for a session id in an HttpOnly cookie,
// which the browser then sends with every request, socket and Bull Board page of this origin.
// Signing out ends the session on the server, not only in this browser.
import { HeadwayError, SessionState, SignInRequest } from '@headway/progress';
import { Elysia, t } from 'elysia';
import { type Access, SESSION_COOKIE, sessionIdOf } from '../access.ts';
import { errorResponses } from '../error-handler.ts';
import { SESSION_SECONDS, type Sessions } from '../sessions.ts';

const cookie = (value: string, maxAge: number, secure: boolean) =>
  `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;

const signedIn = t.Void({ description: 'Signed in: the session cookie is set (or the API needs no token)' });

const isHttps = (request: Request) => new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';

export const sessionRoutes = (access: Access, sessions: Sessions | undefined) =>
  new Elysia({ name: 'session', prefix: '/api/session' })
    .get(
      '',
      async ({ headers }): Promise<SessionState> => ({ tokenRequired: access.tokenRequired, signedIn: await access.allows(headers) }),
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
        if (!access.isToken(body.token)) {
          await sessions.countFailedSignIn(client);
          throw new HeadwayError(401, 'UNAUTHORIZED', 'That is not the API token');
        }
        set.status = 204;
        set.headers['set-cookie'] = cookie(await sessions.open(), SESSION_SECONDS, isHttps(request));
      },
      {
        body: SignInRequest,
        parse: 'json',
        // 204 with the session cookie; 401 not the token; 429 too many wrong tokens from this address.
        response: { 204: signedIn, ...errorResponses(400, 401, 413, 415, 422, 429, 503) },
      },
    )
    .delete(
      '',
      async ({ headers, request, set }) => {
        const session = sessionIdOf(headers);
        if (session && sessions) await sessions.close(session);
        set.status = 204;
        set.headers['set-cookie'] = cookie('', 0, isHttps(request));
      },
      { response: { 204: t.Void({ description: 'Signed out: the session is ended and the cookie cleared' }), ...errorResponses(503) } },
    );
