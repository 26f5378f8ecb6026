// The one way Headway's sockets open: a client address holds at most so many at once, the token
// is checked, and whatever the socket's start throws closes it with an `error` message and a code
// the client understands, so no socket stays open half-started.
import { CLOSE_UNAUTHORIZED, type ErrorCode, isRedisUnavailable, serverLog } from '@headway/progress';
import type { Access } from './access.ts';

/** Standard codes: the server failed (1011), or cannot serve now and the client should retry (1013). */
export const CLOSE_INTERNAL_ERROR = 1011;
export const CLOSE_TRY_AGAIN_LATER = 1013;

export interface GatedSocket {
  id: string;
  send(data: string): unknown;
  close(code?: number, reason?: string): unknown;
  data: { headers: Record<string, string | undefined> };
  raw: object;
}

const clientOf = (ws: GatedSocket) => (ws.raw as { remoteAddress?: string }).remoteAddress ?? 'unknown';

export class SocketGate {
  /** Open sockets per client address, and each socket's address. */
  readonly #perClient = new Map<string, number>();
  readonly #clientOfSocket = new Map<string, string>();

  constructor(
    private readonly access: Access,
    private readonly maxPerClient: number,
  ) {}

  /** Runs `start` once the socket may open; otherwise, or when it fails, tells the client why and closes. */
  open(ws: GatedSocket, what: string, start: () => Promise<void> | void): void {
    const client = clientOf(ws);
    const count = (this.#perClient.get(client) ?? 0) + 1;
    this.#perClient.set(client, count);
    this.#clientOfSocket.set(ws.id, client);
    if (count > this.maxPerClient) {
      const message = `This address has ${this.maxPerClient} sockets open already (MAX_SOCKETS_PER_CLIENT); close some first`;
      return refuse(ws, 'TOO_MANY_REQUESTS', message, CLOSE_TRY_AGAIN_LATER, 'too many sockets');
    }
    void (async () => {
      if (!(await this.access.allows(ws.data.headers))) {
        const message = 'This socket needs the API token: sign in, or send "Authorization: Bearer <API_TOKEN>"';
        return refuse(ws, 'UNAUTHORIZED', message, CLOSE_UNAUTHORIZED, 'unauthorized');
      }
      await start();
    })().catch((error: unknown) => {
      if (isRedisUnavailable(error)) {
        return refuse(ws, 'UNAVAILABLE', 'Redis is not reachable; reconnect shortly to resume', CLOSE_TRY_AGAIN_LATER, 'redis unavailable');
      }
      serverLog.error('ws', `${what}:`, error);
      refuse(ws, 'INTERNAL', `Could not open ${what}`, CLOSE_INTERNAL_ERROR, 'internal error');
    });
  }

  /** Call from the socket's `close`. */
  closed(ws: { id: string }): void {
    const client = this.#clientOfSocket.get(ws.id);
    if (client === undefined) return;
    this.#clientOfSocket.delete(ws.id);
    const count = (this.#perClient.get(client) ?? 1) - 1;
    if (count > 0) this.#perClient.set(client, count);
    else this.#perClient.delete(client);
  }
}

function refuse(ws: GatedSocket, code: ErrorCode, message: string, closeCode: number, reason: string): void {
  try {
    ws.send(JSON.stringify({ type: 'error', code, message }));
    ws.close(closeCode, reason);
  } catch {
    // Already gone.
  }
}
