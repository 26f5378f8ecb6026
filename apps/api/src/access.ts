// Who may use the API, checked before any route runs.
// - The Host must be one this API serves (loopback names, HOST, ALLOWED_HOSTS, ALLOWED_ORIGINS):
//   a page on a DNS-rebinding domain reaches 127.0.0.1 under its own name, and is refused (421).
// - The token gate reads the route the router matched, and a parameter with a dot segment or a
//   backslash is refused, so no spelling of a path reaches a route the gate did not check.
// - A browser request from another site is refused whatever it carries (CSRF, cross-site WebSocket
//   hijacking), unless ALLOWED_ORIGINS names its origin.
// - With API_TOKEN or HEADWAY_TOKENS_FILE set, every route needs the role route-roles.ts names:
//   a token as a Bearer header, or the session cookie signing in sets, says who is asking (401
//   without one, 403 naming the role needed when it is too small). A share link's token reads its
//   one job and nothing else. Sockets are told with an `error` message and close code 4401 or 4403.
import { HeadwayError, isShareToken, type Role, roleAllows } from '@headway/progress';
import { errorResponse } from './error-handler.ts';
import { hostnameOfRequest, isLoopbackName } from './host-names.ts';
import { type RouteRule, ruleFor } from './route-roles.ts';
import type { Sessions } from './sessions.ts';
import type { Share, ShareLinks } from './share-links.ts';
import type { Person, Tokens } from './tokens.ts';

/** Who is asking: a person (by token or session), a share link, or anyone (no tokens configured). */
export type Identity = ({ kind: 'person' } & Person) | ({ kind: 'share' } & Share) | { kind: 'open' };

export const SESSION_COOKIE = 'headway_session';
const SESSION_COOKIE_VALUE = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]*)`);

/** A parameter that names a path of its own: dot segments and backslashes (no id or name has one). */
const AMBIGUOUS = /\\|(^|\/)\.{1,2}(\/|$)/;
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '']);

type HeaderSource = Headers | Record<string, string | undefined>;

const header = (headers: HeaderSource, name: string) => (headers instanceof Headers ? headers.get(name) : headers[name]) ?? undefined;

export interface AccessOptions {
  /** API_TOKEN and HEADWAY_TOKENS_FILE: with none, the API is open. */
  tokens?: Tokens;
  shareLinks?: ShareLinks;
  /** The address the API binds (HOST): its name is served. */
  host?: string;
  allowedOrigins?: readonly string[];
  /** Further names the API is reached by (behind a proxy, or bound to every address). */
  allowedHosts?: readonly string[];
  /** Needed with tokens: where signed-in sessions live. */
  sessions?: Sessions;
}

const UNAUTHORIZED =
  'This API needs its token: send "Authorization: Bearer <API_TOKEN>" (or a token of HEADWAY_TOKENS_FILE), or sign in on the dashboard';

export class Access {
  readonly #tokens?: Tokens;
  readonly #shareLinks?: ShareLinks;
  readonly #origins: ReadonlySet<string>;
  readonly #hosts: ReadonlySet<string>;
  readonly #sessions?: Sessions;
  /** Who each request that passed the gate is, for the route to record (who ran, cancelled, retried). */
  readonly #identities = new WeakMap<Request, Identity>();

  constructor({ tokens, shareLinks, host = '127.0.0.1', allowedOrigins = [], allowedHosts = [], sessions }: AccessOptions) {
    if (tokens?.required) {
      if (!sessions || !shareLinks) throw new Error('Access with tokens needs sessions and share links');
      this.#tokens = tokens;
      this.#sessions = sessions;
      this.#shareLinks = shareLinks;
    }
    this.#origins = new Set(allowedOrigins);
    const hosts = [...allowedHosts, ...allowedOrigins.map(hostnameOf)];
    if (!WILDCARD_HOSTS.has(host)) hosts.push(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
    this.#hosts = new Set(hosts.filter(Boolean).map((h) => h!.toLowerCase()));
  }

  get tokenRequired(): boolean {
    return this.#tokens !== undefined;
  }

  /** The person whose token this is (a share link's token is none). */
  personOf(token: string): (Person & { digest: string }) | undefined {
    return this.#tokens?.byToken(token);
  }

  /**
   * Who the request is: its Bearer token, else its session cookie; undefined for neither (or an
   * unknown token). A share link's token that is revoked or expired throws a 401 saying which.
   */
  async identify(headers: HeaderSource): Promise<Identity | undefined> {
    if (!this.#tokens) return { kind: 'open' };
    const bearer = /^Bearer (.+)$/i.exec(header(headers, 'authorization') ?? '')?.[1];
    const given = bearer ?? sessionIdOf(headers);
    if (given === undefined) return undefined;
    if (isShareToken(given)) return { kind: 'share', ...(await this.#shareLinks!.verify(given)) };
    const person = bearer !== undefined ? this.#tokens.byToken(bearer) : await this.#sessions!.personOf(given);
    return person && { kind: 'person', name: person.name, role: person.role };
  }

  /** Throws 401 without an identity, 403 naming what is needed when it does not reach the rule. */
  authorize(identity: Identity | undefined, rule: RouteRule, params: Record<string, string> = {}): void {
    if (rule.need === 'public' || identity?.kind === 'open') return;
    if (!identity) throw new HeadwayError(401, 'UNAUTHORIZED', UNAUTHORIZED);
    if (identity.kind === 'share') {
      if (rule.shared && params.id === identity.jobId) return;
      const what = rule.shared ? `job ${params.id}` : 'this';
      throw new HeadwayError(
        403,
        'FORBIDDEN',
        `This share link reads only job ${identity.jobId}, not ${what}; sign in with a token for more`,
      );
    }
    if (!roleAllows(identity.role, rule.need)) throw forbidden(identity, rule.need);
  }

  /** The token name of whoever made the request, when the API has tokens. */
  actorOf(request: Request): string | undefined {
    const identity = this.#identities.get(request);
    return identity?.kind === 'person' ? identity.name : undefined;
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
  async check({ request, route, params }: { request: Request; route: string; params?: Record<string, string> }) {
    for (const [name, value] of Object.entries(params ?? {})) {
      if (AMBIGUOUS.test(value)) {
        throw new HeadwayError(400, 'BAD_REQUEST', `The path's ${name} has a dot segment or a backslash; ask for the path itself`);
      }
    }
    // A refused upgrade reaches a browser as a bare 1006: sockets are checked once open (socket-gate.ts).
    if (route.startsWith('/ws/')) return;
    const rule = ruleFor(request.method, route);
    if (rule.need === 'public') return;
    const identity = await this.identify(request.headers);
    this.authorize(identity, rule, params);
    this.#identities.set(request, identity!);
  }
}

function forbidden({ name, role }: Person, need: Role): HeadwayError {
  return new HeadwayError(403, 'FORBIDDEN', `This needs the ${need} role; ${name} is ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`);
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
