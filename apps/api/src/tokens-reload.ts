// HEADWAY_TOKENS_FILE read again when it changes, so people are added, removed or given another
// role without a restart. The file is polled (its size, times and inode) rather than watched:
// editors and Kubernetes replace a file instead of writing it, which fs.watch loses track of, and
// a stat every few seconds costs nothing. A file with a mistake changes nothing: the tokens read
// before stay, and the log names the entry and field, as at start.
import { statSync } from 'node:fs';
import { serverLog } from '@headway/progress';
import { loadTokens, type Person, type Tokens } from './tokens.ts';

export const TOKENS_RELOAD_MS = 2000;

export interface TokensReloadOptions {
  tokens: Tokens;
  apiToken?: string;
  tokensFile?: string;
  /** Whether the API requires tokens; one that started open stays open until restarted. */
  required: boolean;
  /** Checks open sockets' tokens again, closing those no longer valid; resolves to how many it closed. */
  recheckSockets(): Promise<number>;
  intervalMs?: number;
}

export class TokensReload {
  #timer?: ReturnType<typeof setInterval>;
  #seen: string | undefined;

  constructor(private readonly options: TokensReloadOptions) {
    this.#seen = options.tokensFile && fingerprint(options.tokensFile);
  }

  start(): void {
    if (!this.options.tokensFile || this.#timer) return;
    this.#timer = setInterval(() => void this.check(), this.options.intervalMs ?? TOKENS_RELOAD_MS);
    this.#timer.unref?.();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Reads the file again if it changed since it was last read. */
  async check(): Promise<void> {
    const { tokens, tokensFile, apiToken, required } = this.options;
    if (!tokensFile) return;
    const now = fingerprint(tokensFile);
    if (now === this.#seen) return;
    this.#seen = now;
    let next: Tokens;
    try {
      next = loadTokens({ apiToken, tokensFile });
    } catch (error) {
      serverLog.error('api', `${(error as Error).message}; keeping the ${tokens.people().length} tokens read before`);
      return;
    }
    if (!required) {
      if (next.required)
        serverLog.warn('api', `HEADWAY_TOKENS_FILE ${tokensFile} now lists tokens, but this API started open: restart it to require them`);
      return;
    }
    const changes = describeChanges(tokens.people(), next.people());
    tokens.replace(next);
    serverLog.info('api', `HEADWAY_TOKENS_FILE read again: ${next.people().length} tokens${changes}`);
    const closed = await this.options.recheckSockets();
    if (closed > 0) serverLog.info('api', `closed ${closed} socket(s) whose token was taken out or lost its role`);
  }
}

/** What tells a changed file from the same one: a replaced file has a new inode or times. */
function fingerprint(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch (error) {
    return `missing:${(error as NodeJS.ErrnoException).code}`;
  }
}

function describeChanges(before: (Person & { digest: string })[], after: (Person & { digest: string })[]): string {
  const was = new Map(before.map((p) => [p.name, p]));
  const now = new Map(after.map((p) => [p.name, p]));
  const added = after.filter((p) => !was.has(p.name)).map((p) => p.name);
  const removed = before.filter((p) => !now.has(p.name)).map((p) => p.name);
  const changed = after.filter((p) => {
    const old = was.get(p.name);
    return old && (old.role !== p.role || old.digest !== p.digest);
  });
  const parts = [
    added.length > 0 && `added ${added.join(', ')}`,
    removed.length > 0 && `removed ${removed.join(', ')}`,
    changed.length > 0 && `changed ${changed.map((p) => `${p.name} (${p.role})`).join(', ')}`,
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}
