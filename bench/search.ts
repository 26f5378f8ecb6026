// `npm run bench -- search`: the log search's engine. Ordinary searches over the same 100,000
// lines on the engine it had (the native, backtracking RegExp) and the one it has (`compileQuery`:
// RE2 through re2js for a /regex/, native for text), in lines/s; then patterns that backtrack,
// timed on the native engine over short lines of growing length, beside the new engine on the
// same line and on a line as long as a search reads (MAX_SEARCHED_CHARS).
import { compileQuery, MAX_SEARCHED_CHARS } from '@headway/progress/client';

const LINES = 100_000;
const ROUNDS = 5;
/** A native run past this stops the lengths tried for that pattern (the next would take far longer). */
const NATIVE_CAP_MS = 1000;

const BENIGN = [
  'timeout',
  'CLAIM 42 ',
  '/claim \\d+ unsupported/',
  '/^row \\d*7 /',
  '/error|warn/i',
  '/timeout 1[0-2]$/',
  '/(judge|review)d page \\d+ of/',
];

const HOSTILE: Array<{ q: string; line: (n: number) => string; lengths: number[] }> = [
  { q: '/(a+)+$/', line: (n) => `${'a'.repeat(n)}!`, lengths: [16, 20, 24] },
  { q: '/.*.*.*.*.*x/', line: (n) => 'a'.repeat(n), lengths: [25, 50, 80] },
  { q: '/(a|aa)+b/', line: (n) => 'a'.repeat(n), lengths: [20, 26, 32] },
  { q: '/(\\w+\\s?)*$/', line: (n) => `${'a'.repeat(n)}!`, lengths: [14, 18, 22] },
];

function logLine(i: number): string {
  const verdict = i % 7 === 0 ? 'unsupported' : 'supported';
  const level = ['info', 'info', 'warn', 'error'][i % 4];
  return `row ${i} of the big log [${level}] claim ${i % 97} ${verdict} by source ${(i * 31) % 1000}; ${i % 3 ? 'judged' : 'reviewed'} page ${i % 50} of 50, query widened with timeout ${i % 13}`;
}

/** The search as it was: text escaped into a case-insensitive RegExp, a /regex/ as typed. */
function nativeTest(q: string): (text: string) => boolean {
  const form = /^\/(.+)\/([a-z]*)$/s.exec(q);
  const regex = form ? new RegExp(form[1]!, form[2]) : new RegExp(q.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), 'i');
  return (text) => regex.test(text);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function linesPerSecond(test: (text: string) => boolean, lines: string[]): { rate: number; matched: number } {
  const rates: number[] = [];
  let matched = 0;
  for (let round = 0; round < ROUNDS; round++) {
    matched = 0;
    const started = performance.now();
    for (const line of lines) if (test(line)) matched++;
    rates.push(lines.length / ((performance.now() - started) / 1000));
  }
  return { rate: median(rates), matched };
}

function timeMs(run: () => unknown, rounds = 1): number {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return median(times);
}

export async function benchSearch() {
  const lines = Array.from({ length: LINES }, (_, i) => logLine(i));
  console.log(`search: ordinary searches over ${LINES.toLocaleString('en-US')} log lines (median of ${ROUNDS} rounds)`);
  console.log(
    `${'query'.padEnd(30)}${'native lines/s'.padStart(16)}${'new lines/s'.padStart(14)}${'new/native'.padStart(12)}${'matched'.padStart(9)}`,
  );
  const benign: Record<string, { native_lines_s: number; new_lines_s: number; ratio: number; matched: number }> = {};
  for (const q of BENIGN) {
    const native = linesPerSecond(nativeTest(q), lines);
    const query = compileQuery(q)!;
    const fresh = linesPerSecond((text) => query.test(text), lines);
    if (fresh.matched !== native.matched) throw new Error(`${q}: the engines disagree (${native.matched} vs ${fresh.matched} lines)`);
    const ratio = fresh.rate / native.rate;
    benign[q] = {
      native_lines_s: Math.round(native.rate),
      new_lines_s: Math.round(fresh.rate),
      ratio: Number(ratio.toFixed(3)),
      matched: fresh.matched,
    };
    console.log(
      `${q.padEnd(30)}${Math.round(native.rate).toLocaleString('en-US').padStart(16)}${Math.round(fresh.rate).toLocaleString('en-US').padStart(14)}${ratio.toFixed(2).padStart(12)}${String(fresh.matched).padStart(9)}`,
    );
  }

  const long = (line: (n: number) => string) => line(MAX_SEARCHED_CHARS + 1000);
  console.log(
    `\nsearch: patterns that backtrack, one line each (ms; the new engine also on a ${MAX_SEARCHED_CHARS.toLocaleString('en-US')}-character line)`,
  );
  console.log(
    `${'query'.padEnd(18)}${'chars'.padStart(7)}${'native ms'.padStart(12)}${'new ms'.padStart(10)}${'new ms, long line'.padStart(20)}`,
  );
  const hostile: Record<string, Array<{ chars: number; native_ms: number; new_ms: number; new_long_line_ms: number }>> = {};
  for (const { q, line, lengths } of HOSTILE) {
    const query = compileQuery(q)!;
    const native = nativeTest(q);
    const newLong = timeMs(() => query.test(long(line)), 3);
    hostile[q] = [];
    for (const n of lengths) {
      const text = line(n);
      const nativeMs = timeMs(() => native(text));
      const newMs = timeMs(() => query.test(text), 3);
      hostile[q].push({
        chars: text.length,
        native_ms: Number(nativeMs.toFixed(2)),
        new_ms: Number(newMs.toFixed(3)),
        new_long_line_ms: Number(newLong.toFixed(2)),
      });
      console.log(
        `${q.padEnd(18)}${String(text.length).padStart(7)}${nativeMs.toFixed(1).padStart(12)}${newMs.toFixed(3).padStart(10)}${newLong.toFixed(2).padStart(20)}`,
      );
      if (nativeMs > NATIVE_CAP_MS) break;
    }
  }
  return { lines: LINES, benign, hostile };
}
