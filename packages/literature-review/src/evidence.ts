// Evidence: which sentences speak to which sub-requirement, how much each can be trusted, and how
// much of a pillar that covers. Deep review and gap analysis fill the same board.
import type { IndexedSentence, Pillar, SubRequirement } from './corpus.ts';
import { tokenize } from './corpus.ts';
import type { ClaimVerdict } from './judge.ts';

export interface Query {
  pillarId: string;
  subRequirement: SubRequirement;
  /** Each keyword as stems: a sentence matches a keyword when it holds all of its stems, in any order. */
  keywords: string[][];
  /** Stems learnt from evidence by gap analysis; any two in one sentence make a weaker match. */
  expansion: string[];
}

export type MatchKind = 'keyword' | 'expansion';

/** One expanded stem alone is too weak a signal: it would drag in every sentence sharing a word. */
export const EXPANSION_STEMS_NEEDED = 2;
const MATCH_WEIGHT: Record<MatchKind, number> = { keyword: 1, expansion: 0.6 };

/**
 * How far a paper can be trusted: a paper whose claims the judge accepted is better evidence than
 * one nobody has checked (or whose claims failed).
 */
export const CREDIBILITY = { supported: 1, partial: 0.7, unchecked: 0.5 } as const;

/** Summed strength (best sentence per paper) that makes a sub-requirement fully covered. */
export const FULL_COVERAGE_STRENGTH = 4;

export function buildQueries(pillars: readonly Pillar[]): Query[] {
  return pillars.flatMap((pillar) =>
    pillar.subRequirements.map((subRequirement) => ({
      pillarId: pillar.id,
      subRequirement,
      // A keyword made only of stop words would match every sentence, so it is dropped.
      keywords: subRequirement.keywords.map((k) => [...new Set(tokenize(k))]).filter((stems) => stems.length > 0),
      expansion: [],
    })),
  );
}

export function matchSentence(query: Query, tokens: ReadonlySet<string>): MatchKind | undefined {
  if (query.keywords.some((stems) => stems.every((s) => tokens.has(s)))) return 'keyword';
  let hits = 0;
  for (const s of query.expansion) if (tokens.has(s) && ++hits >= EXPANSION_STEMS_NEEDED) return 'expansion';
  return undefined;
}

export function paperCredibility(verdicts: readonly ClaimVerdict[]): Map<string, number> {
  const best = new Map<string, number>();
  for (const v of verdicts) {
    const c = v.verdict === 'supported' ? CREDIBILITY.supported : v.verdict === 'partial' ? CREDIBILITY.partial : 0;
    best.set(v.paperId, Math.max(best.get(v.paperId) ?? 0, c));
  }
  return best;
}

export interface Evidence {
  subRequirementId: string;
  paperId: string;
  sentence: number;
  text: string;
  via: MatchKind;
  strength: number;
}

export class EvidenceBoard {
  readonly #bySubRequirement = new Map<string, Map<string, Evidence>>();
  readonly #credibility: ReadonlyMap<string, number>;

  constructor(credibility: ReadonlyMap<string, number>) {
    this.#credibility = credibility;
  }

  /** Records a match unless that sentence already backs the sub-requirement; true when it is new. */
  add(query: Query, sentence: IndexedSentence, via: MatchKind): boolean {
    const srId = query.subRequirement.id;
    let entries = this.#bySubRequirement.get(srId);
    if (!entries) this.#bySubRequirement.set(srId, (entries = new Map()));
    const key = `${sentence.paperId}#${sentence.index}`;
    if (entries.has(key)) return false;
    const credibility = Math.max(this.#credibility.get(sentence.paperId) ?? 0, CREDIBILITY.unchecked);
    entries.set(key, {
      subRequirementId: srId,
      paperId: sentence.paperId,
      sentence: sentence.index,
      text: sentence.text,
      via,
      strength: credibility * MATCH_WEIGHT[via],
    });
    return true;
  }

  evidenceFor(subRequirementId: string): Evidence[] {
    return [...(this.#bySubRequirement.get(subRequirementId)?.values() ?? [])];
  }

  get size(): number {
    let n = 0;
    for (const entries of this.#bySubRequirement.values()) n += entries.size;
    return n;
  }

  /** 0..1. Counts each paper once, by its strongest sentence, so one verbose paper cannot fill a gap alone. */
  coverage(subRequirementId: string): number {
    const bestPerPaper = new Map<string, number>();
    for (const e of this.evidenceFor(subRequirementId)) {
      bestPerPaper.set(e.paperId, Math.max(bestPerPaper.get(e.paperId) ?? 0, e.strength));
    }
    let sum = 0;
    for (const s of bestPerPaper.values()) sum += s;
    return Math.min(1, sum / FULL_COVERAGE_STRENGTH);
  }

  /** Percent, 0..100: the mean coverage of the pillar's sub-requirements. */
  completeness(pillar: Pillar): number {
    const subs = pillar.subRequirements;
    return (100 * subs.reduce((sum, s) => sum + this.coverage(s.id), 0)) / subs.length;
  }
}

export interface Gap {
  pillar: Pillar;
  subRequirement: SubRequirement;
  /** 0..1 */
  coverage: number;
}

/** Sub-requirements short of full coverage, the least covered first. */
export function findGaps(pillars: readonly Pillar[], board: EvidenceBoard): Gap[] {
  return pillars
    .flatMap((pillar) =>
      pillar.subRequirements.map((subRequirement) => ({
        pillar,
        subRequirement,
        coverage: board.coverage(subRequirement.id),
      })),
    )
    .filter((g) => g.coverage < 1)
    .sort((a, b) => a.coverage - b.coverage);
}
