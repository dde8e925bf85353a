/* form.h - parsers for request input: percent-decoding, query strings and
 * urlencoded forms, Cookie headers, multipart/form-data bodies, and raw
 * HTTP/1.1 request text.
 *
 * Memory: every string these functions produce is allocated in the Arena the
 * caller passes and is NUL-terminated; it lives until arena_free. List item
 * arrays (KVList, UploadList) are arena memory too. Nothing here needs to be
 * freed separately. Allocation failure is fatal (see buf.h), never reported.
 *
 * Safety: inputs given as (pointer, length) are never read past length and
 * need not be NUL-terminated; a NULL pointer is accepted when length is 0.
 * Every parser caps its work (fields, cookies, parts, headers) so that hostile
 * input costs at most linear time and memory. */
#ifndef JINZAI_FORM_H
#define JINZAI_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "kv.h"

#define FORM_MAX_FIELDS 1000          /* parse_urlencoded */
#define FORM_MAX_COOKIES 100          /* parse_cookies */
#define FORM_MAX_PARTS 100            /* parse_multipart */
#define FORM_MAX_PART_HEADERS 100     /* headers inside one multipart part */
#define RAWREQ_MAX_HEADERS 100        /* parse_raw_request */
#define RAWREQ_MAX_HEADER_BYTES 65536 /* request line + headers + blank line */

/* Percent-decodes s[0..n). With plus_is_space ('+' -> ' ') for
 * application/x-www-form-urlencoded and query strings; without it for paths.
 * Invalid escapes ("%G1", a trailing "%" or "%4") are kept literally. NUL
 * bytes, whether escaped (%00) or raw, are dropped so the result is a proper C
 * string. Returns the result in arena a; stores its length in *out_len if
 * out_len is not NULL. Cannot fail. */
char *url_decode(Arena *a, const char *s, size_t n, bool plus_is_space, size_t *out_len);

/* Parses "a=1&b=2&a=3" from s[0..n) and appends the decoded (plus-as-space)
 * name/value pairs to out, in input order; repeated names are all kept. A
 * segment without '=' gets the value "". Empty segments and segments whose
 * name decodes to "" are skipped. Returns the number of items added, or -1 if
 * more than FORM_MAX_FIELDS items were present: the first FORM_MAX_FIELDS are
 * kept and the rest ignored. */
int parse_urlencoded(KVList *out, Arena *a, const char *s, size_t n);

/* Parses a Cookie header value ("a=b; c=\"d\"", NUL-terminated; NULL is
 * treated as empty) and appends the pairs to out. Names and values are trimmed
 * of spaces and tabs, and one pair of surrounding double quotes is stripped
 * from a value. Values are not percent-decoded. Pairs without '=' or with an
 * empty name are skipped. Returns the number of items added, or -1 if more
 * than FORM_MAX_COOKIES were present (the first FORM_MAX_COOKIES are kept). */
int parse_cookies(KVList *out, Arena *a, const char *header);

/* One uploaded file from a multipart body. All pointers are arena memory.
 * content_type is "application/octet-stream" when the part had none. data is
 * NUL-terminated for convenience, but len is exact and data may contain NULs. */
typedef struct Upload {
    const char *field, *filename, *content_type;
    const char *data;
    size_t len;
} Upload;

typedef struct UploadList {
    Upload *items;
    size_t n, cap;
} UploadList;

/* Returns the boundary parameter of a Content-Type header value of the form
 * "multipart/form-data; boundary=..." (type matched case-insensitively; value
 * quoted or not), copied into arena a. Returns NULL if content_type is NULL,
 * is not multipart/form-data, has no boundary, or the boundary is not 1..70
 * characters of the RFC 2046 boundary alphabet. */
const char *multipart_boundary(Arena *a, const char *content_type);

/* Parses a multipart/form-data body[0..n) delimited by boundary (as returned
 * by multipart_boundary, without the leading "--"). A preamble before the
 * first boundary line and an epilogue after the closing one are ignored; CRLF
 * and bare LF line endings are both accepted. Each part needs a
 * Content-Disposition header; its name= and filename= parameters may be
 * quoted strings with backslash escapes. Parts without filename= are appended
 * to fields (name -> value); parts with filename= (even an empty one) are
 * appended to files. Parts without a name= parameter are ignored.
 * Returns 0 on success, -1 on malformed input: no opening or no closing
 * boundary, a part header without ':' or not ended by a blank line, a part
 * without Content-Disposition, more than FORM_MAX_PARTS parts or more than
 * FORM_MAX_PART_HEADERS headers in a part, or an empty boundary. On -1, fields
 * and files may already hold the parts parsed before the error. */
int parse_multipart(KVList *fields, UploadList *files, Arena *a, const char *body, size_t n,
                    const char *boundary);

/* A raw HTTP/1.1 request. All strings are arena memory. */
typedef struct RawRequest {
    const char *method; /* as sent, e.g. "GET" */
    const char *path;   /* target before '?', percent-decoded (no '+' decoding) */
    const char *query;  /* raw text after '?', not decoded; "" if none */
    KVList headers;     /* names as sent (look up with kv_get_ci), values trimmed */
    const char *body;   /* NUL-terminated copy; body_len is exact */
    size_t body_len;
} RawRequest;

/* Parses a raw request held in raw[0..n) (used by `jinzai test-request` and by
 * tests): request line "METHOD SP target SP HTTP/1.x", header lines, a blank
 * line, then the body. CRLF and bare LF line endings are both accepted, as are
 * empty lines before the request line; input that ends before the blank line
 * has an empty body. With Content-Length the body is exactly that many bytes
 * (any further input is ignored); otherwise it is the rest of the input.
 * Transfer-Encoding is not interpreted.
 * Returns 0 on success and fills *out. Returns -1 if malformed: bad request
 * line, header without ':' or with an invalid name or control characters in
 * its value, more than RAWREQ_MAX_HEADERS headers, a header section over
 * RAWREQ_MAX_HEADER_BYTES, an invalid or repeated Content-Length (even with
 * the same value), Content-Length with Transfer-Encoding, or fewer body bytes
 * than Content-Length. On -1 the contents of *out are unspecified. */
int parse_raw_request(RawRequest *out, Arena *a, const char *raw, size_t n);

#endif
