/* test_talent.c - the talent search over a small fixture whose answers are
 * known: course keywords folded, each condition alone and together, the
 * scope root, unit subtrees, paging and the checks of a query. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/errors.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/talent.h"
#include "io/text.h"
#include "../tmpdb.h"

#define ON "2026-11-16"

static char path[64];
static Db *db;
static int64_t unit_x, unit_xa, unit_y, sa, sb, sc, item, c_ai, c_rpa;

static int64_t ret_id(Stmt *st)
{
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

static int64_t add_unit(const char *code, int level, int64_t parent)
{
    return ret_id(db_query(db, "INSERT INTO org_unit (code, name, level, parent_id, valid_from) VALUES (?, ?, ?, ?, '2000-04-01') RETURNING id",
                           code, code, level, DB_ID_OR_NULL(parent)));
}

static int64_t add_staff(const char *no, const char *name, int64_t unit, const char *to)
{
    Arena a = ARENA_INIT; /* the key folded, as staff_search_key stores it (LIKE is case-sensitive on PostgreSQL) */
    int64_t id = ret_id(db_query(db,
                                 "INSERT INTO staff (staff_no, name, search_key, emp_type, created_at, updated_at)"
                                 " VALUES (?, ?, ?, 'regular', '2026-01-01', '2026-01-01') RETURNING id",
                                 no, name, text_fold(&a, no)));
    arena_free(&a);
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, is_primary, from_date, to_date) VALUES (?, ?, 1, '2020-04-01', ?)", id, unit, to);
    return id;
}

static int64_t add_course(const char *code, const char *title)
{
    return ret_id(db_query(db, "INSERT INTO course (code, title, provider, format) VALUES (?, ?, 'somu', 'group') RETURNING id", code, title));
}

static void complete(int64_t staff, int64_t course, int nendo, const char *starts)
{
    int64_t s = ret_id(db_query(db, "INSERT INTO training_session (course_id, nendo, starts_at, ends_at, capacity) VALUES (?, ?, ?, ?, 10) RETURNING id",
                                course, nendo, starts, starts));
    db_exec(db, "INSERT INTO completion (session_id, staff_id, attended, completed, recorded_at) VALUES (?, ?, 1, 1, ?)", s, staff, starts);
}

static void assess(int64_t staff, int nendo, const char *state, int self, int sup)
{
    int64_t x = ret_id(db_query(db, "INSERT INTO assessment (staff_id, nendo, state, updated_at) VALUES (?, ?, ?, '2026-06-01') RETURNING id",
                                staff, nendo, state));
    db_exec(db, "INSERT INTO assessment_item (assessment_id, item_id, self_level, sup_level) VALUES (?, ?, ?, ?)", x, item, self,
            sup < 0 ? DB_ID_OR_NULL(0) : DB_ID_OR_NULL(sup));
}

static int setup(void **state)
{
    (void)state;
    db = tmpdb_open(path, sizeof path, "unit-talent");
    if (!db) return -1;
    unit_x = add_unit("X", 3, 0);
    unit_xa = add_unit("XA", 4, unit_x);
    unit_y = add_unit("Y", 3, 0);
    sa = add_staff("A001", "山田 太郎", unit_xa, NULL);
    sb = add_staff("B001", "佐藤 花子", unit_y, NULL);
    sc = add_staff("C001", "鈴木 次郎", unit_y, "2026-03-31"); /* retired: never found */
    int64_t cat = ret_id(db_query(db, "INSERT INTO skill_category (code, name) VALUES ('T', '技術') RETURNING id"));
    item = ret_id(db_query(db, "INSERT INTO skill_item (code, name, category_id, source) VALUES ('NW', 'ネットワーク', ?, 'local') RETURNING id", cat));
    db_exec(db, "INSERT INTO qualification_type (code, name) VALUES ('FE', '基本情報技術者')");
    db_exec(db, "INSERT INTO staff_qualification (staff_id, qual_code, acquired_on) VALUES (?, 'FE', '2020-01-01')", sa);
    db_exec(db, "INSERT INTO staff_qualification (staff_id, qual_code, acquired_on) VALUES (?, 'FE', '2020-01-01')", sc);
    c_ai = add_course("AI-01", "生成AI活用の基礎");
    c_rpa = add_course("RPA-01", "RPA入門");
    complete(sa, c_ai, 2025, "2025-06-01T09:00");
    complete(sb, c_rpa, 2026, "2026-06-01T09:00");
    complete(sc, c_ai, 2025, "2025-06-01T09:00");
    assess(sa, 2026, "confirmed", 4, 3); /* A: confirmed 3 */
    assess(sb, 2025, "confirmed", 1, 1); /* B: confirmed 1 last year, self 4 submitted this year */
    assess(sb, 2026, "submitted", 4, -1);
    db_exec(db, "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_on) VALUES (?, 2026, 2, 'lead', ?, '2026-04-01')",
            sb, unit_y);
    return sa && sb && sc && item && c_ai && c_rpa ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    return 0;
}

