// Who may use the API, checked before any route runs.
// - The Host must be one this API serves (loopback names, HOST, ALLOWED_HOSTS, ALLOWED_ORIGINS):
//   a page on a DNS-rebinding domain reaches 127.0.0.1 under its own name, and is refused (421).
// - The token gate reads the route the router matched, and a parameter with a dot segment or a
//   backslash is refused, so no spelling of a path reaches a route the gate did not check.
// - A browser request from another site is refused whatever it carries (CSRF, cross-site WebSocket
//   hijacking), unless ALLOWED_ORIGINS names its origin.
// - With API_TOKEN set, everything but the health check, signing in, the API's docs and the web
//   app's own files needs the token: a Bearer header, or the session cookie signing in sets.
//   Sockets are told with an `error` message and close code 4401.
import { timingSafeEqual } from 'node:crypto';
import { HeadwayError } from '@headway/progress';
import { errorResponse } from './error-handler.ts';
import { hostnameOfRequest, isLoopbackName } from './host-names.ts';
import { type Sessions, sha256 } from './sessions.ts';

export const SESSION_COOKIE = 'headway_session';
const SESSION_COOKIE_VALUE = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]*)`);

/** Routes anyone may reach: what the sign-in page needs, the API's docs and the health check. */
const PUBLIC = [/^\/$/, /^\/jobs\/\*$/, /^\/assets\/\*$/, /^\/healthz$/, /^\/api\/session$/, /^\/openapi(\/[\w.-]+)?$/];
/** A parameter that names a path of its own: dot segments and backslashes (no id or name has one). */
const AMBIGUOUS = /\\|(^|\/)\.{1,2}(\/|$)/;
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '']);

type HeaderSource = Headers | Record<string, string | undefined>;

const header = (headers: HeaderSource, name: string) => (headers instanceof Headers ? headers.get(name) : headers[name]) ?? undefined;

export interface AccessOptions {
  token?: string;
  /** The address the API binds (HOST): its name is served. */
  host?: string;
  allowedOrigins?: readonly string[];
  /** Further names the API is reached by (behind a proxy, or bound to every address). */
  allowedHosts?: readonly string[];
  /** Needed with a token: where signed-in sessions live. */
  sessions?: Sessions;
}

export class Access {
  readonly #digest?: Buffer;
  readonly #origins: ReadonlySet<string>;
  readonly #hosts: ReadonlySet<string>;
  readonly #sessions?: Sessions;

  constructor({ token, host = '127.0.0.1', allowedOrigins = [], allowedHosts = [], sessions }: AccessOptions) {
    if (token) {
      if (!sessions) throw new Error('Access with a token needs sessions');
      this.#digest = sha256(token);
      this.#sessions = sessions;
    }
    this.#origins = new Set(allowedOrigins);
    const hosts = [...allowedHosts, ...allowedOrigins.map(hostnameOf)];
    if (!WILDCARD_HOSTS.has(host)) hosts.push(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
    this.#hosts = new Set(hosts.filter(Boolean).map((h) => h!.toLowerCase()));
  }

  get tokenRequired(): boolean {
    return this.#digest !== undefined;
  }

  /** Whether `token` is the API token (compared in constant time). */
  isToken(token: string): boolean {
    return this.#digest !== undefined && timingSafeEqual(sha256(token), this.#digest);
  }

  /** Whether the request carries the token or an open session, or none is needed. */
  async allows(headers: HeaderSource): Promise<boolean> {
    if (!this.#digest) return true;
    const bearer = /^Bearer (.+)$/i.exec(header(headers, 'authorization') ?? '')?.[1];
    if (bearer !== undefined) return this.isToken(bearer);
    const session = sessionIdOf(headers);
    return session !== undefined && this.#sessions!.isOpen(session);
  }

  /** Requests without an Origin (not from a browser page) pass; so do the API's own and allowed origins. */
  allowsOrigin(headers: HeaderSource): boolean {
    const origin = header(headers, 'origin');
    if (!origin || this.#origins.has(origin)) return true;
    try {
      return new URL(origin).host === header(headers, 'host');
    } catch {
      return false;
    }
  }

  allowsHost(hostname: string): boolean {
    return isLoopbackName(hostname) || this.#hosts.has(hostname);
  }

  /** The response a request gets when it is refused before routing, or undefined: Host and Origin. */
  refusal(request: Request): Response | undefined {
    const hostname = hostnameOfRequest(request);
    if (hostname === undefined) {
      const host = JSON.stringify((request.headers.get('host') ?? '').slice(0, 100));
      return errorResponse(new HeadwayError(400, 'BAD_REQUEST', `The Host header ${host} is not a host name`));
    }
    if (!this.allowsHost(hostname)) {
      return errorResponse(new HeadwayError(421, 'MISDIRECTED', `This API does not serve the host "${hostname}"; add it to ALLOWED_HOSTS`));
    }
    if (!this.allowsOrigin(request.headers)) {
      const origin = request.headers.get('origin');
      return errorResponse(new HeadwayError(403, 'FORBIDDEN', `Requests from ${origin} are not allowed; add it to ALLOWED_ORIGINS`));
    }
    return undefined;
  }

  /**
   * Throws unless the matched route may be reached by this request. It reads the route the router
   * matched and the parameters it took from the raw path: Bun hands handlers a URL with `\..\`
   * and `%2e%2e` resolved, so a check of that URL's path could pass a public path while the router
   * ran a private route.
   */
  async check({ route, params, headers }: { route: string; params?: Record<string, string>; headers: HeaderSource }) {
    for (const [name, value] of Object.entries(params ?? {})) {
      if (AMBIGUOUS.test(value)) {
        throw new HeadwayError(400, 'BAD_REQUEST', `The path's ${name} has a dot segment or a backslash; ask for the path itself`);
      }
    }
    // A refused upgrade reaches a browser as a bare 1006: sockets check the token once open.
    if (route.startsWith('/ws/') || PUBLIC.some((p) => p.test(route)) || (await this.allows(headers))) return;
    throw new HeadwayError(
      401,
      'UNAUTHORIZED',
      'This API needs its token: send "Authorization: Bearer <API_TOKEN>", or sign in on the dashboard',
    );
  }
}

/** The session cookie's value; a malformed one is no session. */
export function sessionIdOf(headers: HeaderSource): string | undefined {
  const value = SESSION_COOKIE_VALUE.exec(header(headers, 'cookie') ?? '')?.[1];
  return value || undefined;
}

function hostnameOf(origin: string): string | undefined {
  try {
    return new URL(origin).hostname;
  } catch {
    return undefined;
  }
}
