import { HeadwayError } from '@headway/progress';
import { describe, expect, it } from 'vitest';
import { artifactNameOf, disposition, parseRange } from './artifacts.ts';

describe('parseRange', () => {
  it('reads one bytes range: closed, open-ended and a suffix, clamped to the size', () => {
    expect(parseRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=2-5', 10)).toEqual({ start: 2, end: 5 });
    expect(parseRange('bytes=8-', 10)).toEqual({ start: 8, end: 9 });
    expect(parseRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=-30', 10)).toEqual({ start: 0, end: 9 });
  });

  it('is unsatisfiable past the end, and ignored (the whole file) when absent, malformed or several', () => {
    expect(parseRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
    for (const header of [null, '', 'bytes=', 'bytes=-', 'bytes=5-2', 'items=0-1', 'bytes=0-1,3-4', 'bytes=a-b']) {
      expect(parseRange(header, 10), String(header)).toBeUndefined();
    }
  });
});

describe('artifactNameOf', () => {
  it('decodes each segment, so an encoded slash or dot is judged as what it means', () => {
    expect(artifactNameOf('charts/radar.svg')).toBe('charts/radar.svg');
    expect(artifactNameOf('notes/a%20b%E2%80%9C.txt')).toBe('notes/a b“.txt');
    for (const raw of [
      '..%2Fsecret',
      '%2e%2e/x',
      'a/%2E%2E/b',
      '%2Fetc%2Fpasswd',
      '/etc/passwd',
      'a%5Cb',
      'a%00b',
      'a//b',
      '%E0%A4%A',
      '',
    ]) {
      expect(() => artifactNameOf(raw), raw).toThrow(HeadwayError);
    }
  });
});

describe('disposition', () => {
  it('names the file in ASCII and exactly (RFC 5987), with nothing that could end the header value early', () => {
    expect(disposition('inline', 'report.md')).toBe(`inline; filename="report.md"; filename*=UTF-8''report.md`);
    expect(disposition('attachment', 'a "b";\\c%d ü.txt')).toBe(
      `attachment; filename="a _b___c_d _.txt"; filename*=UTF-8''a%20%22b%22%3B%5Cc%25d%20%C3%BC.txt`,
    );
    expect(disposition('attachment', "it's (1).txt")).toBe(`attachment; filename="it's (1).txt"; filename*=UTF-8''it%27s%20%281%29.txt`);
  });
});
