import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HeadwayError } from '../model/errors.ts';
import { pathInside } from './path-inside.ts';

const root = mkdtempSync(join(tmpdir(), 'hw-path-inside-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pathInside', () => {
  it('resolves a path inside its folder', () => {
    expect(pathInside(root, 'jobs', '42')).toBe(join(root, 'jobs', '42'));
    expect(pathInside(root, 'jobs', 'a..b')).toBe(join(root, 'jobs', 'a..b'));
    expect(pathInside(root, 'jobs', 'x/../y')).toBe(join(root, 'jobs', 'y'));
    // On POSIX a backslash is a character of a name, not a separator.
    expect(pathInside(root, 'jobs', '..\\..\\x')).toBe(join(root, 'jobs', '..\\..\\x'));
  });

  it('refuses every way out of the folder, and the folder itself', () => {
    for (const parts of [
      ['jobs', '../../escaped'],
      ['..'],
      ['.'],
      [''],
      ['jobs', '..'],
      ['jobs', 'a/../../../b'],
      ['/tmp/abs'],
      ['jobs', '/etc/passwd'],
      ['jobs', 'x\0y'],
    ]) {
      let thrown: unknown;
      try {
        pathInside(root, ...parts);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(parts)).toBeInstanceOf(HeadwayError);
      expect((thrown as HeadwayError).status).toBe(400);
      expect((thrown as HeadwayError).message).toMatch(/^The path ".*" leaves the folder it must stay in$/);
    }
  });

  it('does not take a sibling folder that shares the name’s beginning for the folder', () => {
    expect(() => pathInside(join(root, 'assets'), '../assets-evil/x.js')).toThrow(/leaves the folder/);
  });

  it('resolves a relative root from the working directory', () => {
    expect(pathInside('.data', 'jobs', '1')).toBe(join(process.cwd(), '.data', 'jobs', '1'));
  });
});
