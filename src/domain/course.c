/* course.c - see course.h. */
#include "course.h"

#include <stdio.h>
#include <string.h>

#include "../core/embed.h"
#include "../core/util.h"
#include "../io/csvread.h"
#include "../io/text.h"

const CodeName course_providers[9] = {
    {"somu", "総務課"},         {"seisaku", "政策企画課"},         {"center", "大分県自治人材育成センター"},
    {"jlis", "J-LIS"},          {"jichidai", "自治大学校"},        {"jiam", "市町村アカデミー（JIAM）"},
    {"cyder", "NICT（CYDER）"}, {"manabi", "マナビDX（IPA）"},     {"other", "その他"},
};
const CodeName course_formats[5] = {
    {"group", "集合"}, {"elearning", "eラーニング"}, {"online", "オンライン"}, {"ojt", "OJT"}, {"exercise", "演習"},
};

static const char *lookup(const CodeName *t, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (str_eq(t[i].code, code)) return t[i].name;
    return "";
}

const char *eligibility_name(const char *code) { return lookup(course_eligibilities, COUNTOF(course_eligibilities), code); }

static const char *reverse(const CodeName *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (str_eq(t[i].name, name) || str_eq(t[i].code, name)) return t[i].code;
    return NULL;
}

const char *provider_name(const char *code) { return lookup(course_providers, COUNTOF(course_providers), code); }
const CodeName course_eligibilities[3] = {
    {"none", "対象外でも申し込める"},
    {"warn", "申し込めるが対象外と知らせる"},
    {"refuse", "対象外は申し込めない"},
};

bool provider_internal(const char *code) { return str_eq(code, "somu") || str_eq(code, "seisaku"); }
const char *format_name(const char *code) { return lookup(course_formats, COUNTOF(course_formats), code); }

#define COURSE_COLS                                                                                                  \
    "id, code, title, provider, format, target_tiers, target_posts, minutes, capacity, cost, mandatory, security,"    \
    " description, active, eligibility, repeatable"

static void read_course(Stmt *st, Arena *a, Course *c)
{
    memset(c, 0, sizeof *c);
    c->id = db_col_int(st, 0);
    c->code = db_col_dup(st, 1, a);
    c->title = db_col_dup(st, 2, a);
    c->provider = db_col_dup(st, 3, a);
    c->format = db_col_dup(st, 4, a);
    c->target_tiers = (unsigned)db_col_int(st, 5);
    c->target_posts = db_col_dup(st, 6, a);
    c->minutes = (int)db_col_int(st, 7);
    c->capacity = (int)db_col_int(st, 8);
    c->cost = (int)db_col_int(st, 9);
    c->mandatory = db_col_int(st, 10) != 0;
    c->security = db_col_int(st, 11) != 0;
    c->description = db_col_dup(st, 12, a);
    c->active = db_col_int(st, 13) != 0;
    c->eligibility = db_col_dup(st, 14, a);
    c->repeatable = db_col_int(st, 15) != 0;
}

static void load_skills(Db *db, Arena *a, Course *c)
{
    int n = (int)db_int(db, 0, "SELECT COUNT(*) FROM course_skill WHERE course_id = ?", c->id);
    c->skills = arena_alloc(a, sizeof *c->skills * (size_t)(n + 1));
    Stmt *st = db_query(db,
                        "SELECT s.item_id, i.code, i.name, s.level FROM course_skill s JOIN skill_item i ON i.id = s.item_id"
                        " WHERE s.course_id = ? ORDER BY i.code",
                        c->id);
    while (c->nskills < n && db_step(st) == DB_ROW) {
        CourseSkill *k = &c->skills[c->nskills++];
        k->item_id = db_col_int(st, 0);
        k->item_code = db_col_dup(st, 1, a);
        k->item_name = db_col_dup(st, 2, a);
        k->level = (int)db_col_int(st, 3);
    }
    db_done(st);
}

