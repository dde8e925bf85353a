/* talent.c - see talent.h. */
#include "talent.h"

#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"

/* The level that counts for condition k. A 確認済 assessment gives its
 * confirmed level; with 'self' a 提出済 one gives the person's own. The
 * latest 年度 up to the query's that counts is taken.
 * Binds: self, item, nendo, self. */
#define TALENT_LEVEL                                                                                               \
    "(SELECT CASE WHEN x.state = 'confirmed' AND i.sup_level IS NOT NULL THEN i.sup_level"                        \
    "  WHEN ? = 1 THEN i.self_level END"                                                                            \
    " FROM assessment x JOIN assessment_item i ON i.assessment_id = x.id"                                           \
    " WHERE x.staff_id = s.id AND i.item_id = ? AND x.nendo <= ?"                                                   \
    " AND (x.state = 'confirmed' OR (? = 1 AND x.state = 'submitted')) ORDER BY x.nendo DESC LIMIT 1)"

/* The latest completion of one of the listed courses (",3,7,"), within the
 * 年度 or ever (0). Binds: cnendo, cnendo, list. Column c is what it returns. */
#define TALENT_COURSE(c)                                                                                          \
    "(SELECT " c " FROM completion k JOIN training_session t ON t.id = k.session_id JOIN course c ON c.id = t.course_id" \
    " WHERE k.staff_id = s.id AND k.completed = 1 AND (? = 0 OR t.nendo = ?)"                                      \
    " AND ? LIKE '%,' || CAST(c.id AS TEXT) || ',%' ORDER BY t.starts_at DESC, c.id LIMIT 1)"

/* One statement: the people in service on the date with their unit, tiers,
 * levels and matches (p), then the conditions on those, the page and the
 * total of all pages. */
static const char talent_sql[] =
    "WITH p AS (SELECT s.id, s.staff_no, s.name, u.code AS ucode,"
    " CASE WHEN u.level = 4 AND pu.id IS NOT NULL THEN pu.name || ' ' || u.name ELSE u.name END AS uname,"
    " (SELECT SUM(DISTINCT CASE dt.tier WHEN 1 THEN 2 WHEN 2 THEN 4 ELSE 0 END) FROM tier_designation dt"
    "  WHERE dt.staff_id = s.id AND " ASOF_DESIGNATED("dt") ") AS tb,"
    " " TALENT_LEVEL " AS l1, " TALENT_LEVEL " AS l2, " TALENT_LEVEL " AS l3,"
    " (SELECT MIN(q.acquired_on) FROM staff_qualification q WHERE q.staff_id = s.id AND q.qual_code = ?"
    "  AND q.acquired_on <= ? AND (q.expires_on IS NULL OR q.expires_on >= ?)) AS qon,"
    " " TALENT_COURSE("c.title") " AS ctitle, " TALENT_COURSE("t.starts_at") " AS con"
    " FROM staff s JOIN " ASOF_PRIMARY("a", "s.id")
    " JOIN org_unit u ON u.id = a.unit_id LEFT JOIN org_unit pu ON pu.id = u.parent_id"
    " WHERE " ASOF_VISIBLE("s.id")
    " AND (? = 0 OR a.unit_id IN (" ASOF_SUBTREE "))"
    " AND (? = '' OR s.search_key LIKE ? ESCAPE '!'))"
    " SELECT id, staff_no, name, uname, COALESCE(tb, 0), l1, l2, l3, qon, ctitle, con, COUNT(*) OVER () FROM p"
    " WHERE (? = 0 OR l1 >= ?) AND (? = 0 OR l2 >= ?) AND (? = 0 OR l3 >= ?)"
    " AND (? = '' OR qon IS NOT NULL)"
    " AND (? = 0 OR (CASE WHEN COALESCE(tb, 0) = 0 THEN 8 ELSE tb END & ?) <> 0)"
    " AND (? = '' OR ctitle IS NOT NULL)"
    " ORDER BY ucode, staff_no LIMIT ? OFFSET ?";

bool talent_has_condition(const TalentQuery *q)
{
    for (int k = 0; k < TALENT_SKILLS; k++)
        if (q->skills[k].item_id) return true;
    return !str_empty(q->qual_code) || q->tiers || q->course_id || !str_empty(q->course_kw) || q->unit_id ||
           !str_empty(q->name);
}

int talent_check(Db *db, const TalentQuery *q, Errors *e)
{
    int before = e->n;
    for (int k = 0; k < TALENT_SKILLS; k++) {
        const TalentSkill *s = &q->skills[k];
        if (!s->item_id) continue;
        char field[32];
        snprintf(field, sizeof field, "s%d_item", k + 1);
        if (s->item_id < 0 || !db_exists(db, "SELECT 1 FROM skill_item WHERE id = ?", s->item_id))
            err_addf(e, field, "スキル条件%dの評価項目が見つかりません。", k + 1);
        snprintf(field, sizeof field, "s%d_min", k + 1);
        if (s->min_level < 1 || s->min_level > 4) err_addf(e, field, "スキル条件%dのレベルは1から4で選んでください。", k + 1);
    }
    if (!str_empty(q->qual_code) && !db_exists(db, "SELECT 1 FROM qualification_type WHERE code = ?", q->qual_code))
        err_add(e, "qual", "資格が見つかりません。一覧から選んでください。");
    if (q->course_id && (q->course_id < 0 || !db_exists(db, "SELECT 1 FROM course WHERE id = ?", q->course_id)))
        err_add(e, "course", "研修が見つかりません。一覧から選んでください。");
    if (q->course_id && !str_empty(q->course_kw))
        err_add(e, "course", "研修は一覧から選ぶか、研修名のキーワードで指定するか、どちらか一方にしてください。");
    if (!str_empty(q->course_kw) && utf8_chars(q->course_kw) > 100)
        err_add(e, "kw", "研修名のキーワードは100文字以内で入力してください。");
    if (q->course_nendo && (q->course_nendo < 2000 || q->course_nendo > 2100))
        err_add(e, "cnendo", "修了の年度を正しく選んでください。");
    if (q->unit_id && (q->unit_id < 0 || !db_exists(db, "SELECT 1 FROM org_unit WHERE id = ?", q->unit_id)))
        err_add(e, "unit", "所属が見つかりません。一覧から選んでください。");
    if (q->tiers & ~0xEu) err_add(e, "tier", "人材区分は①②③から選んでください。");
    if (!str_empty(q->name) && utf8_chars(q->name) > 100) err_add(e, "name", "氏名・職員番号は100文字以内で入力してください。");
    Date d;
    if (!q->on || !date_parse(q->on, &d)) err_add(e, "on", "基準日を正しい日付で入力してください。");
    if (q->nendo < 2000 || q->nendo > 2100) err_add(e, "nendo", "年度を正しく選んでください。");
    return e->n > before ? -1 : 0;
}

