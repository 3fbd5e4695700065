/**
 * priority-policy: at JobInit, Full backups of the clients named below get a
 * lower priority (a larger number: Bacula runs 1 first), and Incrementals whose
 * last backup is more than a week older than their scheduled time are raised
 * to Differential.
 *
 * Build: ./build.sh  (writes priority-policy.wasm next to this file)
 */
import { defineHook, describeError, tryWrite } from '../../hooks-sdk/js/index.js';

/** Clients whose Full backups should wait for everything else. Edit to taste. */
const LOW_PRIORITY_CLIENTS = new Set(['fileserver-fd', 'mailstore-fd']);
const LOW_PRIORITY = 20;
const WEEK_SECONDS = 7n * 24n * 60n * 60n;

export const events = defineHook({
  jobStart(job) {
    // Only backups have a level to raise or a priority worth changing here.
    return { jobInit: job.jobType() === 'backup' };
  },

  jobInit(job) {
    const level = job.level();
    if (level === 'full' && LOW_PRIORITY_CLIENTS.has(job.client()) && job.priority() < LOW_PRIORITY) {
      const was = job.priority();
      const r = tryWrite(() => job.setPriority(LOW_PRIORITY));
      job.writeReport(r.ok
        ? `priority-policy: Full backup of ${job.client()}: Priority ${was} -> ${LOW_PRIORITY}`
        : `priority-policy: could not lower the priority: ${describeError(r.error)}`);
    }
    if (level === 'incremental') {
      const since = job.sinceTime();
      const sched = job.schedTime();
      if (since > 0n && sched > since && sched - since > WEEK_SECONDS) {
        const days = Number((sched - since) / 86400n);
        job.setLevel('differential'); // only legal here, at JobInit: a refusal fails the event with its reason
        job.writeReport(`priority-policy: last backup ${days} days before this one: Level Incremental -> Differential`);
      }
    }
  },
});
