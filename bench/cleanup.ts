// What a benchmark started, undone newest first and once, whether the run ends, fails or is
// interrupted (SIGINT or SIGTERM then exit 130), so no Redis, API or browser is left behind.
export class Cleanup {
  readonly #steps: (() => unknown)[] = [];
  #stopping?: Promise<void>;
  readonly #onSignal = () => void this.run().then(() => process.exit(130));

  constructor() {
    process.once('SIGINT', this.#onSignal);
    process.once('SIGTERM', this.#onSignal);
  }

  push(step: () => unknown): void {
    this.#steps.push(step);
  }

  run(): Promise<void> {
    this.#stopping ??= (async () => {
      for (const step of this.#steps.splice(0).reverse())
        await Promise.resolve()
          .then(step)
          .catch(() => undefined);
      process.off('SIGINT', this.#onSignal);
      process.off('SIGTERM', this.#onSignal);
    })();
    return this.#stopping;
  }
}
