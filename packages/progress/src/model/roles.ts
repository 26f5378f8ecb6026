// Who may do what: the roles of HEADWAY_TOKENS_FILE, in order, each allowed what the ones before
// it are. The API's route table (apps/api route-roles.ts) names the least role of every route; the
// dashboard and `headway` read the same order to hide what a role cannot do.
import { type Static, Type as t } from '@sinclair/typebox';

export const Role = t.Union([t.Literal('viewer'), t.Literal('operator'), t.Literal('admin')], {
  description: 'viewer lists, watches and reads; operator also runs, cancels, retries and shares; admin also gets Bull Board',
});
export type Role = Static<typeof Role>;

/** Least first. */
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/** Whether `have` may do what needs `need`. */
export const roleAllows = (have: Role, need: Role): boolean => ROLES.indexOf(have) >= ROLES.indexOf(need);

/** A token's name: who did it, as job pages and `headway` show it. */
export const TOKEN_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$';
export const TOKEN_NAME_RULE = '1 to 64 letters, digits, "_", ".", "@" or "-", starting with a letter or digit';

/** One line of HEADWAY_TOKENS_FILE: the token itself is never stored, only its SHA-256. */
export const TokenEntry = t.Object(
  {
    name: t.String({ pattern: TOKEN_NAME_PATTERN }),
    role: Role,
    sha256: t.String({ pattern: '^[0-9a-f]{64}$', description: 'Hex SHA-256 of the token (lower case)' }),
  },
  { additionalProperties: false },
);
export type TokenEntry = Static<typeof TokenEntry>;
