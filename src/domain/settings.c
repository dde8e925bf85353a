/* settings.c - see settings.h. */
#include "settings.h"

#include "../core/util.h"
#include "../io/text.h"
#include "tx.h"

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

int settings_nendo(Db *db)
{
    int64_t n = db_int(db, 0, "SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'current_nendo'");
    return n > 0 ? (int)n : nendo_of(date_today());
}

const char *settings_city(Db *db, Arena *a) { return setting_get(db, a, "city_name", "国東市"); }

int settings_save(Db *db, const Actor *who, int nendo, const char *city, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    bool ok = setting_set(db, who, "current_nendo", arena_printf(&a, "%d", nendo)) == 0 && setting_set(db, who, "city_name", city) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}
