/* records.c - importing qualifications, assessments and completions; see records.h.
 *
 * One path for the three kinds: read the columns a kind declares (generic),
 * look up what the key names (per kind), sort the keys to find duplicates
 * and the rows of one record, compare each row with what is stored (the
 * stored values come from one query per kind), and write the new and changed
 * rows (one statement per kind). */
#include "records.h"
#include "../db/tx.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../io/csvread.h"
#include "../io/text.h"
#include "asof.h"
#include "course.h"

enum { C_STAFF, C_CODE, C_TEXT, C_DATE, C_NENDO, C_LEVEL, C_ATTEND, C_SCORE };
enum { KEY_COLS = 3 }; /* every kind: 職員番号 and two more columns name the record */

#define STAFF_COL {"職員番号", NULL, true, C_STAFF, 0, "jinzaiの職員番号"}

static const RecordColumn qual_cols[] = {
    STAFF_COL,
    {"資格コード", "資格名", true, C_CODE, 0, "資格の一覧のコード（IP、FE など）。見出しを「資格名」にして資格名でも書けます"},
    {"取得日", NULL, true, C_DATE, 0, "未来の日付は不可。2025/10/1・令和7年10月1日の形も読めます"},
    {"有効期限", NULL, false, C_DATE, 0, "登録の更新がある資格は必須。取得日より後の日付"},
    {"備考", NULL, false, C_TEXT, 200, "200文字以内"},
};
static const RecordColumn assess_cols[] = {
    STAFF_COL,
    {"年度", NULL, true, C_NENDO, 0, "2026・令和8年度など"},
    {"項目コード", NULL, true, C_CODE, 0, "スキルマップの項目コード"},
    {"自己評価", NULL, true, C_LEVEL, 0, "0〜4"},
    {"上司確認", NULL, false, C_LEVEL, 0, "0〜4。空欄は未確認。職員・年度のすべての項目にあれば確認済、なければ提出済になります"},
    {"コメント", NULL, false, C_TEXT, 400, "400文字以内"},
    {"根拠", NULL, false, C_TEXT, 400, "400文字以内"},
};
static const RecordColumn completion_cols[] = {
    STAFF_COL,
    {"研修コード", NULL, true, C_CODE, 0, "研修の一覧のコード"},
    {"開催日", "日時", true, C_DATE, 0, "その研修の日程の開始日（中止した日程は除く）。同じ日に2つ以上あると特定できません"},
    {"出欠", "出席", true, C_ATTEND, 0, "出席／欠席（1／0、○／× も可）"},
    {"点数", NULL, false, C_SCORE, 0, "0〜100の整数"},
    {"復命書提出日", "復命書", false, C_DATE, 0, "外部の研修は、この日付があると修了になります"},
};

typedef struct KindSpec {
    const char *code, *name;
    const RecordColumn *cols;
    int ncols;
    int group_cols;             /* key columns of one record: the rows of an assessment share two */
    const char *action, *entity; /* the audit row of one record */
} KindSpec;

static const KindSpec kinds[REC_KINDS] = {
    {"quals", "資格", qual_cols, (int)COUNTOF(qual_cols), 3, "qual.import", "staff_qualification"},
    {"assessments", "自己評価", assess_cols, (int)COUNTOF(assess_cols), 2, "assess.import", "assessment"},
    {"completions", "研修受講", completion_cols, (int)COUNTOF(completion_cols), 3, "completion.import", "completion"},
};

const char *record_kind_name(RecordKind k) { return (unsigned)k < REC_KINDS ? kinds[k].name : ""; }
const char *record_kind_code(RecordKind k) { return (unsigned)k < REC_KINDS ? kinds[k].code : ""; }

bool record_kind_parse(const char *code, RecordKind *out)
{
    for (int k = 0; k < REC_KINDS; k++)
        if (str_eq(code, kinds[k].code)) {
            *out = (RecordKind)k;
            return true;
        }
    return false;
}

