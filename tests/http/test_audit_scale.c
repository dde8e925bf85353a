/* test_audit_scale.c - request tests of an audit log at scale: repeated
 * views of one record by one account within the window collapse into one
 * row with a count (shown on /admin/audit and in its CSV), writes never
 * collapse, the triggers refuse every other UPDATE and every DELETE outside
 * an archived 年度, and a closed 年度 is archived to a file that is verified
 * before its rows leave the database (and an archive that cannot be written
 * deletes nothing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/audit.h"
#include "domain/auditarchive.h"
#include "harness.h"

static Who users[] = {{.login = "jinji"}, {.login = "dx"}, {.login = "admin"}};
HARNESS_SETUP("audit_scale", users)

#define STAFF 41

static int view_rows(const char *actor)
{
    return (int)db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE action = 'staff.view' AND actor = ? AND entity_id = ?", actor, STAFF);
}

static int64_t view_repeats(const char *actor)
{
    return db_int(db, -1, "SELECT SUM(repeats) FROM audit_log WHERE action = 'staff.view' AND actor = ? AND entity_id = ?", actor, STAFF);
}

static void view(Who *w)
{
    Res r = req("GET", fmt("/staff/%d", STAFF), w->cookie, NULL);
    assert_int_equal(r.status, 200);
    buf_free(&r.raw);
}

static void test_views_collapse(void **state)
{
    (void)state;
    Who *hr = user("jinji"), *dx = user("dx"), *admin = user("admin");
    int before = count("SELECT COUNT(*) FROM audit_log");
    for (int i = 0; i < 50; i++) view(hr);
    /* 50 views in the window: one row that counts 50. */
    assert_int_equal(view_rows("jinji"), 1);
    assert_int_equal(view_repeats("jinji"), 50);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), before + 1);
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE actor = 'jinji' AND action = 'staff.view' AND kind = 'read'"
                              " AND repeats = 50 AND last_at >= at"));
    /* Another account: a row of its own. */
    view(dx);
    assert_int_equal(view_rows("dx"), 1);
    assert_int_equal(view_rows("jinji"), 1);

    /* The audit page shows the count and the last time; the CSV has both. */
    Res r = req("GET", "/admin/audit?actor=jinji&action=staff.view", admin->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "閲覧 50回（最終 "));
    buf_free(&r.raw);
    r = req("GET", "/admin/audit?actor=jinji&action=staff.view&format=csv", admin->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "回数"));
    assert_true(has(&r, "最終日時"));
    assert_true(has(&r, ",50,"));
    buf_free(&r.raw);

    /* After the window (from the first row of the run): a new row. */
    int64_t t0 = now_unix();
    util_set_clock(t0 + audit_view_window + 1);
    view(hr);
    assert_int_equal(view_rows("jinji"), 2);
    assert_int_equal(view_repeats("jinji"), 51);
    view(hr);
    assert_int_equal(view_rows("jinji"), 2);
    util_set_clock(0);
    assert_int_equal(util_clock_set_today(HARNESS_TODAY), 0);
}

static void test_writes_never_collapse(void **state)
{
    (void)state;
    Actor who = {db_int(db, 0, "SELECT id FROM account WHERE login = 'jinji'"), "jinji", "127.0.0.1"};
    int before = count("SELECT COUNT(*) FROM audit_log WHERE action = 'staff.update'");
    for (int i = 0; i < 3; i++) assert_int_equal(audit_write(db, &who, "staff.update", "staff", STAFF, STAFF, "x"), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'staff.update'"), before + 3);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'staff.update' AND repeats <> 1"), 0);
    /* Downloads are rows of their own too. */
    for (int i = 0; i < 2; i++) assert_int_equal(audit_read(db, &who, "training.export", "staff", STAFF, STAFF, "x"), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'training.export' AND actor = 'jinji'"), 2);
}

static void refused(const char *sql)
{
    if (db_exec_script(db, sql) == 0) fail_msg("not refused: %s", sql);
    if (!strstr(db_errmsg(db), "append-only")) fail_msg("%s: %s", sql, db_errmsg(db));
}

