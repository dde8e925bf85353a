/* SCORM 1.2 packages: the upload screen and `jinzai scorm import` take the
 * sample and refuse unsafe zips (nothing stored); the launch page frames the
 * SCO with the adapter; a commit stores the cmi data, a reload resumes it,
 * and passed makes a completion of the course. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "domain/scorm.h"
#include "harness.h"
#include "cli.h"

static Who users[] = {{.login = "shokuin"}, {.login = "kacho"}, {.login = "jinji"}};

typedef struct ZEntry {
    const char *name;
    const void *data;
    size_t len;
    bool symlink;
} ZEntry;

/* Writes a zip of the entries to path with libzip. */
static void make_zip(const char *path, const ZEntry *es, int n)
{
    int err;
    unlink(path);
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    for (int i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(za, es[i].data, es[i].len, 0);
        assert_non_null(src);
        zip_int64_t idx = zip_file_add(za, es[i].name, src, ZIP_FL_OVERWRITE);
        assert_true(idx >= 0);
        if (es[i].symlink) assert_int_equal(zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX, (zip_uint32_t)(S_IFLNK | 0777) << 16), 0);
    }
    assert_int_equal(zip_close(za), 0);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    Buf b = BUF_INIT;
    char chunk[8192];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, k);
    fclose(f);
    *len = b.len;
    return buf_detach(&b);
}

/* The sample package from data/scorm-sample, zipped here with libzip. */
static void make_sample(const char *path)
{
    size_t ml, il;
    char *m = slurp("data/scorm-sample/imsmanifest.xml", &ml), *h = slurp("data/scorm-sample/index.html", &il);
    make_zip(path, (ZEntry[]){{"imsmanifest.xml", m, ml, false}, {"index.html", h, il, false}}, 2);
    free(m);
    free(h);
}

static const char MANIFEST[] = "<?xml version=\"1.0\"?><manifest identifier=\"m\" xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\">"
                               "<organizations default=\"o\"><organization identifier=\"o\"><title>T</title><item identifier=\"i\" identifierref=\"r\">"
                               "<title>S</title></item></organization></organizations><resources><resource identifier=\"r\" type=\"webcontent\""
                               " adlcp:scormtype=\"sco\" href=\"index.html\"/></resources></manifest>";
static const char PAGE[] = "<!DOCTYPE html><title>x</title>";

static int64_t attempt_id, package_id, sco_id;

static void upload_sample_through_the_screen(void **state)
{
    (void)state;
    Who *j = user("jinji");
    char path[128];
    snprintf(path, sizeof path, "/tmp/jinzai-scorm-sample-%d.zip", (int)getpid());
    make_sample(path);
    size_t zl;
    char *z = slurp(path, &zl);
    unlink(path);
    int64_t course = db_int(db, 0, "SELECT id FROM course WHERE code = 'SEC-01'");
    assert_true(course > 0);
    Buf body = BUF_INIT;
    buf_printf(&body, "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", j->csrf);
    buf_printf(&body, "--XyZ\r\nContent-Disposition: form-data; name=\"course_id\"\r\n\r\n%lld\r\n", (long long)course);
    buf_puts(&body, "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"sample.zip\"\r\nContent-Type: application/zip\r\n\r\n");
    buf_append(&body, z, zl);
    buf_puts(&body, "\r\n--XyZ--\r\n");
    /* 職員 may not upload. */
    Res no = send_raw("POST", "/scorm", user("shokuin")->cookie, "multipart/form-data; boundary=XyZ", body.data, body.len);
    assert_int_equal(no.status, 403);
    assert_int_equal(count("SELECT COUNT(*) FROM scorm_package"), 0);
    Res r = send_raw("POST", "/scorm", j->cookie, "multipart/form-data; boundary=XyZ", body.data, body.len);
    assert_int_equal(r.status, 303);
    assert_int_equal(count("SELECT COUNT(*) FROM scorm_package"), 1);
    assert_int_equal(count("SELECT COUNT(*) FROM scorm_file"), 2);
    package_id = db_int(db, 0, "SELECT id FROM scorm_package");
    sco_id = db_int(db, 0, "SELECT id FROM scorm_sco");
    assert_int_equal(db_int(db, 0, "SELECT course_id FROM scorm_package"), course);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'scorm.import'"), 1);
    EXPECT(j->cookie, "/scorm", 200, "情報セキュリティの基本（SCORMサンプル）", "パスワードの扱い");
    buf_free(&body);
    buf_free(&r.raw);
    buf_free(&no.raw);
    free(z);
}

