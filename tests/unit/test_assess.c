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
#include "core/util.h"
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
                  code, code, level, DB_ID_OR_NULL(parent));
}

static int64_t add_staff(const char *no, int64_t unit, int tier, const char *subtype)
{
    int64_t id = db_int(db, 0,
                        "INSERT INTO staff (staff_no, name, emp_type, created_at, updated_at) VALUES (?, ?, 'regular', 'x', 'x') RETURNING id",
                        no, no);
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, from_date) VALUES (?, ?, '2020-04-01')", id, unit);
    if (tier)
        db_exec(db, "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_on) VALUES (?, 2026, ?, ?, ?, '2026-04-01')",
                id, tier, subtype, unit);
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
    db_exec(db, "INSERT INTO skill_unit_target (item_id, nendo, unit_id, level) SELECT id, 2026, ?, 2 FROM skill_item WHERE code = 'I3'", u1);
    db_exec(db, "INSERT INTO assess_period (nendo, opens_on, closes_on) VALUES (2026, '2026-05-01', '2026-07-31')");
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
    assert_string_equal(db_text(db, &a, "SELECT name FROM skill_item WHERE code = 'I1'"), "項目1");
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

static int64_t item(const char *code) { return db_int(db, 0, "SELECT id FROM skill_item WHERE code = ?", code); }

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
    assert_int_equal(db_int(db, -1, "SELECT self_level FROM assessment_item WHERE assessment_id = ? AND item_id = ?", id, item("I2")), 0);
    in[2].level = 3;
    memset(&e, 0, sizeof e);
    assert_int_equal(assess_save_self(db, &ACTOR_CLI, &m, staff_a, 2026, "2026-06-01", in, 3, true, &e), 0);
    /* Submitted: the person cannot change it; a return needs a message. */
    assert_int_equal(assess_save_self(db, &ACTOR_CLI, &m, staff_a, 2026, "2026-06-01", in, 3, false, &e), -1);
    memset(&e, 0, sizeof e);
    assert_int_equal(assess_return(db, &boss, id, "", &e), -1);
    memset(&e, 0, sizeof e);
    assert_int_equal(assess_return(db, &boss, id, "根拠を書いてください", &e), 0);
    assert_string_equal(db_text(db, &a, "SELECT state FROM assessment WHERE id = ?", id), "returned");
    assert_int_equal(assess_save_self(db, &ACTOR_CLI, &m, staff_a, 2026, "2026-06-02", in, 3, true, &e), 0);
    /* An adjustment needs a reason; then it is confirmed with it. */
    SupInput sup[] = {{item("I1"), 1, ""}};
    memset(&e, 0, sizeof e);
    assert_int_equal(assess_confirm(db, &boss, id, sup, 1, &e), -1);
    assert_non_null(strstr(e.items[0].msg, "理由"));
    sup[0].reason = "実績を確認";
    memset(&e, 0, sizeof e);
    assert_int_equal(assess_confirm(db, &boss, id, sup, 1, &e), 0);
    assert_int_equal(db_int(db, -1, "SELECT sup_level FROM assessment_item WHERE assessment_id = ? AND item_id = ?", id, item("I1")), 1);
    assert_int_equal(db_int(db, -1, "SELECT sup_level FROM assessment_item WHERE assessment_id = ? AND item_id = ?", id, item("I3")), 3);
    /* Confirmed is final for the person and for a second confirmation. */
    assert_int_equal(assess_confirm_many(db, &boss, &id, 1, &e), -1);
    assert_true(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE entity = 'assessment' AND entity_id = ?", id) >= 5);
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

/* Person p's target of item code in g (-9: no such item). */
static int gap_target(const GapMatrix *g, const SkillMap *m, int p, const char *code)
{
    int i = skill_item_index(m, item(code));
    return i < 0 ? -9 : GAP_AT(g, target, p, i);
}

static GapRate person_rate(Arena *a, const SkillMap *m, int64_t staff_id, const char *as_of, GapMatrix *g)
{
    GapFilter f = {.staff_id = staff_id};
    gap_matrix(db, a, m, 2026, as_of, &f, g);
    assert_int_equal(g->npeople, 1);
    return gap_person_rate(g, 0);
}

static int64_t u3;

static void designate(int64_t staff_id, const char *on)
{
    assert_int_equal(db_exec(db, "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_on) VALUES (?, 2026, 2, 'lead', ?, ?)",
                             staff_id, u3, on), 1);
}

/* Answers every line of the person's current assessment with level. */
static int answer_all(const SkillMap *m, int64_t staff_id, const char *today, int level, bool submit, Errors *e)
{
    Arena a = ARENA_INIT;
    Assessment as;
    util_clock_set_today(today); /* submitted_at is stamped from the clock */
    assess_load(db, &a, m, staff_id, 2026, today, &as);
    SelfInput in[16];
    for (int k = 0; k < as.nlines && k < 16; k++) in[k] = (SelfInput){m->items[as.lines[k].item].id, level, "", ""};
    int rc = assess_save_self(db, &ACTOR_CLI, m, staff_id, 2026, today, in, as.nlines, submit, e);
    util_clock_set_today(NULL);
    arena_free(&a);
    return rc;
}

static void test_confirmed_keeps_its_basis(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    u3 = add_unit("U3", 4, u1);
    int64_t d = add_staff("D", u3, 0, NULL);
    Errors e = {0};
    /* ③ on 2026-06-01: I1 2, I2 1, I3 2 (U1's extra target). Level 2 meets all three. */
    assert_int_equal(answer_all(&m, d, "2026-06-01", 2, true, &e), 0);
    int64_t id = assess_id_of(db, d, 2026);
    assert_int_equal(db_int(db, 0, "SELECT basis_tiers FROM assessment WHERE id = ?", id), 1 << 3);
    assert_string_equal(db_text(db, &a, "SELECT basis_on FROM assessment WHERE id = ?", id), "2026-06-01");
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM assessment_item WHERE assessment_id = ? AND target IS NOT NULL", id), 3);
    assert_int_equal(db_int(db, 0, "SELECT target FROM assessment_item WHERE assessment_id = ? AND item_id = ?", id, item("I1")), 2);
    util_clock_set_today("2026-06-15");
    assert_int_equal(assess_confirm_many(db, &boss, &id, 1, &e), 0);
    util_clock_set_today(NULL);
    assert_string_equal(db_text(db, &a, "SELECT basis_on FROM assessment WHERE id = ?", id), "2026-06-01"); /* the submission's */
    GapMatrix g;
    GapRate before = person_rate(&a, &m, d, "2026-08-31", &g);
    assert_int_equal(before.assessed, 3);
    assert_int_equal(before.met, 3);

    /* Mid-year: designated ② (総括リーダー) from 2026-09-01, and ③'s target of I1 raised. */
    designate(d, "2026-09-01");
    assert_int_equal(db_exec(db, "UPDATE skill_target SET level = 4 WHERE item_id = ? AND nendo = 2026 AND tier = 3", item("I1")), 1);
    skill_map_load(db, &a, 2026, false, &m);
    for (const char *day = "2026-09-01"; day; day = strcmp(day, "2026-09-01") == 0 ? "2027-03-31" : NULL) {
        GapRate after = person_rate(&a, &m, d, day, &g);
        assert_int_equal(after.assessed, 3);
        assert_int_equal(after.met, 3);
        assert_int_equal(g.people[0].state, AS_CONFIRMED);
        assert_int_equal(g.people[0].tier, 3);
        assert_string_equal(g.people[0].basis_on, "2026-06-01");
        assert_int_equal(gap_target(&g, &m, 0, "I1"), 2);
        assert_int_equal(gap_target(&g, &m, 0, "I2"), 1);
    }
    Assessment as;
    assess_load(db, &a, &m, d, 2026, "2026-10-01", &as);
    assert_int_equal(as.state, AS_CONFIRMED);
    assert_int_equal(as.nlines, 3);
    assert_int_equal(as.tiers, 1u << 3);
    assert_string_equal(as.basis_on, "2026-06-01");
    for (int k = 0; k < as.nlines; k++) assert_int_equal(as.lines[k].sup, 2);
    assert_string_equal(assess_basis_text(&a, as.basis_on, as.tiers), "評価基準：令和8年6月1日時点（③一般職員）の目標");
    assert_string_equal(assess_basis_text(&a, NULL, 0), "評価基準：現在の目標");
    /* The stored basis is untouched. */
    assert_int_equal(db_int(db, 0, "SELECT target FROM assessment_item WHERE assessment_id = ? AND item_id = ?", id, item("I1")), 2);
    db_exec(db, "UPDATE skill_target SET level = 2 WHERE item_id = ? AND nendo = 2026 AND tier = 3", item("I1"));
    arena_free(&a);
}

static void test_draft_follows_designation(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    int64_t s = add_staff("E", u3, 0, NULL);
    Errors e = {0};
    assert_int_equal(answer_all(&m, s, "2026-06-01", 1, false, &e), 0);
    designate(s, "2026-09-01");
    Assessment as;
    /* The day before the designation: ③'s items; from its first day: ②'s (I1 3, I3 2, no I2). */
    assess_load(db, &a, &m, s, 2026, "2026-08-31", &as);
    assert_int_equal(as.tiers, 1u << 3);
    assert_int_equal(as.nlines, 3);
    assert_null(as.basis_on);
    assess_load(db, &a, &m, s, 2026, "2026-09-01", &as);
    assert_int_equal(as.tiers, 1u << 2);
    assert_int_equal(as.nlines, 2);
    assert_int_equal(as.lines[0].target, 3);
    /* After the 年度 the view is taken on 3/31; before it, on 4/1. */
    assess_load(db, &a, &m, s, 2026, "2027-04-01", &as);
    assert_int_equal(as.tiers, 1u << 2);
    assess_load(db, &a, &m, s, 2026, "2026-03-31", &as);
    assert_int_equal(as.tiers, 1u << 3);
    char out[11];
    assess_nendo_clamp(2026, "2027-04-01", out);
    assert_string_equal(out, "2027-03-31");
    assess_nendo_clamp(2026, "2026-03-31", out);
    assert_string_equal(out, "2026-04-01");
    /* The gap matrix of a draft follows the designation too. */
    GapMatrix g;
    person_rate(&a, &m, s, "2026-09-02", &g);
    assert_int_equal(g.people[0].tier, 2);
    assert_null(g.people[0].basis_on);
    assert_int_equal(gap_target(&g, &m, 0, "I1"), 3);
    assert_int_equal(gap_target(&g, &m, 0, "I2"), -1);
    arena_free(&a);
}

static void test_resubmission_retakes_basis(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    SkillMap m;
    skill_map_load(db, &a, 2026, false, &m);
    int64_t s = add_staff("F", u3, 0, NULL);
    Errors e = {0};
    assert_int_equal(answer_all(&m, s, "2026-06-01", 3, true, &e), 0);
    int64_t id = assess_id_of(db, s, 2026);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM assessment_item WHERE assessment_id = ? AND target IS NOT NULL", id), 3);
    assert_int_equal(assess_return(db, &boss, id, "根拠を書いてください", &e), 0);
    designate(s, "2026-07-01");
    /* A submission that misses an item of the new basis is refused, and nothing changes. */
    SelfInput one[] = {{item("I3"), 3, "", ""}};
    assert_int_equal(db_exec(db, "UPDATE assessment_item SET self_level = NULL WHERE assessment_id = ? AND item_id = ?", id, item("I1")), 1);
    assert_int_equal(assess_save_self(db, &ACTOR_CLI, &m, s, 2026, "2026-07-10", one, 1, true, &e), -1);
    assert_non_null(strstr(e.items[0].msg, "未選択の項目が1件"));
    assert_string_equal(db_text(db, &a, "SELECT state || ' ' || basis_on FROM assessment WHERE id = ?", id), "returned 2026-06-01");
    memset(&e, 0, sizeof e);
    assert_int_equal(answer_all(&m, s, "2026-07-10", 3, true, &e), 0);
    assert_int_equal(db_int(db, 0, "SELECT basis_tiers FROM assessment WHERE id = ?", id), 1 << 2);
    assert_string_equal(db_text(db, &a, "SELECT basis_on FROM assessment WHERE id = ?", id), "2026-07-10");
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM assessment_item WHERE assessment_id = ? AND target IS NOT NULL", id), 2);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM assessment_item WHERE assessment_id = ? AND item_id = ? AND target IS NULL", id,
                            item("I2")), 1);
    assert_int_equal(db_int(db, -1, "SELECT target FROM assessment_item WHERE assessment_id = ? AND item_id = ?", id, item("I1")), 3);
    Assessment as;
    assess_load(db, &a, &m, s, 2026, "2026-07-11", &as);
    assert_int_equal(as.nlines, 2);
    assert_string_equal(assess_basis_text(&a, as.basis_on, as.tiers), "評価基準：令和8年7月10日時点（②DX推進リーダー）の目標");
    arena_free(&a);
}