int record_columns(RecordKind k, const RecordColumn **out)
{
    *out = kinds[k].cols;
    return kinds[k].ncols;
}

static const char *const change_names[] = {"新規", "変更", "変更なし"};
const char *record_change_name(RecordChange c) { return c <= RCH_UNCHANGED ? change_names[c] : ""; }

/* ---- reading ---- */

/* The plan's strings, each held once: a file of a million lines repeats
 * the same few (numbers, 年度, codes, levels, the words of a change). */
typedef struct Intern {
    const char **slot;
    size_t cap, n;
} Intern;

typedef struct Reader {
    Db *db;
    Arena *a;   /* the plan's memory */
    Arena *tmp; /* one row's (or record's) working memory, freed after it */
    Intern in;
    const KindSpec *k;
    RecordPlan *p;
    Errors *e;
    int col[REC_MAX_COLS];           /* index in the file, -1 absent */
    const char *label[REC_MAX_COLS]; /* the header as the file has it */
    int nerr;                        /* errors so far (e stops counting at ERRORS_MAX) */
    /* The last person looked up: a file lists one person's lines together. */
    const char *last_no, *last_name;
    int64_t last_id;
    bool last_in_service;
    /* Skill items looked up so far (the map has a few dozen). */
    struct { const char *code, *name; int64_t id; } items[64];
    int nitems;
} Reader;

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) h = (h ^ *p) * 1099511628211u;
    return h;
}

/* s as held in the plan (r->a), stored once however often it occurs. */
static const char *intern(Reader *r, const char *s)
{
    Intern *t = &r->in;
    if (!*s) return "";
    if ((t->n + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        const char **slot = xcalloc(cap, sizeof *slot);
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i]) {
                size_t j = str_hash(t->slot[i]) & (cap - 1);
                while (slot[j]) j = (j + 1) & (cap - 1);
                slot[j] = t->slot[i];
            }
        free(t->slot);
        t->slot = slot;
        t->cap = cap;
    }
    for (size_t i = str_hash(s) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        if (!t->slot[i]) {
            t->n++;
            return t->slot[i] = arena_strdup(r->a, s);
        }
        if (str_eq(t->slot[i], s)) return t->slot[i];
    }
}

__attribute__((format(printf, 4, 5))) static void row_err(Reader *r, int line, int col, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char all[600];
    snprintf(all, sizeof all, "%d行目「%s」：%s", line, r->label[col], msg);
    problems_add(&r->p->problems, r->a, r->e, all);
    r->nerr++;
}

/* A date, also with a time after it ("2026-05-01T09:00" as exported,
 * "2026/5/1 9:00" as Excel saves it): see date_parse_loose. */
static bool read_date(const char *s, char iso[11])
{
    Date d;
    if (!date_parse_loose(s, &d)) return false;
    date_iso(d, iso);
    return true;
}

static int attendance(const char *s)
{
    static const char *const yes[] = {"1", "出席", "○", "〇", "済", "修了"}, *const no[] = {"0", "欠席", "×", "✕"};
    for (size_t i = 0; i < COUNTOF(yes); i++)
        if (str_eq(s, yes[i])) return 1;
    for (size_t i = 0; i < COUNTOF(no); i++)
        if (str_eq(s, no[i])) return 0;
    return -1;
}

