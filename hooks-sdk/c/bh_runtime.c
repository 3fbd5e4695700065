/*
 * The C kit's runtime: memory (pages, the event arena, the persistent heap),
 * strings, enum names, formatting, traps, and the default event handlers.
 * No libc: this is all a hook has.
 */
#include "bh_internal.h"

/* ------------------------------------------------------------------------ */
/* Pages: linear memory past the data and the stack, grown on demand.       */
/* ------------------------------------------------------------------------ */

extern unsigned char __heap_base; /* from wasm-ld: the first free byte */

#define PAGE 65536u
static uintptr_t heap_top;

static uintptr_t align_up(uintptr_t v, uintptr_t a) { return (v + a - 1) & ~(a - 1); }

/* size bytes (16-aligned) of fresh memory, or NULL when memory cannot grow. */
static void *pages_take(size_t size) {
  if (!heap_top) heap_top = align_up((uintptr_t)&__heap_base, 16);
  uintptr_t start = heap_top;
  uintptr_t end = start + align_up(size, 16);
  if (end < start) return NULL;
  uintptr_t have = (uintptr_t)__builtin_wasm_memory_size(0) * PAGE;
  if (end > have) {
    size_t grow = (size_t)((end - have + PAGE - 1) / PAGE);
    if (__builtin_wasm_memory_grow(0, grow) == (size_t)-1) return NULL;
  }
  heap_top = end;
  return (void *)start;
}

/* ------------------------------------------------------------------------ */
/* The event arena: chunks of at least 64 KiB, kept and reused.             */
/* ------------------------------------------------------------------------ */

typedef struct chunk {
  struct chunk *next;
  size_t cap;  /* bytes of data */
  size_t used; /* bytes of data in use */
  size_t pad;  /* keeps data 16-aligned */
} chunk_t;

#define CHUNK_MIN (64u * 1024u)
static chunk_t *arena_first, *arena_cur;

static inline uint8_t *chunk_data(chunk_t *c) { return (uint8_t *)(c + 1); }

void *bh__arena_alloc(size_t size, size_t align) {
  if (align < 8) align = 8;
  for (chunk_t *c = arena_cur; c; c = c->next) {
    uintptr_t base = (uintptr_t)chunk_data(c);
    uintptr_t p = align_up(base + c->used, align);
    if (p >= base && p - base <= c->cap && size <= c->cap - (p - base)) {
      c->used = (p - base) + size;
      arena_cur = c;
      return (void *)p;
    }
  }
  size_t want = size + align;
  if (want < size) bh_trap("out of memory: event arena allocation too large");
  if (want < CHUNK_MIN) want = CHUNK_MIN;
  chunk_t *c = pages_take(sizeof(chunk_t) + want);
  if (!c) bh_trapf("out of memory: event arena cannot grow by %zu bytes", want);
  c->next = NULL;
  c->cap = want;
  c->used = 0;
  if (!arena_first) arena_first = c;
  else {
    chunk_t *last = arena_cur ? arena_cur : arena_first;
    while (last->next) last = last->next;
    last->next = c;
  }
  arena_cur = c;
  return bh__arena_alloc(size, align);
}

void bh__arena_reset(void) {
  for (chunk_t *c = arena_first; c; c = c->next) c->used = 0;
  arena_cur = arena_first;
}

void *bh_alloc(size_t size) { return bh__arena_alloc(size, 8); }

const char *bh_strdup(bh_str_t s) {
  char *p = bh__arena_alloc(s.len + 1, 1);
  if (s.len) memcpy(p, s.ptr, s.len);
  p[s.len] = 0;
  return p;
}

bh_str_t bh__str_of(const char *ptr, size_t len) {
  if (len == 0 || !ptr) return (bh_str_t){"", 0};
  if (ptr[len] != 0) return (bh_str_t){bh_strdup((bh_str_t){ptr, len}), len};
  return (bh_str_t){ptr, len};
}

/* ------------------------------------------------------------------------ */
/* The persistent heap: an address-ordered free list, first fit, coalescing. */
/* ------------------------------------------------------------------------ */

typedef struct block {
  size_t size;        /* whole block, header included; a multiple of 8 */
  struct block *next; /* free blocks only */
} block_t;

#define HDR 8u       /* the header of a block in use: its size (and padding) */
#define MIN_BLOCK 16u
#define HEAP_GROW (64u * 1024u)
static block_t *free_list;

