/* test_import.c - request-level tests of the roster import (名簿の取込: a
 * CP932 file with 髙 﨑 and half-width kana, errors by line, dry run, apply,
 * a repeated import), the records import (資格・自己評価・研修受講: the same
 * flow per kind), the export page (CSV in UTF-8 and CP932, Excel, a
 * character CP932 cannot hold) and the 開示請求 workbook.
 *
 * Requests go through http_answer_raw, the same path as `jinzai
 * test-request`, against a fresh demo database. The tests run in order and
 * build on each other (the roster applied first is exported later). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "core/util.h"
#include "db/migrate.h"
#include "domain/course.h"
#include "demo/demo.h"
#include "domain/export.h"
#include "domain/records.h"
#include "domain/skill.h"
#include "domain/staff.h"
#include "app/router.h"
#include "io/encoding.h"
#include "io/text.h"

#include "harness.h"

#define AS_OF "2026-10-01"
#define BD "jinzaiImportBoundary"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "jinji"}, {.login = "dx"}};

HARNESS_SETUP("import", users)

static void part(Buf *b, const char *name, const char *value)
{
    buf_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", BD, name, value);
}

/* Posts a file (any bytes) as "file" to path, after the csrf token and the
 * name/value pairs of fields (NULL-terminated). */
static Res post_file(Who *w, const char *path, const char *const *fields, const Buf *file)
{
    Buf body = BUF_INIT;
    part(&body, "csrf", w->csrf);
    for (; *fields; fields += 2) part(&body, fields[0], fields[1]);
    buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.csv\"\r\nContent-Type: text/csv\r\n\r\n", BD);
    buf_append(&body, file->data, file->len);
    buf_printf(&body, "\r\n--%s--\r\n", BD);
    Res r = send_raw("POST", path, w->cookie, "multipart/form-data; boundary=" BD, body.data, body.len);
    buf_free(&body);
    return r;
}

/* Posts a roster file to /import/preview with the profile given. */
static Res upload(Who *w, const Buf *file, const char *profile)
{
    return post_file(w, "/import/preview", (const char *const[]){"profile", profile, "as_of", AS_OF, NULL}, file);
}

/* Appends UTF-8 text converted to CP932. */
static void cp(Buf *b, const char *utf8)
{
    assert_int_equal(utf8_to_cp932(utf8, strlen(utf8), b, NULL, 0, NULL), 0);
}

#define KAKI "\xFB\xFC"   /* 髙 in CP932 (IBM extension) */
#define SAKI "\xFA\xB1"   /* 﨑 in CP932 (IBM extension) */
#define HW_KANA "\xB6\xC5" /* ｶﾅ in half-width kana */

/* An active person, their unit, and another 係 to move them to. */
typedef struct Mover {
    char staff_no[32], name[128], kana[128], post[64], job[64], emp[32];
    int64_t staff_id, to_unit;
    char to_code[32];
} Mover;

static void find_mover(Mover *m)
{
    Stmt *st = db_query(db,
                        "SELECT s.id, s.staff_no, s.name, s.kana, s.post, s.job_type, s.emp_type, a.unit_id FROM staff s"
                        " JOIN assignment a ON a.staff_id = s.id AND a.is_primary = 1 AND a.to_date IS NULL"
                        " WHERE s.emp_type = 'regular' ORDER BY s.staff_no LIMIT 1");
    assert_int_equal(db_step(st), DB_ROW);
    m->staff_id = db_col_int(st, 0);
    snprintf(m->staff_no, sizeof m->staff_no, "%s", db_col_text(st, 1));
    snprintf(m->name, sizeof m->name, "%s", db_col_text(st, 2));
    snprintf(m->kana, sizeof m->kana, "%s", db_col_text(st, 3));
    snprintf(m->post, sizeof m->post, "%s", db_col_text(st, 4));
    snprintf(m->job, sizeof m->job, "%s", db_col_text(st, 5));
    snprintf(m->emp, sizeof m->emp, "%s", db_col_text(st, 6));
    int64_t from = db_col_int(st, 7);
    db_done(st);
    m->to_unit = db_int(db, 0, "SELECT MIN(id) FROM org_unit WHERE level = 4 AND valid_to IS NULL AND id <> ?", from);
    Arena a = ARENA_INIT;
    snprintf(m->to_code, sizeof m->to_code, "%s", db_text(db, &a, "SELECT code FROM org_unit WHERE id = ?", m->to_unit));
    arena_free(&a);
}

/* The roster in CP932: two new people (髙橋　﨑子 with half-width kana, and
 * 山﨑　ｶﾅ's kana) and the mover in another 係. broken adds three bad rows. */
