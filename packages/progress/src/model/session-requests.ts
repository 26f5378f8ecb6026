// Signing in to an API started with API_TOKEN (apps/api's access.ts): what the dashboard sends and reads.
import { type Static, Type as t } from '@sinclair/typebox';

export const SignInRequest = t.Object({ token: t.String({ minLength: 1, maxLength: 1024 }) });
export type SignInRequest = Static<typeof SignInRequest>;

export const SessionState = t.Object({
  /** The API was started with API_TOKEN. */
  tokenRequired: t.Boolean(),
  /** This request carried the token (or none is needed). */
  signedIn: t.Boolean(),
});
export type SessionState = Static<typeof SessionState>;
