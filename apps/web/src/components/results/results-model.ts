// What the Results panel lists: the artifacts of every attempt (live events merged with the REST
// list, which outlives a trimmed stream), one attempt's at a time, the summary first, by stage.
import { type ArtifactEvent, type ArtifactInfo, artifactInfoOf, type StageSpec } from '@headway/progress/client';

/** Every attempt's artifacts, one per attempt and name (the last published wins), oldest first. */
export function mergeArtifacts(listed: readonly ArtifactInfo[], live: readonly ArtifactEvent[]): ArtifactInfo[] {
  const byKey = new Map<string, ArtifactInfo>();
  for (const info of [...listed, ...live.map(artifactInfoOf)].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const key = `${info.attempt}\u0000${info.name}`;
    byKey.delete(key);
    byKey.set(key, info);
  }
  return [...byKey.values()];
}

/** Attempts that published artifacts, newest first. */
export const attemptsOf = (artifacts: readonly ArtifactInfo[]): number[] =>
  [...new Set(artifacts.map((a) => a.attempt))].sort((a, b) => b - a);

export interface ArtifactGroup {
  /** The stage's name, or undefined for files published outside any stage. */
  stage?: string;
  title: string;
  artifacts: ArtifactInfo[];
}

/** One attempt's artifacts by stage, in the pipeline's stage order (stages it does not know after). */
export function groupByStage(artifacts: readonly ArtifactInfo[], stages: readonly Pick<StageSpec, 'name' | 'label'>[]): ArtifactGroup[] {
  const groups = new Map<string | undefined, ArtifactInfo[]>();
  for (const a of artifacts) groups.set(a.stage, [...(groups.get(a.stage) ?? []), a]);
  const order = new Map(stages.map((s, i) => [s.name, i]));
  const rank = (stage: string | undefined) => (stage === undefined ? Number.MAX_SAFE_INTEGER : (order.get(stage) ?? stages.length));
  return [...groups.entries()]
    .map(([stage, list]) => ({
      ...(stage !== undefined && { stage }),
      title: stage === undefined ? 'Other files' : (stages.find((s) => s.name === stage)?.label ?? stage),
      artifacts: list,
    }))
    .sort((a, b) => rank(a.stage) - rank(b.stage));
}
