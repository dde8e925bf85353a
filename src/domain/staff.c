/* staff.c - see staff.h. */
#include "staff.h"

#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "listcount.h"
#include "org.h"
#include "training.h"
#include "../db/tx.h"

const EmpType emp_types[4] = {
    {"regular", "正規"},
    {"reappointed", "再任用"},
    {"fixed_term", "任期付"},
    {"fiscal_year", "会計年度任用"},
};

const char *emp_type_name(const char *code)
{
    for (size_t i = 0; i < COUNTOF(emp_types); i++)
        if (str_eq(code, emp_types[i].code)) return emp_types[i].name;
    return "";
}

char *staff_search_key(Arena *a, const char *staff_no, const char *name, const char *kana)
{
    return arena_printf(a, "%s|%s|%s", text_fold(a, staff_no), text_fold(a, name), text_fold(a, kana ? kana : ""));
}

/* The FROM and WHERE shared by the count and the page query; see bind_filter.
 * In service on as_of: the primary assignment in force then (a) exists, which
 * is ASOF_IN_SERVICE by the same join. first_day/last_day:
 * the first and last day of employment (last_day NULL while one is open). */
#define STAFF_FROM                                                                                              \
    " FROM (SELECT st.*, " ASOF_TIER_OF("st.id") " AS tier,"                                                    \
    "  (SELECT d.subtype FROM tier_designation d WHERE d.staff_id = st.id AND " ASOF_DESIGNATED("d")             \
    "   ORDER BY d.tier, d.id LIMIT 1) AS tier_sub,"                                                            \
    "  (SELECT MIN(f.from_date) FROM assignment f WHERE f.staff_id = st.id AND f.is_primary = 1) AS first_day,"  \
    "  (SELECT CASE WHEN COUNT(*) = COUNT(l.to_date) THEN MAX(l.to_date) END FROM assignment l"                \
    "   WHERE l.staff_id = st.id AND l.is_primary = 1) AS last_day,"                                           \
    "  (SELECT MIN(n.from_date) FROM assignment n WHERE n.staff_id = st.id AND n.is_primary = 1"              \
    "   AND n.from_date > ?) AS next_from FROM staff st) s"                                                     \
    " LEFT JOIN " ASOF_PRIMARY("a", "s.id")                                                                     \
    " LEFT JOIN org_unit u ON u.id = a.unit_id LEFT JOIN org_unit pu ON pu.id = u.parent_id"                   \
    " WHERE (? = '' OR s.search_key LIKE ? ESCAPE '!')"                                                         \
    " AND (? = 0 OR a.unit_id IN (" ASOF_SUBTREE "))"                                                           \
    " AND (? = '' OR s.emp_type = ?) AND (? < 0 OR (a.staff_id IS NOT NULL) = (? = 1)) AND (? = 0 OR s.tier = ?)"

/* The LIKE pattern for the search text q (folded), with ! escaping the
 * wildcards the user typed. */
static const char *like_pattern(Arena *a, const char *q)
{
    Buf like = BUF_INIT;
    buf_putc(&like, '%');
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '!') buf_putc(&like, '!');
        buf_putc(&like, *p);
    }
    buf_putc(&like, '%');
    const char *pattern = arena_strdup(a, buf_cstr(&like));
    buf_free(&like);
    return pattern;
}

static int bind_filter_at(Stmt *st, Arena *a, const StaffFilter *f, int i)
{
    const char *q = str_empty(f->q) ? "" : text_fold(a, f->q);
    const char *pattern = like_pattern(a, q);
    const char *emp = f->emp_type ? f->emp_type : "";
    for (int k = 0; k < 2; k++) { /* tier, tier_sub */
        db_bind_int(st, i++, f->nendo);
        db_bind_text(st, i++, f->as_of);
        db_bind_text(st, i++, f->as_of);
    }
    for (int k = 0; k < 3; k++) db_bind_text(st, i++, f->as_of); /* next_from, the primary assignment */
    db_bind_text(st, i++, q);
    db_bind_text(st, i++, pattern);
    db_bind_int(st, i++, f->unit_id);
    db_bind_int(st, i++, f->unit_id);
    db_bind_text(st, i++, emp);
    db_bind_text(st, i++, emp);
    db_bind_int(st, i++, f->active);
    db_bind_int(st, i++, f->active);
    db_bind_int(st, i++, f->tier);
    db_bind_int(st, i++, f->tier);
    return i;
}

