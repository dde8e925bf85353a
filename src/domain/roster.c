/* roster.c - the staff roster import; see roster.h. */
#include "roster.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/util.h"
#include "../io/csvread.h"
#include "../io/text.h"
#include "asof.h"
#include "staff.h"
#include "training.h"

const char *const roster_fields[RF_COUNT] = {"staff_no", "name", "kana", "unit", "post", "job", "emp", "moved", "hired"};
const char *const roster_field_names[RF_COUNT] = {"職員番号", "氏名", "カナ", "所属コード", "職位", "職種", "職員区分", "異動年月日", "採用日"};
const char *const roster_default_headers[RF_COUNT] = {"職員番号", "漢字氏名", "カナ氏名", "所属コード", "職位", "職種", "職員区分", "異動年月日", "採用日"};

static const char *const change_names[] = {"新規", "変更", "異動", "変更なし", "名簿になし"};
const char *roster_change_name(RosterChange c) { return c <= RC_MISSING ? change_names[c] : ""; }

void roster_profile_default(RosterProfile *p)
{
    p->name = "標準";
    for (int f = 0; f < RF_COUNT; f++) p->headers[f] = roster_default_headers[f];
}

/* "staff_no=職員番号;name=漢字氏名;…" */
bool roster_profile_get(Db *db, Arena *a, const char *name, RosterProfile *p)
{
    roster_profile_default(p);
    char *m = db_text(db, a, "SELECT mapping FROM import_profile WHERE name = ? AND kind = 'staff'", name);
    if (!m) return false;
    p->name = arena_strdup(a, name);
    for (int f = 0; f < RF_COUNT; f++) p->headers[f] = "";
    char *save = NULL;
    for (char *tok = strtok_r(m, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) continue;
        *eq = '\0';
        for (int f = 0; f < RF_COUNT; f++)
            if (strcmp(tok, roster_fields[f]) == 0) p->headers[f] = eq + 1;
    }
    return true;
}

/* 職員番号 already read in this file: an open-addressing set of row indexes,
 * so a file of n rows is checked for duplicates in O(n), not O(n²). */
typedef struct Seen {
    int *slot; /* row index + 1; 0 is empty */
    size_t mask;
} Seen;

static Seen seen_make(Arena *a, int rows)
{
    size_t cap = 16;
    while (cap < (size_t)rows * 2) cap <<= 1;
    return (Seen){arena_zalloc(a, sizeof(int) * cap), cap - 1};
}

static uint64_t seen_hash(const char *no)
{
    /* ASCII case folded: 職員番号 k90091 is K90091 (see staff_id_by_no). */
    uint64_t h = 1469598103934665603u;
    for (const unsigned char *p = (const unsigned char *)no; *p; p++) h = (h ^ (*p >= 'a' && *p <= 'z' ? *p - 32 : *p)) * 1099511628211u;
    return h;
}

/* Adds rows[k] (keyed by no) and returns the earlier row with the same
 * number, or NULL when it is the first. */
static const RosterRow *seen_add(Seen *s, const RosterRow *rows, int k, const char *no)
{
    for (size_t i = seen_hash(no) & s->mask;; i = (i + 1) & s->mask) {
        if (!s->slot[i]) {
            s->slot[i] = k + 1;
            return NULL;
        }
        if (str_eq(rows[s->slot[i] - 1].staff_no, no)) return &rows[s->slot[i] - 1];
    }
}

/* Whether the file lists no, in any ASCII case. */
static bool seen_has(const Seen *s, const RosterRow *rows, const char *no)
{
    for (size_t i = seen_hash(no) & s->mask; s->slot[i]; i = (i + 1) & s->mask)
        if (strcasecmp(rows[s->slot[i] - 1].staff_no, no) == 0) return true;
    return false;
}

/* The staff jinzai holds, read once and found by 職員番号 (ASCII case
 * folded, as staff_id_by_no): a plan compares every row with this instead of
 * asking the database once per row. The first (lowest id) wins when two
 * numbers differ only in case, as the index on upper(staff_no) returns. */
