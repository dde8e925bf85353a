/* test_assess.c - skill map import, target resolution, the assessment state
 * machine and gap computation, on a small hand-made organisation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "db/migrate.h"
#include "domain/assess.h"
#include "domain/gap.h"
#include "domain/skill.h"
#include "../tmpdb.h"

static Db *db;
static char path[64];
static int64_t u1, u2, staff_a, staff_b, staff_c;
static const Actor boss = {0, "boss", "127.0.0.1"};


static int64_t add_unit(const char *code, int level, int64_t parent)
{
    return db_int(db, 0,
                  "INSERT INTO org_unit (code, name, level, parent_id, valid_from) VALUES (?, ?, ?, ?, '2020-04-01') RETURNING id",
                  "ttdI", code, code, level, parent);
}

static int64_t add_staff(const char *no, int64_t unit, int tier, const char *subtype)
{
    int64_t id = db_int(db, 0,
                        "INSERT INTO staff (staff_no, name, emp_type, created_at, updated_at) VALUES (?, ?, 'regular', 'x', 'x') RETURNING id",
                        "tt", no, no);
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, from_date) VALUES (?, ?, '2020-04-01')", "ii", id, unit);
    if (tier)
        db_exec(db, "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_on) VALUES (?, 2026, ?, ?, ?, '2026-04-01')",
                "idti", id, tier, subtype, unit);
    return id;
}

static int setup(void **state)
{
    (void)state;
    db = tmpdb_open(path, sizeof path, "assess");
    if (!db) return -1;
    static const char map[] = SKILL_CSV_HEAD ",C1,区分1,,独自,指標0,指標1,指標2,指標3,指標4,,,\r\n"
                                   "C1,I1,項目1,,独自,,,,,,2,3,4\r\n"
                                   "C1,I2,項目2,,DSS-L,,,自分で2,,,1,,3\r\n"
                                   "C1,I3,項目3,,独自,,,,,,,,\r\n";
    static const char lib[] = SKILL_CSV_HEAD ",P1,追加,,DSS-P,,,,,,,,\r\nP1,P1-01,追加項目,,DSS-P,,,,,,,,2\r\n";
    SkillImportResult res;
    Errors e = {0};
    if (skill_import_csv(db, &ACTOR_CLI, map, sizeof map - 1, 2026, "core", &res, &e) != 0) return -1;
    if (skill_import_csv(db, &ACTOR_CLI, lib, sizeof lib - 1, 2026, "lib", &res, &e) != 0) return -1;
    u1 = add_unit("U1", 3, 0);
    u2 = add_unit("U2", 4, u1);
    staff_a = add_staff("A", u2, 0, NULL);
    staff_b = add_staff("B", u2, 2, "lead");
    staff_c = add_staff("C", u1, 1, "info");
    db_exec(db, "INSERT INTO skill_unit_target (item_id, nendo, unit_id, level) SELECT id, 2026, ?, 2 FROM skill_item WHERE code = 'I3'", "i", u1);
    db_exec(db, "INSERT INTO assess_period (nendo, opens_on, closes_on) VALUES (2026, '2026-05-01', '2026-07-31')", NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    return 0;
}

static int target_of(const SkillMap *m, const int *t, const char *code)
{
    for (int i = 0; i < m->nitems; i++)
        if (strcmp(m->items[i].code, code) == 0) return t[i];
    return -9;
}

static void test_descriptors_and_import(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    assert_int_equal(m.nitems, 4);
    int i2 = -1;
    for (int i = 0; i < m.nitems; i++)
        if (strcmp(m.items[i].code, "I2") == 0) i2 = i;
    assert_string_equal(skill_descriptor(&m, &m.items[i2], 2), "自分で2");   /* the item's own */
    assert_string_equal(skill_descriptor(&m, &m.items[i2], 3), "指標3");     /* inherited from C1 */
    /* A bad file changes nothing and names its lines. */
    static const char bad[] = SKILL_CSV_HEAD "C1,I1,新しい名前,,独自,,,,,,5,,\r\nC1,I1,重複,,独自,,,,,,,,\r\nZZ,I9,親なし,,独自,,,,,,,,\r\n";
    SkillImportResult res;
    Errors e = {0};
    assert_int_equal(skill_import_csv(db, &ACTOR_CLI, bad, sizeof bad - 1, 2026, "core", &res, &e), -1);
    assert_true(e.n >= 3);
    assert_non_null(strstr(e.items[0].msg, "2行目"));
    assert_string_equal(db_text(db, &a, "SELECT name FROM skill_item WHERE code = 'I1'", NULL), "項目1");
    arena_free(&a);
}

