/* test_case.c - the case library's screens on the demo's cases: the four
 * searches of the demo (RPA, 生成ＡＩ, 窓口 and the two-character AI),
 * folding (half-width ｶﾀｶﾅ, full-width latin, 異体字), filters, drafts and
 * editing refused to 職員 (404/403), CSRF, validation that keeps the form and
 * writes nothing, a case page (CommonMark without raw HTML, source link,
 * tags), publishing a 職場還元 record as a case, view counting and the
 * recommendations for one's own gaps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "harness.h"
#include "domain/cases.h"
#include "domain/gap.h"
#include "domain/skill.h"
#include "io/text.h"

static Arena ta = ARENA_INIT; /* test strings read from the database */

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "dx"}};

static int setup(void **state)
{
    (void)state;
    if (harness_open("case", users, sizeof users / sizeof users[0]) != 0) return -1;
    return demo_projects(db, 2026, 7u) != 0 ? -1 : demo_cases(db, 2026, 7u);
}

static int teardown(void **state)
{
    (void)state;
    harness_close();
    arena_free(&ta);
    return 0;
}

/* s percent-encoded for a query string (one of sixteen rotating buffers). */
static const char *enc(const char *s)
{
    static char bufs[16][512];
    static int k;
    char *o = bufs[k++ % 16];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 4 < 512; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) o[n++] = (char)*p;
        else n += (size_t)snprintf(o + n, 4, "%%%02X", *p);
    }
    o[n] = '\0';
    return o;
}

static Res post(Who *w, const char *p, const char *body)
{
    char all[4000];
    snprintf(all, sizeof all, "csrf=%s&%s", w->csrf, body);
    return req("POST", p, w->cookie, all);
}

static int64_t case_id(const char *title) { return db_int(db, 0, "SELECT id FROM case_study WHERE title = ?", title); }

/* GETs /cases?q=… as w and checks which titles are shown. */
static void search(Who *w, const char *q, const char *const *want, const char *const *not)
{
    Res r = req("GET", fmt("/cases?q=%s", enc(q)), w->cookie, NULL);
    assert_int_equal(r.status, 200);
    for (; want && *want; want++)
        if (!has(&r, *want)) fail_msg("「%s」で「%s」が見つからない", q, *want);
    for (; not && *not; not++)
        if (has(&r, *not)) fail_msg("「%s」で「%s」が出てしまう", q, *not);
    buf_free(&r.raw);
}

#define L(...) (const char *const[]){__VA_ARGS__, NULL}

static void test_demo_searches(void **state)
{
    (void)state;
    Who *s = user("shokuin");
    const char *rpa1 = "RPAで税務課の口座振替データ処理を自動化", *rpa2 = "RPA導入の庁内ガイドライン策定と野良ロボット対策",
               *rpa3 = "RPAによる児童手当の現況確認データの突合", *ocr = "AI-OCRとRPAを組み合わせた各種申請書の入力自動化";
    const char *gen1 = "生成AIの全庁利用ルールと研修をセットで導入", *gen2 = "生成AIによる会議録の要約作成",
               *gen3 = "生成AIで広報記事の下書きと読みやすさの確認", *gen4 = "生成AI活用アイデアソンの開催",
               *gen5 = "生成AIを使った文書作成の手順と注意点"; /* a 職場還元 of the demo */
    const char *bot = "AIチャットボットによる問合せ対応";
    const char *win1 = "書かない窓口の導入", *win2 = "窓口の待ち時間をウェブで公開", *win3 = "市民課窓口の手続案内をフローチャートで整理",
               *win4 = "おくやみ窓口の設置";
    const char *other = "オープンデータの公開と活用の推進", *nocode = "ノーコードツールで研修申込フォームを内製";
    search(s, "RPA", L(rpa1, rpa2, rpa3, ocr, "4件の事例"), L(gen1, win1, bot, other));
    search(s, "生成ＡＩ", L(gen1, gen2, gen3, gen4, gen5, "5件の事例"), L(bot, ocr, rpa1, win1));
    search(s, "窓口", L(win1, win2, win3, win4, "4件の事例"), L(gen1, rpa1, bot, nocode));
    /* Two characters: the LIKE path over the folded text. */
    search(s, "AI", L(gen1, gen2, gen3, gen4, gen5, bot, ocr, "7件の事例"), L(rpa1, rpa2, rpa3, win1, win2, other, nocode));
    search(s, "ai", L(bot, "7件の事例"), L(win1));
    /* The searches ran both ways. */
    Arena a = ARENA_INIT;
    assert_true(case_query_uses_index(text_fold(&a, "生成ＡＩ")));
    assert_false(case_query_uses_index(text_fold(&a, "AI")));
    arena_free(&a);
    search(s, "見つからない言葉", L("条件に合う事例はありません"), NULL);
}

