// The dashboard's job-list WebSocket `/ws/jobs`: after a drop it reconnects with backoff and
// jitter, and every connection starts with a fresh `jobs` snapshot, so there is nothing to resume.
import type { JobListQuery, JobListServerMessage } from '@headway/progress/client';
import { type ConnectionInfo, ReconnectingSocket, socketOrigin } from '@headway/progress/client';

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
  readonly #socket: ReconnectingSocket<JobListServerMessage>;

  constructor(private readonly options: JobListSocketOptions) {
    this.#socket = new ReconnectingSocket<JobListServerMessage>({
      ...options,
      url: () => this.url(),
      // A snapshot got through, so this connection works.
      proves: (message) => message.type === 'jobs',
    });
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
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(this.options.query ?? {})) {
      if (value !== undefined) params.set(name, String(value));
    }
    const search = params.toString();
    return `${socketOrigin(this.options.origin)}/ws/jobs${search ? `?${search}` : ''}`;
  }
}