static void test_target_resolution(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    TargetCtx tc;
    assess_target_ctx(db, &a, &m, &tc);
    int t[8];
    /* ③: tier targets plus the unit's extra target inherited from U1. */
    assess_targets(&tc, assess_tiers(db, staff_a, 2026), u2, t);
    assert_int_equal(target_of(&m, t, "I1"), 2);
    assert_int_equal(target_of(&m, t, "I2"), 1);
    assert_int_equal(target_of(&m, t, "I3"), 2);
    assert_int_equal(target_of(&m, t, "P1-01"), -1);
    /* ②: no target for I2 at that tier. */
    assess_targets(&tc, assess_tiers(db, staff_b, 2026), u2, t);
    assert_int_equal(target_of(&m, t, "I1"), 3);
    assert_int_equal(target_of(&m, t, "I2"), -1);
    /* ①: the library counts only once switched on for tier 1. */
    assess_targets(&tc, assess_tiers(db, staff_c, 2026), u1, t);
    assert_int_equal(target_of(&m, t, "I1"), 4);
    assert_int_equal(target_of(&m, t, "P1-01"), -1);
    Errors e = {0};
    assert_int_equal(skill_library_set(db, &ACTOR_CLI, "lib", 1, true, &e), 0);
    skill_map_load(db, &a, 2026, false, &m);
    assess_target_ctx(db, &a, &m, &tc);
    assess_targets(&tc, assess_tiers(db, staff_c, 2026), u1, t);
    assert_int_equal(target_of(&m, t, "P1-01"), 2);
    arena_free(&a);
}

static void test_targets_carry_forward(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2027, false, &m);
    assert_int_equal(m.target_nendo, 2026);
    int i1 = -1;
    for (int i = 0; i < m.nitems; i++)
        if (strcmp(m.items[i].code, "I1") == 0) i1 = i;
    SkillItemInput in = {m.items[i1].id, m.items[i1].category_id, "I1", "項目1", "", "local", 0, {-1, 4, 3, 3}, {0}};
    Errors e = {0};
    assert_int_equal(skill_item_save(db, &ACTOR_CLI, 2027, &in, &e), 0);
    skill_map_load(db, &a, 2027, false, &m);
    assert_int_equal(m.target_nendo, 2027);
    for (int i = 0; i < m.nitems; i++) {
        if (strcmp(m.items[i].code, "I1") == 0) assert_int_equal(m.items[i].target[3], 3);
        if (strcmp(m.items[i].code, "I2") == 0) assert_int_equal(m.items[i].target[3], 1); /* copied, not lost */
    }
    skill_map_load(db, &a, 2026, false, &m);
    for (int i = 0; i < m.nitems; i++)
        if (strcmp(m.items[i].code, "I1") == 0) assert_int_equal(m.items[i].target[3], 2); /* last year untouched */
    arena_free(&a);
}

static int64_t item(const char *code) { return db_int(db, 0, "SELECT id FROM skill_item WHERE code = ?", "t", code); }