static void test_triggers(void **state)
{
    (void)state;
    int64_t read = db_int(db, 0, "SELECT id FROM audit_log WHERE kind = 'read' ORDER BY id LIMIT 1");
    int64_t write = db_int(db, 0, "SELECT id FROM audit_log WHERE kind = 'write' ORDER BY id LIMIT 1");
    assert_true(read > 0 && write > 0);
    int64_t reps = db_int(db, 0, "SELECT repeats FROM audit_log WHERE id = ?", read);
    refused(fmt("UPDATE audit_log SET summary = 'forged' WHERE id = %lld", (long long)read));
    refused(fmt("UPDATE audit_log SET repeats = repeats + 1, last_at = at, actor = 'x' WHERE id = %lld", (long long)read));
    refused(fmt("UPDATE audit_log SET repeats = repeats + 2, last_at = at WHERE id = %lld", (long long)read));
    refused(fmt("UPDATE audit_log SET repeats = repeats - 1, last_at = at WHERE id = %lld", (long long)read));
    refused(fmt("UPDATE audit_log SET kind = 'write' WHERE id = %lld", (long long)read));
    refused(fmt("UPDATE audit_log SET repeats = repeats + 1, last_at = at WHERE id = %lld", (long long)write));
    refused(fmt("UPDATE audit_log SET kind = 'read', repeats = repeats + 1, last_at = at WHERE id = %lld", (long long)write));
    refused(fmt("DELETE FROM audit_log WHERE id = %lld", (long long)write));
    refused("DELETE FROM audit_log");
    assert_int_equal(db_int(db, 0, "SELECT repeats FROM audit_log WHERE id = ?", read), reps);
    /* The one UPDATE allowed: one more view. */
    assert_int_equal(db_exec(db, "UPDATE audit_log SET repeats = repeats + 1, last_at = at WHERE id = ?", read), 1);
    assert_int_equal(db_int(db, 0, "SELECT repeats FROM audit_log WHERE id = ?", read), reps + 1);
}

static char dir[64];

static void past_rows(int nendo, int n)
{
    for (int i = 0; i < n; i++) {
        char at[32];
        snprintf(at, sizeof at, "%04d-%02d-15T10:%02d:00", i % 2 ? nendo + 1 : nendo, i % 2 ? 3 : 4 + i % 8, i % 60);
        assert_int_equal(db_exec(db, "INSERT INTO audit_log (at, actor, action, entity, entity_id, summary) VALUES (?, 'old', 'staff.update', 'staff', ?, ?)",
                                 at, (int64_t)i + 1, i % 3 ? "a \"quoted\", line\nnext" : "plain"),
                         1);
    }
    /* Edges: 4/1 00:00 is in, 4/1 of the next 年度 is not. */
    db_exec(db, "INSERT INTO audit_log (at, actor, action, entity, summary) VALUES (?, 'old', 'edge.in', 'x', '')", fmt("%04d-04-01T00:00:00", nendo));
    db_exec(db, "INSERT INTO audit_log (at, actor, action, entity, summary) VALUES (?, 'old', 'edge.out', 'x', '')", fmt("%04d-04-01T00:00:00", nendo + 1));
}

static int in_nendo(int nendo)
{
    return (int)db_int(db, -1, "SELECT COUNT(*) FROM audit_log WHERE at >= ? AND at < ?", fmt("%04d-04-01", nendo), fmt("%04d-04-01", nendo + 1));
}

