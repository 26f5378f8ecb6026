import { describe, expect, it } from 'vitest';
import { plainText, textLine } from './log-text.ts';

const BIDI = ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];

describe('plainText', () => {
  it('drops every bidi control, so a line reads in the order it is stored', () => {
    for (const mark of BIDI) {
      const code = `U+${mark.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      expect(plainText(`invoice${mark}fdp.exe`), code).toBe('invoicefdp.exe');
      expect(plainText(`\x1b[31mred${mark}\x1b[0m`, { keepColor: true }), code).toBe('\x1b[31mred\x1b[0m');
    }
    // The classic spoof: "…\u202Egnp.exe" displays as "…exe.png".
    expect(plainText('report\u202egnp.exe')).toBe('reportgnp.exe');
  });

  it('keeps right-to-left text itself and other non-ASCII letters', () => {
    const text = 'שלום عالم — naïve ✓ 漢字 😀';
    expect(plainText(text)).toBe(text);
  });

  it('leaves clean text as it is', () => {
    const clean = `${'a clean log line, with tabs\tand\nnew lines '.repeat(100)}`;
    expect(plainText(clean)).toBe(clean);
  });

  it('drops terminal escapes that retitle the window or clear the screen', () => {
    expect(plainText('x\x1b]0;pwned\x07y\x1b[2Jz\x1b[H\x9b2J')).toBe('xyz');
  });
});

describe('textLine', () => {
  it('writes a .txt line without bidi controls', () => {
    const line = textLine({
      id: '1-0',
      event: { kind: 'log', jobId: '1', attempt: 1, seq: 1, ts: '2026-11-24T10:00:00.000Z', level: 'info', message: 'saved \u202etxt.exe' },
    });
    expect(line).toBe('2026-11-24T10:00:00.000Z saved txt.exe');
  });
});
