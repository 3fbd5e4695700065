/*
 * c-volume-naming: names each new volume <pool>-<yyyymmdd>-<n>, where the
 * date is the job's scheduled time (UTC) and n is the first number, from 1,
 * whose name the catalog does not have yet (asked with does-volume-exist).
 *
 *   VolumeName Full-20251124-3 (n=3, 2 taken)
 *
 * If the director cannot answer (no director session, refused, timed out),
 * the hook reports why and fails the event: the director then picks the
 * volume name itself (or fails the job, if the hook is fail-closed).
 *
 * Build: ./build.sh  (writes c-volume-naming.wasm next to this file)
 */
#include "bacula_hooks.h"

/* Names to try before giving up: a pool with this many volumes of one day is a misconfiguration. */
#define MAX_N 1000u

/* Days since 1970-01-01 to a proleptic Gregorian (y, m, d), UTC.
 * Howard Hinnant's civil_from_days, for days >= 0. */
static void civil_from_days(uint64_t days, uint32_t *y, uint32_t *m, uint32_t *d) {
  uint64_t z = days + 719468;
  uint64_t era = z / 146097;
  uint64_t doe = z - era * 146097;                                   /* [0, 146096] */
  uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
  uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);           /* [0, 365] */
  uint64_t mp = (5 * doy + 2) / 153;                                 /* [0, 11], March first */
  *d = (uint32_t)(doy - (153 * mp + 2) / 5 + 1);
  *m = (uint32_t)(mp < 10 ? mp + 3 : mp - 9);
  *y = (uint32_t)(yoe + era * 400 + (*m <= 2 ? 1 : 0));
}

/* Only NewVolume is wanted (JobEnd and Exit come anyway and do nothing). */
bh_job_events_t bh_on_job_start(bh_job_t job, bh_err_t *err) {
  return BH_EVENT_NEW_VOLUME;
}

void bh_on_new_volume(bh_job_t job, bh_err_t *err) {
  uint64_t sched = bh_job_sched_time(job);
  if (sched == 0) {
    bh_job_write_report(job, "VolumeName not set: the job has no scheduled time to date it");
    bh_fail(err, "the job has no scheduled time (sched-time 0): cannot date the volume name");
    return;
  }
  uint32_t y, m, d;
  civil_from_days(sched / 86400, &y, &m, &d);
  const char *prefix = bh_sprintf("%s-%04u%02u%02u", bh_job_pool(job).ptr, y, m, d);

  for (uint32_t n = 1; n <= MAX_N; n++) {
    const char *name = bh_sprintf("%s-%u", prefix, n);
    bh_exists_result_t e = bh_director_does_volume_exist(name);
    if (!e.ok) {
      const char *why = bh_sprintf("DoesVolumeExist(%s) failed: %s", name, bh_describe_director_error(e.error));
      bh_job_write_report(job, why);
      bh_failf(err, "cannot name the volume: %s", why);
      return;
    }
    if (e.exists) continue;
    bh_write_result_t set = bh_job_set_volume_name(job, name);
    if (!set.ok) {
      const char *why = bh_sprintf("VolumeName %s refused: %s", name, bh_describe_write_error(set.error));
      bh_job_write_report(job, why);
      bh_fail(err, why);
      return;
    }
    bh_job_reportf(job, "VolumeName %s (n=%u, %u taken)", name, n, n - 1);
    return;
  }
  bh_job_reportf(job, "VolumeName not set: %s-1 to %s-%u are all taken", prefix, prefix, MAX_N);
  bh_failf(err, "no free volume name: %s-1 to %s-%u are all taken", prefix, prefix, MAX_N);
}
