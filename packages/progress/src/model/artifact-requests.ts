// What `GET /api/jobs/:id/artifacts` answers: each artifact as its event told it, of every attempt.
import { type Static, Type as t } from '@sinclair/typebox';
import type { ArtifactEvent } from './events.ts';

export const ArtifactInfo = t.Object({
  name: t.String({ description: 'A relative, /-separated path; GET /api/jobs/{id}/artifacts/{name} serves it' }),
  size: t.Integer({ minimum: 0, description: 'Bytes' }),
  contentType: t.String(),
  sha256: t.String({ description: 'Hex SHA-256 of the bytes' }),
  stage: t.Optional(t.String({ description: 'The stage open when it was published' })),
  attempt: t.Integer({ minimum: 1, description: 'The attempt that published it; a retry’s artifacts sit beside the first’s' }),
  title: t.Optional(t.String()),
  createdAt: t.String({ description: 'When it was published (ISO-8601)' }),
});
export type ArtifactInfo = Static<typeof ArtifactInfo>;

export const ArtifactList = t.Object({ artifacts: t.Array(ArtifactInfo) });
export type ArtifactList = Static<typeof ArtifactList>;

export function artifactInfoOf({ name, size, contentType, sha256, stage, attempt, title, ts }: ArtifactEvent): ArtifactInfo {
  return { name, size, contentType, sha256, ...(stage && { stage }), attempt, ...(title && { title }), createdAt: ts };
}
