/* test_governance.c - the 推進体制: the chart shows the bodies and members in
 * force on the date asked (a member whose term ended is gone, one whose term
 * starts later is not there yet); every staff member reads the chart and the
 * minutes, only 人事, DX推進 and 管理者 edit (403 for the others, nothing
 * written); bad input is refused in Japanese with what was typed kept and
 * nothing written; minutes are CommonMark with raw HTML dropped; files are
 * attached through the media store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "harness.h"
#include "domain/governance.h"

#define BD "----govboundary"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "dx"}, {.login = "jinji"}};

static int setup(void **state)
{
    (void)state;
    if (harness_open("governance", users, sizeof users / sizeof users[0]) != 0) return -1;
    return demo_governance(db, 2026, 7u);
}

static int teardown(void **state)
{
    (void)state;
    harness_close();
    return 0;
}

static Res post(Who *w, const char *p, const char *body)
{
    char all[4000];
    snprintf(all, sizeof all, "csrf=%s&%s", w->csrf, body);
    return req("POST", p, w->cookie, all);
}

static int64_t body_id(const char *name) { return db_int(db, 0, "SELECT id FROM gov_body WHERE name = ?", name); }

static const char *staff_name(int64_t id)
{
    static Arena a = ARENA_INIT;
    return db_text(db, &a, "SELECT name FROM staff WHERE id = ?", id);
}

static int audits(const char *action) { return (int)db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = ?", action); }

static void test_chart_in_force_on_a_date(void **state)
{
    (void)state;
    Who *s = user("shokuin");
    /* The demo: the 本部 with CDO/CIO/CISO, the 委員会 with its 事務局 and two WGs. */
    EXPECT(s->cookie, "/governance", 200, "DX推進本部", "本部長", "市長", "CDO（最高デジタル責任者）", "副市長", "CIO（最高情報責任者）",
           "<span class=\"gov-role\">CIO</span> 総務部長", "CISO（最高情報セキュリティ責任者）", "DX推進委員会", "DX推進事務局", "窓口DX WG", "生成AI活用WG", "会議の記録",
           "第1回DX推進本部会議");
    int64_t wg = body_id("窓口DX WG");
    /* The member whose term ended on 2026-03-31 and the one who joined on 2026-04-01. */
    int64_t ended = db_int(db, 0, "SELECT staff_id FROM gov_member WHERE body_id = ? AND to_date = '2026-03-31'", wg);
    int64_t joined = db_int(db, 0, "SELECT staff_id FROM gov_member WHERE body_id = ? AND from_date = '2026-04-01'", wg);
    assert_true(ended > 0 && joined > 0);
    Res r = req("GET", "/governance", s->cookie, NULL);
    assert_false(has(&r, staff_name(ended)));
    assert_true(has(&r, staff_name(joined)));
    buf_free(&r.raw);
    r = req("GET", "/governance?date=2026-03-31", s->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, staff_name(ended)));
    assert_false(has(&r, staff_name(joined)));
    buf_free(&r.raw);
    /* Before the 本部 was set up there is nothing; a typed 和暦 date is read. */
    EXPECT(s->cookie, "/governance?date=2025-03-31", 200, "この日に置かれている会議体・役職はありません。");
    EXPECT(s->cookie, "/governance?date=%E4%BB%A4%E5%92%8C8%E5%B9%B43%E6%9C%8831%E6%97%A5", 200, "datetime=\"2026-03-31\"");
    EXPECT(s->cookie, "/governance?date=2026-13-01", 200, "日付として読めません");
    /* A body that was abolished yesterday is not on today's chart. */
    int64_t wg2 = body_id("生成AI活用WG");
    db_exec(db, "UPDATE gov_body SET to_date = '2026-11-15' WHERE id = ?", wg2);
    r = req("GET", "/governance", s->cookie, NULL);
    assert_false(has(&r, "<h3>生成AI活用WG</h3>"));
    buf_free(&r.raw);
    EXPECT(s->cookie, "/governance?date=2026-11-15", 200, "<h3>生成AI活用WG</h3>");
    db_exec(db, "UPDATE gov_body SET to_date = NULL WHERE id = ?", wg2);
    /* A 職員 sees no edit links. */
    r = req("GET", "/governance", s->cookie, NULL);
    assert_false(has(&r, "/governance/new"));
    assert_false(has(&r, "/edit\""));
    buf_free(&r.raw);
    EXPECT(user("dx")->cookie, "/governance", 200, "/governance/new", "会議体・役職を追加");
}

