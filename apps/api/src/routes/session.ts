// Signing in on the dashboard: the API token in exchange for an HttpOnly cookie, which the
// browser then sends with every request, socket and Bull Board page of this origin.
import { HeadwayError, type SessionState, SignInRequest } from '@headway/progress';
import { Elysia } from 'elysia';
import { type Access, SESSION_COOKIE } from '../access.ts';

const MAX_AGE_SECONDS = 30 * 24 * 3600;

const cookie = (value: string, maxAge: number, secure: boolean) =>
  `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;

const isHttps = (request: Request) =>
  new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';

export const sessionRoutes = (access: Access) =>
  new Elysia({ name: 'session', prefix: '/api/session' })
    .get('', ({ headers }): SessionState => ({ tokenRequired: access.tokenRequired, signedIn: access.allows(headers) }))
    .post(
      '',
      ({ body, request, set }) => {
        set.status = 204;
        if (!access.tokenRequired) return;
        if (!access.isToken(body.token)) throw new HeadwayError(401, 'UNAUTHORIZED', 'That is not the API token');
        set.headers['set-cookie'] = cookie(body.token, MAX_AGE_SECONDS, isHttps(request));
      },
      { body: SignInRequest },
    )
    .delete('', ({ request, set }) => {
      set.status = 204;
      set.headers['set-cookie'] = cookie('', 0, isHttps(request));
    });
