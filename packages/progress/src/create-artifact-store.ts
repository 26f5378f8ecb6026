// The artifact store ARTIFACT_STORE names: a folder (the default, DATA_DIR/artifacts) for one host
// or a volume shared by every API and worker.
import { resolve } from 'node:path';
import type { ArtifactStore } from './artifact-store.ts';
import { LocalArtifactStore } from './local-artifact-store.ts';

export function createArtifactStore(setting: string): ArtifactStore {
  return new LocalArtifactStore(resolve(setting));
}