static void test_state_machine(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    SelfInput in[] = {{item("I1"), 2, "", ""}, {item("I2"), 0, "", ""}, {item("I3"), -1, "", ""}};
    Errors e = {0};
    /* Outside the period nothing is saved. */
    assert_int_equal(assess_save_self(db, &ACTOR_CLI, &m, staff_a, 2026, "2026-08-01", in, 3, false, &e), -1);
    assert_int_equal(assess_id_of(db, staff_a, 2026), 0);
    /* A draft may be incomplete; a submission may not. */
    memset(&e, 0, sizeof e);
    assert_int_equal(assess_save_self(db, &ACTOR_CLI, &m, staff_a, 2026, "2026-06-01", in, 3, false, &e), 0);
    int64_t id = assess_id_of(db, staff_a, 2026);
    assert_true(id > 0);
    assert_int_equal(assess_save_self(db, &ACTOR_CLI, &m, staff_a, 2026, "2026-06-01", in, 3, true, &e), -1);
    assert_non_null(strstr(e.items[0].msg, "未選択の項目が1件"));
    /* Level 0 is an answer, kept as 0 rather than NULL. */
    assert_int_equal(db_int(db, -1, "SELECT self_level FROM assessment_item WHERE assessment_id = ? AND item_id = ?", "ii", id, item("I2")), 0);
    in[2].level = 3;
    memset(&e, 0, sizeof e);
    assert_int_equal(assess_save_self(db, &ACTOR_CLI, &m, staff_a, 2026, "2026-06-01", in, 3, true, &e), 0);
    /* Submitted: the person cannot change it; a return needs a message. */
    assert_int_equal(assess_save_self(db, &ACTOR_CLI, &m, staff_a, 2026, "2026-06-01", in, 3, false, &e), -1);
    memset(&e, 0, sizeof e);
    assert_int_equal(assess_return(db, &boss, id, "", &e), -1);
    memset(&e, 0, sizeof e);
    assert_int_equal(assess_return(db, &boss, id, "根拠を書いてください", &e), 0);
    assert_string_equal(db_text(db, &a, "SELECT state FROM assessment WHERE id = ?", "i", id), "returned");
    assert_int_equal(assess_save_self(db, &ACTOR_CLI, &m, staff_a, 2026, "2026-06-02", in, 3, true, &e), 0);
    /* An adjustment needs a reason; then it is confirmed with it. */
    SupInput sup[] = {{item("I1"), 1, ""}};
    memset(&e, 0, sizeof e);
    assert_int_equal(assess_confirm(db, &boss, id, sup, 1, &e), -1);
    assert_non_null(strstr(e.items[0].msg, "理由"));
    sup[0].reason = "実績を確認";
    memset(&e, 0, sizeof e);
    assert_int_equal(assess_confirm(db, &boss, id, sup, 1, &e), 0);
    assert_int_equal(db_int(db, -1, "SELECT sup_level FROM assessment_item WHERE assessment_id = ? AND item_id = ?", "ii", id, item("I1")), 1);
    assert_int_equal(db_int(db, -1, "SELECT sup_level FROM assessment_item WHERE assessment_id = ? AND item_id = ?", "ii", id, item("I3")), 3);
    /* Confirmed is final for the person and for a second confirmation. */
    assert_int_equal(assess_confirm_many(db, &boss, &id, 1, &e), -1);
    assert_true(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE entity = 'assessment' AND entity_id = ?", "i", id) >= 5);
    arena_free(&a);
}

static void test_gap_rates(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    GapMatrix g;
    GapFilter f = {.unit_id = u2};
    gap_matrix(db, &a, &m, 2026, "2030-01-01", &f, &g); /* after the confirmation */
    assert_int_equal(g.npeople, 2); /* A and B in U2 */
    int pa = g.people[0].staff_id == staff_a ? 0 : 1;
    /* A confirmed: I1 1 < 2, I2 0 < 1, I3 3 >= 2 → 1 of 3 met. */
    GapRate r = gap_person_rate(&g, pa);
    assert_int_equal(r.assessed, 3);
    assert_int_equal(r.met, 1);
    bool confirmed;
    assert_int_equal(gap_level(&g, pa, skill_item_index(&m, item("I1")), &confirmed), 1);
    assert_true(confirmed);
    /* B has not started: nothing assessed. */
    assert_int_equal(gap_person_rate(&g, 1 - pa).assessed, 0);
    GapRate total = gap_total_rate(&g);
    assert_int_equal(total.met, 1);
    assert_int_equal(total.assessed, 3);
    assert_true(gap_item_shortfall(&g, skill_item_index(&m, item("I1"))) > 0.99);
    arena_free(&a);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptors_and_import), cmocka_unit_test(test_target_resolution),
        cmocka_unit_test(test_targets_carry_forward),  cmocka_unit_test(test_state_machine),
        cmocka_unit_test(test_gap_rates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
