/*
 * c-failure-notifier: at JobEnd, one structured report line for a job that
 * did not end well (any status but terminated 'T' and terminated-with-warnings
 * 'W'), for a log scraper or an alerting rule to pick up:
 *
 *   job-failed job=BackupClient1.2026-11-26_04.00.00_42 client=client1-fd status=error-terminated errors=3 bytes=1048576 files=12
 *
 * Nothing otherwise. It subscribes to no job event: JobEnd always comes.
 *
 * Build: ./build.sh  (writes c-failure-notifier.wasm next to this file)
 */
#include "bacula_hooks.h"

bh_job_events_t bh_on_job_start(bh_job_t job, bh_err_t *err) {
  return BH_EVENTS_NONE;
}

void bh_on_job_end(bh_job_t job, bh_err_t *err) {
  bh_job_status_t status = bh_job_status(job);
  if (status == BH_STATUS_TERMINATED || status == BH_STATUS_TERMINATED_WITH_WARNINGS) return;
  bh_job_reportf(job, "job-failed job=%s client=%s status=%s errors=%u bytes=%llu files=%llu",
                 bh_job_job_name(job).ptr, bh_job_client(job).ptr, bh_job_status_name(status),
                 bh_job_job_errors(job), bh_job_job_bytes(job), bh_job_job_files(job));
}
