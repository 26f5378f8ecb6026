// The corpus a review works on: the shipped sample, the tokenization every stage shares, and the
// checks the input schema cannot express (ids that must be unique or must refer to each other).
import { readFileSync } from 'node:fs';
import { type Corpus, HeadwayError } from '@headway/progress';

export type Paper = Corpus['papers'][number];
export type Claim = Corpus['claims'][number];
export type Pillar = Corpus['pillars'][number];
export type SubRequirement = Pillar['subRequirements'][number];

/** Read on every call so callers may change their copy freely. */
export function loadSampleCorpus(): Corpus {
  return JSON.parse(readFileSync(new URL('./sample-corpus.json', import.meta.url), 'utf8')) as Corpus;
}

// Function words and the filler of abstracts: they would make unrelated sentences look alike.
const STOP_WORDS = new Set(
  (
    'a about above after again against all also although an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each either every few for from further had has ' +
    'have having here how however if in into is it its itself just least less like lot made make many may more ' +
    'most much must no nor not now of off on once one only or other others our out over own per rather same ' +
    'several should since so some such than that the their them then there these they this those though through ' +
    'thus to too under until up upon us use used using very via was we well were what when where whether which ' +
    'while who whose why will with within without would yet you your ' +
    'approach paper propose proposed result show shown shows study work'
  ).split(' '),
);

/** Crude suffix stripping: enough for "spikes", "spiking" and "spiked" to meet at one stem. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** Lower-cased content words in text order; numbers and one-letter words carry no topic. */
function contentWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 2 && !/^[0-9]+$/.test(w) && !STOP_WORDS.has(w));
}

/** Content-word stems in text order. */
export function tokenize(text: string): string[] {
  return contentWords(text).map(stem);
}

export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export interface IndexedSentence {
  paperId: string;
  /** Position within the paper's text, so evidence can be cited and de-duplicated. */
  index: number;
  text: string;
  tokens: ReadonlySet<string>;
}

export interface IndexedPaper {
  paper: Paper;
  /** Title and text together: what a claim is checked against. */
  tokens: ReadonlySet<string>;
  sentences: IndexedSentence[];
}

export interface CorpusIndex {
  papers: Map<string, IndexedPaper>;
  sentenceCount: number;
  /** In how many papers each stem occurs: query expansion avoids stems that are everywhere. */
  documentFrequency: Map<string, number>;
  /** A word each stem came from, to show people "glare" rather than "glar". */
  wordOf: Map<string, string>;
}

export function indexCorpus(corpus: Corpus): CorpusIndex {
  const papers = new Map<string, IndexedPaper>();
  const documentFrequency = new Map<string, number>();
  const wordOf = new Map<string, string>();
  let sentenceCount = 0;
  for (const paper of corpus.papers) {
    for (const word of contentWords(paper.text)) {
      const s = stem(word);
      // The shortest word is usually the plain form ("glare" over "glaring").
      if ((wordOf.get(s)?.length ?? Infinity) > word.length) wordOf.set(s, word);
    }
    const sentences = splitSentences(paper.text).map((text, index) => ({
      paperId: paper.id,
      index,
      text,
      tokens: new Set(tokenize(text)),
    }));
    const tokens = new Set(tokenize(`${paper.title} ${paper.text}`));
    for (const token of tokens) documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
    papers.set(paper.id, { paper, tokens, sentences });
    sentenceCount += sentences.length;
  }
  return { papers, sentenceCount, documentFrequency, wordOf };
}

/** A problem in the corpus itself: retrying the job cannot fix it. */
const invalid = (message: string) => new HeadwayError(422, 'VALIDATION', message);

/** Ids are how claims, evidence and charts refer to things, so each must name one thing. */
export function checkUniqueIds(corpus: Corpus): void {
  const ensureUnique = (kind: string, ids: string[]) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) throw invalid(`${kind} id "${id}" appears more than once in the corpus`);
      seen.add(id);
    }
  };
  ensureUnique(
    'Paper',
    corpus.papers.map((p) => p.id),
  );
  ensureUnique(
    'Claim',
    corpus.claims.map((c) => c.id),
  );
  ensureUnique(
    'Pillar',
    corpus.pillars.map((p) => p.id),
  );
  ensureUnique(
    'Sub-requirement',
    corpus.pillars.flatMap((p) => p.subRequirements.map((s) => s.id)),
  );
}

export function checkClaimReferences(corpus: Corpus): void {
  const paperIds = new Set(corpus.papers.map((p) => p.id));
  const dangling = corpus.claims.filter((c) => !paperIds.has(c.paperId));
  const first = dangling[0];
  if (!first) return;
  const more = dangling.length > 1 ? ` (and ${dangling.length - 1} more claims cite missing papers)` : '';
  throw invalid(`Claim "${first.id}" cites paper "${first.paperId}", which is not in the corpus${more}`);
}

/** `["ALL"]` (or any list containing it) selects every pillar, in corpus order. */
export function selectPillars(corpus: Corpus, selections: readonly string[]): Pillar[] {
  if (selections.length === 0) throw invalid('No pillars selected; pass ["ALL"] or pillar ids');
  if (selections.includes('ALL')) return corpus.pillars;
  const byId = new Map(corpus.pillars.map((p) => [p.id, p]));
  const unknown = selections.find((id) => !byId.has(id));
  if (unknown !== undefined) {
    const known = corpus.pillars.map((p) => p.id).join(', ');
    throw invalid(`Pillar "${unknown}" is selected but not in the corpus; its pillars are: ${known}`);
  }
  const wanted = new Set(selections);
  return corpus.pillars.filter((p) => wanted.has(p.id));
}

/** Sub-requirements whose keywords tokenize to nothing: they can never match, which is worth a warning. */
export function unsearchableSubRequirements(pillars: readonly Pillar[]): string[] {
  return pillars.flatMap((p) => p.subRequirements.filter((s) => s.keywords.every((k) => tokenize(k).length === 0)).map((s) => s.id));
}
