// A HEADWAY_TOKENS_FILE for tests: one token of each role, written to a temporary file.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '@headway/progress';

export const TEST_TOKENS = {
  vera: { role: 'viewer', token: 'hwt_vera-views-only' },
  olga: { role: 'operator', token: 'hwt_olga-operates' },
  ada: { role: 'admin', token: 'hwt_ada-administers' },
} as const satisfies Record<string, { role: Role; token: string }>;

export const bearerOf = (name: keyof typeof TEST_TOKENS) => ({ authorization: `Bearer ${TEST_TOKENS[name].token}` });

/** Writes the file (entries as `headway token new` prints them) in a new folder under `dir`, a test's own; returns its path. */
export function writeTokensFile(dir: string, entries: unknown = defaultEntries()): string {
  const file = join(mkdtempSync(join(dir, 'tokens-')), 'tokens.json');
  writeFileSync(file, JSON.stringify(entries, null, 2));
  return file;
}

/** One entry of the file, as `headway token new` prints it (`role` unchecked, so a test can write a wrong one). */
export const tokenEntry = (name: string, role: string, token: string) => ({
  name,
  role,
  sha256: createHash('sha256').update(token).digest('hex'),
});

function defaultEntries() {
  return Object.entries(TEST_TOKENS).map(([name, { role, token }]) => tokenEntry(name, role, token));
}