typedef struct Held {
    int64_t id;
    const char *staff_no, *name, *kana, *post, *job, *emp;
} Held;
typedef struct HeldMap {
    Held *rows;
    int n;
    int *slot; /* index + 1; 0 is empty */
    size_t mask;
} HeldMap;

static void held_load(Db *db, Arena *a, HeldMap *m)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff");
    m->rows = arena_alloc(a, sizeof *m->rows * (size_t)(cap + 1));
    Seen s = seen_make(a, cap + 1);
    m->slot = s.slot;
    m->mask = s.mask;
    m->n = 0;
    Stmt *st = db_query(db, "SELECT id, staff_no, name, kana, post, job_type, emp_type FROM staff ORDER BY id");
    while (m->n < cap && db_step(st) == DB_ROW) {
        Held *h = &m->rows[m->n];
        h->staff_no = db_col_dup(st, 1, a);
        size_t i = seen_hash(h->staff_no) & m->mask;
        for (; m->slot[i]; i = (i + 1) & m->mask)
            if (strcasecmp(m->rows[m->slot[i] - 1].staff_no, h->staff_no) == 0) break;
        if (m->slot[i]) continue; /* the same number in another case: the first is the one found */
        h->id = db_col_int(st, 0);
        h->name = db_col_dup(st, 2, a);
        h->kana = db_col_dup(st, 3, a);
        h->post = db_col_dup(st, 4, a);
        h->job = db_col_dup(st, 5, a);
        h->emp = db_col_dup(st, 6, a);
        m->slot[i] = ++m->n;
    }
    db_done(st);
}

static const Held *held_find(const HeldMap *m, const char *no)
{
    if (!*no) return NULL;
    for (size_t i = seen_hash(no) & m->mask; m->slot[i]; i = (i + 1) & m->mask)
        if (strcasecmp(m->rows[m->slot[i] - 1].staff_no, no) == 0) return &m->rows[m->slot[i] - 1];
    return NULL;
}

/* The units found by code on a day: a roster names a few thousand units on
 * a few dates, so each pair is asked of the database once. */
typedef struct UnitMemo {
    struct UnitSlot {
        const char *key;
        int64_t id;
    } *slot;
    size_t cap, n;
} UnitMemo;

/* The unit with code that exists on `on`; 0 when none. */
static int64_t unit_by_code(Db *db, Arena *a, UnitMemo *m, const char *code, const char *on)
{
    const char *key = arena_printf(a, "%s\x1f%s", code, on);
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4096;
        struct UnitSlot *slot = xcalloc(cap, sizeof *slot);
        for (size_t i = 0; i < m->cap; i++)
            if (m->slot[i].key) {
                size_t j = seen_hash(m->slot[i].key) & (cap - 1);
                while (slot[j].key) j = (j + 1) & (cap - 1);
                slot[j] = m->slot[i];
            }
        free(m->slot);
        m->slot = slot;
        m->cap = cap;
    }
    size_t i = seen_hash(key) & (m->cap - 1);
    for (; m->slot[i].key; i = (i + 1) & (m->cap - 1))
        if (str_eq(m->slot[i].key, key)) return m->slot[i].id;
    m->slot[i].key = key;
    m->slot[i].id = db_int(db, 0, "SELECT id FROM org_unit WHERE code = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)", code, on, on);
    m->n++;
    return m->slot[i].id;
}

/* The unit a person's primary assignment in force on `on` names; 0 when not in service then. */
static int64_t unit_on(Db *db, int64_t staff_id, const char *on)
{
    return db_int(db, 0, "SELECT " ASOF_UNIT_OF("?"), staff_id, on, on);
}

