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
}

export async function startRedis({ port = 0, dir, aof = false }: RedisOptions = {}): Promise<RedisHandle> {
  port ||= await freePort();
  dir ??= mkdtempSync(join(tmpdir(), 'hw-redis-'));
  const persistence = aof ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];
  const proc = Bun.spawn(
    [
      'redis-server',
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      ...persistence,
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdout: 'ignore', stderr: 'inherit' },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = Bun.spawnSync(['redis-cli', '-p', String(port), 'ping'])
      .stdout.toString()
      .includes('PONG');
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`);
    await Bun.sleep(50);
  }
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
