// How a test client waits for what it has received to satisfy a condition: it looks again on
// every message it is told of, and at least every `pollMs`.
export class Waiters {
  #waiters: (() => void)[] = [];

  /** Something arrived: everyone waiting looks again. */
  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once `done()` holds; rejects after `timeoutMs` with `timedOut()` as the message. */
  async until(done: () => boolean, timeoutMs: number, timedOut: () => string, pollMs = 200): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms; ${timedOut()}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, pollMs);
      });
    }
  }
}