static int bind_filter(Stmt *st, Arena *a, const StaffFilter *f) { return bind_filter_at(st, a, f, 1); }

/* A 係 is shown with its 課 ("政策企画課 広報・DX推進係"): 係 names repeat across 課. */
#define STAFF_COLS                                                                                       \
    "s.id, s.staff_no, s.name, s.kana, s.emp_type, s.post, s.job_type, a.staff_id IS NOT NULL, a.unit_id,"         \
    " CASE WHEN u.level = 4 THEN pu.name || ' ' || u.name ELSE u.name END, s.tier, s.tier_sub, s.first_day, s.last_day, s.next_from"

#define STAFF_NCOLS 15 /* columns of STAFF_COLS */

static void read_staff(Stmt *st, Arena *a, Staff *s)
{
    s->id = db_col_int(st, 0);
    s->staff_no = db_col_dup(st, 1, a);
    s->name = db_col_dup(st, 2, a);
    s->kana = db_col_dup(st, 3, a);
    s->emp_type = db_col_dup(st, 4, a);
    s->post = db_col_dup(st, 5, a);
    s->job_type = db_col_dup(st, 6, a);
    s->in_service = db_col_int(st, 7) != 0;
    s->unit_id = db_col_int(st, 8);
    s->unit_name = arena_strdup(a, db_col_text(st, 9));
    s->tier = (int)db_col_int(st, 10);
    s->tier_sub = arena_strdup(a, db_col_text(st, 11));
    s->first_day = db_col_dup(st, 12, a);
    s->last_day = db_col_dup(st, 13, a);
    s->next_from = db_col_dup(st, 14, a);
}

#define STAFF_ORDER " ORDER BY a.staff_id IS NULL, u.code, s.staff_no"

/* A page is found in two steps. First the page's ids, read in the list's
 * order from indexes: the people in service walked unit by unit in code
 * order (org_unit's (code, valid_from) index, then assignment_unit; only
 * the people of one unit are sorted by 職員番号), then the others by
 * 職員番号 (staff's unique index). The statements stop after offset + limit
 * rows, and the count is a separate COUNT(*) that sorts nothing: a window
 * count beside the rows made every page read and sort the whole
 * organisation. Then the page's columns for those ids alone. */
#define STAFF_PERSON_WHERE                                                          \
    " (? = '' OR s.search_key LIKE ? ESCAPE '!') AND (? = '' OR s.emp_type = ?)"    \
    " AND (? = 0 OR " ASOF_TIER_OF("s.id") " = ?)"
/* Without a unit the join order is fixed (CROSS JOIN, which SQLite keeps as
 * written and PostgreSQL treats as a plain join): the planner, which cannot
 * see that the page stops early, would otherwise read every assignment and
 * sort them all. With a unit it starts from the subtree's units. */
#define STAFF_IN_ALL                                                                                   \
    " FROM org_unit u CROSS JOIN assignment a JOIN staff s ON s.id = a.staff_id"                        \
    " WHERE a.unit_id = u.id AND a.is_primary = 1 AND " ASOF_IN_FORCE("a") " AND ? = 0 AND" STAFF_PERSON_WHERE
#define STAFF_IN_UNIT                                                                                            \
    " FROM org_unit u JOIN assignment a ON a.unit_id = u.id AND a.is_primary = 1 AND " ASOF_IN_FORCE("a")         \
    " JOIN staff s ON s.id = a.staff_id WHERE a.unit_id IN (" ASOF_SUBTREE ") AND" STAFF_PERSON_WHERE
#define STAFF_OUT                                                                                             \
    " FROM staff s WHERE NOT EXISTS (SELECT 1 FROM assignment a WHERE a.staff_id = s.id AND a.is_primary = 1" \
    " AND " ASOF_IN_FORCE("a") ") AND ? = 0 AND" STAFF_PERSON_WHERE

/* Binds the statements above: the dates, the unit, the person's filters;
 * returns the next index. */