static void test_only_office_edits(void **state)
{
    (void)state;
    int64_t hq = body_id("DX推進本部");
    int64_t mt = db_int(db, 0, "SELECT MIN(id) FROM gov_meeting");
    int64_t mb = db_int(db, 0, "SELECT MIN(id) FROM gov_member");
    int bodies = count("SELECT COUNT(*) FROM gov_body"), members = count("SELECT COUNT(*) FROM gov_member"),
        meetings = count("SELECT COUNT(*) FROM gov_meeting");
    const char *ro[] = {"shokuin", "kacho"};
    for (int i = 0; i < 2; i++) {
        Who *w = user(ro[i]);
        EXPECT(w->cookie, "/governance/new", 403, "");
        EXPECT(w->cookie, fmt("/governance/%lld/edit", (long long)hq), 403, "");
        EXPECT(w->cookie, fmt("/governance/members/%lld/edit", (long long)mb), 403, "");
        const char *posts[][2] = {
            {"/governance/new", "name=X&kind=hq&from_date=2026-04-01"},
            {fmt("/governance/%lld/edit", (long long)hq), "name=X&kind=hq&from_date=2026-04-01"},
            {fmt("/governance/%lld/delete", (long long)hq), "x=1"},
            {fmt("/governance/%lld/members", (long long)hq), "role=X&post=Y&from_date=2026-04-01"},
            {fmt("/governance/members/%lld/delete", (long long)mb), "x=1"},
            {fmt("/governance/%lld/meetings", (long long)hq), "held_on=2026-04-01&title=X"},
        };
        for (size_t k = 0; k < sizeof posts / sizeof posts[0]; k++) {
            Res r = post(w, posts[k][0], posts[k][1]);
            if (r.status != 403) fail_msg("%s POST %s: %d", ro[i], posts[k][0], r.status);
            buf_free(&r.raw);
        }
        Res r = post(w, fmt("/governance/meetings/%lld/edit", (long long)mt), "held_on=2026-04-01&title=X");
        assert_int_equal(r.status, 403);
        buf_free(&r.raw);
        r = post(w, fmt("/governance/meetings/%lld/delete", (long long)mt), "x=1");
        assert_int_equal(r.status, 403);
        buf_free(&r.raw);
        /* Reading is for everyone, without the editor. */
        r = req("GET", fmt("/governance/meetings/%lld", (long long)mt), w->cookie, NULL);
        assert_int_equal(r.status, 200);
        assert_false(has(&r, "会議の編集"));
        buf_free(&r.raw);
    }
    assert_int_equal(count("SELECT COUNT(*) FROM gov_body"), bodies);
    assert_int_equal(count("SELECT COUNT(*) FROM gov_member"), members);
    assert_int_equal(count("SELECT COUNT(*) FROM gov_meeting"), meetings);
    assert_int_equal(count("SELECT COUNT(*) FROM gov_body WHERE name = 'X'"), 0);
    EXPECT(user("jinji")->cookie, "/governance/new", 200, "会議体・役職の追加");
}