int course_list(Db *db, Arena *a, bool active_only, Course **out)
{
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM course");
    Course *rows = arena_alloc(a, sizeof *rows * (size_t)(cap + 1));
    Stmt *st = db_query(db, "SELECT " COURSE_COLS " FROM course WHERE ? = 0 OR active = 1 ORDER BY code", active_only ? 1 : 0);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) read_course(st, a, &rows[n++]);
    db_done(st);
    for (int i = 0; i < n; i++) load_skills(db, a, &rows[i]);
    *out = rows;
    return n;
}

bool course_get(Db *db, Arena *a, int64_t id, Course *out)
{
    Stmt *st = db_query(db, "SELECT " COURSE_COLS " FROM course WHERE id = ?", id);
    bool found = db_step(st) == DB_ROW;
    if (found) read_course(st, a, out);
    db_done(st);
    if (found) load_skills(db, a, out);
    return found;
}

static void validate(Db *db, Course *c, Errors *e)
{
    if (!str_is_code(c->code, 30, "-_")) err_add(e, "code", "コードは半角英数字・ハイフン・下線の30文字以内で入力してください。");
    else if (db_exists(db, "SELECT 1 FROM course WHERE code = ? AND id <> ?", c->code, c->id))
        err_add(e, "code", "このコードは既に使われています。");
    if (str_empty(c->title) || utf8_chars(c->title) > 120) err_add(e, "title", "研修名を120文字以内で入力してください。");
    if (!*provider_name(c->provider)) err_add(e, "provider", "実施主体を選んでください。");
    if (!*format_name(c->format)) err_add(e, "format", "形式を選んでください。");
    if (!(c->target_tiers & 14)) err_add(e, "tier", "対象の人材区分を1つ以上選んでください。");
    if (c->minutes < 0 || c->minutes > 60 * 24 * 30) err_add(e, "minutes", "時間（分）を正しく入力してください。");
    if (c->capacity < 0 || c->capacity > 10000) err_add(e, "capacity", "定員を0〜10000で入力してください（0は定員なし）。");
    if (c->cost < 0 || c->cost > 100000000) err_add(e, "cost", "費用を正しく入力してください。");
    if (c->target_posts && utf8_chars(c->target_posts) > 100) err_add(e, "target_posts", "対象職位は100文字以内で入力してください。");
    if (str_empty(c->eligibility)) c->eligibility = "none"; /* not asked: anyone may apply */
    if (!*lookup(course_eligibilities, COUNTOF(course_eligibilities), c->eligibility))
        err_add(e, "eligibility", "対象外の職員の申込の扱いを選んでください。");
    if (c->description && utf8_chars(c->description) > 1000) err_add(e, "description", "説明は1000文字以内で入力してください。");
    for (int i = 0; i < c->nskills; i++) {
        if (c->skills[i].level < 1 || c->skills[i].level > 4) err_add(e, "skills", "関連スキルのレベルは1〜4で選んでください。");
        if (!db_exists(db, "SELECT 1 FROM skill_item WHERE id = ?", c->skills[i].item_id)) err_add(e, "skills", "関連スキルの項目が見つかりません。");
        for (int j = 0; j < i; j++)
            if (c->skills[j].item_id == c->skills[i].item_id) err_add(e, "skills", "関連スキルに同じ項目が重複しています。");
    }
}

