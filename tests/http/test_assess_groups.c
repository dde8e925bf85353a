/* test_assess_groups.c - the self-assessment page in parts, one per
 * top-level category of the skill map: each part shows how many of its items
 * have a stored level, saves its own lines as 下書き and leaves the other
 * parts as stored, keeps what was typed when refused, and 提出 still needs
 * every item of the whole assessment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "domain/assess.h"

#include "harness.h"

static Who users[] = {{.login = "shokuin"}};

HARNESS_SETUP("assess_groups", users)

/* The person's lines grouped as the page groups them. */
typedef struct Part {
    int64_t cat_id;
    int first, end;
} Part;

typedef struct Mine {
    Arena a;
    SkillMap m;
    Assessment as;
    Part parts[64];
    int nparts;
} Mine;

static void mine_load(Mine *x)
{
    x->a = (Arena)ARENA_INIT;
    skill_map_load(db, &x->a, 2026, false, &x->m);
    assess_load(db, &x->a, &x->m, user("shokuin")->staff_id, 2026, HARNESS_TODAY, &x->as);
    x->nparts = 0;
    int last = -1;
    for (int k = 0; k < x->as.nlines; k++) {
        int top = x->m.cats[x->m.items[x->as.lines[k].item].cat].top;
        if (top != last) {
            assert_true(x->nparts < 64);
            x->parts[x->nparts++] = (Part){x->m.cats[top].id, k, k};
            last = top;
        }
        x->parts[x->nparts - 1].end = k + 1;
    }
}

static int64_t item_of(const Mine *x, int k) { return x->m.items[x->as.lines[k].item].id; }

static int64_t assessment(void) { return assess_id_of(db, user("shokuin")->staff_id, 2026); }

/* "level|comment|evidence" of a stored line, "none" without a row. */
static const char *stored(Arena *a, int64_t item)
{
    const char *s = db_text(db, a,
                            "SELECT COALESCE(self_level, -1) || '|' || self_comment || '|' || evidence FROM assessment_item"
                            " WHERE assessment_id = ? AND item_id = ?",
                            assessment(), item);
    return s ? s : "none";
}

/* Stored lines of one part that have a level. */
static int stored_done(const Mine *x, const Part *p)
{
    int n = 0;
    for (int k = p->first; k < p->end; k++)
        n += (int)db_int(db, 0, "SELECT COUNT(*) FROM assessment_item WHERE assessment_id = ? AND item_id = ? AND self_level IS NOT NULL",
                         assessment(), item_of(x, k));
    return n;
}

/* A form with every line of the assessment: level (k + shift) % 5, or none
 * where shift < 0, and a comment naming the item (but for item `bare`, whose
 * comment extra may give). */
static void form_each(Buf *b, const Mine *x, int shift, int64_t bare, const char *extra)
{
    buf_printf(b, "csrf=%s", user("shokuin")->csrf);
    for (int k = 0; k < x->as.nlines; k++) {
        long long id = (long long)item_of(x, k);
        if (shift >= 0) buf_printf(b, "&level_%lld=%d", id, (k + shift) % 5);
        if (id != bare) buf_printf(b, "&comment_%lld=c%lld", id, id);
        buf_printf(b, "&evidence_%lld=", id);
    }
    if (extra) buf_puts(b, extra);
}

static void form_all(Buf *b, const Mine *x, int shift, const char *extra) { form_each(b, x, shift, 0, extra); }

/* The page shows each part with the count of its stored levels, and opens
 * the first part not yet complete. */
