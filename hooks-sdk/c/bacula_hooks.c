/*
 * The canonical-ABI glue of the C kit: the hook world's imports, the events
 * exports with their post-return functions, and cabi_realloc. Written by hand
 * against hooks-sdk/wit/hooks.wit (no wit-bindgen): see README.md, "ABI", for
 * the flattened signature of every function.
 *
 * Canonical ABI facts this file relies on (wasm32, MAX_FLAT_PARAMS 16,
 * MAX_FLAT_RESULTS 1):
 *  - u32, enum, flags, bool, handle: i32.  u64: i64.
 *  - string: (ptr i32, len i32), UTF-8; a string the host returns is written
 *    into memory it got from our cabi_realloc (the event arena).
 *  - A result of more than one flat value goes through memory: an import
 *    gets a return pointer as its last parameter, an export returns one.
 *  - In memory, a variant/option/result is its discriminant (u8 here) and
 *    then its payload at the payload's alignment (4 for all of ours).
 *  - A borrow<job> lent to an export must be dropped ([resource-drop]job)
 *    before the export returns.
 */
#include "bh_internal.h"

#define IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
#define JOB "bacula:hooks/job@1.2.0"
#define DAEMON "bacula:hooks/daemon@1.2.0"
#define DIRECTOR "bacula:hooks/director@1.2.0"
#define DIAGNOSTICS "bacula:hooks/diagnostics@1.2.0"
#define METRICS "bacula:hooks/metrics@1.2.0"
#define EVENTS "bacula:hooks/events@1.2.0"

/* ------------------------------------------------------------------------ */
/* Imports: the exact core signatures (checked by componentEmbed/New).      */
/* ------------------------------------------------------------------------ */

IMPORT(JOB, "[method]job.job-type") extern int32_t wit_job_type(int32_t self);
IMPORT(JOB, "[method]job.job-id") extern int32_t wit_job_id(int32_t self);
IMPORT(JOB, "[method]job.client") extern void wit_client(int32_t self, uint8_t *ret);
IMPORT(JOB, "[method]job.num-vols") extern int32_t wit_num_vols(int32_t self);
IMPORT(JOB, "[method]job.pool") extern void wit_pool(int32_t self, uint8_t *ret);
IMPORT(JOB, "[method]job.storage") extern void wit_storage(int32_t self, uint8_t *ret);
IMPORT(JOB, "[method]job.write-storage") extern void wit_write_storage(int32_t self, uint8_t *ret);
IMPORT(JOB, "[method]job.read-storage") extern void wit_read_storage(int32_t self, uint8_t *ret);
IMPORT(JOB, "[method]job.catalog") extern void wit_catalog(int32_t self, uint8_t *ret);
IMPORT(JOB, "[method]job.media-type") extern void wit_media_type(int32_t self, uint8_t *ret);
IMPORT(JOB, "[method]job.name") extern void wit_name(int32_t self, uint8_t *ret);
IMPORT(JOB, "[method]job.job-name") extern void wit_job_name(int32_t self, uint8_t *ret);
IMPORT(JOB, "[method]job.status") extern int32_t wit_status(int32_t self);
IMPORT(JOB, "[method]job.priority") extern int32_t wit_priority(int32_t self);
IMPORT(JOB, "[method]job.level") extern int32_t wit_level(int32_t self);
IMPORT(JOB, "[method]job.catalog-res") extern void wit_catalog_res(int32_t self, uint8_t *ret);
IMPORT(JOB, "[method]job.volume-name") extern void wit_volume_name(int32_t self, uint8_t *ret);
IMPORT(JOB, "[method]job.job-errors") extern int32_t wit_job_errors(int32_t self);
IMPORT(JOB, "[method]job.job-files") extern int64_t wit_job_files(int32_t self);
IMPORT(JOB, "[method]job.job-bytes") extern int64_t wit_job_bytes(int32_t self);
IMPORT(JOB, "[method]job.read-bytes") extern int64_t wit_read_bytes(int32_t self);
IMPORT(JOB, "[method]job.sd-job-files") extern int64_t wit_sd_job_files(int32_t self);
IMPORT(JOB, "[method]job.sd-errors") extern int32_t wit_sd_errors(int32_t self);
IMPORT(JOB, "[method]job.fd-job-status") extern void wit_fd_job_status(int32_t self, uint8_t *ret);
IMPORT(JOB, "[method]job.sd-job-status") extern void wit_sd_job_status(int32_t self, uint8_t *ret);
IMPORT(JOB, "[method]job.sched-time") extern int64_t wit_sched_time(int32_t self);
IMPORT(JOB, "[method]job.since-time") extern int64_t wit_since_time(int32_t self);
IMPORT(JOB, "[method]job.set-priority") extern void wit_set_priority(int32_t self, int32_t priority, uint8_t *ret);
IMPORT(JOB, "[method]job.set-level") extern void wit_set_level(int32_t self, int32_t level, uint8_t *ret);
IMPORT(JOB, "[method]job.set-volume-name") extern void wit_set_volume_name(int32_t self, const char *ptr, size_t len, uint8_t *ret);
IMPORT(JOB, "[method]job.write-report") extern void wit_write_report(int32_t self, const char *ptr, size_t len);
IMPORT(JOB, "[resource-drop]job") extern void wit_job_drop(int32_t handle);

