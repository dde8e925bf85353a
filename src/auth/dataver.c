/* dataver.c - see dataver.h. */
#include "dataver.h"

#include <string.h>

int64_t data_version(Db *db) { return db_int(db, 0, "SELECT version FROM data_version WHERE id = 1"); }

int data_version_bump(Db *db) { return db_exec(db, "UPDATE data_version SET version = version + 1 WHERE id = 1") >= 0 ? 0 : -1; }

bool data_version_writes(const char *action)
{
    static const char view[] = ".view";
    size_t n = action ? strlen(action) : 0;
    return !(n >= sizeof view - 1 && !strcmp(action + n - (sizeof view - 1), view));
}
