/* html.h - HTML output that escapes by default.
 *
 * html_printf works like printf, but every %s and %c argument is HTML-escaped
 * (& < > " '), so it is safe in text and in quoted attribute values. Markup
 * that must not be escaped goes through html_raw, used only with literals or
 * the output of other builders (grep for it). URL parts go through html_urlenc. */
#ifndef JINZAI_HTML_H
#define JINZAI_HTML_H

#include <stdbool.h>

#include "../core/buf.h"

/* Conversions: d i u o x X (lengths h hh l ll z j), f F g G e E, c, s, %%;
 * width and precision as digits or '*'. %.Ns shows at most N bytes, cut at a
 * UTF-8 character boundary. Any other conversion (%p …) writes nothing and
 * is logged once: tests check html_printf_unsupported() stays 0. */
void html_printf(Buf *b, const char *fmt, ...) PRINTF(2, 3);
/* How many unsupported conversions html_printf has met in this process. */
int html_printf_unsupported(void);
void html_escape(Buf *b, const char *s);
/* Appends s unchanged: literals and builder output only. */
void html_raw(Buf *b, const char *s);
/* Percent-encodes s for a query value or path segment (then safe in an attribute). */
void html_urlenc(Buf *b, const char *s);

#endif
