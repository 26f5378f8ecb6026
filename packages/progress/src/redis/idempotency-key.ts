// `Idempotency-Key` on `POST /api/jobs`: a client that did not learn the outcome of a create (a
// timeout, a dropped connection) sends it again with the same key and gets the same job, never a
// second one. The key names the BullMQ job id, and BullMQ adds nothing for an id that exists.
import { createHash } from 'node:crypto';

/** Printable enough for logs, long enough for a UUID or a base64 token. */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9._:~+/=-]{1,255}$';
const keyRe = new RegExp(IDEMPOTENCY_KEY_PATTERN);
export const isIdempotencyKey = (key: string): boolean => keyRe.test(key);

/**
 * The job id a key stands for: a hash, so any key makes a valid id of one length, and never an
 * integer (BullMQ's own ids are integers, and it refuses integer custom ids).
 */
export function jobIdForIdempotencyKey(key: string): string {
  return `idem-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}
