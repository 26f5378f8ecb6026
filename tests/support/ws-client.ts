// A real WebSocket client that records every server message of a job's progress socket.
import type { JobEvent, ServerMessage } from '@headway/progress';

export class ProgressClient {
  readonly messages: ServerMessage[] = [];
  readonly socket: WebSocket;
  closed?: { code: number; reason: string };
  readonly opened: Promise<void>;
  #waiters: (() => void)[] = [];

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.onopen = () => resolve();
      this.socket.onerror = () => reject(new Error(`could not connect to ${url}`));
    });
    this.socket.onmessage = (m) => {
      this.messages.push(JSON.parse(String(m.data)));
      this.#notify();
    };
    this.socket.onclose = (e) => {
      this.closed = { code: e.code, reason: e.reason };
      this.#notify();
    };
  }

  /** Events in the order received, flattened out of `progress` and `logs` messages. */
  get events(): { id: string; event: JobEvent }[] {
    return this.messages.flatMap((m): { id: string; event: JobEvent }[] =>
      m.type === 'progress' ? [{ id: m.id, event: m.event }] : m.type === 'logs' ? m.lines : [],
    );
  }

  async waitFor(predicate: (c: ProgressClient) => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > deadline) {
        const types = this.messages.map((m) => m.type).join(',');
        throw new Error(`timed out after ${timeoutMs} ms; received: ${types.slice(-500)}`);
      }
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  close(): void {
    this.socket.close();
  }

  #notify() {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}

export const wsUrl = (httpUrl: string, path: string) => httpUrl.replace(/^http/, 'ws') + path;