static void launch_commit_and_resume(void **state)
{
    (void)state;
    Who *s = user("shokuin");
    EXPECT(s->cookie, "/scorm/learn", 200, fmt("/scorm/sco/%lld", (long long)sco_id), "未学習");
    Res l = req("GET", fmt("/scorm/sco/%lld", (long long)sco_id), s->cookie, NULL);
    assert_int_equal(l.status, 200);
    assert_true(has(&l, "<iframe id=\"scorm-frame\""));
    assert_true(has(&l, fmt("src=\"/scorm/pkg/%lld/index.html\"", (long long)package_id)));
    assert_true(has(&l, "sandbox=\"allow-scripts allow-forms allow-same-origin\""));
    assert_true(has(&l, "<script src=\"/assets/scorm."));
    assert_true(has(&l, fmt("data-csrf=\"%s\"", s->csrf)));
    assert_true(has(&l, "cmi.core.entry&quot;:&quot;ab-initio"));
    assert_true(has(&l, fmt("cmi.core.student_name&quot;:&quot;%s", s->name)));
    assert_true(has(&l, "frame-ancestors 'none'")); /* the launch page keeps the strict policy */
    attempt_id = db_int(db, 0, "SELECT id FROM scorm_attempt WHERE staff_id = ?", s->staff_id);
    assert_true(attempt_id > 0);
    buf_free(&l.raw);

    /* The package file: its own policy, framed by jinzai only. */
    Res f = req("GET", fmt("/scorm/pkg/%lld/index.html", (long long)package_id), s->cookie, NULL);
    assert_int_equal(f.status, 200);
    assert_true(has(&f, "Content-Type: text/html"));
    assert_true(has(&f, "'unsafe-inline' 'unsafe-eval'"));
    assert_true(has(&f, "frame-ancestors 'self'"));
    assert_true(has(&f, "X-Frame-Options: SAMEORIGIN"));
    assert_true(has(&f, "LMSInitialize"));
    buf_free(&f.raw);
    EXPECT(s->cookie, fmt("/scorm/pkg/%lld/../imsmanifest.xml", (long long)package_id + 1), 404, "見つかりません");

    /* Without the token nothing is stored. */
    char commit[64];
    snprintf(commit, sizeof commit, "/scorm/attempt/%lld/commit", (long long)attempt_id);
    Res bad = req("POST", commit, s->cookie, "cmi.suspend_data=x");
    assert_int_equal(bad.status, 403);
    assert_int_equal(count("SELECT COUNT(*) FROM scorm_attempt WHERE committed_at IS NOT NULL"), 0);
    buf_free(&bad.raw);

    Res c = req("POST", commit, s->cookie,
                fmt("csrf=%s&cmi.core.lesson_status=incomplete&cmi.core.lesson_location=q1&cmi.suspend_data=answer%%3Db"
                    "&cmi.core.session_time=0000:01:30.00&cmi.core.exit=suspend",
                    s->csrf));
    assert_int_equal(c.status, 200);
    assert_true(has(&c, "{\"ok\":true}"));
    buf_free(&c.raw);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT suspend_data FROM scorm_attempt WHERE id = ?", attempt_id), "answer=b");
    assert_string_equal(db_text(db, &a, "SELECT lesson_location FROM scorm_attempt WHERE id = ?", attempt_id), "q1");
    assert_string_equal(db_text(db, &a, "SELECT lesson_status FROM scorm_attempt WHERE id = ?", attempt_id), "incomplete");
    assert_string_equal(db_text(db, &a, "SELECT pending_time FROM scorm_attempt WHERE id = ?", attempt_id), "0000:01:30.00");

    /* The state the adapter reads back, and only for its owner. */
    EXPECT(s->cookie, fmt("/scorm/attempt/%lld/state", (long long)attempt_id), 200, "\"cmi.core.entry\":\"resume\"",
           "\"cmi.suspend_data\":\"answer=b\"", "\"cmi.core.lesson_location\":\"q1\"");
    EXPECT(user("kacho")->cookie, fmt("/scorm/attempt/%lld/state", (long long)attempt_id), 404, "not found");

    /* Reopening resumes; the unfinished session's time goes into total_time. */
    EXPECT(s->cookie, fmt("/scorm/sco/%lld", (long long)sco_id), 200, "cmi.core.entry&quot;:&quot;resume",
           "cmi.suspend_data&quot;:&quot;answer=b", "cmi.core.total_time&quot;:&quot;0000:01:30.00");
    assert_int_equal(count("SELECT COUNT(*) FROM scorm_attempt"), 1);

    /* Too long suspend_data: refused, nothing changed. */
    char big[4200 + 128];
    int k = snprintf(big, sizeof big, "csrf=%s&cmi.suspend_data=", s->csrf);
    memset(big + k, 'x', 4097);
    big[k + 4097] = 0;
    Res tl = req("POST", commit, s->cookie, big);
    assert_int_equal(tl.status, 422);
    assert_true(has(&tl, "4096"));
    buf_free(&tl.raw);
    assert_string_equal(db_text(db, &a, "SELECT suspend_data FROM scorm_attempt WHERE id = ?", attempt_id), "answer=b");
    arena_free(&a);
}