static void test_create_body_and_members(void **state)
{
    (void)state;
    Who *d = user("dx"), *s = user("shokuin");
    int64_t cm = body_id("DX推進委員会");
    int before = audits("governance.body.save");
    Res r = post(d, "/governance/new",
                 fmt("name=%s&kind=wg&parent_id=%lld&purpose=%s&sort_order=9&from_date=%s&to_date=", "%E3%83%87%E3%83%BC%E3%82%BF%E6%B4%BB%E7%94%A8WG",
                     (long long)cm, "EBPM", "%E4%BB%A4%E5%92%8C8%E5%B9%B44%E6%9C%881%E6%97%A5"));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t id = body_id("データ活用WG");
    assert_true(id > 0);
    assert_int_equal(db_int(db, 0, "SELECT parent_id FROM gov_body WHERE id = ?", id), cm);
    assert_int_equal(count("SELECT COUNT(*) FROM gov_body WHERE name = 'データ活用WG' AND kind = 'wg' AND from_date = '2026-04-01'"
                           " AND to_date IS NULL AND purpose = 'EBPM' AND sort_order = 9"),
                     1);
    assert_int_equal(audits("governance.body.save"), before + 1);

    /* A person by 職員番号 (typed in full width), with a term; a post with a unit. */
    int64_t sid = s->staff_id;
    Arena a = ARENA_INIT;
    const char *no = db_text(db, &a, "SELECT staff_no FROM staff WHERE id = ?", sid);
    r = post(d, fmt("/governance/%lld/members", (long long)id), fmt("role=%s&post=&unit_id=&staff_no=%s&from_date=2026-10-01&to_date=", "%E3%83%AA%E3%83%BC%E3%83%80%E3%83%BC", no));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t unit = db_int(db, 0, "SELECT id FROM org_unit WHERE name = '福祉課'");
    r = post(d, fmt("/governance/%lld/members", (long long)id), fmt("role=%s&post=%s&unit_id=%lld&staff_no=&from_date=2026-04-01&to_date=2026-11-15",
                                                                    "%E5%A7%94%E5%93%A1", "%E8%AA%B2%E9%95%B7", (long long)unit));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM gov_member WHERE body_id = ? AND staff_id = ? AND role = 'リーダー' AND from_date = '2026-10-01'", id, sid), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM gov_member WHERE body_id = ? AND unit_id = ? AND post = '課長' AND to_date = '2026-11-15'", id, unit), 1);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'governance.member.save' AND subject_staff_id = ?", sid), 1);
    /* Today the leader is shown; the 福祉課長 ended yesterday and is not. */
    Res c = req("GET", "/governance", s->cookie, NULL);
    assert_true(has(&c, "<h3>データ活用WG</h3>"));
    assert_true(has(&c, fmt("<span class=\"gov-role\">リーダー</span> %s", s->name)));
    assert_false(has(&c, "福祉課長"));
    buf_free(&c.raw);
    EXPECT(s->cookie, "/governance?date=2026-11-15", 200, "福祉課長");

    /* Editing a member: the leader's term ends yesterday, so today's chart drops them. */
    int64_t mid = db_int(db, 0, "SELECT id FROM gov_member WHERE body_id = ? AND staff_id = ?", id, sid);
    EXPECT(d->cookie, fmt("/governance/members/%lld/edit", (long long)mid), 200, "value=\"2026-10-01\"", fmt("value=\"%s\"", no));
    r = post(d, fmt("/governance/members/%lld/edit", (long long)mid),
             fmt("role=%s&staff_no=%s&from_date=2026-10-01&to_date=2026-11-15", "%E3%83%AA%E3%83%BC%E3%83%80%E3%83%BC", no));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM gov_member WHERE id = ? AND to_date = '2026-11-15' AND staff_id = ?", mid, sid), 1);
    c = req("GET", "/governance", s->cookie, NULL);
    assert_false(has(&c, fmt("<span class=\"gov-role\">リーダー</span> %s", s->name)));
    buf_free(&c.raw);
    arena_free(&a);
}

