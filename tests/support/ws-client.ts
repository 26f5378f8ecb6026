// A real WebSocket client that records every server message of a job's progress socket.
import type { JobEvent, ServerMessage } from '@headway/progress';
import { Waiters } from './waiters.ts';

export class ProgressClient {
  readonly messages: ServerMessage[] = [];
  readonly socket: WebSocket;
  closed?: { code: number; reason: string };
  readonly opened: Promise<void>;
  readonly #waiters = new Waiters();

  /** `headers` (Bun's WebSocket takes them) carry a token or an Origin, as the CLI or a browser would. */
  constructor(url: string, headers?: Record<string, string>) {
    this.socket = headers ? new WebSocket(url, { headers } as unknown as string[]) : new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.onopen = () => resolve();
      this.socket.onerror = () => reject(new Error(`could not connect to ${url}`));
    });
    this.socket.onmessage = (m) => {
      this.messages.push(JSON.parse(String(m.data)));
      this.#waiters.notify();
    };
    this.socket.onclose = (e) => {
      this.closed = { code: e.code, reason: e.reason };
      this.#waiters.notify();
    };
  }

  /** Events in the order received, flattened out of `progress` and `logs` messages. */
  get events(): { id: string; event: JobEvent }[] {
    return this.messages.flatMap((m): { id: string; event: JobEvent }[] =>
      m.type === 'progress' ? [{ id: m.id, event: m.event }] : m.type === 'logs' ? m.lines : [],
    );
  }

  waitFor(predicate: (c: ProgressClient) => boolean, timeoutMs = 60_000): Promise<void> {
    return this.#waiters.until(
      () => predicate(this),
      timeoutMs,
      () => {
        const types = this.messages.map((m) => m.type).join(',');
        return `received: ${types.slice(-500)}`;
      },
    );
  }

  close(): void {
    this.socket.close();
  }
}

export const wsUrl = (httpUrl: string, path: string) => httpUrl.replace(/^http/, 'ws') + path;
