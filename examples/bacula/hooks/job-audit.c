/*
 * job-audit: what a Bacula admin wants to read in the job log about each job,
 * written there by the RunScript bridge: the job's identity at JobStart, its
 * priority at JobInit, its storage at JobRun and, at JobEnd, its result and
 * whether the catalog has the volume it wrote, asked of the Director with
 * does-volume-exist (through bconsole), and whether the next label of the
 * same series is still free.
 *
 *   [job-audit] JobStart: Nightly.2026-11-26_10.22.07_03 full backup of lab-fd to pool Lab
 *   [job-audit] JobInit: priority 12, scheduled at 1795688527 (Unix time)
 *   [job-audit] JobEnd: terminated, 3 files, 2398 bytes, volume Lab-0001
 *   [job-audit] volume Lab-0001 in catalog: yes
 *   [job-audit] next label Lab-0002 in catalog: no
 *
 * Build: ./build.sh  (writes job-audit.wasm next to this file)
 */
#include "bacula_hooks.h"

bh_job_events_t bh_on_job_start(bh_job_t job, bh_err_t *err) {
  bh_job_reportf(job, "JobStart: %s %s %s of %s to pool %s", bh_job_job_name(job).ptr,
                 bh_level_name(bh_job_level(job)), bh_job_type_name(bh_job_job_type(job)),
                 bh_job_client(job).ptr, bh_job_pool(job).ptr);
  return BH_EVENT_JOB_INIT | BH_EVENT_JOB_RUN;
}

void bh_on_job_init(bh_job_t job, bh_err_t *err) {
  bh_job_reportf(job, "JobInit: priority %u, scheduled at %llu (Unix time)", bh_job_priority(job), bh_job_sched_time(job));
}

void bh_on_job_run(bh_job_t job, bh_err_t *err) {
  bh_job_reportf(job, "JobRun: writing to storage %s", bh_job_storage(job).ptr);
}

/* Reports whether the catalog has `name`; false when the Director cannot answer. */
static bool report_volume(bh_job_t job, const char *what, const char *name) {
  bh_exists_result_t e = bh_director_does_volume_exist(name);
  if (!e.ok) {
    bh_job_reportf(job, "%s %s: the Director could not say (%s)", what, name, bh_describe_director_error(e.error));
    return false;
  }
  bh_job_reportf(job, "%s %s in catalog: %s", what, name, e.exists ? "yes" : "no");
  return true;
}

/* The label after `name` in its series: the trailing number plus one, same width (E2E-0001 -> E2E-0002). */
static const char *next_label(bh_str_t name) {
  size_t digits = 0;
  while (digits < name.len && name.ptr[name.len - 1 - digits] >= '0' && name.ptr[name.len - 1 - digits] <= '9') digits++;
  if (digits == 0 || digits > 9) return 0;
  uint32_t n = 0;
  for (size_t i = name.len - digits; i < name.len; i++) n = n * 10 + (uint32_t)(name.ptr[i] - '0');
  char *out = bh_alloc(name.len + 2);
  for (size_t i = 0; i < name.len - digits; i++) out[i] = name.ptr[i];
  const char *num = bh_sprintf("%0*u", (int)digits, n + 1);
  size_t at = name.len - digits, k = 0;
  while (num[k]) out[at++] = num[k++];
  out[at] = 0;
  return out;
}

void bh_on_job_end(bh_job_t job, bh_err_t *err) {
  bh_str_t volume = bh_job_volume_name(job);
  bh_job_reportf(job, "JobEnd: %s, %llu files, %llu bytes, volume %s", bh_job_status_name(bh_job_status(job)),
                 bh_job_job_files(job), bh_job_job_bytes(job), volume.len ? volume.ptr : "(none)");
  if (!volume.len) return;
  report_volume(job, "volume", volume.ptr);
  const char *next = next_label(volume);
  if (next) report_volume(job, "next label", next);
}
