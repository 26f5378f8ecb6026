// The one way Headway's sockets open: a client address holds at most so many at once, the token
// and its role are checked (route-roles.ts: 4401 without one, 4403 when it does not reach the
// socket), and whatever the socket's start throws closes it with an `error` message and a code
// the client understands, so no socket stays open half-started.
import { CLOSE_FORBIDDEN, CLOSE_UNAUTHORIZED, type ErrorCode, HeadwayError, isRedisUnavailable, serverLog } from '@headway/progress';
import type { Access, Identity } from './access.ts';
import { ruleFor } from './route-roles.ts';

/** Standard codes: the server failed (1011), or cannot serve now and the client should retry (1013). */
export const CLOSE_INTERNAL_ERROR = 1011;
export const CLOSE_TRY_AGAIN_LATER = 1013;

const UNAUTHORIZED = 'This socket needs the API token: sign in, or send "Authorization: Bearer <API_TOKEN>"';
const LAPSED = 'The token or session this socket opened with is no longer valid: sign in again';
/** How often open sockets' tokens, sessions and share links are checked again. */
export const SOCKET_RECHECK_MS = 10_000;

export interface GatedSocket {
  id: string;
  send(data: string): unknown;
  close(code?: number, reason?: string): unknown;
  data: { headers: Record<string, string | undefined>; params?: Record<string, string> };
  raw: object;
}

const clientOf = (ws: GatedSocket) => (ws.raw as { remoteAddress?: string }).remoteAddress ?? 'unknown';

export class SocketGate {
  /** Open sockets per client address, and each socket's address. */
  readonly #perClient = new Map<string, number>();
  readonly #clientOfSocket = new Map<string, string>();
  /** Sockets opened with a token, a session or a share link, by id: what let them in can lapse. */
  readonly #credentialed = new Map<string, { ws: GatedSocket; route: string }>();
  #rechecks?: ReturnType<typeof setInterval>;
  /** Passes run one after another, so a pass asked for after a change always starts after it. */
  #passes: Promise<unknown> = Promise.resolve();
  #pending = 0;

  constructor(
    private readonly access: Access,
    private readonly maxPerClient: number,
  ) {}

  /**
   * Runs `start` once the socket may open (`route` as route-roles.ts names it); otherwise, or when
   * it fails, tells the client why and closes.
   */
  open(ws: GatedSocket, route: string, what: string, start: () => Promise<void> | void): void {
    const client = clientOf(ws);
    const count = (this.#perClient.get(client) ?? 0) + 1;
    this.#perClient.set(client, count);
    this.#clientOfSocket.set(ws.id, client);
    if (count > this.maxPerClient) {
      const message = `This address has ${this.maxPerClient} sockets open already (MAX_SOCKETS_PER_CLIENT); close some first`;
      return refuse(ws, 'TOO_MANY_REQUESTS', message, CLOSE_TRY_AGAIN_LATER, 'too many sockets');
    }
    void (async () => {
      const admitted = await this.#admit(ws, route, UNAUTHORIZED);
      if (admitted instanceof HeadwayError) return turnAway(ws, admitted);
      if (admitted.kind !== 'open' && this.#clientOfSocket.has(ws.id)) this.#credentialed.set(ws.id, { ws, route });
      await start();
    })().catch((error: unknown) => {
      if (isRedisUnavailable(error)) {
        return refuse(ws, 'UNAVAILABLE', 'Redis is not reachable; reconnect shortly to resume', CLOSE_TRY_AGAIN_LATER, 'redis unavailable');
      }
      serverLog.error('ws', `${what}:`, error);
      refuse(ws, 'INTERNAL', `Could not open ${what}`, CLOSE_INTERNAL_ERROR, 'internal error');
    });
  }

  /**
   * Checks again what let each open socket in, and closes (4401, or 4403 for a role too small now)
   * those it no longer lets in: a token taken out of HEADWAY_TOKENS_FILE, a session signed out, a
   * share link expired or revoked on any API. Resolves to how many it closed; Redis being down
   * closes none (they are checked again next time).
   */
  recheck(): Promise<number> {
    this.#pending++;
    const pass = this.#passes.then(() => this.#recheckAll()).finally(() => this.#pending--);
    this.#passes = pass.catch(() => undefined);
    return pass;
  }

  /** Rechecks every `intervalMs` until stopRechecks(). */
  startRechecks(intervalMs = SOCKET_RECHECK_MS): void {
    // A pass still waiting covers this one.
    this.#rechecks ??= setInterval(() => {
      if (this.#pending === 0) void this.recheck();
    }, intervalMs);
  }

  stopRechecks(): void {
    clearInterval(this.#rechecks);
    this.#rechecks = undefined;
  }

  async #recheckAll(): Promise<number> {
    let closed = 0;
    for (const [id, { ws, route }] of this.#credentialed) {
      // Redis down: checked again next time.
      const admitted = await this.#admit(ws, route, LAPSED).catch(() => undefined);
      // Not closed meanwhile (the socket's close deletes it).
      if (admitted instanceof HeadwayError && this.#credentialed.delete(id)) {
        turnAway(ws, admitted);
        closed++;
      }
    }
    return closed;
  }

  /** Who the socket is, if they may use `route`; else the 401 or 403 that says why. Other failures (Redis down) are thrown. */
  async #admit(ws: GatedSocket, route: string, unauthorized: string): Promise<Identity | HeadwayError> {
    try {
      const identity = await this.access.identify(ws.data.headers);
      if (!identity) throw new HeadwayError(401, 'UNAUTHORIZED', unauthorized);
      this.access.authorize(identity, ruleFor('WS', route), ws.data.params);
      return identity;
    } catch (error) {
      if (!(error instanceof HeadwayError) || (error.status !== 401 && error.status !== 403)) throw error;
      return error;
    }
  }

  /** Call from the socket's `close`. */
  closed(ws: { id: string }): void {
    this.#credentialed.delete(ws.id);
    const client = this.#clientOfSocket.get(ws.id);
    if (client === undefined) return;
    this.#clientOfSocket.delete(ws.id);
    const count = (this.#perClient.get(client) ?? 1) - 1;
    if (count > 0) this.#perClient.set(client, count);
    else this.#perClient.delete(client);
  }
}

/** Closes with 4401 without (or with a lapsed) token, 4403 when the role or share link does not reach. */
function turnAway(ws: GatedSocket, error: HeadwayError): void {
  const [code, reason] = error.status === 401 ? [CLOSE_UNAUTHORIZED, 'unauthorized'] : [CLOSE_FORBIDDEN, 'forbidden'];
  refuse(ws, error.code, error.message, code, reason);
}

function refuse(ws: GatedSocket, code: ErrorCode, message: string, closeCode: number, reason: string): void {
  try {
    ws.send(JSON.stringify({ type: 'error', code, message }));
    ws.close(closeCode, reason);
  } catch {
    // Already gone.
  }
}