static void test_folding(void **state)
{
    (void)state;
    Who *s = user("shokuin"), *d = user("dx");
    search(s, "ﾁｬｯﾄﾎﾞｯﾄ", L("AIチャットボットによる問合せ対応"), L("書かない窓口の導入"));
    search(s, "ちゃっとぼっと", L("AIチャットボットによる問合せ対応"), NULL);
    search(s, "ＲＰＡ", L("RPAで税務課の口座振替データ処理を自動化", "4件の事例"), NULL);
    search(s, "ｒｐａ", L("RPA導入の庁内ガイドライン策定と野良ロボット対策"), NULL);
    /* A case from a town written with 髙 is found with 高, in both paths. */
    Res r = post(d, "/cases/new", fmt("kind=other&title=%s&source=%s&nendo=2026&summary=%s", enc("電子契約の導入"), enc("髙森町"), enc("契約書の押印を省いた")));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t id = case_id("電子契約の導入");
    assert_true(id > 0);
    r = post(d, fmt("/cases/%lld/publish", (long long)id), "");
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    search(s, "高森", L("電子契約の導入"), L("書かない窓口の導入"));
    search(s, "高森町", L("電子契約の導入"), NULL);
    search(s, "髙森", L("電子契約の導入"), NULL);
}

static void test_filters(void **state)
{
    (void)state;
    Who *s = user("shokuin");
    Res r = req("GET", "/cases?kind=internal", s->cookie, NULL);
    assert_true(has(&r, "市民課窓口の手続案内をフローチャートで整理"));
    assert_false(has(&r, "書かない窓口の導入"));      /* 先進地事例 */
    assert_false(has(&r, "基幹システム標準化に向けた業務の比較表づくり")); /* a draft */
    buf_free(&r.raw);
    r = req("GET", "/cases?nendo=2024", s->cookie, NULL); /* two years back */
    assert_true(has(&r, "窓口の待ち時間をウェブで公開"));
    assert_false(has(&r, "書かない窓口の導入"));
    buf_free(&r.raw);
    r = req("GET", fmt("/cases?nendo=%s", enc("令和7年度")), s->cookie, NULL);
    assert_true(has(&r, "書かない窓口の導入"));
    assert_false(has(&r, "窓口の待ち時間をウェブで公開"));
    buf_free(&r.raw);
    int64_t k02 = db_int(db, 0, "SELECT id FROM skill_item WHERE code = 'K-02'");
    r = req("GET", fmt("/cases?skill=%lld", (long long)k02), s->cookie, NULL);
    assert_true(has(&r, "生成AIによる会議録の要約作成"));
    assert_false(has(&r, "RPAで税務課の口座振替データ処理を自動化"));
    buf_free(&r.raw);
    r = req("GET", fmt("/cases?skill=%lld&q=%s&kind=internal", (long long)k02, enc("広報記事")), s->cookie, NULL);
    assert_true(has(&r, "1件の事例"));
    assert_true(has(&r, "生成AIで広報記事の下書きと読みやすさの確認"));
    buf_free(&r.raw);
}