static void heap_insert(block_t *b) {
  block_t *prev = NULL, *cur = free_list;
  while (cur && cur < b) prev = cur, cur = cur->next;
  b->next = cur;
  if (cur && (uint8_t *)b + b->size == (uint8_t *)cur) b->size += cur->size, b->next = cur->next;
  if (prev && (uint8_t *)prev + prev->size == (uint8_t *)b) prev->size += b->size, prev->next = b->next;
  else if (prev) prev->next = b;
  else free_list = b;
}

void *bh_malloc(size_t size) {
  if (size > (size_t)-1 - HDR - 16) return NULL;
  size_t need = align_up(size + HDR, 8);
  if (need < MIN_BLOCK) need = MIN_BLOCK;
  for (int pass = 0; pass < 2; pass++) {
    block_t *prev = NULL;
    for (block_t *b = free_list; b; prev = b, b = b->next) {
      if (b->size < need) continue;
      if (b->size - need >= MIN_BLOCK) {
        block_t *rest = (block_t *)((uint8_t *)b + need);
        rest->size = b->size - need;
        rest->next = b->next;
        b->size = need;
        if (prev) prev->next = rest; else free_list = rest;
      } else if (prev) prev->next = b->next;
      else free_list = b->next;
      return (uint8_t *)b + HDR;
    }
    if (pass) break;
    size_t grow = need < HEAP_GROW ? HEAP_GROW : align_up(need, 16);
    block_t *fresh = pages_take(grow);
    if (!fresh) return NULL;
    fresh->size = grow;
    heap_insert(fresh);
  }
  return NULL;
}

void bh_free(void *ptr) {
  if (!ptr) return;
  heap_insert((block_t *)((uint8_t *)ptr - HDR));
}

void *bh_calloc(size_t count, size_t size) {
  if (size && count > (size_t)-1 / size) return NULL;
  void *p = bh_malloc(count * size);
  if (p) memset(p, 0, count * size);
  return p;
}

void *bh_realloc(void *ptr, size_t size) {
  if (!ptr) return bh_malloc(size);
  size_t have = ((block_t *)((uint8_t *)ptr - HDR))->size - HDR;
  if (size <= have) return ptr;
  void *p = bh_malloc(size);
  if (!p) return NULL;
  memcpy(p, ptr, have);
  bh_free(ptr);
  return p;
}

char *bh_strdup_persistent(bh_str_t s) {
  char *p = bh_malloc(s.len + 1);
  if (!p) return NULL;
  if (s.len) memcpy(p, s.ptr, s.len);
  p[s.len] = 0;
  return p;
}

/* ------------------------------------------------------------------------ */
/* libc bits. LLVM does not turn the loops in functions named memcpy/memset  */
/* into calls to themselves.                                                */
/* ------------------------------------------------------------------------ */

void *memcpy(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if (d < s) while (n--) *d++ = *s++;
  else if (d > s) while (n--) d[n] = s[n];
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  while (n--) *d++ = (uint8_t)c;
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const uint8_t *x = a, *y = b;
  for (; n; n--, x++, y++) if (*x != *y) return *x - *y;
  return 0;
}

/* LLVM may turn memcmp(...) == 0 into bcmp. */
int bcmp(const void *a, const void *b, size_t n);
int bcmp(const void *a, const void *b, size_t n) { return memcmp(a, b, n); }

size_t strlen(const char *s) {
  const char *p = s;
  while (*p) p++;
  return (size_t)(p - s);
}

