/* errors.h - validation errors: a field name and a message in Japanese.
 *
 * Domain functions fill an Errors when input is bad and write nothing; pages
 * show the list above the form and beside each field, and the CLI prints it. */
#ifndef JINZAI_ERRORS_H
#define JINZAI_ERRORS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define ERRORS_MAX 32
#define ERRORS_POOL 8192

typedef struct FieldError {
    const char *field; /* form field name, or "" for the whole form */
    const char *msg;   /* literal or arena memory */
} FieldError;

typedef struct Errors {
    FieldError items[ERRORS_MAX];
    int n;
    char pool[ERRORS_POOL]; /* formatted messages and field names (err_addf) */
    size_t used;
} Errors;

static inline void err_add(Errors *e, const char *field, const char *msg)
{
    if (e->n < ERRORS_MAX) e->items[e->n++] = (FieldError){field, msg};
}

/* Copies s into the pool; "" when the pool is full. */
static inline const char *err_keep(Errors *e, const char *s)
{
    size_t n = strlen(s) + 1;
    if (e->used + n > ERRORS_POOL) return "";
    char *p = memcpy(e->pool + e->used, s, n);
    e->used += n;
    return p;
}

/* Adds a formatted message; field and text are copied, so temporaries may be passed. */
__attribute__((format(printf, 3, 4))) static inline void err_addf(Errors *e, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (e->n < ERRORS_MAX) e->items[e->n++] = (FieldError){err_keep(e, field), err_keep(e, msg)};
}

static inline const char *err_for(const Errors *e, const char *field)
{
    for (int i = 0; e && i < e->n; i++)
        if (e->items[i].field[0] == field[0] && __builtin_strcmp(e->items[i].field, field) == 0)
            return e->items[i].msg;
    return 0;
}

static inline bool err_any(const Errors *e) { return e->n > 0; }

#endif