int course_save(Db *db, const Actor *who, Course *c, Errors *e)
{
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。しばらくしてからもう一度お試しください。");
        return -1;
    }
    validate(db, c, e);
    bool ok = !err_any(e);
    Arena a = ARENA_INIT;
    if (ok && c->id) {
        ok = db_exec(db,
                     "UPDATE course SET code = ?, title = ?, provider = ?, format = ?, target_tiers = ?, target_posts = ?, minutes = ?,"
                     " capacity = ?, cost = ?, mandatory = ?, security = ?, description = ?, active = ?, eligibility = ?, repeatable = ?"
                     " WHERE id = ?",
                     c->code, c->title, c->provider, c->format, (int)c->target_tiers, c->target_posts ? c->target_posts : "",
                     c->minutes, c->capacity, c->cost, c->mandatory ? 1 : 0, c->security ? 1 : 0, c->description ? c->description : "",
                     c->active ? 1 : 0, c->eligibility, c->repeatable ? 1 : 0, c->id) == 1;
    } else if (ok) {
        Stmt *st = db_query(db,
                            "INSERT INTO course (code, title, provider, format, target_tiers, target_posts, minutes, capacity, cost, mandatory,"
                            " security, description, active, eligibility, repeatable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            " RETURNING id",
                            c->code, c->title, c->provider, c->format, (int)c->target_tiers,
                            c->target_posts ? c->target_posts : "", c->minutes, c->capacity, c->cost, c->mandatory ? 1 : 0, c->security ? 1 : 0,
                            c->description ? c->description : "", c->active ? 1 : 0, c->eligibility, c->repeatable ? 1 : 0);
        ok = db_step(st) == DB_ROW;
        if (ok) c->id = db_col_int(st, 0);
        db_done(st);
    }
    ok = ok && db_exec(db, "DELETE FROM course_skill WHERE course_id = ?", c->id) >= 0;
    for (int i = 0; i < c->nskills && ok; i++)
        ok = db_exec(db, "INSERT INTO course_skill (course_id, item_id, level) VALUES (?, ?, ?)", c->id, c->skills[i].item_id,
                     c->skills[i].level) == 1;
    ok = ok && audit_write(db, who, "course.save", "course", c->id, 0, arena_printf(&a, "%s %s（%s・%s）", c->code, c->title,
                                                                                    provider_name(c->provider), format_name(c->format))) == 0;
    arena_free(&a);
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    if (!err_any(e)) err_add(e, "", "保存できませんでした。もう一度お試しください。");
    return -1;
}

int course_load_defaults(Db *db)
{
    if (db_exists(db, "SELECT 1 FROM course")) return 0;
    const EmbeddedFile *f = NULL;
    for (size_t i = 0; i < embedded_data_count; i++)
        if (strcmp(embedded_data[i].name, "courses.csv") == 0) f = &embedded_data[i];
    if (!f) return 0;
    Arena a = ARENA_INIT;
    CsvDoc doc;
    CsvError cerr;
    int rc = 0;
    if (csv_parse(&a, (const char *)f->data, f->len, &doc, &cerr) != 0) {
        fprintf(stderr, "jinzai: courses.csv line %d: %s\n", cerr.line, cerr.msg);
        arena_free(&a);
        return -1;
    }
    static const char *const names[] = {"コード", "研修名", "実施主体", "形式", "対象区分", "対象職位", "時間（分）", "定員", "費用（円）",
                                        "必須", "情報セキュリティ", "関連スキル", "説明"};
    int col[13];
    for (int c = 0; c < 13; c++) col[c] = csv_col(&doc, names[c]);
    for (int r = 1; r < doc.nrows && rc == 0; r++) {
        const CsvRow *row = &doc.rows[r];
#define F(c) (col[c] >= 0 && col[c] < row->nfields ? row->fields[col[c]] : "")
        Course c = {0};
        c.code = F(0);
        c.title = F(1);
        c.provider = reverse(course_providers, COUNTOF(course_providers), F(2));
        c.format = reverse(course_formats, COUNTOF(course_formats), F(3));
        for (int t = 1; t <= 3; t++) {
            static const char *const marks[] = {"", "①", "②", "③"};
            if (strstr(F(4), marks[t])) c.target_tiers |= 1u << t;
        }
        c.target_posts = F(5);
        int64_t v;
        c.minutes = parse_int64(F(6), &v) ? (int)v : 0;
        c.capacity = parse_int64(F(7), &v) ? (int)v : 0;
        c.cost = parse_int64(F(8), &v) ? (int)v : 0;
        c.mandatory = *F(9) != '\0';
        c.security = *F(10) != '\0';
        c.description = F(12);
        c.active = true;
        /* "L-HOW-03:3;K-07:2" */
        const char *sk = F(11);
        c.skills = arena_alloc(&a, sizeof *c.skills * 16);
        while (*sk && c.nskills < 16) {
            size_t n = strcspn(sk, ";");
            char part[64];
            snprintf(part, sizeof part, "%.*s", (int)(n < 63 ? n : 63), sk);
            char *colon = strchr(part, ':');
            if (colon) {
                *colon = '\0';
                int64_t item = db_int(db, 0, "SELECT id FROM skill_item WHERE code = ?", part);
                if (item && parse_int64(colon + 1, &v)) c.skills[c.nskills++] = (CourseSkill){item, NULL, NULL, (int)v};
            }
            sk += n + (sk[n] == ';');
        }
#undef F
        Errors e = {0};
        if (!c.provider || !c.format || course_save(db, &ACTOR_CLI, &c, &e) != 0) {
            fprintf(stderr, "jinzai: courses.csv line %d: %s\n", row->line, e.n ? e.items[0].msg : "実施主体または形式が不明です");
            rc = -1;
        }
    }
    arena_free(&a);
    return rc;
}