/* The value of column c as stored ("" empty), or NULL with an error. */
static const char *read_value(Reader *r, int line, int c, const char *raw)
{
    const RecordColumn *rc = &r->k->cols[c];
    const char *s = rc->type == C_TEXT ? text_trim(r->tmp, raw) : rc->type == C_STAFF ? text_code(r->tmp, raw) : text_nfkc(r->tmp, raw);
    int64_t n;
    int nendo;
    char iso[11];
    if (!*s) {
        if (rc->required) row_err(r, line, c, "空欄にはできません。");
        return rc->required ? NULL : s;
    }
    switch (rc->type) {
    case C_TEXT:
        if (utf8_chars(s) <= (size_t)rc->max) return s;
        row_err(r, line, c, "%d文字以内にしてください。", rc->max);
        return NULL;
    case C_DATE:
        if (read_date(s, iso)) return arena_strdup(r->tmp, iso);
        row_err(r, line, c, DATE_UNREADABLE_FMT, s);
        return NULL;
    case C_NENDO:
        if (nendo_parse_loose(s, &nendo)) return arena_printf(r->tmp, "%d", nendo);
        row_err(r, line, c, "「%s」は年度として読めません（例：2026、令和8年度）。", s);
        return NULL;
    case C_LEVEL:
    case C_SCORE: {
        int max = rc->type == C_LEVEL ? 4 : 100;
        if (parse_int64(s, &n) && n >= 0 && n <= max) return arena_printf(r->tmp, "%d", (int)n);
        row_err(r, line, c, "「%s」は0〜%dの整数にしてください。", s, max);
        return NULL;
    }
    case C_ATTEND:
        if (attendance(s) >= 0) return attendance(s) ? "1" : "0";
        row_err(r, line, c, "「%s」は出欠として読めません（出席／欠席、1／0、○／×）。", s);
        return NULL;
    default:
        return s; /* C_STAFF, C_CODE: looked up next */
    }
}

/* 資格: a code or a name of the catalogue (NFKC on both sides, so （） and ()
 * match); dates as qual_add checks them. */
static void resolve_qual(Reader *r, RecordRow *x)
{
    const char **v = x->val;
    Stmt *st = db_query(r->db, "SELECT code, name, expires FROM qualification_type ORDER BY code");
    bool found = false;
    while (!found && db_step(st) == DB_ROW) {
        found = str_eq(db_col_text(st, 0), v[1]) || str_eq(text_nfkc(r->tmp, db_col_text(st, 1)), v[1]);
        if (!found) continue;
        v[1] = intern(r, db_col_text(st, 0));
        x->about = intern(r, arena_printf(r->tmp, "%s（取得 %s）", db_col_text(st, 1), v[2]));
        x->expires = db_col_int(st, 2) != 0;
    }
    db_done(st);
    if (!found) row_err(r, x->line, 1, "「%s」は資格の一覧にありません。", v[1]);
    char today[11];
    date_iso(date_today(), today);
    if (strcmp(v[2], today) > 0) row_err(r, x->line, 2, "未来の日付は入力できません。");
    if (x->expires && str_empty(v[3])) row_err(r, x->line, 3, "この資格は有効期限が必要です（登録の更新がある資格です）。");
    else if (!str_empty(v[3]) && strcmp(v[3], v[2]) <= 0) row_err(r, x->line, 3, "有効期限は取得日より後の日付にしてください。");
}

/* 自己評価: an item of the skill map. */
static void resolve_item(Reader *r, RecordRow *x)
{
    const char **v = x->val;
    int k = 0;
    while (k < r->nitems && !str_eq(r->items[k].code, v[2])) k++;
    if (k == r->nitems) {
        Stmt *st = db_query(r->db, "SELECT id, name FROM skill_item WHERE code = ?", v[2]);
        int64_t id = 0;
        const char *name = NULL;
        if (db_step(st) == DB_ROW) {
            id = db_col_int(st, 0);
            name = db_col_dup(st, 1, r->a);
        }
        db_done(st);
        if (k == (int)COUNTOF(r->items)) k = 0; /* a file of unknown codes: keep looking them up */
        else r->nitems++;
        r->items[k].code = v[2];
        r->items[k].name = name;
        r->items[k].id = id;
    }
    if (r->items[k].id) {
        x->ref_id = r->items[k].id;
        x->about = intern(r, arena_printf(r->tmp, "%s年度 %s %s", v[1], v[2], r->items[k].name));
    } else {
        row_err(r, x->line, 2, "項目コード「%s」はスキルマップにありません。", v[2]);
    }
}

/* 研修受講: the one session of the course starting that day; a 復命書 only
 * after attending. */
