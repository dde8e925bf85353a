/* test_cov_cli.c - the command line's refusals and dry runs, as an operator
 * meets them: missing arguments, files that are not there or do not read,
 * bad dates and years, unknown roles, and --dry-run against the real run.
 * The built binary (JINZAI_BIN) runs with popen on throwaway databases; each
 * test checks the exit status, the message and what was (not) stored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"
#include "../tmpdb.h"

#include "cli.h"

static void expect_out(const char *s)
{
    if (!strstr(out, s)) fail_msg("expected「%s」in: %.2000s", s, out);
}


static void write_file(const char *name, const char *text)
{
    char p[160];
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int64_t count(const char *db_path, const char *sql)
{
    Db *db = db_open(db_path);
    assert_non_null(db);
    int64_t v = db_int(db, -1, sql);
    db_close(db);
    return v;
}

static char *text_of(const char *db_path, Arena *a, const char *sql)
{
    Db *db = db_open(db_path);
    assert_non_null(db);
    char *v = db_text(db, a, sql);
    db_close(db);
    return v;
}

/* A fresh copy of the demo database under name; its path into p. */
static void fresh(char *p, size_t n, const char *name)
{
    path_of(p, n, name);
    tmpdb_remove(p);
    Db *db = db_open(demo);
    assert_non_null(db);
    assert_int_equal(db_backup(db, p), 0);
    db_close(db);
}

static int setup(void **state)
{
    (void)state;
    return cli_open("covcli");
}

static int teardown(void **state)
{
    (void)state;
    return cli_close();
}

/* Before any command: no command at all, and a JINZAI_TODAY that is no date. */
static void test_no_command_and_bad_today(void **state)
{
    (void)state;
    assert_int_equal(run(NULL, "%s", ""), 2);
    expect_out("usage:");
    assert_int_equal(run_env("JINZAI_TODAY=2027-02-29", NULL, "kpi --year 2026 --db demo.db"), 2);
    expect_out("JINZAI_TODAY");
    expect_out("2027-02-29");
    /* 2028 is a leap year: the 29th is a day */
    assert_int_equal(run_env("JINZAI_TODAY=2028-02-29", NULL, "kpi --year 2027 --db demo.db"), 0);
}

static void test_serve_bad_options(void **state)
{
    (void)state;
    assert_int_equal(run(NULL, "serve --db demo.db --listen localhost"), 2);
    expect_out("HOST:PORT");
    assert_int_equal(run(NULL, "serve --db demo.db --trusted-proxy not-a-cidr"), 2);
    expect_out("--trusted-proxy");
    expect_out("not-a-cidr");
}

/* init with no password given makes one up and shows it once. */
static void test_init_generated_password(void **state)
{
    (void)state;
    char p[128];
    path_of(p, sizeof p, "gen.db");
    assert_int_equal(run(NULL, "init --db gen.db"), 0);
    expect_out("Administrator login: admin  password: ");
    const char *pw = strstr(out, "password: ") + strlen("password: ");
    assert_int_equal(strspn(pw, "0123456789abcdef"), 16);
    assert_int_equal(count(p, "SELECT COUNT(*) FROM account WHERE login = 'admin' AND roles = 16"), 1);
    assert_int_equal(count(p, "SELECT COUNT(*) FROM audit_log WHERE action = 'account.create' AND actor = 'cli'"), 1);
}

