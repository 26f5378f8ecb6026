// Visualization: draws the review's charts as standalone SVG files in the job's output directory —
// completeness per pillar (radar), what is missing per sub-requirement (bars), and how the gap
// analysis iterations moved each pillar (trend) — and publishes each as an artifact under its
// file name as it is drawn, the name report.md links it by.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pillar } from './corpus.ts';
import { type EvidenceBoard, findGaps, type Gap } from './evidence.ts';
import type { Completeness } from './gap-analysis.ts';
import { createPace, isReportPoint, type ReviewContext } from './pace.ts';
import { element, fmt, PALETTE, svgDocument, text, truncate } from './svg.ts';

const SERIES = PALETTE[0] ?? '#2563eb';

/** More bars than this make an unreadable chart; the report lists every gap anyway. */
export const MAX_GAP_BARS = 40;

interface Chart {
  file: string;
  title: string;
  /** Drawing costs one pace unit per axis, bar or line. */
  elements: number;
  render(): string;
}

export async function runVisualization(
  ctx: ReviewContext,
  pillars: readonly Pillar[],
  board: EvidenceBoard,
  history: readonly Completeness[],
): Promise<string[]> {
  const pace = createPace(ctx);
  const completeness = history.at(-1) ?? {};
  const gaps = findGaps(pillars, board);
  const charts: Chart[] = [
    {
      file: 'completeness-radar.svg',
      title: 'Completeness by pillar',
      elements: pillars.length,
      render: () => radarChart(pillars, completeness),
    },
    {
      file: 'gap-bars.svg',
      title: 'Missing evidence by sub-requirement',
      elements: Math.max(1, Math.min(gaps.length, MAX_GAP_BARS)),
      render: () => gapBarChart(gaps),
    },
    {
      file: 'completeness-trend.svg',
      title: 'Completeness over gap-analysis iterations',
      elements: pillars.length,
      render: () => trendChart(pillars, history),
    },
  ];
  const total = charts.reduce((n, c) => n + c.elements, 0);
  let drawn = 0;
  for (const chart of charts) {
    const svg = chart.render();
    for (let i = 0; i < chart.elements; i++) {
      await pace();
      drawn++;
      if (isReportPoint(drawn, total)) {
        ctx.progress.emit('visualization', 'running', `Drawing ${chart.file}`, { stageProgress: drawn / total });
      }
    }
    writeFileSync(join(ctx.outputDir, chart.file), svg);
    ctx.progress.log('info', `Wrote ${chart.file}`, 'visualization');
    await ctx.artifacts.put(chart.file, svg, { title: chart.title });
  }
  return charts.map((c) => c.file);
}

export function radarChart(pillars: readonly Pillar[], completeness: Completeness): string {
  // Wider than tall: the labels left and right of the chart need room.
  const width = 820;
  const height = 560;
  const cx = width / 2;
  const cy = height / 2 + 10;
  const radius = 170;
  const n = pillars.length;
  const angle = (i: number) => -Math.PI / 2 + (2 * Math.PI * i) / n;
  const at = (i: number, r: number) => [cx + r * Math.cos(angle(i)), cy + r * Math.sin(angle(i))] as const;
  const ring = (share: number) =>
    n >= 3
      ? element('polygon', {
          points: pillars
            .map((_, i) =>
              at(i, radius * share)
                .map(fmt)
                .join(','),
            )
            .join(' '),
          fill: 'none',
          stroke: '#e5e7eb',
        })
      : element('circle', { cx, cy, r: radius * share, fill: 'none', stroke: '#e5e7eb' });
  const body = [heading(cx, 'Completeness by pillar', { 'text-anchor': 'middle' })];
  for (const share of [0.25, 0.5, 0.75, 1]) {
    const label = text(cx + 4, cy - radius * share - 2, `${share * 100}%`, { fill: '#9ca3af', 'font-size': 10 });
    body.push(ring(share), label);
  }
  pillars.forEach((pillar, i) => {
    const [x, y] = at(i, radius);
    body.push(element('line', { x1: cx, y1: cy, x2: x, y2: y, stroke: '#d1d5db' }));
    const [lx, ly] = at(i, radius + 34);
    const cos = Math.cos(angle(i));
    const anchor = cos > 0.3 ? 'start' : cos < -0.3 ? 'end' : 'middle';
    body.push(
      text(lx, ly, truncate(pillar.name, 32), { 'text-anchor': anchor, 'font-weight': 600 }),
      text(lx, ly + 14, `${(completeness[pillar.id] ?? 0).toFixed(1)}%`, { 'text-anchor': anchor, fill: '#4b5563' }),
    );
  });
  const dots = pillars.map((pillar, i) => at(i, (radius * (completeness[pillar.id] ?? 0)) / 100));
  const points = dots.map(([x, y]) => `${fmt(x)},${fmt(y)}`).join(' ');
  body.push(element('polygon', { points, fill: SERIES, 'fill-opacity': 0.25, stroke: SERIES, 'stroke-width': 2 }));
  for (const [x, y] of dots) body.push(element('circle', { cx: x, cy: y, r: 3.5, fill: SERIES }));
  return svgDocument(width, height, 'Completeness by pillar', body);
}

