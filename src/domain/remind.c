/* remind.c - see remind.h. */
#include "remind.h"

#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "assess.h"
#include "mandatory.h"
#include "notice.h"
#include "../db/tx.h"

static const char *codes[] = {"assessments", "approvals", "reports", "mandatory"};
static const char *names[] = {"自己評価の提出", "研修申込の承認", "復命書の提出", "必修研修の受講"};

int remind_kind_parse(const char *s)
{
    for (int i = 0; i < RM_COUNT; i++)
        if (s && strcmp(s, codes[i]) == 0) return i;
    return -1;
}
const char *remind_kind_code(RemindKind k) { return k < RM_COUNT ? codes[k] : ""; }
const char *remind_kind_name(RemindKind k) { return k < RM_COUNT ? names[k] : ""; }

static bool selected(const int64_t *ids, int n, int64_t id)
{
    if (n <= 0) return true;
    for (int i = 0; i < n; i++)
        if (ids[i] == id) return true;
    return false;
}

/* Adds count to the target of account_id (a new one when absent). */
static void add(Db *db, Arena *a, RemindTarget *t, int *n, int cap, int64_t account_id, int count)
{
    for (int i = 0; i < *n; i++)
        if (t[i].account_id == account_id) {
            t[i].count += count;
            return;
        }
    if (*n >= cap) return;
    Stmt *st = db_query(db, "SELECT ac.staff_id, COALESCE(s.name, ac.login), ac.mail FROM account ac LEFT JOIN staff s ON s.id = ac.staff_id WHERE ac.id = ?",
                        account_id);
    if (db_step(st) == DB_ROW) {
        t[*n] = (RemindTarget){.account_id = account_id, .staff_id = db_col_int(st, 0), .name = db_col_dup(st, 1, a),
                               .mail = db_col_dup(st, 2, a), .count = count};
        if (!t[*n].mail) t[*n].mail = "";
        (*n)++;
    }
    db_done(st);
}

static int64_t account_of(Db *db, int64_t staff_id)
{
    return db_int(db, 0, "SELECT MIN(id) FROM account WHERE staff_id = ? AND active = 1", staff_id);
}

int remind_targets(Db *db, Arena *a, RemindKind k, int nendo, const char *today, const int64_t *ids, int nids, RemindTarget **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM account") + 1;
    RemindTarget *t = arena_zalloc(a, sizeof *t * (size_t)cap);
    int n = 0;
    *out = t;
    Stmt *st = NULL;
    if (k == RM_ASSESSMENTS) {
        AssessPeriod p;
        assess_period_get(db, a, nendo, &p);
        if (!assess_period_open(&p, today)) return 0;
        st = db_query(db,
                      "SELECT s.id, 1 FROM staff s WHERE " ASOF_IN_SERVICE("s.id")
                      " AND NOT EXISTS (SELECT 1 FROM assessment x WHERE x.staff_id = s.id AND x.nendo = ? AND x.state IN ('submitted', 'confirmed'))"
                      " ORDER BY s.staff_no",
                      today, today, nendo);
    } else if (k == RM_REPORTS) {
        Date d;
        char cutoff[11];
        if (!date_parse(today, &d)) return 0;
        date_iso(date_add_days(d, -7), cutoff);
        st = db_query(db,
                      "SELECT c.staff_id, COUNT(*) FROM completion c JOIN training_session ts ON ts.id = c.session_id"
                      " JOIN course co ON co.id = ts.course_id JOIN staff s ON s.id = c.staff_id"
                      " WHERE c.attended = 1 AND c.report_on IS NULL AND co.provider NOT IN ('somu', 'seisaku') AND ts.ends_at < ?"
                      " GROUP BY c.staff_id, s.staff_no ORDER BY s.staff_no",
                      cutoff);
    } else if (k == RM_MANDATORY) {
        /* The courses of the 年度 for the person's tier (mandatory.h), not yet completed. */
        st = db_query(db,
                      "SELECT s.id, COUNT(*) FROM staff s JOIN " MANDATORY_OF_NENDO " m"
                      " ON (m.tiers & (1 << CAST(" ASOF_TIER_OF("s.id") " AS INTEGER))) <> 0"
                      " WHERE " ASOF_IN_SERVICE("s.id") " AND NOT " MANDATORY_DONE("s.id", "m.course_id")
                      " GROUP BY s.id, s.staff_no ORDER BY s.staff_no",
                      nendo, nendo, nendo, today, today, today, today, nendo);
    } else if (k == RM_APPROVALS) {
        st = db_query(db,
                      "SELECT ap.id, " ASOF_UNIT_OF("ap.staff_id") " FROM application ap JOIN training_session ts ON ts.id = ap.session_id"
                      " WHERE ap.state = 'applied' AND ts.cancelled = 0 ORDER BY ap.id",
                      today, today);
        int64_t (*rows)[2] = arena_alloc(a, sizeof *rows * 4096);
        int nr = 0;
        while (nr < 4096 && db_step(st) == DB_ROW) {
            rows[nr][0] = db_col_int(st, 0);
            rows[nr][1] = db_col_int(st, 1);
            nr++;
        }
        db_done(st);
        for (int i = 0; i < nr; i++) {
            if (!selected(ids, nids, rows[i][0])) continue;
            int64_t m[16];
            int nm = notice_managers(db, rows[i][1], m, 16);
            for (int j = 0; j < nm; j++) add(db, a, t, &n, cap, m[j], 1);
        }
        return n;
    } else
        return 0;
    int64_t (*rows)[2] = arena_alloc(a, sizeof *rows * (size_t)(db_int(db, 0, "SELECT COUNT(*) FROM staff") + 1));
    int cap_rows = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff"), nr = 0;
    while (nr < cap_rows && db_step(st) == DB_ROW) {
        rows[nr][0] = db_col_int(st, 0);
        rows[nr][1] = db_col_int(st, 1);
        nr++;
    }
    db_done(st);
    for (int i = 0; i < nr; i++) {
        if (!selected(ids, nids, rows[i][0])) continue;
        int64_t acc = account_of(db, rows[i][0]);
        if (acc) add(db, a, t, &n, cap, acc, (int)rows[i][1]);
    }
    return n;
}

