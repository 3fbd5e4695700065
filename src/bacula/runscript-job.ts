// What a Bacula RunScript tells the bridge about its job, through the
// Director's % substitutions on the command line, turned into the job snapshot
// hooks read. Bacula 9.6 prints levels, types and exit statuses as words
// ("Full", "Backup", "OK -- with warnings"); each table below maps them back.
import { makeJob, type JobSnapshot } from '../model/job.js';
import type { JobStatus, JobType, Level } from '../model/enums.js';

/** The bridge's flags, one per RunScript substitution (Bacula 9.6, Director side). */
export const RUNSCRIPT_FLAGS = {
  jobid: '%i',
  job: '%j',
  name: '%n',
  level: '%l',
  type: '%t',
  client: '%c',
  status: '%e',
  pool: '%p',
  storage: '%w',
  volume: '%v',
  bytes: '%b',
  files: '%F',
  errors: '%E',
  'read-bytes': '%R',
  since: '%s',
  director: '%d',
} as const;

export type RunScriptFlag = keyof typeof RUNSCRIPT_FLAGS;
export type RunScriptValues = Partial<Record<RunScriptFlag, string>>;

/** Bacula's level_to_str() words. */
const LEVEL_WORDS: Record<string, Level> = {
  full: 'full', incremental: 'incremental', differential: 'differential', since: 'since',
  'verify catalog': 'verify-catalog', 'initialize catalog': 'verify-init', 'volume to catalog': 'verify-volume-to-catalog',
  'disk to catalog': 'verify-disk-to-catalog', data: 'verify-data', base: 'base', 'virtual full': 'virtual-full',
  '': 'none',
};

/** Bacula's job_type_to_str() words. */
const TYPE_WORDS: Record<string, JobType> = {
  backup: 'backup', 'migrated job': 'migrated-job', verify: 'verify', restore: 'restore', console: 'console',
  'system or console': 'system', admin: 'admin', archive: 'archive', 'job copy': 'job-copy', copy: 'copy',
  migrate: 'migrate', scan: 'scan', consolidate: 'consolidate',
};

/**
 * Bacula's job_status_to_str() words (%e). Before the job ends the Director
 * prints "Unknown term code": the job is then running as far as hooks care.
 */
const STATUS_WORDS: Record<string, JobStatus> = {
  ok: 'terminated', 'ok -- with warnings': 'terminated-with-warnings', error: 'error-terminated',
  'fatal error': 'fatal-error', canceled: 'canceled', differences: 'differences', 'verify differences': 'differences',
  incomplete: 'incomplete', 'unknown term code': 'running', '': 'running',
};

export class RunScriptValueError extends Error {
  override readonly name = 'RunScriptValueError';
}

function word<T>(flag: RunScriptFlag, value: string, table: Record<string, T>): T {
  const v = table[value.trim().toLowerCase()];
  if (v === undefined) {
    throw new RunScriptValueError(`--${flag} "${value}": not a Bacula ${flag} the bridge knows (${RUNSCRIPT_FLAGS[flag]} gives one of: ${Object.keys(table).filter(Boolean).join(', ')})`);
  }
  return v;
}

function count(flag: RunScriptFlag, value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  if (!/^\d+$/.test(value)) throw new RunScriptValueError(`--${flag} "${value}": a whole number (${RUNSCRIPT_FLAGS[flag]})`);
  return Number(value);
}

/** Bacula prints the since time as "YYYY-MM-DD HH:MM:SS" in the Director's local time. */
function sinceTime(value: string | undefined): number {
  if (!value) return 0;
  const t = Date.parse(value.replace(' ', 'T'));
  if (Number.isNaN(t)) throw new RunScriptValueError(`--since "${value}": a Bacula time, YYYY-MM-DD HH:MM:SS (%s)`);
  return Math.floor(t / 1000);
}

/**
 * The job snapshot hooks see, from the substitutions. JobId and the job's
 * name are required; everything else defaults as an unknown would in Bacula.
 */
export function jobFromRunScript(v: RunScriptValues): JobSnapshot {
  const jobId = count('jobid', v.jobid);
  if (!jobId) throw new RunScriptValueError('--jobid is required: the JobId (%i) of the job the RunScript runs for');
  if (!v.name) throw new RunScriptValueError('--name is required: the job resource name (%n)');
  const volume = v.volume ?? '';
  return makeJob({
    jobId,
    name: v.name,
    ...(v.job ? { jobName: v.job } : {}),
    level: v.level === undefined ? 'none' : word('level', v.level, LEVEL_WORDS),
    jobType: v.type === undefined ? 'backup' : word('type', v.type, TYPE_WORDS),
    status: v.status === undefined ? 'running' : word('status', v.status, STATUS_WORDS),
    client: v.client ?? '',
    pool: v.pool ?? '',
    storage: v.storage ?? '',
    writeStorage: v.storage ?? '',
    volumeName: volume,
    numVols: volume ? 1 : 0,
    jobBytes: count('bytes', v.bytes),
    jobFiles: count('files', v.files),
    jobErrors: count('errors', v.errors),
    readBytes: count('read-bytes', v['read-bytes']),
    sinceTime: sinceTime(v.since),
  });
}

/** The RunScript Command line for the bridge, every substitution in place. */
export function runScriptCommand(bridgePath: string, when: 'before' | 'after', configPath?: string): string {
  // One quoted word per value: Bacula splits the command on spaces outside quotes.
  const flags = Object.entries(RUNSCRIPT_FLAGS).map(([flag, code]) => `'--${flag}=${code}'`);
  return [bridgePath, when, ...(configPath ? [`'--config=${configPath}'`] : []), ...flags].join(' ');
}
