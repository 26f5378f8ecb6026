// A WebSocket that comes back by itself: after a drop it reconnects with capped exponential
// backoff and full jitter, and at once when the browser says it is online again. A 44xx close
// means the request itself is wrong, so it stops. The progress and job-list sockets build on it;
// shared by the web app (no Node or Redis imports here) and the terminal client.
import { isTerminalCloseCode } from '../model/close-codes.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface ConnectionInfo {
  state: ConnectionState;
  /** Code and reason of the last close, when there was one. */
  closeCode?: number;
  closeReason?: string;
  /** When the next attempt starts (ms since epoch), while reconnecting. */
  retryAt?: number;
}

/** Full jitter: a random delay between 0 and the capped exponential step (AWS architecture blog). */
export function backoffDelay(failures: number, baseMs: number, maxMs: number): number {
  return Math.random() * Math.min(maxMs, baseMs * 2 ** failures);
}

export interface ReconnectingSocketOptions<M> {
  /** Asked again for every attempt, so it can carry a cursor. */
  url: () => string;
  onMessage: (message: M) => void;
  onStateChange?: (info: ConnectionInfo) => void;
  /** Sent with each upgrade (Bun's WebSocket takes them; a browser sends its cookies instead). */
  headers?: Record<string, string>;
  /** Whether a message proves the connection works, so the next failure starts the backoff over (default: any). */
  proves?: (message: M) => boolean;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** The origin of a socket URL: the given one, or this page's with ws: or wss:. */
export function socketOrigin(origin?: string): string {
  return origin ?? `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
}

export class ReconnectingSocket<M extends { type: string }> {
  #socket: WebSocket | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #closed = false;
  #info: ConnectionInfo = { state: 'offline' };
  readonly #onOnline = () => this.#retryNow();

  constructor(private readonly options: ReconnectingSocketOptions<M>) {}

  get info(): ConnectionInfo {
    return this.#info;
  }

  connect(): void {
    this.#closed = false;
    globalThis.addEventListener?.('online', this.#onOnline);
    this.#open('connecting');
  }

  /** Closes for good: no reconnect. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    globalThis.removeEventListener?.('online', this.#onOnline);
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket && socket.readyState < WebSocket.CLOSING) socket.close(1000, 'closed by viewer');
    this.#setInfo({ state: 'offline', closeCode: 1000, closeReason: 'closed by viewer' });
  }

  #open(state: 'connecting' | 'reconnecting'): void {
    this.#setInfo({ ...this.#info, state, retryAt: undefined });
    const { headers } = this.options;
    const socket = headers ? new WebSocket(this.options.url(), { headers } as never) : new WebSocket(this.options.url());
    this.#socket = socket;
    socket.onopen = () => {
      if (this.#socket === socket) this.#setInfo({ ...this.#info, state: 'live' });
    };
    socket.onmessage = (event) => {
      if (this.#socket === socket) this.#receive(event.data);
    };
    socket.onclose = (event) => {
      if (this.#socket === socket) this.#lost(event.code, event.reason);
    };
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: M;
    try {
      message = JSON.parse(data) as M;
    } catch {
      return;
    }
    if (!message || typeof message !== 'object' || typeof message.type !== 'string') return;
    if (this.options.proves?.(message) ?? true) this.#failures = 0;
    this.options.onMessage(message);
  }

  #lost(code: number, reason: string): void {
    this.#socket = undefined;
    if (this.#closed) return;
    const closeReason = reason || describeCloseCode(code);
    if (isTerminalCloseCode(code)) {
      this.#setInfo({ state: 'offline', closeCode: code, closeReason });
      return;
    }
    const { baseDelayMs = 500, maxDelayMs = 10_000 } = this.options;
    const delay = backoffDelay(this.#failures++, baseDelayMs, maxDelayMs);
    this.#setInfo({ state: 'reconnecting', closeCode: code, closeReason, retryAt: Date.now() + delay });
    this.#timer = setTimeout(() => this.#open('reconnecting'), delay);
  }

  #retryNow(): void {
    if (this.#closed || this.#info.state !== 'reconnecting' || this.#socket) return;
    clearTimeout(this.#timer);
    this.#open('reconnecting');
  }

  #setInfo(info: ConnectionInfo): void {
    this.#info = info;
    this.options.onStateChange?.(info);
  }
}

function describeCloseCode(code: number): string {
  switch (code) {
    case 1000:
      return 'closed';
    case 1001:
      return 'server going away';
    case 1006:
      return 'connection lost';
    case 1008:
      return 'refused by server';
    case 1009:
      return 'message too large';
    case 1011:
      return 'server error';
    case 1013:
      return 'server busy';
    default:
      return `closed (${code})`;
  }
}
