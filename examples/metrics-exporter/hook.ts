/**
 * metrics-exporter: at JobEnd, exports each job's bytes, files and duration
 * per job name and level on the service's Prometheus endpoint, what Bareos's
 * prometheus and graphite director plugins do, without the hook reaching the
 * network: the service serves the hook's metrics on its own /metrics.
 *
 *   hook_job_bytes_total{tenant, hook, job, level}        counter, JobBytes
 *   hook_job_files_total{tenant, hook, job, level}        counter, JobFiles
 *   hook_jobs_total{tenant, hook, job, level, status}     counter, jobs ended
 *   hook_job_duration_seconds{tenant, hook, job, level}   histogram, JobStart to JobEnd
 *
 * The duration needs a clock: build.sh builds with the WASI clocks feature,
 * and the hook is registered with the clocks grant. A job whose JobStart this
 * instance did not see (the service restarted in between) is timed from its
 * SchedTime instead.
 *
 * Build: ./build.sh  (writes metrics-exporter.wasm next to this file)
 */
import { defineHook, describeError } from '../../hooks-sdk/js/index.js';
import { counterAdd, histogramBuckets, histogramObserve, type MetricResult } from '../../hooks-sdk/js/metrics.js';

/** Backup jobs run minutes to a day. */
const DURATION_BUCKETS = [60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400];

/** When each running job's JobStart came, by JobId (milliseconds since the epoch). */
const started = new Map<number, number>();

export const events = defineHook({
  jobStart(job) {
    started.set(job.jobId(), Date.now());
    return {}; // JobEnd is always delivered: no job event needed
  },

  jobEnd(job) {
    const now = Date.now();
    const t0 = started.get(job.jobId()) ?? Number(job.schedTime()) * 1000;
    started.delete(job.jobId());
    const labels = { job: job.name(), level: job.level() };
    const bytes = Number(job.jobBytes());
    const files = Number(job.jobFiles());
    const seconds = t0 > 0 ? Math.max(0, (now - t0) / 1000) : undefined;

    const refused: string[] = [];
    const check = (what: string, r: MetricResult) => {
      if (!r.ok) refused.push(`${what}: ${describeError(r.error)}`);
    };
    check('job_bytes_total', counterAdd('job_bytes_total', labels, bytes));
    check('job_files_total', counterAdd('job_files_total', labels, files));
    check('jobs_total', counterAdd('jobs_total', { ...labels, status: job.status() }));
    if (seconds !== undefined) {
      // Setting the same buckets again is accepted: no state to keep across instances.
      check('job_duration_seconds buckets', histogramBuckets('job_duration_seconds', DURATION_BUCKETS));
      check('job_duration_seconds', histogramObserve('job_duration_seconds', labels, seconds));
    }
    job.writeReport(`metrics-exporter: ${labels.job} ${labels.level} ${job.status()}: ${bytes} bytes, ${files} files` +
      (seconds !== undefined ? `, ${seconds.toFixed(1)} s` : ', duration unknown'));
    for (const r of refused) job.writeReport(`metrics-exporter: not recorded: ${r}`);
  },
});
