/* todo.c - see todo.h. */
#include "todo.h"

#include <string.h>

#include "../db/dataver.h"
#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "staffing.h"
#include "kpi.h"
#include "kpi_summary.h"
#include "mandatory.h"
#include "org.h"
#include "completion.h"
#include "training.h"

/* today + days, ISO. */
static void day_after(const char *today, int days, char out[11])
{
    Date d;
    if (!date_parse(today, &d)) d = date_today();
    date_iso(date_add_days(d, days), out);
}

/* An external course is one not run by the city itself (provider_internal
 * in course.c: 総務課 and 政策企画課); its completion waits for a 復命書. */
#define EXTERNAL_COURSE(c) c ".provider NOT IN ('somu', 'seisaku')"

#define REPORTS_DUE_FROM                                                                                             \
    " FROM completion k JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id"          \
    " WHERE k.attended = 1 AND k.report_on IS NULL AND " EXTERNAL_COURSE("c")

void todo_staff(Db *db, Arena *a, int64_t staff_id, int nendo, const char *today, TodoStaff *out)
{
    memset(out, 0, sizeof *out);
    out->return_message = "";
    Stmt *st = db_query(db, "SELECT state, return_message FROM assessment WHERE staff_id = ? AND nendo = ?", staff_id, nendo);
    if (db_step(st) == DB_ROW) {
        out->assess = assess_state_parse(db_col_text(st, 0));
        out->return_message = db_col_dup(st, 1, a);
    }
    db_done(st);
    AssessPeriod p;
    assess_period_get(db, a, nendo, &p);
    out->period_open = assess_period_open(&p, today);
    out->assess_due = out->assess == AS_RETURNED || (out->period_open && (out->assess == AS_NONE || out->assess == AS_DRAFT));

    out->apps_waiting = (int)db_int(db, 0,
                                    "SELECT COUNT(*) FROM application x JOIN training_session t ON t.id = x.session_id"
                                    " WHERE x.staff_id = ? AND x.state IN ('applied', 'approved') AND t.cancelled = 0 AND t.starts_at >= ?",
                                    staff_id, today);
    char until[11];
    day_after(today, TODO_UPCOMING_DAYS + 1, until);
    out->upcoming = (int)db_int(db, 0,
                                "SELECT COUNT(*) FROM application x JOIN training_session t ON t.id = x.session_id"
                                " WHERE x.staff_id = ? AND x.state = 'accepted' AND t.cancelled = 0 AND t.starts_at >= ? AND t.starts_at < ?",
                                staff_id, today, until);
    out->reports_due = (int)db_int(db, 0, "SELECT COUNT(*)" REPORTS_DUE_FROM " AND k.staff_id = ?", staff_id);
    /* 職場還元: a ② leader owes one for each course completed in the 年度
     * after which they have held none. */
    if (db_int(db, 0, "SELECT COUNT(*) FROM tier_designation d WHERE d.staff_id = ? AND d.tier = 2 AND " ASOF_DESIGNATED("d"), staff_id,
               nendo, today, today) > 0)
        out->shareback_due = (int)db_int(db, 0,
                                          "SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id"
                                          " WHERE k.staff_id = ? AND k.completed = 1 AND t.nendo = ? AND NOT EXISTS (SELECT 1 FROM share_back sb"
                                          " WHERE sb.staff_id = k.staff_id AND sb.held_on >= substr(t.starts_at, 1, 10))",
                                          staff_id, nendo);
    MandatoryDue *md;
    out->mandatory_due = mandatory_due(db, a, staff_id, nendo, today, &md);
    for (int i = 0; i < out->mandatory_due; i++) out->mandatory_overdue += md[i].overdue;
    if (out->mandatory_due) {
        out->mandatory_title = md[0].title;
        out->mandatory_due_on = md[0].due_on;
    }
    char last[11];
    day_after(today, TODO_EXPIRING_DAYS, last);
    /* A renewal (the same qualification valid longer) settles it. */
    out->quals_expiring = (int)db_int(db, 0,
                                      "SELECT COUNT(*) FROM staff_qualification q WHERE q.staff_id = ? AND q.expires_on >= ? AND q.expires_on <= ?"
                                      " AND NOT EXISTS (SELECT 1 FROM staff_qualification r WHERE r.staff_id = q.staff_id"
                                      " AND r.qual_code = q.qual_code AND (r.expires_on IS NULL OR r.expires_on > q.expires_on))",
                                      staff_id, today, last);
}