static void test_scope_and_csrf(void **state)
{
    (void)state;
    Who *s = user("shokuin"), *k = user("kacho"), *d = user("dx");
    int64_t draft = case_id("基幹システム標準化に向けた業務の比較表づくり"), pub = case_id("書かない窓口の導入");
    assert_true(draft > 0 && pub > 0);
    EXPECT(s->cookie, fmt("/cases/%lld", (long long)draft), 404, "見つかりません");
    EXPECT(k->cookie, fmt("/cases/%lld", (long long)draft), 404, "見つかりません");
    EXPECT(d->cookie, fmt("/cases/%lld", (long long)draft), 200, "下書き", "公開する");
    EXPECT(s->cookie, "/cases/new", 403, "");
    EXPECT(s->cookie, fmt("/cases/%lld/edit", (long long)pub), 403, "");
    Res r = req("GET", fmt("/cases/%lld", (long long)pub), s->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_false(has(&r, "公開を取り下げる"));
    assert_false(has(&r, "/edit\""));
    buf_free(&r.raw);
    int audit = count("SELECT COUNT(*) FROM audit_log");
    r = post(s, fmt("/cases/%lld/publish", (long long)draft), "");
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    r = post(s, fmt("/cases/%lld/delete", (long long)pub), "");
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    r = post(s, "/cases/new", "kind=other&title=x&nendo=2026");
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    /* The 事務局 without the token: refused, nothing written. */
    r = req("POST", fmt("/cases/%lld/publish", (long long)draft), d->cookie, "");
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    r = req("POST", "/cases/new", d->cookie, "kind=other&title=CSRF&nendo=2026");
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT published FROM case_study WHERE id = ?", draft), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_study WHERE id = ?", pub), 1);
    assert_int_equal(count("SELECT COUNT(*) FROM case_study WHERE title IN ('x', 'CSRF')"), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audit);
    /* Publishing and withdrawing, audited. */
    r = post(d, fmt("/cases/%lld/publish", (long long)draft), "");
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT published FROM case_study WHERE id = ?", draft), 1);
    assert_int_equal(db_int(db, -1, "SELECT published_on = '2026-11-16' FROM case_study WHERE id = ?", draft), 1);
    EXPECT(s->cookie, fmt("/cases/%lld", (long long)draft), 200, "基幹システム標準化に向けた業務の比較表づくり");
    r = post(d, fmt("/cases/%lld/unpublish", (long long)draft), "");
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    EXPECT(s->cookie, fmt("/cases/%lld", (long long)draft), 404, "");
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE entity = 'case_study' AND entity_id = ? AND action IN ('case.publish', 'case.unpublish')",
                            draft),
                     2);
}

static void test_validation_and_save(void **state)
{
    (void)state;
    Who *d = user("dx");
    int cases = count("SELECT COUNT(*) FROM case_study"), audit = count("SELECT COUNT(*) FROM audit_log");
    Res r = post(d, "/cases/new",
                 fmt("kind=&title=%s&nendo=%s&hours=-3&cost=%s&users=x&source_url=%s&staff_nos=ZZ999", enc("入力を残す題名"), enc("いつか"),
                     enc("1.5"), enc("javascript:alert(1)")));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "種類を選んでください。"));
    assert_true(has(&r, "年度は 2026、令和8年度 のように入力してください。"));
    assert_true(has(&r, "削減時間は0以上の数で入力してください"));
    assert_true(has(&r, "費用は0以上の整数（円）で入力してください。"));
    assert_true(has(&r, "利用者数は0以上の整数で入力してください。"));
    assert_true(has(&r, "出典のURLは http:// または https:// で始まるアドレスを入力してください。"));
    assert_true(has(&r, "職員番号「ZZ999」の職員は見つかりません。"));
    assert_true(has(&r, "value=\"入力を残す題名\""));
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM case_study"), cases);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audit);

    /* A good one: tags, figures, folded search text, audited, a draft. */
    const char *no = db_text(db, &ta, "SELECT staff_no FROM staff WHERE id = ?", user("shokuin")->staff_id);
    int64_t k01 = db_int(db, 0, "SELECT id FROM skill_item WHERE code = 'K-01'");
    r = post(d, "/cases/new",
             fmt("kind=internal&title=%s&source=%s&nendo=%s&summary=%s&body=%s&hours=%s&cost=0&users=12&source_url=%s&skill=%lld&staff_nos=%s",
                 enc("ｷｯﾄ化した申請フォーム"), enc("福祉課"), enc("令和8年度"), enc("申請の受付を内製した"),
                 enc("## 手順\n\n- 項目を決める\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"), enc("１，２００"),
                 enc("https://example.com/form?a=1&b=2"), (long long)k01, no));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t id = case_id("ｷｯﾄ化した申請フォーム");
    assert_true(id > 0);
    assert_int_equal(db_int(db, -1, "SELECT published FROM case_study WHERE id = ?", id), 0);
    assert_int_equal(db_int(db, -1, "SELECT nendo FROM case_study WHERE id = ?", id), 2026);
    assert_int_equal(db_int(db, -1, "SELECT CAST(hours_saved AS INTEGER) FROM case_study WHERE id = ?", id), 1200);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_study WHERE id = ? AND search_text LIKE '%きっと化%'", id), 1);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_tag WHERE case_id = ? AND kind = 'skill' AND ref_id = ?", id, k01), 1);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_tag WHERE case_id = ? AND kind = 'staff' AND ref_id = ?", id, user("shokuin")->staff_id),
                     1);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.create' AND entity_id = ?", id), 1);
    /* The page: rendered body without raw HTML, effects, tags, the source link. */
    Res p = req("GET", fmt("/cases/%lld", (long long)id), d->cookie, NULL);
    assert_int_equal(p.status, 200);
    assert_true(has(&p, "<h2>手順</h2>"));
    assert_false(has(&p, "<script>alert(1)"));
    assert_false(has(&p, "href=\"javascript:"));
    assert_true(has(&p, "削減時間 年1,200時間"));
    assert_true(has(&p, "利用者 12人"));
    assert_true(has(&p, fmt("href=\"/cases?skill=%lld\"", (long long)k01)));
    assert_true(has(&p, "rel=\"noopener noreferrer\""));
    assert_true(has(&p, "href=\"https://example.com/form?a=1&amp;b=2\""));
    buf_free(&p.raw);
    /* Editing keeps what was stored when it fails. */
    r = post(d, fmt("/cases/%lld/edit", (long long)id), "kind=internal&title=&nendo=2026");
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "題名を入力してください。"));
    buf_free(&r.raw);
    assert_int_equal(case_id("ｷｯﾄ化した申請フォーム"), id);
    EXPECT(d->cookie, fmt("/cases/%lld/edit", (long long)id), 200, "value=\"ｷｯﾄ化した申請フォーム\"", no);
    /* Delete, audited, gone from the index. */
    r = post(d, fmt("/cases/%lld/delete", (long long)id), "");
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_study WHERE id = ?", id), 0);
    if (db_dialect(db) == DB_SQLITE) /* PostgreSQL has no separate index table */
        assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_fts WHERE rowid = ?", id), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.delete' AND entity_id = ?", id), 1);
}

