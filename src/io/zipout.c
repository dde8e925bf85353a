/* zipout.c - a zip archive written front to back, entries deflated with zlib.
 *
 * Layout (PKWARE APPNOTE 6.3): for each entry a local header with the CRC
 * and both sizes already filled in (so no data descriptors), the deflated
 * bytes; then the central directory and its end record. A streamed part
 * deflates its body into a spool as it comes; at its end the head is
 * deflated into non-final blocks (Z_SYNC_FLUSH) and stored first, then the
 * body's blocks follow. A raw deflate stream is a sequence of blocks of
 * which only the last is final, so the two make one valid stream, and
 * crc32_combine gives the CRC of head + body. */
#include "zipout.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "table.h"

enum { CHUNK = 256 * 1024, LEVEL = 3 }; /* see zipout.h */

/* Bytes kept in memory, written to fd once past CHUNK. Without fd a spill
 * spool makes itself a private temporary file; a memory spool never
 * writes. */
typedef struct Spool {
    Buf b;
    int fd;
    bool spill;
    uint64_t flushed; /* bytes already written to fd */
    int err;
} Spool;

static void spool_flush(Spool *s)
{
    if (s->err || s->b.len == 0) return;
    if (s->fd < 0) {
        if (!s->spill) return;
        if ((s->fd = table_tmpfd()) < 0) {
            s->err = -1;
            return;
        }
    }
    if (table_write_all(s->fd, s->b.data, s->b.len) != 0) s->err = -1;
    s->flushed += s->b.len;
    s->b.len = 0;
}

static void spool_put(Spool *s, const void *p, size_t n)
{
    buf_append(&s->b, p, n);
    if (s->b.len >= CHUNK) spool_flush(s);
}

static uint64_t spool_size(const Spool *s) { return s->flushed + s->b.len; }

/* A raw deflate stream (no zlib header, as zip wants) into a spool. */
typedef struct Deflater {
    z_stream zs;
    uLong crc;
    uint64_t in, out;
    int err;
} Deflater;

