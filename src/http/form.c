/* form.c - request input parsers; see form.h for the contracts.
 *
 * All scanning is done on (pointer, length) spans with explicit bounds checks;
 * no function here relies on a NUL terminator in its input except the ones
 * documented as taking C strings (parse_cookies, multipart_boundary). */
#include "form.h"

#include <string.h>
#include <strings.h>

/* ---- small helpers ---- */

static bool is_ows(char c) { return c == ' ' || c == '\t'; }

/* RFC 9110 tchar: the characters allowed in methods and header names. */
static bool is_tchar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int hex_val(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Narrows [*b, *e) by removing spaces and tabs at both ends. */
static void trim_span(const char **b, const char **e)
{
    while (*b < *e && is_ows(**b)) (*b)++;
    while (*e > *b && is_ows((*e)[-1])) (*e)--;
}

/* True if s[0..n) equals the C string lit, ignoring ASCII case. */
static bool span_eq_ci(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/* ---- percent-decoding, urlencoded, cookies ---- */

char *url_decode(Arena *a, const char *s, size_t n, bool plus_is_space, size_t *out_len)
{
    char *out = arena_alloc(a, n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%' && n - i > 2 && hex_val(s[i + 1]) >= 0 && hex_val(s[i + 2]) >= 0) {
            c = (char)(hex_val(s[i + 1]) << 4 | hex_val(s[i + 2]));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        if (c != '\0') out[j++] = c;
    }
    out[j] = '\0';
    if (out_len) *out_len = j;
    return out;
}

int parse_urlencoded(KVList *out, Arena *a, const char *s, size_t n)
{
    int added = 0;
    if (!s) return 0;
    const char *end = s + n;
    for (const char *seg = s; seg < end;) {
        const char *amp = memchr(seg, '&', (size_t)(end - seg));
        const char *seg_end = amp ? amp : end;
        const char *eq = memchr(seg, '=', (size_t)(seg_end - seg));
        const char *name_end = eq ? eq : seg_end;
        if (name_end > seg) {
            size_t name_len;
            char *name = url_decode(a, seg, (size_t)(name_end - seg), true, &name_len);
            if (name_len > 0) {
                if (added == FORM_MAX_FIELDS) return -1;
                const char *value = eq ? url_decode(a, eq + 1, (size_t)(seg_end - eq - 1), true, NULL) : "";
                kv_add(out, a, name, value);
                added++;
            }
        }
        if (!amp) break;
        seg = amp + 1;
    }
    return added;
}

int parse_cookies(KVList *out, Arena *a, const char *header)
{
    int added = 0;
    if (!header) return 0;
    const char *p = header;
    while (*p) {
        const char *end = strchr(p, ';');
        if (!end) end = p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (eq) {
            const char *nb = p, *ne = eq, *vb = eq + 1, *ve = end;
            trim_span(&nb, &ne);
            trim_span(&vb, &ve);
            if (ve - vb >= 2 && *vb == '"' && ve[-1] == '"') vb++, ve--;
            if (ne > nb) {
                if (added == FORM_MAX_COOKIES) return -1;
                kv_add(out, a, arena_strndup(a, nb, (size_t)(ne - nb)), arena_strndup(a, vb, (size_t)(ve - vb)));
                added++;
            }
        }
        p = *end ? end + 1 : end;
    }
    return added;
}

/* ---- header parameters (Content-Type, Content-Disposition) ---- */

/* Looks through the parameters of a header value s[0..n) such as
 * `form-data; name="a\"b"; filename=x` for the first one named want
 * (case-insensitive). Returns its value in the arena (quoted strings
 * unescaped), or NULL if absent or if a quoted string is unterminated. */
static char *header_param(Arena *a, const char *s, size_t n, const char *want)
{
    size_t i = 0;
    while (i < n && s[i] != ';') i++; /* skip the media type / disposition type */
    while (i < n) {
        i++; /* skip ';' */
        while (i < n && is_ows(s[i])) i++;
        size_t ns = i;
        while (i < n && s[i] != '=' && s[i] != ';') i++;
        size_t ne = i;
        while (ne > ns && is_ows(s[ne - 1])) ne--;
        if (i >= n || s[i] == ';') continue; /* parameter without value */
        i++;                                  /* skip '=' */
        while (i < n && is_ows(s[i])) i++;
        bool match = span_eq_ci(s + ns, ne - ns, want);
        if (i < n && s[i] == '"') {
            i++;
            char *v = match ? arena_alloc(a, n - i + 1) : NULL;
            size_t vl = 0;
            bool closed = false;
            while (i < n) {
                char c = s[i++];
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c == '\\' && i < n) c = s[i++];
                if (v) v[vl++] = c;
            }
            if (!closed) return NULL;
            if (v) {
                v[vl] = '\0';
                return v;
            }
            while (i < n && s[i] != ';') i++; /* junk after the closing quote */
        } else {
            size_t vs = i;
            while (i < n && s[i] != ';') i++;
            size_t ve = i;
            while (ve > vs && is_ows(s[ve - 1])) ve--;
            if (match) return arena_strndup(a, s + vs, ve - vs);
        }
    }
    return NULL;
}

/* RFC 2046: bcharsnospace / " ". */
static bool is_bchar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

const char *multipart_boundary(Arena *a, const char *content_type)
{
    if (!content_type) return NULL;
    size_t n = strlen(content_type);
    const char *tb = content_type, *te = content_type;
    while (te < content_type + n && *te != ';') te++;
    trim_span(&tb, &te);
    if (!span_eq_ci(tb, (size_t)(te - tb), "multipart/form-data")) return NULL;
    const char *b = header_param(a, content_type, n, "boundary");
    if (!b) return NULL;
    size_t len = strlen(b);
    if (len < 1 || len > 70 || b[len - 1] == ' ') return NULL;
    for (size_t i = 0; i < len; i++)
        if (!is_bchar(b[i])) return NULL;
    return b;
}

/* ---- multipart/form-data ---- */

/* Reads the line starting at *pos in s[0..n): sets *line and *len (without the
 * line ending, CRLF or LF) and advances *pos past the ending. Returns false
 * when *pos is already at the end. A last line without an ending is returned
 * as is. */
static bool next_line(const char *s, size_t n, size_t *pos, const char **line, size_t *len)
{
    if (*pos >= n) return false;
    const char *start = s + *pos;
    const char *nl = memchr(start, '\n', n - *pos);
    size_t l = nl ? (size_t)(nl - start) : n - *pos;
    *pos += nl ? l + 1 : l;
    if (nl && l > 0 && start[l - 1] == '\r') l--;
    *line = start;
    *len = l;
    return true;
}

/* Checks what follows a "--boundary" that ends at body[k]: "--" makes it the
 * closing delimiter; optional spaces/tabs and a line end make it a part
 * delimiter. Returns false for anything else (the text is part data). On
 * success sets *closing and *after (offset just past the delimiter line). */
static bool delim_tail(const char *body, size_t n, size_t k, bool *closing, size_t *after)
{
    if (n - k >= 2 && body[k] == '-' && body[k + 1] == '-') {
        *closing = true;
        *after = k + 2;
        return true;
    }
    while (k < n && is_ows(body[k])) k++;
    if (k < n && body[k] == '\n') k++;
    else if (n - k >= 2 && body[k] == '\r' && body[k + 1] == '\n') k += 2;
    else return false;
    *closing = false;
    *after = k;
    return true;
}

/* Finds the first delimiter "\n--boundary" (pat, patlen bytes) in
 * body[from..n) accepted by delim_tail. Returns the offset of its '\n', or n
 * if there is none. */
static size_t find_delim(const char *body, size_t n, size_t from, const char *pat, size_t patlen,
                         bool *closing, size_t *after)
{
    while (from < n) {
        const char *hit = memmem(body + from, n - from, pat, patlen);
        if (!hit) break;
        size_t q = (size_t)(hit - body);
        if (delim_tail(body, n, q + patlen, closing, after)) return q;
        from = q + 1;
    }
    return n;
}

static void upload_add(UploadList *l, Arena *a, Upload u)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        Upload *items = arena_alloc(a, cap * sizeof *items);
        if (l->n) memcpy(items, l->items, l->n * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = u;
}

int parse_multipart(KVList *fields, UploadList *files, Arena *a, const char *body, size_t n,
                    const char *boundary)
{
    if (!boundary || !*boundary) return -1;
    if (!body) return -1;
    size_t blen = strlen(boundary);
    /* pat = "\n--" boundary; pat + 1 is the delimiter without the newline. */
    char *pat = arena_printf(a, "\n--%s", boundary);
    size_t patlen = blen + 3;
    bool closing = false;
    size_t pos = 0, after = 0;

    /* Opening delimiter: at the very start, or on a line after a preamble. */
    bool at_start = n >= patlen - 1 && memcmp(body, pat + 1, patlen - 1) == 0 &&
                    delim_tail(body, n, patlen - 1, &closing, &pos);
    if (!at_start && find_delim(body, n, 0, pat, patlen, &closing, &pos) == n) return -1;

    for (int parts = 0; !closing; parts++) {
        if (parts == FORM_MAX_PARTS) return -1;
        /* Part headers up to the blank line. */
        const char *disp = NULL, *ctype = NULL, *line;
        size_t disp_len = 0, ctype_len = 0, len;
        int nheaders = 0;
        for (;;) {
            if (!next_line(body, n, &pos, &line, &len)) return -1;
            if (len == 0) break;
            if (++nheaders > FORM_MAX_PART_HEADERS) return -1;
            const char *colon = memchr(line, ':', len);
            if (!colon) return -1;
            const char *nb = line, *ne = colon, *vb = colon + 1, *ve = line + len;
            trim_span(&nb, &ne);
            trim_span(&vb, &ve);
            if (span_eq_ci(nb, (size_t)(ne - nb), "Content-Disposition") && !disp)
                disp = vb, disp_len = (size_t)(ve - vb);
            else if (span_eq_ci(nb, (size_t)(ne - nb), "Content-Type") && !ctype)
                ctype = vb, ctype_len = (size_t)(ve - vb);
        }
        if (!disp) return -1;

        /* Part data up to the next delimiter; the line end before it belongs to
         * the delimiter. Searching from pos - 1 tolerates a delimiter right
         * after the blank line (empty data without its line end). */
        size_t q = find_delim(body, n, pos - 1, pat, patlen, &closing, &after);
        if (q == n) return -1;
        size_t data_end = q;
        if (data_end > pos && body[data_end - 1] == '\r') data_end--;
        const char *name = header_param(a, disp, disp_len, "name");
        const char *filename = header_param(a, disp, disp_len, "filename");
        if (pos > data_end) pos = data_end; /* the tolerated case: empty data */
        if (name) {
            char *data = arena_strndup(a, body + pos, data_end - pos);
            if (filename) {
                Upload u = {name, filename,
                            ctype ? arena_strndup(a, ctype, ctype_len) : "application/octet-stream",
                            data, data_end - pos};
                upload_add(files, a, u);
            } else {
                kv_add(fields, a, name, data);
            }
        }
        pos = after;
    }
    return 0;
}

/* ---- raw HTTP request ---- */

static int parse_request_line(RawRequest *out, Arena *a, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_tchar(s[i])) i++;
    size_t method_len = i;
    if (method_len == 0 || i >= n || s[i] != ' ') return -1;
    size_t ts = ++i;
    while (i < n && (unsigned char)s[i] > ' ' && s[i] != 0x7f) i++;
    size_t te = i;
    if (te == ts || i >= n || s[i] != ' ') return -1;
    i++;
    if (n - i != 8 || memcmp(s + i, "HTTP/1.", 7) != 0 || s[i + 7] < '0' || s[i + 7] > '9') return -1;

    out->method = arena_strndup(a, s, method_len);
    const char *t = s + ts, *q = memchr(t, '?', te - ts);
    size_t path_len = q ? (size_t)(q - t) : te - ts;
    out->path = url_decode(a, t, path_len, false, NULL);
    out->query = q ? arena_strndup(a, q + 1, te - ts - path_len - 1) : "";
    return 0;
}

