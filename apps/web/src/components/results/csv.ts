// A small CSV/TSV reader for previews: quoted fields (with "" for a quote, and delimiters and line
// breaks inside quotes), CRLF or LF, and a cap on rows so a large file costs little.

export interface DelimitedTable {
  rows: string[][];
  /** Whether rows beyond the cap were left out. */
  more: boolean;
}

/**
 * Reads up to `maxRows` rows of `text`. With `partial` (the text was cut), a last row that may
 * have been cut through is dropped.
 */
export function parseDelimited(text: string, delimiter: ',' | '\t', maxRows: number, partial = false): DelimitedTable {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = (): boolean => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
    return rows.length >= maxRows;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (endRow()) return { rows, more: hasContent(text, i + 1) };
    } else field += c;
    i++;
  }
  // The last line, unless it was empty (a trailing newline) or may have been cut through.
  if (!partial && (field !== '' || row.length > 0)) endRow();
  return { rows, more: partial };
}

const hasContent = (text: string, from: number): boolean => /\S/.test(text.slice(from, from + 4096)) || text.length - from > 4096;