static void test_shareback(void **state)
{
    (void)state;
    Who *d = user("dx"), *s = user("shokuin");
    int64_t sb = db_int(db, 0,
                        "SELECT id FROM share_back WHERE NOT EXISTS (SELECT 1 FROM case_study c WHERE c.shareback_id = share_back.id)"
                        " ORDER BY held_on DESC, id DESC LIMIT 1");
    assert_true(sb > 0);
    const char *content = db_text(db, &ta, "SELECT content FROM share_back WHERE id = ?", sb);
    int64_t sharer = db_int(db, 0, "SELECT staff_id FROM share_back WHERE id = ?", sb);
    EXPECT(d->cookie, "/cases", 200, "職場還元の記録から事例にする", fmt("/cases/new?shareback=%lld", (long long)sb));
    EXPECT(s->cookie, "/cases", 200, "事例集");
    Res r = req("GET", "/cases", s->cookie, NULL);
    assert_false(has(&r, "職場還元の記録から事例にする"));
    buf_free(&r.raw);
    EXPECT(s->cookie, fmt("/cases/new?shareback=%lld", (long long)sb), 403, "");
    EXPECT(d->cookie, fmt("/cases/new?shareback=%lld", (long long)sb), 200, fmt("name=\"shareback_id\" value=\"%lld\"", (long long)sb),
           "<option value=\"shareback\" selected>", content);
    const char *no = db_text(db, &ta, "SELECT staff_no FROM staff WHERE id = ?", sharer);
    r = post(d, "/cases/new",
             fmt("shareback_id=%lld&kind=shareback&title=%s&nendo=2026&summary=%s&staff_nos=%s", (long long)sb, enc("職場還元の事例"), enc("係内で共有"), no));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t id = db_int(db, 0, "SELECT id FROM case_study WHERE shareback_id = ?", sb);
    assert_true(id > 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_study WHERE id = ? AND kind = 'shareback' AND title = '職場還元の事例'", id), 1);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_tag WHERE case_id = ? AND kind = 'staff' AND ref_id = ?", id, sharer), 1);
    r = post(d, fmt("/cases/%lld/publish", (long long)id), "");
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    EXPECT(s->cookie, fmt("/cases/%lld", (long long)id), 200, "職場還元の事例", "職場還元</span>");
    EXPECT(d->cookie, fmt("/cases/%lld", (long long)id), 200, fmt("/staff/%lld/training#shareback", (long long)sharer));
    r = req("GET", "/cases", d->cookie, NULL);
    assert_false(has(&r, fmt("/cases/new?shareback=%lld\"", (long long)sb)));
    buf_free(&r.raw);
    /* The same record cannot become a second case. */
    int n = count("SELECT COUNT(*) FROM case_study");
    r = post(d, "/cases/new", fmt("shareback_id=%lld&kind=shareback&title=%s&nendo=2026", (long long)sb, enc("二重")));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "この職場還元の記録はすでに事例になっています。"));
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM case_study"), n);
}

