/*
 * bacula_hooks.h: the C kit for Bacula director hooks.
 *
 * A hook is a WebAssembly component of the WIT world bacula:hooks/hook@1.2.0
 * (hooks-sdk/wit/hooks.wit). This header is its whole C API: the job's
 * attributes and writes, the daemon's attributes, the director calls, the
 * diagnostics, the hook's own metrics, and the event handlers you implement
 * (bh_on_job_start, ...).
 * bacula_hooks.c holds the canonical-ABI glue; build.sh compiles both with
 * your hook and makes the component. See README.md in this folder.
 *
 * Memory rules, in short:
 *  - Every string the kit hands you (bh_str_t, or a const char * from
 *    bh_sprintf / bh_describe_*) lives in the EVENT ARENA: valid until your
 *    handler returns, never to be freed. Its .ptr is always NUL-terminated
 *    (the len excludes the NUL), so it can be printed with "%s".
 *  - What you keep between events (per-job state, counters) goes in static
 *    variables or in memory from bh_malloc (freed with bh_free).
 *  - A bh_job_t is valid only during the handler call that received it.
 *
 * No libc: the kit provides the few functions a hook needs (formatting,
 * strings, allocation) and the mem and str functions the compiler may call.
 */
#ifndef BACULA_HOOKS_H
#define BACULA_HOOKS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The sha256 of the hooks.wit this kit's glue was written for. A test checks
 * it against hooks-sdk/wit/hooks.wit: whoever changes the WIT updates the
 * glue in bacula_hooks.c and this hash. build.sh warns on a mismatch. */
#define BACULA_HOOKS_WIT_SHA256 "93efbdbdba6e97f3381f6d5149cadd5857997a31872fafc946bc18a4e5f61c4e"
#define BACULA_HOOKS_WORLD "bacula:hooks/hook@1.2.0"

#if defined(__GNUC__) || defined(__clang__)
#define BH_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#define BH_NORETURN __attribute__((noreturn))
#else
#define BH_PRINTF(fmt_index, first_arg)
#define BH_NORETURN
#endif

/* ------------------------------------------------------------------------ */
/* Strings                                                                  */
/* ------------------------------------------------------------------------ */

/** A string from the host: UTF-8 bytes, len without the terminating NUL.
 *  ptr is never NULL and ptr[len] == '\0'. Lives in the event arena. */
typedef struct bh_str {
  const char *ptr;
  size_t len;
} bh_str_t;

/** A bh_str_t viewing a C string (no copy). */
bh_str_t bh_str(const char *s);
/** Whether s equals the C string c (byte for byte). */
bool bh_str_eq(bh_str_t s, const char *c);
/** Whether s starts with the C string prefix. */
bool bh_str_starts_with(bh_str_t s, const char *prefix);

/* ------------------------------------------------------------------------ */
/* Types (interface bacula:hooks/types). Values equal the WIT case index.   */
/* ------------------------------------------------------------------------ */

/** Bacula: Level. */
typedef enum bh_level {
  BH_LEVEL_FULL = 0,                      /* 'F' full */
  BH_LEVEL_INCREMENTAL = 1,               /* 'I' incremental */
  BH_LEVEL_DIFFERENTIAL = 2,              /* 'D' differential */
  BH_LEVEL_SINCE = 3,                     /* 'S' since */
  BH_LEVEL_VERIFY_CATALOG = 4,            /* 'C' verify-catalog */
  BH_LEVEL_VERIFY_INIT = 5,               /* 'V' verify-init */
  BH_LEVEL_VERIFY_VOLUME_TO_CATALOG = 6,  /* 'O' verify-volume-to-catalog */
  BH_LEVEL_VERIFY_DISK_TO_CATALOG = 7,    /* 'd' verify-disk-to-catalog */
  BH_LEVEL_VERIFY_DATA = 8,               /* 'A' verify-data */
  BH_LEVEL_BASE = 9,                      /* 'B' base */
  BH_LEVEL_VIRTUAL_FULL = 10,             /* 'f' virtual-full */
  BH_LEVEL_NONE = 11,                     /* ' ' none */
} bh_level_t;
#define BH_LEVEL_COUNT 12