static void cp932_roster(Buf *b, const Mover *m, bool broken)
{
    cp(b, "職員番号,漢字氏名,カナ氏名,所属コード,職位,職種,職員区分,異動年月日,採用日\r\n");
    cp(b, "T90001,");
    buf_puts(b, KAKI);
    cp(b, "橋　");
    buf_puts(b, SAKI);
    cp(b, "子,");
    buf_puts(b, "\xC0\xB6\xCA\xBC \xBB\xB7\xBA"); /* ﾀｶﾊｼ ｻｷｺ */
    cp(b, ",1-01-01-1,主事,一般行政,正規,,2026/10/1\r\n");
    if (broken) {
        cp(b, "T90003,大分　一郎,,9-99-99-9,主事,一般行政,正規,,\r\n");             /* line 3: no such unit */
        cp(b, "T90004,大分　二郎,,1-01-01-1,主事,一般行政,正規,2026-13-45,\r\n");    /* line 4: no such date */
        cp(b, "T90001,大分　三郎,,1-01-01-1,主事,一般行政,正規,,\r\n");              /* line 5: same number as line 2 */
    }
    cp(b, "T90002,山");
    buf_puts(b, SAKI);
    cp(b, "　花,ﾔﾏｻｷ ");
    buf_puts(b, HW_KANA);
    cp(b, ",1-01-01-2,主任,一般行政,会計年度任用,,\r\n");
    Buf line = BUF_INIT;
    buf_printf(&line, "%s,%s,%s,%s,%s,%s,%s,%s,\r\n", m->staff_no, m->name, m->kana, m->to_code, m->post, m->job, emp_type_name(m->emp), AS_OF);
    cp(b, buf_cstr(&line));
    buf_free(&line);
}

static void test_roles(void **state)
{
    (void)state;
    static const struct {
        const char *who, *path;
        int status;
    } cases[] = {
        {"shokuin", "/import", 403},         {"kacho", "/import", 403},
        {"dx", "/import", 200},              {"jinji", "/import", 200},
        {"shokuin", "/export", 403},         {"kacho", "/export", 200},
        {"kacho", "/export/staff?format=csv", 403}, {"kacho", "/export/assessments?format=xlsx", 403},
        {"kacho", "/export/skills?format=csv", 200}, {"jinji", "/export/nothing?format=csv", 404},
        {"jinji", "/export/staff", 404},     {"kacho", "/staff/1/disclosure", 403},
        {"dx", "/staff/1/disclosure", 403},  {"jinji", "/staff/999999/disclosure", 404},
    };
    for (size_t i = 0; i < COUNTOF(cases); i++) {
        Res r = req("GET", cases[i].path, user(cases[i].who)->cookie, NULL);
        if (r.status != cases[i].status) fail_msg("%s %s: %d, want %d", cases[i].who, cases[i].path, r.status, cases[i].status);
        buf_free(&r.raw);
    }
    Res page = req("GET", "/import", user("jinji")->cookie, NULL);
    assert_true(has(&page, "enctype=\"multipart/form-data\""));
    assert_true(has(&page, "data-progress"));
    assert_true(has(&page, "UTF-8・BOM付きUTF-8・CP932を自動判別"));
    assert_true(has(&page, "漢字氏名"));
    assert_true(has(&page, "名簿にない在職職員を無効にする"));
    assert_true(has(&page, "action=\"/import/profile\""));
    assert_true(has(&page, "資格・自己評価・研修受講の取込"));
    assert_true(has(&page, "action=\"/import/records/preview\""));
    buf_free(&page.raw);
    /* DX推進 sees only the records section. */
    Res dx = req("GET", "/import", user("dx")->cookie, NULL);
    assert_true(has(&dx, "action=\"/import/records/preview\""));
    assert_true(has(&dx, "<option value=\"completions\">研修受講</option>"));
    assert_false(has(&dx, "action=\"/import/preview\""));
    assert_false(has(&dx, "action=\"/import/profile\""));
    buf_free(&dx.raw);
    /* A 所属長 sees the page without links to lists of people. */
    Res kacho = req("GET", "/export", user("kacho")->cookie, NULL);
    assert_false(has(&kacho, "/export/staff?"));
    assert_true(has(&kacho, "/export/skills?format=csv&amp;encoding=cp932"));
    buf_free(&kacho.raw);
}

static void test_broken_roster(void **state)
{
    (void)state;
    Mover m;
    find_mover(&m);
    Buf file = BUF_INIT;
    cp932_roster(&file, &m, true);
    int staff = count("SELECT COUNT(*) FROM staff"), audits = count("SELECT COUNT(*) FROM audit_log");
    Res r = upload(user("jinji"), &file, "標準");
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "何も変更していません。"));
    assert_true(has(&r, "3行目「所属コード」：所属コード「9-99-99-9」の組織"));
    assert_true(has(&r, "4行目「異動年月日」：「2026-13-45」は日付として読めません。2026-04-01、2026/4/1、令和8年4月1日 の形で入力してください。"));
    assert_true(has(&r, "5行目「職員番号」：「T90001」が2行目と重複しています。"));
    assert_int_equal(count("SELECT COUNT(*) FROM staff"), staff);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    buf_free(&r.raw);
    buf_free(&file);
    /* No file at all, and a date that is not one. */
    Buf empty = BUF_INIT;
    Res none = upload(user("jinji"), &empty, "標準");
    assert_int_equal(none.status, 422);
    assert_true(has(&none, "名簿のCSVファイルを選んでください。"));
    buf_free(&none.raw);
    buf_puts(&empty, "a\r\n");
    Res unknown = upload(user("jinji"), &empty, "ない設定");
    assert_int_equal(unknown.status, 422);
    assert_true(has(&unknown, "取込設定「ない設定」は見つかりません。"));
    buf_free(&unknown.raw);
    buf_free(&empty);
}

