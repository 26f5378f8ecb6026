// How an event is laid out in a stream entry: fields `seq` and `e` (the event's JSON without seq).
import { type JobEvent, MAX_MESSAGE_LENGTH, type NewJobEvent, type StreamEntry } from '../model/events.ts';

export type RawEntry = [id: string, fields: string[]];

/** Bounds message text so one event cannot grow a stream without limit. */
export function encodeEvent(event: NewJobEvent): string {
  if ('message' in event && event.message.length > MAX_MESSAGE_LENGTH) {
    const cut = `… [${event.message.length - MAX_MESSAGE_LENGTH + 40} more characters cut]`;
    return JSON.stringify({ ...event, message: event.message.slice(0, MAX_MESSAGE_LENGTH - 40) + cut });
  }
  return JSON.stringify(event);
}

export function decodeEntry([id, fields]: RawEntry): StreamEntry {
  let seq = 0;
  let json = '{}';
  for (let i = 0; i < fields.length; i += 2) {
    if (fields[i] === 'seq') seq = Number(fields[i + 1]);
    else if (fields[i] === 'e') json = fields[i + 1] ?? '{}';
  }
  return { id, event: { ...(JSON.parse(json) as Omit<JobEvent, 'seq'>), seq } as JobEvent };
}

/** Orders stream ids (`ms-seq`); `0` counts as the start. */
export function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am === bm ? as - bs : am - bm;
}
