// An SVG of estimated vs true remaining time over one job, for the README.
import type { JobHistory } from './history-file.ts';
import type { Method, Reading } from './methods.ts';

const W = 720;
const H = 360;
const PAD = { left: 56, right: 16, top: 28, bottom: 44 };

export function plotJob(title: string, history: readonly JobHistory[], index: number, methods: Method[]): string {
  const job = history[index]!;
  const T = job.events.at(-1)!.t;
  const series = methods.map((method) => {
    let readings: { t: number; r: Reading }[] = [];
    history.slice(0, index + 1).forEach((j, i) => {
      const read = method.start(j);
      // Every event is observed (the seed learns from the last one too); the last one ends the job.
      const rs = j.events.map((e) => ({ t: e.t, r: read(e) })).slice(0, -1);
      if (i === index) readings = rs;
      method.finish(j);
    });
    return { name: method.name, readings };
  });
  const maxY = Math.max(T, ...series.flatMap((s) => s.readings.map((x) => Math.min(x.r.eta?.high ?? 0, T * 2))));
  const x = (t: number) => PAD.left + (t / T) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (Math.min(v, maxY) / maxY) * (H - PAD.top - PAD.bottom);
  const path = (points: [number, number][]) => points.map(([a, b], i) => `${i ? 'L' : 'M'}${x(a).toFixed(1)},${y(b).toFixed(1)}`).join('');
  const colours: Record<string, string> = { headway: '#2563eb', seed: '#ea580c', linear: '#6b7280', jenkins: '#9333ea', ema: '#16a34a' };
  const parts: string[] = [];
  const headway = series.find((s) => s.name === 'headway');
  const banded = headway?.readings.filter((p) => p.r.eta?.low !== undefined) ?? [];
  if (banded.length > 1) {
    const upper = banded.map((p) => [p.t, p.r.eta!.high!] as [number, number]);
    const lower = banded.map((p) => [p.t, p.r.eta!.low!] as [number, number]).reverse();
    parts.push(`<path d="${path([...upper, ...lower])}Z" fill="#2563eb" fill-opacity="0.15" stroke="none"/>`);
  }
  parts.push(
    `<path d="${path([
      [0, T],
      [T, 0],
    ])}" stroke="#111827" stroke-width="2.5" fill="none"/>`,
  );
  for (const s of series) {
    const points = s.readings.filter((p) => p.r.eta).map((p) => [p.t, p.r.eta!.seconds] as [number, number]);
    if (points.length > 1) {
      const dash = s.name === 'headway' ? '' : ' stroke-dasharray="5 4"';
      parts.push(
        `<path d="${path(points)}" stroke="${colours[s.name] ?? '#000'}" stroke-width="${s.name === 'headway' ? 2 : 1.5}" fill="none"${dash}/>`,
      );
    }
  }
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const t = f * T;
    const v = f * maxY;
    return (
      `<text x="${x(t)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${t.toFixed(0)} s</text>` +
      `<text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(0)} s</text>` +
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/>`
    );
  });
  let legendX = PAD.left + 8;
  const legend = ['true remaining', ...series.map((s) => s.name)].map((name) => {
    const colour = name === 'true remaining' ? '#111827' : (colours[name] ?? '#000');
    const label = name === 'headway' ? 'headway (80 % band)' : name;
    const item = `<rect x="${legendX}" y="8" width="12" height="4" fill="${colour}"/><text x="${legendX + 16}" y="14">${label}</text>`;
    legendX += 28 + label.length * 6;
    return item;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11" fill="#374151">
<rect width="${W}" height="${H}" fill="#ffffff"/>
${ticks.join('\n')}
${parts.join('\n')}
${legend.join('\n')}
<text x="${W / 2}" y="${H - 8}" text-anchor="middle">elapsed time: ${title}</text>
<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">remaining time</text>
</svg>
`;
}
