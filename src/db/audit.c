/* audit.c - see audit.h. */
#include "audit.h"

#include <string.h>
#include <time.h>

#include "../core/util.h"
#include "dataver.h"

const Actor ACTOR_CLI = {0, "cli", ""};

/* One new row of the given kind ('write' or 'read'). 0 or -1. */
static int insert_row(Db *db, const Actor *who, const char *action, const char *entity, int64_t entity_id, int64_t subject_staff_id,
                      const char *summary, const char *kind)
{
    char now[32];
    now_iso(now);
    int rc = db_exec(db,
                     "INSERT INTO audit_log (at, account_id, actor, ip, action, entity, entity_id,"
                     " subject_staff_id, summary, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     now, DB_ID_OR_NULL(who->account_id), who->name, who->ip ? who->ip : "", action, entity,
                     DB_ID_OR_NULL(entity_id), DB_ID_OR_NULL(subject_staff_id), summary ? summary : "", kind);
    return rc == 1 ? 0 : -1;
}

int audit_write(Db *db, const Actor *who, const char *action, const char *entity, int64_t entity_id,
                int64_t subject_staff_id, const char *summary)
{
    if (insert_row(db, who, action, entity, entity_id, subject_staff_id, summary, "write") != 0) return -1;
    /* A write moves the data version, so summaries built before it are stale. */
    return data_version_writes(action) ? data_version_bump_for(db, action, subject_staff_id) : 0;
}

int audit_view_window = 600;

int audit_read(Db *db, const Actor *who, const char *action, const char *entity, int64_t entity_id,
               int64_t subject_staff_id, const char *summary)
{
    size_t n = strlen(action);
    bool download = n >= 7 && strcmp(action + n - 7, ".export") == 0;
    /* A download, or a read with no account or record to collapse into, has
     * its own row; a read never moves the data version. */
    if (download || who->account_id <= 0 || entity_id <= 0)
        return insert_row(db, who, action, entity, entity_id, subject_staff_id, summary, "read");
    char now[32], since[32];
    now_iso(now);
    /* The start of the window, in the stored local-time form of now_iso. */
    time_t t = (time_t)(now_unix() - audit_view_window);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(since, sizeof since, "%Y-%m-%dT%H:%M:%S", &tm);
    int64_t id = db_int(db, 0,
                        "SELECT id FROM audit_log WHERE account_id = ? AND entity = ? AND entity_id = ? AND action = ?"
                        " AND at >= ? AND kind = 'read' ORDER BY at DESC, id DESC LIMIT 1",
                        who->account_id, entity, entity_id, action, since);
    if (id > 0) return db_exec(db, "UPDATE audit_log SET repeats = repeats + 1, last_at = ? WHERE id = ?", now, id) == 1 ? 0 : -1;
    return insert_row(db, who, action, entity, entity_id, subject_staff_id, summary, "read");
}

#define AUDIT_WHERE                                                                                  \
    " WHERE (? IS NULL OR l.actor = ?) AND (? IS NULL OR l.action = ?)"                            \
    " AND (? = 0 OR l.subject_staff_id = ?) AND (? IS NULL OR l.at >= ?) AND (? IS NULL OR l.at < ?)"

static void bind_filter(Stmt *st, const AuditFilter *f, const char *to_next)
{
    int i = 1;
    db_bind_text(st, i++, f->actor);
    db_bind_text(st, i++, f->actor);
    db_bind_text(st, i++, f->action);
    db_bind_text(st, i++, f->action);
    db_bind_int(st, i++, f->subject_staff_id);
    db_bind_int(st, i++, f->subject_staff_id);
    db_bind_text(st, i++, f->from);
    db_bind_text(st, i++, f->from);
    db_bind_text(st, i++, to_next);
    db_bind_text(st, i++, to_next);
}

int audit_list(Db *db, Arena *a, const AuditFilter *f, AuditRow **out, int *total)
{
    /* "to" is inclusive of the whole day: compare against the next day's start. */
    const char *to_next = f->to ? arena_printf(a, "%sT99", f->to) : NULL;
    Stmt *st = db_prepare(db, "SELECT COUNT(*) FROM audit_log l" AUDIT_WHERE);
    bind_filter(st, f, to_next);
    *total = db_step(st) == DB_ROW ? (int)db_col_int(st, 0) : 0;
    db_done(st);

    int limit = f->limit > 0 ? f->limit : 100;
    AuditRow *rows = arena_alloc(a, sizeof *rows * (size_t)limit);
    st = db_prepare(db, "SELECT l.id, l.at, l.actor, l.ip, l.action, l.entity, l.entity_id,"
                         " l.subject_staff_id, l.summary, s.name, l.repeats, l.last_at, l.kind FROM audit_log l"
                        " LEFT JOIN staff s ON s.id = l.subject_staff_id" AUDIT_WHERE
                        " ORDER BY l.id DESC LIMIT ? OFFSET ?");
    bind_filter(st, f, to_next);
    db_bind_int(st, 11, limit);
    db_bind_int(st, 12, f->offset);
    int n = 0;
    while (n < limit && db_step(st) == DB_ROW) {
        AuditRow *x = &rows[n++];
        x->id = db_col_int(st, 0);
        x->at = db_col_dup(st, 1, a);
        x->actor = db_col_dup(st, 2, a);
        x->ip = db_col_dup(st, 3, a);
        x->action = db_col_dup(st, 4, a);
        x->entity = db_col_dup(st, 5, a);
        x->entity_id = db_col_int(st, 6);
        x->subject_staff_id = db_col_int(st, 7);
        x->summary = db_col_dup(st, 8, a);
        x->subject_name = db_col_dup(st, 9, a);
        x->repeats = db_col_int(st, 10);
        x->last_at = db_col_dup(st, 11, a);
        x->kind = db_col_dup(st, 12, a);
    }
    db_done(st);
    *out = rows;
    return n;
}
