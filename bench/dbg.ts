import { familySets } from './eta/families.ts';
import { generatedSets } from './eta/generate.ts';
import { headway, oracle } from './eta/methods.ts';
import { replay } from './eta/replay.ts';
import { stagesOf } from './eta.ts';
const name = process.argv[2]!;
const sets = { ...generatedSets(), ...familySets(Number(process.argv[3] ?? 11)) } as Record<string, any>;
const jobs = sets[name];
const stages = stagesOf(jobs);
const rows = [headway(stages), oracle()].map((m) => replay(m, jobs));
const buckets = (js: any[], from: number, to: number) => {
  const out = [0, 0, 0, 0, 0].map(() => ({ e: 0, n: 0 }));
  js.slice(from, to).forEach((j) => j.samples.forEach((s: any) => { if (!s.eta) return; const b = Math.min(4, Math.floor((5 * s.t) / j.duration)); out[b]!.e += Math.abs(s.eta.seconds - (j.duration - s.t)); out[b]!.n++; }));
  return out.map((x) => (x.e / x.n).toFixed(2)).join(' ');
};
for (const [a, b] of [[10, 100], [10, 50], [50, 60], [60, 100]]) console.log(a, b, 'headway', buckets(rows[0]!, a!, b!), '| oracle', buckets(rows[1]!, a!, b!));
if (process.argv[4]) {
  const [a, b] = process.argv[4].split('-').map(Number);
  for (let i = a!; i < b!; i++) {
    const h = rows[0]![i]!; const o = rows[1]![i]!;
    const first = (j: any) => j.samples.filter((s: any) => s.eta).slice(0, 3).map((s: any) => `${(s.eta.seconds - (j.duration - s.t)).toFixed(1)}`).join(',');
    console.log(i, 'T', h.duration.toFixed(1), 'headway', first(h), 'oracle', first(o));
  }
}