/* Parses a decimal Content-Length; returns false if empty, not all digits, or huge. */
static bool parse_length(const char *s, size_t *out)
{
    size_t v = 0;
    if (!*s) return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > ((size_t)1 << 48)) return false;
        v = v * 10 + (size_t)(*s - '0');
    }
    *out = v;
    return true;
}

int parse_raw_request(RawRequest *out, Arena *a, const char *raw, size_t n)
{
    memset(out, 0, sizeof *out);
    if (!raw) raw = "", n = 0;
    size_t pos = 0, len;
    const char *line;
    do {
        if (!next_line(raw, n, &pos, &line, &len) || pos > RAWREQ_MAX_HEADER_BYTES) return -1;
    } while (len == 0);
    if (parse_request_line(out, a, line, len) < 0) return -1;

    while (next_line(raw, n, &pos, &line, &len)) {
        if (pos > RAWREQ_MAX_HEADER_BYTES) return -1;
        if (len == 0) break;
        if (out->headers.n == RAWREQ_MAX_HEADERS) return -1;
        const char *colon = memchr(line, ':', len);
        if (!colon || colon == line) return -1;
        for (const char *p = line; p < colon; p++)
            if (!is_tchar(*p)) return -1;
        const char *vb = colon + 1, *ve = line + len;
        trim_span(&vb, &ve);
        for (const char *p = vb; p < ve; p++)
            if (((unsigned char)*p < ' ' && *p != '\t') || *p == 0x7f) return -1;
        kv_add(&out->headers, a, arena_strndup(a, line, (size_t)(colon - line)),
               arena_strndup(a, vb, (size_t)(ve - vb)));
    }

    size_t body_len = n - pos;
    bool have_len = false;
    bool chunked = false;
    for (size_t i = 0; i < out->headers.n; i++) {
        size_t v;
        if (strcasecmp(out->headers.items[i].name, "Transfer-Encoding") == 0) chunked = true;
        if (strcasecmp(out->headers.items[i].name, "Content-Length") != 0) continue;
        /* A second Content-Length, even an equal one, is how requests are
         * smuggled past a proxy that reads the other one. */
        if (have_len || !parse_length(out->headers.items[i].value, &v)) return -1;
        body_len = v;
        have_len = true;
    }
    if (have_len && chunked) return -1;
    if (body_len > n - pos) return -1;
    out->body = arena_strndup(a, raw + pos, body_len);
    out->body_len = body_len;
    return 0;
}
