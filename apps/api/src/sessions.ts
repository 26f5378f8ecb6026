// Dashboard sessions: signing in trades the API token for a random session id, kept in an HttpOnly
// cookie. Redis holds only the id's SHA-256 (a copy of Redis opens no session) with the digest of
// the token it was opened with, so signing out ends one session and changing API_TOKEN ends all.
// Failed sign-ins are counted per client in Redis, shared by every API process.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RedisClient, RedisKeys } from '@headway/progress';

export const SESSION_SECONDS = 7 * 24 * 3600;
/** Failed sign-ins a client may make per window before it must wait. */
const SIGN_IN_TRIES = 10;
const SIGN_IN_WINDOW_SECONDS = 60;
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export const sha256 = (text: string) => createHash('sha256').update(text).digest();

export class Sessions {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    /** SHA-256 of the API token. */
    private readonly tokenDigest: Buffer,
  ) {}

  /** A new session's id, for the cookie. */
  async open(): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.redis.set(this.#key(id), this.tokenDigest.toString('hex'), 'EX', SESSION_SECONDS);
    return id;
  }

  /** Whether `id` is an open session of the current API token. */
  async isOpen(id: string): Promise<boolean> {
    if (!SESSION_ID.test(id)) return false;
    const stored = await this.redis.get(this.#key(id));
    return stored !== null && stored.length === 64 && timingSafeEqual(Buffer.from(stored, 'hex'), this.tokenDigest);
  }

  async close(id: string): Promise<void> {
    if (SESSION_ID.test(id)) await this.redis.del(this.#key(id));
  }

  /** Seconds `client` must wait before it may try a token again, or 0. */
  async signInWait(client: string): Promise<number> {
    const key = this.keys.signInFailures(client);
    const [failures, ttl] = await Promise.all([this.redis.get(key), this.redis.ttl(key)]);
    return Number(failures ?? 0) < SIGN_IN_TRIES ? 0 : Math.max(1, ttl);
  }

  async countFailedSignIn(client: string): Promise<void> {
    const key = this.keys.signInFailures(client);
    await this.redis.multi().incr(key).expire(key, SIGN_IN_WINDOW_SECONDS, 'NX').exec();
  }

  #key(id: string): string {
    return this.keys.session(sha256(id).toString('hex'));
  }
}
