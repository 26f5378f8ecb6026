// A real WebSocket client of `/ws/jobs` that records every message and folds them into the list
// it would show, the way the web app does.
import type { JobListQuery, JobListServerMessage, JobListView } from '@headway/progress';
import { applyJobListMessage } from '@headway/progress/client';
import { Waiters } from './waiters.ts';

export class JobListClient {
  readonly messages: JobListServerMessage[] = [];
  /** Every state of the folded list, one per message. */
  readonly views: (JobListView | undefined)[] = [];
  readonly socket: WebSocket;
  closed?: { code: number; reason: string };
  readonly #waiters = new Waiters();

  constructor(
    apiUrl: string,
    readonly query: JobListQuery = {},
  ) {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    this.socket = new WebSocket(`${apiUrl.replace(/^http/, 'ws')}/ws/jobs${params.size ? `?${params}` : ''}`);
    this.socket.onmessage = (m) => {
      const message = JSON.parse(String(m.data)) as JobListServerMessage;
      this.messages.push(message);
      this.views.push(applyJobListMessage(this.views.at(-1), message, query));
      this.#waiters.notify();
    };
    this.socket.onclose = (e) => {
      this.closed = { code: e.code, reason: e.reason };
      this.#waiters.notify();
    };
  }

  get view(): JobListView | undefined {
    return this.views.at(-1);
  }

  /** The `job` messages about one job, in order. */
  updatesOf(id: string) {
    return this.messages.flatMap((m) => (m.type === 'job' && m.job.id === id ? [m.job] : []));
  }

  waitFor(predicate: (c: JobListClient) => boolean, timeoutMs = 60_000): Promise<void> {
    return this.#waiters.until(
      () => predicate(this),
      timeoutMs,
      () => `received: ${JSON.stringify(this.messages).slice(-800)}`,
    );
  }

  close(): void {
    this.socket.close();
  }
}
