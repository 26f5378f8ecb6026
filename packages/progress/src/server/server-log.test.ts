import { describe, expect, it } from 'vitest';
import { serverLine } from './server-log.ts';

const UNPRINTABLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('serverLine', () => {
  it('prints a tag and text, joined as console.log would', () => {
    expect(serverLine('worker', 'job 7 failed:', 'boom')).toBe('[worker] job 7 failed: boom');
  });

  it('drops escape sequences, controls and bidi marks from user text', () => {
    const reason = 'bad input \x1b]0;pwned\x07\x1b[2J\x1b[H\x9b31m\x07\r\u202eevil';
    const line = serverLine('worker', `job 7 failed: ${reason}`);
    expect(line).toBe('[worker] job 7 failed: bad input evil');
    expect(line).not.toMatch(UNPRINTABLE);
  });

  it('indents the lines after the first, so a message cannot fake another part’s line', () => {
    expect(serverLine('worker', 'failed: a\n[api] listening on http://evil')).toBe('[worker] failed: a\n  [api] listening on http://evil');
  });

  it('prints an Error as its stack, cleaned the same way', () => {
    const error = new Error('no \x1b[2Jway');
    const line = serverLine('api', error);
    expect(line).toMatch(/^\[api\] Error: no way\n +at /);
    expect(line).not.toMatch(UNPRINTABLE);
  });
});