static int deflater_init(Deflater *d)
{
    memset(d, 0, sizeof *d);
    d->crc = crc32(0, Z_NULL, 0);
    return deflateInit2(&d->zs, LEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK ? 0 : -1;
}

/* Deflates len bytes of data into s (flush: Z_NO_FLUSH, Z_SYNC_FLUSH at
 * the end of a head, Z_FINISH at the end of a stream). */
static void deflater_run(Deflater *d, const void *data, size_t len, int flush, Spool *s)
{
    if (len > 0) d->crc = crc32_z(d->crc, data, len); /* crc32(c, NULL, 0) would be the seed, not c */
    d->in += len;
    d->zs.next_in = (Bytef *)(uintptr_t)data;
    d->zs.avail_in = (uInt)len; /* callers write far less than 4 GiB at once */
    do {
        buf_reserve(&s->b, CHUNK);
        d->zs.next_out = (Bytef *)s->b.data + s->b.len;
        d->zs.avail_out = CHUNK;
        int rc = deflate(&d->zs, flush);
        if (rc == Z_STREAM_ERROR) d->err = -1;
        size_t n = CHUNK - d->zs.avail_out;
        s->b.len += n;
        s->b.data[s->b.len] = '\0';
        d->out += n;
        if (s->b.len >= CHUNK) spool_flush(s);
    } while (d->zs.avail_out == 0 && !d->err);
}

typedef struct Entry {
    char *name;
    uint32_t crc, csize, usize, offset;
} Entry;

struct ZipOut {
    Spool out;
    Entry *e;
    int n, cap;
    int err;
    bool in_part;
};

struct ZipPart {
    ZipOut *z;
    char *name;
    Deflater d;
    Spool body;
};

static void le16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void le32(unsigned char *p, uint32_t v)
{
    le16(p, v & 0xFFFF);
    le16(p + 2, v >> 16);
}

enum { DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1, METHOD_DEFLATE = 8, VERSION = 20 };

/* The local header of an entry whose CRC and sizes are known, and its
 * central directory record. */
static int entry_begin(ZipOut *z, const char *name, uLong crc, uint64_t csize, uint64_t usize)
{
    uint64_t offset = spool_size(&z->out);
    if (csize > UINT32_MAX || usize > UINT32_MAX || offset > UINT32_MAX) return -1;
    size_t nlen = strlen(name);
    unsigned char h[30];
    le32(h, 0x04034b50);
    le16(h + 4, VERSION);
    le16(h + 6, 0);
    le16(h + 8, METHOD_DEFLATE);
    le16(h + 10, 0);
    le16(h + 12, DOS_DATE_1980_01_01);
    le32(h + 14, (uint32_t)crc);
    le32(h + 18, (uint32_t)csize);
    le32(h + 22, (uint32_t)usize);
    le16(h + 26, (unsigned)nlen);
    le16(h + 28, 0);
    spool_put(&z->out, h, sizeof h);
    spool_put(&z->out, name, nlen);
    if (z->n == z->cap) {
        z->cap = z->cap ? z->cap * 2 : 16;
        z->e = xrealloc(z->e, (size_t)z->cap * sizeof *z->e);
    }
    z->e[z->n++] = (Entry){xstrdup(name), (uint32_t)crc, (uint32_t)csize, (uint32_t)usize, (uint32_t)offset};
    return 0;
}

ZipOut *zipout_new(int fd)
{
    ZipOut *z = xcalloc(1, sizeof *z);
    z->out.fd = fd;
    return z;
}

int zipout_add(ZipOut *z, const char *name, const char *data, size_t len)
{
    if (z->err || z->in_part) return -1;
    Deflater d;
    Spool mem = {.fd = -1};
    int rc = deflater_init(&d);
    if (rc == 0) {
        deflater_run(&d, data, len, Z_FINISH, &mem);
        deflateEnd(&d.zs);
        rc = d.err ? -1 : entry_begin(z, name, d.crc, d.out, d.in);
    }
    if (rc == 0 && mem.b.len > 0) spool_put(&z->out, mem.b.data, mem.b.len);
    buf_free(&mem.b);
    if (rc != 0) z->err = -1;
    return rc;
}

ZipPart *zipout_part_begin(ZipOut *z, const char *name)
{
    if (z->err || z->in_part) return NULL;
    ZipPart *p = xcalloc(1, sizeof *p);
    *p = (ZipPart){.z = z, .name = xstrdup(name), .body = {.fd = -1, .spill = true}};
    if (deflater_init(&p->d) != 0) {
        free(p->name);
        free(p);
        z->err = -1;
        return NULL;
    }
    z->in_part = true;
    return p;
}

int zippart_write(ZipPart *p, const char *data, size_t len)
{
    if (p->d.err || p->body.err) return -1;
    deflater_run(&p->d, data, len, Z_NO_FLUSH, &p->body);
    return p->d.err || p->body.err ? -1 : 0;
}

/* Appends the body spool (its file, then what is still in memory) to out. */
static int copy_body(Spool *body, Spool *out)
{
    if (body->fd >= 0) {
        if (lseek(body->fd, 0, SEEK_SET) != 0) return -1;
        char *chunk = xmalloc(CHUNK);
        ssize_t n;
        uint64_t got = 0;
        while ((n = read(body->fd, chunk, CHUNK)) > 0) {
            spool_put(out, chunk, (size_t)n);
            got += (uint64_t)n;
        }
        free(chunk);
        if (n < 0 || got != body->flushed) return -1;
    }
    if (body->b.len > 0) spool_put(out, body->b.data, body->b.len);
    return out->err;
}

int zipout_part_end(ZipPart *p, const char *head, size_t head_len)
{
    ZipOut *z = p->z;
    deflater_run(&p->d, NULL, 0, Z_FINISH, &p->body);
    deflateEnd(&p->d.zs);
    Deflater hd;
    Spool mem = {.fd = -1};
    int rc = p->d.err || p->body.err || deflater_init(&hd) != 0 ? -1 : 0;
    if (rc == 0) {
        deflater_run(&hd, head, head_len, Z_SYNC_FLUSH, &mem);
        deflateEnd(&hd.zs);
        uLong crc = crc32_combine(hd.crc, p->d.crc, (z_off_t)p->d.in);
        rc = hd.err ? -1 : entry_begin(z, p->name, crc, hd.out + p->d.out, hd.in + p->d.in);
    }
    if (rc == 0) {
        if (mem.b.len > 0) spool_put(&z->out, mem.b.data, mem.b.len);
        rc = copy_body(&p->body, &z->out);
    }
    buf_free(&mem.b);
    buf_free(&p->body.b);
    if (p->body.fd >= 0) close(p->body.fd);
    free(p->name);
    free(p);
    z->in_part = false;
    if (rc != 0) z->err = -1;
    return rc;
}

int zipout_finish(ZipOut *z, Buf *out, size_t *size)
{
    int rc = z->err || z->in_part ? -1 : 0;
    uint64_t cd_start = spool_size(&z->out);
    for (int i = 0; i < z->n && rc == 0; i++) {
        const Entry *e = &z->e[i];
        size_t nlen = strlen(e->name);
        unsigned char c[46];
        le32(c, 0x02014b50);
        le16(c + 4, VERSION); /* made by: MS-DOS attributes, spec 2.0 */
        le16(c + 6, VERSION);
        le16(c + 8, 0);
        le16(c + 10, METHOD_DEFLATE);
        le16(c + 12, 0);
        le16(c + 14, DOS_DATE_1980_01_01);
        le32(c + 16, e->crc);
        le32(c + 20, e->csize);
        le32(c + 24, e->usize);
        le16(c + 28, (unsigned)nlen);
        memset(c + 30, 0, 12); /* extra, comment, disk, attributes */
        le32(c + 42, e->offset);
        spool_put(&z->out, c, sizeof c);
        spool_put(&z->out, e->name, nlen);
    }
    uint64_t cd_end = spool_size(&z->out);
    if (cd_end > UINT32_MAX || z->n > 0xFFFF) rc = -1;
    if (rc == 0) {
        unsigned char eocd[22] = {0};
        le32(eocd, 0x06054b50);
        le16(eocd + 8, (unsigned)z->n);
        le16(eocd + 10, (unsigned)z->n);
        le32(eocd + 12, (uint32_t)(cd_end - cd_start));
        le32(eocd + 16, (uint32_t)cd_start);
        spool_put(&z->out, eocd, sizeof eocd);
        if (z->out.fd >= 0) spool_flush(&z->out);
        else if (out) buf_append(out, z->out.b.data, z->out.b.len);
        rc = z->out.err;
        if (size) *size = (size_t)spool_size(&z->out);
    }
    for (int i = 0; i < z->n; i++) free(z->e[i].name);
    free(z->e);
    buf_free(&z->out.b);
    free(z);
    return rc;
}