static void resolve_session(Reader *r, RecordRow *x)
{
    const char **v = x->val;
    Stmt *st = db_query(r->db,
                        "SELECT s.id, c.title, c.minutes, c.provider FROM training_session s JOIN course c ON c.id = s.course_id"
                        " WHERE c.code = ? AND substr(s.starts_at, 1, 10) = ? AND s.cancelled = 0 ORDER BY s.id",
                        v[1], v[2]);
    int found = 0;
    for (; db_step(st) == DB_ROW; found++) {
        x->ref_id = db_col_int(st, 0);
        x->about = intern(r, arena_printf(r->tmp, "%s %s（%s）", v[1], db_col_text(st, 1), v[2]));
        x->minutes = (int)db_col_int(st, 2);
        x->external = !provider_internal(db_col_text(st, 3));
    }
    db_done(st);
    if (!found && !db_exists(r->db, "SELECT 1 FROM course WHERE code = ?", v[1]))
        row_err(r, x->line, 1, "研修コード「%s」の研修はありません。", v[1]);
    else if (!found) row_err(r, x->line, 2, "この研修の%sに始まる日程はありません。", v[2]);
    else if (found > 1) row_err(r, x->line, 2, "この研修の%sに始まる日程が%d件あり、どれか決められません。", v[2], found);
    if (str_eq(v[3], "0") && !str_empty(v[5])) row_err(r, x->line, 5, "欠席の行には入力できません。");
    else if (!str_empty(v[5]) && strcmp(v[5], v[2]) < 0) row_err(r, x->line, 5, "開催日より前の日付です。");
}

/* What the key of a row names: the person (in service today, for 資格), then the kind's own. */
static void resolve(Reader *r, RecordRow *x)
{
    static void (*const by_kind[REC_KINDS])(Reader *, RecordRow *) = {resolve_qual, resolve_item, resolve_session};
    if (!r->last_no || !str_eq(r->last_no, x->staff_no)) {
        char today[11];
        now_date(today);
        Stmt *st = db_query(r->db, "SELECT s.id, s.name, CASE WHEN " ASOF_IN_SERVICE("s.id") " THEN 1 ELSE 0 END FROM staff s WHERE upper(s.staff_no) = ?",
                            today, today, x->staff_no);
        r->last_no = x->staff_no;
        r->last_id = 0;
        if (db_step(st) == DB_ROW) {
            r->last_id = db_col_int(st, 0);
            r->last_name = db_col_dup(st, 1, r->a);
            r->last_in_service = db_col_int(st, 2) != 0;
        }
        db_done(st);
    }
    if (r->last_id) {
        x->staff_id = r->last_id;
        x->staff_name = r->last_name;
        if (!r->last_in_service && r->p->kind == REC_QUALS) row_err(r, x->line, 0, "「%s」は在職中の職員ではありません。", x->staff_no);
    } else {
        row_err(r, x->line, 0, "職員番号「%s」の職員はいません。", x->staff_no);
    }
    by_kind[r->p->kind](r, x);
}

/* ---- duplicates and records ---- */

/* A row by its key: the first `group` of the three key values name its
 * record (2 for assessments, 3 otherwise). */
typedef struct KeyRef {
    const char *const *v;
    int group, row;
} KeyRef;

/* Compares the first n key values of two rows. */
static int key_cmp(const KeyRef *x, const KeyRef *y, int n)
{
    int c = 0;
    for (int k = 0; k < n && !c; k++) c = strcmp(x->v[k], y->v[k]);
    return c;
}

static int keyref_cmp(const void *pa, const void *pb)
{
    const KeyRef *x = pa, *y = pb;
    int c = key_cmp(x, y, KEY_COLS);
    return c ? c : x->row - y->row;
}