static int bind_part(Stmt *st, Arena *a, const StaffFilter *f)
{
    const char *q = str_empty(f->q) ? "" : text_fold(a, f->q);
    const char *emp = f->emp_type ? f->emp_type : "";
    int i = 1;
    db_bind_text(st, i++, f->as_of);
    db_bind_text(st, i++, f->as_of);
    db_bind_int(st, i++, f->unit_id);
    db_bind_text(st, i++, q);
    db_bind_text(st, i++, like_pattern(a, q));
    db_bind_text(st, i++, emp);
    db_bind_text(st, i++, emp);
    db_bind_int(st, i++, f->tier);
    db_bind_int(st, i++, f->nendo);
    db_bind_text(st, i++, f->as_of);
    db_bind_text(st, i++, f->as_of);
    db_bind_int(st, i++, f->tier);
    return i;
}

/* The people of one part (in service on as_of or not) matching f. */
static int part_count_read(Db *db, Arena *a, const StaffFilter *f, bool in_service)
{
    if (in_service && !f->unit_id && str_empty(f->q) && str_empty(f->emp_type) && !f->tier) /* the unfiltered list: no person to read */
        return (int)db_int(db, 0, "SELECT COUNT(*) FROM assignment a WHERE a.is_primary = 1 AND " ASOF_IN_FORCE("a"), f->as_of, f->as_of);
    Stmt *st = db_prepare(db, !in_service ? "SELECT COUNT(*)" STAFF_OUT
                              : f->unit_id ? "SELECT COUNT(*)" STAFF_IN_UNIT
                                           : "SELECT COUNT(*)" STAFF_IN_ALL);
    bind_part(st, a, f);
    int n = db_step(st) == DB_ROW ? (int)db_col_int(st, 0) : 0;
    db_done(st);
    return n;
}

/* The same, kept by data version (listcount.h): every value the count binds is in the key. */
static int part_count(Db *db, Arena *a, const StaffFilter *f, bool in_service)
{
    const char *emp = f->emp_type ? f->emp_type : "", *q = f->q ? f->q : "";
    const char *key = arena_printf(a, "staff|%d|%s|%lld|%d|%d|%zu:%s|%s", in_service, f->as_of, (long long)f->unit_id, f->tier,
                                   f->nendo, strlen(emp), emp, q);
    int64_t version = list_count_version(db);
    int n = list_count_get(version, key);
    if (n < 0) {
        n = part_count_read(db, a, f, in_service);
        list_count_put(version, key, n);
    }
    return n;
}

/* Appends to ids[*n] the ids of one part from offset, at most limit, in the list's order. */
static void part_ids(Db *db, Arena *a, const StaffFilter *f, bool in_service, int limit, int offset, int64_t *ids, int *n)
{
    Stmt *st = db_prepare(db, !in_service ? "SELECT s.id, NULL, NULL" STAFF_OUT " ORDER BY s.staff_no LIMIT ? OFFSET ?"
                              : f->unit_id ? "SELECT s.id, u.code, s.staff_no" STAFF_IN_UNIT " ORDER BY u.code, s.staff_no LIMIT ? OFFSET ?"
                                           : "SELECT s.id, u.code, s.staff_no" STAFF_IN_ALL " ORDER BY u.code, s.staff_no LIMIT ? OFFSET ?");
    int i = bind_part(st, a, f);
    db_bind_int(st, i++, limit);
    db_bind_int(st, i, offset);
    int from = *n;
    while (db_step(st) == DB_ROW) {
        if (f->keys && in_service && f->active == 1) { /* the keys of the page's first and last rows, for its links */
            ListKey k = {db_col_dup(st, 1, a), db_col_dup(st, 2, a)};
            if (*n == from) f->keys->first = k;
            f->keys->last = k;
        }
        ids[(*n)++] = db_col_int(st, 0);
    }
    db_done(st);
}

/* Keyset paging of the people in service: the page after (or before) a
 * place in the order, read from that place on (u.code >= ? is a range of
 * org_unit's code index); the page before is read backwards and turned round.
 * Sets the keys of the page's first and last rows. */
