/* tmpdb.h - a throwaway database file for a test program. */
#ifndef JINZAI_TEST_TMPDB_H
#define JINZAI_TEST_TMPDB_H

#include <stdio.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"

/* The header of a skill-map CSV, for tests that build a small map. */
#define SKILL_CSV_HEAD \
    "上位コード,コード,名称,説明,出典,レベル0,レベル1,レベル2,レベル3,レベル4,目標_一般職員,目標_DX推進リーダー,目標_高度専門人材\r\n"

/* Removes a database file and its WAL companions. */
static inline void tmpdb_remove(const char *path)
{
    char p[300];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* A new migrated database at /tmp/jinzai-NAME-PID.db (its path into path,
 * room for 64); NULL when it cannot be made. */
static inline Db *tmpdb_open(char *path, size_t n, const char *name)
{
    snprintf(path, n, "/tmp/jinzai-%s-%d.db", name, (int)getpid());
    tmpdb_remove(path);
    Db *db = db_open(path);
    if (db && migrate(db) < 0) {
        db_close(db);
        db = NULL;
    }
    return db;
}

#endif