int roster_profile_save(Db *db, const Actor *who, const RosterProfile *p, Errors *e)
{
    if (str_empty(p->name) || utf8_chars(p->name) > 40) err_add(e, "profile", "設定名を40文字以内で入力してください。");
    for (int f = 0; f < RF_COUNT; f++)
        if (strchr(p->headers[f], ';') || strchr(p->headers[f], '=')) err_add(e, roster_fields[f], "見出し名に ; と = は使えません。");
    if (str_empty(p->headers[RF_STAFF_NO]) || str_empty(p->headers[RF_NAME]) || str_empty(p->headers[RF_UNIT]))
        err_add(e, "", "職員番号・氏名・所属コードの見出しは必須です。");
    if (err_any(e)) return -1;
    Buf m = BUF_INIT;
    for (int f = 0; f < RF_COUNT; f++) buf_printf(&m, "%s%s=%s", f ? ";" : "", roster_fields[f], p->headers[f]);
    bool ok = db_begin(db) == 0;
    ok = ok && db_exec(db, "INSERT INTO import_profile (name, kind, mapping) VALUES (?, 'staff', ?) ON CONFLICT (name) DO UPDATE SET mapping = excluded.mapping",
                       p->name, buf_cstr(&m)) == 1 &&
         audit_write(db, who, "import.profile", "import_profile", 0, 0, p->name) == 0;
    buf_free(&m);
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    err_add(e, "", "保存できませんでした。");
    return -1;
}

int roster_profile_names(Db *db, Arena *a, const char ***out)
{
    int n = (int)db_int(db, 0, "SELECT COUNT(*) FROM import_profile WHERE kind = 'staff'"), k = 0;
    const char **names = arena_alloc(a, sizeof(char *) * (size_t)(n + 1));
    Stmt *st = db_query(db, "SELECT name FROM import_profile WHERE kind = 'staff' ORDER BY name");
    while (k < n && db_step(st) == DB_ROW) names[k++] = db_col_dup(st, 0, a);
    db_done(st);
    *out = names;
    return k;
}

static const char *emp_code(const char *s)
{
    if (!*s) return NULL;
    for (size_t i = 0; i < COUNTOF(emp_types); i++)
        if (str_eq(s, emp_types[i].code) || strstr(s, emp_types[i].name) == s) return emp_types[i].code;
    return "";
}

/* Kana as stored: NFKC (half-width to full width) with full-width spaces. */
static const char *kana_of(Arena *a, const char *s)
{
    const char *n = text_nfkc(a, s);
    Buf b = BUF_INIT;
    for (const char *p = n; *p; p++) {
        if (*p == ' ') buf_puts(&b, "　");
        else buf_putc(&b, *p);
    }
    const char *r = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return r;
}

static const char *date_of(Arena *a, const char *s, bool *bad)
{
    Date d;
    *bad = false;
    if (!*s) return NULL;
    if (!date_parse_loose(s, &d)) {
        *bad = true;
        return NULL;
    }
    char *iso = arena_alloc(a, 11);
    date_iso(d, iso);
    return iso;
}

/* "3行目「所属コード」：…" (the column by its name in jinzai; the file's
 * header and its letter come first when the file has that column). */
/* An existing code that is code with leading zeros ("00123" for "123", as
 * Excel turns the one into the other), or NULL. sql has the parameters
 * code, code, code, then on, on unless on is NULL. */
static char *lost_zeros(Db *db, Arena *a, const char *sql, const char *code, const char *on)
{
    if (!*code || *code == '0') return NULL; /* only a code that may have lost its zeros */
    return on ? db_text(db, a, sql, code, code, code, on, on) : db_text(db, a, sql, code, code, code);
}

#define ERR(line, field, ...)                                                                                  \
    do {                                                                                                      \
        char where_[160];                                                                                     \
        snprintf(where_, sizeof where_, "%d行目「%s」：", line, roster_field_names[field]);                   \
        char what_[400], msg_[600];                                                                           \
        snprintf(what_, sizeof what_, __VA_ARGS__);                                                           \
        snprintf(msg_, sizeof msg_, "%s%s", where_, what_);                                                   \
        problems_add(&out->problems, a, e, msg_);                                                             \
    } while (0)

