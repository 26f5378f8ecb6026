// Two runs of one pipeline stage by stage: each stage's time in both, and how the second differs.
import type { HistoryJob, StageSpec } from '@headway/progress/client';

export interface CompareRow {
  name: string;
  label: string;
  a: number;
  b: number;
  /** b − a, in seconds. */
  change: number;
  /** b ÷ a − 1; undefined when a is 0 (a stage the first run skipped). */
  ratio?: number;
}

export function compareRuns(stages: readonly StageSpec[], a: HistoryJob, b: HistoryJob): { rows: CompareRow[]; total: CompareRow } {
  const row = (name: string, label: string, sa: number, sb: number): CompareRow => ({
    name,
    label,
    a: sa,
    b: sb,
    change: sb - sa,
    ...(sa > 0 && { ratio: sb / sa - 1 }),
  });
  const seconds = (job: HistoryJob, name: string) => job.stages.find((s) => s.name === name)?.seconds ?? 0;
  return {
    rows: stages.map((s) => row(s.name, s.label, seconds(a, s.name), seconds(b, s.name))),
    total: row('total', 'Whole job', a.seconds, b.seconds),
  };
}

/** "+12 s (+25 %)", "−3 s (−10 %)", "same". */
export function formatChange({ change, ratio }: CompareRow, duration: (s: number) => string): string {
  if (Math.abs(change) < 0.05) return 'same';
  const sign = change > 0 ? '+' : '−';
  const share = ratio === undefined ? '' : ` (${sign}${Math.round(Math.abs(ratio) * 100)} %)`;
  return `${sign}${duration(Math.abs(change))}${share}`;
}
