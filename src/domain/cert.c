/* cert.c - see cert.h. */
#include "cert.h"

#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "../db/tx.h"

int64_t cert_completion_owner(Db *db, int64_t completion_id)
{
    return db_int(db, 0, "SELECT staff_id FROM completion WHERE id = ?", completion_id);
}

/* "R8-SEC-01-" for 年度 2026 and course code sec-01: letters in capitals,
 * anything but letters, digits and '-' dropped. */
static void serial_prefix(int nendo, const char *code, char *out, size_t cap)
{
    int n = snprintf(out, cap, "R%d-", nendo - 2018);
    size_t k = n > 0 ? (size_t)n : 0;
    for (const char *p = code; p && *p && k + 9 < cap; p++) {
        char c = *p;
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') out[k++] = c;
    }
    if (k > 0 && out[k - 1] != '-') out[k++] = '-';
    out[k] = '\0';
}

int cert_issue(Db *db, const Actor *who, int64_t completion_id, char serial[CERT_SERIAL_MAX], Errors *e)
{
    serial[0] = '\0';
    Arena a = ARENA_INIT;
    char *have = db_text(db, &a, "SELECT serial FROM certificate WHERE completion_id = ?", completion_id);
    if (have) {
        snprintf(serial, CERT_SERIAL_MAX, "%s", have);
        arena_free(&a);
        return 0;
    }
    int64_t staff = 0, course = 0;
    int nendo = 0;
    bool completed = false;
    const char *code = NULL, *title = NULL;
    Stmt *st = db_query(db,
                        "SELECT k.staff_id, k.completed, t.nendo, c.id, c.code, c.title FROM completion k"
                        " JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id WHERE k.id = ?",
                        completion_id);
    if (db_step(st) == DB_ROW) {
        staff = db_col_int(st, 0);
        completed = db_col_int(st, 1) != 0;
        nendo = (int)db_col_int(st, 2);
        course = db_col_int(st, 3);
        code = db_col_dup(st, 4, &a);
        title = db_col_dup(st, 5, &a);
    }
    db_done(st);
    if (!staff) err_add(e, "", "その受講記録は見つかりません。");
    else if (!completed) err_add(e, "", "修了していない研修の修了証は発行できません。");
    if (err_any(e) || tx_begin(db, e) != 0) {
        arena_free(&a);
        return -1;
    }
    char prefix[CERT_SERIAL_MAX - 24];
    serial_prefix(nendo, code, prefix, sizeof prefix);
    int64_t seq = db_int(db, 0,
                         "SELECT COUNT(*) FROM certificate ce JOIN completion k ON k.id = ce.completion_id"
                         " JOIN training_session t ON t.id = k.session_id WHERE t.course_id = ? AND t.nendo = ?",
                         course, nendo);
    do snprintf(serial, CERT_SERIAL_MAX, "%s%06d", prefix, (int)(++seq % 1000000));
    while (db_exists(db, "SELECT 1 FROM certificate WHERE serial = ?", serial));
    char now[32];
    now_iso(now);
    bool ok = db_exec(db, "INSERT INTO certificate (serial, completion_id, issued_at) VALUES (?, ?, ?)", (const char *)serial,
                      completion_id, (const char *)now) == 1;
    ok = ok && audit_write(db, who, "certificate.issue", "completion", completion_id, staff,
                           arena_printf(&a, "修了証 %s（%s）", serial, title)) == 0;
    arena_free(&a);
    int rc = tx_end(db, e, ok);
    if (rc != 0) serial[0] = '\0';
    return rc;
}

/* The day of completion: the session's last day, or the day it was recorded
 * when that is earlier (e-learning sessions stay open all year). */
#define CERT_COLS                                                                                                    \
    "SELECT ce.serial, ce.issued_at, k.id, k.staff_id, c.id, s.staff_no, s.name, c.code, c.title,"                  \
    " CASE WHEN substr(k.recorded_at, 1, 10) < substr(t.ends_at, 1, 10) THEN substr(k.recorded_at, 1, 10)"        \
    " ELSE substr(t.ends_at, 1, 10) END, t.nendo, k.minutes, k.completed"

static void cert_row(Stmt *st, Arena *a, Certificate *c)
{
    *c = (Certificate){.serial = db_col_dup(st, 0, a), .issued_at = db_col_dup(st, 1, a), .completion_id = db_col_int(st, 2),
                       .staff_id = db_col_int(st, 3), .course_id = db_col_int(st, 4), .staff_no = db_col_dup(st, 5, a),
                       .staff_name = db_col_dup(st, 6, a), .course_code = db_col_dup(st, 7, a), .course_title = db_col_dup(st, 8, a),
                       .completed_on = db_col_dup(st, 9, a), .nendo = (int)db_col_int(st, 10), .minutes = (int)db_col_int(st, 11),
                       .valid = db_col_int(st, 12) != 0};
}

bool cert_find(Db *db, Arena *a, const char *serial, Certificate *out)
{
    memset(out, 0, sizeof *out);
    if (str_empty(serial) || strlen(serial) >= CERT_SERIAL_MAX) return false;
    Stmt *st = db_query(db,
                        CERT_COLS " FROM certificate ce JOIN completion k ON k.id = ce.completion_id JOIN staff s ON s.id = k.staff_id"
                                  " JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id WHERE ce.serial = ?",
                        serial);
    bool found = db_step(st) == DB_ROW;
    if (found) cert_row(st, a, out);
    db_done(st);
    return found;
}

int cert_list_staff(Db *db, Arena *a, int64_t staff_id, Certificate **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM completion WHERE staff_id = ?", staff_id) + 1, n = 0;
    Certificate *c = arena_zalloc(a, sizeof *c * (size_t)cap);
    Stmt *st = db_query(db,
                        CERT_COLS " FROM completion k LEFT JOIN certificate ce ON ce.completion_id = k.id JOIN staff s ON s.id = k.staff_id"
                                  " JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id"
                                  " WHERE k.staff_id = ? AND k.completed = 1 ORDER BY t.ends_at DESC, k.id DESC",
                        staff_id);
    while (n < cap && db_step(st) == DB_ROW) cert_row(st, a, &c[n++]);
    db_done(st);
    *out = c;
    return n;
}
