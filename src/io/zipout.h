/* zipout.h - a zip archive written front to back (the container of .xlsx).
 *
 * Entries are deflated with zlib at level 3, the best of its fast levels:
 * the 278 MB sheet of 742,673 rows takes 0.5 s of CPU at levels 1 to 3
 * (15.2, 13.4, 12.9 MB), 0.9 s at 4 (11.7 MB) and 1.4 s at 6 (9.8 MB). No zip64: an entry or the
 * archive past 4 GiB is an error. Names are ASCII part names. */
#ifndef JINZAI_ZIPOUT_H
#define JINZAI_ZIPOUT_H

#include <stddef.h>

#include "../core/buf.h"

typedef struct ZipOut ZipOut;
typedef struct ZipPart ZipPart;

/* An archive written to fd (>= 0) in chunks as it grows, or kept in memory
 * (fd < 0) and handed over by zipout_finish. */
ZipOut *zipout_new(int fd);
/* One whole entry from memory; 0 or -1. */
int zipout_add(ZipOut *z, const char *name, const char *data, size_t len);
/* An entry whose body streams (deflated as it comes, spooled to a private
 * temporary file once it is large) and whose beginning is known only at
 * the end: zippart_write the body, then zipout_part_end with the head,
 * which is stored before the body. One part at a time. */
ZipPart *zipout_part_begin(ZipOut *z, const char *name);
int zippart_write(ZipPart *p, const char *data, size_t len);
/* Ends the part (freed either way); 0 or -1 (also when a write failed). */
int zipout_part_end(ZipPart *p, const char *head, size_t head_len);
/* Writes the central directory and frees z. For a memory archive, appends
 * its bytes to out; for an fd archive, *size is the bytes written. 0 or -1. */
int zipout_finish(ZipOut *z, Buf *out, size_t *size);

#endif
