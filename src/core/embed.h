/* embed.h - files compiled into the binary by tools/embed.c (assets, schema). */
#ifndef JINZAI_EMBED_H
#define JINZAI_EMBED_H

#include <stddef.h>

typedef struct EmbeddedFile {
    const char *name;          /* base name, e.g. "style.css" or "001_core.sql" */
    const unsigned char *data; /* NUL-terminated after len bytes */
    size_t len;
    const char *hash;          /* 10 hex digits of the content hash */
} EmbeddedFile;

extern const EmbeddedFile embedded_assets[];
extern const size_t embedded_assets_count;
extern const EmbeddedFile embedded_schema[];
extern const size_t embedded_schema_count;
extern const EmbeddedFile embedded_data[]; /* data/NAME.csv: default skill map, libraries */
extern const size_t embedded_data_count;
extern const EmbeddedFile embedded_scorm[]; /* scorm-sample.zip, built from data/scorm-sample */
extern const size_t embedded_scorm_count;

#endif
