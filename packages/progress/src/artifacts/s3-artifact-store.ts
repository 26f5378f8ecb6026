// The artifact store in an S3-compatible bucket (AWS S3, MinIO, R2, …) through Bun's own S3
// client: right when APIs and workers share no disk. Uploads stream in parts, so memory stays
// flat whatever the artifact's size, and an upload that fails never becomes an object.
import { type ArtifactStore, ArtifactTooLargeError, type ByteRange, metered, type StoredArtifact } from './artifact-store.ts';

export interface S3ArtifactStoreOptions {
  bucket: string;
  /** Folder inside the bucket every key sits under ('' for the bucket's root). */
  prefix: string;
  /** The service's URL; omitted, Bun builds AWS's from the region. */
  endpoint?: string;
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Bytes a part of a multipart upload holds (S3's least: 5 MiB). */
  partSize?: number;
  /** Parts uploaded at once: memory held by one upload is about partSize × (queueSize + 2). */
  queueSize?: number;
}

const MIB = 1024 * 1024;
/** Keys one listing page returns at most (S3's own cap). */
const PAGE = 1000;
/** Objects deleted at once by deletePrefix (S3Client has no batch delete). */
const DELETES_AT_ONCE = 16;

export class S3ArtifactStore implements ArtifactStore {
  readonly where: string;
  private readonly client: Bun.S3Client;
  private readonly root: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(options: S3ArtifactStoreOptions) {
    this.root = options.prefix.replace(/^\/+|\/+$/g, '');
    this.where = `s3://${options.bucket}${this.root ? `/${this.root}` : ''}`;
    this.partSize = options.partSize ?? 5 * MIB;
    this.queueSize = options.queueSize ?? 2;
    // Every setting is passed, so Bun's own reading of S3_* / AWS_* variables never adds another.
    this.client = new Bun.S3Client({
      bucket: options.bucket,
      endpoint: options.endpoint,
      region: options.region,
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      sessionToken: options.sessionToken,
    });
  }

  async put(
    key: string,
    body: ReadableStream<Uint8Array>,
    { contentType, maxBytes }: { contentType: string; maxBytes: number },
  ): Promise<StoredArtifact> {
    const { stream, result } = metered(body, maxBytes);
    let tooLarge: ArtifactTooLargeError | undefined;
    result.catch((error) => {
      if (error instanceof ArtifactTooLargeError) tooLarge = error;
    });
    try {
      // S3File.write(stream), not writer(): it reads with backpressure, and when the stream errors
      // it abandons the upload, whereas a writer's end(error) completes it with what it has.
      await this.client.file(this.keyOf(key)).write(stream as ReadableStream<Uint8Array<ArrayBuffer>> as unknown as Blob, {
        type: contentType,
        partSize: this.partSize,
        queueSize: this.queueSize,
      });
    } catch (error) {
      throw tooLarge ?? error;
    }
    return result;
  }

  async get(key: string, range?: ByteRange): Promise<{ body: ReadableStream<Uint8Array>; size: number } | undefined> {
    const file = this.client.file(this.keyOf(key));
    let size: number;
    try {
      size = (await file.stat()).size;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    // An empty object has no byte to range over; its stream is simply empty.
    const body = range && size > 0 ? file.slice(range.start, range.end + 1).stream() : file.stream();
    return { body, size };
  }

  async deletePrefix(prefix: string): Promise<void> {
    for (;;) {
      // Listed afresh each round: deleted keys are gone from the next page, so no token is needed.
      const page = await this.client.list({ prefix: this.keyOf(prefix), maxKeys: PAGE });
      const keys = (page.contents ?? []).map((object) => object.key);
      for (let i = 0; i < keys.length; i += DELETES_AT_ONCE) {
        await Promise.all(keys.slice(i, i + DELETES_AT_ONCE).map((k) => this.client.delete(k)));
      }
      if (!page.isTruncated || keys.length === 0) return;
    }
  }

  async jobIds(): Promise<string[]> {
    const jobs = this.keyOf('jobs/');
    const ids: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.client.list({ prefix: jobs, delimiter: '/', maxKeys: PAGE, continuationToken });
      for (const { prefix } of page.commonPrefixes ?? []) ids.push(prefix.slice(jobs.length, -1));
      continuationToken = page.isTruncated ? page.nextContinuationToken : undefined;
    } while (continuationToken);
    return ids;
  }

  private keyOf(key: string): string {
    return this.root ? `${this.root}/${key}` : key;
  }
}

/** A missing object: S3's NoSuchKey, or a HEAD's bare 404 as some services answer it. */
function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'NoSuchKey' || code === 'NotFound' || code === 'ERR_S3_FILE_NOT_FOUND';
}
