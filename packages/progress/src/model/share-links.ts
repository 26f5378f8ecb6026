// Share links: one job, read-only, until a time. `POST /api/jobs/:id/share` makes one; the token
// is signed by the API (apps/api share-links.ts), so no state is kept per link.
import { type Static, Type as t } from '@sinclair/typebox';

export const DEFAULT_SHARE_SECONDS = 7 * 24 * 3600;
export const MAX_SHARE_SECONDS = 30 * 24 * 3600;
/** Every share token starts so: the API tells it from a person's token by it. */
export const SHARE_TOKEN_PREFIX = 'hws1.';

export const isShareToken = (token: string): boolean => token.startsWith(SHARE_TOKEN_PREFIX);

export const ShareRequest = t.Object(
  {
    expiresInSeconds: t.Optional(
      t.Integer({
        minimum: 60,
        maximum: MAX_SHARE_SECONDS,
        description: `How long the link reads the job: 60 s to 30 days (default 7 days)`,
        error: `/expiresInSeconds: an integer from 60 to ${MAX_SHARE_SECONDS} (30 days)`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type ShareRequest = Static<typeof ShareRequest>;

export const ShareLink = t.Object({
  /** The job's page; it trades the token (after `#share=`, never sent in a request line) for a cookie. */
  url: t.String(),
  /** For programs: send it as `Authorization: Bearer <token>`. */
  token: t.String(),
  expiresAt: t.String(),
});
export type ShareLink = Static<typeof ShareLink>;

/** The token a share link's URL carries, if any. */
export const shareTokenOfHash = (hash: string): string | undefined => {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('share');
  return token && isShareToken(token) ? token : undefined;
};