#define KEY_AFTER " AND u.code >= ? AND (u.code > ? OR s.staff_no > ?) ORDER BY u.code, s.staff_no LIMIT ?"
#define KEY_BEFORE " AND u.code <= ? AND (u.code < ? OR s.staff_no < ?) ORDER BY u.code DESC, s.staff_no DESC LIMIT ?"
static void keyed_ids(Db *db, Arena *a, const StaffFilter *f, int64_t *ids, int *n)
{
    ListPage *kp = f->keys;
    bool back = !kp->after.code;
    const ListKey *at = back ? &kp->before : &kp->after;
    Stmt *st = db_prepare(db, f->unit_id ? (back ? "SELECT s.id, u.code, s.staff_no" STAFF_IN_UNIT KEY_BEFORE
                                                 : "SELECT s.id, u.code, s.staff_no" STAFF_IN_UNIT KEY_AFTER)
                                         : (back ? "SELECT s.id, u.code, s.staff_no" STAFF_IN_ALL KEY_BEFORE
                                                 : "SELECT s.id, u.code, s.staff_no" STAFF_IN_ALL KEY_AFTER));
    int i = bind_part(st, a, f);
    db_bind_text(st, i++, at->code);
    db_bind_text(st, i++, at->code);
    db_bind_text(st, i++, at->no);
    db_bind_int(st, i, f->limit);
    ListKey *keys = arena_zalloc(a, sizeof *keys * (size_t)(f->limit + 1));
    while (*n < f->limit && db_step(st) == DB_ROW) {
        ids[*n] = db_col_int(st, 0);
        keys[*n] = (ListKey){db_col_dup(st, 1, a), db_col_dup(st, 2, a)};
        (*n)++;
    }
    db_done(st);
    if (back && *n > 1) { /* read backwards: turn round */
        array_reverse(ids, (size_t)*n, sizeof *ids);
        array_reverse(keys, (size_t)*n, sizeof *keys);
    }
    kp->first = *n ? keys[0] : (ListKey){0};
    kp->last = *n ? keys[*n - 1] : (ListKey){0};
}

#define STAFF_IDS_CHUNK 50
#define Q5 "?,?,?,?,?"
#define Q50 Q5 "," Q5 "," Q5 "," Q5 "," Q5 "," Q5 "," Q5 "," Q5 "," Q5 "," Q5

static int staff_page(Db *db, Arena *a, const StaffFilter *f, Staff **out, int *total)
{
    int in = f->active != 0 ? part_count(db, a, f, true) : 0;
    int others = f->active != 1 ? part_count(db, a, f, false) : 0;
    *total = in + others;
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(f->limit + 1));
    int k = 0;
    if (f->keys) f->keys->first = f->keys->last = (ListKey){0};
    if (f->keys && f->active == 1 && (f->keys->after.code || f->keys->before.code)) keyed_ids(db, a, f, ids, &k);
    else if (f->active != 0 && f->offset < in) part_ids(db, a, f, true, f->limit, f->offset, ids, &k);
    if (f->active != 1 && k < f->limit && f->offset + k < *total)
        part_ids(db, a, f, false, f->limit - k, f->offset + k - in, ids, &k);
    Staff *rows = arena_zalloc(a, sizeof *rows * (size_t)(k + 1));
    int n = 0;
    StaffFilter all = {.active = -1, .as_of = f->as_of, .nendo = f->nendo};
    for (int from = 0; from < k; from += STAFF_IDS_CHUNK) {
        Stmt *st = db_prepare(db, "SELECT " STAFF_COLS STAFF_FROM " AND s.id IN (" Q50 ")" STAFF_ORDER);
        int i = bind_filter(st, a, &all);
        for (int j = 0; j < STAFF_IDS_CHUNK; j++) db_bind_int(st, i++, from + j < k ? ids[from + j] : 0);
        while (n < k && db_step(st) == DB_ROW) read_staff(st, a, &rows[n++]);
        db_done(st);
    }
    *out = rows;
    return n;
}