static void test_views(void **state)
{
    (void)state;
    Who *s = user("shokuin"), *d = user("dx");
    int64_t id = case_id("おくやみ窓口の設置"), draft = case_id("基幹システム標準化に向けた業務の比較表づくり");
    db_exec(db, "DELETE FROM case_view WHERE case_id = ?", id);
    int audit = db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.view'");
    for (int i = 0; i < 3; i++) EXPECT(s->cookie, fmt("/cases/%lld", (long long)id), 200, "おくやみ窓口の設置");
    assert_int_equal(db_int(db, -1, "SELECT count FROM case_view WHERE case_id = ? AND staff_id = ? AND day = '2026-11-16'", id, s->staff_id), 3);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_view WHERE case_id = ?", id), 1);
    /* One audit row for the person's day, not one per view. */
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.view'"), audit + 1);
    /* The next day is a new row (the domain call: sessions end with the day). */
    util_clock_set_today("2026-11-17");
    const Actor who = {.account_id = 0, .name = "test", .ip = ""};
    assert_int_equal(case_view(db, &who, id, s->staff_id), 0);
    util_clock_set_today(HARNESS_TODAY);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_view WHERE case_id = ?", id), 2);
    EXPECT(s->cookie, fmt("/cases/%lld", (long long)id), 200, "閲覧 5回");
    assert_int_equal(case_view_total(db, "2026-11-17", "2026-11-17"), 1);
    assert_true(case_view_total(db, "2026-11-16", "2026-11-17") >= 5);
    /* A draft seen by the 事務局 is not counted. */
    int64_t before = db_int(db, -1, "SELECT COALESCE(SUM(count), 0) FROM case_view WHERE case_id = ?", draft);
    EXPECT(d->cookie, fmt("/cases/%lld", (long long)draft), 200, "下書き");
    assert_int_equal(db_int(db, -1, "SELECT COALESCE(SUM(count), 0) FROM case_view WHERE case_id = ?", draft), before);
    /* The KPI readers. */
    assert_true(case_published_count(db, 2026) >= 10);
    Arena a = ARENA_INIT;
    CaseUnitCount *u;
    assert_true(case_per_unit(db, &a, 2026, &u) >= 1);
    assert_true(u[0].cases >= 1);
    arena_free(&a);
}

/* Whether any skill tag of case id is in the set. */
static bool tagged_with(int64_t id, const bool *gap, const SkillMap *m)
{
    for (int i = 0; i < m->nitems; i++)
        if (gap[i] && db_int(db, 0, "SELECT COUNT(*) FROM case_tag WHERE case_id = ? AND kind = 'skill' AND ref_id = ?", id, m->items[i].id)) return true;
    return false;
}

