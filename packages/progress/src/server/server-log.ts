// What the servers (API, worker, `npm start`) print for the operator. Job failure reasons, ids
// and error messages can echo what a user sent, so every line goes through plainText: nothing
// printed can move the cursor, clear the screen or retitle the operator's terminal.
import { plainText } from '../model/log-text.ts';

/** What a part prints: an Error as its stack (or message), anything else as text. */
const textOf = (part: unknown): string => (part instanceof Error ? (part.stack ?? part.message) : String(part));

/**
 * `[tag] text` as one printable line; a text of several lines keeps them, each indented after
 * the first, so a message cannot pass a line of its own off as another part's `[tag]` line.
 */
export function serverLine(tag: string, ...parts: unknown[]): string {
  const text = plainText(`[${tag}] ${parts.map(textOf).join(' ')}`);
  return text.includes('\n') ? text.replace(/\n/g, '\n  ') : text;
}

export const serverLog = {
  info: (tag: string, ...parts: unknown[]): void => console.log(serverLine(tag, ...parts)),
  warn: (tag: string, ...parts: unknown[]): void => console.warn(serverLine(tag, ...parts)),
  error: (tag: string, ...parts: unknown[]): void => console.error(serverLine(tag, ...parts)),
};