int staff_search(Db *db, Arena *a, const StaffFilter *f, Staff **out, int *total)
{
    if (f->limit > 0) return staff_page(db, a, f, out, total);
    Stmt *st = db_prepare(db, "SELECT " STAFF_COLS ", 0" STAFF_FROM STAFF_ORDER);
    bind_filter(st, a, f);
    Staff *rows = NULL;
    int n = 0, cap = 0;
    while (db_step(st) == DB_ROW) {
        ARENA_GROW(a, rows, n, cap);
        read_staff(st, a, &rows[n++]);
    }
    db_done(st);
    *total = n;
    if (!rows) rows = arena_zalloc(a, sizeof *rows);
    *out = rows;
    return n;
}

bool staff_get(Db *db, Arena *a, int64_t id, const char *as_of, int nendo, Staff *out)
{
    Stmt *st = db_prepare(db, "SELECT " STAFF_COLS STAFF_FROM " AND s.id = ?");
    StaffFilter f = {.active = -1, .as_of = as_of, .nendo = nendo};
    int i = bind_filter(st, a, &f);
    db_bind_int(st, i, id);
    bool found = db_step(st) == DB_ROW;
    if (found) read_staff(st, a, out);
    db_done(st);
    return found;
}

int64_t staff_id_by_no(Db *db, const char *staff_no)
{
    /* 職員番号 are ASCII; case does not tell two people apart (k90091 is K90091). */
    return db_int(db, 0, "SELECT id FROM staff WHERE upper(staff_no) = upper(?)", staff_no);
}

int staff_assignments(Db *db, Arena *a, int64_t staff_id, Assignment **out)
{
    Assignment *rows = NULL;
    int cap = 0;
    Stmt *st = db_query(db,
                        "SELECT a.id, a.staff_id, a.unit_id, a.is_primary, a.from_date, a.to_date, u.name, u.code"
                        " FROM assignment a JOIN org_unit u ON u.id = a.unit_id WHERE a.staff_id = ?"
                        " ORDER BY a.from_date DESC, a.is_primary DESC, a.id DESC",
                        staff_id);
    int n = 0;
    while (db_step(st) == DB_ROW) {
        ARENA_GROW(a, rows, n, cap);
        Assignment *x = &rows[n++];
        x->id = db_col_int(st, 0);
        x->staff_id = db_col_int(st, 1);
        x->unit_id = db_col_int(st, 2);
        x->is_primary = db_col_int(st, 3) != 0;
        x->from_date = db_col_dup(st, 4, a);
        x->to_date = db_col_dup(st, 5, a);
        x->unit_name = db_col_dup(st, 6, a);
        x->unit_code = db_col_dup(st, 7, a);
    }
    db_done(st);
    *out = rows;
    return n;
}

static bool unit_valid_on(Db *db, int64_t unit_id, const char *date)
{
    return db_exists(db, "SELECT 1 FROM org_unit WHERE id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)",
                     unit_id, date, date);
}

static void validate_staff(Db *db, Staff *s, const char *from, Errors *e)
{
    Date d;
    if (str_empty(s->staff_no)) err_add(e, "staff_no", "職員番号を入力してください。");
    else if (!str_is_code(s->staff_no, 20, "-")) err_add(e, "staff_no", "職員番号は半角英数字とハイフンの20文字以内で入力してください。");
    else if (db_exists(db, "SELECT 1 FROM staff WHERE upper(staff_no) = upper(?) AND id <> ?", s->staff_no, s->id))
        err_add(e, "staff_no", "この職員番号は既に登録されています。");
    if (str_empty(s->name)) err_add(e, "name", "氏名を入力してください。");
    else if (utf8_chars(s->name) > 40) err_add(e, "name", "氏名は40文字以内で入力してください。");
    if (s->kana && utf8_chars(s->kana) > 60) err_add(e, "kana", "カナは60文字以内で入力してください。");
    if (!*emp_type_name(s->emp_type)) err_add(e, "emp_type", "職員区分を選んでください。");
    if (s->post && utf8_chars(s->post) > 30) err_add(e, "post", "職位は30文字以内で入力してください。");
    if (s->job_type && utf8_chars(s->job_type) > 30) err_add(e, "job_type", "職種は30文字以内で入力してください。");
    if (!s->id) {
        bool date_ok = !str_empty(from) && date_parse(from, &d);
        if (!date_ok) err_add(e, "from", "配属日を正しい日付で入力してください（例：2026-04-01）。");
        if (!s->unit_id) err_add(e, "unit_id", "所属を選んでください。");
        else if (date_ok && !unit_valid_on(db, s->unit_id, from))
            err_add(e, "unit_id", "選んだ所属は配属日に存在しません。");
    }
}

