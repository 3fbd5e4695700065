// The jobs a director has in flight: their phase (events must come in the
// order JobStart -> JobInit -> JobRun -> (NewVolume|VolumePurged)* -> JobEnd),
// each hook's JobStart subscription, and the queue that runs a job's events in order.
import { BACULA_EVENT_NAMES, type EventName } from '../model/enums.js';
import type { Subscription } from '../model/job.js';
import { HookServiceError, notFound } from '../errors.js';

const PHASE: Partial<Record<EventName, number>> = { 'job-start': 0, 'job-init': 1, 'job-run': 2 };
const ORDER = 'JobStart -> JobInit -> JobRun -> (NewVolume | VolumePurged)* -> JobEnd; a director may skip JobInit or JobRun, never repeat or go back';

export interface TrackedJob {
  tenant: string;
  director: string;
  jobId: number;
  /** The furthest of JobStart/JobInit/JobRun accepted so far. */
  phase: number;
  /** hook id -> the job events it asked for at JobStart. */
  subscriptions: Map<string, Subscription>;
  /** The last accepted event of this job; the next one runs after it. */
  tail: Promise<unknown>;
}

export class JobTracker {
  private jobs = new Map<string, TrackedJob>();

  private key(tenant: string, director: string, jobId: number) {
    return JSON.stringify([tenant, director, jobId]);
  }

  /**
   * Admits an event in arrival order and returns its job. Refuses, with the
   * reason, an event for an unknown job or one that comes out of order.
   */
  admit(tenant: string, director: string, event: EventName, jobId: number): TrackedJob {
    const key = this.key(tenant, director, jobId);
    const job = this.jobs.get(key);
    const name = BACULA_EVENT_NAMES[event];
    const about = { tenant, director, job: String(jobId), event: name };
    if (event === 'job-start') {
      if (job) {
        throw new HookServiceError('already-exists', `JobStart for job ${jobId} of director "${director}", which already started and has not ended`,
          { reason: 'JOB_ALREADY_STARTED', metadata: about });
      }
      const fresh: TrackedJob = { tenant, director, jobId, phase: 0, subscriptions: new Map(), tail: Promise.resolve() };
      this.jobs.set(key, fresh);
      return fresh;
    }
    if (!job) {
      throw notFound(`${name} for job ${jobId} of director "${director}": no JobStart was seen for that job (or it already ended)`,
        { reason: 'JOB_NOT_STARTED', metadata: about });
    }
    const phase = PHASE[event];
    if (phase !== undefined) {
      if (phase <= job.phase) {
        throw new HookServiceError('failed-precondition', `${name} for job ${jobId} came out of order (the order is ${ORDER})`,
          { reason: 'EVENT_OUT_OF_ORDER', metadata: about });
      }
      job.phase = phase;
    }
    if (event === 'job-end') this.jobs.delete(key); // later events of this job are refused as unknown
    return job;
  }

  /** Exit: the director shuts down, so none of its jobs will see another event. */
  forgetDirector(tenant: string, director: string) {
    for (const [k, j] of this.jobs) if (j.tenant === tenant && j.director === director) this.jobs.delete(k);
  }

  get size() {
    return this.jobs.size;
  }
}
