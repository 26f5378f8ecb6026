// A private redis-server on a free port for one test file, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs redis-cli against the server on `port` and returns its output. */
export const redisCli = (port: number, ...args: string[]) =>
  Bun.spawnSync(['redis-cli', '-p', String(port), ...args])
    .stdout.toString()
    .trim();

/** Checks `ok` every 50 ms until it holds; fails after `timeoutMs` saying `what` did not happen. */
export async function waitFor(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(what);
    await Bun.sleep(50);
  }
}

export interface RedisHandle {
  url: string;
  port: number;
  dir: string;
  /** Kills the server (SIGKILL, as a crash would) and removes its data unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered until `resume`. */
  pause(): void;
  /** Thaws a paused server (SIGCONT): it runs what it was sent meanwhile. */
  resume(): void;
}

export interface RedisOptions {
  /** The port of a stopped server, to bring it back on the same address. */
  port?: number;
  /** Its data directory, to bring it back with its data (with `aof`). */
  dir?: string;
  /** Append-only file with `appendfsync everysec`, as production runs it. */
  aof?: boolean;
  /** More server options, e.g. `--replicaof host port`. */
  args?: string[];
}

/** What every test server shares: loopback only, its own folder, no snapshots, never evicting. */
export const serverArgs = (dir: string) => ['--bind', '127.0.0.1', '--dir', dir, '--save', '', '--maxmemory-policy', 'noeviction'];

export async function startRedis({ port = 0, dir, aof = false, args = [] }: RedisOptions = {}): Promise<RedisHandle> {
  port ||= await freePort();
  dir ??= mkdtempSync(join(tmpdir(), 'hw-redis-'));
  const persistence = aof ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];
  const proc = Bun.spawn(['redis-server', '--port', String(port), ...serverArgs(dir), ...persistence, ...args], {
    stdout: 'ignore',
    stderr: 'inherit',
  });
  await waitFor(`redis-server did not answer on port ${port}`, () => redisCli(port, 'ping') === 'PONG', 10_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    pause() {
      process.kill(proc.pid, 'SIGSTOP');
    },
    resume() {
      process.kill(proc.pid, 'SIGCONT');
    },
    async stop({ keepData = false } = {}) {
      proc.kill('SIGKILL');
      await proc.exited;
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}