IMPORT(DAEMON, "name") extern void wit_daemon_name(uint8_t *ret);
IMPORT(DAEMON, "config-file") extern void wit_daemon_config_file(uint8_t *ret);
IMPORT(DAEMON, "working-dir") extern void wit_daemon_working_dir(uint8_t *ret);
IMPORT(DAEMON, "version") extern void wit_daemon_version(uint8_t *ret);

IMPORT(DIRECTOR, "run") extern void wit_run(const char *ptr, size_t len, uint8_t *ret);
IMPORT(DIRECTOR, "cancel") extern void wit_cancel(int32_t job_id, uint8_t *ret);
IMPORT(DIRECTOR, "does-volume-exist") extern void wit_does_volume_exist(const char *ptr, size_t len, uint8_t *ret);

IMPORT(DIAGNOSTICS, "trap-reason") extern void wit_trap_reason(const char *ptr, size_t len);

/* metrics (since 1.2.0): a label is a record of two strings, 16 bytes in a
 * list: key (ptr, len) at 0, value (ptr, len) at 8. f64 is an f64 parameter.
 * Only a hook that calls bh_metrics_* imports the interface: wasm-ld drops
 * these imports otherwise, and the component imports what the module does. */
IMPORT(METRICS, "counter-add") extern void wit_counter_add(const char *name, size_t name_len, const uint8_t *labels, size_t n, double delta, uint8_t *ret);
IMPORT(METRICS, "gauge-set") extern void wit_gauge_set(const char *name, size_t name_len, const uint8_t *labels, size_t n, double value, uint8_t *ret);
IMPORT(METRICS, "histogram-buckets") extern void wit_histogram_buckets(const char *name, size_t name_len, const double *bounds, size_t n, uint8_t *ret);
IMPORT(METRICS, "histogram-observe") extern void wit_histogram_observe(const char *name, size_t name_len, const uint8_t *labels, size_t n, double value, uint8_t *ret);

/* ------------------------------------------------------------------------ */
/* Reading return areas                                                     */
/* ------------------------------------------------------------------------ */

/* A return area: big enough and aligned for every return type here (the
 * largest is option<catalog-res>, 56 bytes, align 4). */
typedef struct {
  _Alignas(8) uint8_t b[56];
} ret_area_t;

static inline uint8_t ld8(const uint8_t *p, size_t off) { return p[off]; }
static inline uint32_t ld32(const uint8_t *p, size_t off) { return *(const uint32_t *)(const void *)(p + off); }
static inline void st32(uint8_t *p, size_t off, uint32_t v) { *(uint32_t *)(void *)(p + off) = v; }

/* A string at p + off: (ptr u32, len u32). */
static bh_str_t ld_str(const uint8_t *p, size_t off) {
  return bh__str_of((const char *)(uintptr_t)ld32(p, off), ld32(p, off + 4));
}

static bh_str_t ret_str(void (*fn)(int32_t, uint8_t *), bh_job_t job) {
  ret_area_t r;
  fn(job.handle, r.b);
  return ld_str(r.b, 0);
}

static bh_str_t daemon_str(void (*fn)(uint8_t *)) {
  ret_area_t r;
  fn(r.b);
  return ld_str(r.b, 0);
}