int roster_plan(Db *db, Arena *a, const char *data, size_t len, const RosterProfile *p, const char *as_of, RosterPlan *out, Errors *e)
{
    RosterProgress progress = out->progress;
    void *progress_ctx = out->progress_ctx;
    memset(out, 0, sizeof *out);
    out->progress = progress;
    out->progress_ctx = progress_ctx;
    out->as_of = as_of;
    CsvDoc doc;
    CsvError cerr;
    if (csv_parse_any(a, data, len, &doc, &cerr, &out->encoding) != 0) {
        csv_error_add(e, "file", &cerr, &doc);
        return -1;
    }
    int col[RF_COUNT];
    for (int f = 0; f < RF_COUNT; f++) {
        col[f] = *p->headers[f] ? csv_col(&doc, p->headers[f]) : -1;
        if (*p->headers[f] && col[f] < 0 && (f == RF_STAFF_NO || f == RF_NAME || f == RF_UNIT))
            err_addf(e, "file", "1行目：見出し「%s」（%s）の列がありません。取込設定の見出し名を確認してください。", p->headers[f], roster_field_names[f]);
    }
    if (err_any(e)) return -1;
    /* One read transaction: every read sees the same data, and SQLite takes
     * its locks once rather than for each of the many statements below.
     * When the caller has one open already, it is the caller's. */
    bool own_tx = !db_in_tx(db) && db_exec(db, "BEGIN") >= 0;
    HeldMap held;
    held_load(db, a, &held);
    out->rows = arena_zalloc(a, sizeof *out->rows * (size_t)(doc.nrows + held.n + 1));
    Seen seen = seen_make(a, doc.nrows);
    UnitMemo units_memo = {0}, *units = &units_memo;
    for (int r = 1; r < doc.nrows; r++) {
        const CsvRow *row = &doc.rows[r];
        if (csv_row_blank(row)) continue; /* ",,,,," below the data, as Excel saves it */
        RosterRow *x = &out->rows[out->n++];
        x->line = row->line;
#define FIELD(f) (col[f] >= 0 ? csv_field(row, col[f]) : "")
        for (int f = 0; f < RF_COUNT; f++) /* every roster field is one line */
            if (strpbrk(FIELD(f), "\r\n")) {
                char letter[4];
                csv_col_letter(col[f], letter);
                ERR(x->line, f, "%s列（見出し「%s」）のセルに改行が含まれています。1行で入力してください（Excelのセル内改行 Alt+Enter を消してください）。",
                    letter, p->headers[f]);
            }
        x->staff_no = text_code(a, FIELD(RF_STAFF_NO));
        x->name = text_trim(a, FIELD(RF_NAME));
        x->kana = kana_of(a, FIELD(RF_KANA));
        x->unit_code = text_nfkc(a, FIELD(RF_UNIT));
        x->post = text_trim(a, FIELD(RF_POST));
        x->job = text_trim(a, FIELD(RF_JOB));
        const char *emp = text_trim(a, FIELD(RF_EMP));
        bool bad_m, bad_h;
        x->moved_on = date_of(a, text_nfkc(a, FIELD(RF_MOVED)), &bad_m);
        x->hired_on = date_of(a, text_nfkc(a, FIELD(RF_HIRED)), &bad_h);
        if (!*x->staff_no) ERR(x->line, RF_STAFF_NO, "職員番号が空です。");
        else if (!str_is_code(x->staff_no, 20, "-"))
            ERR(x->line, RF_STAFF_NO, "「%s」は職員番号として使えません（半角英数字とハイフン）。", x->staff_no);
        if (*x->staff_no) {
            const RosterRow *first = seen_add(&seen, out->rows, out->n - 1, x->staff_no);
            if (first) ERR(x->line, RF_STAFF_NO, "「%s」が%d行目と重複しています。", x->staff_no, first->line);
        }
        if (!*x->name) ERR(x->line, RF_NAME, "氏名が空です。");
        else if (utf8_chars(x->name) > 40) ERR(x->line, RF_NAME, "氏名が40文字を超えています。");
        if (utf8_chars(x->kana) > 60) ERR(x->line, RF_KANA, "カナが60文字を超えています。");
        if (utf8_chars(x->post) > 30) ERR(x->line, RF_POST, "職位が30文字を超えています。");
        if (utf8_chars(x->job) > 30) ERR(x->line, RF_JOB, "職種が30文字を超えています。");
        x->emp_type = emp_code(emp);
        if (x->emp_type && !*x->emp_type) ERR(x->line, RF_EMP, "「%s」は職員区分として読めません（正規・再任用・任期付・会計年度任用）。", emp);
        if (bad_m) ERR(x->line, RF_MOVED, DATE_UNREADABLE_FMT, text_trim(a, FIELD(RF_MOVED)));
        if (bad_h) ERR(x->line, RF_HIRED, DATE_UNREADABLE_FMT, text_trim(a, FIELD(RF_HIRED)));
#undef FIELD
        const Held *h = held_find(&held, x->staff_no);
        int64_t known = h ? h->id : 0;
        int64_t known_unit = 0; /* known's unit on `on` (0: not in service then) */
        /* The date the row takes effect: for a new person the first day of
         * their assignment; for one already held, the 異動年月日, else the
         * import date, or the first day of a hire still to come. */
        const char *on = x->moved_on ? x->moved_on : as_of;
        if (!known && !x->moved_on && x->hired_on) on = x->hired_on;
        if (known) known_unit = unit_on(db, known, on);
        if (known && !x->moved_on && !known_unit) {
            char *next = db_text(db, a, "SELECT MIN(from_date) FROM assignment WHERE staff_id = ? AND is_primary = 1 AND from_date > ?", known, as_of);
            if (next) {
                on = next;
                known_unit = unit_on(db, known, on);
            }
        }
        Buf what = BUF_INIT;
        x->unit_id = unit_by_code(db, a, units, x->unit_code, on);
        if (!x->unit_id && !known && strcmp(on, as_of) < 0) {
            /* Hired before the unit was set up (a first load lists 採用日
             * decades back): the assignment starts when the unit does. */
            Stmt *u = db_query(db, "SELECT id, valid_from FROM org_unit WHERE code = ? AND valid_from > ? AND valid_from <= ?"
                                   " AND (valid_to IS NULL OR valid_to >= ?) ORDER BY valid_from LIMIT 1",
                               x->unit_code, on, as_of, as_of);
            if (db_step(u) == DB_ROW) {
                x->unit_id = db_col_int(u, 0);
                const char *start = db_col_dup(u, 1, a);
                buf_printf(&what, "採用日 %s は所属の設置日より前のため、配属は %s からとします", on, start);
                on = start;
            }
            db_done(u);
        }
        x->starts_on = on;
        if (!x->unit_id) {
            char *zeros = lost_zeros(db, a, "SELECT MIN(code) FROM org_unit WHERE code <> ? AND length(code) > length(?) AND ltrim(code, '0') = ?"
                                            " AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)",
                                     x->unit_code, on);
            if (zeros)
                ERR(x->line, RF_UNIT, "所属コード「%s」の組織が%sに存在しません。「%s」の先頭の0がExcelで消えていませんか（列を文字列にして保存してください）。",
                    x->unit_code, on, zeros);
            else ERR(x->line, RF_UNIT, "所属コード「%s」の組織が%sに存在しません。", x->unit_code, on);
        }
        /* Compare with what jinzai holds. */
        if (h) {
            x->staff_id = h->id;
            const char *old[5] = {h->name, h->kana, h->post, h->job, h->emp};
            /* A blank optional cell keeps what is held (as applying does). */
            const char *now[5] = {x->name, *x->kana ? x->kana : old[1], *x->post ? x->post : old[2], *x->job ? x->job : old[3],
                                  x->emp_type ? x->emp_type : old[4]};
            static const char *const label[] = {"氏名", "カナ", "職位", "職種", "職員区分"};
            for (int k = 0; k < 5; k++)
                if (strcmp(old[k], now[k]) != 0)
                    buf_printf(&what, "%s%s：%s → %s", what.len ? "、" : "", label[k], k == 4 ? emp_type_name(old[k]) : old[k],
                               k == 4 ? emp_type_name(now[k]) : now[k]);
            x->change = what.len ? RC_CHANGED : RC_UNCHANGED;
            if (!known_unit) {
                /* Not in service on that day: listed again, so hired again. */
                x->rehire = true;
                x->change = RC_CHANGED;
                buf_printf(&what, "%s%sに在職していない職員です（%s から再採用）", what.len ? "、" : "", on, on);
            }
        } else {
            x->change = RC_NEW;
        }
        if (x->change == RC_NEW && *x->staff_no) {
            char *zeros = lost_zeros(db, a, "SELECT MIN(staff_no) FROM staff WHERE staff_no <> ? AND length(staff_no) > length(?)"
                                            " AND ltrim(staff_no, '0') = ?",
                                     x->staff_no, NULL);
            if (zeros) {
                x->warn = arena_printf(a, "職員番号「%s」は登録がなく、「%s」の職員がいます。Excelで先頭の0が消えていませんか"
                                          "（このまま反映すると別の職員として登録されます）。",
                                       x->staff_no, zeros);
                out->nwarn++;
            }
        }
        if (x->staff_id && x->unit_id && !x->rehire) {
            int64_t cur = known_unit;
            if (cur != x->unit_id) {
                char *from = db_text(db, a, "SELECT name FROM org_unit WHERE id = ?", cur);
                char *to = db_text(db, a, "SELECT name FROM org_unit WHERE id = ?", x->unit_id);
                buf_printf(&what, "%s所属：%s → %s（%s）", what.len ? "、" : "", from ? from : "なし", to ? to : "", on);
                x->moved_and_changed = x->change == RC_CHANGED;
                x->change = RC_TRANSFERRED;
                if (db_exists(db, "SELECT 1 FROM assignment WHERE staff_id = ? AND is_primary = 1 AND from_date >= ?", x->staff_id, on))
                    ERR(x->line, RF_MOVED, "この職員には%s以降の異動が既に登録されています。異動年月日を確認してください。", on);
            }
        }
        x->what = arena_strdup(a, buf_cstr(&what));
        buf_free(&what);
        out->counts[x->change]++;
        if (progress && (r % 50 == 0 || r == doc.nrows - 1)) progress("確認", r, doc.nrows - 1, progress_ctx);
    }
    if (!out->n && !err_any(e)) err_add(e, "file", "データの行がありません。");
    /* Staff in service on the import date whom the file does not list (a
     * hire still to come is not missing). */
    Stmt *st = db_query(db, "SELECT s.id, s.staff_no, s.name FROM staff s WHERE " ASOF_IN_SERVICE("s.id") " ORDER BY s.staff_no", as_of,
                        as_of);
    while (db_step(st) == DB_ROW) {
        const char *no = db_col_text(st, 1);
        if (seen_has(&seen, out->rows, no)) continue;
        RosterRow *x = &out->rows[out->n++];
        x->change = RC_MISSING;
        x->staff_id = db_col_int(st, 0);
        x->staff_no = db_col_dup(st, 1, a);
        x->name = db_col_dup(st, 2, a);
        x->what = "名簿にない在職職員";
        out->counts[RC_MISSING]++;
    }
    db_done(st);
    free(units_memo.slot);
    if (own_tx) db_exec(db, "COMMIT");
    return err_any(e) ? -1 : 0;
}