static void test_recommend(void **state)
{
    (void)state;
    Who *s = user("shokuin"), *d = user("dx");
    Arena a = ARENA_INIT;
    /* The person's 2026 assessment is a draft: their latest that counts is 2025's. */
    assert_int_equal(db_int(db, 0, "SELECT MAX(nendo) FROM assessment WHERE staff_id = ? AND state IN ('submitted', 'confirmed')", s->staff_id), 2025);
    SkillMap m;
    skill_map_load(db, &a, 2025, false, &m);
    GapFilter gf = {.staff_id = s->staff_id};
    GapMatrix g;
    gap_matrix(db, &a, &m, 2025, "2026-03-31", &gf, &g);
    assert_int_equal(g.npeople, 1);
    bool *gap = arena_alloc(&a, sizeof *gap * (size_t)m.nitems);
    int ngap = 0, met = -1;
    for (int i = 0; i < m.nitems; i++) {
        bool confirmed;
        int t = GAP_AT(&g, target, 0, i), l = gap_level(&g, 0, i, &confirmed);
        gap[i] = t >= 0 && l >= 0 && l < t;
        ngap += gap[i];
        if (t >= 0 && l >= t && met < 0) met = i;
    }
    assert_true(ngap > 0);
    Case *rec;
    int n = case_recommend(db, &a, s->staff_id, 2026, 100, &rec);
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        assert_true(rec[i].published);
        assert_true(tagged_with(rec[i].id, gap, &m));
    }
    /* A published case tagged only with an item the person meets is not recommended. */
    if (met >= 0) {
        Res r = post(d, "/cases/new", fmt("kind=other&title=%s&nendo=2026&skill=%lld", enc("目標達成済みの項目の事例"), (long long)m.items[met].id));
        assert_int_equal(r.status, 303);
        buf_free(&r.raw);
        int64_t id = case_id("目標達成済みの項目の事例");
        r = post(d, fmt("/cases/%lld/publish", (long long)id), "");
        buf_free(&r.raw);
        n = case_recommend(db, &a, s->staff_id, 2026, 100, &rec);
        for (int i = 0; i < n; i++) assert_true(rec[i].id != id);
    }
    Res r = req("GET", "/cases", s->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "あなたにおすすめの事例"));
    assert_true(has(&r, rec[0].title));
    buf_free(&r.raw);
    /* Not while searching, and not for someone with no assessment. */
    r = req("GET", "/cases?q=RPA", s->cookie, NULL);
    assert_false(has(&r, "あなたにおすすめの事例"));
    buf_free(&r.raw);
    int64_t none = db_int(db, 0, "SELECT s.id FROM staff s WHERE NOT EXISTS (SELECT 1 FROM assessment x WHERE x.staff_id = s.id) ORDER BY s.id LIMIT 1");
    if (none) assert_int_equal(case_recommend(db, &a, none, 2026, 5, &rec), 0);
    arena_free(&a);
}

/* Cases name the DX projects they are about: a checkbox per project on the
 * form, the project's name on the case, the cases on the project's page, and
 * deleting a project drops its tags. */
static void test_projects(void **state)
{
    (void)state;
    Who *d = user("dx");
    int64_t rpa = db_int(db, 0, "SELECT id FROM dx_project WHERE name = 'RPA導入'");
    assert_true(rpa > 0);
    /* The demo tags its RPA cases to the project. */
    int tagged = count(fmt("SELECT COUNT(*) FROM case_tag WHERE kind = 'project' AND ref_id = %lld", (long long)rpa));
    assert_true(tagged > 0);
    EXPECT(d->cookie, "/cases/new", 200, fmt("<input type=\"checkbox\" name=\"project\" value=\"%lld\"> RPA導入", (long long)rpa));
    Res r = post(d, "/cases/new", fmt("kind=internal&title=%s&nendo=2026&project=%lld", enc("プロジェクトの事例"), (long long)rpa));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t id = case_id("プロジェクトの事例");
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM case_tag WHERE case_id = ? AND kind = 'project' AND ref_id = ?", id, rpa), 1);
    EXPECT(d->cookie, fmt("/cases/%lld", (long long)id), 200, fmt("<a href=\"/cases?project=%lld\">DXプロジェクト：RPA導入</a>", (long long)rpa));
    /* The project's page lists it (a draft, shown to 事務局 with its badge). */
    EXPECT(d->cookie, fmt("/projects/%lld", (long long)rpa), 200, "<h2>関係する事例</h2>",
           fmt("<a href=\"/cases/%lld\">プロジェクトの事例</a>（庁内事例・2026年度） <span class=\"badge\">下書き</span>", (long long)id));
    /* The edit form keeps the box ticked. */
    EXPECT(d->cookie, fmt("/cases/%lld/edit", (long long)id), 200, fmt("value=\"%lld\" checked> RPA導入", (long long)rpa));
    /* Deleting the project removes the tags that pointed at it. */
    r = post(d, fmt("/projects/%lld/delete", (long long)rpa), "");
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(count(fmt("SELECT COUNT(*) FROM case_tag WHERE kind = 'project' AND ref_id = %lld", (long long)rpa)), 0);
    EXPECT(d->cookie, fmt("/cases/%lld", (long long)id), 200, "プロジェクトの事例");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_searches), cmocka_unit_test(test_folding), cmocka_unit_test(test_filters),
        cmocka_unit_test(test_scope_and_csrf), cmocka_unit_test(test_validation_and_save), cmocka_unit_test(test_shareback),
        cmocka_unit_test(test_views),          cmocka_unit_test(test_recommend),   cmocka_unit_test(test_projects),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
