/*
 * change-freeze: holds the backups of clients in a change freeze. At JobStart
 * of a job for a frozen client it fails the event with the reason; registered
 * fail-closed, that fails the job before it touches the client (the RunScript
 * bridge exits 1 and the Before RunScript has FailJobOnError = yes).
 *
 *   hook change-freeze failed at JobStart (fail-closed: the job fails): client frozen-fd is in a change freeze ...
 *
 * Edit FROZEN below and rebuild to change the list.
 *
 * Build: ./build.sh  (writes change-freeze.wasm next to this file)
 */
#include "bacula_hooks.h"

static const char *const FROZEN[] = {"frozen-fd"};

bh_job_events_t bh_on_job_start(bh_job_t job, bh_err_t *err) {
  bh_str_t client = bh_job_client(job);
  for (size_t i = 0; i < sizeof FROZEN / sizeof FROZEN[0]; i++) {
    if (bh_str_eq(client, FROZEN[i])) {
      bh_failf(err, "client %s is in a change freeze: %s is held (lift the freeze in change-freeze.c to run it)",
               client.ptr, bh_job_job_name(job).ptr);
      return BH_EVENTS_NONE;
    }
  }
  return BH_EVENTS_NONE;
}
