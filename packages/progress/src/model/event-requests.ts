// Request and response shapes of a job's event history: `GET /api/jobs/:id/events` and `/logs`.
import { type Static, Type as t } from '@sinclair/typebox';
import { StreamEntry } from './events.ts';
import { LogFilter } from './log-filter.ts';

export const MAX_EVENTS_PAGE = 5000;
/** A stream entry id (`<ms>-<seq>`, each part below 2^53 so Redis and JavaScript both read it), or 0. */
export const CURSOR_PATTERN = '^(0|\\d{1,15}-\\d{1,15})$';
const cursorRe = new RegExp(CURSOR_PATTERN);
export const isCursor = (text: string): boolean => cursorRe.test(text);

export const JobEventsQuery = t.Composite([
  LogFilter,
  t.Object({
    after: t.Optional(t.String({ pattern: CURSOR_PATTERN, description: 'A stream entry id; 0 (the default) reads from the start' })),
    limit: t.Optional(t.Number({ minimum: 1, maximum: MAX_EVENTS_PAGE, multipleOf: 1, description: 'Entries a page (default 1000)' })),
  }),
]);
export type JobEventsQuery = Static<typeof JobEventsQuery>;

export const JobEventsPage = t.Object({
  entries: t.Array(StreamEntry),
  next: t.Optional(t.String({ description: 'Pass as `after` for the next page; absent on the last page' })),
  total_matched: t.Integer({ description: 'Retained entries after `after` that pass the filters' }),
});
export type JobEventsPage = Static<typeof JobEventsPage>;

export const LogDownloadQuery = t.Composite([
  LogFilter,
  t.Object({ format: t.Optional(t.Union([t.Literal('txt'), t.Literal('ndjson')], { description: 'Default txt' })) }),
]);
export type LogDownloadQuery = Static<typeof LogDownloadQuery>;
