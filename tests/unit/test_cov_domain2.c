/* test_cov_domain2.c - the editing rules of the skill map and of staff
 * records that the pages rely on: a skill item is created or changed only
 * with valid fields, keeps its history when retired and comes back when
 * restored, moves within its category; categories refuse a used code or a
 * parent that is itself or missing; extra unit targets of a 年度 carry over to
 * the next until changed there; optional libraries switch per tier. For staff:
 * an update keeps the before/after in the audit row, field limits, a 職員番号
 * already used in another case, and ending an assignment before it began. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/audit.h"
#include "core/errors.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/course.h"
#include "domain/org.h"
#include "domain/skill.h"
#include "domain/staff.h"
#include "domain/tier.h"
#include "domain/training.h"
#include "../tmpdb.h"

static char path[64];
static Db *db;
static int64_t unit_a, unit_b, cat_mind, staff1, staff2;

static int64_t add_unit(const char *code, const char *name, int level, int64_t parent)
{
    Stmt *st = db_query(db, "INSERT INTO org_unit (code, name, level, parent_id, valid_from) VALUES (?, ?, ?, ?, '2000-04-01') RETURNING id",
                        code, name, level, DB_ID_OR_NULL(parent));
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return id;
}

static int64_t new_staff(const char *no, const char *name, int64_t unit, Errors *e)
{
    Staff s = {.staff_no = no, .name = name, .kana = "テスト", .emp_type = "regular", .post = "主事", .unit_id = unit};
    return staff_save(db, &ACTOR_CLI, &s, "2020-04-01", e) == 0 ? s.id : 0;
}

static int setup(void **state)
{
    (void)state;
    db = tmpdb_open(path, sizeof path, "unit-cov-domain2");
    if (!db || skill_load_defaults(db, 2025) != 0 || course_load_defaults(db) != 0) return -1;
    int64_t ka = add_unit("X", "政策企画課", 3, 0);
    unit_a = add_unit("XA", "広報・DX推進係", 4, ka);
    unit_b = add_unit("XB", "企画係", 4, ka);
    cat_mind = db_int(db, 0, "SELECT id FROM skill_category WHERE code = 'L-MIND'");
    Errors e = {0};
    staff1 = new_staff("S001", "山田 太郎", unit_a, &e);
    staff2 = new_staff("S002", "鈴木 花子", unit_b, &e);
    return unit_a && unit_b && cat_mind && staff1 && staff2 && !err_any(&e) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    return 0;
}

static bool has_field(const Errors *e, const char *field)
{
    for (int i = 0; i < e->n; i++)
        if (strcmp(e->items[i].field, field) == 0) return true;
    return false;
}

static int audits(const char *action) { return (int)db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = ?", action); }

/* Every bad field is reported at once and nothing is written. */
static void test_item_refused(void **state)
{
    (void)state;
    int items = (int)db_int(db, -1, "SELECT COUNT(*) FROM skill_item");
    char long_desc[700];
    memset(long_desc, 'x', 201);
    long_desc[201] = 0;
    SkillItemInput in = {.category_id = 999999, .code = "bad code", .name = "", .source = "ISO", .targets = {0, 5, -2, 1},
                         .desc = {NULL, long_desc}};
    Errors e = {0};
    assert_int_not_equal(skill_item_save(db, &ACTOR_CLI, 2026, &in, &e), 0);
    assert_true(has_field(&e, "code"));
    assert_true(has_field(&e, "name"));
    assert_true(has_field(&e, "source"));
    assert_true(has_field(&e, "category_id"));
    assert_true(has_field(&e, "target1"));
    assert_true(has_field(&e, "target2"));
    assert_false(has_field(&e, "target3"));
    assert_true(has_field(&e, "desc1"));
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM skill_item"), items);

    /* A code already used by an item or by a category, a name over 80 characters. */
    char long_name[100];
    memset(long_name, 'n', 81);
    long_name[81] = 0;
    SkillItemInput dup = {.category_id = cat_mind, .code = "L-MIND-01", .name = long_name, .source = "local"};
    Errors e2 = {0};
    assert_int_not_equal(skill_item_save(db, &ACTOR_CLI, 2026, &dup, &e2), 0);
    assert_true(has_field(&e2, "code"));
    assert_true(has_field(&e2, "name"));
    SkillItemInput cat_code = {.category_id = cat_mind, .code = "L-MIND", .name = "x", .source = "local"};
    Errors e3 = {0};
    assert_int_not_equal(skill_item_save(db, &ACTOR_CLI, 2026, &cat_code, &e3), 0);
    assert_string_equal(e3.items[0].msg, "このコードは既に使われています。");
}

/* A new item gets its targets for the 年度 (the other items' targets of the
 * year before are copied first, so they do not vanish) and its own
 * descriptors; an update replaces both and is audited. */
