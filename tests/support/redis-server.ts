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
  stop(): Promise<void>;
}

/** Starts redis-server; pass the port of a stopped one to bring it back on the same address. */
export async function startRedis({ port = 0 } = {}): Promise<RedisHandle> {
  port ||= await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hw-redis-'));
  const proc = Bun.spawn(
    ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no',
      '--maxmemory-policy', 'noeviction'],
    { stdout: 'ignore', stderr: 'inherit' },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = Bun.spawnSync(['redis-cli', '-p', String(port), 'ping']).stdout.toString().includes('PONG');
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`);
    await Bun.sleep(50);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      proc.kill('SIGKILL');
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
