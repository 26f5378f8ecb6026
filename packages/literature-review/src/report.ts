// Finalization: writes report.md next to the charts, the review's outcome for people: summary,
// completeness per pillar, every gap with the query that failed to fill it, and the claims that
// failed. It publishes the report (its images link the chart artifacts by name) and summary.md,
// the job's summary shown first: the claims' verdicts and completeness per pillar.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Corpus, type LiteratureReviewInput, SUMMARY_ARTIFACT } from '@headway/progress';
import type { CorpusIndex, Pillar } from './corpus.ts';
import { type EvidenceBoard, findGaps, type Query } from './evidence.ts';
import type { GapAnalysisResult } from './gap-analysis.ts';
import { type ClaimVerdict, countVerdicts } from './judge.ts';
import { createPace, isReportPoint, type ReviewContext } from './pace.ts';

export const REPORT_FILE = 'report.md';
/** The report stays readable for big corpora; the judge's log has every claim. */
const MAX_LISTED_CLAIMS = 200;

export interface ReportInput {
  corpus: Corpus;
  index: CorpusIndex;
  pillars: readonly Pillar[];
  queries: readonly Query[];
  verdicts: readonly ClaimVerdict[];
  board: EvidenceBoard;
  gap: GapAnalysisResult;
  charts: readonly string[];
}

interface Section {
  title: string;
  /** The sub-requirements or claims the section covers: each costs half a pace unit to write. */
  items: number;
  lines(): string[];
}
const UNITS_PER_ITEM = 0.5;

export async function runFinalization(ctx: ReviewContext, input: ReportInput): Promise<string> {
  const pace = createPace(ctx);
  const sections = [
    { title: 'summary', items: 1, lines: () => summary(input, ctx.input) },
    ...input.pillars.map((pillar) => ({
      title: pillar.name,
      items: pillar.subRequirements.length,
      lines: () => pillarSection(input, pillar),
    })),
    { title: 'unsupported claims', items: Math.min(MAX_LISTED_CLAIMS, unsupported(input).length) + 1, lines: () => claimsSection(input) },
    { title: 'charts', items: 1, lines: () => chartsSection(input.charts) },
  ] satisfies Section[];
  const total = sections.reduce((n, s) => n + s.items, 0);
  const lines: string[] = [];
  let written = 0;
  for (const section of sections) {
    lines.push(...section.lines(), '');
    for (let i = 0; i < section.items; i++) {
      await pace(UNITS_PER_ITEM);
      written++;
      if (isReportPoint(written, total)) {
        const message = `Writing report: ${section.title} (${written} of ${total} items)`;
        ctx.progress.emit('finalization', 'running', message, { stageProgress: written / total });
      }
    }
  }
  const report = lines.join('\n');
  writeFileSync(join(ctx.outputDir, REPORT_FILE), report);
  await ctx.artifacts.put(REPORT_FILE, report, { title: 'Literature review report' });
  await ctx.artifacts.put(SUMMARY_ARTIFACT, jobSummary(input).join('\n'), { title: 'Summary' });
  return REPORT_FILE;
}

function summary({ corpus, pillars, verdicts, board, gap }: ReportInput, options: LiteratureReviewInput): string[] {
  const counts = countVerdicts(verdicts);
  const scores = pillars.map((p) => gap.completeness[p.id] ?? 0);
  const mean = scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length);
  const iterations = `${gap.iterations} iteration${gap.iterations === 1 ? '' : 's'}`;
  return [
    '# Literature review',
    '',
    `- Corpus: ${corpus.papers.length} papers, ${corpus.claims.length} claims, ` +
      `${corpus.pillars.length} pillars (${pillars.length} analysed)`,
    `- Claims: ${counts.supported} supported, ${counts.partial} partly supported, ${counts.unsupported} unsupported`,
    `- Gap analysis: ${options.runMode}, ${iterations} (stopped: ${gap.stoppedBecause})`,
    `- Mean completeness: ${mean.toFixed(1)}%`,
    '',
    '## Completeness by pillar',
    '',
    '| Pillar | Completeness | Sub-requirements with evidence |',
    '|---|---:|---:|',
    ...pillars.map((p) => {
      const covered = p.subRequirements.filter((s) => board.coverage(s.id) > 0).length;
      const score = (gap.completeness[p.id] ?? 0).toFixed(1);
      return `| ${md(p.name)} | ${score}% | ${covered} of ${p.subRequirements.length} |`;
    }),
  ];
}