static void test_item_create_update(void **state)
{
    (void)state;
    int base = (int)db_int(db, -1, "SELECT COUNT(*) FROM skill_target WHERE nendo = 2025");
    assert_true(base > 0);
    SkillItemInput in = {.category_id = cat_mind, .code = "LOCAL-01", .name = "窓口改善", .description = "独自項目", .source = "独自",
                         .sort_order = 90, .targets = {0, 3, 2, -1}, .desc = {"", "知っている", NULL, NULL, NULL}};
    Errors e = {0};
    assert_int_equal(skill_item_save(db, &ACTOR_CLI, 2026, &in, &e), 0);
    assert_true(in.id > 0);
    assert_string_equal(in.source, "local");
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM skill_target WHERE nendo = 2026"), base + 2);
    assert_int_equal(db_int(db, -1, "SELECT level FROM skill_target WHERE item_id = ? AND nendo = 2026 AND tier = 1", in.id), 3);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM skill_target WHERE item_id = ? AND tier = 3", in.id), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM skill_level WHERE item_id = ?", in.id), 1);
    assert_int_equal(audits("skill.create"), 1);

    in.name = "窓口業務の改善";
    in.description = NULL;
    in.targets[3] = 1;
    in.desc[1] = NULL;
    in.desc[4] = "指導できる";
    Errors e2 = {0};
    assert_int_equal(skill_item_save(db, &ACTOR_CLI, 2026, &in, &e2), 0);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT name FROM skill_item WHERE id = ?", in.id), "窓口業務の改善");
    assert_string_equal(db_text(db, &a, "SELECT description FROM skill_item WHERE id = ?", in.id), "");
    assert_string_equal(db_text(db, &a, "SELECT descriptor FROM skill_level WHERE item_id = ?", in.id), "指導できる");
    arena_free(&a);
    assert_int_equal(db_int(db, -1, "SELECT level FROM skill_target WHERE item_id = ? AND nendo = 2026 AND tier = 3", in.id), 1);
    /* The 2025 targets stay as they were. */
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM skill_target WHERE nendo = 2025"), base);
    assert_int_equal(audits("skill.update"), 1);
}

/* Retiring needs a real date and an existing item; restoring clears it. */
static void test_item_retire_restore(void **state)
{
    (void)state;
    int64_t id = db_int(db, 0, "SELECT id FROM skill_item WHERE code = 'L-MIND-02'");
    Errors e = {0};
    assert_int_not_equal(skill_item_retire(db, &ACTOR_CLI, id, "2027-02-30", &e), 0);
    assert_true(has_field(&e, "retired_on"));
    Errors e2 = {0};
    assert_int_not_equal(skill_item_retire(db, &ACTOR_CLI, 999999, "2027-03-31", &e2), 0);
    assert_string_equal(e2.items[0].msg, "スキル項目が見つかりません。");
    Errors e3 = {0};
    assert_int_equal(skill_item_retire(db, &ACTOR_CLI, id, "2027-03-31", &e3), 0);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT retired_on FROM skill_item WHERE id = ?", id), "2027-03-31");
    /* The loaded map leaves it out unless asked for retired items. */
    SkillMap m, all;
    skill_map_load(db, &a, 2026, false, &m);
    skill_map_load(db, &a, 2026, true, &all);
    assert_int_equal(skill_item_index(&m, id), -1);
    assert_true(skill_item_index(&all, id) >= 0);
    assert_int_equal(all.nitems, m.nitems + 1);
    Errors e4 = {0};
    assert_int_equal(skill_item_retire(db, &ACTOR_CLI, id, NULL, &e4), 0);
    assert_int_equal(db_int(db, -1, "SELECT retired_on IS NULL FROM skill_item WHERE id = ?", id), 1);
    arena_free(&a);
    assert_int_equal(audits("skill.retire"), 1);
    assert_int_equal(audits("skill.restore"), 1);
}

/* Moving swaps with the neighbour; the first item cannot go further up. */
static void test_item_move(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_not_equal(skill_item_move(db, &ACTOR_CLI, 999999, -1, &e), 0);
    assert_string_equal(e.items[0].msg, "スキル項目が見つかりません。");
    int64_t first = db_int(db, 0, "SELECT id FROM skill_item WHERE category_id = ? ORDER BY sort_order, code LIMIT 1", cat_mind);
    int64_t second = db_int(db, 0, "SELECT id FROM skill_item WHERE category_id = ? ORDER BY sort_order, code LIMIT 1 OFFSET 1", cat_mind);
    Errors e2 = {0};
    assert_int_equal(skill_item_move(db, &ACTOR_CLI, second, -1, &e2), 0);
    assert_int_equal(db_int(db, 0, "SELECT sort_order FROM skill_item WHERE id = ?", second), 10);
    assert_int_equal(db_int(db, 0, "SELECT sort_order FROM skill_item WHERE id = ?", first), 20);
    Errors e3 = {0};
    assert_int_equal(skill_item_move(db, &ACTOR_CLI, second, -1, &e3), 0); /* already first: stays */
    assert_int_equal(db_int(db, 0, "SELECT sort_order FROM skill_item WHERE id = ?", second), 10);
    Errors e4 = {0};
    assert_int_equal(skill_item_move(db, &ACTOR_CLI, second, 1, &e4), 0);
    assert_int_equal(db_int(db, 0, "SELECT sort_order FROM skill_item WHERE id = ?", first), 10);
    int64_t last = db_int(db, 0, "SELECT id FROM skill_item WHERE category_id = ? ORDER BY sort_order DESC LIMIT 1", cat_mind);
    int last_order = (int)db_int(db, 0, "SELECT sort_order FROM skill_item WHERE id = ?", last);
    Errors e5 = {0};
    assert_int_equal(skill_item_move(db, &ACTOR_CLI, last, 1, &e5), 0); /* already last: stays */
    assert_int_equal(db_int(db, 0, "SELECT sort_order FROM skill_item WHERE id = ?", last), last_order);
    assert_int_equal(audits("skill.move"), 4);
}