static void expect_counts_shown(const Mine *x)
{
    Res r = req("GET", "/assess", user("shokuin")->cookie, NULL);
    assert_int_equal(r.status, 200);
    bool opened = false;
    int total_done = 0;
    for (int i = 0; i < x->nparts; i++) {
        const Part *p = &x->parts[i];
        int done = stored_done(x, p), n = p->end - p->first;
        total_done += done;
        char key[64];
        snprintf(key, sizeof key, "id=\"cat-%lld\"", (long long)p->cat_id);
        const char *at = strstr(r.body, key);
        if (!at) fail_msg("no part %s on /assess", key);
        const char *head_end = strstr(at, "</summary>");
        assert_non_null(head_end);
        char want[48];
        snprintf(want, sizeof want, ">%d/%d 入力済<", done, n);
        const char *count = strstr(at, want);
        if (!count || count > head_end) fail_msg("part %s does not show %s", key, want);
        bool open = strncmp(at + strlen(key), " open>", 6) == 0;
        /* only the first incomplete part is open */
        assert_int_equal(open, !opened && done < n);
        opened |= open;
    }
    assert_true(has(&r, fmt("入力済 <strong>%d</strong>／%d項目", total_done, x->as.nlines)));
    buf_free(&r.raw);
}

static void test_counts_match_stored_rows(void **state)
{
    (void)state;
    Mine x;
    mine_load(&x);
    assert_true(x.nparts >= 3);
    expect_counts_shown(&x);
    /* Levels in the first part and half of the second, straight into the database. */
    int64_t aid = assessment();
    assert_true(aid > 0);
    for (int k = x.parts[0].first; k < x.parts[1].first + (x.parts[1].end - x.parts[1].first) / 2; k++)
        db_exec(db,
                "INSERT INTO assessment_item (assessment_id, item_id, self_level, self_comment, evidence) VALUES (?, ?, 2, '', '')"
                " ON CONFLICT (assessment_id, item_id) DO UPDATE SET self_level = 2",
                aid, item_of(&x, k));
    expect_counts_shown(&x);
    arena_free(&x.a);
}

static void test_save_one_part_keeps_the_others(void **state)
{
    (void)state;
    Mine x;
    mine_load(&x);
    const Part *p = &x.parts[1];
    Arena a = ARENA_INIT;
    const char **before = arena_alloc(&a, sizeof(char *) * (size_t)x.as.nlines);
    for (int k = 0; k < x.as.nlines; k++) before[k] = stored(&a, item_of(&x, k));
    int64_t saves = db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = 'assess.save'");
    /* The whole form is posted, with levels typed everywhere; only the part named by cat is saved. */
    Buf body = BUF_INIT;
    form_all(&body, &x, 3, fmt("&cat=%lld", (long long)p->cat_id));
    Res r = req("POST", "/assess", user("shokuin")->cookie, buf_cstr(&body));
    assert_int_equal(r.status, 303);
    assert_true(has(&r, "Location: /assess?nendo=2026&msg=saved"));
    buf_free(&r.raw);
    buf_free(&body);
    for (int k = 0; k < x.as.nlines; k++) {
        long long id = (long long)item_of(&x, k);
        const char *now = stored(&a, id);
        if (k >= p->first && k < p->end) assert_string_equal(now, fmt("%d|c%lld|", (k + 3) % 5, id));
        else assert_string_equal(now, before[k]);
    }
    assert_string_equal(db_text(db, &a, "SELECT state FROM assessment WHERE id = ?", assessment()), "draft");
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = 'assess.save'"), saves + 1);
    expect_counts_shown(&x);
    /* A part's button never submits, whatever op says. */
    form_all(&body, &x, 1, fmt("&cat=%lld&op=submit", (long long)x.parts[0].cat_id));
    r = req("POST", "/assess", user("shokuin")->cookie, buf_cstr(&body));
    assert_int_equal(r.status, 303);
    assert_true(has(&r, "msg=saved"));
    assert_string_equal(db_text(db, &a, "SELECT state FROM assessment WHERE id = ?", assessment()), "draft");
    buf_free(&r.raw);
    buf_free(&body);
    arena_free(&a);
    arena_free(&x.a);
}