/* result<_, write-error>: [0] disc; [4] write-error disc; [8] string. */
static bh_write_result_t ld_write_result(const uint8_t *p) {
  bh_write_result_t r = {true, {BH_WRITE_WRONG_TIME, {"", 0}}};
  if (ld8(p, 0) != 0) {
    r.ok = false;
    r.error.tag = (bh_write_error_tag_t)ld8(p, 4);
    r.error.message = ld_str(p, 8);
  }
  return r;
}

/* director-error at p + 4 (inside a result): [4] disc; [8] string for refused/unavailable. */
static bh_director_error_t ld_director_error(const uint8_t *p) {
  bh_director_error_t e = {(bh_director_error_tag_t)ld8(p, 4), {"", 0}};
  if (e.tag == BH_DIRECTOR_REFUSED || e.tag == BH_DIRECTOR_UNAVAILABLE) e.message = ld_str(p, 8);
  return e;
}

/* ------------------------------------------------------------------------ */
/* The job                                                                  */
/* ------------------------------------------------------------------------ */

bh_job_type_t bh_job_job_type(bh_job_t job) { return (bh_job_type_t)wit_job_type(job.handle); }
uint32_t bh_job_job_id(bh_job_t job) { return (uint32_t)wit_job_id(job.handle); }
bh_str_t bh_job_client(bh_job_t job) { return ret_str(wit_client, job); }
uint32_t bh_job_num_vols(bh_job_t job) { return (uint32_t)wit_num_vols(job.handle); }
bh_str_t bh_job_pool(bh_job_t job) { return ret_str(wit_pool, job); }
bh_str_t bh_job_storage(bh_job_t job) { return ret_str(wit_storage, job); }
bh_str_t bh_job_write_storage(bh_job_t job) { return ret_str(wit_write_storage, job); }
bh_str_t bh_job_read_storage(bh_job_t job) { return ret_str(wit_read_storage, job); }
bh_str_t bh_job_catalog(bh_job_t job) { return ret_str(wit_catalog, job); }
bh_str_t bh_job_media_type(bh_job_t job) { return ret_str(wit_media_type, job); }
bh_str_t bh_job_name(bh_job_t job) { return ret_str(wit_name, job); }
bh_str_t bh_job_job_name(bh_job_t job) { return ret_str(wit_job_name, job); }
bh_job_status_t bh_job_status(bh_job_t job) { return (bh_job_status_t)wit_status(job.handle); }
uint32_t bh_job_priority(bh_job_t job) { return (uint32_t)wit_priority(job.handle); }
bh_level_t bh_job_level(bh_job_t job) { return (bh_level_t)wit_level(job.handle); }

/* option<catalog-res>: [0] disc; record at 4: db-name 4, address 12, user 20,
 * password option<string> (disc 28, string 32), socket 40, port 48, vendor 52. */
bool bh_job_catalog_res(bh_job_t job, bh_catalog_res_t *out) {
  ret_area_t r;
  wit_catalog_res(job.handle, r.b);
  bh_catalog_res_t c = {{"", 0}, {"", 0}, {"", 0}, false, {"", 0}, {"", 0}, 0, BH_VENDOR_MYSQL};
  bool present = ld8(r.b, 0) != 0;
  if (present) {
    c.db_name = ld_str(r.b, 4);
    c.address = ld_str(r.b, 12);
    c.user = ld_str(r.b, 20);
    c.has_password = ld8(r.b, 28) != 0;
    if (c.has_password) c.password = ld_str(r.b, 32);
    c.socket = ld_str(r.b, 40);
    c.port = ld32(r.b, 48);
    c.vendor = (bh_catalog_vendor_t)ld8(r.b, 52);
  }
  if (out) *out = c;
  return present;
}

bh_str_t bh_job_volume_name(bh_job_t job) { return ret_str(wit_volume_name, job); }
uint32_t bh_job_job_errors(bh_job_t job) { return (uint32_t)wit_job_errors(job.handle); }
uint64_t bh_job_job_files(bh_job_t job) { return (uint64_t)wit_job_files(job.handle); }
uint64_t bh_job_job_bytes(bh_job_t job) { return (uint64_t)wit_job_bytes(job.handle); }
uint64_t bh_job_read_bytes(bh_job_t job) { return (uint64_t)wit_read_bytes(job.handle); }
uint64_t bh_job_sd_job_files(bh_job_t job) { return (uint64_t)wit_sd_job_files(job.handle); }
uint32_t bh_job_sd_errors(bh_job_t job) { return (uint32_t)wit_sd_errors(job.handle); }