static void test_category_save(void **state)
{
    (void)state;
    int64_t id = 0;
    Errors e = {0};
    assert_int_not_equal(skill_category_save(db, &ACTOR_CLI, &id, "x y", "", 0, 0, &e), 0);
    assert_true(has_field(&e, "code"));
    assert_true(has_field(&e, "name"));
    Errors e2 = {0};
    assert_int_not_equal(skill_category_save(db, &ACTOR_CLI, &id, "L-MIND-01", "重複", 0, 0, &e2), 0); /* an item's code */
    assert_true(has_field(&e2, "code"));
    Errors e3 = {0};
    assert_int_not_equal(skill_category_save(db, &ACTOR_CLI, &id, "NEW-CAT", "新区分", 999999, 0, &e3), 0);
    assert_true(has_field(&e3, "parent_id"));
    assert_int_equal(id, 0);

    /* A sub-category of an optional library's category belongs to that library. */
    Arena a = ARENA_INIT;
    int64_t lib_cat = db_int(db, 0, "SELECT id FROM skill_category WHERE library <> 'core' ORDER BY id LIMIT 1");
    const char *lib = db_text(db, &a, "SELECT library FROM skill_category WHERE id = ?", lib_cat);
    assert_non_null(lib);
    Errors e4 = {0};
    assert_int_equal(skill_category_save(db, &ACTOR_CLI, &id, "NEW-CAT", "新区分", lib_cat, 5, &e4), 0);
    assert_true(id > 0);
    assert_string_equal(db_text(db, &a, "SELECT library FROM skill_category WHERE id = ?", id), lib);
    int64_t top = 0;
    Errors e5 = {0};
    assert_int_equal(skill_category_save(db, &ACTOR_CLI, &top, "TOP-CAT", "独自区分", 0, 99, &e5), 0);
    assert_string_equal(db_text(db, &a, "SELECT library FROM skill_category WHERE id = ?", top), "core");

    /* Its own parent is refused; a rename keeps the id. */
    Errors e6 = {0};
    assert_int_not_equal(skill_category_save(db, &ACTOR_CLI, &id, "NEW-CAT", "新区分", id, 5, &e6), 0);
    assert_true(has_field(&e6, "parent_id"));
    Errors e7 = {0};
    int64_t same = id;
    assert_int_equal(skill_category_save(db, &ACTOR_CLI, &id, "NEW-CAT", "新しい区分", 0, 7, &e7), 0);
    assert_int_equal(id, same);
    assert_string_equal(db_text(db, &a, "SELECT name FROM skill_category WHERE id = ?", id), "新しい区分");
    assert_int_equal(db_int(db, -1, "SELECT parent_id IS NULL FROM skill_category WHERE id = ?", id), 1);
    arena_free(&a);
    assert_int_equal(audits("skill.category"), 3);
}

/* Extra targets for a unit: checked, carried into later 年度, and removed in
 * one 年度 without touching the one before. */
static void test_unit_targets(void **state)
{
    (void)state;
    int64_t item = db_int(db, 0, "SELECT id FROM skill_item WHERE code = 'L-MIND-03'");
    Errors e = {0};
    assert_int_not_equal(skill_unit_target_set(db, &ACTOR_CLI, item, 2026, 0, 5, &e), 0);
    assert_true(has_field(&e, "level"));
    assert_true(has_field(&e, "unit_id"));
    Errors e2 = {0};
    assert_int_not_equal(skill_unit_target_set(db, &ACTOR_CLI, 999999, 2026, 999999, 2, &e2), 0);
    assert_string_equal(e2.items[0].msg, "スキル項目が見つかりません。");
    assert_true(has_field(&e2, "unit_id"));
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM skill_unit_target"), 0);

    Errors e3 = {0};
    assert_int_equal(skill_unit_target_set(db, &ACTOR_CLI, item, 2026, unit_b, 3, &e3), 0);
    assert_int_equal(skill_unit_target_set(db, &ACTOR_CLI, item, 2026, unit_a, 4, &e3), 0);
    Arena a = ARENA_INIT;
    UnitTarget *ut;
    /* 2027 has none of its own: 2026's apply, in unit code order. */
    assert_int_equal(skill_unit_targets(db, &a, item, 2027, &ut), 2);
    assert_int_equal(ut[0].unit_id, unit_a);
    assert_int_equal(ut[0].level, 4);
    assert_string_equal(ut[1].unit_name, "企画係");
    /* 2025 is before any: none. */
    assert_int_equal(skill_unit_targets(db, &a, item, 2025, &ut), 0);

    /* Removing one in 2027 copies 2026 first, so the other stays in 2027. */
    Errors e4 = {0};
    assert_int_equal(skill_unit_target_set(db, &ACTOR_CLI, item, 2027, unit_b, -1, &e4), 0);
    assert_int_equal(skill_unit_targets(db, &a, item, 2027, &ut), 1);
    assert_int_equal(ut[0].unit_id, unit_a);
    assert_int_equal(skill_unit_targets(db, &a, item, 2026, &ut), 2);
    arena_free(&a);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = 'skill.unit_target' AND summary LIKE '%追加目標を削除'"), 1);
}

