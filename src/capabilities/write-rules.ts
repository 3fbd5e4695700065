// When and what a hook may write to a job (HOOK-API: Write). Checked at the
// point of the call; a refusal is a typed error to the hook, never a trap.
import type { EventName, Level } from '../model/enums.js';
import { BACULA_EVENT_NAMES } from '../model/enums.js';

export type WriteError = { tag: 'wrong-time'; val: string } | { tag: 'out-of-range'; val: string };

/** Events at which the priority may still change: before the job runs. */
const PRIORITY_EVENTS: readonly EventName[] = ['job-start', 'job-init', 'job-run'];
const MAX_VOLUME_NAME = 127;
/** Bacula's is_name_valid: letters, digits and " -_.:". */
const VOLUME_NAME = /^[A-Za-z0-9 _.:-]+$/;

const at = (e: EventName) => BACULA_EVENT_NAMES[e];

export function checkPriority(event: EventName, p: number): WriteError | undefined {
  if (!PRIORITY_EVENTS.includes(event)) {
    return { tag: 'wrong-time', val: `Priority can be set only before the job runs (JobStart, JobInit, JobRun), not at ${at(event)}` };
  }
  if (!(Number.isInteger(p) && p >= 1 && p <= 100)) return { tag: 'out-of-range', val: `Priority must be 1..100, got ${p}` };
  return undefined;
}

export function checkLevel(event: EventName, _level: Level): WriteError | undefined {
  if (event !== 'job-init') return { tag: 'wrong-time', val: `Level can be set only during JobInit, not at ${at(event)}` };
  return undefined;
}

export function checkVolumeName(event: EventName, name: string): WriteError | undefined {
  if (event !== 'new-volume') return { tag: 'wrong-time', val: `VolumeName can be set only during NewVolume, not at ${at(event)}` };
  if (name.length === 0) return { tag: 'out-of-range', val: 'VolumeName must not be empty' };
  if (Buffer.byteLength(name) > MAX_VOLUME_NAME) return { tag: 'out-of-range', val: `VolumeName is longer than ${MAX_VOLUME_NAME} bytes` };
  if (!VOLUME_NAME.test(name)) return { tag: 'out-of-range', val: `VolumeName ${JSON.stringify(name)} has characters Bacula refuses (allowed: letters, digits, " -_.:")` };
  return undefined;
}
