/* tmpdb.h - a throwaway database file for a test program. */
#ifndef JINZAI_TEST_TMPDB_H
#define JINZAI_TEST_TMPDB_H

#include <stdio.h>
#include <unistd.h>

/* Removes a database file and its WAL companions. */
static inline void tmpdb_remove(const char *path)
{
    char p[160];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

#endif
