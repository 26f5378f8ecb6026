// The dashboard's job-list WebSocket `/ws/jobs`: after a drop it reconnects with backoff and
// jitter, and every connection starts with a fresh `jobs` snapshot, so there is nothing to resume.
import type { JobListQuery, JobListServerMessage } from '@headway/progress';
import { isTerminalCloseCode } from '@headway/progress/close-codes';
import { backoffDelay, type ConnectionInfo } from '@headway/progress/progress-socket';

export interface JobListSocketOptions {
  query?: JobListQuery;
  onMessage: (message: JobListServerMessage) => void;
  onStateChange?: (info: ConnectionInfo) => void;
  /** Base of the socket URL; defaults to this page's origin with ws: or wss:. */
  origin?: string;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export class JobListSocket {
  #socket: WebSocket | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #closed = false;
  #info: ConnectionInfo = { state: 'offline' };
  readonly #onOnline = () => this.#retryNow();

  constructor(private readonly options: JobListSocketOptions) {}

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
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(this.options.query ?? {})) {
      if (value !== undefined) params.set(name, String(value));
    }
    const search = params.toString();
    return `${origin}/ws/jobs${search ? `?${search}` : ''}`;
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
    let message: JobListServerMessage;
    try {
      message = JSON.parse(data) as JobListServerMessage;
    } catch {
      return;
    }
    if (!message || typeof message !== 'object' || typeof message.type !== 'string') return;
    // A snapshot got through, so this connection works: the next failure starts the backoff over.
    if (message.type === 'jobs') this.#failures = 0;
    this.options.onMessage(message);
  }

  #lost(code: number, reason: string): void {
    this.#socket = undefined;
    if (this.#closed) return;
    const closeReason = reason || (code === 1006 ? 'connection lost' : `closed (${code})`);
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