void remind_text(Db *db, Arena *a, RemindKind k, int nendo, const RemindTarget *t, const char **title, const char **body,
                 const char **link)
{
    switch (k) {
    case RM_ASSESSMENTS: {
        AssessPeriod p;
        assess_period_get(db, a, nendo, &p);
        *title = arena_printf(a, "【督促】自己評価の提出をお願いします（%d年度）", nendo);
        *body = arena_printf(a, "%d年度の自己評価がまだ提出されていません。%s%s%s自己評価を入力して提出してください。", nendo,
                             p.closes_on ? "提出期限は " : "", p.closes_on ? p.closes_on : "", p.closes_on ? " です。" : "");
        *link = "/assess";
        break;
    }
    case RM_APPROVALS:
        *title = "【督促】研修申込の承認をお願いします";
        *body = arena_printf(a, "所属長の承認を待っている研修申込が %d 件あります。承認または不承認を選んでください。", t->count);
        *link = "/training/approvals";
        break;
    case RM_REPORTS:
        *title = "【督促】復命書の提出をお願いします";
        *body = arena_printf(a, "受講した外部研修 %d 件の復命書がまだ提出されていません。復命書を提出してください。", t->count);
        *link = "/training";
        break;
    default: {
        /* The one due first, with its date (and whether it has passed). */
        char today[11];
        now_date(today);
        MandatoryDue *md;
        int nd = mandatory_due(db, a, t->staff_id, nendo, today, &md);
        const char *due = "";
        if (nd > 0 && md[0].due_on) {
            Buf w = BUF_INIT;
            wareki_date_iso(&w, md[0].due_on);
            due = arena_printf(a, "「%s」の期限は %s です%s。", md[0].title, buf_cstr(&w), md[0].overdue ? "（期限を過ぎています）" : "");
            buf_free(&w);
        }
        *title = arena_printf(a, "【督促】必修研修の受講をお願いします（%d年度）", nendo);
        *body = arena_printf(a, "%d年度の必修研修のうち %d 件をまだ修了していません。%s研修に申し込んで受講してください。", nendo, t->count, due);
        *link = "/training";
        break;
    }
    }
}

int remind_queue(Db *db, const Actor *who, RemindKind k, int nendo, const RemindTarget *t, int n, Errors *e)
{
    if (n <= 0) {
        err_add(e, "", "督促する相手がいません。");
        return -1;
    }
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    bool ok = true;
    char kind[40];
    snprintf(kind, sizeof kind, "remind_%s", remind_kind_code(k));
    for (int i = 0; i < n && ok; i++) {
        const char *title, *body, *link;
        remind_text(db, &a, k, nendo, &t[i], &title, &body, &link);
        ok = notice_put(db, t[i].account_id, kind, true, title, body, link) == 0;
    }
    ok = ok && audit_write(db, who, "remind.send", "notice", 0, 0, arena_printf(&a, "督促（%s）%d人", remind_kind_name(k), n)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}
