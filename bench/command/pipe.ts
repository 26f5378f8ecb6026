// Baselines under the line protocol: flood.py alone (its output thrown away), flood.py's output
// read through a Bun pipe and only counted, and the offset between Python's wall clock and Bun's.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { wallNow } from '../relay/shared.ts';
import { FLOOD } from './pipelines.ts';

/** As command-runner.ts runs it: a progress line leaves Python when printed. */
const ENV = { ...process.env, PYTHONUNBUFFERED: '1' };
const NEWLINE = 0x0a;

/**
 * CPU ms (user + system) of this process's children that have exited and been waited for: the
 * programs it ran, once they are done (from /proc; USER_HZ is 100 on Linux, so 10 ms steps).
 */
export function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** flood.py printing `lines` lines to /dev/null: seconds, and its CPU ms. */
export async function programAlone(lines: number) {
  const devNull = openSync('/dev/null', 'w');
  try {
    const programBefore = childrenCpuMs();
    const start = performance.now();
    const proc = Bun.spawn(['python3', FLOOD, String(lines)], { env: ENV, stdout: devNull, stderr: 'inherit' });
    if ((await proc.exited) !== 0) throw new Error(`flood.py exited with ${proc.exitCode}`);
    return { seconds: (performance.now() - start) / 1000, programCpuMs: childrenCpuMs() - programBefore };
  } finally {
    closeSync(devNull);
  }
}

/**
 * flood.py's output read by Bun.spawn and only counted: seconds, lines, chunks, CPU ms of this
 * process and of flood.py, and the bytes as they came when `keep`.
 */
export async function pipeRead(lines: number, keep = false) {
  const programBefore = childrenCpuMs();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const proc = Bun.spawn(['python3', FLOOD, String(lines)], { env: ENV, stdout: 'pipe', stderr: 'inherit' });
  let counted = 0;
  let chunks = 0;
  const kept: Uint8Array[] = [];
  for await (const chunk of proc.stdout as unknown as AsyncIterable<Uint8Array>) {
    chunks++;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) counted++;
    if (keep) kept.push(chunk.slice());
  }
  if ((await proc.exited) !== 0) throw new Error(`flood.py exited with ${proc.exitCode}`);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  if (counted !== lines + 1) throw new Error(`read ${counted} lines of flood.py's ${lines + 1}`);
  return {
    seconds,
    lines: counted,
    chunks,
    kept,
    workerCpuMs: (cpu.user + cpu.system) / 1000,
    programCpuMs: childrenCpuMs() - programBefore,
  };
}

/**
 * Python's wall clock minus Bun's (`performance.timeOrigin + performance.now()`), in ms: from the
 * quickest of many round trips, where the midpoint is the best guess of when Python read its clock.
 */
export async function clockOffsetMs(rounds = 200): Promise<{ offsetMs: number; rttMs: number }> {
  const proc = Bun.spawn(['python3', FLOOD, 'clock'], { env: ENV, stdin: 'pipe', stdout: 'pipe', stderr: 'inherit' });
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let best = { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY };
  try {
    let text = '';
    for (let i = 0; i < rounds; i++) {
      const sent = wallNow();
      proc.stdin.write('?\n');
      await proc.stdin.flush();
      while (!text.includes('\n')) {
        const { value, done } = await reader.read();
        if (done) throw new Error('flood.py clock ended early');
        text += decoder.decode(value);
      }
      const got = wallNow();
      const newline = text.indexOf('\n');
      const python = Number(text.slice(0, newline));
      text = text.slice(newline + 1);
      if (got - sent < best.rttMs) best = { offsetMs: python - (sent + got) / 2, rttMs: got - sent };
    }
    return best;
  } finally {
    await proc.stdin.end();
    proc.kill();
    await proc.exited;
  }
}