/* option<job-status>: [0] disc; [1] the enum (u8). */
static bool opt_status(void (*fn)(int32_t, uint8_t *), bh_job_t job, bh_job_status_t *out) {
  ret_area_t r;
  fn(job.handle, r.b);
  bool present = ld8(r.b, 0) != 0;
  if (out) *out = present ? (bh_job_status_t)ld8(r.b, 1) : BH_STATUS_CREATED;
  return present;
}
bool bh_job_fd_job_status(bh_job_t job, bh_job_status_t *out) { return opt_status(wit_fd_job_status, job, out); }
bool bh_job_sd_job_status(bh_job_t job, bh_job_status_t *out) { return opt_status(wit_sd_job_status, job, out); }

uint64_t bh_job_sched_time(bh_job_t job) { return (uint64_t)wit_sched_time(job.handle); }
uint64_t bh_job_since_time(bh_job_t job) { return (uint64_t)wit_since_time(job.handle); }

bh_write_result_t bh_job_set_priority(bh_job_t job, uint32_t priority) {
  ret_area_t r;
  wit_set_priority(job.handle, (int32_t)priority, r.b);
  return ld_write_result(r.b);
}

bh_write_result_t bh_job_set_level(bh_job_t job, bh_level_t level) {
  ret_area_t r;
  wit_set_level(job.handle, (int32_t)level, r.b);
  return ld_write_result(r.b);
}

bh_write_result_t bh_job_set_volume_name_str(bh_job_t job, bh_str_t name) {
  ret_area_t r;
  wit_set_volume_name(job.handle, name.ptr ? name.ptr : "", name.ptr ? name.len : 0, r.b);
  return ld_write_result(r.b);
}

bh_write_result_t bh_job_set_volume_name(bh_job_t job, const char *name) {
  return bh_job_set_volume_name_str(job, bh_str(name));
}

void bh_job_write_report_str(bh_job_t job, bh_str_t line) {
  wit_write_report(job.handle, line.ptr ? line.ptr : "", line.ptr ? line.len : 0);
}

void bh_job_write_report(bh_job_t job, const char *line) { bh_job_write_report_str(job, bh_str(line)); }

void bh_job_reportf(bh_job_t job, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *line = bh_vsprintf(fmt, ap);
  va_end(ap);
  bh_job_write_report(job, line);
}

/* ------------------------------------------------------------------------ */
/* The daemon, the director, diagnostics                                    */
/* ------------------------------------------------------------------------ */

bh_str_t bh_daemon_name(void) { return daemon_str(wit_daemon_name); }
bh_str_t bh_daemon_config_file(void) { return daemon_str(wit_daemon_config_file); }
bh_str_t bh_daemon_working_dir(void) { return daemon_str(wit_daemon_working_dir); }
bh_str_t bh_daemon_version(void) { return daemon_str(wit_daemon_version); }

/* result<u32, director-error>: [0] disc; ok: [4] u32; err: director-error at 4. */
bh_run_result_t bh_director_run(const char *command) {
  ret_area_t r;
  bh_str_t c = bh_str(command);
  wit_run(c.ptr, c.len, r.b);
  bh_run_result_t out = {true, 0, {BH_DIRECTOR_NO_DIRECTOR_SESSION, {"", 0}}};
  if (ld8(r.b, 0) == 0) out.job_id = ld32(r.b, 4);
  else out.ok = false, out.error = ld_director_error(r.b);
  return out;
}

/* result<_, director-error>: [0] disc; err: director-error at 4. */
bh_cancel_result_t bh_director_cancel(uint32_t job_id) {
  ret_area_t r;
  wit_cancel((int32_t)job_id, r.b);
  bh_cancel_result_t out = {true, {BH_DIRECTOR_NO_DIRECTOR_SESSION, {"", 0}}};
  if (ld8(r.b, 0) != 0) out.ok = false, out.error = ld_director_error(r.b);
  return out;
}

