import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newTokenEntry } from './token-command.ts';

describe('newTokenEntry', () => {
  it('makes a fresh token each time and the entry that holds only its SHA-256', () => {
    const a = newTokenEntry('vera', 'viewer');
    const b = newTokenEntry('vera', 'viewer');
    if (!a.ok || !b.ok) throw new Error('refused');
    expect(a.token).toMatch(/^hwt_[\w-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.entry).toEqual({ name: 'vera', role: 'viewer', sha256: createHash('sha256').update(a.token).digest('hex') });
    expect(JSON.stringify(a.entry)).not.toContain(a.token);
  });

  it('refuses a role that is not one and a name that is not one', () => {
    expect(newTokenEntry('vera', 'boss')).toEqual({ ok: false, problem: 'the role must be one of viewer, operator, admin' });
    expect(newTokenEntry('a b', 'admin')).toMatchObject({ ok: false, problem: expect.stringMatching(/^the name must be 1 to 64/) });
    expect(newTokenEntry(undefined, undefined)).toMatchObject({ ok: false });
  });
});