static void test_bad_input_keeps_form_writes_nothing(void **state)
{
    (void)state;
    Who *d = user("dx");
    int bodies = count("SELECT COUNT(*) FROM gov_body"), members = count("SELECT COUNT(*) FROM gov_member");
    int saves = audits("governance.body.save"), msaves = audits("governance.member.save");
    /* No name, an unknown kind, the end before the start. */
    Res r = post(d, "/governance/new", "name=&kind=zzz&purpose=%E5%85%A5%E5%8A%9B%E4%B8%AD&from_date=2026-10-01&to_date=2026-09-30");
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "名称を入力してください。"));
    assert_true(has(&r, "種類を選んでください。"));
    assert_true(has(&r, "終了日は開始日と同じか後の日にしてください。"));
    assert_true(has(&r, "入力中"));
    assert_true(has(&r, "value=\"2026-09-30\""));
    buf_free(&r.raw);
    /* An unreadable date is echoed as typed. */
    r = post(d, "/governance/new", "name=A&kind=hq&from_date=2026-02-30");
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "「2026-02-30」は日付として読めません"));
    assert_true(has(&r, "value=\"A\""));
    buf_free(&r.raw);
    /* A loop: the 本部 may not sit under its own 委員会. */
    int64_t hq = body_id("DX推進本部"), cm = body_id("DX推進委員会");
    r = post(d, fmt("/governance/%lld/edit", (long long)hq), fmt("name=%s&kind=hq&parent_id=%lld&from_date=2025-04-01", "HQ2", (long long)cm));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "自分自身やその下の会議体を上位にはできません。"));
    assert_true(has(&r, "value=\"HQ2\""));
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT COALESCE(parent_id, 0) FROM gov_body WHERE id = ?", hq), 0);
    assert_int_equal(body_id("HQ2"), 0);
    /* Members: nothing naming them; an unknown 職員番号; a bad order. */
    r = post(d, fmt("/governance/%lld/members", (long long)cm), "role=%E5%A7%94%E5%93%A1&post=&unit_id=&staff_no=&from_date=2026-04-01");
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "充て職（「副市長」など）、組織、職員番号のどれかを入力してください。"));
    buf_free(&r.raw);
    r = post(d, fmt("/governance/%lld/members", (long long)cm), "role=%E5%A7%94%E5%93%A1&staff_no=Z99999&sort_order=x&from_date=2026-04-01");
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "表示順は0から9999までの整数で入力してください。"));
    assert_true(has(&r, "value=\"Z99999\""));
    assert_true(has(&r, "value=\"委員\""));
    buf_free(&r.raw);
    r = post(d, fmt("/governance/%lld/members", (long long)cm), "role=%E5%A7%94%E5%93%A1&staff_no=Z99999&from_date=2026-04-01");
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "職員番号「Z99999」の職員が見つかりません。"));
    buf_free(&r.raw);
    r = post(d, fmt("/governance/%lld/members", (long long)cm), "role=&post=X&from_date=");
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "会議体での役割（本部長、委員など）を入力してください。"));
    assert_true(has(&r, "任期の開始日を入力してください。"));
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM gov_body"), bodies);
    assert_int_equal(count("SELECT COUNT(*) FROM gov_member"), members);
    assert_int_equal(audits("governance.body.save"), saves);
    assert_int_equal(audits("governance.member.save"), msaves);
    /* A body with child bodies or meetings is not deleted. */
    r = post(d, fmt("/governance/%lld/delete", (long long)cm), "x=1");
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "下位の会議体があるため削除できません。"));
    buf_free(&r.raw);
    assert_true(body_id("DX推進委員会") > 0);
    /* A post without children or meetings is deleted with its members, audited. */
    int64_t ciso = body_id("CISO（最高情報セキュリティ責任者）");
    r = post(d, fmt("/governance/%lld/delete", (long long)ciso), "x=1");
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM gov_member WHERE body_id = ?", ciso), 0);
    assert_int_equal(body_id("CISO（最高情報セキュリティ責任者）"), 0);
    assert_int_equal(audits("governance.body.delete"), 1);
}

