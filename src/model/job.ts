// The job and daemon as the service holds them: plain data, WIT names for enums.
import type { CatalogVendor, EventName, JobStatus, JobType, Level } from './enums.js';

/** Bacula: CatalogRes. */
export interface CatalogRes {
  dbName: string;
  address: string;
  user: string;
  /** Present only for hooks granted the catalog password. */
  password?: string;
  socket: string;
  port: number;
  vendor: CatalogVendor;
}

/** Every attribute a hook can read (see hooks-sdk/wit/hooks.wit, interface job). */
export interface JobSnapshot {
  jobId: number;
  jobType: JobType;
  level: Level;
  status: JobStatus;
  priority: number;
  name: string;
  jobName: string;
  client: string;
  pool: string;
  storage: string;
  writeStorage: string;
  readStorage: string;
  catalog: string;
  mediaType: string;
  numVols: number;
  catalogRes?: CatalogRes;
  volumeName: string;
  jobErrors: number;
  jobFiles: number;
  jobBytes: number;
  readBytes: number;
  sdJobFiles: number;
  sdErrors: number;
  fdJobStatus?: JobStatus;
  sdJobStatus?: JobStatus;
  schedTime: number;
  sinceTime: number;
}

/** Bacula: the director daemon's read-only attributes. */
export interface DaemonInfo {
  name: string;
  version: string;
  configFile: string;
  workingDir: string;
}

/** A lifecycle event as the service runs it. Exit carries no job. */
export interface HookEvent {
  id: string;
  type: EventName;
  job?: JobSnapshot;
}

/** Writes a hook may make; a field is present only when written. */
export interface JobWrites {
  priority?: number;
  level?: Level;
  volumeName?: string;
}

/** The job events a hook asked for at JobStart (WIT flags job-events). */
export interface Subscription {
  jobInit: boolean;
  jobRun: boolean;
  newVolume: boolean;
  volumePurged: boolean;
}

export const NO_SUBSCRIPTION: Subscription = { jobInit: false, jobRun: false, newVolume: false, volumePurged: false };

/** A job snapshot with defaults for everything but what identifies the job. */
export function makeJob(fields: Partial<JobSnapshot> & Pick<JobSnapshot, 'jobId' | 'name'>): JobSnapshot {
  return {
    jobType: 'backup', level: 'full', status: 'created', priority: 10,
    jobName: uniqueJobName(fields.name, fields.jobId),
    client: '', pool: '', storage: '', writeStorage: '', readStorage: '', catalog: '', mediaType: '',
    numVols: 0, volumeName: '', jobErrors: 0, jobFiles: 0, jobBytes: 0, readBytes: 0, sdJobFiles: 0,
    sdErrors: 0, schedTime: 0, sinceTime: 0,
    ...fields,
  };
}

/** Bacula's unique job name: `<name>.<yyyy-mm-dd>_<hh.mm.ss>_<seq>`. */
export function uniqueJobName(name: string, seq: number, at = new Date()): string {
  const iso = at.toISOString();
  return `${name}.${iso.slice(0, 10)}_${iso.slice(11, 19).replace(/:/g, '.')}_${String(seq % 100).padStart(2, '0')}`;
}