int strcmp(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n) {
  for (; n; n--, a++, b++) {
    if (*a != *b) return (uint8_t)*a - (uint8_t)*b;
    if (!*a) return 0;
  }
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Strings                                                                  */
/* ------------------------------------------------------------------------ */

bh_str_t bh_str(const char *s) {
  if (!s) return (bh_str_t){"", 0};
  return (bh_str_t){s, strlen(s)};
}

bool bh_str_eq(bh_str_t s, const char *c) {
  size_t n = c ? strlen(c) : 0;
  return s.len == n && (n == 0 || memcmp(s.ptr, c, n) == 0);
}

bool bh_str_starts_with(bh_str_t s, const char *prefix) {
  size_t n = prefix ? strlen(prefix) : 0;
  return s.len >= n && (n == 0 || memcmp(s.ptr, prefix, n) == 0);
}

/* ------------------------------------------------------------------------ */
/* Enum names: the WIT case names, in case order.                           */
/* ------------------------------------------------------------------------ */

static const char *const LEVEL_NAMES[BH_LEVEL_COUNT] = {
  "full", "incremental", "differential", "since", "verify-catalog", "verify-init",
  "verify-volume-to-catalog", "verify-disk-to-catalog", "verify-data", "base", "virtual-full", "none",
};
static const char LEVEL_CODES[BH_LEVEL_COUNT] = {'F', 'I', 'D', 'S', 'C', 'V', 'O', 'd', 'A', 'B', 'f', ' '};

static const char *const JOB_TYPE_NAMES[BH_JOB_TYPE_COUNT] = {
  "backup", "migrated-job", "verify", "restore", "console", "system", "admin",
  "archive", "job-copy", "copy", "migrate", "scan", "consolidate",
};
static const char JOB_TYPE_CODES[BH_JOB_TYPE_COUNT] = {'B', 'M', 'V', 'R', 'U', 'I', 'D', 'A', 'C', 'c', 'g', 'S', 'O'};

static const char *const JOB_STATUS_NAMES[BH_JOB_STATUS_COUNT] = {
  "created", "running", "blocked", "terminated", "terminated-with-warnings", "error-terminated",
  "non-fatal-error", "fatal-error", "differences", "canceled", "incomplete", "committing",
  "wait-fd", "wait-sd", "wait-media", "wait-mount", "wait-storage-resource", "wait-job-resource",
  "wait-client-resource", "wait-max-jobs", "wait-start-time", "wait-priority", "wait-device",
  "despooling-attributes", "batch-insert", "despooling-data",
};
static const char JOB_STATUS_CODES[BH_JOB_STATUS_COUNT] = {
  'C', 'R', 'B', 'T', 'W', 'E', 'e', 'f', 'D', 'A', 'I', 'L', 'F',
  'S', 'm', 'M', 's', 'j', 'c', 'd', 't', 'p', 'q', 'a', 'i', 'l',
};

static const char *const VENDOR_NAMES[BH_CATALOG_VENDOR_COUNT] = {"mysql", "postgresql", "sqlite", "internal"};

#define NAME_OF(table, count, v) ((unsigned)(v) < (count) ? (table)[(unsigned)(v)] : "?")
#define CODE_OF(table, count, v) ((unsigned)(v) < (count) ? (table)[(unsigned)(v)] : '?')

const char *bh_level_name(bh_level_t level) { return NAME_OF(LEVEL_NAMES, BH_LEVEL_COUNT, level); }
const char *bh_job_type_name(bh_job_type_t type) { return NAME_OF(JOB_TYPE_NAMES, BH_JOB_TYPE_COUNT, type); }
const char *bh_job_status_name(bh_job_status_t status) { return NAME_OF(JOB_STATUS_NAMES, BH_JOB_STATUS_COUNT, status); }
const char *bh_catalog_vendor_name(bh_catalog_vendor_t vendor) { return NAME_OF(VENDOR_NAMES, BH_CATALOG_VENDOR_COUNT, vendor); }
char bh_level_code(bh_level_t level) { return CODE_OF(LEVEL_CODES, BH_LEVEL_COUNT, level); }
char bh_job_type_code(bh_job_type_t type) { return CODE_OF(JOB_TYPE_CODES, BH_JOB_TYPE_COUNT, type); }
char bh_job_status_code(bh_job_status_t status) { return CODE_OF(JOB_STATUS_CODES, BH_JOB_STATUS_COUNT, status); }

static bool find_name(const char *const *table, unsigned count, const char *name, unsigned *out) {
  for (unsigned i = 0; name && i < count; i++) {
    if (strcmp(table[i], name) == 0) {
      *out = i;
      return true;
    }
  }
  return false;
}

bool bh_level_from_name(const char *name, bh_level_t *out) {
  unsigned i;
  if (!find_name(LEVEL_NAMES, BH_LEVEL_COUNT, name, &i)) return false;
  if (out) *out = (bh_level_t)i;
  return true;
}

bool bh_job_status_from_name(const char *name, bh_job_status_t *out) {
  unsigned i;
  if (!find_name(JOB_STATUS_NAMES, BH_JOB_STATUS_COUNT, name, &i)) return false;
  if (out) *out = (bh_job_status_t)i;
  return true;
}

const char *bh_write_error_tag_name(bh_write_error_tag_t tag) {
  switch (tag) {
    case BH_WRITE_WRONG_TIME: return "wrong-time";
    case BH_WRITE_OUT_OF_RANGE: return "out-of-range";
  }
  return "?";
}

const char *bh_director_error_tag_name(bh_director_error_tag_t tag) {
  switch (tag) {
    case BH_DIRECTOR_NO_DIRECTOR_SESSION: return "no-director-session";
    case BH_DIRECTOR_REFUSED: return "refused";
    case BH_DIRECTOR_TIMED_OUT: return "timed-out";
    case BH_DIRECTOR_UNAVAILABLE: return "unavailable";
  }
  return "?";
}

const char *bh_describe_write_error(bh_write_error_t e) {
  return bh_sprintf("%s: %.*s", bh_write_error_tag_name(e.tag), (int)e.message.len, e.message.ptr);
}

const char *bh_metric_error_tag_name(bh_metric_error_tag_t tag) {
  switch (tag) {
    case BH_METRIC_INVALID_NAME: return "invalid-name";
    case BH_METRIC_INVALID_VALUE: return "invalid-value";
    case BH_METRIC_CONFLICT: return "conflict";
    case BH_METRIC_LIMIT_REACHED: return "limit-reached";
  }
  return "?";
}

const char *bh_describe_metric_error(bh_metric_error_t e) {
  return bh_sprintf("%s: %.*s", bh_metric_error_tag_name(e.tag), (int)e.message.len, e.message.ptr);
}

const char *bh_describe_director_error(bh_director_error_t e) {
  if (e.tag == BH_DIRECTOR_REFUSED || e.tag == BH_DIRECTOR_UNAVAILABLE) {
    return bh_sprintf("%s: %.*s", bh_director_error_tag_name(e.tag), (int)e.message.len, e.message.ptr);
  }
  return bh_director_error_tag_name(e.tag);
}

/* ------------------------------------------------------------------------ */
/* Formatting                                                               */
/* ------------------------------------------------------------------------ */

typedef struct {
  char *buf;
  size_t cap; /* bytes of buf usable for characters (the NUL excluded) */
  size_t len; /* characters produced, written or not */
} sink_t;

static void put(sink_t *s, char c) {
  if (s->len < s->cap) s->buf[s->len] = c;
  s->len++;
}

static void put_n(sink_t *s, char c, int n) {
  while (n-- > 0) put(s, c);
}

enum { F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8 };

static void put_number(sink_t *s, unsigned long long v, bool negative, unsigned base, bool upper,
                       int flags, int width, int precision) {
  char digits[24];
  int n = 0;
  const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  if (v == 0 && precision != 0) digits[n++] = '0';
  while (v) digits[n++] = set[v % base], v /= base;
  char sign = negative ? '-' : (flags & F_PLUS) ? '+' : (flags & F_SPACE) ? ' ' : 0;
  int zeros = precision > n ? precision - n : 0;
  int total = n + zeros + (sign ? 1 : 0);
  if (precision < 0 && (flags & F_ZERO) && !(flags & F_LEFT) && width > total) zeros += width - total, total = width;
  if (!(flags & F_LEFT)) put_n(s, ' ', width - total);
  if (sign) put(s, sign);
  put_n(s, '0', zeros);
  while (n) put(s, digits[--n]);
  if (flags & F_LEFT) put_n(s, ' ', width - total);
}

static void format(sink_t *s, const char *fmt, va_list ap) {
  for (const char *f = fmt; *f; f++) {
    if (*f != '%') {
      put(s, *f);
      continue;
    }
    f++;
    int flags = 0;
    for (;; f++) {
      if (*f == '-') flags |= F_LEFT;
      else if (*f == '0') flags |= F_ZERO;
      else if (*f == '+') flags |= F_PLUS;
      else if (*f == ' ') flags |= F_SPACE;
      else if (*f == '#') {}
      else break;
    }
    int width = 0;
    if (*f == '*') {
      width = va_arg(ap, int);
      if (width < 0) flags |= F_LEFT, width = -width;
      f++;
    } else {
      while (*f >= '0' && *f <= '9') width = width * 10 + (*f++ - '0');
    }
    int precision = -1;
    if (*f == '.') {
      f++;
      precision = 0;
      if (*f == '*') {
        precision = va_arg(ap, int);
        f++;
      } else {
        while (*f >= '0' && *f <= '9') precision = precision * 10 + (*f++ - '0');
      }
    }
    int len = 0; /* 0 int, 1 long, 2 long long, 3 size_t / ptrdiff_t / intmax_t */
    if (*f == 'h') { f++; if (*f == 'h') f++; }
    else if (*f == 'l') { f++; len = 1; if (*f == 'l') f++, len = 2; }
    else if (*f == 'z' || *f == 't') f++, len = 3;
    else if (*f == 'j') f++, len = 2;
    switch (*f) {
      case 'd':
      case 'i': {
        long long v = len == 2 ? va_arg(ap, long long) : len == 1 ? va_arg(ap, long) : len == 3 ? (long long)va_arg(ap, ptrdiff_t) : va_arg(ap, int);
        unsigned long long m = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
        put_number(s, m, v < 0, 10, false, flags, width, precision);
        break;
      }
      case 'u': case 'x': case 'X': case 'o': {
        unsigned long long v = len == 2 ? va_arg(ap, unsigned long long) : len == 1 ? va_arg(ap, unsigned long)
                             : len == 3 ? va_arg(ap, size_t) : va_arg(ap, unsigned int);
        unsigned base = *f == 'u' ? 10 : *f == 'o' ? 8 : 16;
        put_number(s, v, false, base, *f == 'X', flags & ~(F_PLUS | F_SPACE), width, precision);
        break;
      }
      case 'p': {
        uintptr_t v = (uintptr_t)va_arg(ap, void *);
        put(s, '0'), put(s, 'x');
        put_number(s, v, false, 16, false, 0, 0, -1);
        break;
      }
      case 'c': {
        char c = (char)va_arg(ap, int);
        if (!(flags & F_LEFT)) put_n(s, ' ', width - 1);
        put(s, c);
        if (flags & F_LEFT) put_n(s, ' ', width - 1);
        break;
      }
      case 's': {
        const char *str = va_arg(ap, const char *);
        if (!str) str = "(null)";
        int n = 0;
        while ((precision < 0 || n < precision) && str[n]) n++;
        if (!(flags & F_LEFT)) put_n(s, ' ', width - n);
        for (int i = 0; i < n; i++) put(s, str[i]);
        if (flags & F_LEFT) put_n(s, ' ', width - n);
        break;
      }
      case '%': put(s, '%'); break;
      case 0: return;
      default: put(s, '%'), put(s, *f); break;
    }
  }
}

int bh_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  sink_t s = {buf, size ? size - 1 : 0, 0};
  format(&s, fmt, ap);
  if (size) buf[s.len < s.cap ? s.len : s.cap] = 0;
  return (int)s.len;
}

