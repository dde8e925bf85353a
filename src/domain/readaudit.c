/* readaudit.c - see readaudit.h. */
#include "readaudit.h"

int read_audit_begin(Db *db) { return db_begin(db); }

int read_audit_end(Db *db, const Actor *who, bool shown, const char *action, const char *entity, int64_t entity_id,
                   int64_t subject_staff_id, const char *summary)
{
    if (!shown) {
        db_rollback(db);
        return 0;
    }
    if ((!action || audit_read(db, who, action, entity, entity_id, subject_staff_id, summary) == 0) && db_commit(db) == 0) return 0;
    db_rollback(db);
    return -1;
}
