// Parsing of flag values shared by several commands.
import { BACULA_EVENT_NAMES, EVENT_NAMES, type EventName } from '../../model/enums.js';
import { UsageError } from './exit-codes.js';

export const listOf = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

/** An event by its hookctl name (job-start) or Bacula's (JobStart), any case. */
export function parseEvent(flag: string, v: string): EventName {
  const key = v.trim().toLowerCase();
  const e = EVENT_NAMES.find((n) => n === key || BACULA_EVENT_NAMES[n].toLowerCase() === key);
  if (!e) throw new UsageError(`${flag}: unknown event ${JSON.stringify(v)} (choose from ${EVENT_NAMES.join(', ')})`);
  return e;
}

export function parseEvents(flag: string, v: string): EventName[] {
  const events = listOf(v).map((e) => parseEvent(flag, e));
  if (!events.length) throw new UsageError(`${flag}: name at least one event (leave the flag out for all)`);
  return events;
}

export function parseJobId(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 0xffffffff) throw new UsageError(`${flag}: ${JSON.stringify(v)} is not a JobId`);
  return n;
}
