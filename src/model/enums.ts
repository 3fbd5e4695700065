// The hook API's enumerations, in one table each: the WIT name (what hooks see),
// the Bacula one-character code, and the proto number (its index + 1).

/** Bacula levels, in proto order (Level = index + 1). */
export const LEVELS = [
  ['full', 'F'], ['incremental', 'I'], ['differential', 'D'], ['since', 'S'],
  ['verify-catalog', 'C'], ['verify-init', 'V'], ['verify-volume-to-catalog', 'O'],
  ['verify-disk-to-catalog', 'd'], ['verify-data', 'A'], ['base', 'B'],
  ['virtual-full', 'f'], ['none', ' '],
] as const;

/** Bacula job types, in proto order. */
export const JOB_TYPES = [
  ['backup', 'B'], ['migrated-job', 'M'], ['verify', 'V'], ['restore', 'R'],
  ['console', 'U'], ['system', 'I'], ['admin', 'D'], ['archive', 'A'],
  ['job-copy', 'C'], ['copy', 'c'], ['migrate', 'g'], ['scan', 'S'], ['consolidate', 'O'],
] as const;

/** Bacula job status codes, in proto order. */
export const JOB_STATUSES = [
  ['created', 'C'], ['running', 'R'], ['blocked', 'B'], ['terminated', 'T'],
  ['terminated-with-warnings', 'W'], ['error-terminated', 'E'], ['non-fatal-error', 'e'],
  ['fatal-error', 'f'], ['differences', 'D'], ['canceled', 'A'], ['incomplete', 'I'],
  ['committing', 'L'], ['wait-fd', 'F'], ['wait-sd', 'S'], ['wait-media', 'm'],
  ['wait-mount', 'M'], ['wait-storage-resource', 's'], ['wait-job-resource', 'j'],
  ['wait-client-resource', 'c'], ['wait-max-jobs', 'd'], ['wait-start-time', 't'],
  ['wait-priority', 'p'], ['wait-device', 'q'], ['despooling-attributes', 'a'],
  ['batch-insert', 'i'], ['despooling-data', 'l'],
] as const;

export const CATALOG_VENDORS = ['mysql', 'postgresql', 'sqlite', 'internal'] as const;

/** Events, in proto order. JobStart, JobEnd and Exit are daemon events; the rest job events. */
export const EVENTS = ['job-start', 'job-init', 'job-run', 'new-volume', 'volume-purged', 'job-end', 'exit'] as const;

export type Level = (typeof LEVELS)[number][0];
export type JobType = (typeof JOB_TYPES)[number][0];
export type JobStatus = (typeof JOB_STATUSES)[number][0];
export type CatalogVendor = (typeof CATALOG_VENDORS)[number];
export type EventName = (typeof EVENTS)[number];

/** Job events: those a hook must ask for, per job, at JobStart. */
export const JOB_EVENTS = ['job-init', 'job-run', 'new-volume', 'volume-purged'] as const;
export type JobEventName = (typeof JOB_EVENTS)[number];
export const isJobEvent = (e: EventName): e is JobEventName => (JOB_EVENTS as readonly string[]).includes(e);

/** Bacula's names for the events, for messages a Bacula admin reads. */
export const BACULA_EVENT_NAMES: Record<EventName, string> = {
  'job-start': 'JobStart', 'job-init': 'JobInit', 'job-run': 'JobRun', 'new-volume': 'NewVolume',
  'volume-purged': 'VolumePurged', 'job-end': 'JobEnd', exit: 'Exit',
};

type Table = readonly (readonly [string, string])[];
const names = (t: Table) => t.map(([n]) => n);

/** Proto number → name, or undefined when out of range (0 is "unspecified"). */
export function fromProtoNumber<T extends string>(table: readonly T[], n: number | null | undefined): T | undefined {
  return n && n >= 1 && n <= table.length ? table[n - 1] : undefined;
}
export const toProtoNumber = <T extends string>(table: readonly T[], name: T): number => table.indexOf(name) + 1;

export const LEVEL_NAMES = names(LEVELS) as Level[];
export const JOB_TYPE_NAMES = names(JOB_TYPES) as JobType[];
export const JOB_STATUS_NAMES = names(JOB_STATUSES) as JobStatus[];
export const EVENT_NAMES = [...EVENTS] as EventName[];
export const VENDOR_NAMES = [...CATALOG_VENDORS] as CatalogVendor[];

/** Bacula's one-character codes. */
export const levelCode = (l: Level) => LEVELS.find(([n]) => n === l)![1];
export const jobTypeCode = (t: JobType) => JOB_TYPES.find(([n]) => n === t)![1];
export const jobStatusCode = (s: JobStatus) => JOB_STATUSES.find(([n]) => n === s)![1];
export const levelFromCode = (c: string) => LEVELS.find(([, k]) => k === c)?.[0];
export const jobTypeFromCode = (c: string) => JOB_TYPES.find(([, k]) => k === c)?.[0];
export const jobStatusFromCode = (c: string) => JOB_STATUSES.find(([, k]) => k === c)?.[0];
