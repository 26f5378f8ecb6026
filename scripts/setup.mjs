// Installs what `npm start` / `npm test` need on a machine that has only Node and npm:
// Bun (from the npm registry, into .tools/), the workspace's packages, and, from Debian's
// packages, redis-server (when nothing answers at REDIS_URL, or always for tests), and
// Chromium and openssl (tests only). `--client` (the `headway` terminal client) needs neither. Plain Node
// with no dependencies, because nothing else exists yet.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { BUN_VERSION, bunPath, root } from './setup-paths.mjs';

const forTests = process.argv.includes('--test');
const forClient = process.argv.includes('--client');

function say(message) {
  console.log(`[setup] ${message}`);
}

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
}

function versionOf(cmd) {
  try {
    return execFileSync(cmd, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function ensureBun() {
  if (versionOf(bunPath) === BUN_VERSION) return;
  say(`installing Bun ${BUN_VERSION} from the npm registry into .tools/`);
  run('npm', ['install', '--prefix', '.tools', '--no-audit', '--no-fund', '--loglevel=error', `bun@${BUN_VERSION}`]);
  if (versionOf(bunPath) !== BUN_VERSION) throw new Error(`Bun ${BUN_VERSION} did not install at ${bunPath}`);
}

function ensurePackages() {
  const frozen = existsSync(join(root, 'bun.lock')) ? ['--frozen-lockfile'] : [];
  run(bunPath, ['install', '--silent', ...frozen]);
}

/** Installs Debian packages when we may (root, or passwordless sudo); otherwise names the command. */
function ensureDebianPackage(pkg, binary) {
  if (existsSync(binary) || onPath(binary)) return;
  const asRoot = process.getuid?.() === 0;
  const sudo = !asRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!asRoot && !sudo) {
    throw new Error(`${binary} is missing. Install it with: sudo apt-get install -y ${pkg}`);
  }
  const prefix = sudo ? ['sudo', '-n'] : [];
  const apt = (args) =>
    run(prefix[0] ?? 'apt-get', [...prefix.slice(1), ...(sudo ? ['apt-get'] : []), ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  say(`installing ${pkg} from Debian's packages`);
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', pkg]);
}

function redisAnswers(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().includes('PONG') || data.toString().includes('NOAUTH')));
  });
}

try {
  ensureBun();
  ensurePackages();
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  // A cluster, Sentinels or a TLS Redis run elsewhere: `npm start` starts no Redis of its own then.
  const tls = /^(1|true)$/i.test(process.env.REDIS_TLS?.trim() ?? '') || redisUrl.startsWith('rediss://');
  const external = Boolean(process.env.REDIS_CLUSTER_NODES || process.env.REDIS_SENTINELS || tls);
  const needsRedis = forTests || (!external && !(await redisAnswers(redisUrl)));
  if (!forClient && needsRedis) ensureDebianPackage('redis-server', 'redis-server');
  if (forTests) ensureDebianPackage('chromium', '/usr/bin/chromium');
  // The TLS tests make a throwaway CA and server certificate with it.
  if (forTests) ensureDebianPackage('openssl', 'openssl');
} catch (error) {
  console.error(`[setup] ${error.message}`);
  process.exit(1);
}