static TalentQuery base(void)
{
    return (TalentQuery){.nendo = 2026, .on = ON, .today = ON, .page = 1};
}

/* The staff numbers found, joined by ','. */
static const char *found(const TalentQuery *q)
{
    static Arena a = ARENA_INIT;
    static char out[256];
    TalentResult r;
    talent_search(db, &a, q, &r);
    size_t len = 0;
    out[0] = 0;
    for (int i = 0; i < r.n; i++) len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", i ? "," : "", r.rows[i].staff_no);
    assert_int_equal(r.total, r.n);
    return out;
}

static void test_course_keyword_is_folded(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    TalentQuery q = base();
    int n;
    assert_string_equal(talent_course_ids(db, &a, &q, &n), "");
    q.course_kw = "ＡＩ"; /* full width */
    assert_string_equal(talent_course_ids(db, &a, &q, &n), arena_printf(&a, ",%lld,", (long long)c_ai));
    assert_int_equal(n, 1);
    q.course_kw = "ｒｐａ";
    assert_string_equal(talent_course_ids(db, &a, &q, &n), arena_printf(&a, ",%lld,", (long long)c_rpa));
    q.course_kw = "%";
    assert_string_equal(talent_course_ids(db, &a, &q, &n), ",,");
    assert_int_equal(n, 0);
    q.course_kw = NULL;
    q.course_id = c_rpa;
    assert_string_equal(talent_course_ids(db, &a, &q, &n), arena_printf(&a, ",%lld,", (long long)c_rpa));
    arena_free(&a);
}

static void test_conditions(void **state)
{
    (void)state;
    TalentQuery q = base();
    assert_false(talent_has_condition(&q));
    assert_string_equal(found(&q), "A001,B001"); /* C retired on 3/31 */
    q.qual_code = "FE";
    assert_true(talent_has_condition(&q));
    assert_string_equal(found(&q), "A001");
    q = base();
    q.skills[0] = (TalentSkill){item, 3, false};
    assert_string_equal(found(&q), "A001");
    q.skills[0].self = true;
    assert_string_equal(found(&q), "A001,B001");
    q.skills[0].min_level = 4;
    assert_string_equal(found(&q), "B001"); /* A's confirmed 3 wins over their own 4 */
    q = base();
    q.course_kw = "生成ai";
    assert_string_equal(found(&q), "A001");
    q.course_nendo = 2026;
    assert_string_equal(found(&q), "");
    q = base();
    q.tiers = 1u << 2;
    assert_string_equal(found(&q), "B001");
    q.tiers = 1u << 3;
    assert_string_equal(found(&q), "A001");
    q.tiers = 1u << 2 | 1u << 3;
    assert_string_equal(found(&q), "A001,B001");
    q = base();
    q.unit_id = unit_x; /* its 係 included */
    assert_string_equal(found(&q), "A001");
    q = base();
    q.name = "b00";
    assert_string_equal(found(&q), "B001");
    q.name = "_";
    assert_string_equal(found(&q), "");
}

static void test_scope_and_pages(void **state)
{
    (void)state;
    TalentQuery q = base();
    q.scope = unit_x;
    assert_string_equal(found(&q), "A001");
    q.scope = -1;
    assert_string_equal(found(&q), "");
    q = base();
    q.page = 2;
    Arena a = ARENA_INIT;
    TalentResult r;
    assert_int_equal(talent_search(db, &a, &q, &r), 0);
    q.page = 0;
    assert_int_equal(talent_search(db, &a, &q, &r), 2);
    assert_int_equal(r.total, 2);
    arena_free(&a);
}

static void test_check(void **state)
{
    (void)state;
    TalentQuery q = base();
    Errors e = {0};
    assert_int_equal(talent_check(db, &q, &e), 0);
    q.skills[1] = (TalentSkill){999, 5, false};
    q.qual_code = "XX";
    q.course_id = 999;
    q.unit_id = 999;
    q.tiers = 1u;
    q.on = "2026-02-30";
    assert_int_equal(talent_check(db, &q, &e), -1);
    assert_string_equal(err_for(&e, "s2_item"), "スキル条件2の評価項目が見つかりません。");
    assert_string_equal(err_for(&e, "s2_min"), "スキル条件2のレベルは1から4で選んでください。");
    assert_non_null(err_for(&e, "qual"));
    assert_non_null(err_for(&e, "course"));
    assert_non_null(err_for(&e, "unit"));
    assert_non_null(err_for(&e, "tier"));
    assert_string_equal(err_for(&e, "on"), "基準日を正しい日付で入力してください。");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_course_keyword_is_folded),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_scope_and_pages),
        cmocka_unit_test(test_check),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