static void passed_makes_a_completion(void **state)
{
    (void)state;
    Who *s = user("shokuin");
    int64_t course = db_int(db, 0, "SELECT id FROM course WHERE code = 'SEC-01'");
    const char *done_sql = "SELECT COUNT(*) FROM completion c JOIN training_session t ON t.id = c.session_id"
                           " WHERE t.course_id = ? AND t.nendo = 2026 AND c.staff_id = ? AND c.completed = 1";
    db_exec(db, "DELETE FROM completion WHERE staff_id = ? AND session_id IN (SELECT id FROM training_session WHERE course_id = ?)", s->staff_id, course);
    assert_int_equal(db_int(db, -1, done_sql, course, s->staff_id), 0);
    Res c = req("POST", fmt("/scorm/attempt/%lld/commit", (long long)attempt_id), s->cookie,
                fmt("csrf=%s&cmi.core.lesson_status=passed&cmi.core.score.raw=80&cmi.core.score.min=0&cmi.core.score.max=100"
                    "&cmi.core.session_time=00:00:45&finish=1",
                    s->csrf));
    assert_int_equal(c.status, 200);
    buf_free(&c.raw);
    assert_int_equal(db_int(db, -1, done_sql, course, s->staff_id), 1);
    assert_int_equal(db_int(db, -1, "SELECT c.score FROM completion c JOIN training_session t ON t.id = c.session_id WHERE t.course_id = ? AND c.staff_id = ?",
                            course, s->staff_id),
                     80);
    Arena a = ARENA_INIT;
    assert_string_equal(db_text(db, &a, "SELECT total_time FROM scorm_attempt WHERE id = ?", attempt_id), "0000:02:15.00");
    assert_string_equal(db_text(db, &a, "SELECT pending_time FROM scorm_attempt WHERE id = ?", attempt_id), "");
    arena_free(&a);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'completion.scorm'"), 1);
    /* A bad status is refused. */
    EXPECT_POST(s->cookie, fmt("/scorm/attempt/%lld/commit", (long long)attempt_id), fmt("csrf=%s&cmi.core.lesson_status=done", s->csrf), 422,
                "学習状況の値が正しくありません");
}

static int packages_in(const char *path)
{
    Db *d = db_open(path);
    assert_non_null(d);
    int n = (int)db_int(d, -1, "SELECT COUNT(*) FROM scorm_package") + (int)db_int(d, -1, "SELECT COUNT(*) FROM scorm_file");
    db_close(d);
    return n;
}

