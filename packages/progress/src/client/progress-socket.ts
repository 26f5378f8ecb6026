// One job's progress WebSocket that survives disconnects: it resumes after the cursor of the last
// event it delivered, so the server replays exactly what was missed (DESIGN.md, Protocols).
import type { ServerMessage } from '../model/messages.ts';
import { type ConnectionInfo, ReconnectingSocket, socketOrigin } from './reconnecting-socket.ts';

export { backoffDelay, type ConnectionInfo, type ConnectionState } from './reconnecting-socket.ts';

export interface ProgressSocketOptions {
  onMessage: (message: ServerMessage) => void;
  onStateChange?: (info: ConnectionInfo) => void;
  /** Base of the socket URL (`ws://host:port`); in a browser it defaults to the page's origin. */
  origin?: string;
  /** Sent with each upgrade, e.g. `authorization` (terminal client only). */
  headers?: Record<string, string>;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export class ProgressSocket {
  #cursor = '0';
  readonly #socket: ReconnectingSocket<ServerMessage>;

  constructor(
    readonly jobId: string,
    private readonly options: ProgressSocketOptions,
  ) {
    this.#socket = new ReconnectingSocket<ServerMessage>({
      ...options,
      url: () => this.url(),
      // An error before a close (Redis unavailable) does not prove the connection works: the
      // backoff keeps growing while the server cannot serve the job.
      proves: (message) => message.type !== 'error',
      onMessage: (message) => {
        // Only events move the cursor: a `reset` stands in for events that are gone, and the
        // retained ones after it follow with their own ids.
        if (message.type === 'progress') this.#cursor = message.id;
        if (message.type === 'logs') this.#cursor = message.lines.at(-1)?.id ?? this.#cursor;
        options.onMessage(message);
      },
    });
  }

  /** Cursor of the last delivered event: where a reconnect resumes. */
  get cursor(): string {
    return this.#cursor;
  }

  get info(): ConnectionInfo {
    return this.#socket.info;
  }

  connect(): void {
    this.#socket.connect();
  }

  /** Closes for good: no reconnect. */
  close(): void {
    this.#socket.close();
  }

  url(): string {
    const path = `/ws/jobs/${encodeURIComponent(this.jobId)}/progress?after=${encodeURIComponent(this.#cursor)}`;
    return socketOrigin(this.options.origin) + path;
  }
}