static void test_refused_part_keeps_what_was_typed(void **state)
{
    (void)state;
    Mine x;
    mine_load(&x);
    const Part *p = &x.parts[2];
    Arena a = ARENA_INIT;
    const char **before = arena_alloc(&a, sizeof(char *) * (size_t)x.as.nlines);
    for (int k = 0; k < x.as.nlines; k++) before[k] = stored(&a, item_of(&x, k));
    /* A comment over 400 characters on the part's first item. */
    long long bad = (long long)item_of(&x, p->first);
    Buf body = BUF_INIT;
    form_each(&body, &x, 4, bad, fmt("&cat=%lld&comment_%lld=", (long long)p->cat_id, bad));
    for (int i = 0; i < 401; i++) buf_puts(&body, "x");
    Res r = req("POST", "/assess", user("shokuin")->cookie, buf_cstr(&body));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "400文字以内"));
    /* the part is open and shows the levels typed */
    assert_true(has(&r, fmt("id=\"cat-%lld\" open>", (long long)p->cat_id)));
    long long second = (long long)item_of(&x, p->first + 1 < p->end ? p->first + 1 : p->first);
    int k2 = second == bad ? p->first : p->first + 1;
    assert_true(has(&r, fmt("name=\"level_%lld\" value=\"%d\" checked", second, (k2 + 4) % 5)));
    buf_free(&r.raw);
    buf_free(&body);
    for (int k = 0; k < x.as.nlines; k++) assert_string_equal(stored(&a, item_of(&x, k)), before[k]);
    /* A category that is not one of the parts is refused, nothing written. */
    form_all(&body, &x, 4, "&cat=999999");
    r = req("POST", "/assess", user("shokuin")->cookie, buf_cstr(&body));
    assert_int_equal(r.status, 400);
    buf_free(&r.raw);
    buf_free(&body);
    for (int k = 0; k < x.as.nlines; k++) assert_string_equal(stored(&a, item_of(&x, k)), before[k]);
    arena_free(&a);
    arena_free(&x.a);
}

static void test_submit_needs_every_item(void **state)
{
    (void)state;
    Mine x;
    mine_load(&x);
    Arena a = ARENA_INIT;
    /* Every part saved but the last one's levels left out: 提出 is refused
     * and names the part still missing. */
    Buf body = BUF_INIT;
    form_all(&body, &x, 0, "&op=submit");
    const Part *last = &x.parts[x.nparts - 1];
    Buf cut = BUF_INIT;
    buf_printf(&cut, "csrf=%s&op=submit", user("shokuin")->csrf);
    for (int k = 0; k < x.as.nlines; k++) {
        long long id = (long long)item_of(&x, k);
        if (k < last->first) buf_printf(&cut, "&level_%lld=%d", id, k % 5);
    }
    Res r = req("POST", "/assess", user("shokuin")->cookie, buf_cstr(&cut));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "未選択の項目が"));
    assert_true(has(&r, fmt("href=\"#f-cat-%lld\"", (long long)last->cat_id)));
    assert_true(has(&r, fmt("id=\"cat-%lld\" open>", (long long)last->cat_id)));
    assert_string_equal(db_text(db, &a, "SELECT state FROM assessment WHERE id = ?", assessment()), "draft");
    buf_free(&r.raw);
    buf_free(&cut);
    /* With every item chosen it is submitted, all lines with it. */
    r = req("POST", "/assess", user("shokuin")->cookie, buf_cstr(&body));
    assert_int_equal(r.status, 303);
    assert_true(has(&r, "msg=submitted"));
    assert_string_equal(db_text(db, &a, "SELECT state FROM assessment WHERE id = ?", assessment()), "submitted");
    for (int k = 0; k < x.as.nlines; k++) {
        long long id = (long long)item_of(&x, k);
        assert_string_equal(stored(&a, id), fmt("%d|c%lld|", k % 5, id));
    }
    buf_free(&r.raw);
    /* Submitted: no part can be saved any more. */
    buf_free(&body);
    form_all(&body, &x, 2, fmt("&cat=%lld", (long long)x.parts[0].cat_id));
    r = req("POST", "/assess", user("shokuin")->cookie, buf_cstr(&body));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "提出済みのため変更できません"));
    buf_free(&r.raw);
    buf_free(&body);
    assert_string_equal(stored(&a, item_of(&x, 0)), fmt("%d|c%lld|", 0, (long long)item_of(&x, 0)));
    arena_free(&a);
    arena_free(&x.a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_match_stored_rows),
        cmocka_unit_test(test_save_one_part_keeps_the_others),
        cmocka_unit_test(test_refused_part_keeps_what_was_typed),
        cmocka_unit_test(test_submit_needs_every_item),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