/* Units in root's subtree (root 0: all) that need a 総括リーダー and have none.
 * The subtree is walked from root over units valid on as_of, so the cost follows
 * the manager's part of the organisation, not its size. A unit needs one when it
 * is a 係, or a 課 with no 係 valid then; a lead counts when designated for the
 * 年度 and in service on as_of, as org_tree counts them (it takes the same date
 * for a view of the 年度). MISSING_SUB binds root, as_of x4; MISSING_WHERE binds
 * LEVEL_KAKARI, LEVEL_KA, LEVEL_KAKARI, as_of x2, nendo, as_of x4. */
#define UNIT_VALID(u) "(" u ".valid_from <= ? AND (" u ".valid_to IS NULL OR " u ".valid_to >= ?))"
#define MISSING_SUB                                                                                              \
    "WITH RECURSIVE sub(id, level) AS (SELECT u.id, u.level FROM org_unit u WHERE u.id = ? AND " UNIT_VALID("u") \
    " UNION ALL SELECT o.id, o.level FROM org_unit o JOIN sub ON o.parent_id = sub.id WHERE " UNIT_VALID("o") ")"
#define MISSING_WHERE                                                                                                 \
    " WHERE (sub.level = ? OR (sub.level = ? AND NOT EXISTS (SELECT 1 FROM org_unit k WHERE k.parent_id = sub.id"       \
    " AND k.level = ? AND " UNIT_VALID("k") ")))"                                                                     \
    " AND NOT EXISTS (SELECT 1 FROM tier_designation d WHERE d.unit_id = sub.id AND d.tier = 2 AND d.subtype = 'lead'" \
    " AND " ASOF_DESIGNATED("d") " AND " ASOF_IN_SERVICE("d.staff_id") ")"

static int missing_leads_in(Db *db, Arena *a, int64_t root, int nendo, const char *as_of)
{
    if (root == 0) {
        UnitTree t;
        org_tree(db, a, as_of, nendo, &t);
        return t.missing_leads;
    }
    return (int)db_int(db, 0, MISSING_SUB " SELECT COUNT(*) FROM sub" MISSING_WHERE, root, as_of, as_of, as_of, as_of, LEVEL_KAKARI,
                       LEVEL_KA, LEVEL_KAKARI, as_of, as_of, nendo, as_of, as_of, as_of, as_of);
}

int todo_missing_leads(Db *db, Arena *a, int64_t root, int nendo, const char *as_of, MissingLead **out)
{
    MissingLead *list = NULL;
    int n = 0, cap = 0;
    Stmt *st = db_query(db,
                        MISSING_SUB " SELECT u.id, u.name, p.name FROM sub JOIN org_unit u ON u.id = sub.id"
                                    " LEFT JOIN org_unit p ON p.id = u.parent_id AND " UNIT_VALID("p") MISSING_WHERE
                                    " ORDER BY u.level, u.sort_order, u.code",
                        root, as_of, as_of, as_of, as_of, as_of, as_of, LEVEL_KAKARI, LEVEL_KA, LEVEL_KAKARI, as_of, as_of, nendo, as_of,
                        as_of, as_of, as_of);
    while (db_step(st) == DB_ROW) {
        ARENA_GROW(a, list, n, cap);
        list[n].unit_id = db_col_int(st, 0);
        list[n].name = db_col_dup(st, 1, a);
        list[n].parent_name = db_col_null(st, 2) ? NULL : db_col_dup(st, 2, a);
        n++;
    }
    db_done(st);
    *out = list;
    return n;
}

/* A 所属長's counts, read from the people of root's subtree (through the
 * assignment_unit indexes) rather than from everyone: the same rows that
 * assess_progress and app_list_waiting give for that root, counted in SQL, so
 * the cost of every page's menu follows the manager's part of the
 * organisation. "Visible" is the 所属長 scope rule (ASOF_VISIBLE): an
 * assignment in force today inside the subtree. */
#define SUBTREE_PEOPLE_TODAY \
    "(SELECT avs.staff_id FROM assignment avs WHERE avs.unit_id IN (" ASOF_SUBTREE ") AND " ASOF_IN_FORCE("avs") ")"

