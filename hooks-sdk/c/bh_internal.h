/* Internals shared by the kit's own .c files. Not for hooks. */
#ifndef BH_INTERNAL_H
#define BH_INTERNAL_H

#include "bacula_hooks.h"

/** Event arena: aligned allocation (align a power of two); traps when exhausted. */
void *bh__arena_alloc(size_t size, size_t align);
/** Reclaims the whole event arena (start of an event, after post-return). */
void bh__arena_reset(void);
/** A bh_str_t of host bytes: "" when empty, a NUL-terminated copy if ptr[len] is not NUL. */
bh_str_t bh__str_of(const char *ptr, size_t len);

/** diagnostics.trap-reason, raw. */
void bh__trap_reason(const char *reason, size_t len);

#endif
