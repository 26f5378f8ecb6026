// Saves lines as a file the browser downloads: built here from the lines in memory, so it is
// exactly what the viewer shows, in the same format as the API's `/logs` download.
import { formatLine, type LogFormat } from '@headway/progress/client';
import type { LogLine } from './log-model.ts';

const TYPES: Record<LogFormat, string> = { txt: 'text/plain', ndjson: 'application/x-ndjson' };
/** Lines joined per part of the Blob, so a long log is never one giant string. */
const CHUNK = 10_000;

export function downloadLines(lines: readonly LogLine[], format: LogFormat, name: string): void {
  const parts: string[] = [];
  for (let i = 0; i < lines.length; i += CHUNK) {
    const chunk = lines.slice(i, i + CHUNK).map((line) => formatLine(format, line));
    parts.push(`${chunk.join('\n')}\n`);
  }
  const url = URL.createObjectURL(new Blob(parts, { type: `${TYPES[format]};charset=utf-8` }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = `${name}.${format}`;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
