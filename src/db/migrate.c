/* migrate.c - applies the embedded schema files in order; see migrate.h. */
#include "migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../core/embed.h"
#include "../core/util.h"

/* "001_core.sql" -> 1 */
static int file_version(const EmbeddedFile *f) { return atoi(f->name); }

int migrate_latest(void)
{
    int v = 0;
    for (size_t i = 0; i < embedded_schema_count; i++)
        if (file_version(&embedded_schema[i]) > v) v = file_version(&embedded_schema[i]);
    return v;
}

int migrate_current(Db *db)
{
    if (!db_exists(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"))
        return 0;
    return (int)db_int(db, 0, "SELECT MAX(version) FROM schema_version");
}

int migrate(Db *db)
{
    if (db_exec_script(db, "CREATE TABLE IF NOT EXISTS schema_version ("
                           " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)") != 0)
        return -1;
    int cur = migrate_current(db);
    for (size_t i = 0; i < embedded_schema_count; i++) {
        const EmbeddedFile *f = &embedded_schema[i];
        int v = file_version(f);
        if (v <= cur) continue;
        char now[32];
        now_iso(now);
        if (db_begin(db) != 0) return -1;
        if (db_exec_script(db, (const char *)f->data) != 0 ||
            db_exec(db, "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", v, now) != 1) {
            fprintf(stderr, "jinzai: migration %s failed\n", f->name);
            db_rollback(db);
            return -1;
        }
        if (db_commit(db) != 0) return -1;
        cur = v;
    }
    return cur;
}