static void test_archive(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/jinzai-audit-arc-%d", (int)getpid());
    mkdir(dir, 0700);
    past_rows(2025, 40);
    assert_int_equal(in_nendo(2025), 41);
    Errors e = {0};
    AuditArchive ar;
    /* The current 年度 and a later one are refused; nothing is written. */
    const char *cur = fmt("%s/cur.csv", dir);
    assert_int_equal(audit_archive(db, &ACTOR_CLI, 2026, cur, &ar, &e), -1);
    assert_non_null(strstr(e.items[0].msg, "まだ終わっていない"));
    assert_int_equal(access(cur, F_OK), -1);
    e = (Errors){0};
    assert_int_equal(audit_archive(db, &ACTOR_CLI, 2027, cur, &ar, &e), -1);
    /* A file that cannot be written deletes nothing. */
    e = (Errors){0};
    assert_int_equal(audit_archive(db, &ACTOR_CLI, 2025, "/nonexistent-dir/audit-2025.csv", &ar, &e), -1);
    assert_true(e.n > 0);
    assert_int_equal(in_nendo(2025), 41);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_archive"), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'audit.archive'"), 0);

    /* A past 年度: the file, verified, the rows gone, the records kept. */
    const char *path = fmt("%s/audit-2025.csv", dir);
    char pathcopy[128];
    snprintf(pathcopy, sizeof pathcopy, "%s", path);
    e = (Errors){0};
    assert_int_equal(audit_archive(db, &ACTOR_CLI, 2025, pathcopy, &ar, &e), 0);
    assert_int_equal(ar.rows, 41);
    assert_int_equal(in_nendo(2025), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'edge.out'"), 1);
    int64_t rows;
    char hex[65];
    assert_int_equal(audit_archive_verify(pathcopy, &rows, hex, &e), 0);
    assert_int_equal(rows, 41);
    assert_true(db_exists(db, "SELECT 1 FROM audit_archive WHERE nendo = 2025 AND row_count = 41 AND sha256 = ? AND file = ?", hex, pathcopy));
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'audit.archive' AND summary LIKE '%41件%' AND summary LIKE '%' || ? || '%'", hex));
    /* The record of the archiving cannot be deleted, nor archived twice. */
    refused("DELETE FROM audit_log WHERE action = 'audit.archive'");
    refused("DELETE FROM audit_archive");
    e = (Errors){0};
    assert_int_equal(audit_archive(db, &ACTOR_CLI, 2025, fmt("%s/again.csv", dir), &ar, &e), -1);

    /* A corrupted file fails verify. */
    FILE *f = fopen(pathcopy, "r+b");
    assert_non_null(f);
    fseek(f, 200, SEEK_SET);
    fputc('X', f);
    fclose(f);
    e = (Errors){0};
    assert_int_equal(audit_archive_verify(pathcopy, &rows, hex, &e), -1);
    assert_non_null(strstr(e.items[0].msg, "一致しません"));
    unlink(pathcopy);
}

static void test_archive_page(void **state)
{
    (void)state;
    Who *admin = user("admin"), *hr = user("jinji");
    audit_archive_dir = dir;
    past_rows(2024, 10);
    /* Not for 人事; the current 年度 refused with the input kept. */
    Res r = req("POST", "/admin/audit/archive", hr->cookie, fmt("csrf=%s&year=2024", hr->csrf));
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    r = req("POST", "/admin/audit/archive", admin->cookie, fmt("csrf=%s&year=2026", admin->csrf));
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "まだ終わっていない"));
    assert_true(has(&r, "value=\"2026\""));
    buf_free(&r.raw);
    /* Without the token nothing happens. */
    r = req("POST", "/admin/audit/archive", admin->cookie, "year=2024");
    assert_int_equal(r.status, 403);
    buf_free(&r.raw);
    assert_int_equal(in_nendo(2024), 11);
    r = req("POST", "/admin/audit/archive", admin->cookie, fmt("csrf=%s&year=2024", admin->csrf));
    assert_int_equal(r.status, 303);
    buf_free(&r.raw);
    assert_int_equal(in_nendo(2024), 0);
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'audit.archive' AND actor = 'admin' AND summary LIKE '2024年度 11件%'"));
    const char *path = fmt("%s/audit-2024.csv", dir);
    int64_t rows;
    char hex[65];
    Errors e = {0};
    assert_int_equal(audit_archive_verify(path, &rows, hex, &e), 0);
    assert_int_equal(rows, 11);
    r = req("GET", "/admin/audit", admin->cookie, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "2024年度"));
    assert_true(has(&r, hex));
    buf_free(&r.raw);
    unlink(path);
    rmdir(dir);
    audit_archive_dir = ".";
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_views_collapse), cmocka_unit_test(test_writes_never_collapse),
                                       cmocka_unit_test(test_triggers), cmocka_unit_test(test_archive),
                                       cmocka_unit_test(test_archive_page)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
