/* lines.h - the multi-line text fields of the project and external talent
 * forms: one row a line, fields separated by spaces (ASCII or 全角), the
 * last field taking the rest of the line. */
#ifndef JINZAI_LINES_H
#define JINZAI_LINES_H

#include <string.h>

#include "../core/buf.h"

typedef struct LineIter {
    const char *p;
} LineIter;

static inline LineIter lines_begin(const char *text) { return (LineIter){text ? text : ""}; }

/* The next line (arena copy without CR/LF), or NULL at the end. */
static inline const char *lines_next(Arena *a, LineIter *it)
{
    if (!*it->p) return NULL;
    size_t n = strcspn(it->p, "\n");
    const char *line = arena_strndup(a, it->p, n);
    it->p += n + (it->p[n] == '\n');
    char *cr = strchr(line, '\r');
    if (cr) *cr = 0;
    return line;
}

static inline size_t lines_space(const char *p)
{
    if (*p == ' ' || *p == '\t') return 1;
    if (strncmp(p, "\xe3\x80\x80", 3) == 0) return 3; /* 全角スペース */
    return 0;
}

/* Splits line into at most max fields (the last one keeps inner spaces,
 * trailing spaces dropped); unused slots are NULL. Returns the count. */
static inline int lines_split(Arena *a, const char *line, const char **tok, int max)
{
    int n = 0;
    for (int i = 0; i < max; i++) tok[i] = NULL;
    const char *p = line;
    while (n < max) {
        size_t s;
        while ((s = lines_space(p))) p += s;
        if (!*p) break;
        const char *start = p;
        if (n == max - 1) {
            size_t len = strlen(p);
            for (;;) {
                if (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
                else if (len >= 3 && strncmp(p + len - 3, "\xe3\x80\x80", 3) == 0) len -= 3;
                else break;
            }
            tok[n++] = arena_strndup(a, start, len);
            break;
        }
        while (*p && !lines_space(p)) p++;
        tok[n++] = arena_strndup(a, start, (size_t)(p - start));
    }
    return n;
}

#endif
