// What the relay benchmark's parts share: one wall clock for every process, percentiles, a
// process's RSS, the message every latency source sends, and child processes spoken to over IPC.
import { readFileSync } from 'node:fs';
import type { Subprocess } from 'bun';

/** Wall-clock milliseconds with a fraction; comparable across processes on this machine. */
export const wallNow = () => performance.timeOrigin + performance.now();

export interface Percentiles {
  p50_ms: number;
  p99_ms: number;
}

/** Nearest-rank percentiles, rounded to hundredths of a millisecond. */
export function percentiles(samples: ArrayLike<number>): Percentiles & { n: number } {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  const r = (x: number) => Math.round(x * 100) / 100;
  return { p50_ms: r(at(0.5)), p99_ms: r(at(0.99)), n: sorted.length };
}

/** VmRSS of a process in kB, from /proc. */
export function rssKb(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** CPU time (user + system) a process has used, in ms, from /proc (USER_HZ is 100 on Linux). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * A progress message shaped like the API's (`{type: 'progress', id, event}`), carrying its emit
 * time in the event's message, so raw baselines send the same bytes a Headway viewer gets.
 */
export function progressMessage(jobId: string, seq: number, emittedAt: number): string {
  const event = { ...progressEvent(jobId, emittedAt), seq };
  return JSON.stringify({ type: 'progress', id: `${Math.floor(emittedAt)}-${seq}`, event });
}

/** A progress event as a worker writes it (no seq yet), its message the emit time. */
export function progressEvent(jobId: string, emittedAt: number) {
  return {
    kind: 'progress' as const,
    jobId,
    attempt: 1,
    ts: new Date(emittedAt).toISOString(),
    stage: 'search',
    phase: 'running' as const,
    message: `t:${emittedAt}`,
    percentage: 42.5,
    stageProgress: 0.5,
  };
}

/** The emit time a message (or a bare event) carries, or undefined for any other message. */
export function emitTimeOf(json: string): number | undefined {
  if (!json.includes('"message":"t:')) return undefined;
  const parsed = JSON.parse(json) as { message?: string; event?: { message?: string } };
  const text = parsed.event?.message ?? parsed.message;
  return text?.startsWith('t:') ? Number(text.slice(2)) : undefined;
}

/** A Bun child process answering `{id, cmd, …}` requests with `{id, result}` or `{id, error}`. */
export class Child {
  readonly proc: Subprocess;
  #next = 1;
  readonly #waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #hello: Promise<unknown>;

  constructor(script: string, args: string[] = []) {
    let hello: (v: unknown) => void;
    let failed: (e: Error) => void;
    this.#hello = new Promise((resolve, reject) => {
      hello = resolve;
      failed = reject;
    });
    this.#hello.catch(() => undefined);
    this.proc = Bun.spawn({
      cmd: [process.execPath, new URL(script, import.meta.url).pathname, ...args],
      stdout: 'inherit',
      stderr: 'inherit',
      ipc: (message: { id?: number; result?: unknown; error?: string; hello?: unknown }) => {
        if (message.hello !== undefined) return hello(message.hello);
        const waiter = this.#waiting.get(message.id!);
        this.#waiting.delete(message.id!);
        if (message.error) waiter?.reject(new Error(message.error));
        else waiter?.resolve(message.result);
      },
    });
    void this.proc.exited.then((code) => {
      failed(new Error(`${script} exited with ${code}`));
      for (const w of this.#waiting.values()) w.reject(new Error(`${script} exited with ${code}`));
      this.#waiting.clear();
    });
  }

  /** What the child sent first (its port, say). */
  ready<T>(): Promise<T> {
    return this.#hello as Promise<T>;
  }

  /** Rejects after `timeoutMs`, so a wedged child fails the bench instead of hanging it. */
  request<T = unknown>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 90_000): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`${cmd}: no answer from the child within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const settle =
        <A>(f: (a: A) => void) =>
        (a: A) => {
          clearTimeout(timer);
          f(a);
        };
      this.#waiting.set(id, { resolve: settle(resolve as (v: unknown) => void), reject: settle(reject) });
      this.proc.send({ id, cmd, ...args });
    });
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode) return;
    this.proc.kill('SIGCONT');
    this.proc.kill('SIGKILL');
    await this.proc.exited;
  }
}

/** The child side of `Child`: handlers by command name; the first message says hello. */
// biome-ignore lint/suspicious/noExplicitAny: each handler declares the arguments its own command sends
export function serveParent(hello: unknown, handlers: Record<string, (args: any) => unknown>): void {
  process.on('message', async (message: { id: number; cmd: string }) => {
    try {
      const handler = handlers[message.cmd];
      if (!handler) throw new Error(`unknown command ${message.cmd}`);
      process.send!({ id: message.id, result: (await handler(message)) ?? null });
    } catch (error) {
      process.send!({ id: message.id, error: (error as Error).message });
    }
  });
  // Orphaned (the bench died): leave too.
  process.on('disconnect', () => process.exit(0));
  process.send!({ hello });
}