/** summary.md: what a reader of the job sees first; the report has the rest. */
export function jobSummary({ corpus, pillars, verdicts, gap }: ReportInput): string[] {
  const counts = countVerdicts(verdicts);
  return [
    '# Literature review: summary',
    '',
    `${counts.supported} supported, ${counts.partial} partly supported, ${counts.unsupported} unsupported ` +
      `of ${verdicts.length} claims in ${corpus.papers.length} papers.`,
    '',
    '| Pillar | Completeness |',
    '|---|---:|',
    ...pillars.map((p) => `| ${md(p.name)} | ${(gap.completeness[p.id] ?? 0).toFixed(1)}% |`),
    '',
    `The full report: [${REPORT_FILE}](${REPORT_FILE}).`,
    '',
  ];
}

function pillarSection({ board, queries, index }: ReportInput, pillar: Pillar): string[] {
  const gaps = findGaps([pillar], board);
  const lines = [`## ${md(pillar.name)}`, ''];
  if (gaps.length === 0) return [...lines, 'Every sub-requirement is fully covered.'];
  for (const { subRequirement, coverage } of gaps) {
    const evidence = board.evidenceFor(subRequirement.id);
    const papers = [...new Set(evidence.map((e) => e.paperId))];
    const query = queries.find((q) => q.subRequirement.id === subRequirement.id);
    const widened = (query?.expansion ?? []).map((s) => index.wordOf.get(s) ?? s);
    lines.push(
      `- **${md(subRequirement.id)}**: ${md(subRequirement.text)}. ${Math.round(coverage * 100)}% covered` +
        (papers.length > 0 ? ` by ${papers.map(md).join(', ')}` : ', no evidence found') +
        `. Searched for: ${subRequirement.keywords.map(md).join(', ')}` +
        (widened.length > 0 ? `; widened with: ${widened.map(md).join(', ')}` : '') +
        '.',
    );
  }
  return lines;
}

function unsupported({ verdicts }: ReportInput): ClaimVerdict[] {
  return verdicts.filter((v) => v.verdict === 'unsupported');
}

function claimsSection(input: ReportInput): string[] {
  const failed = unsupported(input);
  const lines = ['## Unsupported claims', ''];
  if (failed.length === 0) return [...lines, 'The judge found support for every claim.'];
  const claims = new Map(input.corpus.claims.map((c) => [c.id, c]));
  for (const v of failed.slice(0, MAX_LISTED_CLAIMS)) {
    const title = input.index.papers.get(v.paperId)?.paper.title ?? '';
    const claim = md(claims.get(v.claimId)?.text ?? '');
    const cited = `${md(v.paperId)} “${md(title)}”`;
    lines.push(`- **${md(v.claimId)}** (score ${v.score.toFixed(2)}), citing ${cited}: ${claim}`);
  }
  if (failed.length > MAX_LISTED_CLAIMS) {
    lines.push(`- …and ${failed.length - MAX_LISTED_CLAIMS} more (see the judge's log)`);
  }
  return lines;
}

/** Each chart by its artifact name, relative to the report, so a viewer resolves it to the job's chart. */
function chartsSection(charts: readonly string[]): string[] {
  return ['## Charts', '', ...charts.map((file) => `![${file.replace(/\.svg$/, '')}](${file})`)];
}

/** User text must not turn into markup (a `|` would break the table, a `*` would start emphasis). */
function md(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, '\\$&').replace(/\s+/g, ' ');
}