static void manager_counts(Db *db, int64_t root, int64_t self_id, int nendo, const char *as_of, const char *today, TodoManager *out)
{
    Stmt *st = db_query(db,
                        "SELECT COALESCE(x.state, 'none'), COUNT(*) FROM assignment a JOIN staff s ON s.id = a.staff_id"
                        " JOIN org_unit u ON u.id = a.unit_id LEFT JOIN assessment x ON x.staff_id = s.id AND x.nendo = ?"
                        " WHERE a.unit_id IN (" ASOF_SUBTREE ") AND a.is_primary = 1 AND " ASOF_IN_FORCE("a")
                        " AND s.id <> ? AND s.id IN " SUBTREE_PEOPLE_TODAY " GROUP BY COALESCE(x.state, 'none')",
                        nendo, root, as_of, as_of, self_id, root, today, today);
    while (db_step(st) == DB_ROW) {
        int k = (int)db_col_int(st, 1);
        AssessState state = assess_state_parse(db_col_text(st, 0));
        out->in_service += k;
        if (state == AS_SUBMITTED) out->to_confirm += k;
        else if (state != AS_CONFIRMED) out->not_submitted += k;
    }
    db_done(st);
    /* app_list_waiting names the people in scope on the calendar's today. */
    char now[11];
    now_date(now);
    out->to_approve = (int)db_int(db, 0,
                                  "SELECT COUNT(*) FROM application x JOIN staff s ON s.id = x.staff_id JOIN training_session t ON t.id = x.session_id"
                                  " JOIN course c ON c.id = t.course_id LEFT JOIN " ASOF_PRIMARY("a", "s.id")
                                  " WHERE x.state = ? AND x.staff_id <> ? AND x.staff_id IN " SUBTREE_PEOPLE_TODAY,
                                  now, now, app_state_code(AP_APPLIED), self_id, root, now, now);
}

void todo_manager(Db *db, Arena *a, int64_t root, int64_t self_id, int nendo, const char *today, TodoManager *out)
{
    memset(out, 0, sizeof *out);
    if (root < 0) return;
    char as_of[11];
    asof_nendo_date(nendo, as_of);
    if (root > 0) {
        manager_counts(db, root, self_id, nendo, as_of, today, out);
        out->missing_leads = missing_leads_in(db, a, root, nendo, as_of);
        return;
    }
    ProgressRow *rows;
    int n = assess_progress(db, a, nendo, as_of, root, root, today, &rows);
    for (int i = 0; i < n; i++) {
        if (!rows[i].visible || rows[i].staff_id == self_id) continue;
        out->in_service++;
        if (rows[i].state == AS_SUBMITTED) out->to_confirm++;
        else if (rows[i].state != AS_CONFIRMED) out->not_submitted++;
    }
    Application *apps;
    int na = app_list_waiting(db, a, AP_APPLIED, root, &apps);
    for (int i = 0; i < na; i++) out->to_approve += apps[i].staff_id != self_id;
    out->missing_leads = missing_leads_in(db, a, root, nendo, as_of);
}

#define TO_CLOSE_WHERE                                                                          \
    " FROM training_session t WHERE t.cancelled = 0 AND t.ends_at < ?"                          \
    " AND EXISTS (SELECT 1 FROM application x WHERE x.session_id = t.id AND x.state = 'accepted')" \
    " AND NOT EXISTS (SELECT 1 FROM completion k WHERE k.session_id = t.id)"

static int sessions_to_close(Db *db, const char *today) { return (int)db_int(db, 0, "SELECT COUNT(*)" TO_CLOSE_WHERE, today); }

int todo_apps_waiting(Db *db, const char *state, int64_t root, const char *today)
{
    return (int)db_int(db, 0,
                       "SELECT COUNT(*) FROM application x JOIN staff s ON s.id = x.staff_id JOIN training_session t ON t.id = x.session_id"
                       " JOIN course c ON c.id = t.course_id WHERE x.state = ? AND " ASOF_VISIBLE("x.staff_id"),
                       state, root, today, today, root);
}

static void office_counts(Db *db, const char *today, const char *now, TodoOffice *out)
{
    out->to_decide = todo_apps_waiting(db, app_state_code(AP_APPROVED), 0, now);
    out->to_close = sessions_to_close(db, today);
    out->first_to_close = db_int(db, 0, "SELECT t.id" TO_CLOSE_WHERE " ORDER BY t.starts_at, t.id LIMIT 1", today);
    out->attendance = (int)db_int(db, 0,
                                  "SELECT COUNT(*) FROM application x JOIN training_session t ON t.id = x.session_id"
                                  " WHERE x.state = 'accepted' AND t.cancelled = 0 AND t.ends_at < ?"
                                  " AND NOT EXISTS (SELECT 1 FROM completion k WHERE k.session_id = x.session_id AND k.staff_id = x.staff_id)",
                                  today);
    out->reports_to_check = (int)db_int(db, 0, "SELECT COUNT(*)" REPORTS_DUE_FROM);
}