/* Appends &name= and the HTML text p..end unescaped and urlencoded. */
static void form_value(Buf *out, const char *name, const char *p, const char *end)
{
    static const struct {
        const char *ent, ch;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    buf_printf(out, "&%s=", name);
    while (p < end) {
        unsigned char c = (unsigned char)*p++;
        for (size_t i = 0; i < COUNTOF(ents) && c == '&'; i++)
            if (strncmp(p - 1, ents[i].ent, strlen(ents[i].ent)) == 0) c = (unsigned char)ents[i].ch, p += strlen(ents[i].ent) - 1;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) buf_putc(out, (char)c);
        else buf_printf(out, "%%%02X", c);
    }
}

static const char *const roster_hidden[] = {"profile", "as_of", "encoding", "retire_missing", NULL};
static const char *const records_hidden[] = {"kind", "encoding", NULL};

/* The apply form (at action, with the hidden fields named) of a preview as
 * a urlencoded body: its hidden fields and the file text of its hidden
 * textarea, as a browser sends them. */
static void form_body(const Res *preview, const char *csrf, const char *action, const char *const *hidden, Buf *out)
{
    buf_printf(out, "csrf=%s", csrf);
    char at[64];
    snprintf(at, sizeof at, "action=\"%s\"", action);
    const char *form = strstr(preview->body, at);
    assert_non_null(form);
    for (size_t i = 0; hidden[i]; i++) {
        char key[64];
        snprintf(key, sizeof key, "name=\"%s\" value=\"", hidden[i]);
        const char *v = strstr(form, key);
        assert_non_null(v);
        v += strlen(key);
        form_value(out, hidden[i], v, strchr(v, '"'));
    }
    const char *p = strstr(form, "<textarea name=\"csv\"");
    assert_non_null(p);
    p = strchr(p, '>') + 2; /* the newline after the tag is not content */
    const char *end = strstr(p, "</textarea>");
    assert_non_null(end);
    form_value(out, "csv", p, end);
}

static void apply_body(const Res *preview, const char *csrf, Buf *out) { form_body(preview, csrf, "/import/apply", roster_hidden, out); }

static void test_preview_and_apply(void **state)
{
    (void)state;
    Who *hr = user("jinji");
    Mover m;
    find_mover(&m);
    Buf file = BUF_INIT;
    cp932_roster(&file, &m, false);
    int staff = count("SELECT COUNT(*) FROM staff"), audits = count("SELECT COUNT(*) FROM audit_log");
    Res pre = upload(hr, &file, "標準");
    assert_int_equal(pre.status, 200);
    assert_true(has(&pre, "CP932（Shift_JIS）"));
    assert_true(has(&pre, "この画面ではまだ何も変更していません。"));
    assert_true(has(&pre, "<h2>新規（2人）</h2>"));
    assert_true(has(&pre, "<h2>異動（1人）</h2>"));
    assert_true(has(&pre, "髙橋　﨑子"));
    assert_true(has(&pre, "<h2>名簿になし（"));
    assert_true(has(&pre, "action=\"/import/apply\""));
    assert_int_equal(count("SELECT COUNT(*) FROM staff"), staff);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    /* Applying sends the previewed text back. */
    Buf body = BUF_INIT;
    apply_body(&pre, hr->csrf, &body);
    Res ok = req("POST", "/import/apply", hr->cookie, buf_cstr(&body));
    assert_int_equal(ok.status, 303);
    assert_true(has(&ok, "Location: /import?msg=imported&written=3"));
    assert_int_equal(count("SELECT COUNT(*) FROM staff"), staff + 2);
    assert_true(count("SELECT COUNT(*) FROM audit_log") > audits);
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'import.staff' AND summary LIKE '%CP932%'"));
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT name FROM staff WHERE staff_no = 'T90001'"), "髙橋　﨑子");
    assert_string_equal(db_text(db, &a, "SELECT kana FROM staff WHERE staff_no = 'T90001'"), "タカハシ　サキコ");
    assert_string_equal(db_text(db, &a, "SELECT kana FROM staff WHERE staff_no = 'T90002'"), "ヤマサキ　カナ");
    assert_string_equal(db_text(db, &a, "SELECT emp_type FROM staff WHERE staff_no = 'T90002'"), "fiscal_year");
    arena_free(&a);
    assert_int_equal(db_int(db, 0, "SELECT unit_id FROM assignment WHERE staff_id = ? AND is_primary = 1 AND to_date IS NULL", m.staff_id),
                     m.to_unit);
    Res done = req("GET", "/import?msg=imported&written=3", hr->cookie, NULL);
    assert_true(has(&done, "3人を更新しました。"));
    buf_free(&done.raw);
    /* The same file again changes nothing. */
    Res again = upload(hr, &file, "標準");
    assert_int_equal(again.status, 200);
    assert_true(has(&again, "反映する変更はありません"));
    audits = count("SELECT COUNT(*) FROM audit_log");
    Res twice = req("POST", "/import/apply", hr->cookie, buf_cstr(&body));
    assert_int_equal(twice.status, 303);
    assert_true(has(&twice, "Location: /import?msg=imported&written=0"));
    assert_int_equal(count("SELECT COUNT(*) FROM staff"), staff + 2);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    Res none = req("GET", "/import?msg=imported&written=0", hr->cookie, NULL);
    assert_true(has(&none, "変更はありませんでした（同じ内容の名簿です）。"));
    buf_free(&none.raw);
    /* Apply without a roster, or with one that has become wrong. */
    char bad[200];
    snprintf(bad, sizeof bad, "csrf=%s&as_of=" AS_OF "&csv=", hr->csrf);
    Res empty = req("POST", "/import/apply", hr->cookie, bad);
    assert_int_equal(empty.status, 422);
    assert_true(has(&empty, "取り込む名簿がありません。"));
    buf_free(&empty.raw);
    buf_free(&pre.raw);
    buf_free(&ok.raw);
    buf_free(&again.raw);
    buf_free(&twice.raw);
    buf_free(&body);
    buf_free(&file);
}

