// Turns log text with ANSI SGR colour codes into plain-text segments with class names, so the log
// view renders colour without ever treating text as HTML. Other escape and control sequences
// (cursor moves, OSC 8 links, bells) are dropped.

export interface AnsiSegment {
  text: string;
  /** Space-separated classes from a fixed set: `b`, `dim`, `i`, `u`, `fg-0`…`fg-15`, `bg-0`…`bg-15`. */
  classes: string;
}

interface Style {
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  fg?: number;
  bg?: number;
}

// SGR sequences, other CSI sequences, OSC sequences (ended by BEL or ST), lone escapes, C0 controls.
const TOKEN = /\x1b\[([0-9;]*)m|\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?|[\x00-\x08\x0b-\x1f\x7f]/g;

export function parseAnsi(input: string): AnsiSegment[] {
  if (!/[\x00-\x08\x0b-\x1f\x7f]/.test(input)) return [{ text: input, classes: '' }];
  const segments: AnsiSegment[] = [];
  let style: Style = { bold: false, dim: false, italic: false, underline: false };
  let last = 0;
  const push = (text: string) => {
    if (text) segments.push({ text, classes: classesOf(style) });
  };
  for (const match of input.matchAll(TOKEN)) {
    push(input.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[1] !== undefined) style = applySgr(style, match[1]);
  }
  push(input.slice(last));
  return segments;
}

function applySgr(current: Style, params: string): Style {
  const style = { ...current };
  const codes = params === '' ? [0] : params.split(';').map(Number);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] ?? 0;
    if (code === 0) Object.assign(style, { bold: false, dim: false, italic: false, underline: false, fg: undefined, bg: undefined });
    else if (code === 1) style.bold = true;
    else if (code === 2) style.dim = true;
    else if (code === 3) style.italic = true;
    else if (code === 4) style.underline = true;
    else if (code === 22) style.bold = style.dim = false;
    else if (code === 23) style.italic = false;
    else if (code === 24) style.underline = false;
    else if (code >= 30 && code <= 37) style.fg = code - 30;
    else if (code >= 90 && code <= 97) style.fg = code - 90 + 8;
    else if (code === 39) style.fg = undefined;
    else if (code >= 40 && code <= 47) style.bg = code - 40;
    else if (code >= 100 && code <= 107) style.bg = code - 100 + 8;
    else if (code === 49) style.bg = undefined;
    else if (code === 38 || code === 48) {
      // 256-colour and true-colour forms: keep the 16 basic colours, skip the rest's parameters.
      const mode = codes[i + 1];
      const n = codes[i + 2] ?? -1;
      if (mode === 5 && n >= 0 && n < 16) style[code === 38 ? 'fg' : 'bg'] = n;
      i += mode === 5 ? 2 : mode === 2 ? 4 : 1;
    }
  }
  return style;
}

function classesOf(style: Style): string {
  const classes: string[] = [];
  if (style.bold) classes.push('b');
  if (style.dim) classes.push('dim');
  if (style.italic) classes.push('i');
  if (style.underline) classes.push('u');
  if (style.fg !== undefined) classes.push(`fg-${style.fg}`);
  if (style.bg !== undefined) classes.push(`bg-${style.bg}`);
  return classes.join(' ');
}