export function gapBarChart(gaps: readonly Gap[]): string {
  const width = 820;
  const labelWidth = 400;
  const barMax = 300;
  const rowHeight = 24;
  const top = 56;
  const shown = gaps.slice(0, MAX_GAP_BARS);
  const body = [heading(16, 'Missing evidence by sub-requirement')];
  if (shown.length === 0) {
    body.push(text(16, top, 'Every sub-requirement is fully covered.', { fill: '#4b5563' }));
    return svgDocument(width, top + 30, 'Missing evidence by sub-requirement', body);
  }
  shown.forEach((gap, i) => {
    const y = top + i * rowHeight;
    const missing = 1 - gap.coverage;
    const label = truncate(`${gap.pillar.name} · ${gap.subRequirement.text}`, 56);
    body.push(
      text(16, y + 15, label, { fill: '#111827' }),
      element('rect', { x: labelWidth, y: y + 3, width: barMax, height: rowHeight - 8, fill: '#f3f4f6' }),
      element('rect', { x: labelWidth, y: y + 3, width: barMax * missing, height: rowHeight - 8, fill: '#dc2626' }),
      text(labelWidth + barMax + 8, y + 15, `${Math.round(missing * 100)}% missing`, { fill: '#4b5563' }),
    );
  });
  let height = top + shown.length * rowHeight + 16;
  if (gaps.length > shown.length) {
    body.push(text(16, height, `…and ${gaps.length - shown.length} more in report.md`, { fill: '#6b7280' }));
    height += 20;
  }
  return svgDocument(width, height, 'Missing evidence by sub-requirement', body);
}

export function trendChart(pillars: readonly Pillar[], history: readonly Completeness[]): string {
  const width = 720;
  const left = 56;
  const top = 48;
  const plotWidth = 420;
  const plotHeight = 240;
  const steps = Math.max(1, history.length - 1);
  const x = (i: number) => left + (plotWidth * i) / steps;
  const y = (pct: number) => top + plotHeight * (1 - pct / 100);
  const body = [heading(16, 'Completeness over gap-analysis iterations')];
  for (const pct of [0, 25, 50, 75, 100]) {
    body.push(
      element('line', { x1: left, y1: y(pct), x2: left + plotWidth, y2: y(pct), stroke: '#e5e7eb' }),
      text(left - 8, y(pct) + 4, `${pct}%`, { 'text-anchor': 'end', fill: '#6b7280', 'font-size': 10 }),
    );
  }
  history.forEach((_, i) => {
    const label = i === 0 ? 'review' : `iter ${i}`;
    body.push(text(x(i), top + plotHeight + 18, label, { 'text-anchor': 'middle', fill: '#6b7280', 'font-size': 10 }));
  });
  pillars.forEach((pillar, p) => {
    const color = PALETTE[p % PALETTE.length] ?? SERIES;
    const points = history.map((h, i) => `${fmt(x(i))},${fmt(y(h[pillar.id] ?? 0))}`).join(' ');
    body.push(element('polyline', { points, fill: 'none', stroke: color, 'stroke-width': 2 }));
    const ly = top + 8 + p * 18;
    body.push(
      element('rect', { x: left + plotWidth + 24, y: ly - 9, width: 12, height: 12, fill: color }),
      text(left + plotWidth + 42, ly + 1, truncate(pillar.name, 28)),
    );
  });
  const height = Math.max(top + plotHeight + 40, top + pillars.length * 18 + 24);
  return svgDocument(width, height, 'Completeness over gap-analysis iterations', body);
}

function heading(x: number, title: string, attrs: Record<string, string> = {}): string {
  return text(x, 28, title, { 'font-size': 16, 'font-weight': 600, ...attrs });
}
