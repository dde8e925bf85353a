/* test_cases.c - the case library's search (cases.h): the folded search
 * text, which queries take the trigram index and which the LIKE path, and
 * both paths over a small migrated database: full and half width, kana,
 * 異体字, a two-character query, wildcards typed by the user, and the index
 * kept in step by saves and deletes. Validation writes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/cases.h"
#include "io/text.h"
#include "../tmpdb.h"

static Db *db;
static char path[64];
static const Actor WHO = {.account_id = 0, .name = "test", .ip = "127.0.0.1"};

static int setup(void **state)
{
    (void)state;
    db = tmpdb_open(path, sizeof path, "cases");
    return db ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    tmpdb_remove(path);
    return 0;
}

static int64_t add(const char *kind, const char *title, const char *summary, const char *body, const char *source)
{
    CaseInput in = {.kind = kind, .title = title, .summary = summary, .body = body, .source = source, .nendo = "2026"};
    Errors e = {0};
    int64_t id = case_save(db, &WHO, &in, &e);
    assert_false(err_any(&e));
    assert_true(id > 0);
    return id;
}

/* The titles found for q (drafts included), joined by "|". */
static const char *found(Arena *a, const char *q)
{
    CaseFilter f = {.q = q, .page = 1};
    Case *cs;
    int total, n = case_search(db, a, &f, &cs, &total);
    assert_int_equal(n, total);
    Buf b = BUF_INIT;
    for (int i = n - 1; i >= 0; i--) buf_printf(&b, "%s%s", b.len ? "|" : "", cs[i].title);
    char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

static void test_fold_and_choice(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    /* Full-width latin folds to ASCII lower case; 生成ＡＩ is four characters. */
    assert_string_equal(text_fold(&a, "生成ＡＩ"), "生成ai");
    assert_true(case_query_uses_index(text_fold(&a, "生成ＡＩ")));
    assert_true(case_query_uses_index(text_fold(&a, "ＲＰＡ")));
    /* One and two characters go to LIKE: the trigram index cannot. */
    assert_false(case_query_uses_index(text_fold(&a, "AI")));
    assert_false(case_query_uses_index(text_fold(&a, "窓口")));
    assert_false(case_query_uses_index(text_fold(&a, "窓")));
    assert_false(case_query_uses_index(text_fold(&a, " Ａ Ｉ ")));
    assert_false(case_query_uses_index(""));
    /* Half-width kana to hiragana, 異体字 to one form, fields kept apart. */
    const char *t = case_search_text(&a, "ﾁｬｯﾄﾎﾞｯﾄ", "髙橋", "", "");
    assert_non_null(strstr(t, "ちゃっとぼっと"));
    assert_non_null(strstr(t, "高橋"));
    assert_null(strstr(t, "ちゃっとぼっと高"));
    arena_free(&a);
}

static void test_search_paths(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    add("advanced", "RPAで入力作業を自動化", "口座振替の処理", "", "県内A市");
    add("other", "生成AIによる会議録の要約", "", "要約の下書き", "県内C市");
    add("internal", "書かない窓口", "窓口で聞き取る", "", "市民課");
    add("internal", "AIチャットボット", "問合せに答える", "", "");
    add("other", "メールの整理", "detail の確認", "", "﨑山町"); /* "ai" inside a word: found by LIKE, as documented */
    add("other", "100%の達成", "", "", "");

    assert_string_equal(found(&a, "RPA"), "RPAで入力作業を自動化");
    assert_string_equal(found(&a, "ｒｐａ"), "RPAで入力作業を自動化");
    assert_string_equal(found(&a, "生成ＡＩ"), "生成AIによる会議録の要約");
    assert_string_equal(found(&a, "窓口"), "書かない窓口");
    assert_string_equal(found(&a, "ﾁｬｯﾄ"), "AIチャットボット");
    assert_string_equal(found(&a, "ちゃっと"), "AIチャットボット");
    assert_string_equal(found(&a, "崎山町"), "メールの整理");
    assert_string_equal(found(&a, "AI"), "生成AIによる会議録の要約|AIチャットボット|メールの整理");
    /* The user's % and _ are literal characters, not wildcards. */
    assert_string_equal(found(&a, "0%"), "100%の達成");
    assert_string_equal(found(&a, "%"), "100%の達成");
    assert_string_equal(found(&a, "_"), "");
    /* A query never spans two fields. */
    assert_string_equal(found(&a, "要約口座"), "");
    arena_free(&a);
}

static void test_index_follows_writes(void **state)
{
    (void)state;
    Arena a = ARENA_INIT;
    int64_t id = add("internal", "オープンデータの公開", "", "", "");
    assert_string_equal(found(&a, "オープンデータ"), "オープンデータの公開");
    CaseInput in = {.id = id, .kind = "internal", .title = "統計データの公開", .nendo = "令和8年度"};
    Errors e = {0};
    assert_int_equal(case_save(db, &WHO, &in, &e), id);
    assert_string_equal(found(&a, "オープンデータ"), "");
    assert_string_equal(found(&a, "統計データ"), "統計データの公開");
    if (db_dialect(db) == DB_SQLITE) /* the FTS5 index is SQLite's; PostgreSQL searches by LIKE */
        assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_fts WHERE rowid = ?", id), 1);
    assert_int_equal(case_delete(db, &WHO, id, &e), 0);
    assert_string_equal(found(&a, "統計データ"), "");
    if (db_dialect(db) == DB_SQLITE) /* the FTS5 index is SQLite's; PostgreSQL searches by LIKE */
        assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_fts WHERE rowid = ?", id), 0);
    arena_free(&a);
}

static void test_validation_writes_nothing(void **state)
{
    (void)state;
    int before = (int)db_int(db, -1, "SELECT COUNT(*) FROM case_study");
    int audit = (int)db_int(db, -1, "SELECT COUNT(*) FROM audit_log");
    CaseInput in = {.kind = "rumour", .title = "", .nendo = "来年", .hours = "-5", .cost = "1.5", .users = "たくさん",
                    .source_url = "javascript:alert(1)", .staff_nos = "NOSUCH"};
    Errors e = {0};
    assert_int_equal(case_save(db, &WHO, &in, &e), -1);
    assert_true(e.n >= 8);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_study"), before);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM audit_log"), audit);
    /* Figures as people type them, and an https source. */
    CaseInput ok = {.kind = "other", .title = "数字の書き方", .nendo = "R8", .hours = "１，２００", .cost = "3,000,000", .users = "0",
                    .source_url = "https://example.com/a?b=c"};
    Errors e2 = {0};
    int64_t id = case_save(db, &WHO, &ok, &e2);
    assert_true(id > 0);
    assert_int_equal(db_int(db, -1, "SELECT CAST(hours_saved AS INTEGER) FROM case_study WHERE id = ?", id), 1200);
    assert_int_equal(db_int(db, -1, "SELECT cost FROM case_study WHERE id = ?", id), 3000000);
    assert_int_equal(db_int(db, -1, "SELECT users FROM case_study WHERE id = ?", id), 0);
    assert_int_equal(db_int(db, -1, "SELECT nendo FROM case_study WHERE id = ?", id), 2026);
    /* Unknown figures are NULL, not 0. */
    CaseInput none = {.kind = "other", .title = "効果不明", .nendo = "2025"};
    Errors e3 = {0};
    id = case_save(db, &WHO, &none, &e3);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_study WHERE id = ? AND hours_saved IS NULL AND cost IS NULL AND users IS NULL", id), 1);
    for (const char *bad = "ftp://example.com", *list[] = {"ftp://example.com", "http://", "https://exa mple.com", "//example.com", NULL}, **p = list; *p;
         bad = *++p) {
        CaseInput u = {.kind = "other", .title = "URL", .nendo = "2026", .source_url = bad};
        Errors eu = {0};
        assert_int_equal(case_save(db, &WHO, &u, &eu), -1);
        assert_string_equal(eu.items[0].field, "source_url");
    }
}

int main(void)
{
    util_clock_set_today("2026-11-16");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_and_choice),
        cmocka_unit_test(test_search_paths),
        cmocka_unit_test(test_index_follows_writes),
        cmocka_unit_test(test_validation_writes_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