/* Writes a plan inside the caller's transaction: what applying does, and
 * what the dry run does before rolling back. */
static bool roster_write(Db *db, const Actor *who, const RosterPlan *plan, bool retire_missing, int *written, Errors *e)
{
    Arena a = ARENA_INIT;
    bool ok = true;
    Date d;
    date_parse(plan->as_of, &d);
    char last[11];
    date_iso(date_add_days(d, -1), last);
    *written = 0;
    /* The sessions of the leavers' pending applications, locked at once
     * before anything is written (app_withdraw_leaver). */
    if (retire_missing) {
        int64_t *leavers = arena_alloc(&a, sizeof *leavers * (size_t)(plan->n + 1));
        int n = 0;
        for (int i = 0; i < plan->n; i++)
            if (plan->rows[i].change == RC_MISSING) leavers[n++] = plan->rows[i].staff_id;
        ok = app_lock_pending_sessions(db, leavers, n);
    }
    for (int i = 0; i < plan->n && ok; i++) {
        const RosterRow *x = &plan->rows[i];
        Errors one = {0};
        if (x->change == RC_UNCHANGED || (x->change == RC_MISSING && !retire_missing)) continue;
        if (x->change == RC_MISSING) {
            ok = staff_deactivate_in(db, who, x->staff_id, last, &one);
        } else if (x->change == RC_NEW) {
            Staff s = {0};
            s.staff_no = x->staff_no;
            s.name = x->name;
            s.kana = x->kana;
            s.post = x->post;
            s.job_type = x->job;
            s.emp_type = x->emp_type ? x->emp_type : "regular";
            s.unit_id = x->unit_id;
            ok = staff_save_in(db, who, &s, x->starts_on, &one);
        } else {
            if (x->change == RC_CHANGED || x->moved_and_changed) {
                Staff s;
                ok = staff_get(db, &a, x->staff_id, plan->as_of, 0, &s);
                s.name = x->name;
                if (*x->kana) s.kana = x->kana;
                if (*x->post) s.post = x->post;
                if (*x->job) s.job_type = x->job;
                if (x->emp_type) s.emp_type = x->emp_type;
                ok = ok && staff_save_in(db, who, &s, NULL, &one);
                if (ok && x->rehire) ok = staff_reactivate_in(db, who, x->staff_id, x->unit_id, x->starts_on, &one);
            }
            if (ok && x->change == RC_TRANSFERRED) ok = staff_assign_in(db, who, x->staff_id, x->unit_id, true, x->starts_on, &one);
        }
        if (!ok) err_addf(e, "file", "%d行目（%s）：%s", x->line, x->staff_no, one.n ? one.items[0].msg : "反映できませんでした。");
        else (*written)++;
        if (plan->progress && (i % 50 == 0 || i == plan->n - 1)) plan->progress("反映", i + 1, plan->n, plan->progress_ctx);
    }
    if (ok && *written)
        ok = audit_write(db, who, "import.staff", "staff", 0, 0,
                         arena_printf(&a, "名簿の取込（%s） 新規%d 変更%d 異動%d 名簿になし%d%s", plan->encoding, plan->counts[RC_NEW],
                                      plan->counts[RC_CHANGED], plan->counts[RC_TRANSFERRED], plan->counts[RC_MISSING],
                                      retire_missing ? "（退職等として登録）" : "")) == 0;
    arena_free(&a);
    if (!ok && !err_any(e)) err_add(e, "", "取り込めませんでした。");
    return ok;
}

int roster_apply(Db *db, const Actor *who, const RosterPlan *plan, bool retire_missing, int *written, Errors *e)
{
    *written = 0;
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    if (roster_write(db, who, plan, retire_missing, written, e) && db_commit(db) == 0) return 0;
    db_rollback(db);
    *written = 0;
    if (!err_any(e)) err_add(e, "", "取り込めませんでした。");
    return -1;
}

int roster_dry_run(Db *db, const Actor *who, const RosterPlan *plan, bool retire_missing, Errors *e)
{
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    int written;
    bool ok = roster_write(db, who, plan, retire_missing, &written, e);
    /* Nothing of the dry run stays: it ran only to find what would fail. */
    db_rollback(db);
    return ok ? 0 : -1;
}