/* Runs the body of a write in one transaction; see the callers. */
bool staff_save_in(Db *db, const Actor *who, Staff *s, const char *from, Errors *e)
{
    Arena a = ARENA_INIT;
    validate_staff(db, s, from, e);
    bool ok = !err_any(e);
    char now[32];
    now_iso(now);
    const char *key = staff_search_key(&a, s->staff_no, s->name, s->kana);
    const char *summary = arena_printf(&a, "%s %s（%s） %s %s %s", s->staff_no, s->name, s->kana ? s->kana : "",
                                       emp_type_name(s->emp_type), s->post ? s->post : "", s->job_type ? s->job_type : "");
    if (ok && s->id) {
        char *before = db_text(db, &a,
                               "SELECT staff_no || ' ' || name || '（' || kana || '） ' || emp_type || ' ' || post || ' ' || job_type"
                               " FROM staff WHERE id = ?",
                               s->id);
        ok = before &&
             db_exec(db,
                     "UPDATE staff SET staff_no = ?, name = ?, kana = ?, search_key = ?, emp_type = ?, post = ?,"
                     " job_type = ?, updated_at = ? WHERE id = ?",
                     s->staff_no, s->name, s->kana ? s->kana : "", key, s->emp_type, s->post ? s->post : "",
                     s->job_type ? s->job_type : "", now, s->id) == 1 &&
             audit_write(db, who, "staff.update", "staff", s->id, s->id, arena_printf(&a, "%s → %s", before, summary)) == 0;
    } else if (ok) {
        Stmt *st = db_query(db,
                            "INSERT INTO staff (staff_no, name, kana, search_key, emp_type, post, job_type,"
                            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            s->staff_no, s->name, s->kana ? s->kana : "", key, s->emp_type,
                            s->post ? s->post : "", s->job_type ? s->job_type : "", now, now);
        ok = db_step(st) == DB_ROW;
        if (ok) s->id = db_col_int(st, 0);
        db_done(st);
        ok = ok &&
             db_exec(db, "INSERT INTO assignment (staff_id, unit_id, is_primary, from_date) VALUES (?, ?, 1, ?)", s->id, s->unit_id, from) == 1 &&
             audit_write(db, who, "staff.create", "staff", s->id, s->id, summary) == 0;
        if (!ok) s->id = 0;
    }
    arena_free(&a);
    return ok && !err_any(e);
}

int staff_save(Db *db, const Actor *who, Staff *s, const char *from, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    bool ok = staff_save_in(db, who, s, from, e);
    return tx_end(db, e, ok);
}

bool staff_deactivate_in(Db *db, const Actor *who, int64_t id, const char *last_day, Errors *e)
{
    Arena a = ARENA_INIT;
    Date d;
    char *name = db_text(db, &a, "SELECT staff_no || ' ' || name FROM staff WHERE id = ?", id);
    if (!name) err_add(e, "", "職員が見つかりません。");
    else if (str_empty(last_day) || !date_parse(last_day, &d)) err_add(e, "last_day", "最終日を正しい日付で入力してください。");
    else if (!db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND is_primary = 1 AND (to_date IS NULL OR to_date >= ?)", id,
                        last_day))
        err_addf(e, "last_day", "この職員は%s以降に在職していません（退職済みです）。", last_day);
    bool ok = !err_any(e);
    if (ok) {
        char now[32];
        now_iso(now);
        /* Later records never take effect; open ones end on last_day. A
         * designation of a 年度 already over is history and stays. */
        ok = db_exec(db, "DELETE FROM assignment WHERE staff_id = ? AND from_date > ?", id, last_day) >= 0 &&
             db_exec(db, "UPDATE assignment SET to_date = ? WHERE staff_id = ? AND (to_date IS NULL OR to_date > ?)", last_day, id,
                     last_day) >= 0 &&
             db_exec(db, "UPDATE tier_designation SET ended_on = ? WHERE staff_id = ? AND nendo >= ? AND (ended_on IS NULL OR ended_on > ?)",
                     last_day, id, nendo_of(d), last_day) >= 0 &&
             db_exec(db, "DELETE FROM key_system_duty WHERE staff_id = ? AND from_date > ?", id, last_day) >= 0 &&
             db_exec(db, "UPDATE key_system_duty SET to_date = ? WHERE staff_id = ? AND (to_date IS NULL OR to_date > ?)", last_day, id,
                     last_day) >= 0 &&
             db_exec(db, "UPDATE staff SET updated_at = ? WHERE id = ?", now, id) == 1 &&
             app_withdraw_leaver(db, who, id, last_day) &&
             audit_write(db, who, "staff.deactivate", "staff", id, id, arena_printf(&a, "%s 退職等（最終日 %s）", name, last_day)) == 0;
    }
    arena_free(&a);
    return ok && !err_any(e);
}

