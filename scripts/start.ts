// `npm start`: builds the web app when needed, starts Redis when nothing answers at REDIS_URL (never
// with REDIS_CLUSTER_NODES or REDIS_SENTINELS, nor with a password or TLS: those name Redis servers
// run elsewhere),
// then the API and one worker, and prints the dashboard's URL. Ctrl-C stops all of it.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describeTarget, plainText, serverLog } from '@headway/progress';
import type { Subprocess } from 'bun';
import { env } from '../apps/api/src/env.ts';

const root = join(import.meta.dirname, '..');
const { redisUrl, host, port, redisTopology } = env;
const children: { name: string; proc: Subprocess }[] = [];

const say = (message: string) => serverLog.info('headway', message);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function buildWebIfStale() {
  const web = join(root, 'apps/web');
  let builtAt = 0;
  try {
    builtAt = statSync(join(web, 'dist/index.html')).mtimeMs;
  } catch {}
  const sourcesAt = Math.max(newestMtime(join(web, 'src')), statSync(join(web, 'index.html')).mtimeMs);
  if (builtAt > sourcesAt) return;
  say('building the web app');
  const build = Bun.spawnSync([process.execPath, 'run', 'build'], { cwd: web, stdout: 'ignore', stderr: 'inherit' });
  if (build.exitCode !== 0) throw new Error('the web app did not build');
}

async function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  try {
    const reply = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout')), 500);
      Bun.connect({
        hostname,
        port: Number(port || 6379),
        socket: {
          open: (s) => void s.write('PING\r\n'),
          data: (s, d) => {
            clearTimeout(timer);
            resolve(d.toString());
            s.end();
          },
          error: (_s, e) => reject(e),
          connectError: (_s, e) => reject(e),
        },
      }).catch(reject);
    });
    return reply.includes('PONG') || reply.includes('NOAUTH');
  } catch {
    return false;
  }
}

/**
 * Children run in their own process groups, out of reach of the terminal's Ctrl-C: this script
 * alone receives it and stops them in order (API and worker first, Redis last).
 */
function spawn(name: string, cmd: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn(cmd, {
    cwd: root,
    env: { ...process.env, ...env },
    stdout: 'pipe',
    stderr: 'pipe',
    detached: true,
  });
  void passThrough(proc.stdout, process.stdout);
  void passThrough(proc.stderr, process.stderr);
  children.push({ name, proc });
  proc.exited.then((code) => {
    if (!stopping) {
      say(`${name} exited (${code}); stopping everything`);
      void stop(1);
    }
  });
  return proc;
}

/**
 * Copies a child's output to this terminal with only what prints: the API and worker clean what
 * they print themselves, but not what the runtime prints for them (an uncaught error's message).
 * Chunk by chunk is enough: plainText drops every ESC and control, so a sequence cut in two
 * leaves only printable text on either side.
 */
async function passThrough(from: ReadableStream<Uint8Array>, to: NodeJS.WriteStream) {
  const decoder = new TextDecoder();
  for await (const chunk of from as unknown as AsyncIterable<Uint8Array>) {
    const text = plainText(decoder.decode(chunk, { stream: true }));
    if (text) to.write(text);
  }
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) {
    say('stopping now');
    for (const { proc } of children) proc.kill('SIGKILL');
    process.exit(code || 130);
  }
  stopping = true;
  say('stopping: running jobs get a few seconds to finish (Ctrl-C again to stop at once)');
  // The API and workers first, so they finish cleanly while Redis is still up.
  const redis = children.find((c) => c.name === 'redis');
  const rest = children.filter((c) => c !== redis);
  for (const { proc } of rest) proc.kill('SIGTERM');
  await Promise.race([Promise.all(rest.map((c) => c.proc.exited)), Bun.sleep(15_000)]);
  if (redis) {
    redis.proc.kill('SIGTERM');
    await redis.proc.exited;
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  buildWebIfStale();
  // A plain PING cannot tell whether a TLS port answers: a TLS Redis is taken as there.
  const tls = Boolean(redisTopology?.security?.tls) || redisUrl.startsWith('rediss://');
  if ((!redisTopology || redisTopology.kind === 'server') && !tls && !(await redisAnswers(redisUrl))) {
    const { hostname, port: redisPort } = new URL(redisUrl);
    // A password in the settings means a Redis that someone runs with it, not a private one.
    if (!['127.0.0.1', 'localhost', '::1'].includes(hostname) || redisTopology) {
      throw new Error(`nothing answers at REDIS_URL=${describeTarget(redisUrl)}`);
    }
    const dir = join(root, '.data/redis');
    mkdirSync(dir, { recursive: true });
    say(`no Redis at ${describeTarget(redisUrl)}; starting a private redis-server for this session (data in .data/redis)`);
    spawn('redis', [
      'redis-server',
      '--port',
      redisPort || '6379',
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      '--logfile',
      'redis.log',
    ]);
    for (let i = 0; !(await redisAnswers(redisUrl)); i++) {
      if (i > 100) throw new Error('redis-server did not start');
      await Bun.sleep(50);
    }
  }
  spawn('api', [process.execPath, 'apps/api/src/main.ts']);
  spawn('worker', [process.execPath, 'apps/worker/src/main.ts']);
  for (let i = 0; ; i++) {
    const ok = await fetch(`http://${host}:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 200) throw new Error('the API did not answer on /healthz');
    await Bun.sleep(100);
  }
  say(`dashboard: http://${host}:${port}   (Bull Board: http://${host}:${port}/admin/queues; Ctrl-C stops)`);
} catch (error) {
  serverLog.error('headway', (error as Error).message);
  await stop(1);
}