void todo_office(Db *db, Arena *a, int nendo, const char *today, TodoOffice *out)
{
    memset(out, 0, sizeof *out);
    char now[11];
    now_date(now);
    /* The counts read every application and completion of the organisation,
     * and the coverage rules every unit: kept in the KPI summary (board
     * "office", one row of counts and one of rules not met) at the data
     * version, keyed by the day asked and the real day. */
    bool cache = kpi_cache_on();
    int64_t version = cache ? data_version(db) : 0;
    const char *key = arena_printf(a, "%s/%s", today, now);
    KpiBoardRow *b;
    if (cache && kpi_board_read(db, a, nendo, key, "office", version, &b) == 2) {
        out->to_decide = b[0].n[0];
        out->to_close = b[0].n[1];
        out->attendance = b[0].n[2];
        out->reports_to_check = b[0].n[3];
        out->first_to_close = b[0].ref_id;
        out->staffing_leader = b[1].n[0];
        out->staffing_experts = b[1].n[1];
        out->staffing_keysys = b[1].n[2];
        return;
    }
    office_counts(db, today, now, out);
    char as_of[11];
    asof_nendo_date(nendo, as_of);
    StaffingRow *cov;
    int nc = staffing_coverage(db, a, nendo, as_of, &cov);
    for (int i = 0; i < nc; i++) {
        if (cov[i].state == STAFFING_MET) continue;
        if (str_eq(cov[i].rule, "leader")) out->staffing_leader++;
        else if (str_eq(cov[i].rule, "experts")) out->staffing_experts++;
        else out->staffing_keysys++;
    }
    if (cache)
        kpi_board_store(db, nendo, key, "office", version,
                        (KpiBoardRow[]){{"", "", "", "", 0, out->first_to_close, {out->to_decide, out->to_close, out->attendance, out->reports_to_check}},
                                        {"", "", "", "", 0, 0, {out->staffing_leader, out->staffing_experts, out->staffing_keysys, 0}}},
                        2);
}

static int pct(int part, int whole) { return whole ? part * 100 / whole : 0; }

/* The fixed part of each task: its months, title and whether it is current. */
static void year_tasks_init(int nendo, const char *today, YearTask *out)
{
    static const struct {
        const char *when, *title;
        int from, to; /* months; 0: all year */
    } defs[YT_COUNT] = {
        [YT_ROLLOVER] = {"4月", "年度更新（指名・目標の引継ぎ）", 4, 4},
        [YT_ROSTER] = {"4月", "職員名簿の取込・人事異動", 4, 4},
        [YT_LEADERS] = {"4月", "総括リーダー等の指名", 4, 5},
        [YT_PERIOD] = {"4〜5月", "自己評価の期間設定", 4, 5},
        [YT_ASSESS] = {"5〜7月", "自己評価の提出", 5, 7},
        [YT_CONFIRM] = {"6〜8月", "上司確認", 6, 8},
        [YT_TRAINING] = {"通年", "研修の実施と受講記録", 0, 0},
        [YT_PLAN] = {"秋（9〜11月）", "来年度の研修計画と予算", 9, 11},
        [YT_KPI] = {"2〜3月", "KPI実績・年度末報告・方針の見直し", 2, 3},
        [YT_NEXT] = {"3月", "次年度への更新", 3, 3},
    };
    Date t;
    if (!date_parse(today, &t)) t = date_today();
    bool in_year = nendo_of(t) == nendo;
    for (int i = 0; i < YT_COUNT; i++) {
        YearTask *y = &out[i];
        y->id = (YearTaskId)i;
        y->when = defs[i].when;
        y->title = defs[i].title;
        y->current = in_year && defs[i].from && t.m >= defs[i].from && t.m <= defs[i].to;
        y->state = "";
        y->done = false;
    }
}

