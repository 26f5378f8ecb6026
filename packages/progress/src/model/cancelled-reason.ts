// How a cancelled job is told apart from a failed one. BullMQ has no cancelled state: a cancelled
// job is `failed`, with a failedReason (and status event reason) made here. No runtime imports,
// so every reader can use it.

const CANCELLED_PREFIX = 'Cancelled: ';

/**
 * The reason a cancelled job ends with. With the token name that asked (`actor`), its status event
 * reads "cancelled" with the reason "by olga" (or "by olga: wrong corpus").
 */
export const cancelledReason = (why?: string, actor?: string): string => {
  if (actor) return `${CANCELLED_PREFIX}by ${actor}${why ? `: ${why}` : ''}`;
  return `${CANCELLED_PREFIX}${why ?? 'requested through the API'}`;
};

/** The why alone, as a cancelled status event gives it ("Job cancelled: <why>"). */
export const cancelledWhy = (reason: string): string =>
  reason.startsWith(CANCELLED_PREFIX) ? reason.slice(CANCELLED_PREFIX.length) : reason;

/** Whether a job that ended with this reason (an abort reason, a failedReason) was cancelled. */
export const isCancelledReason = (reason: unknown): reason is string => typeof reason === 'string' && reason.startsWith(CANCELLED_PREFIX);
