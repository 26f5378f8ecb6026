// Dashboard sessions: signing in trades a token for a random session id, kept in an HttpOnly
// cookie. Redis holds only the id's SHA-256 (a copy of Redis opens no session) with the name, role
// and digest of the token it was opened with. Signing out ends one session; a token taken out of
// HEADWAY_TOKENS_FILE (or a changed API_TOKEN) ends its sessions, and a changed role applies to them
// at once (the role is read from the tokens, by the digest).
// Failed sign-ins are counted per client in Redis, shared by every API process.
import { randomBytes } from 'node:crypto';
import type { RedisClient, RedisKeys } from '@headway/progress';
import { type Person, sha256, type Tokens } from './tokens.ts';

export const SESSION_SECONDS = 7 * 24 * 3600;
/** Failed sign-ins a client may make per window before it must wait. */
const SIGN_IN_TRIES = 10;
const SIGN_IN_WINDOW_SECONDS = 60;
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export class Sessions {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly tokens: Tokens,
  ) {}

  /** A new session's id, for the cookie, of the person whose token has this hex SHA-256. */
  async open(person: Person & { digest: string }): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const record = JSON.stringify({ name: person.name, role: person.role, digest: person.digest });
    await this.redis.set(this.#key(id), record, 'EX', SESSION_SECONDS);
    return id;
  }

  /** Who `id` is a session of, while that token is still one (a session from before roles held the bare digest). */
  async personOf(id: string): Promise<Person | undefined> {
    if (!SESSION_ID.test(id)) return undefined;
    const stored = await this.redis.get(this.#key(id));
    if (stored === null) return undefined;
    const digest = stored.startsWith('{') ? (JSON.parse(stored) as { digest?: unknown }).digest : stored;
    const person = typeof digest === 'string' ? this.tokens.byDigest(digest) : undefined;
    return person && { name: person.name, role: person.role };
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
