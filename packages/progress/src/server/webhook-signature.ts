// How a webhook request is signed, the way Stripe and Slack sign theirs: the receiver recomputes
// the HMAC over the timestamp and the raw body, and refuses an old timestamp (a replay).
import { createHmac } from 'node:crypto';

/** `sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`, the X-Headway-Signature header. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
