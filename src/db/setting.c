/* setting.c - see setting.h. */
#include "setting.h"

#include "audit.h"

const char *setting_get(Db *db, Arena *a, const char *key, const char *dflt)
{
    char *v = db_text(db, a, "SELECT value FROM setting WHERE key = ?", key);
    return v ? v : dflt;
}

int setting_set(Db *db, const Actor *who, const char *key, const char *value)
{
    if (db_exec(db, "INSERT INTO setting (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                key, value) != 1)
        return -1;
    Arena a = ARENA_INIT;
    int rc = audit_write(db, who, "setting.set", "setting", 0, 0, arena_printf(&a, "%s=%s", key, value));
    arena_free(&a);
    return rc;
}

int setting_set_secret(Db *db, const Actor *who, const char *key, const char *value)
{
    if (db_exec(db, "INSERT INTO setting (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                key, value) != 1)
        return -1;
    Arena a = ARENA_INIT;
    int rc = audit_write(db, who, "setting.set", "setting", 0, 0, arena_printf(&a, "%s（値は記録しません）", key));
    arena_free(&a);
    return rc;
}
