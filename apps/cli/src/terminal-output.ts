// Where the terminal client writes. On a terminal, lines scroll above one status line that is
// redrawn in place; anywhere else (a pipe, a CI log) only whole lines are written, never a redraw.

/** Carriage return, then erase the whole line: the status line goes before anything is printed. */
const CLEAR_LINE = '\r\x1b[2K';

export interface OutputStream {
  write(text: string, callback?: (error?: Error | null) => void): unknown;
  readonly columns?: number;
}

export class TerminalOutput {
  #status = '';
  #live: boolean;
  #closed = false;

  constructor(
    private readonly stream: OutputStream,
    /** Whether to keep a status line under the log (the stream is a terminal). */
    live: boolean,
    /** Called when the reader has gone (a closed pipe, as with `| head`); nothing is written after. */
    private readonly onClosed: () => void = () => {},
  ) {
    this.#live = live;
  }

  get live(): boolean {
    return this.#live;
  }

  /** Columns of the terminal, for the status line. */
  get width(): number {
    return this.stream.columns || 80;
  }

  /** Prints whole lines and, on a terminal, the status line (new, or as it was) under them. */
  print(lines: readonly string[], status?: string): void {
    if (!this.#live) {
      if (lines.length > 0) this.#write(lines.map((line) => `${line}\n`).join(''));
      return;
    }
    if (lines.length === 0 && (status === undefined || status === this.#status)) return;
    if (status !== undefined) this.#status = status;
    this.#write(`${CLEAR_LINE}${lines.map((line) => `${line}\n`).join('')}${this.#status}`);
  }

  /** Takes the status line away, prints the last lines, and resolves once all of it is written. */
  end(lines: readonly string[] = []): Promise<void> {
    const text = `${this.#live && this.#status ? CLEAR_LINE : ''}${lines.map((line) => `${line}\n`).join('')}`;
    this.#live = false;
    this.#status = '';
    return new Promise((resolve) => this.#write(text, resolve));
  }

  #write(text: string, done?: () => void): void {
    if (this.#closed) return void done?.();
    try {
      this.stream.write(text, done && (() => done()));
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EPIPE') throw error;
      this.#closed = true;
      this.onClosed();
      done?.();
    }
  }
}