/** Bacula: Type. */
typedef enum bh_job_type {
  BH_JOB_TYPE_BACKUP = 0,       /* 'B' backup */
  BH_JOB_TYPE_MIGRATED_JOB = 1, /* 'M' migrated-job */
  BH_JOB_TYPE_VERIFY = 2,       /* 'V' verify */
  BH_JOB_TYPE_RESTORE = 3,      /* 'R' restore */
  BH_JOB_TYPE_CONSOLE = 4,      /* 'U' console */
  BH_JOB_TYPE_SYSTEM = 5,       /* 'I' system */
  BH_JOB_TYPE_ADMIN = 6,        /* 'D' admin */
  BH_JOB_TYPE_ARCHIVE = 7,      /* 'A' archive */
  BH_JOB_TYPE_JOB_COPY = 8,     /* 'C' job-copy */
  BH_JOB_TYPE_COPY = 9,         /* 'c' copy */
  BH_JOB_TYPE_MIGRATE = 10,     /* 'g' migrate */
  BH_JOB_TYPE_SCAN = 11,        /* 'S' scan */
  BH_JOB_TYPE_CONSOLIDATE = 12, /* 'O' consolidate */
} bh_job_type_t;
#define BH_JOB_TYPE_COUNT 13

/** Bacula: JobStatus (also FDJobStatus, SDJobStatus). */
typedef enum bh_job_status {
  BH_STATUS_CREATED = 0,                  /* 'C' created */
  BH_STATUS_RUNNING = 1,                  /* 'R' running */
  BH_STATUS_BLOCKED = 2,                  /* 'B' blocked */
  BH_STATUS_TERMINATED = 3,               /* 'T' terminated */
  BH_STATUS_TERMINATED_WITH_WARNINGS = 4, /* 'W' terminated-with-warnings */
  BH_STATUS_ERROR_TERMINATED = 5,         /* 'E' error-terminated */
  BH_STATUS_NON_FATAL_ERROR = 6,          /* 'e' non-fatal-error */
  BH_STATUS_FATAL_ERROR = 7,              /* 'f' fatal-error */
  BH_STATUS_DIFFERENCES = 8,              /* 'D' differences */
  BH_STATUS_CANCELED = 9,                 /* 'A' canceled */
  BH_STATUS_INCOMPLETE = 10,              /* 'I' incomplete */
  BH_STATUS_COMMITTING = 11,              /* 'L' committing */
  BH_STATUS_WAIT_FD = 12,                 /* 'F' wait-fd */
  BH_STATUS_WAIT_SD = 13,                 /* 'S' wait-sd */
  BH_STATUS_WAIT_MEDIA = 14,              /* 'm' wait-media */
  BH_STATUS_WAIT_MOUNT = 15,              /* 'M' wait-mount */
  BH_STATUS_WAIT_STORAGE_RESOURCE = 16,   /* 's' wait-storage-resource */
  BH_STATUS_WAIT_JOB_RESOURCE = 17,       /* 'j' wait-job-resource */
  BH_STATUS_WAIT_CLIENT_RESOURCE = 18,    /* 'c' wait-client-resource */
  BH_STATUS_WAIT_MAX_JOBS = 19,           /* 'd' wait-max-jobs */
  BH_STATUS_WAIT_START_TIME = 20,         /* 't' wait-start-time */
  BH_STATUS_WAIT_PRIORITY = 21,           /* 'p' wait-priority */
  BH_STATUS_WAIT_DEVICE = 22,             /* 'q' wait-device */
  BH_STATUS_DESPOOLING_ATTRIBUTES = 23,   /* 'a' despooling-attributes */
  BH_STATUS_BATCH_INSERT = 24,            /* 'i' batch-insert */
  BH_STATUS_DESPOOLING_DATA = 25,         /* 'l' despooling-data */
} bh_job_status_t;
#define BH_JOB_STATUS_COUNT 26

/** Bacula: the Database Vendor of CatalogRes. */
typedef enum bh_catalog_vendor {
  BH_VENDOR_MYSQL = 0,
  BH_VENDOR_POSTGRESQL = 1,
  BH_VENDOR_SQLITE = 2,
  BH_VENDOR_INTERNAL = 3,
} bh_catalog_vendor_t;
#define BH_CATALOG_VENDOR_COUNT 4

