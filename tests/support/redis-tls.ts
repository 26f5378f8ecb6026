// A throwaway CA and a server certificate for 127.0.0.1/localhost, made with the system's openssl
// (scripts/setup.mjs --test installs it), and a private redis-server that speaks only TLS and
// requires a password, as managed Redis does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subprocess } from 'bun';
import { freePort, serverArgs, waitFor } from './redis-server.ts';

export interface TestCertificates {
  /** PEM files: the CA to trust (REDIS_TLS_CA_FILE), and the server's certificate and key. */
  caFile: string;
  certFile: string;
  keyFile: string;
}

function openssl(dir: string, ...args: string[]) {
  const run = Bun.spawnSync(['openssl', ...args], { cwd: dir });
  if (run.exitCode !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${run.stderr}`);
}

/** Writes a CA and a server certificate it signed (for IP 127.0.0.1 and localhost) into `dir`. */
export function makeCertificates(dir: string): TestCertificates {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, 'req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=headway-test-ca');
  openssl(dir, 'req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'server.ext',
    '-out',
    'server.pem',
  );
  return { caFile: join(dir, 'ca.pem'), certFile: join(dir, 'server.pem'), keyFile: join(dir, 'server.key') };
}

/** redis-server's options to serve TLS only on `tlsPort` with these certificates (clients show none). */
export const tlsServerArgs = (certs: TestCertificates, tlsPort: number) => [
  '--port',
  '0',
  '--tls-port',
  String(tlsPort),
  '--tls-cert-file',
  certs.certFile,
  '--tls-key-file',
  certs.keyFile,
  '--tls-ca-cert-file',
  certs.caFile,
  '--tls-auth-clients',
  'no',
];

/** Runs redis-cli over TLS, trusting the test CA, with the password if any, and returns its output. */
export const tlsRedisCli = (certs: TestCertificates, port: number, password: string | undefined, ...args: string[]) =>
  Bun.spawnSync([
    'redis-cli',
    '--tls',
    '--cacert',
    certs.caFile,
    '-p',
    String(port),
    ...(password ? ['-a', password, '--no-auth-warning'] : []),
    ...args,
  ])
    .stdout.toString()
    .trim();

export interface TlsRedisHandle {
  port: number;
  certs: TestCertificates;
  /** A temporary folder of the test's (certificates, Redis data, DATA_DIR), removed by stop(). */
  dir: string;
  cli(...args: string[]): string;
  stop(): Promise<void>;
}

export interface TlsRedisOptions {
  password: string;
  /** Certificates made already (e.g. shared by a master and its replica); new ones by default. */
  certs?: TestCertificates;
  /** More server options, e.g. `--replicaof host port`. */
  args?: string[];
}

/** One redis-server on a free loopback port that speaks only TLS and requires `password`. */
export async function startTlsRedis({ password, certs: given, args = [] }: TlsRedisOptions): Promise<TlsRedisHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'hw-tls-'));
  let proc: Subprocess | undefined;
  const stop = async () => {
    proc?.kill('SIGKILL');
    await proc?.exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const certs = given ?? makeCertificates(dir);
    const port = await freePort();
    proc = Bun.spawn(
      ['redis-server', ...tlsServerArgs(certs, port), ...serverArgs(dir), '--appendonly', 'no', '--requirepass', password, ...args],
      {
        stdout: 'ignore',
        stderr: 'inherit',
      },
    );
    const cli = (...command: string[]) => tlsRedisCli(certs, port, password, ...command);
    await waitFor(`TLS redis-server did not answer on port ${port}`, () => cli('ping') === 'PONG', 10_000);
    return { port, certs, dir, cli, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
