// How a running job publishes its files (`ctx.artifacts.put`): each put checks the name and the
// attempt's cap, streams the body to the artifact store under the attempt's key, and only then
// reports it as an `artifact` event, so no event names a half-stored file. A refusal (bad name,
// too many, too large, a store error) is a warn line in the job naming the artifact and why; the
// put resolves to a result saying so and the job goes on.
import { stat } from 'node:fs/promises';
import { type ArtifactStore, ArtifactTooLargeError, artifactKey } from '../artifacts/artifact-store.ts';
import { artifactNameProblem, contentTypeOf, MAX_ARTIFACT_NAME_LENGTH } from '../model/artifact-name.ts';
import type { ProgressTracker } from './progress-tracker.ts';

/**
 * What an artifact's bytes come from: text (stored as UTF-8), bytes, a Blob, a stream, or
 * `{ path }`, a file read as it streams (a plain object with `path` is never mistaken for the others).
 */
export type ArtifactBody = string | Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array> | { path: string };

export interface ArtifactPutOptions {
  /** The content type; by the name's extension when left out (`contentTypeOf`). */
  contentType?: string;
  /** A short caption shown beside it (cut to 200 characters). */
  title?: string;
}

export type ArtifactPutResult =
  | { stored: true; name: string; size: number; sha256: string; contentType: string }
  | { stored: false; name: string; reason: string };

/** `ctx.artifacts`: what a pipeline publishes with. */
export interface ArtifactPublisher {
  /**
   * Stores `body` as this attempt's artifact `name` (a relative `/`-separated path, at most once
   * per attempt) in the stage open now. Never rejects: a refusal is a warn line in the job and a
   * result with `stored: false` and the reason.
   */
  put(name: string, body: ArtifactBody, options?: ArtifactPutOptions): Promise<ArtifactPutResult>;
}

export interface JobArtifactsOptions {
  jobId: string;
  attempt: number;
  store: ArtifactStore;
  tracker: ProgressTracker;
  /** MAX_ARTIFACT_BYTES. */
  maxBytes: number;
  /** MAX_ARTIFACTS_PER_JOB, counted per attempt. */
  maxCount: number;
}

const MAX_TITLE_LENGTH = 200;
/** A media type as `type/subtype`, with parameters after `;`. */
const MEDIA_TYPE = /^[A-Za-z0-9][\w.+-]*\/[A-Za-z0-9][\w.+-]*(\s*;[ -~]*)?$/;
/** What a warn line must not print raw: controls JSON leaves as they are, and the bidi marks. */
const UNPRINTABLE = /[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export class JobArtifacts implements ArtifactPublisher {
  readonly #opts: JobArtifactsOptions;
  /** Names stored or being stored by this attempt: a failed put gives its name and slot back. */
  readonly #names = new Set<string>();
  readonly #pending = new Set<Promise<unknown>>();

  constructor(opts: JobArtifactsOptions) {
    this.#opts = opts;
  }

  /** How many more artifacts this attempt may publish. */
  get room(): number {
    return Math.max(0, this.#opts.maxCount - this.#names.size);
  }

  put(name: string, body: ArtifactBody, options: ArtifactPutOptions = {}): Promise<ArtifactPutResult> {
    const put = this.#put(name, body, options);
    this.#pending.add(put);
    void put.finally(() => this.#pending.delete(put));
    return put;
  }

  /** Resolves once every put started so far has stored or been refused. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async #put(name: string, body: ArtifactBody, { contentType, title }: ArtifactPutOptions): Promise<ArtifactPutResult> {
    const { tracker, store, jobId, attempt, maxBytes, maxCount } = this.#opts;
    const stage = tracker.openStage;
    const refuse = (reason: string): ArtifactPutResult => {
      if (body instanceof ReadableStream) void body.cancel().catch(() => undefined);
      tracker.log('warn', `Artifact ${quotedName(String(name))} was not stored: ${reason}`, stage);
      return { stored: false, name, reason };
    };
    if (typeof name !== 'string') return refuse('its name is not a string');
    const problem = artifactNameProblem(name);
    if (problem) return refuse(`its name is not allowed: ${problem}`);
    if (this.#names.has(name)) return refuse('this attempt already published an artifact of that name');
    if (this.#names.size >= maxCount) return refuse(`this attempt already published ${maxCount} artifacts (MAX_ARTIFACTS_PER_JOB)`);
    const type = contentType ?? contentTypeOf(name);
    if (type.length > MAX_TITLE_LENGTH || !MEDIA_TYPE.test(type)) return refuse(`${quotedName(type)} is not a content type`);
    this.#names.add(name);
    try {
      const source = await sourceOf(body);
      if (source.size !== undefined && source.size > maxBytes) throw new ArtifactTooLargeError(maxBytes);
      const stored = await store.put(artifactKey(jobId, attempt, name), source.stream(), { contentType: type, maxBytes });
      const caption = title?.replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE_LENGTH);
      tracker.artifact({ name, ...stored, contentType: type, ...(caption && { title: caption }) }, stage);
      return { stored: true, name, ...stored, contentType: type };
    } catch (error) {
      this.#names.delete(name);
      return refuse(error instanceof ArtifactTooLargeError ? error.message : `could not store it: ${(error as Error)?.message ?? error}`);
    }
  }
}

/** The body's bytes as a stream made on demand, and their count when known before reading. */
async function sourceOf(body: ArtifactBody): Promise<{ size?: number; stream: () => ReadableStream<Uint8Array> }> {
  if (typeof body === 'string' || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) body = new Blob([body as BlobPart]);
  if (body instanceof Blob) {
    const blob = body;
    return { size: blob.size, stream: () => blob.stream() };
  }
  if (body instanceof ReadableStream) {
    const stream = body;
    return { stream: () => stream };
  }
  if (body && typeof body === 'object' && typeof body.path === 'string') {
    const { path } = body;
    const info = await stat(path).catch((error: Error) => {
      throw new Error(`cannot read ${path}: ${error.message}`);
    });
    if (!info.isFile()) throw new Error(`${path} is not a file`);
    // Its size may still change while it streams; the store's count is what the event says.
    return { size: info.size, stream: () => Bun.file(path).stream() };
  }
  throw new Error('its body is not a string, bytes, a Blob, a ReadableStream or { path }');
}

/** A name as a warn line shows it: quoted, escaped, and cut when very long. */
export function quotedName(text: string): string {
  const cut = text.length > MAX_ARTIFACT_NAME_LENGTH + 20 ? `${text.slice(0, MAX_ARTIFACT_NAME_LENGTH)}…` : text;
  return JSON.stringify(cut).replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
