// A private Redis master, its replica and one Sentinel watching them, on free loopback ports for
// one test file. Nodes run in the foreground so a test can SIGKILL the master.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subprocess } from 'bun';
import { freePort } from './redis-server.ts';

export const SENTINEL_MASTER_NAME = 'hw-master';

export interface RedisSentinelHandle {
  master: { port: number; proc: Subprocess };
  replica: { port: number; proc: Subprocess };
  /** `host:port` of the Sentinel, the value of REDIS_SENTINELS. */
  sentinelsSetting: string;
  /** The port of the master as the Sentinel names it now. */
  currentMaster(): number;
  stop(): Promise<void>;
}

const cli = (port: number, ...args: string[]) =>
  Bun.spawnSync(['redis-cli', '-p', String(port), ...args])
    .stdout.toString()
    .trim();

async function until(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`redis sentinel: ${what}`);
    await Bun.sleep(50);
  }
}

export async function startRedisSentinel(): Promise<RedisSentinelHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'hw-sentinel-'));
  const [masterPort, replicaPort, sentinelPort] = [await freePort(), await freePort(), await freePort()];
  const server = (port: number, ...extra: string[]) =>
    Bun.spawn(
      [
        'redis-server',
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--dbfilename',
        `dump-${port}.rdb`,
        '--appendonly',
        'no',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        ...extra,
      ],
      { stdout: 'ignore', stderr: 'inherit' },
    );
  const master = { port: masterPort, proc: server(masterPort) };
  const replica = { port: replicaPort, proc: server(replicaPort, '--replicaof', '127.0.0.1', String(masterPort)) };
  // A Sentinel rewrites its config file, so it gets one of its own. One Sentinel is its own quorum.
  const config = join(dir, 'sentinel.conf');
  writeFileSync(
    config,
    [
      `port ${sentinelPort}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${masterPort} 1`,
      `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} 1000`,
      `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 5000`,
      '',
    ].join('\n'),
  );
  const sentinel = Bun.spawn(['redis-server', config, '--sentinel'], { stdout: 'ignore', stderr: 'inherit' });
  const stop = async () => {
    for (const proc of [master.proc, replica.proc, sentinel]) proc.kill('SIGKILL');
    await Promise.all([master.proc.exited, replica.proc.exited, sentinel.exited]);
    rmSync(dir, { recursive: true, force: true });
  };
  const currentMaster = () => Number(cli(sentinelPort, 'sentinel', 'get-master-addr-by-name', SENTINEL_MASTER_NAME).split('\n')[1]);
  try {
    await until('replica never synced', () => cli(replicaPort, 'info', 'replication').includes('master_link_status:up'));
    // The Sentinel must know the replica before the master goes, or it has no one to promote.
    await until('sentinel never saw the replica', () =>
      cli(sentinelPort, 'sentinel', 'replicas', SENTINEL_MASTER_NAME).includes(String(replicaPort)),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { master, replica, sentinelsSetting: `127.0.0.1:${sentinelPort}`, currentMaster, stop };
}