static void test_meeting_minutes_markdown_and_files(void **state)
{
    (void)state;
    Who *d = user("dx"), *s = user("shokuin");
    int64_t wg = body_id("生成AI活用WG");
    int meetings = count("SELECT COUNT(*) FROM gov_meeting");
    /* No title, a bad date: refused, typed minutes kept, nothing written. */
    Res r = post(d, fmt("/governance/%lld/meetings", (long long)wg), "held_on=2026-99-01&title=&minutes=%23%23+%E8%AD%B0%E9%A1%8C");
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "件名を入力してください。"));
    assert_true(has(&r, "「2026-99-01」は日付として読めません"));
    assert_true(has(&r, "## 議題"));
    buf_free(&r.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM gov_meeting"), meetings);
    /* Minutes in CommonMark with raw HTML in them. */
    r = post(d, fmt("/governance/%lld/meetings", (long long)wg),
             "held_on=2026-11-10&title=%E7%AC%AC3%E5%9B%9E&minutes=%23%23+%E8%AD%B0%E9%A1%8C%0A%0A-+**%E6%B1%BA%E5%AE%9A**%0A%0A"
             "%3Cscript%3Ealert(1)%3C%2Fscript%3E%0A%0A%5Bx%5D(javascript%3Aalert(2))");
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t mid = db_int(db, 0, "SELECT id FROM gov_meeting WHERE body_id = ? AND held_on = '2026-11-10' AND title = '第3回'", wg);
    assert_true(mid > 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'governance.meeting.save' AND entity_id = ?", mid), 1);
    r = req("GET", fmt("/governance/meetings/%lld", (long long)mid), s->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "<h2>議題</h2>"));
    assert_true(has(&r, "<strong>決定</strong>"));
    assert_false(has(&r, "<script>alert(1)"));
    assert_false(has(&r, "javascript:alert(2)"));
    assert_true(has(&r, "生成AI活用WG"));
    buf_free(&r.raw);
    EXPECT(s->cookie, "/governance", 200, fmt("/governance/meetings/%lld", (long long)mid), "第3回");
    /* A file attached by 事務局 through the media store. */
    Buf body = BUF_INIT;
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", BD, d->csrf);
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"shiryo1.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%%PDF-1.4 x\r\n--%s--\r\n", BD, BD);
    r = send_raw("POST", fmt("/governance/meetings/%lld/files", (long long)mid), d->cookie, "multipart/form-data; boundary=" BD, body.data, body.len);
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    int64_t media = db_int(db, 0, "SELECT media_id FROM gov_meeting_file WHERE meeting_id = ?", mid);
    assert_true(media > 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM media_asset WHERE id = ? AND name = 'shiryo1.pdf'", media), 1);
    EXPECT(s->cookie, fmt("/governance/meetings/%lld", (long long)mid), 200, fmt("/media/%lld", (long long)media), "shiryo1.pdf");
    /* A file of a refused kind writes nothing. */
    buf_free(&body);
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", BD, d->csrf);
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.exe\"\r\nContent-Type: application/octet-stream\r\n\r\nMZ\r\n--%s--\r\n", BD, BD);
    int files = count("SELECT COUNT(*) FROM gov_meeting_file"), assets = count("SELECT COUNT(*) FROM media_asset");
    r = send_raw("POST", fmt("/governance/meetings/%lld/files", (long long)mid), d->cookie, "multipart/form-data; boundary=" BD, body.data, body.len);
    assert_int_equal(r.status, 422);
    buf_free(&r.raw);
    buf_free(&body);
    assert_int_equal(count("SELECT COUNT(*) FROM gov_meeting_file"), files);
    assert_int_equal(count("SELECT COUNT(*) FROM media_asset"), assets);
    /* Editing keeps typed text on error; deleting removes the meeting and its links. */
    r = post(d, fmt("/governance/meetings/%lld/edit", (long long)mid), "held_on=2026-11-10&title=&minutes=keep-me");
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "keep-me"));
    buf_free(&r.raw);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM gov_meeting WHERE id = ? AND title = '第3回'", mid), 1);
    r = post(d, fmt("/governance/meetings/%lld/delete", (long long)mid), "x=1");
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM gov_meeting_file WHERE meeting_id = ?", mid), 0);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM gov_meeting WHERE id = ?", mid), 0);
    EXPECT(s->cookie, fmt("/governance/meetings/%lld", (long long)mid), 404, "");
}

/* The demo's meetings are never after today, in this and the previous 年度. */
static void test_demo_dates(void **state)
{
    (void)state;
    assert_int_equal(count("SELECT COUNT(*) FROM gov_meeting WHERE held_on > '" HARNESS_TODAY "'"), 0);
    assert_true(count("SELECT COUNT(*) FROM gov_meeting WHERE held_on >= '2026-04-01'") >= 1);
    assert_true(count("SELECT COUNT(*) FROM gov_meeting WHERE held_on < '2026-04-01' AND held_on >= '2025-04-01'") >= 2);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'demo.governance'"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_dates),
        cmocka_unit_test(test_chart_in_force_on_a_date),
        cmocka_unit_test(test_only_office_edits),
        cmocka_unit_test(test_create_body_and_members),
        cmocka_unit_test(test_bad_input_keeps_form_writes_nothing),
        cmocka_unit_test(test_meeting_minutes_markdown_and_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