static void test_profile(void **state)
{
    (void)state;
    Who *hr = user("jinji");
    char body[600];
    /* 職員コード / 氏名 / 所属CD (urlencoded). */
    snprintf(body, sizeof body,
             "csrf=%s&profile_name=%%E7%%B5%%A6%%E4%%B8%%8EA&staff_no=%%E8%%81%%B7%%E5%%93%%A1%%E3%%82%%B3%%E3%%83%%BC%%E3%%83%%89"
             "&name=%%E6%%B0%%8F%%E5%%90%%8D&kana=&unit=%%E6%%89%%80%%E5%%B1%%9ECD&post=&job=&emp=&moved=&hired=",
             hr->csrf);
    Res ok = req("POST", "/import/profile", hr->cookie, body);
    assert_int_equal(ok.status, 303);
    assert_true(has(&ok, "Location: /import?msg=saved&profile=%E7%B5%A6%E4%B8%8EA#profile"));
    buf_free(&ok.raw);
    Res page = req("GET", "/import?profile=%E7%B5%A6%E4%B8%8EA", hr->cookie, NULL);
    assert_true(has(&page, "<option value=\"給与A\" selected>"));
    assert_true(has(&page, "value=\"職員コード\""));
    buf_free(&page.raw);
    /* A file with those headers reads with the profile, not without it. */
    Buf file = BUF_INIT;
    buf_puts(&file, "\xEF\xBB\xBF職員コード,氏名,所属CD\r\nT90001,髙橋　﨑子,1-01-01-1\r\n");
    Res pre = upload(hr, &file, "給与A");
    assert_int_equal(pre.status, 200);
    assert_true(has(&pre, "UTF-8（BOM付き）"));
    assert_true(has(&pre, "<h2>変更なし（1人）</h2>"));
    buf_free(&pre.raw);
    Res std = upload(hr, &file, "標準");
    assert_int_equal(std.status, 422);
    assert_true(has(&std, "見出し「職員番号」"));
    buf_free(&std.raw);
    buf_free(&file);
    /* Required headers, and the built-in name. */
    snprintf(body, sizeof body, "csrf=%s&profile=x&profile_name=%%E6%%A8%%99%%E6%%BA%%96&staff_no=&name=a&unit=b", hr->csrf);
    Res bad = req("POST", "/import/profile", hr->cookie, body);
    assert_int_equal(bad.status, 422);
    assert_true(has(&bad, "「標準」は組み込みの設定の名前です。"));
    buf_free(&bad.raw);
    snprintf(body, sizeof body, "csrf=%s&profile_name=B&staff_no=&name=a&unit=b", hr->csrf);
    Res missing = req("POST", "/import/profile", hr->cookie, body);
    assert_int_equal(missing.status, 422);
    assert_true(has(&missing, "職員番号・氏名・所属コードの見出しは必須です。"));
    buf_free(&missing.raw);
}