/** WIT names ("incremental", "terminated-with-warnings", ...); "?" when out of range. */
const char *bh_level_name(bh_level_t level);
const char *bh_job_type_name(bh_job_type_t type);
const char *bh_job_status_name(bh_job_status_t status);
const char *bh_catalog_vendor_name(bh_catalog_vendor_t vendor);
/** Bacula's one-character catalog codes ('I', 'B', 'T', ...); '?' when out of range. */
char bh_level_code(bh_level_t level);
char bh_job_type_code(bh_job_type_t type);
char bh_job_status_code(bh_job_status_t status);
/** From a WIT name back to the value: true and *out set when the name is known. */
bool bh_level_from_name(const char *name, bh_level_t *out);
bool bh_job_status_from_name(const char *name, bh_job_status_t *out);

/** Bacula: CatalogRes. Strings in the event arena. */
typedef struct bh_catalog_res {
  bh_str_t db_name;
  bh_str_t address;
  bh_str_t user;
  bool has_password; /* only when the hook was granted the catalog password */
  bh_str_t password; /* "" when !has_password */
  bh_str_t socket;
  uint32_t port;
  bh_catalog_vendor_t vendor;
} bh_catalog_res_t;

/** WIT flags job-events: what bh_on_job_start returns. */
typedef uint32_t bh_job_events_t;
#define BH_EVENT_JOB_INIT ((bh_job_events_t)1u << 0)      /* JobInit */
#define BH_EVENT_JOB_RUN ((bh_job_events_t)1u << 1)       /* JobRun */
#define BH_EVENT_NEW_VOLUME ((bh_job_events_t)1u << 2)    /* NewVolume */
#define BH_EVENT_VOLUME_PURGED ((bh_job_events_t)1u << 3) /* VolumePurged */
#define BH_EVENTS_NONE ((bh_job_events_t)0)
#define BH_EVENTS_ALL ((bh_job_events_t)0xF)

/** WIT variant write-error: why a write to the job was refused. */
typedef enum bh_write_error_tag {
  BH_WRITE_WRONG_TIME = 0,   /* "wrong-time": not allowed at this event */
  BH_WRITE_OUT_OF_RANGE = 1, /* "out-of-range": bad value */
} bh_write_error_tag_t;
typedef struct bh_write_error {
  bh_write_error_tag_t tag;
  bh_str_t message;
} bh_write_error_t;
/** WIT result<_, write-error>. */
typedef struct bh_write_result {
  bool ok;
  bh_write_error_t error; /* meaningful when !ok */
} bh_write_result_t;

/** WIT variant director-error: why a director call failed. */
typedef enum bh_director_error_tag {
  BH_DIRECTOR_NO_DIRECTOR_SESSION = 0, /* "no-director-session": nobody can answer (unary dispatch) */
  BH_DIRECTOR_REFUSED = 1,             /* "refused": message = the director's */
  BH_DIRECTOR_TIMED_OUT = 2,           /* "timed-out" */
  BH_DIRECTOR_UNAVAILABLE = 3,         /* "unavailable": message says why */
} bh_director_error_tag_t;
typedef struct bh_director_error {
  bh_director_error_tag_t tag;
  bh_str_t message; /* "" for no-director-session and timed-out */
} bh_director_error_t;
/** WIT result<u32, director-error> of run. */
typedef struct bh_run_result {
  bool ok;
  uint32_t job_id; /* the new JobId, when ok */
  bh_director_error_t error;
} bh_run_result_t;
/** WIT result<_, director-error> of cancel. */
typedef struct bh_cancel_result {
  bool ok;
  bh_director_error_t error;
} bh_cancel_result_t;
/** WIT result<bool, director-error> of does-volume-exist. */
typedef struct bh_exists_result {
  bool ok;
  bool exists; /* when ok */
  bh_director_error_t error;
} bh_exists_result_t;

/** "wrong-time" / "out-of-range"; "no-director-session" / "refused" / "timed-out" / "unavailable". */
const char *bh_write_error_tag_name(bh_write_error_tag_t tag);
const char *bh_director_error_tag_name(bh_director_error_tag_t tag);
/** "<tag>: <message>" (write errors); "<tag>" or "<tag>: <message>" (director
 *  errors: the message only for refused and unavailable). Event arena. */