static void test_user_refusals(void **state)
{
    (void)state;
    char p[128];
    fresh(p, sizeof p, "users.db");
    int64_t accounts = count(p, "SELECT COUNT(*) FROM account");
    /* an unknown role: nothing is created */
    assert_int_equal(run("new-user-password-1\n", "user add tanaka --role superuser --db users.db"), 1);
    expect_out("権限を選んでください");
    /* Japanese role names with 、 work */
    assert_int_equal(run("new-user-password-1\n", "user add tanaka --role 人事、所属長 --db users.db"), 0);
    assert_int_equal(count(p, "SELECT roles FROM account WHERE login = 'tanaka'"), 4 | 2);
    /* the same login twice */
    assert_int_equal(run("new-user-password-1\n", "user add tanaka --role staff --db users.db"), 1);
    expect_out("既に使われています");
    /* a 職員番号 nobody has */
    assert_int_equal(run("new-user-password-1\n", "user add suzuki --staff X99999 --role staff --db users.db"), 1);
    expect_out("その職員番号の職員はいません");
    /* a login with capitals and a password equal to the login */
    assert_int_equal(run("new-user-password-1\n", "user add Suzuki! --role staff --db users.db"), 1);
    expect_out("ログイン名は半角英小文字");
    assert_int_equal(run("suzuki-suzuki\n", "user add suzuki-suzuki --role staff --db users.db"), 1);
    expect_out("ログイン名と同じパスワード");
    /* no password on stdin at all */
    assert_int_equal(run(NULL, "user add suzuki --role staff --db users.db"), 1);
    expect_out("12文字");
    assert_int_equal(run(NULL, "user passwd tanaka --db users.db"), 1);
    expect_out("12文字");
    assert_int_equal(count(p, "SELECT COUNT(*) FROM account"), accounts + 1);
    /* role: missing roles is usage; unknown roles or login refused */
    assert_int_equal(run(NULL, "user role tanaka"), 2); /* (in the throwaway folder's jinzai.db) */
    expect_out("usage:");
    assert_int_equal(run(NULL, "user role tanaka wizard --db users.db"), 1);
    expect_out("権限を選んでください");
    assert_int_equal(run(NULL, "user role nobody staff --db users.db"), 1);
    expect_out("そのアカウントはありません");
    assert_int_equal(count(p, "SELECT roles FROM account WHERE login = 'tanaka'"), 4 | 2);
    /* disable twice: the second time there is no active account */
    assert_int_equal(run(NULL, "user disable tanaka --db users.db"), 0);
    assert_int_equal(run(NULL, "user disable tanaka --db users.db"), 1);
    expect_out("有効なアカウントはありません");
    assert_int_equal(count(p, "SELECT COUNT(*) FROM audit_log WHERE action = 'account.disable'"), 1);
}

static void test_backup_restore_usage(void **state)
{
    (void)state;
    assert_int_equal(run(NULL, "backup --db demo.db"), 2);
    expect_out("usage:");
    assert_int_equal(run(NULL, "restore --db demo.db"), 2);
    expect_out("usage:");
    /* the lock file cannot be made beside a target in a missing folder */
    char in[128];
    fresh(in, sizeof in, "in.db");
    assert_int_equal(run(NULL, "restore in.db --db nowhere/target.db"), 1);
    expect_out(".lock を作れません");
    expect_out("何も復元していません");
}

static void test_kpi_years_and_dates(void **state)
{
    (void)state;
    assert_int_equal(run(NULL, "kpi --year abc --db demo.db"), 2);
    expect_out("--year");
    assert_int_equal(run(NULL, "kpi --year 2026 --as-of 2027-02-29 --db demo.db"), 2);
    expect_out("YYYY-MM-DD");
    /* the last day of the 年度 is a date like any other */
    assert_int_equal(run(NULL, "kpi --year 2026 --as-of 2027-03-31 --db demo.db"), 0);
    assert_true(strchr(out, ',') != NULL);
    assert_int_equal(strncmp(out, "\xEF\xBB\xBF", 3) != 0, 1); /* no BOM on a terminal */
    /* a 年度 written the Japanese way */
    assert_int_equal(run(NULL, "kpi --year 令和8年度 --db demo.db"), 0);
    assert_true(strchr(out, ',') != NULL);
}

