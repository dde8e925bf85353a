/* buf.h - growable byte buffer, per-request arena, and fatal allocation.
 *
 * Allocation failure is fatal (xmalloc aborts), so callers never check for
 * NULL. A Buf owns its bytes; buf_free releases them. An Arena owns every block
 * it hands out; arena_free releases them all at once. */
#ifndef JINZAI_BUF_H
#define JINZAI_BUF_H

#include <stdarg.h>
#include <stddef.h>

#define PRINTF(f, a) __attribute__((format(printf, f, a)))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Returns a malloc'd formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) PRINTF(1, 2);

typedef struct Buf {
    char *data;   /* always NUL-terminated when len > 0 or after buf_cstr */
    size_t len;
    size_t cap;
} Buf;

#define BUF_INIT {NULL, 0, 0}

void buf_reserve(Buf *b, size_t extra);
void buf_append(Buf *b, const void *p, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) PRINTF(2, 3);
void buf_vprintf(Buf *b, const char *fmt, va_list ap) PRINTF(2, 0);
/* A NUL-terminated view of the contents (never NULL). */
const char *buf_cstr(Buf *b);
void buf_reset(Buf *b);
void buf_free(Buf *b);
/* Hands the bytes to the caller (malloc'd, NUL-terminated) and empties b. */
char *buf_detach(Buf *b);

typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
    ArenaBlock *head;
} Arena;

#define ARENA_INIT {NULL}

/* Bytes the arena holds from the allocator (its blocks' capacities). */
size_t arena_size(const Arena *a);

/* Memory from an arena lives until arena_free; it is 16-byte aligned. */
void *arena_alloc(Arena *a, size_t n);
void *arena_zalloc(Arena *a, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...) PRINTF(2, 3);
void arena_free(Arena *a);

#endif
