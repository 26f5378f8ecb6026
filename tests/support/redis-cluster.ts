// A private Redis Cluster (by default 3 masters, each with one replica) on free loopback ports for one test
// file, removed afterwards. Nodes run in the foreground so a test can SIGKILL or SIGSTOP one.
// With `password`, every node requires it (replicas too, to their master), and with `tls` nodes
// speak only TLS, to clients and to each other, as managed clusters do.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subprocess } from 'bun';
import { freePort, redisCli, waitFor } from './redis-server.ts';
import { type TestCertificates, tlsServerArgs } from './redis-tls.ts';

export interface ClusterNode {
  port: number;
  proc: Subprocess;
}

export interface RedisClusterHandle {
  nodes: ClusterNode[];
  /** `host:port,…` of every node, the value of REDIS_CLUSTER_NODES. */
  nodesSetting: string;
  /** The port of the master that serves `key`'s slot now. */
  masterOf(key: string): number;
  /** Every master's port, in slot order. */
  masters(): number[];
  /** The port of a replica of the master on `port`. */
  replicaOf(port: number): number;
  /** Every node's requirepass, when the cluster was started with one. */
  password?: string;
  /** The node on `port`. */
  node(port: number): ClusterNode;
  /** Runs redis-cli against one node and returns its output. */
  cli(port: number, ...args: string[]): string;
  /** A temporary folder of the test's, removed by stop() (e.g. for DATA_DIR). */
  dir: string;
  stop(): Promise<void>;
}

/** The port of the node a line of `CLUSTER NODES` describes (`id host:port@bus …`). */
const portOf = (fields: string[]) => Number(fields[1]!.split(':')[1]!.split('@')[0]);

export interface RedisClusterOptions {
  /** Masters. */
  size?: number;
  /** Replicas of each master (default 1). */
  replicas?: number;
  /** `requirepass` and `masterauth` of every node; redis-cli is given it too. */
  password?: string;
  /** TLS only, with these certificates, between nodes too (no plain port). */
  tls?: TestCertificates;
}

export async function startRedisCluster({ size = 3, replicas = 1, password, tls }: RedisClusterOptions = {}): Promise<RedisClusterHandle> {
  const auth = [...(password ? ['-a', password, '--no-auth-warning'] : []), ...(tls ? ['--tls', '--cacert', tls.caFile] : [])];
  const cli = (port: number, ...args: string[]) => redisCli(port, ...auth, ...args);
  const dir = mkdtempSync(join(tmpdir(), 'hw-cluster-'));
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < size * (1 + replicas); i++) {
    // The bus port is taken free too: its default (port + 10000) may be anyone's.
    const [port, busPort] = [await freePort(), await freePort()];
    const nodeDir = join(dir, String(port));
    mkdirSync(nodeDir);
    const proc = Bun.spawn(
      [
        'redis-server',
        ...(tls ? [...tlsServerArgs(tls, port), '--tls-cluster', 'yes', '--tls-replication', 'yes'] : ['--port', String(port)]),
        '--cluster-port',
        String(busPort),
        '--bind',
        '127.0.0.1',
        '--dir',
        nodeDir,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        'nodes.conf',
        '--cluster-node-timeout',
        '1000',
        '--cluster-require-full-coverage',
        'no',
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        ...(password ? ['--requirepass', password, '--masterauth', password] : []),
      ],
      { stdout: 'ignore', stderr: 'inherit' },
    );
    nodes.push({ port, proc });
  }
  const stop = async () => {
    for (const node of nodes) node.proc.kill('SIGKILL');
    await Promise.all(nodes.map((node) => node.proc.exited));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const { port } of nodes) await waitFor(`redis cluster: node ${port} did not answer`, () => cli(port, 'ping') === 'PONG');
    const create = Bun.spawnSync([
      'redis-cli',
      ...auth,
      '--cluster',
      'create',
      ...nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ]);
    if (create.exitCode !== 0) throw new Error(`redis cluster: create failed: ${create.stdout}${create.stderr}`);
    for (const { port } of nodes) {
      await waitFor(`redis cluster: node ${port} never saw cluster_state:ok`, () =>
        cli(port, 'cluster', 'info').includes('cluster_state:ok'),
      );
    }
    // Replicas must be in sync before a test fails a master over to one.
    for (const { port } of nodes) {
      if (!cli(port, 'role').startsWith('slave')) continue;
      await waitFor(`redis cluster: replica ${port} never synced`, () =>
        cli(port, 'info', 'replication').includes('master_link_status:up'),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const live = () => nodes.find((node) => node.proc.exitCode === null && node.proc.signalCode === null)!;
  const masters = () =>
    cli(live().port, 'cluster', 'nodes')
      .split('\n')
      .map((line) => line.split(' '))
      .filter((fields) => fields[2]?.split(',').includes('master') && !fields[2].includes('fail') && fields[8])
      .sort((a, b) => Number(a[8]!.split('-')[0]) - Number(b[8]!.split('-')[0]))
      .map(portOf);
  return {
    nodes,
    nodesSetting: nodes.map((node) => `127.0.0.1:${node.port}`).join(','),
    cli,
    dir,
    password,
    masters,
    replicaOf(port) {
      const lines = cli(live().port, 'cluster', 'nodes')
        .split('\n')
        .map((l) => l.split(' '));
      const master = lines.find((fields) => portOf(fields) === port);
      const replica = master && lines.find((fields) => fields[3] === master[0] && !fields[2]!.includes('fail'));
      if (!replica) throw new Error(`redis cluster: node ${port} has no replica`);
      return portOf(replica);
    },
    node(port) {
      const node = nodes.find((n) => n.port === port);
      if (!node) throw new Error(`redis cluster: no node on ${port}`);
      return node;
    },
    masterOf(key) {
      const slot = Number(cli(live().port, 'cluster', 'keyslot', key));
      const line = cli(live().port, 'cluster', 'nodes')
        .split('\n')
        .map((l) => l.split(' '))
        .find(
          (fields) =>
            fields[2]?.split(',').includes('master') &&
            fields.slice(8).some((range) => {
              const [from, to = from] = range.split('-').map(Number);
              return slot >= from! && slot <= to!;
            }),
        );
      if (!line) throw new Error(`redis cluster: no master serves slot ${slot}`);
      return portOf(line);
    },
    stop,
  };
}