static void test_library_switch(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    const char *lib = db_text(db, &a, "SELECT library FROM skill_category WHERE library <> 'core' LIMIT 1");
    Errors e = {0};
    assert_int_not_equal(skill_library_set(db, &ACTOR_CLI, lib, 0, true, &e), 0);
    assert_true(has_field(&e, "tier"));
    Errors e2 = {0};
    assert_int_not_equal(skill_library_set(db, &ACTOR_CLI, "core", 1, true, &e2), 0); /* the core is not optional */
    assert_true(has_field(&e2, "library"));
    Errors e3 = {0};
    assert_int_equal(skill_library_set(db, &ACTOR_CLI, lib, 1, true, &e3), 0);
    assert_int_equal(skill_library_set(db, &ACTOR_CLI, lib, 1, true, &e3), 0); /* twice: still one row */
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM skill_library_tier WHERE library = ? AND tier = 1", lib), 1);
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    int64_t lib_item = db_int(db, 0, "SELECT i.id FROM skill_item i JOIN skill_category c ON c.id = i.category_id WHERE c.library = ? LIMIT 1", lib);
    int k = skill_item_index(&m, lib_item);
    assert_true(k >= 0);
    assert_true(skill_item_on_for_tier(&m, &m.items[k], 1));
    assert_false(skill_item_on_for_tier(&m, &m.items[k], 3));
    Errors e4 = {0};
    assert_int_equal(skill_library_set(db, &ACTOR_CLI, lib, 1, false, &e4), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM skill_library_tier"), 0);
    arena_free(&a);
}

/* An update records what it was and what it became. */
static void test_staff_update(void **state)
{
    (void)state;
    Staff s = {.id = staff1, .staff_no = "S001", .name = "山田 太郎", .kana = "ヤマダ タロウ", .emp_type = "reappointed", .post = "主任",
               .job_type = "事務"};
    Errors e = {0};
    assert_int_equal(staff_save(db, &ACTOR_CLI, &s, NULL, &e), 0);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT emp_type FROM staff WHERE id = ?", staff1), "reappointed");
    const char *sum = db_text(db, &a, "SELECT summary FROM audit_log WHERE action = 'staff.update' AND entity_id = ?", staff1);
    assert_non_null(sum);
    assert_non_null(strstr(sum, "regular 主事"));
    assert_non_null(strstr(sum, "→ S001 山田 太郎（ヤマダ タロウ）"));
    /* The primary assignment is not touched by an update. */
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM assignment WHERE staff_id = ?", staff1), 1);
    arena_free(&a);
}

static void test_staff_refused(void **state)
{
    (void)state;
    char long_kana[200], long_post[100];
    memset(long_kana, 'k', 61);
    long_kana[61] = 0;
    memset(long_post, 'p', 31);
    long_post[31] = 0;
    /* Another person's 職員番号 in other case, and every field over its limit. */
    Staff s = {.id = staff2, .staff_no = "s001", .name = "鈴木 花子", .kana = long_kana, .emp_type = "boss", .post = long_post,
               .job_type = long_post};
    Errors e = {0};
    assert_int_not_equal(staff_save(db, &ACTOR_CLI, &s, NULL, &e), 0);
    assert_true(has_field(&e, "staff_no"));
    assert_true(has_field(&e, "kana"));
    assert_true(has_field(&e, "emp_type"));
    assert_true(has_field(&e, "post"));
    assert_true(has_field(&e, "job_type"));
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT staff_no FROM staff WHERE id = ?", staff2), "S002");
    arena_free(&a);

    /* A new person needs a date and a unit that exists on it. */
    Staff n = {.staff_no = "S003", .name = "新人", .emp_type = "regular", .unit_id = 0};
    Errors e2 = {0};
    assert_int_not_equal(staff_save(db, &ACTOR_CLI, &n, "2026-13-01", &e2), 0);
    assert_true(has_field(&e2, "from"));
    assert_true(has_field(&e2, "unit_id"));
    int64_t later = add_unit("XC", "新設係", 4, 0);
    db_exec(db, "UPDATE org_unit SET valid_from = '2027-04-01' WHERE id = ?", later);
    n.unit_id = later;
    Errors e3 = {0};
    assert_int_not_equal(staff_save(db, &ACTOR_CLI, &n, "2027-03-31", &e3), 0);
    assert_string_equal(e3.items[0].msg, "選んだ所属は配属日に存在しません。");
    Errors e4 = {0};
    assert_int_equal(staff_save(db, &ACTOR_CLI, &n, "2027-04-01", &e4), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM assignment WHERE staff_id = ? AND from_date = '2027-04-01'", n.id), 1);
}

/* Ending an assignment: it must exist, the day must be a date and not before
 * the assignment began; the day before it began is refused, the day it began
 * is accepted. */
static void test_assignment_end(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(staff_assign(db, &ACTOR_CLI, staff2, unit_a, false, "2026-10-01", &e), 0);
    int64_t asg = db_int(db, 0, "SELECT id FROM assignment WHERE staff_id = ? AND is_primary = 0", staff2);
    assert_true(asg > 0);
    Errors e1 = {0};
    assert_int_not_equal(staff_assignment_end(db, &ACTOR_CLI, 999999, "2026-12-31", &e1), 0);
    assert_string_equal(e1.items[0].msg, "配属が見つかりません。");
    Errors e2 = {0};
    assert_int_not_equal(staff_assignment_end(db, &ACTOR_CLI, asg, "", &e2), 0);
    assert_true(has_field(&e2, "last_day"));
    Errors e3 = {0};
    assert_int_not_equal(staff_assignment_end(db, &ACTOR_CLI, asg, "2026-09-30", &e3), 0);
    assert_string_equal(e3.items[0].msg, "終了日は配属日以降にしてください。");
    assert_int_equal(db_int(db, -1, "SELECT to_date IS NULL FROM assignment WHERE id = ?", asg), 1);
    Errors e4 = {0};
    assert_int_equal(staff_assignment_end(db, &ACTOR_CLI, asg, "2026-10-01", &e4), 0);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT to_date FROM assignment WHERE id = ?", asg), "2026-10-01");
    assert_non_null(strstr(db_text(db, &a, "SELECT summary FROM audit_log WHERE action = 'assignment.end'"), "鈴木 花子 広報・DX推進係"));
    arena_free(&a);
}

static bool has_msg(const Errors *e, const char *part)
{
    for (int i = 0; i < e->n; i++)
        if (strstr(e->items[i].msg, part)) return true;
    return false;
}

/* A framework CSV with a mistake in each row: every mistake is listed with
 * its line and nothing is written. */
static void test_import_refused(void **state)
{
    (void)state;
    int items = (int)db_int(db, -1, "SELECT COUNT(*) FROM skill_item");
    int cats = (int)db_int(db, -1, "SELECT COUNT(*) FROM skill_category");
    char lvl[700];
    memset(lvl, 'z', 201);
    lvl[201] = 0;
    char csv[4096];
    snprintf(csv, sizeof csv,
             SKILL_CSV_HEAD
             ",NEWC,新区分,,独自,,,,,,1,,\r\n"               /* 2: a category (parent of 3) with a target */
             "NEWC,bad code,名称,,独自,,,,,,,,\r\n"           /* 3: bad code */
             "NEWC,N-01,,,DSS-X,,,,,,,,\r\n"                 /* 4: no name, unknown source */
             "NEWC,N-01,重複,,独自,,,,,,9,,\r\n"              /* 5: repeated code, target out of range */
             "NOPE,N-02,親なし,,独自,,,,,,,,\r\n"             /* 6: parent nowhere */
             ",N-03,上位なし,,独自,%s,,,,,,,\r\n"             /* 7: item without parent, descriptor too long */
             "NEWC,L-MIND,区分のコード,,独自,,,,,,,,\r\n"     /* 8: an existing category's code for an item */
             "L-MIND-01,N-04,項目の子,,独自,,,,,,,,\r\n",      /* 9: an existing item used as a parent */
             lvl);
    SkillImportResult res;
    Errors e = {0};
    assert_int_not_equal(skill_import_csv(db, &ACTOR_CLI, csv, strlen(csv), 2026, "core", &res, &e), 0);
    assert_true(has_msg(&e, "2行目：「NEWC」は区分"));
    assert_true(has_msg(&e, "3行目：コード「bad code」"));
    assert_true(has_msg(&e, "4行目：名称を80文字以内"));
    assert_true(has_msg(&e, "4行目：出典は"));
    assert_true(has_msg(&e, "5行目：コード「N-01」が重複"));
    assert_true(has_msg(&e, "5行目：目標レベルは0〜4"));
    assert_true(has_msg(&e, "6行目：上位コード「NOPE」が見つかりません。"));
    assert_true(has_msg(&e, "7行目：項目「N-03」に上位コードがありません。"));
    assert_true(has_msg(&e, "7行目：レベル0の行動指標"));
    assert_true(has_msg(&e, "8行目：「L-MIND」は既存の区分のコードです。"));
    assert_true(has_msg(&e, "9行目：上位コード「L-MIND-01」が見つかりません。"));
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM skill_item"), items);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM skill_category"), cats);

    /* A header only, and a file without the expected columns. */
    Errors e2 = {0};
    assert_int_not_equal(skill_import_csv(db, &ACTOR_CLI, SKILL_CSV_HEAD, strlen(SKILL_CSV_HEAD), 2026, "core", &res, &e2), 0);
    assert_string_equal(e2.items[0].msg, "データの行がありません。1行目は見出し行です。");
    const char *other = "コード,名称\r\nA,B\r\n";
    Errors e3 = {0};
    assert_int_not_equal(skill_import_csv(db, &ACTOR_CLI, other, strlen(other), 2026, "core", &res, &e3), 0);
    assert_true(has_msg(&e3, "見出し「上位コード」の列がありません。"));
    assert_false(has_msg(&e3, "見出し「コード」の列"));
    /* A category row whose code is an existing item's. */
    const char *cat_item = SKILL_CSV_HEAD "L-MIND,L-MIND-02,名前,,DSS-L,,,,,,,,\r\nL-MIND-02,N-05,子,,独自,,,,,,,,\r\n";
    Errors e4 = {0};
    assert_int_not_equal(skill_import_csv(db, &ACTOR_CLI, cat_item, strlen(cat_item), 2026, "core", &res, &e4), 0);
    assert_true(has_msg(&e4, "「L-MIND-02」は既存の項目のコードです。"));
}