int bh_snprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = bh_vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

const char *bh_vsprintf(const char *fmt, va_list ap) {
  va_list again;
  va_copy(again, ap);
  char small[256];
  int n = bh_vsnprintf(small, sizeof small, fmt, ap);
  char *out = bh__arena_alloc((size_t)n + 1, 1);
  if ((size_t)n < sizeof small) memcpy(out, small, (size_t)n + 1);
  else bh_vsnprintf(out, (size_t)n + 1, fmt, again);
  va_end(again);
  return out;
}

const char *bh_sprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *out = bh_vsprintf(fmt, ap);
  va_end(ap);
  return out;
}

/* ------------------------------------------------------------------------ */
/* Failures and traps                                                       */
/* ------------------------------------------------------------------------ */

void bh_fail(bh_err_t *err, const char *message) {
  err->failed = true;
  err->message = bh_str(bh_strdup(bh_str(message)));
}

void bh_failf(bh_err_t *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *m = bh_vsprintf(fmt, ap);
  va_end(ap);
  err->failed = true;
  err->message = bh_str(m);
}

__attribute__((noinline)) void bh_trap(const char *reason) {
  bh_str_t r = bh_str(reason);
  bh__trap_reason(r.ptr, r.len);
  __builtin_trap();
}

__attribute__((noinline)) void bh_trapf(const char *fmt, ...) {
  /* No arena here: the arena may be what failed. */
  static char reason[1024];
  va_list ap;
  va_start(ap, fmt);
  bh_vsnprintf(reason, sizeof reason, fmt, ap);
  va_end(ap);
  bh_trap(reason);
}

void bh__assert_failed(const char *expr, const char *file, int line) {
  bh_trapf("assertion failed: %s (%s:%d)", expr, file, line);
}

/* ------------------------------------------------------------------------ */
/* Default handlers: the hook's own definitions replace these.              */
/* ------------------------------------------------------------------------ */

__attribute__((weak)) bh_job_events_t bh_on_job_start(bh_job_t job, bh_err_t *err) {
  (void)job, (void)err;
  return BH_EVENTS_NONE;
}
__attribute__((weak)) void bh_on_job_init(bh_job_t job, bh_err_t *err) { (void)job, (void)err; }
__attribute__((weak)) void bh_on_job_run(bh_job_t job, bh_err_t *err) { (void)job, (void)err; }
__attribute__((weak)) void bh_on_new_volume(bh_job_t job, bh_err_t *err) { (void)job, (void)err; }
__attribute__((weak)) void bh_on_volume_purged(bh_job_t job, bh_err_t *err) { (void)job, (void)err; }
__attribute__((weak)) void bh_on_job_end(bh_job_t job, bh_err_t *err) { (void)job, (void)err; }
__attribute__((weak)) void bh_on_exit(bh_err_t *err) { (void)err; }