static void test_export(void **state)
{
    (void)state;
    Who *hr = user("jinji");
    int audits = count("SELECT COUNT(*) FROM audit_log WHERE action = 'export.staff'");
    Res page = req("GET", "/export", hr->cookie, NULL);
    assert_int_equal(page.status, 200);
    assert_true(has(&page, "/export/staff?format=csv&amp;encoding=cp932&amp;nendo=2026"));
    assert_true(has(&page, "/export/training?format=xlsx&amp;nendo=2026"));
    assert_true(has(&page, "〜（波ダッシュ）は ～、−（マイナス）は －")); /* CP932 changes nothing unsaid */
    buf_free(&page.raw);
    /* CP932: 髙 and 﨑 (IBM extensions) are fine. */
    Res sj = req("GET", "/export/staff?format=csv&encoding=cp932&nendo=2026", hr->cookie, NULL);
    assert_int_equal(sj.status, 200);
    assert_true(has(&sj, "charset=Shift_JIS"));
    assert_true(has(&sj, "Content-Disposition: attachment"));
    assert_non_null(memmem(sj.raw.data, sj.raw.len, KAKI, 2));
    assert_non_null(memmem(sj.raw.data, sj.raw.len, "\x90\x45\x88\xf5\x94\xd4\x8d\x86", 8)); /* 職員番号 */
    buf_free(&sj.raw);
    Res utf = req("GET", "/export/staff?format=csv&nendo=2026", hr->cookie, NULL);
    assert_int_equal(utf.status, 200);
    assert_true(strncmp(utf.body, "\xEF\xBB\xBF職員番号", 15) == 0);
    assert_true(has(&utf, "髙橋　﨑子"));
    buf_free(&utf.raw);
    Res x = req("GET", "/export/staff?format=xlsx&nendo=2026", hr->cookie, NULL);
    assert_int_equal(x.status, 200);
    assert_true(strncmp(x.body, "PK", 2) == 0);
    buf_free(&x.raw);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'export.staff'"), audits + 3);
    /* 𠮷 (outside CP932) comes in through a UTF-8 roster; CP932 then fails,
     * naming the row and column, and nothing is sent. */
    Buf file = BUF_INIT;
    buf_puts(&file, "職員番号,漢字氏名,所属コード\nT90009,𠮷田　太郎,1-01-01-3\n");
    Res pre = upload(hr, &file, "標準");
    assert_int_equal(pre.status, 200);
    Buf body = BUF_INIT;
    apply_body(&pre, hr->csrf, &body);
    Res ok = req("POST", "/import/apply", hr->cookie, buf_cstr(&body));
    assert_int_equal(ok.status, 303);
    Arena a = ARENA_INIT;
    char today[11];
    date_iso(date_today(), today);
    Table t;
    assert_int_equal(export_table(db, &a, "staff", 2026, today, &t), 0);
    int row = 0;
    for (int i = 0; i < t.ncells && !row; i += t.ncols)
        if (str_eq(t.cells[i].text, "T90009")) row = i / t.ncols + 2; /* the header is line 1 */
    assert_true(row > 0);
    char want[160];
    snprintf(want, sizeof want, "%d行目「漢字氏名」列：「𠮷」", row);
    Res no = req("GET", "/export/staff?format=csv&encoding=cp932&nendo=2026", hr->cookie, NULL);
    assert_int_equal(no.status, 422);
    assert_true(has(&no, want));
    assert_true(has(&no, "何も出力していません。"));
    assert_true(has(&no, "CSV（UTF-8）で出力"));
    assert_false(has(&no, "Content-Disposition"));
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'export.staff'"), audits + 3);
    arena_free(&a);
    buf_free(&no.raw);
    buf_free(&pre.raw);
    buf_free(&ok.raw);
    buf_free(&body);
    buf_free(&file);
}