int staff_deactivate(Db *db, const Actor *who, int64_t id, const char *last_day, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    bool ok = staff_deactivate_in(db, who, id, last_day, e);
    return tx_end(db, e, ok);
}

bool staff_reactivate_in(Db *db, const Actor *who, int64_t id, int64_t unit_id, const char *from, Errors *e)
{
    Arena a = ARENA_INIT;
    Date d;
    char *name = db_text(db, &a, "SELECT staff_no || ' ' || name FROM staff WHERE id = ?", id);
    bool date_ok = !str_empty(from) && date_parse(from, &d);
    if (!name) err_add(e, "", "職員が見つかりません。");
    if (!date_ok) err_add(e, "from", "採用日を正しい日付で入力してください（例：2027-04-01）。");
    if (!unit_id) err_add(e, "unit_id", "所属を選んでください。");
    else if (date_ok && !unit_valid_on(db, unit_id, from)) err_add(e, "unit_id", "選んだ所属は採用日に存在しません。");
    if (name && date_ok &&
        db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND is_primary = 1 AND (to_date IS NULL OR to_date >= ?)", id, from))
        err_addf(e, "from", "この職員は%s以降も在職しています（在職中は再採用できません）。", from);
    bool ok = !err_any(e);
    if (ok) {
        char now[32];
        now_iso(now);
        char *unit = db_text(db, &a, "SELECT code || ' ' || name FROM org_unit WHERE id = ?", unit_id);
        ok = db_exec(db, "INSERT INTO assignment (staff_id, unit_id, is_primary, from_date) VALUES (?, ?, 1, ?)", id, unit_id, from) == 1 &&
             db_exec(db, "UPDATE staff SET updated_at = ? WHERE id = ?", now, id) == 1 &&
             audit_write(db, who, "staff.reactivate", "staff", id, id, arena_printf(&a, "%s 再採用 → %s（%s から）", name, unit, from)) == 0;
    }
    arena_free(&a);
    return ok && !err_any(e);
}

int staff_reactivate(Db *db, const Actor *who, int64_t id, int64_t unit_id, const char *from, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    bool ok = staff_reactivate_in(db, who, id, unit_id, from, e);
    return tx_end(db, e, ok);
}

bool staff_assign_in(Db *db, const Actor *who, int64_t staff_id, int64_t unit_id, bool primary, const char *from, Errors *e)
{
    Arena a = ARENA_INIT;
    Date d;
    char *name = db_text(db, &a, "SELECT staff_no || ' ' || name FROM staff WHERE id = ?", staff_id);
    bool date_ok = !str_empty(from) && date_parse(from, &d);
    if (!name) err_add(e, "", "職員が見つかりません。");
    if (!date_ok) err_add(e, "from", "発令日を正しい日付で入力してください（例：2027-04-01）。");
    else if (name && !db_exists(db, "SELECT 1 FROM staff s WHERE s.id = ? AND " ASOF_IN_SERVICE("s.id"), staff_id, from, from))
        err_addf(e, "from", "この職員は%sに在職していません。", from);
    if (!unit_id) err_add(e, "unit_id", "所属を選んでください。");
    else if (date_ok && !unit_valid_on(db, unit_id, from)) err_add(e, "unit_id", "選んだ所属は発令日に存在しません。");
    if (!err_any(e) && primary &&
        db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND is_primary = 1 AND from_date >= ?", staff_id, from))
        err_add(e, "from", "この日以降の異動が既に登録されています。");
    if (!err_any(e) &&
        db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND unit_id = ? AND (to_date IS NULL OR to_date >= ?)", staff_id, unit_id, from))
        err_add(e, "unit_id", "この所属には既に配属されています。");
    bool ok = !err_any(e);
    if (ok) {
        char prev[11];
        date_iso(date_add_days(d, -1), prev);
        char *unit = db_text(db, &a, "SELECT code || ' ' || name FROM org_unit WHERE id = ?", unit_id);
        /* The unit left: the primary unit in force on the 発令日 until now. */
        int64_t old = primary ? db_int(db, 0, "SELECT " ASOF_UNIT_OF("?"), staff_id, from, from) : 0;
        /* A designation whose holder leaves the unit ends on the leaving
         * date: the coverage of that unit shows the gap from the 発令日. */
        int ended = old && old != unit_id ? db_exec(db,
                                                    "UPDATE tier_designation SET ended_on = ? WHERE staff_id = ? AND unit_id = ? AND nendo >= ?"
                                                    " AND (ended_on IS NULL OR ended_on >= ?)",
                                                    prev, staff_id, old, nendo_of(date_add_days(d, -1)), from)
                                          : 0;
        ok = ended >= 0 &&
             (!primary || db_exec(db,
                                  "UPDATE assignment SET to_date = ? WHERE staff_id = ? AND is_primary = 1 AND from_date < ?"
                                  " AND (to_date IS NULL OR to_date >= ?)",
                                  prev, staff_id, from, from) >= 0) &&
             db_exec(db, "INSERT INTO assignment (staff_id, unit_id, is_primary, from_date) VALUES (?, ?, ?, ?)", staff_id, unit_id, primary ? 1 : 0, from) == 1 &&
             audit_write(db, who, primary ? "staff.transfer" : "staff.concurrent", "staff", staff_id, staff_id,
                         arena_printf(&a, "%s → %s（%s、%s から）%s", name, unit, primary ? "本務" : "兼務", from,
                                      ended > 0 ? arena_printf(&a, "、前の所属での人材区分の指名%d件は %s まで", ended, prev) : "")) == 0;
    }
    arena_free(&a);
    return ok && !err_any(e);
}

int staff_assign(Db *db, const Actor *who, int64_t staff_id, int64_t unit_id, bool primary, const char *from, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    bool ok = staff_assign_in(db, who, staff_id, unit_id, primary, from, e);
    return tx_end(db, e, ok);
}

int staff_assignment_end(Db *db, const Actor *who, int64_t assignment_id, const char *last_day, Errors *e)
{
    Arena a = ARENA_INIT;
    Date d;
    if (tx_begin(db, e) != 0) return -1;
    Stmt *st = db_query(db,
                        "SELECT a.staff_id, a.from_date, s.name || ' ' || u.name FROM assignment a JOIN staff s ON s.id = a.staff_id"
                        " JOIN org_unit u ON u.id = a.unit_id WHERE a.id = ?",
                        assignment_id);
    int64_t staff_id = 0;
    const char *from = NULL, *what = NULL;
    if (db_step(st) == DB_ROW) {
        staff_id = db_col_int(st, 0);
        from = db_col_dup(st, 1, &a);
        what = db_col_dup(st, 2, &a);
    }
    db_done(st);
    if (!staff_id) err_add(e, "", "配属が見つかりません。");
    else if (str_empty(last_day) || !date_parse(last_day, &d)) err_add(e, "last_day", "終了日を正しい日付で入力してください。");
    else if (strcmp(last_day, from) < 0) err_add(e, "last_day", "終了日は配属日以降にしてください。");
    bool ok = !err_any(e) && db_exec(db, "UPDATE assignment SET to_date = ? WHERE id = ?", last_day, assignment_id) == 1 &&
              audit_write(db, who, "assignment.end", "assignment", assignment_id, staff_id,
                          arena_printf(&a, "%s 配属終了（%s）", what, last_day)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}
