// Where a run's files live, shared by every worker that writes them and every API that serves
// them: the contract here, a local folder (local-artifact-store.ts) or an S3-compatible bucket
// behind it. Both stream, so an artifact is never held whole in memory, and an artifact becomes
// readable under its key only once it is whole: its `artifact` event, written after `put`
// returns, never names a half-written file.
import { HeadwayError } from '../model/errors.ts';

/** What `put` stored: the bytes' count and SHA-256 (hex), measured while they streamed. */
export interface StoredArtifact {
  size: number;
  sha256: string;
}

/** An inclusive byte range, as HTTP `Range: bytes=start-end` names one. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ArtifactStore {
  /** A short description for logs ("folder /data/artifacts", "s3://bucket/prefix"). */
  readonly where: string;
  /**
   * Streams `body` to `key`. Past `maxBytes` it stops, keeps nothing and throws
   * ArtifactTooLargeError; on any other failure nothing is kept under `key` either.
   */
  put(key: string, body: ReadableStream<Uint8Array>, options: { contentType: string; maxBytes: number }): Promise<StoredArtifact>;
  /** The stored bytes (all, or `range` of them) and the whole artifact's size; undefined when there is none. */
  get(key: string, range?: ByteRange): Promise<{ body: ReadableStream<Uint8Array>; size: number } | undefined>;
  /** Removes every artifact whose key starts with `prefix` (a job's: `artifactPrefix(jobId)`). */
  deletePrefix(prefix: string): Promise<void>;
  /** Ids of the jobs that have artifacts here, for the sweep of stores that do not expire keys themselves. */
  jobIds(): Promise<string[]>;
}

export class ArtifactTooLargeError extends HeadwayError {
  constructor(readonly maxBytes: number) {
    super(413, 'PAYLOAD_TOO_LARGE', `The artifact is larger than ${maxBytes} bytes (MAX_ARTIFACT_BYTES)`);
  }
}

/** Every artifact of a job sits under this prefix. */
export const artifactPrefix = (jobId: string): string => `jobs/${jobId}/`;

/** Where one artifact of one attempt is kept: a retry's never replace the first attempt's. */
export const artifactKey = (jobId: string, attempt: number, name: string): string => `${artifactPrefix(jobId)}${attempt}/${name}`;

/**
 * `body` passed through unchanged, counted and hashed on the way; `result` settles once it has
 * been read to the end (or rejects with ArtifactTooLargeError as soon as it passes `maxBytes`).
 */
export function metered(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): { stream: ReadableStream<Uint8Array>; result: Promise<StoredArtifact> } {
  const hash = new Bun.CryptoHasher('sha256');
  let size = 0;
  let settle!: { resolve: (r: StoredArtifact) => void; reject: (e: unknown) => void };
  const result = new Promise<StoredArtifact>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => undefined);
  const stream = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          const error = new ArtifactTooLargeError(maxBytes);
          settle.reject(error);
          controller.error(error);
          return;
        }
        hash.update(chunk);
        controller.enqueue(chunk);
      },
      flush() {
        settle.resolve({ size, sha256: hash.digest('hex') });
      },
    }),
  );
  return { stream, result };
}