const char *bh_describe_write_error(bh_write_error_t e);
const char *bh_describe_director_error(bh_director_error_t e);

/* ------------------------------------------------------------------------ */
/* The job (interface bacula:hooks/job, resource job)                       */
/* ------------------------------------------------------------------------ */

/** A borrowed handle of the event's job. Valid only during the handler call. */
typedef struct bh_job {
  int32_t handle;
} bh_job_t;

bh_job_type_t bh_job_job_type(bh_job_t job);  /* Type */
uint32_t bh_job_job_id(bh_job_t job);         /* JobId */
bh_str_t bh_job_client(bh_job_t job);         /* Client */
uint32_t bh_job_num_vols(bh_job_t job);       /* NumVols */
bh_str_t bh_job_pool(bh_job_t job);           /* Pool */
bh_str_t bh_job_storage(bh_job_t job);        /* Storage */
bh_str_t bh_job_write_storage(bh_job_t job);  /* write storage */
bh_str_t bh_job_read_storage(bh_job_t job);   /* read storage */
bh_str_t bh_job_catalog(bh_job_t job);        /* Catalog (resource name) */
bh_str_t bh_job_media_type(bh_job_t job);     /* MediaType */
bh_str_t bh_job_name(bh_job_t job);           /* Job (resource name) */
bh_str_t bh_job_job_name(bh_job_t job);       /* JobName (unique run name) */
bh_job_status_t bh_job_status(bh_job_t job);  /* JobStatus */
uint32_t bh_job_priority(bh_job_t job);       /* Priority */
bh_level_t bh_job_level(bh_job_t job);        /* Level */
/** CatalogRes: false when the director sent none (then *out is zeroed). */
bool bh_job_catalog_res(bh_job_t job, bh_catalog_res_t *out);
bh_str_t bh_job_volume_name(bh_job_t job);    /* VolumeName */
uint32_t bh_job_job_errors(bh_job_t job);     /* JobErrors */
uint64_t bh_job_job_files(bh_job_t job);      /* JobFiles */
uint64_t bh_job_job_bytes(bh_job_t job);      /* JobBytes */
uint64_t bh_job_read_bytes(bh_job_t job);     /* ReadBytes */
uint64_t bh_job_sd_job_files(bh_job_t job);   /* SDJobFiles */
uint32_t bh_job_sd_errors(bh_job_t job);      /* SDErrors */
/** FDJobStatus / SDJobStatus: false while absent (the daemon did not report yet). */
bool bh_job_fd_job_status(bh_job_t job, bh_job_status_t *out);
bool bh_job_sd_job_status(bh_job_t job, bh_job_status_t *out);
uint64_t bh_job_sched_time(bh_job_t job);     /* SchedTime, epoch seconds, 0 = unknown */
uint64_t bh_job_since_time(bh_job_t job);     /* since time, epoch seconds, 0 = none */

/** Priority = n: 1..100, only at JobStart, JobInit, JobRun. */
bh_write_result_t bh_job_set_priority(bh_job_t job, uint32_t priority);
/** Level = x: only during JobInit. */
bh_write_result_t bh_job_set_level(bh_job_t job, bh_level_t level);
/** VolumeName = name: only during NewVolume; not empty, at most 127 bytes. */
bh_write_result_t bh_job_set_volume_name(bh_job_t job, const char *name);
bh_write_result_t bh_job_set_volume_name_str(bh_job_t job, bh_str_t name);
/** JobReport = line: a line into the job's report. */
void bh_job_write_report(bh_job_t job, const char *line);
void bh_job_write_report_str(bh_job_t job, bh_str_t line);
/** A formatted report line (bh_sprintf's format). */
void bh_job_reportf(bh_job_t job, const char *fmt, ...) BH_PRINTF(2, 3);

/* ------------------------------------------------------------------------ */
/* The daemon (interface bacula:hooks/daemon)                               */
/* ------------------------------------------------------------------------ */