/* result<bool, director-error>: [0] disc; ok: [4] bool (u8); err: director-error at 4. */
bh_exists_result_t bh_director_does_volume_exist(const char *name) {
  ret_area_t r;
  bh_str_t n = bh_str(name);
  wit_does_volume_exist(n.ptr, n.len, r.b);
  bh_exists_result_t out = {true, false, {BH_DIRECTOR_NO_DIRECTOR_SESSION, {"", 0}}};
  if (ld8(r.b, 0) == 0) out.exists = ld8(r.b, 4) != 0;
  else out.ok = false, out.error = ld_director_error(r.b);
  return out;
}

void bh__trap_reason(const char *reason, size_t len) { wit_trap_reason(reason, len); }

/* ------------------------------------------------------------------------ */
/* Metrics                                                                  */
/* ------------------------------------------------------------------------ */

/* An empty list still needs an aligned pointer; nothing is read from it. */
static _Alignas(8) const uint8_t empty_list[8];

/* list<label> in the event arena: n records of (key ptr, key len, value ptr, value len). */
static const uint8_t *wit_labels(const bh_label_t *labels, size_t n) {
  if (!n) return empty_list;
  uint8_t *p = bh__arena_alloc(n * 16, 4);
  for (size_t i = 0; i < n; i++) {
    bh_str_t k = bh_str(labels[i].key), v = bh_str(labels[i].value);
    st32(p, i * 16, (uint32_t)(uintptr_t)k.ptr);
    st32(p, i * 16 + 4, (uint32_t)k.len);
    st32(p, i * 16 + 8, (uint32_t)(uintptr_t)v.ptr);
    st32(p, i * 16 + 12, (uint32_t)v.len);
  }
  return p;
}

/* result<_, metric-error>: [0] disc; err: [4] metric-error disc; [8] string (every case has one). */
static bh_metric_result_t ld_metric_result(const uint8_t *p) {
  bh_metric_result_t r = {true, {BH_METRIC_INVALID_NAME, {"", 0}}};
  if (ld8(p, 0) != 0) {
    r.ok = false;
    r.error.tag = (bh_metric_error_tag_t)ld8(p, 4);
    r.error.message = ld_str(p, 8);
  }
  return r;
}

bh_metric_result_t bh_metrics_counter_add(const char *name, const bh_label_t *labels, size_t n, double delta) {
  ret_area_t r;
  bh_str_t nm = bh_str(name);
  wit_counter_add(nm.ptr, nm.len, wit_labels(labels, n), n, delta, r.b);
  return ld_metric_result(r.b);
}

bh_metric_result_t bh_metrics_gauge_set(const char *name, const bh_label_t *labels, size_t n, double value) {
  ret_area_t r;
  bh_str_t nm = bh_str(name);
  wit_gauge_set(nm.ptr, nm.len, wit_labels(labels, n), n, value, r.b);
  return ld_metric_result(r.b);
}

bh_metric_result_t bh_metrics_histogram_buckets(const char *name, const double *bounds, size_t n) {
  ret_area_t r;
  bh_str_t nm = bh_str(name);
  wit_histogram_buckets(nm.ptr, nm.len, n ? bounds : (const double *)(const void *)empty_list, n, r.b);
  return ld_metric_result(r.b);
}

bh_metric_result_t bh_metrics_histogram_observe(const char *name, const bh_label_t *labels, size_t n, double value) {
  ret_area_t r;
  bh_str_t nm = bh_str(name);
  wit_histogram_observe(nm.ptr, nm.len, wit_labels(labels, n), n, value, r.b);
  return ld_metric_result(r.b);
}

/* ------------------------------------------------------------------------ */
/* Exports: bacula:hooks/events@1.2.0                                       */
/* ------------------------------------------------------------------------ */

/* The export return area, read by the host before it calls post-return:
 * result<job-events, string>: [0] disc; ok: [4] flags (u8); err: [4] string.
 * result<_, string>: [0] disc; err: [4] string. */
static _Alignas(8) uint8_t export_ret[16];

static uint8_t *finish(const bh_err_t *err) {
  if (err->failed) {
    bh_str_t m = err->message.ptr ? err->message : bh_str("");
    export_ret[0] = 1;
    st32(export_ret, 4, (uint32_t)(uintptr_t)m.ptr);
    st32(export_ret, 8, (uint32_t)m.len);
  } else {
    export_ret[0] = 0;
  }
  return export_ret;
}

/* Each export's symbol is its export name, so wasm backtraces (from the name
 * section) show "bacula:hooks/events@1.2.0#job-run". */
