// Who may use the API. A browser request from another site is refused whatever it carries (so a
// page elsewhere cannot cancel jobs or open a socket: CSRF, cross-site WebSocket hijacking),
// unless ALLOWED_ORIGINS names its origin. With API_TOKEN set, everything but the health check,
// signing in, the API's docs and the web app's own files needs the token: a Bearer header, or the cookie that
// signing in sets. Sockets are told with an `error` message and close code 4401.
import { createHash, timingSafeEqual } from 'node:crypto';
import { type ErrorBody, HeadwayError } from '@headway/progress';

export const SESSION_COOKIE = 'headway_token';
const SESSION_COOKIE_VALUE = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`);

/** Paths anyone may reach: what the sign-in page needs, and the health check. */
const PUBLIC = [/^\/$/, /^\/jobs(\/|$)/, /^\/assets\//, /^\/healthz$/, /^\/api\/session$/, /^\/openapi(\/json)?$/];

type HeaderSource = Headers | Record<string, string | undefined>;

const header = (headers: HeaderSource, name: string) =>
  (headers instanceof Headers ? headers.get(name) : headers[name]) ?? undefined;

export class Access {
  readonly #digest?: Buffer;
  readonly #origins: ReadonlySet<string>;

  constructor({ token, allowedOrigins = [] }: { token?: string; allowedOrigins?: readonly string[] }) {
    if (token) this.#digest = digest(token);
    this.#origins = new Set(allowedOrigins);
  }

  get tokenRequired(): boolean {
    return this.#digest !== undefined;
  }

  /** Whether `token` is the API token (compared in constant time). */
  isToken(token: string): boolean {
    return this.#digest !== undefined && timingSafeEqual(digest(token), this.#digest);
  }

  /** Whether the request carries the token, or none is needed. */
  allows(headers: HeaderSource): boolean {
    if (!this.#digest) return true;
    const bearer = /^Bearer (.+)$/i.exec(header(headers, 'authorization') ?? '')?.[1];
    const cookie = SESSION_COOKIE_VALUE.exec(header(headers, 'cookie') ?? '')?.[1];
    const given = bearer ?? (cookie && decodeURIComponent(cookie));
    return given !== undefined && this.isToken(given);
  }

  /** Requests without an Origin (not from a browser page) pass; so does the API's own origin. */
  allowsOrigin(headers: HeaderSource): boolean {
    const origin = header(headers, 'origin');
    if (!origin || this.#origins.has(origin)) return true;
    try {
      return new URL(origin).host === header(headers, 'host');
    } catch {
      return false;
    }
  }

  /** The response a request gets when it is refused before any route runs, or undefined. */
  refusal(request: Request): Response | undefined {
    const path = new URL(request.url).pathname;
    if (!this.allowsOrigin(request.headers)) {
      const origin = request.headers.get('origin');
      return refuse(new HeadwayError(403, 'FORBIDDEN', `Requests from ${origin} are not allowed; add it to ALLOWED_ORIGINS`));
    }
    // A refused upgrade reaches a browser as a bare 1006: sockets check the token once open.
    if (path.startsWith('/ws/') || PUBLIC.some((p) => p.test(path)) || this.allows(request.headers)) return undefined;
    return refuse(
      new HeadwayError(401, 'UNAUTHORIZED', 'This API needs its token: send "Authorization: Bearer <API_TOKEN>", or sign in on the dashboard'),
    );
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

function refuse(error: HeadwayError): Response {
  const body: ErrorBody = error.toBody();
  return new Response(JSON.stringify(body), { status: error.status, headers: { 'content-type': 'application/json' } });
}
