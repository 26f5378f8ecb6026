// The reference pipeline's declaration: the seed's six stages and weights, and its input options.
import { type Static, Type as t } from '@sinclair/typebox';
import type { PipelineSpec } from '../model/pipeline-spec.ts';

const Paper = t.Object({
  id: t.String({ minLength: 1, maxLength: 64 }),
  title: t.String({ maxLength: 500 }),
  text: t.String({ maxLength: 20_000 }),
});
const Claim = t.Object({
  id: t.String({ minLength: 1, maxLength: 64 }),
  paperId: t.String({ minLength: 1, maxLength: 64 }),
  text: t.String({ maxLength: 2_000 }),
});
const SubRequirement = t.Object({
  id: t.String({ minLength: 1, maxLength: 64 }),
  text: t.String({ maxLength: 1_000 }),
  keywords: t.Array(t.String({ maxLength: 64 }), { minItems: 1, maxItems: 32 }),
});
const Pillar = t.Object({
  id: t.String({ minLength: 1, maxLength: 64 }),
  name: t.String({ maxLength: 200 }),
  subRequirements: t.Array(SubRequirement, { minItems: 1, maxItems: 64 }),
});

export const Corpus = t.Object({
  papers: t.Array(Paper, { minItems: 1, maxItems: 2_000 }),
  claims: t.Array(Claim, { maxItems: 20_000 }),
  pillars: t.Array(Pillar, { minItems: 1, maxItems: 64 }),
});
export type Corpus = Static<typeof Corpus>;

export const LiteratureReviewInput = t.Object({
  runMode: t.Union([t.Literal('ONCE'), t.Literal('DEEP_LOOP')], {
    default: 'DEEP_LOOP',
    description: 'ONCE runs gap analysis once; DEEP_LOOP iterates until completeness stops improving.',
  }),
  pillarSelections: t.Array(t.String({ maxLength: 64 }), {
    default: ['ALL'],
    maxItems: 64,
    description: 'Pillar ids to analyse, or ["ALL"].',
  }),
  maxIterations: t.Integer({ minimum: 1, maximum: 20, default: 5, description: 'DEEP_LOOP cap.' }),
  paceMs: t.Integer({
    minimum: 0,
    maximum: 5_000,
    default: 60,
    description: 'Time spent per unit of work (claim, paper, query); the sample takes about 30 s at 60.',
  }),
  corpus: t.Optional(Corpus),
});
export type LiteratureReviewInput = Static<typeof LiteratureReviewInput>;

export const literatureReview: PipelineSpec<typeof LiteratureReviewInput> = {
  name: 'literature-review',
  title: 'Literature review',
  description:
    'Validates each claim against its paper, maps evidence to sub-requirements, scores each pillar’s completeness, draws SVG charts and writes a report.',
  stages: [
    { name: 'initialization', label: 'Initialization', weight: 5 },
    { name: 'judge', label: 'Judge validation', weight: 15 },
    { name: 'deep_review', label: 'Deep review', weight: 30 },
    { name: 'gap_analysis', label: 'Gap analysis', weight: 35, loops: true, expectedIterations: 3 },
    { name: 'visualization', label: 'Visualization', weight: 10 },
    { name: 'finalization', label: 'Finalization', weight: 5 },
  ],
  inputSchema: LiteratureReviewInput,
  sampleInput: { runMode: 'DEEP_LOOP' },
};