/* Reports rows with the same key and links the rows of each record. */
static void link_records(Reader *r)
{
    RecordPlan *p = r->p;
    KeyRef *refs = xmalloc(sizeof *refs * (size_t)(p->n + 1));
    int n = 0;
    for (int i = 0; i < p->n; i++) {
        const char **v = p->rows[i].val;
        p->rows[i].group = i;
        p->rows[i].next = -1;
        if (!p->rows[i].staff_id || !v[1] || !v[2]) continue;
        refs[n++] = (KeyRef){v, r->k->group_cols, i};
    }
    qsort(refs, (size_t)n, sizeof *refs, keyref_cmp);
    for (int i = 1; i < n; i++) {
        RecordRow *prev = &p->rows[refs[i - 1].row], *x = &p->rows[refs[i].row];
        if (!key_cmp(&refs[i - 1], &refs[i], KEY_COLS))
            row_err(r, x->line, 0, "%d行目と同じ記録です（%s・%s・%sが同じ）。", prev->line, r->label[0], r->label[1], r->label[2]);
        else if (r->k->group_cols == 2 && !key_cmp(&refs[i - 1], &refs[i], 2)) {
            x->group = prev->group;
            prev->next = refs[i].row;
        }
    }
    free(refs);
}

/* ---- comparing ---- */

/* A number as stored in a value, -1 for "". */
static int num(const char *s)
{
    int64_t v;
    return parse_int64(s, &v) ? (int)v : -1;
}

static const char *shown(const RecordColumn *c, const char *v)
{
    if (!*v) return "なし";
    if (c->type == C_ATTEND) return str_eq(v, "1") ? "出席" : "欠席";
    return v;
}

/* The stored record of x: true with its values ("" for NULL) in old[KEY_COLS..]
 * when there is one. assessment_id is that of x's group. */
static bool stored(Reader *r, RecordRow *x, const char **old)
{
    Stmt *st;
    if (r->p->kind == REC_QUALS)
        st = db_query(r->db, "SELECT id, expires_on, note FROM staff_qualification WHERE staff_id = ? AND qual_code = ? AND acquired_on = ?", x->staff_id, x->val[1], x->val[2]);
    else if (r->p->kind == REC_ASSESSMENTS)
        st = db_query(r->db, "SELECT assessment_id, self_level, sup_level, self_comment, evidence FROM assessment_item WHERE assessment_id = ? AND item_id = ?",
                      x->record_id, x->ref_id);
    else
        st = db_query(r->db, "SELECT id, attended, score, report_on FROM completion WHERE session_id = ? AND staff_id = ?", x->ref_id,
                      x->staff_id);
    bool found = db_step(st) == DB_ROW;
    if (found) {
        x->record_id = db_col_int(st, 0);
        for (int c = KEY_COLS; c < r->k->ncols; c++) old[c] = db_col_dup(st, c - KEY_COLS + 1, r->tmp);
        for (int c = KEY_COLS; c < r->k->ncols; c++) old[c] = old[c] ? old[c] : "";
    }
    db_done(st);
    return found;
}

/* Compares one row with what is stored (put in old) and fills the columns
 * the file lacks. Returns whether there was a stored record. */
static bool compare(Reader *r, RecordRow *x, const char **old)
{
    bool found = stored(r, x, old);
    Buf what = BUF_INIT;
    for (int c = KEY_COLS; c < r->k->ncols; c++) {
        const RecordColumn *rc = &r->k->cols[c];
        if (!x->val[c]) x->val[c] = found ? intern(r, old[c]) : "";
        else if (found && !str_eq(old[c], x->val[c]))
            buf_printf(&what, "%s%s：%s → %s", what.len ? "、" : "", r->label[c], shown(rc, old[c]), shown(rc, x->val[c]));
        if (!found && *x->val[c]) buf_printf(&what, "%s%s：%s", what.len ? "、" : "", r->label[c], shown(rc, x->val[c]));
    }
    x->change = !found ? RCH_NEW : what.len ? RCH_CHANGED : RCH_UNCHANGED;
    x->what = intern(r, buf_cstr(&what));
    buf_free(&what);
    return found;
}

