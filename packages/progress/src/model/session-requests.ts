// Signing in to an API started with API_TOKEN or HEADWAY_TOKENS_FILE (apps/api's access.ts): what
// the dashboard sends and reads.
import { type Static, Type as t } from '@sinclair/typebox';
import { Role } from './roles.ts';

/** A person's token, or a share link's token (then the cookie reads that one job). */
export const SignInRequest = t.Object({ token: t.String({ minLength: 1, maxLength: 1024 }) });
export type SignInRequest = Static<typeof SignInRequest>;

export const SessionState = t.Object({
  /** The API was started with API_TOKEN or HEADWAY_TOKENS_FILE. */
  tokenRequired: t.Boolean(),
  /** This request carried a token, a session or a share link (or none is needed). */
  signedIn: t.Boolean(),
  /** The token's name (absent when no token is needed, and for a share link). */
  name: t.Optional(t.String()),
  /** What the signed-in token may do; `admin` when no token is needed. Absent for a share link. */
  role: t.Optional(Role),
  /** Signed in through a share link: the one job it reads, until when. */
  share: t.Optional(t.Object({ jobId: t.String(), expiresAt: t.String() })),
});
export type SessionState = Static<typeof SessionState>;