#define EXPORT(name) __attribute__((export_name(name), noinline))
#define SYMBOL(name) __asm__(name)

EXPORT(EVENTS "#job-start") uint8_t *bh__export_job_start(int32_t job) SYMBOL(EVENTS "#job-start");
EXPORT(EVENTS "#job-init") uint8_t *bh__export_job_init(int32_t job) SYMBOL(EVENTS "#job-init");
EXPORT(EVENTS "#job-run") uint8_t *bh__export_job_run(int32_t job) SYMBOL(EVENTS "#job-run");
EXPORT(EVENTS "#new-volume") uint8_t *bh__export_new_volume(int32_t job) SYMBOL(EVENTS "#new-volume");
EXPORT(EVENTS "#volume-purged") uint8_t *bh__export_volume_purged(int32_t job) SYMBOL(EVENTS "#volume-purged");
EXPORT(EVENTS "#job-end") uint8_t *bh__export_job_end(int32_t job) SYMBOL(EVENTS "#job-end");
EXPORT(EVENTS "#exit") uint8_t *bh__export_exit(void) SYMBOL(EVENTS "#exit");

uint8_t *bh__export_job_start(int32_t job) {
  bh__arena_reset();
  bh_err_t err = {false, {"", 0}};
  bh_job_events_t ev = bh_on_job_start((bh_job_t){job}, &err);
  wit_job_drop(job);
  uint8_t *ret = finish(&err);
  if (!err.failed) ret[4] = (uint8_t)(ev & BH_EVENTS_ALL);
  return ret;
}

#define JOB_EVENT_EXPORT(fn, handler)          \
  uint8_t *fn(int32_t job) {                   \
    bh__arena_reset();                         \
    bh_err_t err = {false, {"", 0}};           \
    handler((bh_job_t){job}, &err);            \
    wit_job_drop(job);                         \
    return finish(&err);                       \
  }

JOB_EVENT_EXPORT(bh__export_job_init, bh_on_job_init)
JOB_EVENT_EXPORT(bh__export_job_run, bh_on_job_run)
JOB_EVENT_EXPORT(bh__export_new_volume, bh_on_new_volume)
JOB_EVENT_EXPORT(bh__export_volume_purged, bh_on_volume_purged)
JOB_EVENT_EXPORT(bh__export_job_end, bh_on_job_end)

uint8_t *bh__export_exit(void) {
  bh__arena_reset();
  bh_err_t err = {false, {"", 0}};
  bh_on_exit(&err);
  return finish(&err);
}

/* Post-return: the host has read the result; nothing is freed one by one
 * (all of it is in the event arena), the arena is reclaimed. */
#define POST_RETURN(fn, name)                                                  \
  __attribute__((export_name("cabi_post_" name))) void fn(uint8_t *ret) SYMBOL("cabi_post_" name); \
  void fn(uint8_t *ret) {                                                      \
    (void)ret;                                                                 \
    bh__arena_reset();                                                         \
  }

POST_RETURN(bh__post_job_start, EVENTS "#job-start")
POST_RETURN(bh__post_job_init, EVENTS "#job-init")
POST_RETURN(bh__post_job_run, EVENTS "#job-run")
POST_RETURN(bh__post_new_volume, EVENTS "#new-volume")
POST_RETURN(bh__post_volume_purged, EVENTS "#volume-purged")
POST_RETURN(bh__post_job_end, EVENTS "#job-end")
POST_RETURN(bh__post_exit, EVENTS "#exit")

/* cabi_realloc(old_ptr, old_size, align, new_size): the host's allocations
 * (the strings it returns) come from the event arena. Every block gets one
 * more byte, set to NUL, after new_size: strings from the host arrive
 * NUL-terminated. Traps (with a reason) when memory is exhausted. */
__attribute__((export_name("cabi_realloc"))) void *cabi_realloc(void *old_ptr, size_t old_size, size_t align, size_t new_size);
void *cabi_realloc(void *old_ptr, size_t old_size, size_t align, size_t new_size) {
  if (old_ptr && new_size <= old_size) {
    ((char *)old_ptr)[new_size] = 0;
    return old_ptr;
  }
  char *p = bh__arena_alloc(new_size + 1, align ? align : 1);
  if (old_ptr && old_size) memcpy(p, old_ptr, old_size);
  p[new_size] = 0;
  return p;
}