static const char *state_name(const char *code)
{
    return str_eq(code, "confirmed") ? "確認済" : str_eq(code, "submitted") ? "提出済" : str_eq(code, "returned") ? "差戻し" : "下書き";
}

/* Compares the rows of the record that starts at row i. An assessment with
 * a new or changed line also is given the state it will have: 確認済 when none
 * of its lines lacks 上司確認, else 提出済. One whose lines all stay keeps its
 * state, so a file exported from jinzai reads back as unchanged (a 下書き
 * stays a 下書き). */
static void compare_record(Reader *r, int i)
{
    RecordPlan *p = r->p;
    RecordRow *head = &p->rows[i];
    const char *old_state = NULL;
    int open = 0;        /* lines without 上司確認 once imported */
    bool changes = false; /* any line new or changed */
    if (p->kind == REC_ASSESSMENTS) {
        Stmt *st = db_query(r->db, "SELECT id, state FROM assessment WHERE staff_id = ? AND nendo = ?", head->staff_id,
                            num(head->val[1]));
        if (db_step(st) == DB_ROW) {
            head->record_id = db_col_int(st, 0);
            old_state = db_col_dup(st, 1, r->tmp);
        }
        db_done(st);
        open = (int)db_int(r->db, 0, "SELECT COUNT(*) FROM assessment_item WHERE assessment_id = ? AND sup_level IS NULL", head->record_id);
    }
    for (int j = i; j >= 0; j = p->rows[j].next) {
        RecordRow *x = &p->rows[j];
        const char *old[REC_MAX_COLS] = {0};
        x->record_id = head->record_id;
        bool found = compare(r, x, old);
        if (p->kind == REC_ASSESSMENTS) open += !*x->val[4] - (found && !*old[4]);
        changes |= x->change != RCH_UNCHANGED;
    }
    if (p->kind != REC_ASSESSMENTS || !changes) return;
    head->state = open ? "submitted" : "confirmed";
    if (old_state && str_eq(old_state, head->state)) return;
    RecordRow *x = head; /* the new state is told on the first line that changes */
    for (int j = i; j >= 0 && x->change == RCH_UNCHANGED; j = p->rows[j].next) x = &p->rows[j];
    const char *was = old_state ? arena_printf(r->tmp, "%s → ", state_name(old_state)) : "";
    x->what = intern(r, arena_printf(r->tmp, "%s%s状態：%s%s", x->what, *x->what ? "、" : "", was, state_name(head->state)));
}

/* Reads the file row by row (csvread.h: checked whole first, then read one
 * row at a time), so memory holds the plan, not every cell of the file. */
static int plan_rows(Reader *r, const char *data, size_t len)
{
    RecordPlan *out = r->p;
    Errors *e = r->e;
    CsvReader rd;
    CsvError cerr;
    if (csv_open_any(r->a, data, len, &rd, &cerr, &out->encoding) != 0) {
        csv_error_add(e, "file", &cerr, &rd.head);
        return -1;
    }
    for (int c = 0; c < r->k->ncols; c++) {
        const RecordColumn *rc = &r->k->cols[c];
        r->col[c] = csv_col(&rd.head, rc->header);
        r->label[c] = rc->header;
        if (r->col[c] < 0 && rc->alias && (r->col[c] = csv_col(&rd.head, rc->alias)) >= 0) r->label[c] = rc->alias;
        if (r->col[c] < 0 && rc->required)
            err_addf(e, "file", "1行目：見出し「%s」%s%s%sの列がありません（%sの取込に必要な列です）。", rc->header, rc->alias ? "（または「" : "",
                     rc->alias ? rc->alias : "", rc->alias ? "」）" : "", r->k->name);
    }
    if (err_any(e)) {
        csv_close(&rd);
        return -1;
    }
    out->rows = arena_zalloc(r->a, sizeof *out->rows * (size_t)(rd.nrows + 1));
    Arena tmp = ARENA_INIT;
    r->tmp = &tmp;
    CsvRow row;
    for (bool head = true; csv_next(&rd, &tmp, &row) == 1; head = false, arena_free(&tmp)) {
        if (head || csv_row_blank(&row)) continue; /* spreadsheets leave ",,,," below the data */
        RecordRow *x = &out->rows[out->n++];
        x->line = row.line;
        int before = r->nerr;
        for (int c = 0; c < r->k->ncols; c++) {
            const char *v = r->col[c] < 0 ? NULL : read_value(r, x->line, c, csv_field(&row, r->col[c]));
            x->val[c] = v ? intern(r, v) : NULL;
        }
        x->staff_no = x->val[0] ? x->val[0] : "";
        x->staff_name = "";
        if (r->nerr == before) resolve(r, x);
    }
    arena_free(&tmp);
    csv_close(&rd);
    if (!out->n) err_add(e, "file", "データの行がありません。");
    link_records(r);
    if (r->nerr || err_any(e)) return -1;
    for (int i = 0; i < out->n; i++)
        if (out->rows[i].group == i) {
            compare_record(r, i);
            arena_free(&tmp);
        }
    r->tmp = NULL;
    for (int i = 0; i < out->n; i++) {
        RecordChange c = out->rows[i].change;
        out->n_new += c == RCH_NEW;
        out->n_changed += c == RCH_CHANGED;
        out->n_unchanged += c == RCH_UNCHANGED;
    }
    return 0;
}