/* Actuals of a plan row p (course c) in its 年度, `now` bound three times:
 * sessions held, people accepted, people completed; then money. Money is
 * counted per session from training_session.cost (per person): 実績 is
 * cost × people who attended, over the sessions already started; 見込み is
 * cost × people accepted, over those still to come; a session whose cost
 * is unknown (NULL, 未定) adds to neither and is counted in the last
 * column instead. Cancelled sessions count nowhere. */
#define PLAN_SESSIONS " FROM training_session s WHERE s.course_id = p.course_id AND s.nendo = p.nendo AND s.cancelled = 0"
#define PLAN_ACTUALS                                                                                                     \
    " (SELECT COUNT(*)" PLAN_SESSIONS " AND s.starts_at < ?),"                                                            \
    " (SELECT COUNT(*) FROM application x JOIN training_session s ON s.id = x.session_id WHERE s.course_id = p.course_id"  \
    "   AND s.nendo = p.nendo AND x.state = 'accepted'),"                                                                 \
    " (SELECT COUNT(*) FROM completion k JOIN training_session s ON s.id = k.session_id WHERE s.course_id = p.course_id"   \
    "   AND s.nendo = p.nendo AND k.completed = 1),"                                                                      \
    " (SELECT COALESCE(SUM(s.cost * (SELECT COUNT(*) FROM completion k WHERE k.session_id = s.id AND k.attended = 1)), 0)" \
    PLAN_SESSIONS " AND s.cost IS NOT NULL AND s.starts_at < ?),"                                                         \
    " (SELECT COALESCE(SUM(s.cost * (SELECT COUNT(*) FROM application x WHERE x.session_id = s.id AND x.state = 'accepted')), 0)" \
    PLAN_SESSIONS " AND s.cost IS NOT NULL AND s.starts_at >= ?),"                                                        \
    " (SELECT COUNT(*)" PLAN_SESSIONS " AND s.cost IS NULL)"

int plan_list(Db *db, Arena *a, int nendo, PlanRow **out)
{
    char now[32];
    now_iso(now);
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM training_plan WHERE nendo = ?", nendo);
    PlanRow *rows = arena_alloc(a, sizeof *rows * (size_t)(cap + 1));
    Stmt *st = db_query(db,
                        "SELECT p.id, p.course_id, p.nendo, p.sessions, p.seats, p.month, p.budget, p.note, c.code, c.title, c.provider,"
                        PLAN_ACTUALS " FROM training_plan p JOIN course c ON c.id = p.course_id WHERE p.nendo = ?"
                        " ORDER BY CASE WHEN p.month = 0 THEN 99 WHEN p.month < 4 THEN p.month + 12 ELSE p.month END, c.code",
                        now, now, now, nendo);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        PlanRow *p = &rows[n++];
        p->id = db_col_int(st, 0);
        p->course_id = db_col_int(st, 1);
        p->nendo = (int)db_col_int(st, 2);
        p->sessions = (int)db_col_int(st, 3);
        p->seats = (int)db_col_int(st, 4);
        p->month = (int)db_col_int(st, 5);
        p->budget = (int)db_col_int(st, 6);
        p->note = db_col_dup(st, 7, a);
        p->course_code = db_col_dup(st, 8, a);
        p->course_title = db_col_dup(st, 9, a);
        p->provider = db_col_dup(st, 10, a);
        p->held = (int)db_col_int(st, 11);
        p->filled = (int)db_col_int(st, 12);
        p->completed = (int)db_col_int(st, 13);
        p->spent = db_col_int(st, 14);
        p->forecast = db_col_int(st, 15);
        p->unknown = (int)db_col_int(st, 16);
    }
    db_done(st);
    *out = rows;
    return n;
}