/* What the records say of each task: done and state. */
static void year_tasks_records(Db *db, Arena *a, int nendo, const char *today, YearTask *out)
{
    Date t;
    if (!date_parse(today, &t)) t = date_today();
    bool in_year = nendo_of(t) == nendo;
    char first[11], last[11], as_of[11];
    Date d0, d1;
    nendo_range(nendo, &d0, &d1);
    date_iso(d0, first);
    date_iso(d1, last);
    asof_nendo_date(nendo, as_of);
    int designations = (int)db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE nendo = ?", nendo);
    out[YT_ROLLOVER].done = designations > 0;
    out[YT_ROLLOVER].state = designations ? arena_printf(a, "済（この年度の指名 %d件）", designations) : "未実施（この年度の指名がありません）";

    /* Assignments that began inside the 年度 (not an in-force condition). */
    int moves = (int)db_int(db, 0, "SELECT COUNT(*) FROM assignment WHERE from_date BETWEEN ? AND ?", first, last);
    out[YT_ROSTER].done = moves > 0;
    out[YT_ROSTER].state = moves ? arena_printf(a, "済（この年度の配属・異動 %d件）", moves) : "未実施（この年度の配属・異動がありません）";

    UnitTree tree;
    org_tree(db, a, as_of, nendo, &tree);
    int missing = tree.missing_leads;
    out[YT_LEADERS].done = designations > 0 && missing == 0;
    out[YT_LEADERS].state = missing ? arena_printf(a, "総括リーダー未配置 %d係", missing) : "すべての係に指名済み";

    AssessPeriod p;
    assess_period_get(db, a, nendo, &p);
    out[YT_PERIOD].done = p.opens_on != NULL;
    if (!p.opens_on) out[YT_PERIOD].state = "未設定";
    else
        out[YT_PERIOD].state = arena_printf(a, "%s〜%s（%s）", p.opens_on, p.closes_on,
                                            assess_period_open(&p, today) ? "受付中" : strcmp(today, p.opens_on) < 0 ? "受付前" : "終了");

    ProgressRow *rows;
    int n = assess_progress(db, a, nendo, as_of, 0, 0, today, &rows), submitted = 0, confirmed = 0;
    for (int i = 0; i < n; i++) {
        submitted += rows[i].state == AS_SUBMITTED || rows[i].state == AS_CONFIRMED;
        confirmed += rows[i].state == AS_CONFIRMED;
    }
    out[YT_ASSESS].done = n > 0 && submitted == n;
    out[YT_ASSESS].state = arena_printf(a, "提出 %d%%（%d / %d人）", pct(submitted, n), submitted, n);
    out[YT_CONFIRM].done = submitted > 0 && confirmed == submitted && submitted == n;
    out[YT_CONFIRM].state = arena_printf(a, "確認済 %d%%（%d / %d人）", pct(confirmed, n), confirmed, n);

    int held = (int)db_int(db, 0, "SELECT COUNT(*) FROM training_session WHERE nendo = ? AND cancelled = 0 AND ends_at < ?", nendo, today);
    int open = sessions_to_close(db, today);
    out[YT_TRAINING].done = open == 0;
    out[YT_TRAINING].state = arena_printf(a, "実施済 %d回、出欠未登録 %d回", held, open);

    int plans = (int)db_int(db, 0, "SELECT COUNT(*) FROM training_plan WHERE nendo = ?", nendo + 1);
    int64_t budget = db_int(db, 0, "SELECT COALESCE(SUM(budget), 0) FROM training_plan WHERE nendo = ?", nendo + 1);
    out[YT_PLAN].done = plans > 0;
    out[YT_PLAN].state = plans ? arena_printf(a, "来年度の計画 %d件（予算 %lld円）", plans, (long long)budget) : "来年度の計画がありません";

    int targets = (int)db_int(db, 0, "SELECT COUNT(*) FROM kpi_target WHERE nendo = ? AND target IS NOT NULL", nendo);
    out[YT_KPI].done = targets > 0 && !in_year;
    out[YT_KPI].state = targets ? arena_printf(a, "目標値 %d件を設定済み", targets) : "目標値が未設定";

    int next = (int)db_int(db, 0, "SELECT COUNT(*) FROM tier_designation WHERE nendo = ?", nendo + 1);
    out[YT_NEXT].done = next > 0;
    out[YT_NEXT].state = next ? arena_printf(a, "済（次年度の指名 %d件）", next) : "未実施";
}

/* The records' part counts every person of the organisation, so it is kept
 * in the KPI summary (board "yeartasks", keyed by the day asked) at the data
 * version. */
void todo_year_tasks(Db *db, Arena *a, int nendo, const char *today, YearTask *out)
{
    year_tasks_init(nendo, today, out);
    bool cache = kpi_cache_on();
    int64_t version = cache ? data_version(db) : 0;
    KpiBoardRow *b;
    if (cache && kpi_board_read(db, a, nendo, today, "yeartasks", version, &b) == YT_COUNT) {
        for (int i = 0; i < YT_COUNT; i++) {
            out[i].done = b[i].n[0] != 0;
            out[i].state = b[i].note;
        }
        return;
    }
    year_tasks_records(db, a, nendo, today, out);
    if (!cache) return;
    b = arena_zalloc(a, sizeof *b * YT_COUNT);
    for (int i = 0; i < YT_COUNT; i++) b[i] = (KpiBoardRow){"", "", "", out[i].state, 0, 0, {out[i].done, 0, 0, 0}};
    kpi_board_store(db, nendo, today, "yeartasks", version, b, YT_COUNT);
}
