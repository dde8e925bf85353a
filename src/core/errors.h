/* errors.h - validation errors: a field name and a message in Japanese.
 *
 * Domain functions fill an Errors when input is bad and write nothing; pages
 * show the list above the form and beside each field, and the CLI prints it. */
#ifndef JINZAI_ERRORS_H
#define JINZAI_ERRORS_H

#include <stdbool.h>

#define ERRORS_MAX 32

typedef struct FieldError {
    const char *field; /* form field name, or "" for the whole form */
    const char *msg;   /* literal or arena memory */
} FieldError;

typedef struct Errors {
    FieldError items[ERRORS_MAX];
    int n;
} Errors;

static inline void err_add(Errors *e, const char *field, const char *msg)
{
    if (e->n < ERRORS_MAX) e->items[e->n++] = (FieldError){field, msg};
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