static void test_period_inside_its_nendo(void **state)
{
    (void)state;
    Errors e = {0};
    assert_int_equal(assess_period_set(db, &ACTOR_CLI, 2027, "2026-05-01", "2026-07-31", &e), -1);
    assert_non_null(strstr(e.items[0].msg, "令和9年度"));
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM assess_period WHERE nendo = 2027"), 0);
    memset(&e, 0, sizeof e);
    assert_int_equal(assess_period_set(db, &ACTOR_CLI, 2027, "2027-04-01", "2028-04-01", &e), -1); /* one day past 3/31 */
    assert_string_equal(e.items[0].field, "closes_on");
    memset(&e, 0, sizeof e);
    assert_int_equal(assess_period_set(db, &ACTOR_CLI, 2027, "2027-04-01", "2028-03-31", &e), 0); /* both ends inclusive */
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM assess_period WHERE nendo = 2027 AND opens_on = '2027-04-01' AND closes_on = '2028-03-31'"), 1);
}

int main(void)
{
    password_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptors_and_import), cmocka_unit_test(test_target_resolution),
        cmocka_unit_test(test_targets_carry_forward),  cmocka_unit_test(test_state_machine),
        cmocka_unit_test(test_gap_rates),
        cmocka_unit_test(test_confirmed_keeps_its_basis),
        cmocka_unit_test(test_draft_follows_designation),
        cmocka_unit_test(test_resubmission_retakes_basis),
        cmocka_unit_test(test_period_inside_its_nendo),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