int record_plan(Db *db, Arena *a, RecordKind kind, const char *data, size_t len, RecordPlan *out, Errors *e)
{
    /* One read transaction: every row's look-ups see the same data, and
     * SQLite takes its locks once rather than for each statement. When the
     * caller has one open already, it is the caller's. */
    bool own_tx = !db_in_tx(db) && db_exec(db, "BEGIN") >= 0;
    memset(out, 0, sizeof *out);
    out->kind = kind;
    Reader r = {.db = db, .a = a, .k = &kinds[kind], .p = out, .e = e};
    int rc = plan_rows(&r, data, len);
    free(r.in.slot);
    if (own_tx) db_exec(db, "COMMIT");
    return rc;
}

/* ---- writing ---- */

static int64_t returned_id(Stmt *st)
{
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

/* The assessment row of a record: created (submitted now, confirmed now when
 * every line has 上司確認), or its state updated; timestamps of a state that
 * stays are kept. */
static int64_t save_assessment(Db *db, const Actor *who, const RecordRow *head, const char *now)
{
    bool confirmed = str_eq(head->state, "confirmed");
    if (!head->record_id)
        return returned_id(db_query(db,
                                    "INSERT INTO assessment (staff_id, nendo, state, submitted_at, confirmed_at, confirmed_by, updated_at)"
                                    " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                    head->staff_id, num(head->val[1]), head->state, now, confirmed ? now : NULL,
                                    DB_ID_OR_NULL(confirmed ? who->account_id : 0), now));
    int done = db_exec(db,
                       "UPDATE assessment SET submitted_at = COALESCE(submitted_at, ?),"
                       " confirmed_at = CASE WHEN ? = 0 THEN NULL WHEN state = 'confirmed' THEN confirmed_at ELSE ? END,"
                       " confirmed_by = CASE WHEN ? = 0 THEN NULL WHEN state = 'confirmed' THEN confirmed_by ELSE ? END,"
                       " state = ?, updated_at = ? WHERE id = ?",
                       now, confirmed, now, confirmed, DB_ID_OR_NULL(who->account_id), head->state, now, head->record_id);
    return done == 1 ? head->record_id : 0;
}

/* Writes one new or changed row; returns the id of its record (0 on failure). */
static int64_t write_row(Db *db, RecordKind kind, const RecordRow *x, int64_t assessment_id, const char *now)
{
    const char *const *v = x->val;
    if (kind == REC_QUALS && x->record_id)
        return db_exec(db, "UPDATE staff_qualification SET expires_on = NULLIF(?, ''), note = ? WHERE id = ?", v[3], v[4], x->record_id) == 1
                   ? x->record_id
                   : 0;
    if (kind == REC_QUALS)
        return returned_id(db_query(db,
                                    "INSERT INTO staff_qualification (staff_id, qual_code, acquired_on, expires_on, note)"
                                    " VALUES (?, ?, ?, NULLIF(?, ''), ?) RETURNING id",
                                    x->staff_id, v[1], v[2], v[3], v[4]));
    if (kind == REC_ASSESSMENTS)
        return db_exec(db,
                       "INSERT INTO assessment_item (assessment_id, item_id, self_level, sup_level, self_comment, evidence)"
                       " VALUES (?, ?, ?, NULLIF(?, -1), ?, ?) ON CONFLICT (assessment_id, item_id) DO UPDATE SET"
                       " self_level = excluded.self_level, sup_level = excluded.sup_level, self_comment = excluded.self_comment,"
                       " evidence = excluded.evidence",
                       assessment_id, x->ref_id, num(v[3]), num(v[4]), v[5], v[6]) == 1
                   ? assessment_id
                   : 0;
    bool attended = str_eq(v[3], "1");
    return returned_id(db_query(db,
                                "INSERT INTO completion (session_id, staff_id, attended, minutes, score, report_on, completed, recorded_at)"
                                " VALUES (?, ?, ?, ?, NULLIF(?, -1), NULLIF(?, ''), ?, ?) ON CONFLICT (session_id, staff_id) DO UPDATE SET"
                                " attended = excluded.attended, minutes = excluded.minutes, score = excluded.score,"
                                " report_on = excluded.report_on, completed = excluded.completed, recorded_at = excluded.recorded_at RETURNING id",
                                x->ref_id, x->staff_id, attended, attended ? x->minutes : 0, num(v[4]), v[5],
                                attended && (!x->external || *v[5]), now));
}

int record_apply(Db *db, const Actor *who, const RecordPlan *plan, int *written, Errors *e)
{
    *written = 0;
    if (tx_begin(db, e) != 0) return -1;
    const KindSpec *k = &kinds[plan->kind];
    char now[32];
    now_iso(now);
    Arena a = ARENA_INIT;
    bool ok = true;
    for (int i = 0; i < plan->n && ok; i++) {
        const RecordRow *head = &plan->rows[i];
        bool changed = false;
        for (int j = i; head->group == i && j >= 0; j = plan->rows[j].next) changed |= plan->rows[j].change != RCH_UNCHANGED;
        if (!changed) continue;
        int64_t id = plan->kind == REC_ASSESSMENTS ? save_assessment(db, who, head, now) : 0;
        ok = plan->kind != REC_ASSESSMENTS || id;
        Buf sum = BUF_INIT;
        buf_printf(&sum, "%s %s（%sの取込）", head->staff_no, head->staff_name, k->name);
        for (int j = i; ok && j >= 0; j = plan->rows[j].next) {
            const RecordRow *x = &plan->rows[j];
            if (x->change == RCH_UNCHANGED) continue;
            ok = (id = write_row(db, plan->kind, x, id, now)) != 0;
            buf_printf(&sum, " %s：%s%s", x->about, x->change == RCH_NEW ? "新規 " : "", x->what);
            (*written)++;
        }
        ok = ok && audit_write(db, who, k->action, k->entity, id, head->staff_id, buf_cstr(&sum)) == 0;
        if (!ok) err_addf(e, "file", "%d行目（%s）：反映できませんでした。", head->line, head->staff_no);
        buf_free(&sum);
    }
    if (ok && *written)
        ok = audit_write(db, who, arena_printf(&a, "import.%s", k->code), k->entity, 0, 0,
                         arena_printf(&a, "%sの取込（%s） 新規%d 変更%d 変更なし%d", k->name, plan->encoding, plan->n_new, plan->n_changed,
                                      plan->n_unchanged)) == 0;
    arena_free(&a);
    if (tx_end(db, e, ok) == 0) return 0;
    *written = 0;
    return -1;
}