/* A session's fields and its 年度: it starts inside the 年度 and may not run
 * past 3/31 into the next one. */
static void test_session_rules(void **state)
{
    (void)state;
    int64_t course = db_int(db, 0, "SELECT id FROM course ORDER BY id LIMIT 1");
    assert_true(course > 0);
    char long_text[1200];
    memset(long_text, 'a', 501);
    long_text[501] = 0;
    Session bad = {.course_id = course, .starts_at = "2026-10-05 13:30", .ends_at = "2026-10-05T25:00", .capacity = -1,
                   .place = long_text, .url = "ftp://example.jp/", .instructor = long_text, .note = long_text};
    Errors e = {0};
    assert_int_not_equal(session_save(db, &ACTOR_CLI, &bad, &e), 0);
    assert_true(has_field(&e, "starts_at"));
    assert_true(has_field(&e, "ends_at"));
    assert_true(has_field(&e, "capacity"));
    assert_true(has_field(&e, "place"));
    assert_true(has_field(&e, "url"));
    assert_true(has_field(&e, "instructor"));
    assert_true(has_field(&e, "note"));
    char url[600] = "https://";
    memset(url + 8, 'u', 500);
    url[508] = 0;
    Session longurl = {.course_id = course, .starts_at = "2026-10-05T13:30", .ends_at = "2026-10-05T12:00", .url = url};
    Errors e2 = {0};
    assert_int_not_equal(session_save(db, &ACTOR_CLI, &longurl, &e2), 0);
    assert_true(has_msg(&e2, "URLが長すぎます。"));
    assert_true(has_msg(&e2, "終了日時は開始日時より後にしてください。"));

    /* 3/31 to 4/1 crosses into the next 年度. */
    Session cross = {.course_id = course, .starts_at = "2027-03-31T13:00", .ends_at = "2027-04-01T10:00"};
    Errors e3 = {0};
    assert_int_not_equal(session_save(db, &ACTOR_CLI, &cross, &e3), 0);
    assert_string_equal(e3.items[0].msg, "終了日時は開始日時と同じ年度の中にしてください。");
    /* A session given 年度 2026 may not start on 4/1 of 2027. */
    Session late = {.course_id = course, .nendo = 2026, .starts_at = "2027-04-01T09:00", .ends_at = "2027-04-01T12:00"};
    Errors e4 = {0};
    assert_int_not_equal(session_save(db, &ACTOR_CLI, &late, &e4), 0);
    assert_true(has_msg(&e4, "2026年度（2026年4月1日〜2027年3月31日）"));
    Session nocourse = {.course_id = 999999, .starts_at = "2027-03-31T09:00", .ends_at = "2027-03-31T17:00"};
    Errors e5 = {0};
    assert_int_not_equal(session_save(db, &ACTOR_CLI, &nocourse, &e5), 0);
    assert_true(has_field(&e5, "course_id"));
    int before = (int)db_int(db, -1, "SELECT COUNT(*) FROM training_session");
    assert_int_equal(before, 0);

    /* 3/31 is the last day of 2026; an update keeps the id and is audited. */
    Session ok = {.course_id = course, .starts_at = "2027-03-31T09:00", .ends_at = "2027-03-31T17:00", .capacity = 20, .place = "本庁舎"};
    Errors e6 = {0};
    assert_int_equal(session_save(db, &ACTOR_CLI, &ok, &e6), 0);
    assert_int_equal(db_int(db, -1, "SELECT nendo FROM training_session WHERE id = ?", ok.id), 2026);
    int64_t id = ok.id;
    ok.capacity = 0;
    ok.url = "https://example.jp/live";
    Errors e7 = {0};
    assert_int_equal(session_save(db, &ACTOR_CLI, &ok, &e7), 0);
    assert_int_equal(ok.id, id);
    assert_int_equal(db_int(db, -1, "SELECT capacity FROM training_session WHERE id = ?", id), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.save' AND entity_id = ?", id), 2);

    /* Cancelled once; a second cancel finds nothing to cancel. */
    Errors e8 = {0};
    assert_int_equal(session_cancel(db, &ACTOR_CLI, id, &e8), 0);
    assert_int_equal(db_int(db, -1, "SELECT cancelled FROM training_session WHERE id = ?", id), 1);
    Errors e9 = {0};
    assert_int_not_equal(session_cancel(db, &ACTOR_CLI, id, &e9), 0);
    assert_string_equal(e9.items[0].msg, "開催予定の日程が見つかりません。");
}

/* A unit: each field checked, a parent from a higher level, and a code not
 * shared with another unit in the same period (a code freed on 3/31 can be
 * reused from 4/1). */
static void test_org_save(void **state)
{
    (void)state;
    int64_t ka = db_int(db, 0, "SELECT id FROM org_unit WHERE code = 'X'");
    char long_name[100];
    memset(long_name, 'n', 61);
    long_name[61] = 0;
    Unit bad = {.code = "X Y", .name = long_name, .level = 5, .valid_from = "2026-04-31", .valid_to = "2027-02-30"};
    Errors e = {0};
    assert_int_not_equal(org_save(db, &ACTOR_CLI, &bad, &e), 0);
    assert_true(has_field(&e, "code"));
    assert_true(has_field(&e, "name"));
    assert_true(has_field(&e, "level"));
    assert_true(has_field(&e, "valid_from"));
    assert_true(has_field(&e, "valid_to"));
    Unit empty = {.code = "", .name = "", .level = 4, .parent_id = unit_b, .valid_from = "2026-04-01", .valid_to = "2026-03-31"};
    Errors e2 = {0};
    assert_int_not_equal(org_save(db, &ACTOR_CLI, &empty, &e2), 0);
    assert_true(has_msg(&e2, "組織コードを入力してください。"));
    assert_true(has_msg(&e2, "名称を入力してください。"));
    assert_true(has_msg(&e2, "終了日は開始日以降の日付にしてください。"));
    assert_true(has_msg(&e2, "上位組織は、この組織より上の階層から選んでください。"));
    Unit orphan = {.code = "XD", .name = "孤立係", .level = 4, .valid_from = "2026-04-01"};
    Errors e3 = {0};
    assert_int_not_equal(org_save(db, &ACTOR_CLI, &orphan, &e3), 0);
    assert_true(has_msg(&e3, "上位組織を選んでください。"));

    /* XA is used until 3/31 of 2027 once closed; a new XA overlapping it is refused, one from 4/1 is not. */
    Unit old = {.id = unit_a, .code = "XA", .name = "広報・DX推進係", .level = 4, .parent_id = ka, .valid_from = "2000-04-01",
                .valid_to = "2027-03-31"};
    Errors e4 = {0};
    assert_int_equal(org_save(db, &ACTOR_CLI, &old, &e4), 0);
    Unit again = {.code = "XA", .name = "DX推進係", .level = 4, .parent_id = ka, .valid_from = "2027-03-31"};
    Errors e5 = {0};
    assert_int_not_equal(org_save(db, &ACTOR_CLI, &again, &e5), 0);
    assert_string_equal(e5.items[0].msg, "この組織コードは同じ期間の別の組織で使われています。");
    again.valid_from = "2027-04-01";
    Errors e6 = {0};
    assert_int_equal(org_save(db, &ACTOR_CLI, &again, &e6), 0);
    assert_true(again.id > 0 && again.id != unit_a);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM org_unit WHERE code = 'XA'"), 2);
    Arena a = ARENA_INIT;
    assert_non_null(strstr(db_text(db, &a, "SELECT summary FROM audit_log WHERE action = 'org.update' AND entity_id = ?", unit_a),
                           "XA 広報・DX推進係 → XA"));
    arena_free(&a);
    /* An update of a unit that is not there. */
    Unit ghost = {.id = 999999, .code = "GH", .name = "幽霊係", .level = 4, .parent_id = ka, .valid_from = "2026-04-01"};
    Errors e7 = {0};
    assert_int_not_equal(org_save(db, &ACTOR_CLI, &ghost, &e7), 0);
    assert_string_equal(e7.items[0].msg, "組織が見つかりません。");
}

/* Closing a unit: refused while staff or open children remain after the last
 * day, or before it began; then valid_to is that day. */
static void test_org_close(void **state)
{
    (void)state;
    int64_t ka = db_int(db, 0, "SELECT id FROM org_unit WHERE code = 'X'");
    Errors e = {0};
    assert_int_not_equal(org_close(db, &ACTOR_CLI, 999999, "2027-03-31", &e), 0);
    assert_string_equal(e.items[0].msg, "組織が見つかりません。");
    Errors e2 = {0};
    assert_int_not_equal(org_close(db, &ACTOR_CLI, unit_b, NULL, &e2), 0);
    assert_true(has_field(&e2, "last_day"));
    Errors e3 = {0};
    assert_int_not_equal(org_close(db, &ACTOR_CLI, unit_b, "1999-03-31", &e3), 0);
    assert_string_equal(e3.items[0].msg, "廃止日は開始日以降にしてください。");
    Errors e4 = {0};
    assert_int_not_equal(org_close(db, &ACTOR_CLI, ka, "2027-03-31", &e4), 0);
    assert_true(has_msg(&e4, "有効な下位組織があります"));
    Errors e5 = {0};
    assert_int_not_equal(org_close(db, &ACTOR_CLI, unit_b, "2027-03-31", &e5), 0);
    assert_true(has_msg(&e5, "配属されている職員がいます"));
    assert_int_equal(db_int(db, -1, "SELECT valid_to IS NULL FROM org_unit WHERE id = ?", unit_b), 1);

    /* A unit nobody is left in closes on its last day. */
    Unit u = {.code = "XE", .name = "臨時係", .level = 4, .parent_id = ka, .valid_from = "2026-04-01"};
    Errors e6 = {0};
    assert_int_equal(org_save(db, &ACTOR_CLI, &u, &e6), 0);
    Errors e7 = {0};
    assert_int_equal(org_close(db, &ACTOR_CLI, u.id, "2027-03-31", &e7), 0);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT valid_to FROM org_unit WHERE id = ?", u.id), "2027-03-31");
    assert_string_equal(db_text(db, &a, "SELECT summary FROM audit_log WHERE action = 'org.close'"), "XE 臨時係 廃止（最終日 2027-03-31）");
    arena_free(&a);
}

/* Designations: every bad field at once; the CSV import lists the first ten
 * bad rows and counts the rest, writes nothing on a dry run or any error;
 * ending needs a day inside the designation's 年度, from its first day. */
static void test_tier_rules(void **state)
{
    (void)state;
    char note[700];
    memset(note, 'm', 201);
    note[201] = 0;
    Designation bad = {.staff_id = 0, .subtype = "boss", .nendo = 1999, .designated_on = "x", .note = note};
    Errors e = {0};
    assert_int_not_equal(tier_designate(db, &ACTOR_CLI, &bad, &e), 0);
    assert_true(has_field(&e, "staff_id"));
    assert_true(has_field(&e, "subtype"));
    assert_true(has_field(&e, "nendo"));
    assert_true(has_field(&e, "designated_on"));
    assert_true(has_field(&e, "note"));

    Arena a = ARENA_INIT;
    TierImport ti;
    const char *nocols = "職員番号,氏名\r\nS001,山田\r\n";
    Errors e1 = {0};
    assert_int_not_equal(tier_import(db, &a, &ACTOR_CLI, nocols, strlen(nocols), 2026, false, &ti, &e1), 0);
    assert_true(has_msg(&e1, "「職員番号」「区分」「所属コード」が必要です"));
    const char *head = "職員番号,区分,所属コード,指名日,備考\r\n";
    Errors e2 = {0};
    assert_int_not_equal(tier_import(db, &a, &ACTOR_CLI, head, strlen(head), 2026, false, &ti, &e2), 0);
    assert_string_equal(e2.items[0].msg, "指名する行がありません。");

    Buf csv = BUF_INIT;
    buf_puts(&csv, head);
    buf_puts(&csv, "S002,社長,XB,2026-05-01,\r\n");                 /* line 2: unknown subtype */
    buf_puts(&csv, "S002,プロジェクト担当,NOUNIT,2026-05-01,\r\n");  /* line 3: unknown unit */
    buf_puts(&csv, "S002,project,XB,2027-04-01,\r\n");               /* line 4: outside 2026 */
    for (int i = 0; i < 10; i++) buf_printf(&csv, "Z%03d,総括リーダー,XB,2026-05-01,\r\n", i); /* unknown staff */
    TierImport big;
    Errors e3 = {0};
    assert_int_not_equal(tier_import(db, &a, &ACTOR_CLI, csv.data, csv.len, 2026, false, &big, &e3), 0);
    assert_int_equal(big.n, 13);
    assert_int_equal(big.bad, 13);
    assert_int_equal(e3.n, 11);
    assert_true(has_msg(&e3, "2行目（S002）：区分は"));
    assert_true(has_msg(&e3, "3行目（S002）：その所属コードの所属はありません。"));
    assert_true(has_msg(&e3, "4行目（S002）"));
    assert_true(has_msg(&e3, "その職員番号の職員はいません。"));
    assert_string_equal(e3.items[10].msg, "ほかに3行の誤りがあります。");
    buf_free(&csv);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM tier_designation"), 0);

    /* A good file: the dry run writes nothing, the real one writes the row with the loose date read. */
    const char *good = "職員番号,区分,所属コード,指名日,備考\r\nS002,プロジェクト担当,XB,2026/5/1,窓口DX\r\n";
    TierImport dry;
    Errors e4 = {0};
    assert_int_equal(tier_import(db, &a, &ACTOR_CLI, good, strlen(good), 2026, true, &dry, &e4), 0);
    assert_int_equal(dry.n, 1);
    assert_string_equal(dry.rows[0].on, "2026-05-01");
    assert_string_equal(dry.rows[0].name, "鈴木 花子");
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM tier_designation"), 0);
    Errors e5 = {0};
    assert_int_equal(tier_import(db, &a, &ACTOR_CLI, good, strlen(good), 2026, false, &dry, &e5), 0);
    int64_t id = db_int(db, 0, "SELECT id FROM tier_designation WHERE staff_id = ? AND subtype = 'project'", staff2);
    assert_true(id > 0);
    assert_string_equal(db_text(db, &a, "SELECT note FROM tier_designation WHERE id = ?", id), "窓口DX");
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = 'tier.import'"), 1);

    /* Ending it. */
    Errors f1 = {0};
    assert_int_not_equal(tier_end(db, &ACTOR_CLI, 999999, "2026-12-31", &f1), 0);
    assert_string_equal(f1.items[0].msg, "有効な指名が見つかりません。");
    Errors f2 = {0};
    assert_int_not_equal(tier_end(db, &ACTOR_CLI, id, "2026-13-01", &f2), 0);
    assert_true(has_field(&f2, "ended_on"));
    Errors f3 = {0};
    assert_int_not_equal(tier_end(db, &ACTOR_CLI, id, "2026-04-30", &f3), 0);
    assert_true(has_msg(&f3, "指名日（2026-05-01）以降"));
    Errors f4 = {0};
    assert_int_not_equal(tier_end(db, &ACTOR_CLI, id, "2027-04-01", &f4), 0);
    assert_true(has_msg(&f4, "2026年度の期間（2027-03-31まで）"));
    Errors f5 = {0};
    assert_int_equal(tier_end(db, &ACTOR_CLI, id, "2027-03-31", &f5), 0);
    assert_string_equal(db_text(db, &a, "SELECT ended_on FROM tier_designation WHERE id = ?", id), "2027-03-31");
    /* Ending it again on a later day finds nothing open then. */
    Errors f6 = {0};
    assert_int_not_equal(tier_end(db, &ACTOR_CLI, id, "2027-03-31", &f6), 0);

    /* Several at once: none chosen, or one that fails names the person and writes none. */
    Errors g1 = {0};
    assert_int_not_equal(tier_designate_many(db, &ACTOR_CLI, NULL, 0, &g1), 0);
    assert_string_equal(g1.items[0].msg, "指名する職員を選んでください。");
    Designation many[2] = {{.staff_id = staff2, .unit_id = unit_b, .subtype = "project", .nendo = 2026, .designated_on = "2026-06-01"},
                           {.staff_id = staff2, .unit_id = unit_b, .subtype = "project", .nendo = 2026, .designated_on = "2025-06-01"}};
    Errors g2 = {0};
    int before = (int)db_int(db, -1, "SELECT COUNT(*) FROM tier_designation");
    assert_int_not_equal(tier_designate_many(db, &ACTOR_CLI, many, 2, &g2), 0);
    assert_true(has_msg(&g2, "S002 鈴木 花子："));
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM tier_designation"), before);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_item_refused),   cmocka_unit_test(test_item_create_update), cmocka_unit_test(test_item_retire_restore),
        cmocka_unit_test(test_item_move),      cmocka_unit_test(test_category_save),      cmocka_unit_test(test_unit_targets),
        cmocka_unit_test(test_library_switch), cmocka_unit_test(test_staff_update),       cmocka_unit_test(test_staff_refused),
        cmocka_unit_test(test_assignment_end), cmocka_unit_test(test_import_refused), cmocka_unit_test(test_session_rules),
        cmocka_unit_test(test_org_save),       cmocka_unit_test(test_org_close),
        cmocka_unit_test(test_tier_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
