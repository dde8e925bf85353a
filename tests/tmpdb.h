/* tmpdb.h - a throwaway database for a test program: a file under /tmp, or,
 * when the environment variable JINZAI_TEST_PG names a PostgreSQL cluster
 * (a libpq keyword string; `make test-pg` sets it), a fresh database on
 * that cluster, dropped again by tmpdb_remove. */
#ifndef JINZAI_TEST_TMPDB_H
#define JINZAI_TEST_TMPDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"
#include "pgtmp.h"

/* The header of a skill-map CSV, for tests that build a small map. */
#define SKILL_CSV_HEAD \
    "上位コード,コード,名称,説明,出典,レベル0,レベル1,レベル2,レベル3,レベル4,目標_一般職員,目標_DX推進リーダー,目標_高度専門人材\r\n"

/* True when the tests run on the PostgreSQL cluster of JINZAI_TEST_PG. */
static inline bool tmpdb_on_pg(void)
{
    const char *pg = getenv("JINZAI_TEST_PG");
    return pg && *pg;
}

/* With JINZAI_TEST_PG set: a new empty database jzt_NAME_PID on that
 * cluster (NAME folded to a plain identifier), its name into pgname and its
 * conninfo for db_open into conn. 1 when made, 0 when JINZAI_TEST_PG is not
 * set (the caller uses a file), -1 when it cannot be made. */
static inline int tmpdb_pg_create(const char *name, char *pgname, size_t pn, char *conn, size_t cn)
{
    if (!tmpdb_on_pg()) return 0;
    snprintf(pgtmp_base, sizeof pgtmp_base, "%s", getenv("JINZAI_TEST_PG"));
    int k = snprintf(pgname, pn, "jzt_%s_%d", name, (int)getpid());
    if (k < 0 || (size_t)k >= pn || k > 63) return -1;
    for (int i = 0; i < k; i++)
        if (!((pgname[i] >= 'a' && pgname[i] <= 'z') || (pgname[i] >= '0' && pgname[i] <= '9'))) pgname[i] = '_';
    return pgtmp_create(pgname, conn, cn) ? 1 : -1;
}

/* Removes a database file and its WAL companions; a name without a '/'
 * (what tmpdb_open gives on PostgreSQL) is a database, dropped. */
static inline void tmpdb_remove(const char *path)
{
    if (tmpdb_on_pg() && !strchr(path, '/')) {
        char name[64]; /* a PostgreSQL identifier has at most 63 bytes */
        snprintf(name, sizeof name, "%.63s", path);
        snprintf(pgtmp_base, sizeof pgtmp_base, "%s", getenv("JINZAI_TEST_PG"));
        pgtmp_drop(name);
        return;
    }
    char p[300];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* db_open and migrate; NULL when either fails. */
static inline Db *tmpdb_migrated(const char *name)
{
    Db *db = db_open(name);
    if (db && migrate(db) < 0) {
        db_close(db);
        db = NULL;
    }
    return db;
}

/* A new migrated SQLite file /tmp/jinzai-NAME-PID.db whatever
 * JINZAI_TEST_PG says, for the tests that compare the backends (its path
 * into path, room for 64); NULL when it cannot be made. */
static inline Db *tmpdb_open_sqlite(char *path, size_t n, const char *name)
{
    snprintf(path, n, "/tmp/jinzai-%s-%d.db", name, (int)getpid());
    tmpdb_remove(path);
    return tmpdb_migrated(path);
}

/* A new migrated database: the file /tmp/jinzai-NAME-PID.db, or with
 * JINZAI_TEST_PG the PostgreSQL database jzt_NAME_PID (its path or name
 * into path, room for 64; tmpdb_remove(path) removes it); NULL when it
 * cannot be made. */
static inline Db *tmpdb_open(char *path, size_t n, const char *name)
{
    char conn[640];
    int pg = tmpdb_pg_create(name, path, n, conn, sizeof conn);
    if (pg < 0) return NULL;
    return pg ? tmpdb_migrated(conn) : tmpdb_open_sqlite(path, n, name);
}

#endif
