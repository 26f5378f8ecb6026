// A viewer that keeps every event it is sent, across as many connections as it takes: on each
// close it reconnects after its last cursor, as the web app and the terminal client do. Nothing is
// deduplicated here, so a test sees exactly what the server delivered.
import type { JobEvent, ServerMessage } from '@headway/progress';
import { isTerminalCloseCode } from '@headway/progress/client';
import { Waiters } from './waiters.ts';
import { wsUrl } from './ws-client.ts';

export interface ReceivedEntry {
  id: string;
  event: JobEvent;
  /** Which connection (0, 1, …) delivered it. */
  connection: number;
}

export class ResumingViewer {
  readonly entries: ReceivedEntry[] = [];
  readonly messages: ServerMessage[] = [];
  connections = 0;
  /** Close codes and reasons of every connection that ended. */
  readonly closes: { code: number; reason: string }[] = [];
  #socket?: WebSocket;
  #cursor = '0';
  #stopped = false;
  readonly #waiters = new Waiters();

  /** `apiUrl` is asked again on each reconnect, so a test can move the viewer between APIs. */
  constructor(
    private readonly apiUrl: () => string,
    readonly jobId: string,
    private readonly retryDelayMs = () => 20 + Math.random() * 30,
  ) {
    this.#open();
  }

  get complete(): boolean {
    return this.messages.some((m) => m.type === 'job_complete');
  }

  /** Drops the current connection, if it is open, from the client side; the viewer reconnects by itself. */
  drop(): boolean {
    if (this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.close(4000, 'chaos');
    return true;
  }

  stop(): void {
    this.#stopped = true;
    this.#socket?.close();
  }

  waitFor(predicate: (v: ResumingViewer) => boolean, timeoutMs = 60_000): Promise<void> {
    return this.#waiters.until(
      () => predicate(this),
      timeoutMs,
      () => `${this.entries.length} events over ${this.connections} connections`,
      100,
    );
  }

  #open(): void {
    const connection = this.connections++;
    const socket = new WebSocket(wsUrl(this.apiUrl(), `/ws/jobs/${this.jobId}/progress?after=${this.#cursor}`));
    this.#socket = socket;
    socket.onmessage = (m) => {
      const message = JSON.parse(String(m.data)) as ServerMessage;
      this.messages.push(message);
      const lines = message.type === 'progress' ? [message] : message.type === 'logs' ? message.lines : [];
      for (const { id, event } of lines) {
        this.entries.push({ id, event, connection });
        this.#cursor = id;
      }
      this.#waiters.notify();
    };
    socket.onclose = (e) => {
      this.closes.push({ code: e.code, reason: e.reason });
      this.#waiters.notify();
      if (this.#stopped || this.complete || isTerminalCloseCode(e.code)) return;
      setTimeout(() => this.#open(), this.retryDelayMs());
    };
  }
}

/** Every `seq` from 1 to the last, once each, in order? Else a description of what is wrong. */
export function seqProblems(events: readonly { event: JobEvent }[]): string | undefined {
  const problems: string[] = [];
  events.forEach(({ event }, i) => {
    if (event.seq !== i + 1) problems.push(`#${i} has seq ${event.seq}`);
  });
  return problems.length ? problems.slice(0, 5).join('; ') : undefined;
}
