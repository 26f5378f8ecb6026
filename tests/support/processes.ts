// Starts the API and workers as real child processes, the way `npm start` does.
import { join } from 'node:path';
import type { Subprocess } from 'bun';

const root = join(import.meta.dirname, '../..');

export interface ProcessHandle {
  proc: Subprocess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

async function spawnUntil(cmd: string[], env: Record<string, string>, ready: RegExp, name: string) {
  const proc = Bun.spawn(cmd, {
    cwd: root,
    env: { ...process.env, ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let out = '';
  let resolveReady: (match: RegExpMatchArray) => void;
  const matched = new Promise<RegExpMatchArray>((resolve) => (resolveReady = resolve));
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
      out += decoder.decode(chunk);
      if (process.env.HW_TEST_VERBOSE) process.stderr.write(`[${name}] ${decoder.decode(chunk)}`);
      const m = out.match(ready);
      if (m) resolveReady(m);
    }
  };
  void pump(proc.stdout as ReadableStream<Uint8Array>);
  void pump(proc.stderr as ReadableStream<Uint8Array>);
  const timeout = Bun.sleep(20_000).then(() => {
    throw new Error(`${name} did not start within 20 s:\n${out}`);
  });
  const exited = proc.exited.then((code) => {
    throw new Error(`${name} exited with ${code} before it was ready:\n${out}`);
  });
  const match = await Promise.race([matched, timeout, exited]);
  const handle: ProcessHandle = {
    proc,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode) return;
      proc.kill(signal);
      await Promise.race([proc.exited, Bun.sleep(10_000).then(() => proc.kill('SIGKILL'))]);
    },
  };
  return { handle, match };
}

export async function startApi(env: Record<string, string>): Promise<ProcessHandle & { url: string }> {
  const { handle, match } = await spawnUntil(
    [process.execPath, 'apps/api/src/main.ts'],
    { PORT: '0', ...env },
    /listening on (http:\/\/\S+)/,
    'api',
  );
  return { ...handle, url: match[1]! };
}

export async function startWorker(env: Record<string, string>): Promise<ProcessHandle> {
  const { handle } = await spawnUntil([process.execPath, 'apps/worker/src/main.ts'], env, /\[worker\] ready/, 'worker');
  return handle;
}