static void test_disclosure(void **state)
{
    (void)state;
    int64_t id = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = 'T90001'");
    int audits = count("SELECT COUNT(*) FROM audit_log WHERE action = 'disclosure.export'");
    char path[64];
    snprintf(path, sizeof path, "/staff/%lld/disclosure", (long long)id);
    Res r = req("GET", path, user("jinji")->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(strncmp(r.body, "PK", 2) == 0);
    assert_true(has(&r, "spreadsheetml"));
    assert_true(has(&r, "filename*=UTF-8''%E9%96%8B%E7%A4%BA%E8%AB%8B%E6%B1%82_T90001.xlsx"));
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'disclosure.export'"), audits + 1);
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'disclosure.export' AND subject_staff_id = ? AND summary = '開示請求の出力'", id));
    buf_free(&r.raw);

    /* The workbook of someone with a login who has acted: applications, key
     * system duties, the account (no password hash) and what they did. */
    int64_t who = db_int(db, 0, "SELECT staff_id FROM account WHERE login = 'jinji'");
    assert_true(who > 0);
    int64_t sys = db_int(db, 0, "SELECT id FROM key_system ORDER BY id LIMIT 1");
    assert_true(sys > 0);
    db_exec(db, "INSERT INTO key_system_duty (system_id, staff_id, role, from_date) VALUES (?, ?, 'backup', '2025-04-01')", sys, who);
    int64_t session = db_int(db, 0, "SELECT id FROM training_session ORDER BY id LIMIT 1");
    db_exec(db, "INSERT INTO application (session_id, staff_id, state, seq, applied_at) VALUES (?, ?, 'waitlisted', 999, '2026-05-01T10:00:00')"
                " ON CONFLICT (session_id, staff_id) DO NOTHING",
            session, who);
    Arena a = ARENA_INIT;
    Table ts[EXPORT_PERSON_TABLES];
    assert_int_equal(export_person(db, &a, who, ts, EXPORT_PERSON_TABLES), EXPORT_PERSON_TABLES);
    assert_string_equal(ts[8].title, "研修の申込");
    assert_true(table_rows(&ts[8]) >= 1);
    assert_string_equal(ts[9].title, "重要システムの担当");
    bool backup = false;
    for (int i = 0; i < ts[9].ncells; i += ts[9].ncols) backup |= str_eq(ts[9].cells[i + 1].text, "副担当") && ts[9].cells[i + 2].date;
    assert_true(backup);
    assert_string_equal(ts[10].title, "ログインアカウント");
    assert_int_equal(table_rows(&ts[10]), 1);
    assert_string_equal(ts[10].cells[0].text, "jinji");
    assert_non_null(strstr(ts[10].cells[1].text, "人事"));
    for (int c = 0; c < ts[10].ncols; c++) assert_null(strstr(ts[10].head[c], "パスワード"));
    for (int i = 0; i < ts[10].ncells; i++) assert_null(strstr(ts[10].cells[i].text, "$argon2"));
    assert_string_equal(ts[11].title, "本人が行った操作");
    int acted = (int)db_int(db, 0, "SELECT COUNT(*) FROM audit_log l JOIN account c ON c.id = l.account_id WHERE c.staff_id = ?", who);
    assert_true(acted > 0);
    assert_int_equal(table_rows(&ts[11]), acted);
    assert_true(ts[11].cells[0].date);
    /* Coded columns in words: 実施主体 of the 研修 sheet, the state of an application. */
    for (int i = 0; i < ts[5].ncells; i += ts[5].ncols) assert_true(strspn(ts[5].cells[i + 5].text, "abcdefghijklmnopqrstuvwxyz_") == 0);
    bool waiting = false;
    for (int i = 0; i < ts[8].ncells; i += ts[8].ncols) waiting |= str_eq(ts[8].cells[i + 3].text, "キャンセル待ち");
    assert_true(waiting);
    arena_free(&a);
}

/* ---- 資格・自己評価・研修受講 ---- */

/* The first active person's staff number, into no. */
static void someone(char no[32])
{
    Arena a = ARENA_INIT;
    snprintf(no, 32, "%s", db_text(db, &a, "SELECT s.staff_no FROM staff s JOIN assignment a ON a.staff_id = s.id AND a.is_primary = 1"
                                                 " AND a.to_date IS NULL ORDER BY s.staff_no LIMIT 1"));
    arena_free(&a);
}

/* One records import through HTTP: a bad file is refused (422, nothing
 * written), the good one is previewed and applied (303, `written` rows, the
 * rows counted by `rows_sql` grow) and the same file again writes nothing. */
static void records_round(Who *w, const char *kind, const Buf *bad, const char *bad_msg, const Buf *good, int written, const char *rows_sql)
{
    const char *const fields[] = {"kind", kind, NULL};
    char action[64], loc[128];
    snprintf(action, sizeof action, "import.%s", kind);
    int rows = count(rows_sql), audits = count("SELECT COUNT(*) FROM audit_log");
    Res no = post_file(w, "/import/records/preview", fields, bad);
    assert_int_equal(no.status, 422);
    assert_true(has(&no, "記録を取り込めませんでした"));
    assert_true(has(&no, "何も変更していません。"));
    if (!has(&no, bad_msg)) fail_msg("no \"%s\" in %s", bad_msg, no.body);
    assert_true(has(&no, "<option value=\"") && has(&no, "selected>"));
    assert_int_equal(count(rows_sql), rows);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    Res pre = post_file(w, "/import/records/preview", fields, good);
    assert_int_equal(pre.status, 200);
    assert_true(has(&pre, "この画面ではまだ何も変更していません。"));
    assert_true(has(&pre, "<h2>新規（"));
    assert_int_equal(count(rows_sql), rows);
    Buf body = BUF_INIT;
    form_body(&pre, w->csrf, "/import/records/apply", records_hidden, &body);
    Res ok = req("POST", "/import/records/apply", w->cookie, buf_cstr(&body));
    assert_int_equal(ok.status, 303);
    snprintf(loc, sizeof loc, "Location: /import?msg=records&kind=%s&written=%d#records", kind, written);
    assert_true(has(&ok, loc));
    assert_true(count(rows_sql) > rows);
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = ?", action));
    /* The same file again: nothing to apply, and applying writes nothing. */
    Res again = post_file(w, "/import/records/preview", fields, good);
    assert_int_equal(again.status, 200);
    assert_true(has(&again, "反映する変更はありません"));
    assert_true(has(&again, "<h2>変更なし（"));
    rows = count(rows_sql);
    audits = count("SELECT COUNT(*) FROM audit_log");
    Res twice = req("POST", "/import/records/apply", w->cookie, buf_cstr(&body));
    assert_int_equal(twice.status, 303);
    snprintf(loc, sizeof loc, "Location: /import?msg=records&kind=%s&written=0#records", kind);
    assert_true(has(&twice, loc));
    assert_int_equal(count(rows_sql), rows);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    char path[96];
    snprintf(path, sizeof path, "/import?msg=records&kind=%s&written=0", kind);
    Res done = req("GET", path, w->cookie, NULL);
    assert_true(has(&done, "変更はありませんでした"));
    buf_free(&done.raw);
    buf_free(&no.raw);
    buf_free(&pre.raw);
    buf_free(&ok.raw);
    buf_free(&again.raw);
    buf_free(&twice.raw);
    buf_free(&body);
}

/* 資格 in CP932, by 人事. */
static void test_records_quals(void **state)
{
    (void)state;
    char no[32];
    someone(no);
    Buf bad = BUF_INIT, good = BUF_INIT, line = BUF_INIT;
    buf_printf(&bad, "職員番号,資格コード,取得日,有効期限,備考\r\n%s,ZZ,2025-10-01,,\r\n", no);
    cp(&good, "職員番号,資格名,取得日,有効期限,備考\r\n");
    buf_printf(&line, "%s,基本情報技術者,令和7年10月2日,,\r\n%s,SC,2025-10-02,2027-10-01,", no, no);
    cp(&good, buf_cstr(&line));
    buf_puts(&good, KAKI SAKI "\r\n");
    records_round(user("jinji"), "quals", &bad, "2行目「資格コード」：「ZZ」は資格の一覧にありません。", &good, 2,
                  "SELECT COUNT(*) FROM staff_qualification");
    assert_true(db_exists(db, "SELECT 1 FROM staff_qualification q JOIN staff s ON s.id = q.staff_id WHERE s.staff_no = ? AND q.qual_code = 'SC'"
                              " AND q.acquired_on = '2025-10-02' AND q.expires_on = '2027-10-01' AND q.note = '髙﨑'", no));
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'import.quals' AND summary LIKE '%CP932%'"));
    buf_free(&bad);
    buf_free(&good);
    buf_free(&line);
}

/* 自己評価 of a 年度 without any, by DX推進: confirmed, as every line has 上司確認. */
static void test_records_assessments(void **state)
{
    (void)state;
    char no[32];
    someone(no);
    Buf bad = BUF_INIT, good = BUF_INIT;
    buf_printf(&bad, "職員番号,年度,項目コード,自己評価,上司確認,コメント,根拠\r\n%s,2020,X-NONE,2,,,\r\n", no);
    buf_printf(&good, "職員番号,年度,項目コード,自己評価,上司確認,コメント,根拠\r\n%s,令和2年度,L-MIND-01,2,2,,\r\n%s,2020,L-MIND-02,1,2,,研修\r\n", no, no);
    records_round(user("dx"), "assessments", &bad, "2行目「項目コード」：項目コード「X-NONE」はスキルマップにありません。", &good, 2,
                  "SELECT COUNT(*) FROM assessment_item");
    assert_true(db_exists(db, "SELECT 1 FROM assessment x JOIN staff s ON s.id = x.staff_id WHERE s.staff_no = ? AND x.nendo = 2020"
                              " AND x.state = 'confirmed' AND x.confirmed_by = (SELECT id FROM account WHERE login = 'dx')", no));
    buf_free(&bad);
    buf_free(&good);
}

/* 研修受講 of a session the person has no record of, by 人事. */
static void test_records_completions(void **state)
{
    (void)state;
    char no[32], course[32], day[16];
    someone(no);
    Stmt *st = db_query(db,
                        "SELECT c.code, substr(s.starts_at, 1, 10) FROM training_session s JOIN course c ON c.id = s.course_id WHERE s.cancelled = 0"
                        " AND NOT EXISTS (SELECT 1 FROM training_session t WHERE t.course_id = s.course_id AND t.id <> s.id AND t.cancelled = 0"
                        "  AND substr(t.starts_at, 1, 10) = substr(s.starts_at, 1, 10))"
                        " AND NOT EXISTS (SELECT 1 FROM completion x JOIN staff p ON p.id = x.staff_id WHERE x.session_id = s.id AND p.staff_no = ?)"
                        " ORDER BY s.id LIMIT 1",
                        no);
    assert_int_equal(db_step(st), DB_ROW);
    snprintf(course, sizeof course, "%s", db_col_text(st, 0));
    snprintf(day, sizeof day, "%s", db_col_text(st, 1));
    db_done(st);
    Buf bad = BUF_INIT, good = BUF_INIT;
    buf_printf(&bad, "職員番号,研修コード,開催日,出欠,点数,復命書提出日\r\n%s,%s,2001-01-01,出席,,\r\n", no, course);
    buf_printf(&good, "職員番号,研修コード,開催日,出欠,点数,復命書提出日\r\n%s,%s,%s,出席,85,\r\n", no, course, day);
    records_round(user("jinji"), "completions", &bad, "2行目「開催日」：この研修の2001-01-01に始まる日程はありません。", &good, 1,
                  "SELECT COUNT(*) FROM completion");
    assert_true(db_exists(db, "SELECT 1 FROM completion x JOIN staff p ON p.id = x.staff_id WHERE p.staff_no = ? AND x.attended = 1 AND x.score = 85",
                          no));
    buf_free(&bad);
    buf_free(&good);
}

/* A roster as Excel saves it: the sheet's width in trailing commas, rows of
 * commas below the data, a date with a time, a 職員番号 in lower case. */
static void test_excel_roster(void **state)
{
    (void)state;
    Who *hr = user("jinji");
    Buf file = BUF_INIT;
    buf_puts(&file, "職員番号,漢字氏名,カナ氏名,所属コード,職位,職種,職員区分,異動年月日,採用日,,,\r\n"
                    "t90071,大分　七郎,,1-01-01-3,,,,,2026/4/1 0:00,,,\r\n"
                    ",,,,,,,,,,,\r\n,,,,,,,,,,,\r\n");
    int staff = count("SELECT COUNT(*) FROM staff");
    Res pre = upload(hr, &file, "標準");
    assert_int_equal(pre.status, 200);
    assert_true(has(&pre, "<h2>新規（1人）</h2>"));
    assert_true(has(&pre, "T90071"));
    Buf body = BUF_INIT;
    apply_body(&pre, hr->csrf, &body);
    Res ok = req("POST", "/import/apply", hr->cookie, buf_cstr(&body));
    assert_int_equal(ok.status, 303);
    assert_int_equal(count("SELECT COUNT(*) FROM staff"), staff + 1);
    Arena a = ARENA_INIT;
    int64_t id = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = 'T90071'");
    assert_true(id > 0);
    assert_string_equal(db_text(db, &a, "SELECT MIN(from_date) FROM assignment WHERE staff_id = ?", id), "2026-04-01");
    /* The same person in upper case, blank カナ: nothing to change, nothing audited. */
    Buf again = BUF_INIT;
    buf_puts(&again, "職員番号,漢字氏名,カナ氏名,所属コード\r\nT90071,大分　七郎,,1-01-01-3\r\n");
    db_exec(db, "UPDATE staff SET kana = 'オオイタ　シチロウ' WHERE id = ?", id);
    int audits = count("SELECT COUNT(*) FROM audit_log");
    Res same = upload(hr, &again, "標準");
    assert_int_equal(same.status, 200);
    assert_true(has(&same, "反映する変更はありません"));
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    assert_string_equal(db_text(db, &a, "SELECT kana FROM staff WHERE id = ?", id), "オオイタ　シチロウ");
    /* 高橋 finds 髙橋 (imported earlier from CP932). */
    Res found = req("GET", "/staff?q=%E9%AB%98%E6%A9%8B", hr->cookie, NULL);
    assert_int_equal(found.status, 200);
    assert_true(has(&found, "髙橋　﨑子"));
    /* An xlsx sent as the roster gets told how to save it as CSV. */
    Buf x = BUF_INIT;
    buf_append(&x, "PK\x03\x04\x14\0\x06\0rest", 12);
    Res wb = upload(hr, &x, "標準");
    assert_int_equal(wb.status, 422);
    assert_true(has(&wb, "Excelのブック（.xlsx）はそのままでは読めません。"));
    assert_true(has(&wb, "CSV UTF-8（コンマ区切り）(*.csv)"));
    arena_free(&a);
    buf_free(&wb.raw);
    buf_free(&x);
    buf_free(&found.raw);
    buf_free(&same.raw);
    buf_free(&again);
    buf_free(&pre.raw);
    buf_free(&ok.raw);
    buf_free(&body);
    buf_free(&file);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),   cmocka_unit_test(test_broken_roster), cmocka_unit_test(test_preview_and_apply),
        cmocka_unit_test(test_profile), cmocka_unit_test(test_export),        cmocka_unit_test(test_disclosure),
        cmocka_unit_test(test_records_quals), cmocka_unit_test(test_records_assessments), cmocka_unit_test(test_records_completions),
        cmocka_unit_test(test_excel_roster),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
