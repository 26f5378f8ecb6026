// One job's progress WebSocket that survives disconnects: it resumes after the cursor of the last
// message it delivered, so the server replays exactly what was missed (DESIGN.md, Protocols).
// Shared by the web app (which bundles it: no Node or Redis imports here) and the terminal client.
import { isTerminalCloseCode } from './close-codes.ts';
import type { ServerMessage } from './messages.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface ConnectionInfo {
  state: ConnectionState;
  /** Code and reason of the last close, when there was one. */
  closeCode?: number;
  closeReason?: string;
  /** When the next attempt starts (ms since epoch), while reconnecting. */
  retryAt?: number;
}

export interface ProgressSocketOptions {
  onMessage: (message: ServerMessage) => void;
  onStateChange?: (info: ConnectionInfo) => void;
  /** Base of the socket URL (`ws://host:port`); in a browser it defaults to the page's origin. */
  origin?: string;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Full jitter: a random delay between 0 and the capped exponential step (AWS architecture blog). */
export function backoffDelay(failures: number, baseMs: number, maxMs: number): number {
  return Math.random() * Math.min(maxMs, baseMs * 2 ** failures);
}

export class ProgressSocket {
  #socket: WebSocket | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #closed = false;
  #cursor = '0';
  #info: ConnectionInfo = { state: 'offline' };
  readonly #onOnline = () => this.#retryNow();

  constructor(
    readonly jobId: string,
    private readonly options: ProgressSocketOptions,
  ) {}

  /** Cursor of the last delivered event: where a reconnect resumes. */
  get cursor(): string {
    return this.#cursor;
  }

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

  url(): string {
    const origin = this.options.origin ?? `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
    return `${origin}/ws/jobs/${encodeURIComponent(this.jobId)}/progress?after=${encodeURIComponent(this.#cursor)}`;
  }

  #open(state: 'connecting' | 'reconnecting'): void {
    this.#setInfo({ ...this.#info, state, retryAt: undefined });
    const socket = new WebSocket(this.url());
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
    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    if (!message || typeof message !== 'object' || typeof message.type !== 'string') return;
    // A message got through, so this connection works: the next failure starts the backoff over.
    this.#failures = 0;
    // Only events move the cursor: a `reset` stands in for events that are gone, and the retained
    // ones after it follow with their own ids.
    if (message.type === 'progress') this.#cursor = message.id;
    if (message.type === 'logs') this.#cursor = message.lines.at(-1)?.id ?? this.#cursor;
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