bh_str_t bh_daemon_name(void);        /* Name */
bh_str_t bh_daemon_config_file(void); /* ConfigFile */
bh_str_t bh_daemon_working_dir(void); /* WorkingDir */
bh_str_t bh_daemon_version(void);     /* Version, "Version Build-date" */

/* ------------------------------------------------------------------------ */
/* The director (interface bacula:hooks/director). The hook waits.          */
/* ------------------------------------------------------------------------ */

/** job.run(command): a console run command; the new JobId. */
bh_run_result_t bh_director_run(const char *command);
/** job.cancel(jobid). */
bh_cancel_result_t bh_director_cancel(uint32_t job_id);
/** job.DoesVolumeExist(name): whether the volume is in the catalog. */
bh_exists_result_t bh_director_does_volume_exist(const char *name);

/* ------------------------------------------------------------------------ */
/* Diagnostics and traps (interface bacula:hooks/diagnostics)               */
/* ------------------------------------------------------------------------ */

/** Gives the host the reason (diagnostics.trap-reason), then traps: the
 *  event fails with "trap: <reason> (...)" and a wasm backtrace, and the
 *  instance is dropped (the next event gets a fresh one, with empty memory).
 *  For "this event failed", return an error instead (bh_fail). */
BH_NORETURN void bh_trap(const char *reason);
BH_NORETURN void bh_trapf(const char *fmt, ...) BH_PRINTF(1, 2);
/** Traps with "assertion failed: <expr> (<file>:<line>)" when cond is false. */
#define BH_ASSERT(cond) \
  ((cond) ? (void)0 : bh__assert_failed(#cond, __FILE__, __LINE__))
BH_NORETURN void bh__assert_failed(const char *expr, const char *file, int line);

/* ------------------------------------------------------------------------ */
/* Metrics (interface bacula:hooks/metrics, since 1.2.0)                    */
/* ------------------------------------------------------------------------ */

/*
 * The hook's own metrics, on the service's /metrics endpoint as
 * hook_<name>{tenant="...", hook="...", <labels>}: the service adds the tenant
 * and hook labels. Bounded per hook: 20 metric names, 10 labels per metric,
 * 100 series per metric; names and label keys [a-z_][a-z0-9_]* (at most 64
 * characters), label values at most 128 bytes. A refused write records
 * nothing and returns the reason; it never traps.
 *
 *   bh_label_t l[] = {{"job", bh_job_name(job).ptr}, {"level", "full"}};
 *   bh_metric_result_t r = bh_metrics_counter_add("job_bytes_total", l, 2, (double)bh_job_job_bytes(job));
 *   if (!r.ok) bh_job_reportf(job, "metric refused: %s", bh_describe_metric_error(r.error));
 */
typedef struct bh_label {
  const char *key;
  const char *value;
} bh_label_t;

/** WIT variant metric-error: why a metric write was refused. */
typedef enum bh_metric_error_tag {
  BH_METRIC_INVALID_NAME = 0,  /* "invalid-name": bad or reserved name or label key */
  BH_METRIC_INVALID_VALUE = 1, /* "invalid-value": NaN, infinite, a negative counter step, a long label value, bad buckets */
  BH_METRIC_CONFLICT = 2,      /* "conflict": the name is a metric of another kind, labels or buckets */
  BH_METRIC_LIMIT_REACHED = 3, /* "limit-reached": 20 metrics, 10 labels, 100 series per metric */
} bh_metric_error_tag_t;
typedef struct bh_metric_error {
  bh_metric_error_tag_t tag;
  bh_str_t message;
} bh_metric_error_t;
/** WIT result<_, metric-error>. */
typedef struct bh_metric_result {
  bool ok;
  bh_metric_error_t error; /* meaningful when !ok */
} bh_metric_result_t;

/** Adds delta (finite, >= 0) to a counter. */
bh_metric_result_t bh_metrics_counter_add(const char *name, const bh_label_t *labels, size_t n_labels, double delta);
/** Sets a gauge. */
bh_metric_result_t bh_metrics_gauge_set(const char *name, const bh_label_t *labels, size_t n_labels, double value);
/** A histogram's bucket upper bounds (increasing, 1 to 30), before its first
 *  observation; default 0.005 ... 10 (Prometheus'). */
bh_metric_result_t bh_metrics_histogram_buckets(const char *name, const double *bounds, size_t n_bounds);
/** Observes one value into a histogram. */
bh_metric_result_t bh_metrics_histogram_observe(const char *name, const bh_label_t *labels, size_t n_labels, double value);
/** "invalid-name" / "invalid-value" / "conflict" / "limit-reached". */
const char *bh_metric_error_tag_name(bh_metric_error_tag_t tag);
/** "<tag>: <message>". Event arena. */
const char *bh_describe_metric_error(bh_metric_error_t e);

/* ------------------------------------------------------------------------ */
/* The event handlers you implement (interface bacula:hooks/events)         */
/* ------------------------------------------------------------------------ */

/** Where a handler puts its failure: set it with bh_fail / bh_failf. A failed
 *  handler's event outcome is "failed" with this message (the WIT err(string));
 *  the writes it made during the event are not applied. */
typedef struct bh_err {
  bool failed;
  bh_str_t message;
} bh_err_t;

/** Marks the event failed with this message (copied into the event arena);
 *  then return from the handler. A later call replaces the message. */
void bh_fail(bh_err_t *err, const char *message);
void bh_failf(bh_err_t *err, const char *fmt, ...) BH_PRINTF(2, 3);

/*
 * Implement the ones you need; the kit has a default for each (a no-op;
 * bh_on_job_start's default subscribes to nothing).
 *
 *   JobStart (daemon event): return the job events wanted for this job.
 *   JobInit, JobRun, NewVolume, VolumePurged: job events, only if subscribed.
 *   JobEnd (daemon event): always delivered.  Exit: the director shuts down.
 */
bh_job_events_t bh_on_job_start(bh_job_t job, bh_err_t *err);
void bh_on_job_init(bh_job_t job, bh_err_t *err);
void bh_on_job_run(bh_job_t job, bh_err_t *err);
void bh_on_new_volume(bh_job_t job, bh_err_t *err);
void bh_on_volume_purged(bh_job_t job, bh_err_t *err);
void bh_on_job_end(bh_job_t job, bh_err_t *err);
void bh_on_exit(bh_err_t *err);

/* ------------------------------------------------------------------------ */
/* Memory                                                                   */
/* ------------------------------------------------------------------------ */

/** Event arena: size bytes, 8-aligned, uninitialised; reclaimed when the
 *  next event starts. Never NULL (traps when memory is exhausted). */
void *bh_alloc(size_t size);
/** A NUL-terminated copy of s in the event arena. */
const char *bh_strdup(bh_str_t s);

/** Persistent heap: lives until bh_free (or the instance ends). NULL when
 *  memory is exhausted. bh_realloc(NULL, n) = bh_malloc(n); bh_free(NULL) is a no-op. */
void *bh_malloc(size_t size);
void *bh_calloc(size_t count, size_t size);
void *bh_realloc(void *ptr, size_t size);
void bh_free(void *ptr);
/** A NUL-terminated persistent copy (bh_free it). NULL when out of memory. */
char *bh_strdup_persistent(bh_str_t s);

/* ------------------------------------------------------------------------ */
/* Formatting                                                               */
/* ------------------------------------------------------------------------ */

/*
 * printf subset: %d %i %u %x %X %o %c %s %p %%, flags '-' '0' '+' ' ',
 * width and precision (also '*'), lengths hh h l ll z j t.
 * On wasm32: uint32_t is unsigned int (%u), uint64_t is unsigned long long
 * (%llu), size_t is unsigned long (%zu). A bh_str_t prints with "%s" and
 * its .ptr, or "%.*s" with (int)s.len, s.ptr.
 */
/** A formatted string in the event arena. */
const char *bh_sprintf(const char *fmt, ...) BH_PRINTF(1, 2);
const char *bh_vsprintf(const char *fmt, va_list ap);
/** Like snprintf: writes at most size bytes (NUL included) into buf; returns
 *  the length the whole output would have. */
int bh_snprintf(char *buf, size_t size, const char *fmt, ...) BH_PRINTF(3, 4);
int bh_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* The libc functions the compiler may emit calls to, and a few more. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* BACULA_HOOKS_H */
