// The people who may use the API: HEADWAY_TOKENS_FILE's entries (name, role, SHA-256 of the
// token) and API_TOKEN, which is one admin token named `admin`. Tokens are compared by digest in
// constant time; none is kept in clear, here or in the file.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isRole, isShareToken, ROLES, type Role, TOKEN_NAME_PATTERN, TOKEN_NAME_RULE } from '@headway/progress';

export interface Person {
  name: string;
  role: Role;
}

interface Entry extends Person {
  digest: Buffer;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** A mistake in HEADWAY_TOKENS_FILE; the API does not start with one. */
export class TokensFileError extends Error {
  override name = 'TokensFileError';
}

export class Tokens {
  #entries: readonly Entry[];

  constructor(people: readonly (Person & { sha256: string })[]) {
    this.#entries = people.map(({ name, role, sha256: hex }) => ({ name, role, digest: Buffer.from(hex, 'hex') }));
  }

  /** Whether any token is needed at all (without one, the API is open as before roles). */
  get required(): boolean {
    return this.#entries.length > 0;
  }

  /** Takes the people of `next` (the tokens file read again); everyone holding this object sees them at once. */
  replace(next: Tokens): void {
    this.#entries = next.#entries;
  }

  /** Every person, for telling what a reload changed. */
  people(): (Person & { digest: string })[] {
    return this.#entries.map(({ name, role, digest }) => ({ name, role, digest: digest.toString('hex') }));
  }

  /** The person whose token this is; every entry is compared, so the time taken tells nothing. */
  byToken(token: string): (Person & { digest: string }) | undefined {
    if (isShareToken(token)) return undefined;
    return this.byDigest(sha256(token).toString('hex'));
  }

  /** The person whose token has this hex SHA-256 (a session's), if it is still a token. */
  byDigest(hex: string): (Person & { digest: string }) | undefined {
    if (!/^[0-9a-f]{64}$/.test(hex)) return undefined;
    const digest = Buffer.from(hex, 'hex');
    let found: Entry | undefined;
    for (const entry of this.#entries) if (timingSafeEqual(entry.digest, digest) && !found) found = entry;
    return found && { name: found.name, role: found.role, digest: hex };
  }
}

/** API_TOKEN (as `admin`) and the tokens file's entries, checked; throws TokensFileError naming the entry and field. */
export function loadTokens({ apiToken, tokensFile }: { apiToken?: string; tokensFile?: string }): Tokens {
  const people: (Person & { sha256: string })[] = [];
  if (apiToken) people.push({ name: 'admin', role: 'admin', sha256: sha256(apiToken).toString('hex') });
  if (tokensFile) people.push(...readTokensFile(tokensFile));
  const names = new Set<string>();
  const digests = new Set<string>();
  for (const [i, person] of people.entries()) {
    const which = `HEADWAY_TOKENS_FILE ${tokensFile}: entry ${apiToken ? i - 1 : i} ("${person.name}")`;
    if (names.has(person.name)) {
      const why = person.name === 'admin' && apiToken ? ' (API_TOKEN is the token named "admin")' : '';
      throw new TokensFileError(`${which}, field name: "${person.name}" is used twice${why}`);
    }
    if (digests.has(person.sha256)) throw new TokensFileError(`${which}, field sha256: the same token as an earlier entry's`);
    names.add(person.name);
    digests.add(person.sha256);
  }
  return new Tokens(people);
}

function readTokensFile(file: string): (Person & { sha256: string })[] {
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TokensFileError(`HEADWAY_TOKENS_FILE ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(entries)) throw new TokensFileError(`HEADWAY_TOKENS_FILE ${file}: must be a JSON array of { name, role, sha256 }`);
  return entries.map((entry: unknown, i) => {
    const where = `HEADWAY_TOKENS_FILE ${file}: entry ${i}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new TokensFileError(`${where}: must be an object { name, role, sha256 }`);
    }
    const { name, role, sha256: hex, ...rest } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || !new RegExp(TOKEN_NAME_PATTERN).test(name)) {
      throw new TokensFileError(`${where}, field name: must be ${TOKEN_NAME_RULE}; got ${JSON.stringify(name)}`);
    }
    const named = (field: string, rule: string) => new TokensFileError(`${where} ("${name}"), field ${field}: ${rule}`);
    if (!isRole(role)) throw named('role', `must be one of ${ROLES.join(', ')}; got ${JSON.stringify(role)}`);
    if (typeof hex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hex)) {
      throw named('sha256', 'must be the 64 hex digits of the token’s SHA-256 (`headway token new` prints one)');
    }
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) throw named(extra, 'is not a field of an entry (name, role, sha256)');
    return { name, role, sha256: hex.toLowerCase() };
  });
}