/* Validates and writes one plan row inside the caller's transaction. */
static bool plan_save_in(Db *db, const Actor *who, PlanRow *p, Errors *e)
{
    if (p->nendo < 2000 || p->nendo > 2100) err_add(e, "nendo", "年度を正しく入力してください。");
    if (p->sessions < 0 || p->sessions > 1000) err_add(e, "sessions", "回数を0〜1000で入力してください。");
    if (p->seats < 0 || p->seats > 100000) err_add(e, "seats", "定員（延べ）を正しく入力してください。");
    if (p->month < 0 || p->month > 12) err_add(e, "month", "実施月を選んでください。");
    if (p->budget < 0 || p->budget > 1000000000) err_add(e, "budget", "予算を正しく入力してください。");
    if (p->note && utf8_chars(p->note) > 200) err_add(e, "note", "備考は200文字以内で入力してください。");
    if (err_any(e)) return false;
    Arena a = ARENA_INIT;
    char *title = db_text(db, &a, "SELECT title FROM course WHERE id = ?", p->course_id);
    if (!title) err_add(e, "course_id", "研修を選んでください。");
    bool ok = title != NULL;
    if (ok) {
        Stmt *st = db_query(db,
                            "INSERT INTO training_plan (nendo, course_id, sessions, seats, month, budget, note) VALUES (?, ?, ?, ?, ?, ?, ?)"
                            " ON CONFLICT (nendo, course_id) DO UPDATE SET sessions = excluded.sessions, seats = excluded.seats,"
                            " month = excluded.month, budget = excluded.budget, note = excluded.note RETURNING id",
                            p->nendo, p->course_id, p->sessions, p->seats, p->month, p->budget, p->note ? p->note : "");
        ok = db_step(st) == DB_ROW;
        if (ok) p->id = db_col_int(st, 0);
        db_done(st);
    }
    ok = ok && audit_write(db, who, "plan.save", "training_plan", p->id, 0,
                           arena_printf(&a, "%d年度 %s %d回 %d人 %d月 予算%d円", p->nendo, title, p->sessions, p->seats, p->month, p->budget)) == 0;
    arena_free(&a);
    return ok;
}

int plan_save_many(Db *db, const Actor *who, PlanRow *rows, int n, Errors *e)
{
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    bool ok = true;
    for (int i = 0; i < n && ok; i++) ok = plan_save_in(db, who, &rows[i], e);
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    if (!err_any(e)) err_add(e, "", "保存できませんでした。");
    return -1;
}

int plan_save(Db *db, const Actor *who, PlanRow *p, Errors *e) { return plan_save_many(db, who, p, 1, e); }

int plan_delete(Db *db, const Actor *who, int64_t id, Errors *e)
{
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    Arena a = ARENA_INIT;
    char *what = db_text(db, &a, "SELECT p.nendo || '年度 ' || c.title FROM training_plan p JOIN course c ON c.id = p.course_id WHERE p.id = ?",
                         id);
    if (!what) err_add(e, "", "計画が見つかりません。");
    bool ok = what && db_exec(db, "DELETE FROM training_plan WHERE id = ?", id) == 1 &&
              audit_write(db, who, "plan.delete", "training_plan", id, 0, what) == 0;
    arena_free(&a);
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    if (!err_any(e)) err_add(e, "", "削除できませんでした。");
    return -1;
}