const char *talent_course_ids(Db *db, Arena *a, const TalentQuery *q, int *n)
{
    *n = 0;
    if (q->course_id) {
        *n = 1;
        return arena_printf(a, ",%lld,", (long long)q->course_id);
    }
    if (str_empty(q->course_kw)) return "";
    const char *kw = text_fold(a, q->course_kw);
    Buf ids = BUF_INIT;
    buf_putc(&ids, ',');
    Stmt *st = db_query(db, "SELECT id, title, code FROM course ORDER BY id");
    while (db_step(st) == DB_ROW) {
        const char *title = text_fold(a, db_col_text(st, 1)), *code = text_fold(a, db_col_text(st, 2));
        if (*kw && (strstr(title, kw) || strstr(code, kw))) {
            buf_printf(&ids, "%lld,", (long long)db_col_int(st, 0));
            (*n)++;
        }
    }
    db_done(st);
    if (!*n) buf_putc(&ids, ','); /* ",,": a condition no course meets */
    const char *out = arena_strdup(a, buf_cstr(&ids));
    buf_free(&ids);
    return out;
}

/* "%folded%" with ! escaping the wildcards typed (as staff search). */
static const char *like_of(Arena *a, const char *folded)
{
    Buf like = BUF_INIT;
    buf_putc(&like, '%');
    for (const char *p = folded; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '!') buf_putc(&like, '!');
        buf_putc(&like, *p);
    }
    buf_putc(&like, '%');
    const char *out = arena_strdup(a, buf_cstr(&like));
    buf_free(&like);
    return out;
}

int talent_search(Db *db, Arena *a, const TalentQuery *q, TalentResult *out)
{
    memset(out, 0, sizeof *out);
    const char *courses = talent_course_ids(db, a, q, &out->ncourses);
    const char *qual = str_empty(q->qual_code) ? "" : q->qual_code;
    const char *name = str_empty(q->name) ? "" : text_fold(a, q->name);
    const char *like = like_of(a, name);
    int cap = q->page > 0 ? TALENT_PAGE_SIZE : (int)db_int(db, 0, "SELECT COUNT(*) FROM staff");
    int offset = q->page > 0 ? (q->page - 1) * TALENT_PAGE_SIZE : 0;

    DbArg args[64];
    int n = 0;
#define ARG(x) (args[n++] = DB_ARG(x))
    ARG(q->nendo), ARG(q->on), ARG(q->on); /* tiers */
    for (int k = 0; k < TALENT_SKILLS; k++) {
        int self = q->skills[k].self ? 1 : 0;
        ARG(self), ARG(q->skills[k].item_id), ARG(q->nendo), ARG(self);
    }
    ARG(qual), ARG(q->on), ARG(q->on);
    for (int k = 0; k < 2; k++) ARG(q->course_nendo), ARG(q->course_nendo), ARG(courses);
    ARG(q->on), ARG(q->on);                                         /* primary assignment */
    ARG(q->scope), ARG(q->today), ARG(q->today), ARG(q->scope);     /* visible */
    ARG(q->unit_id), ARG(q->unit_id);
    ARG(name), ARG(like);
    for (int k = 0; k < TALENT_SKILLS; k++) ARG(q->skills[k].item_id), ARG(q->skills[k].min_level);
    ARG(qual);
    ARG(q->tiers), ARG(q->tiers);
    ARG(courses);
    ARG(cap), ARG(offset);
#undef ARG

    out->rows = arena_alloc(a, sizeof *out->rows * (size_t)(cap + 1));
    Stmt *st = db_query_args(db, talent_sql, n, args);
    while (out->n < cap && db_step(st) == DB_ROW) {
        TalentRow *r = &out->rows[out->n++];
        r->staff_id = db_col_int(st, 0);
        r->staff_no = db_col_dup(st, 1, a);
        r->name = db_col_dup(st, 2, a);
        r->unit_name = db_col_dup(st, 3, a);
        unsigned tb = (unsigned)db_col_int(st, 4);
        r->tiers = tb ? tb : 1u << 3;
        for (int k = 0; k < TALENT_SKILLS; k++)
            r->level[k] = q->skills[k].item_id && !db_col_null(st, 5 + k) ? (int)db_col_int(st, 5 + k) : -1;
        r->qual_acquired_on = *qual ? db_col_dup(st, 8, a) : NULL;
        r->course_title = *courses ? db_col_dup(st, 9, a) : NULL;
        const char *on = *courses ? db_col_text(st, 10) : "";
        r->course_on = *on ? arena_strndup(a, on, 10) : NULL;
        out->total = (int)db_col_int(st, 11);
    }
    db_done(st);
    return out->n;
}
