// A lease held by one process among many (SET NX PX, extended while held), for work that should run
// once however many API processes there are. A holder that stalls past the lease loses it, so two
// holders can overlap for a moment: the work must tolerate that (it is done twice, not wrongly).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RedisClient } from './redis-connection.ts';

const renewScript = readFileSync(new URL('./scripts/renew-lease-1.lua', import.meta.url), 'utf8');

type WithRenew = RedisClient & { hwRenewLease(key: string, token: string, ttlMs: string): Promise<number> };

export class Lease {
  readonly #redis: WithRenew;
  readonly #token = randomUUID();

  constructor(
    redis: RedisClient,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {
    if (!('hwRenewLease' in redis)) redis.defineCommand('hwRenewLease', { numberOfKeys: 1, lua: renewScript });
    this.#redis = redis as WithRenew;
  }

  /** Takes the lease if no one holds it; true when this process holds it now. */
  async acquire(): Promise<boolean> {
    return (await this.#redis.set(this.key, this.#token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  /** Extends the lease; false when it was lost (expired, or taken by another process). */
  async renew(): Promise<boolean> {
    return (await this.#redis.hwRenewLease(this.key, this.#token, String(this.ttlMs))) === 1;
  }

  /** Gives the lease up at once (a clean stop), so another process need not wait for it to expire. */
  async release(): Promise<void> {
    if (await this.renew()) await this.#redis.del(this.key);
  }
}