static void test_transfers(void **state)
{
    (void)state;
    char p[128], cwd[4096];
    fresh(p, sizeof p, "tr.db");
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(run(NULL, "transfers --db tr.db"), 2);
    assert_int_equal(run(NULL, "transfers undo x.csv --db tr.db"), 2);
    expect_out("usage:");
    assert_int_equal(run(NULL, "transfers preview missing.csv --db tr.db"), 1);
    expect_out("missing.csv");
    /* a file without the needed columns: nothing is applied */
    write_file("junk.csv", "氏名,メモ\n山田,異動\n");
    int64_t assignments = count(p, "SELECT COUNT(*) FROM assignment");
    assert_int_equal(run(NULL, "transfers apply junk.csv --db tr.db"), 1);
    expect_out("jinzai: ");
    assert_int_equal(count(p, "SELECT COUNT(*) FROM assignment"), assignments);
    assert_int_equal(count(p, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'transfer%'"), 0);
    /* applying the demo list writes the April assignments */
    assert_int_equal(run(NULL, "transfers apply '%s/data/demo_transfers.csv' --db tr.db", cwd), 0);
    expect_out("件の異動を反映しました");
    expect_out("2027-04-01");
    assert_true(count(p, "SELECT COUNT(*) FROM assignment WHERE from_date = '2027-04-01'") > 0);
}

/* The demo's first person in service with a primary assignment, and a
 * qualification code they do not hold. */
static const char *some_staff_no(const char *db_path, Arena *a)
{
    return text_of(db_path, a,
                   "SELECT s.staff_no FROM staff s JOIN assignment x ON x.staff_id = s.id AND x.is_primary = 1 AND x.to_date IS NULL"
                   " WHERE NOT EXISTS (SELECT 1 FROM staff_qualification q WHERE q.staff_id = s.id AND q.qual_code = 'AP')"
                   " ORDER BY s.staff_no LIMIT 1");
}

static void test_import_records(void **state)
{
    (void)state;
    char p[128], csv[512];
    fresh(p, sizeof p, "rec.db");
    Arena a = ARENA_INIT;
    const char *no = some_staff_no(p, &a);
    assert_non_null(no);
    assert_int_equal(run(NULL, "import --db rec.db"), 2);
    assert_int_equal(run(NULL, "import licences x.csv --db rec.db"), 2);
    expect_out("quals|assessments|completions");
    assert_int_equal(run(NULL, "import quals missing.csv --db rec.db"), 1);
    expect_out("missing.csv");
    snprintf(csv, sizeof csv, "職員番号,資格コード,取得日,備考\n%s,AP,2025/10/1,春期\n", no);
    write_file("q.csv", csv);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM staff_qualification q JOIN staff s ON s.id = q.staff_id WHERE s.staff_no = '%s' AND q.qual_code = 'AP'", no);
    /* dry run: the plan is shown and nothing is stored */
    assert_int_equal(run(NULL, "import quals q.csv --dry-run --db rec.db"), 0);
    expect_out("新規 1行");
    expect_out("確認のみ");
    assert_int_equal(count(p, sql), 0);
    /* applied, then once more: the second time changes nothing */
    assert_int_equal(run(NULL, "import quals q.csv --db rec.db"), 0);
    expect_out("1行を反映しました");
    assert_int_equal(count(p, sql), 1);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM staff_qualification q JOIN staff s ON s.id = q.staff_id WHERE s.staff_no = '%s' AND q.acquired_on = '2025-10-01'", no);
    assert_int_equal(count(p, sql), 1);
    assert_int_equal(run(NULL, "import quals q.csv --db rec.db"), 0);
    expect_out("変更なし 1行");
    expect_out("0行を反映しました");
    /* a date in the future and an unknown person: nothing is written */
    int64_t quals = count(p, "SELECT COUNT(*) FROM staff_qualification");
    snprintf(csv, sizeof csv, "職員番号,資格コード,取得日\n%s,FE,2030-04-01\nX99999,IP,2025-04-01\n", no);
    write_file("q2.csv", csv);
    assert_int_equal(run(NULL, "import quals q2.csv --db rec.db"), 1);
    expect_out("2行目");
    expect_out("3行目");
    expect_out("何も変更していません");
    assert_int_equal(count(p, "SELECT COUNT(*) FROM staff_qualification"), quals);
    /* completions without their required columns */
    write_file("c.csv", "職員番号,研修コード\nK1,X\n");
    assert_int_equal(run(NULL, "import completions c.csv --db rec.db"), 1);
    expect_out("開催日");
    arena_free(&a);
}

static void test_import_staff_profile_and_apply(void **state)
{
    (void)state;
    char p[128];
    fresh(p, sizeof p, "st.db");
    assert_int_equal(run(NULL, "export staff --format csv --out staff.csv --db st.db"), 0);
    /* a profile that does not exist falls back to the default columns */
    assert_int_equal(run(NULL, "import staff staff.csv --dry-run --profile 人事給与 --db st.db"), 0);
    expect_out("no profile 人事給与");
    expect_out("確認のみ");
    int64_t staff = count(p, "SELECT COUNT(*) FROM staff");
    /* the export read back: nothing new, applied without change */
    assert_int_equal(run(NULL, "import staff staff.csv --as-of 2026-06-01 --db st.db"), 0);
    expect_out("新規 0人");
    expect_out("人を更新しました");
    assert_int_equal(count(p, "SELECT COUNT(*) FROM staff"), staff);
}

static void test_export_refusals_and_cp932(void **state)
{
    (void)state;
    char p[128], f[160];
    fresh(p, sizeof p, "ex.db");
    assert_int_equal(run(NULL, "export --db ex.db"), 2);
    assert_int_equal(run(NULL, "export payroll --db ex.db"), 2);
    expect_out("usage: jinzai export");
    assert_int_equal(run(NULL, "export staff --format pdf --db ex.db"), 2);
    expect_out("csv|xlsx");
    /* cp932 to a file: no UTF-8 BOM, and the audit row says cp932 */
    assert_int_equal(run(NULL, "export staff --encoding cp932 --out s932.csv --db ex.db"), 0);
    expect_out("s932.csv");
    path_of(f, sizeof f, "s932.csv");
    FILE *fp = fopen(f, "rb");
    assert_non_null(fp);
    unsigned char head[3] = {0};
    assert_int_equal(fread(head, 1, 3, fp), 3);
    fclose(fp);
    assert_false(head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF);
    assert_int_equal(count(p, "SELECT COUNT(*) FROM audit_log WHERE action = 'export.staff' AND summary LIKE 'csv cp932%'"), 1);
    /* to stdout, for another 年度 */
    assert_int_equal(run(NULL, "export assessments --year 2025 --db ex.db"), 0);
    assert_int_equal(memcmp(out, "\xEF\xBB\xBF", 3), 0);
    /* an unwritable place: refused, and no audit row claims an export */
    int64_t audits = count(p, "SELECT COUNT(*) FROM audit_log WHERE action = 'export.training'");
    assert_int_equal(run(NULL, "export training --out /proc/jinzai-none/t.csv --db ex.db"), 1);
    assert_int_equal(count(p, "SELECT COUNT(*) FROM audit_log WHERE action = 'export.training'"), audits);
}

static void test_nendo_rollover(void **state)
{
    (void)state;
    char p[128];
    fresh(p, sizeof p, "ny.db");
    assert_int_equal(run(NULL, "nendo --db ny.db"), 2);
    assert_int_equal(run(NULL, "nendo rollover --db ny.db"), 2);
    assert_int_equal(run(NULL, "nendo rollback --to 2027 --db ny.db"), 2);
    assert_int_equal(run(NULL, "nendo rollover --to next --db ny.db"), 2);
    expect_out("usage: jinzai nendo rollover");
    int64_t d2026 = count(p, "SELECT COUNT(*) FROM tier_designation WHERE nendo = 2026");
    assert_true(d2026 > 0);
    /* dry run: the report, and nothing in 2027 */
    assert_int_equal(run(NULL, "nendo rollover --to 2027 --dry-run --db ny.db"), 0);
    expect_out("2026年度から2027年度への年度更新（確認のみ");
    expect_out("引き継ぐ指名");
    assert_int_equal(count(p, "SELECT COUNT(*) FROM tier_designation WHERE nendo = 2027"), 0);
    /* for real, then again: the second run names the designations already there */
    assert_int_equal(run(NULL, "nendo rollover --to 2027 --db ny.db"), 0);
    assert_non_null(strstr(out, "年度更新\n"));
    int64_t d2027 = count(p, "SELECT COUNT(*) FROM tier_designation WHERE nendo = 2027");
    assert_true(d2027 > 0);
    assert_int_equal(run(NULL, "nendo rollover --to 令和9年度 --db ny.db"), 0);
    expect_out("2027年度の指名が既に");
    expect_out("（設定済み）");
    assert_int_equal(count(p, "SELECT COUNT(*) FROM tier_designation WHERE nendo = 2027"), d2027);
}

static void test_designate_import(void **state)
{
    (void)state;
    char p[128], csv[512];
    fresh(p, sizeof p, "dg.db");
    Arena a = ARENA_INIT;
    /* a person with no designation in 2026 and the code of their 係 */
    const char *no = text_of(p, &a,
                             "SELECT s.staff_no FROM staff s JOIN assignment x ON x.staff_id = s.id AND x.is_primary = 1 AND x.to_date IS NULL"
                             " JOIN org_unit u ON u.id = x.unit_id WHERE NOT EXISTS (SELECT 1 FROM tier_designation d WHERE d.staff_id = s.id)"
                             " ORDER BY s.staff_no LIMIT 1");
    const char *unit = text_of(p, &a,
                               "SELECT u.code FROM staff s JOIN assignment x ON x.staff_id = s.id AND x.is_primary = 1 AND x.to_date IS NULL"
                               " JOIN org_unit u ON u.id = x.unit_id WHERE NOT EXISTS (SELECT 1 FROM tier_designation d WHERE d.staff_id = s.id)"
                               " ORDER BY s.staff_no LIMIT 1");
    assert_non_null(no);
    assert_non_null(unit);
    assert_int_equal(run(NULL, "designate --db dg.db"), 2);
    assert_int_equal(run(NULL, "designate export x.csv --db dg.db"), 2);
    expect_out("usage: jinzai designate import");
    assert_int_equal(run(NULL, "designate import missing.csv --db dg.db"), 1);
    expect_out("missing.csv");
    snprintf(csv, sizeof csv, "職員番号,区分,所属コード,指名日,備考\n%s,プロジェクト担当,%s,,CSVから\n", no, unit);
    write_file("d.csv", csv);
    assert_int_equal(run(NULL, "designate import d.csv --year 来年 --db dg.db"), 2);
    expect_out("--year");
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM tier_designation d JOIN staff s ON s.id = d.staff_id WHERE s.staff_no = '%s' AND d.subtype = 'project'", no);
    /* dry run: checked and listed, nothing stored */
    assert_int_equal(run(NULL, "designate import d.csv --dry-run --db dg.db"), 0);
    expect_out("OK");
    expect_out("確認しました");
    assert_int_equal(count(p, sql), 0);
    assert_int_equal(run(NULL, "designate import d.csv --year 2026 --db dg.db"), 0);
    expect_out("2026年度：1件を指名しました");
    assert_int_equal(count(p, sql), 1);
    /* an unknown person, an unknown 区分 and an unknown unit: all named, none stored */
    int64_t all = count(p, "SELECT COUNT(*) FROM tier_designation");
    snprintf(csv, sizeof csv, "職員番号,区分,所属コード\nX99999,プロジェクト担当,%s\n%s,部長,%s\n%s,情報部門,NO-SUCH\n", unit, no, unit, no);
    write_file("d2.csv", csv);
    assert_int_equal(run(NULL, "designate import d2.csv --db dg.db"), 1);
    expect_out("その職員番号の職員はいません");
    expect_out("区分は");
    expect_out("その所属コードの所属はありません");
    expect_out("何も変更していません");
    assert_int_equal(count(p, "SELECT COUNT(*) FROM tier_designation"), all);
    arena_free(&a);
}

static void test_test_request(void **state)
{
    (void)state;
    assert_int_equal(run("GET /login HTTP/1.1\r\nHost: localhost\r\n\r\n", "test-request --db demo.db"), 0);
    assert_int_equal(strncmp(out, "HTTP/1.1 200", 12), 0);
    expect_out("jz_pre=");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_command_and_bad_today),
        cmocka_unit_test(test_serve_bad_options),
        cmocka_unit_test(test_init_generated_password),
        cmocka_unit_test(test_user_refusals),
        cmocka_unit_test(test_backup_restore_usage),
        cmocka_unit_test(test_kpi_years_and_dates),
        cmocka_unit_test(test_transfers),
        cmocka_unit_test(test_import_records),
        cmocka_unit_test(test_import_staff_profile_and_apply),
        cmocka_unit_test(test_export_refusals_and_cp932),
        cmocka_unit_test(test_nendo_rollover),
        cmocka_unit_test(test_designate_import),
        cmocka_unit_test(test_test_request),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
