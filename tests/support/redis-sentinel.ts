// A private Redis master, its replica and one Sentinel watching them, on free loopback ports for
// one test file. Nodes run in the foreground so a test can SIGKILL the master. With `password`,
// master and replica require it (the Sentinel is told it); with `sentinelPassword`, the Sentinel too.
// With `tls`, all three speak only TLS, to clients and to each other, as managed Redis does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type RedisHandle, redisCli, startRedis, waitFor } from './redis-server.ts';
import { startTlsRedis, type TestCertificates, tlsRedisCli, tlsServerArgs } from './redis-tls.ts';

export const SENTINEL_MASTER_NAME = 'hw-master';

export interface RedisSentinelHandle {
  /** The first master; `stop()` kills it (SIGKILL), as a crash would. */
  master: SentinelNode;
  replica: SentinelNode;
  /** `host:port` of the Sentinel, the value of REDIS_SENTINELS. */
  sentinelsSetting: string;
  /** Runs redis-cli against a node or the Sentinel (its password, TLS when set) and returns its output. */
  cli(port: number, ...args: string[]): string;
  /** The port of the master as the Sentinel names it now. */
  currentMaster(): number;
  /** A temporary folder of the test's, removed by stop() (e.g. for DATA_DIR). */
  dir: string;
  stop(): Promise<void>;
}

/** A master or replica, plain or TLS. */
export type SentinelNode = Pick<RedisHandle, 'port' | 'stop'>;

export interface RedisSentinelOptions {
  /** requirepass (and masterauth) of the master and the replica. */
  password?: string;
  /** The Sentinel's own requirepass. */
  sentinelPassword?: string;
  /** TLS only, with these certificates, for clients and between nodes and Sentinel (no plain port); needs `password`. */
  tls?: TestCertificates;
}

export async function startRedisSentinel({ password, sentinelPassword, tls }: RedisSentinelOptions = {}): Promise<RedisSentinelHandle> {
  if (tls && !password) throw new Error('redis sentinel: tls needs a password');
  const dir = mkdtempSync(join(tmpdir(), 'hw-sentinel-'));
  // The master serves the replica's first sync at once instead of after repl-diskless-sync-delay's
  // 5 s. TLS nodes require the password from the start, and replication runs over TLS too.
  const startNode = (extra: string[] = []) => {
    const args = ['--repl-diskless-sync-delay', '0', ...extra];
    return tls && password
      ? startTlsRedis({ password, certs: tls, args: ['--masterauth', password, '--tls-replication', 'yes', ...args] })
      : startRedis({ args });
  };
  const master = await startNode();
  const replica = await startNode(['--replicaof', '127.0.0.1', String(master.port)]);
  const sentinelPort = await freePort();
  const pass = (secret?: string) => (secret ? ['-a', secret, '--no-auth-warning'] : []);
  // Sentinel ports need the Sentinel's password; the data nodes' need theirs once it is set.
  const secretOf = (port: number) => (port === sentinelPort ? sentinelPassword : password);
  const cli = (port: number, ...args: string[]) =>
    tls ? tlsRedisCli(tls, port, secretOf(port), ...args) : redisCli(port, ...pass(secretOf(port)), ...args);
  if (password && !tls) {
    // Set once both answer (startRedis waits for a plain PING): from here on, both need it, as
    // does the replica's link to the master, and whichever is promoted keeps it.
    for (const node of [master, replica]) {
      redisCli(node.port, 'config', 'set', 'masterauth', password);
      redisCli(node.port, 'config', 'set', 'requirepass', password);
    }
  }
  // A Sentinel rewrites its config file, so it gets one of its own. One Sentinel is its own quorum.
  const config = join(dir, 'sentinel.conf');
  writeFileSync(
    config,
    [
      // With TLS, tlsServerArgs' `--port 0` closes the plain port.
      `port ${sentinelPort}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${master.port} 1`,
      `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} 1000`,
      `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 5000`,
      ...(password ? [`sentinel auth-pass ${SENTINEL_MASTER_NAME} ${password}`] : []),
      ...(sentinelPassword ? [`requirepass ${sentinelPassword}`] : []),
      '',
    ].join('\n'),
  );
  // With TLS the Sentinel serves only its TLS port, and `tls-replication` makes it speak TLS to
  // the master and replica it watches (Redis' sentinel.c uses that option for its own links).
  const tlsArgs = tls ? [...tlsServerArgs(tls, sentinelPort), '--tls-replication', 'yes'] : [];
  const sentinel = Bun.spawn(['redis-server', config, '--sentinel', ...tlsArgs], { stdout: 'ignore', stderr: 'inherit' });
  const stop = async () => {
    sentinel.kill('SIGKILL');
    await Promise.all([master.stop(), replica.stop(), sentinel.exited]);
    rmSync(dir, { recursive: true, force: true });
  };
  const currentMaster = () => Number(cli(sentinelPort, 'sentinel', 'get-master-addr-by-name', SENTINEL_MASTER_NAME).split('\n')[1]);
  try {
    await waitFor('redis sentinel: replica never synced', () => cli(replica.port, 'info', 'replication').includes('master_link_status:up'));
    // The Sentinel must know the replica before the master goes, or it has no one to promote.
    await waitFor('redis sentinel: sentinel never saw the replica', () =>
      cli(sentinelPort, 'sentinel', 'replicas', SENTINEL_MASTER_NAME).includes(String(replica.port)),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { master, replica, sentinelsSetting: `127.0.0.1:${sentinelPort}`, cli, currentMaster, dir, stop };
}
