// Share links' tokens: `hws1.<payload>.<signature>`, the payload the job id and expiry, the
// signature HMAC-SHA256 under the server's key. Nothing is stored per link: replacing the key
// (SHARE_KEY, or the one kept in Redis, DELETE /api/share-links) revokes every link at once.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { HeadwayError, isJobId, type RedisClient, type RedisKeys, SHARE_TOKEN_PREFIX } from '@headway/progress';

export interface Share {
  jobId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class ShareLinks {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    /** SHARE_KEY: when set, the key, and rotating means changing it. */
    private readonly configuredKey?: string,
  ) {}

  async sign(share: Share): Promise<string> {
    const payload = b64(JSON.stringify({ j: share.jobId, e: Math.floor(share.expiresAt / 1000) }));
    return `${SHARE_TOKEN_PREFIX}${payload}.${b64(this.#mac(await this.#key(), payload))}`;
  }

  /** The share a token grants; a 401 saying why when it is revoked, malformed or expired. */
  async verify(token: string): Promise<Share> {
    const [payload, signature] = token.startsWith(SHARE_TOKEN_PREFIX) ? token.slice(SHARE_TOKEN_PREFIX.length).split('.') : [];
    const given = Buffer.from(signature ?? '', 'base64url');
    const expected = payload ? this.#mac(await this.#key(), payload) : undefined;
    if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new HeadwayError(
        401,
        'UNAUTHORIZED',
        'This share link has been revoked, or was never valid; ask whoever shared it for a new one',
      );
    }
    const { j: jobId, e: seconds } = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { j: unknown; e: unknown };
    if (typeof jobId !== 'string' || !isJobId(jobId) || typeof seconds !== 'number') {
      throw new HeadwayError(401, 'UNAUTHORIZED', 'This share link is malformed; ask whoever shared it for a new one');
    }
    const expiresAt = seconds * 1000;
    if (expiresAt <= Date.now()) {
      const when = new Date(expiresAt).toISOString();
      throw new HeadwayError(401, 'UNAUTHORIZED', `This share link expired at ${when}; ask whoever shared it for a new one`);
    }
    return { jobId, expiresAt };
  }

  /** Replaces the key kept in Redis: every link made so far stops working. */
  async rotate(): Promise<void> {
    if (this.configuredKey) {
      throw new HeadwayError(409, 'CONFLICT', 'Share links are signed with SHARE_KEY: change it and restart the API to revoke every link');
    }
    await this.redis.set(this.keys.shareKey, randomBytes(32).toString('hex'));
  }

  #mac(key: Buffer | string, payload: string): Buffer {
    return createHmac('sha256', key).update(`${SHARE_TOKEN_PREFIX}${payload}`).digest();
  }

  /** SHARE_KEY, or the key in Redis, made once by whichever API needs it first. Read every time, so a rotation reaches every API at once. */
  async #key(): Promise<Buffer | string> {
    if (this.configuredKey) return this.configuredKey;
    const stored = await this.redis.get(this.keys.shareKey);
    if (stored) return stored;
    await this.redis.set(this.keys.shareKey, randomBytes(32).toString('hex'), 'NX');
    return (await this.redis.get(this.keys.shareKey))!;
  }
}
