/*
 * c-dir-startup: Bacula's seed Director script DirStartUp.py
 * (examples/python/DirStartup.py, Kern Sibbald) as a C hook. The same report
 * lines as the TypeScript port, examples/dir-startup/hook.ts.
 *
 * The Python original registered a BaculaEvents object for the daemon events
 * (JobStart, JobEnd, Exit) and, per job, a JobEvents object for the job events
 * (JobInit, JobRun, NewVolume, VolumePurged). Here each event is a bh_on_*
 * function; bh_on_job_start's return value is the per-job subscription
 * (job.set_events(events) in Python).
 *
 * Build: ./build.sh  (writes c-dir-startup.wasm next to this file)
 */
#include "bacula_hooks.h"

/* Daemon event: a job was created. Subscribe to all the job events. */
bh_job_events_t bh_on_job_start(bh_job_t job, bh_err_t *err) {
  bh_job_reportf(job, "Dir JobStart: JobId=%u Client=%s NumVols=%u",
                 bh_job_job_id(job), bh_job_client(job).ptr, bh_job_num_vols(job));
  return BH_EVENT_JOB_INIT | BH_EVENT_JOB_RUN | BH_EVENT_NEW_VOLUME | BH_EVENT_VOLUME_PURGED;
}

/* Daemon event: the job is going to terminate. */
void bh_on_job_end(bh_job_t job, bh_err_t *err) {
  bh_job_reportf(job, "Dir JobEnd output: JobId=%u Client=%s.", bh_job_job_id(job), bh_job_client(job).ptr);
}

/* Daemon event: the director is going to exit. The seed printed "Daemon
 * exiting." to stdout; a hook has no stdout and Exit has no job report, so
 * there is nothing to do but succeed. (The kit's default does the same; it is
 * spelled out here to mirror the seed.) */
void bh_on_exit(bh_err_t *err) {}

/* Job events: the seed did nothing at JobInit and JobRun (the kit's defaults). */

/* Job event: the director wants a new volume name. */
void bh_on_new_volume(bh_job_t job, bh_err_t *err) {
  uint32_t num_vols = bh_job_num_vols(job);
  bh_job_reportf(job, "JobId=%u Client=%s NumVols=%u", bh_job_job_id(job), bh_job_client(job).ptr, num_vols);
  const char *vol = bh_sprintf("TestA-%u", num_vols);
  /* The seed asked the catalog whether the volume exists. Without a director
   * session (or if the director refuses) say why, and go on. */
  bh_exists_result_t exists = bh_director_does_volume_exist(vol);
  if (exists.ok) bh_job_reportf(job, "Exists=%d %s", exists.exists ? 1 : 0, vol);
  else bh_job_reportf(job, "DoesVolumeExist(%s) failed: %s", vol, bh_describe_director_error(exists.error));
  /* A refusal here (wrong time, bad name) fails the event with the reason,
   * e.g. "out-of-range: <message>". */
  bh_write_result_t set = bh_job_set_volume_name(job, vol);
  if (!set.ok) {
    bh_fail(err, bh_describe_write_error(set.error));
    return;
  }
  bh_job_write_report(job, "New Volume set for Job.");
}

/* Job event: a volume was purged; its name is the job's volume name. */
void bh_on_volume_purged(bh_job_t job, bh_err_t *err) {
  bh_job_reportf(job, "Volume purged: %s", bh_job_volume_name(job).ptr);
}