static void cli_refuses_unsafe_zips(void **state)
{
    (void)state;
    char zp[160];
    path_of(zp, sizeof zp, "bad.zip");
    struct {
        ZEntry extra;
        const char *want;
    } cases[] = {
        {{"../evil.html", PAGE, sizeof PAGE - 1, false}, "安全でないパス「../evil.html」"},
        {{"a/../../evil.html", PAGE, sizeof PAGE - 1, false}, "安全でないパス"},
        {{"/etc/evil.html", PAGE, sizeof PAGE - 1, false}, "安全でないパス「/etc/evil.html」"},
        {{"link.html", "/etc/passwd", 11, true}, "シンボリックリンク「link.html」"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        make_zip(zp, (ZEntry[]){{"imsmanifest.xml", MANIFEST, sizeof MANIFEST - 1, false}, {"index.html", PAGE, sizeof PAGE - 1, false}, cases[i].extra}, 3);
        int rc = run(NULL, "scorm import bad.zip --course SEC-01 --db demo.db");
        if (rc != 1 || !strstr(out, cases[i].want) || !strstr(out, "何も取り込んでいません")) fail_msg("case %zu: rc %d: %s", i, rc, out);
    }
    /* A zip bomb: 20 MB of zeros deflate to about 20 KB (1000:1). */
    size_t n = 20u << 20;
    char *zeros = calloc(1, n);
    make_zip(zp, (ZEntry[]){{"imsmanifest.xml", MANIFEST, sizeof MANIFEST - 1, false}, {"index.html", PAGE, sizeof PAGE - 1, false}, {"bomb.bin", zeros, n, false}}, 3);
    free(zeros);
    struct stat st;
    assert_int_equal(stat(zp, &st), 0);
    assert_true(st.st_size < 200 * 1024);
    assert_int_equal(run(NULL, "scorm import bad.zip --course SEC-01 --db demo.db"), 1);
    assert_non_null(strstr(out, "zip 爆弾の疑い"));
    /* Not a package: no manifest; not a zip at all; no course. */
    make_zip(zp, (ZEntry[]){{"index.html", PAGE, sizeof PAGE - 1, false}}, 1);
    assert_int_equal(run(NULL, "scorm import bad.zip --course SEC-01 --db demo.db"), 1);
    assert_non_null(strstr(out, "imsmanifest.xml がありません"));
    assert_int_equal(run(NULL, "scorm import stdin --course SEC-01 --db demo.db"), 1);
    assert_int_equal(run(NULL, "scorm import bad.zip --db demo.db"), 2);
    assert_non_null(strstr(out, "--course"));
    char dbp[160];
    path_of(dbp, sizeof dbp, "demo.db");
    /* Nothing refused went in: the demo holds only its own sample (a package
     * and its two files, imported by init --demo from the binary). */
    assert_int_equal(packages_in(dbp), 3);
    /* The sample goes in. */
    char sp[160];
    path_of(sp, sizeof sp, "sample.zip");
    make_sample(sp);
    assert_int_equal(run(NULL, "scorm import sample.zip --course SEC-01 --db demo.db"), 0);
    assert_non_null(strstr(out, "SCO 1件"));
    assert_int_equal(packages_in(dbp), 6);
}

static void time_arithmetic(void **state)
{
    (void)state;
    assert_int_equal(scorm_time_parse("0000:01:30.00"), 9000);
    assert_int_equal(scorm_time_parse("00:00:45"), 4500);
    assert_int_equal(scorm_time_parse("12:00:00.5"), 12 * 360000 + 50);
    assert_int_equal(scorm_time_parse("1:00:00"), -1);
    assert_int_equal(scorm_time_parse("00:60:00"), -1);
    assert_int_equal(scorm_time_parse("00:00:00.123"), -1);
    char o[24];
    scorm_time_format(13500, o);
    assert_string_equal(o, "0000:02:15.00");
}

static int setup_all(void **state)
{
    (void)state;
    if (harness_open("scorm", users, sizeof users / sizeof users[0]) != 0) return -1;
    return cli_open("scorm-cli");
}

static int teardown_all(void **state)
{
    (void)state;
    harness_close();
    return cli_close();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(time_arithmetic),
        cmocka_unit_test(upload_sample_through_the_screen),
        cmocka_unit_test(launch_commit_and_resume),
        cmocka_unit_test(passed_makes_a_completion),
        cmocka_unit_test(cli_refuses_unsafe_zips),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
