/* test_notice_pages.c - the screens of notices, reminders and mail settings:
 * /notices (unread first, marking read, the count in the header), reminders
 * chosen on 評価の進捗 and 研修申込の承認・決定 (preview, then queued, and a
 * 所属長 refused outside their subtree), one's own mail address, and the SMTP
 * settings whose password never reaches a page or the audit log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "harness.h"
#include "domain/notice.h"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "dx"}, {.login = "admin"}};

HARNESS_SETUP("notice_pages", users)

/* POSTs body as w (its CSRF token added); returns the response (caller frees). */
static Res post(Who *w, const char *p, const char *body)
{
    char all[2000];
    snprintf(all, sizeof all, "csrf=%s&%s", w->csrf, body);
    return req("POST", p, w->cookie, all);
}

static int64_t account_of(Who *w) { return db_int(db, 0, "SELECT id FROM account WHERE login = ?", w->login); }

static void test_notice_list_and_read(void **state)
{
    (void)state;
    Who *s = user("shokuin"), *k = user("kacho");
    int64_t acc = account_of(s);
    db_exec(db, "DELETE FROM outbox");
    db_exec(db, "DELETE FROM notice");
    assert_int_equal(notice_put(db, acc, "test", false, "古いお知らせ", "本文その一", "/assess"), 0);
    assert_int_equal(notice_put(db, acc, "test", false, "新しいお知らせ", "本文その二", "/training"), 0);
    db_exec(db, "UPDATE notice SET created_at = '2026-11-01T09:00:00' WHERE title = '古いお知らせ'");
    int64_t old_id = db_int(db, 0, "SELECT id FROM notice WHERE title = '古いお知らせ'");
    /* The header counts the unread, in words. */
    EXPECT(s->cookie, "/", 200, "href=\"/notices\"", "未読2件");
    Res r = req("GET", "/notices", s->cookie, NULL);
    assert_int_equal(r.status, 200);
    const char *a = strstr(r.body, "新しいお知らせ"), *b = strstr(r.body, "古いお知らせ");
    assert_non_null(a);
    assert_non_null(b);
    assert_true(a < b); /* newest first among the unread */
    assert_true(has(&r, "<a href=\"/training\">新しいお知らせ</a>"));
    assert_true(has(&r, "本文その一"));
    assert_true(has(&r, "すべて既読にする"));
    buf_free(&r.raw);

    /* Without the token nothing is marked. */
    Res bad = req("POST", "/notices/read", s->cookie, fmt("id=%lld", (long long)old_id));
    assert_int_equal(bad.status, 403);
    buf_free(&bad.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM notice WHERE read_at IS NOT NULL"), 0);

    /* Another account cannot mark it. */
    Res other = post(k, "/notices/read", fmt("id=%lld", (long long)old_id));
    assert_int_equal(other.status, 422);
    buf_free(&other.raw);
    assert_true(db_int(db, 0, "SELECT read_at IS NULL FROM notice WHERE id = ?", old_id));

    Res one = post(s, "/notices/read", fmt("id=%lld", (long long)old_id));
    assert_int_equal(one.status, 303);
    assert_true(has(&one, "Location: /notices?msg=read"));
    buf_free(&one.raw);
    assert_false(db_int(db, 1, "SELECT read_at IS NULL FROM notice WHERE id = ?", old_id));
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'notice.read' AND entity_id = ?", old_id), 1);
    /* Read ones go after the unread. */
    r = req("GET", "/notices?msg=read", s->cookie, NULL);
    assert_true(has(&r, "既読にしました"));
    assert_true(has(&r, "未読1件"));
    assert_true(strstr(r.body, "新しいお知らせ") < strstr(r.body, "古いお知らせ"));
    buf_free(&r.raw);

    Res all = post(s, "/notices/read", "id=all");
    assert_int_equal(all.status, 303);
    buf_free(&all.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM notice WHERE account_id = ? AND read_at IS NULL", acc), 0);
    r = req("GET", "/notices", s->cookie, NULL);
    assert_false(has(&r, "未読1件"));
    assert_false(has(&r, "すべて既読にする"));
    buf_free(&r.raw);

    /* The empty state. */
    EXPECT(k->cookie, "/notices", 200, "お知らせはありません");
}

static void test_own_mail_settings(void **state)
{
    (void)state;
    Who *s = user("shokuin");
    int64_t acc = account_of(s);
    db_exec(db, "UPDATE account SET mail = '', mail_optional = 1 WHERE id = ?", acc);
    EXPECT(s->cookie, "/account/password", 200, "お知らせのメール", "必須でないお知らせをメールで受け取る");
    Res bad = post(s, "/account/mail", "mail=not+an+address&mail_optional=1");
    assert_int_equal(bad.status, 422);
    assert_true(has(&bad, "メールアドレスを正しく入力してください"));
    assert_true(has(&bad, "value=\"not an address\""));
    buf_free(&bad.raw);
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM account WHERE id = ? AND mail = '' AND mail_optional = 1", acc), 1);

    Res ok = post(s, "/account/mail", "mail=taro%40city.example.jp");
    assert_int_equal(ok.status, 303);
    buf_free(&ok.raw);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT mail FROM account WHERE id = ?", acc), "taro@city.example.jp");
    arena_free(&a);
    assert_int_equal(db_int(db, -1, "SELECT mail_optional FROM account WHERE id = ?", acc), 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'account.mail' AND entity_id = ?", acc), 1);
    EXPECT(s->cookie, "/account/password?msg=mail", 200, "value=\"taro@city.example.jp\"", "メールの設定を保存しました");
}

static void test_smtp_settings(void **state)
{
    (void)state;
    Who *ad = user("admin");
    const char *secret = "Zq9-secret-Pw";
    Res ok = post(ad, "/admin/settings/mail",
                  fmt("host=smtp.city.example.jp&port=587&sender=jinzai%%40city.example.jp&starttls=1&user=relay&password=%s"
                      "&base_url=https%%3A%%2F%%2Fjinzai.city.example.jp%%2F",
                      secret));
    assert_int_equal(ok.status, 303);
    buf_free(&ok.raw);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT value FROM setting WHERE key = 'smtp_host'"), "smtp.city.example.jp");
    assert_string_equal(db_text(db, &a, "SELECT value FROM setting WHERE key = 'smtp_port'"), "587");
    assert_string_equal(db_text(db, &a, "SELECT value FROM setting WHERE key = 'smtp_starttls'"), "1");
    assert_string_equal(db_text(db, &a, "SELECT value FROM setting WHERE key = 'smtp_password'"), secret);
    assert_string_equal(db_text(db, &a, "SELECT value FROM setting WHERE key = 'mail_base_url'"), "https://jinzai.city.example.jp");
    assert_int_equal(db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE summary LIKE '%' || ? || '%'", secret), 0);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM audit_log WHERE action = 'setting.set' AND summary LIKE 'smtp_password%'"), 1);
    Res page = req("GET", "/admin/settings", ad->cookie, NULL);
    assert_int_equal(page.status, 200);
    assert_false(has(&page, secret));
    assert_true(has(&page, "value=\"smtp.city.example.jp\""));
    assert_true(has(&page, "登録済みです（表示しません）"));
    buf_free(&page.raw);

    /* An empty password keeps the stored one; a bad port writes nothing. */
    ok = post(ad, "/admin/settings/mail", "host=smtp2.city.example.jp&port=25&sender=jinzai%40city.example.jp&user=&password=&base_url=");
    assert_int_equal(ok.status, 303);
    buf_free(&ok.raw);
    assert_string_equal(db_text(db, &a, "SELECT value FROM setting WHERE key = 'smtp_password'"), secret);
    assert_string_equal(db_text(db, &a, "SELECT value FROM setting WHERE key = 'smtp_starttls'"), "0");
    Res bad = post(ad, "/admin/settings/mail", "host=smtp3.city.example.jp&port=99999&sender=jinzai%40city.example.jp&password=other-secret");
    assert_int_equal(bad.status, 422);
    assert_true(has(&bad, "ポート番号を1〜65535"));
    assert_true(has(&bad, "value=\"smtp3.city.example.jp\""));
    assert_false(has(&bad, "other-secret"));
    buf_free(&bad.raw);
    assert_string_equal(db_text(db, &a, "SELECT value FROM setting WHERE key = 'smtp_host'"), "smtp2.city.example.jp");
    assert_string_equal(db_text(db, &a, "SELECT value FROM setting WHERE key = 'smtp_password'"), secret);

    /* The test mail goes to the admin's own address. */
    db_exec(db, "UPDATE account SET mail = '' WHERE login = 'admin'");
    Res none = post(ad, "/admin/settings/mail-test", "x=1");
    assert_int_equal(none.status, 422);
    buf_free(&none.raw);
    db_exec(db, "UPDATE account SET mail = 'admin@city.example.jp' WHERE login = 'admin'");
    int before = count("SELECT COUNT(*) FROM outbox");
    Res t = post(ad, "/admin/settings/mail-test", "x=1");
    assert_int_equal(t.status, 303);
    buf_free(&t.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM outbox"), before + 1);
    assert_int_equal(count("SELECT COUNT(*) FROM outbox WHERE to_addr = 'admin@city.example.jp' AND subject LIKE '%テストメール%'"), 1);
    arena_free(&a);
}

static void test_remind_assessments(void **state)
{
    (void)state;
    Who *k = user("kacho"), *s = user("shokuin");
    db_exec(db, "DELETE FROM assess_period WHERE nendo = 2026");
    db_exec(db, "INSERT INTO assess_period (nendo, opens_on, closes_on) VALUES (2026, '2026-05-01', '2027-03-31')");
    db_exec(db, "UPDATE assessment SET state = 'draft' WHERE staff_id = ? AND nendo = 2026", s->staff_id);
    db_exec(db, "UPDATE account SET mail = 'shokuin@city.example.jp' WHERE login = 'shokuin'");
    int64_t acc = account_of(s);
    Res p = req("GET", "/assess/progress?nendo=2026", k->cookie, NULL);
    assert_int_equal(p.status, 200);
    assert_true(has(&p, "選んだ人に督促する"));
    assert_true(has(&p, fmt("name=\"id\" value=\"%lld\"", (long long)s->staff_id)));
    buf_free(&p.raw);

    /* Someone the 所属長 may not see: any in-service person outside the subtree. */
    int64_t outsider = 0;
    Stmt *st = db_query(db, "SELECT s.id FROM staff s JOIN account ac ON ac.staff_id = s.id WHERE ac.active = 1 ORDER BY s.id");
    Arena a = ARENA_INIT;
    int64_t ids[200];
    int nids = 0;
    while (nids < 200 && db_step(st) == DB_ROW) ids[nids++] = db_col_int(st, 0);
    db_done(st);
    for (int i = 0; i < nids && !outsider; i++) {
        Res u = req("GET", fmt("/staff/%lld", (long long)ids[i]), k->cookie, NULL);
        if (u.status == 403) outsider = ids[i];
        buf_free(&u.raw);
    }
    assert_true(outsider > 0);
    int notices = count("SELECT COUNT(*) FROM notice"), outbox = count("SELECT COUNT(*) FROM outbox");
    Res refused = post(k, "/remind/preview", fmt("kind=assessments&nendo=2026&id=%lld", (long long)outsider));
    assert_int_equal(refused.status, 403);
    buf_free(&refused.raw);
    refused = post(k, "/remind/send", fmt("kind=assessments&nendo=2026&id=%lld&id=%lld", (long long)s->staff_id, (long long)outsider));
    assert_int_equal(refused.status, 403);
    buf_free(&refused.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM notice"), notices);
    assert_int_equal(count("SELECT COUNT(*) FROM outbox"), outbox);

    /* The preview shows who and the exact text, and queues nothing. */
    Res pv = post(k, "/remind/preview", fmt("kind=assessments&nendo=2026&back=%%2Fassess%%2Fprogress%%3Fnendo%%3D2026&id=%lld", (long long)s->staff_id));
    assert_int_equal(pv.status, 200);
    assert_true(has(&pv, s->name));
    assert_true(has(&pv, "shokuin@city.example.jp"));
    assert_true(has(&pv, "【督促】自己評価の提出をお願いします（2026年度）"));
    assert_true(has(&pv, "2026年度の自己評価がまだ提出されていません。"));
    assert_true(has(&pv, "送信する"));
    buf_free(&pv.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM notice"), notices);

    Res sent = post(k, "/remind/send", fmt("kind=assessments&nendo=2026&back=%%2Fassess%%2Fprogress%%3Fnendo%%3D2026&id=%lld", (long long)s->staff_id));
    assert_int_equal(sent.status, 303);
    assert_true(has(&sent, "Location: /assess/progress?nendo=2026&reminded=1"));
    buf_free(&sent.raw);
    assert_int_equal(db_int(db, 0, "SELECT COUNT(*) FROM notice WHERE account_id = ? AND kind = 'remind_assessments' AND read_at IS NULL", acc), 1);
    assert_int_equal(count("SELECT COUNT(*) FROM outbox WHERE to_addr = 'shokuin@city.example.jp' AND subject LIKE '%自己評価の提出%'"), 1);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'remind.send'"), 1);
    EXPECT(k->cookie, "/assess/progress?nendo=2026&reminded=1", 200, "1人に督促しました。");
    EXPECT(s->cookie, "/notices", 200, "【督促】自己評価の提出をお願いします（2026年度）", "href=\"/assess\"");
    arena_free(&a);
}

static void test_remind_approvals(void **state)
{
    (void)state;
    Who *d = user("dx");
    /* An application of someone whose 所属長 has an account, waiting for approval. */
    int64_t staff = user("shokuin")->staff_id;
    int64_t sess = db_int(db, 0, "SELECT MIN(id) FROM training_session WHERE cancelled = 0 AND id NOT IN (SELECT session_id FROM application WHERE staff_id = ?)", staff);
    db_exec(db, "INSERT INTO application (session_id, staff_id, state, applied_at, seq) VALUES (?, ?, 'applied', '2026-11-10T09:00:00', (SELECT COALESCE(MAX(seq), 0) + 1 FROM application))", sess, staff);
    int64_t app = db_int(db, 0, "SELECT id FROM application WHERE session_id = ? AND staff_id = ?", sess, staff);
    assert_true(app > 0);
    EXPECT(d->cookie, "/training/approvals", 200, "form=\"remind-approvals\"", "選んだ人に督促する");
    Res pv = post(d, "/remind/preview", fmt("kind=approvals&id=%lld", (long long)app));
    assert_int_equal(pv.status, 200);
    if (!has(&pv, "【督促】研修申込の承認をお願いします")) fail_msg("%.3000s", pv.body);
    assert_true(has(&pv, user("kacho")->name));
    buf_free(&pv.raw);
    int before = count("SELECT COUNT(*) FROM notice WHERE kind = 'remind_approvals'");
    Res sent = post(d, "/remind/send", fmt("kind=approvals&back=%%2Ftraining%%2Fapprovals&id=%lld", (long long)app));
    assert_int_equal(sent.status, 303);
    assert_true(has(&sent, "Location: /training/approvals?reminded="));
    buf_free(&sent.raw);
    assert_true(count("SELECT COUNT(*) FROM notice WHERE kind = 'remind_approvals'") > before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_notice_list_and_read), cmocka_unit_test(test_own_mail_settings), cmocka_unit_test(test_smtp_settings),
        cmocka_unit_test(test_remind_assessments),   cmocka_unit_test(test_remind_approvals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
