// `headway token new <name> <role>`: a fresh token for one person, and the line of
// HEADWAY_TOKENS_FILE that lets it in. Only the line's SHA-256 is kept by the API; the token itself
// is printed once, here, and stored nowhere.
import { createHash, randomBytes } from 'node:crypto';
import { isRole, ROLES, TOKEN_NAME_PATTERN, TOKEN_NAME_RULE, type TokenEntry } from '@headway/progress/client';

export type TokenResult = { ok: true; token: string; entry: TokenEntry } | { ok: false; problem: string };

export function newTokenEntry(name: string | undefined, role: string | undefined): TokenResult {
  if (!name || !new RegExp(TOKEN_NAME_PATTERN).test(name)) return { ok: false, problem: `the name must be ${TOKEN_NAME_RULE}` };
  if (!isRole(role)) return { ok: false, problem: `the role must be one of ${ROLES.join(', ')}` };
  // `hwt_` keeps it apart from a share link's token (`hws1.`).
  const token = `hwt_${randomBytes(32).toString('base64url')}`;
  return { ok: true, token, entry: { name, role, sha256: createHash('sha256').update(token).digest('hex') } };
}
