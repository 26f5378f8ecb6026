// How much memory a test's child process holds: its resident set, from /proc.
import { readFileSync } from 'node:fs';

/** The process's resident memory, in MB. */
export function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}
