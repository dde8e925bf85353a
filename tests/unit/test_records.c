/* test_records.c - importing qualifications, assessments and completions
 * (records.h): for each kind, a file with bad rows is reported by line and
 * column and writes nothing; a good file writes; the same file again writes
 * nothing; a CP932 file reads the same; an optional column missing from the
 * file keeps what is stored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "db/migrate.h"
#include "domain/course.h"
#include "domain/records.h"
#include "domain/skill.h"
#include "../tmpdb.h"

static Db *db;
static char path[64];
static int64_t s1, s2;
static char t1[32], t2[32]; /* now_iso at T1 and T2 */

/* 2026-08-01 12:00 and a week later (UTC). */
#define T1 1785585600
#define T2 (T1 + 7 * 86400)

static int64_t person(const char *no, int64_t unit, int active)
{
    /* Someone not active left on 2021-03-31: their assignment ended then. */
    int64_t id = db_int(db, 0, "INSERT INTO staff (staff_no, name, emp_type, created_at, updated_at) VALUES (?, ?, 'regular', 'x', 'x') RETURNING id",
                        no, no);
    db_exec(db, "INSERT INTO assignment (staff_id, unit_id, from_date, to_date) VALUES (?, ?, '2020-04-01', NULLIF(?, ''))", id, unit,
            active ? "" : "2021-03-31");
    return id;
}

static void session(const char *course, const char *starts_at, int cancelled)
{
    db_exec(db, "INSERT INTO training_session (course_id, nendo, starts_at, ends_at, capacity, cancelled)"
                " SELECT id, 2026, ?, ?, 0, ? FROM course WHERE code = ?",
            starts_at, starts_at, cancelled, course);
}

static int setup(void **state)
{
    (void)state;
    db = tmpdb_open(path, sizeof path, "records");
    if (!db || skill_load_defaults(db, 2026) != 0 || course_load_defaults(db) != 0) return -1;
    int64_t unit = db_int(db, 0, "INSERT INTO org_unit (code, name, level, valid_from) VALUES ('U1', '総務課', 3, '2020-04-01') RETURNING id");
    s1 = person("S001", unit, 1);
    s2 = person("S002", unit, 1);
    person("S003", unit, 0); /* retired */
    session("SEC-01", "2026-05-01T09:00", 0); /* internal (総務課) */
    session("SEC-03", "2026-06-10T13:30", 0); /* external (J-LIS) */
    session("AI-01", "2026-07-01T10:00", 0);  /* two the same day */
    session("AI-01", "2026-07-01T14:00", 0);
    session("AI-01", "2026-08-01T10:00", 1); /* cancelled */
    util_set_clock(T2);
    now_iso(t2);
    util_set_clock(T1);
    now_iso(t1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    util_set_clock(0);
    db_close(db);
    tmpdb_remove(path);
    return 0;
}

static int count(const char *sql) { return (int)db_int(db, -1, sql); }

#define RECORDS                                                                                              \
    "SELECT (SELECT COUNT(*) FROM staff_qualification) + (SELECT COUNT(*) FROM assessment) + (SELECT COUNT(*) FROM assessment_item)" \
    " + (SELECT COUNT(*) FROM completion)"

static bool has_error(const Errors *e, const char *msg)
{
    for (int i = 0; i < e->n; i++)
        if (strstr(e->items[i].msg, msg)) return true;
    return false;
}

#define assert_error(errs, text)                                                                             \
    do {                                                                                                     \
        if (!has_error(errs, text)) {                                                                        \
            for (int i_ = 0; i_ < (errs)->n; i_++) print_message("  %s\n", (errs)->items[i_].msg);           \
            fail_msg("no error \"%s\"", text);                                                               \
        }                                                                                                    \
    } while (0)

/* A file that must fail: every message in want (NULL-terminated) is among
 * the errors, and nothing at all is written. */
static void plan_fails(RecordKind k, const char *csv, const char *const *want)
{
    int audits = count("SELECT COUNT(*) FROM audit_log"), records = count(RECORDS);
    Arena a = ARENA_INIT;
    Errors e = {0};
    RecordPlan p;
    assert_int_equal(record_plan(db, &a, k, csv, strlen(csv), &p, &e), -1);
    for (; *want; want++) assert_error(&e, *want);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    assert_int_equal(count(RECORDS), records);
    arena_free(&a);
}

/* Plans and applies a file that must be good; checks the counts of the plan
 * and returns how many rows were written. */
static int import(RecordKind k, const char *csv, size_t len, int n_new, int n_changed, int n_unchanged)
{
    Arena a = ARENA_INIT;
    Errors e = {0};
    RecordPlan p;
    int rc = record_plan(db, &a, k, csv, len, &p, &e);
    for (int i = 0; i < e.n; i++) print_message("  %s\n", e.items[i].msg);
    assert_int_equal(rc, 0);
    assert_int_equal(p.n_new, n_new);
    assert_int_equal(p.n_changed, n_changed);
    assert_int_equal(p.n_unchanged, n_unchanged);
    int written = -1;
    assert_int_equal(record_apply(db, &ACTOR_CLI, &p, &written, &e), 0);
    arena_free(&a);
    return written;
}
#define IMPORT(k, csv, n_new, n_changed, n_unchanged) import(k, csv, sizeof csv - 1, n_new, n_changed, n_unchanged)

static void test_kinds(void **state)
{
    (void)state;
    RecordKind k;
    assert_true(record_kind_parse("assessments", &k));
    assert_int_equal(k, REC_ASSESSMENTS);
    assert_false(record_kind_parse("staff", &k));
    assert_false(record_kind_parse(NULL, &k));
    assert_string_equal(record_kind_name(REC_COMPLETIONS), "研修受講");
    assert_string_equal(record_kind_code(REC_QUALS), "quals");
    const RecordColumn *cols;
    assert_int_equal(record_columns(REC_COMPLETIONS, &cols), 6);
    assert_string_equal(cols[2].alias, "日時");
    plan_fails(REC_QUALS, "職員番号,取得日\r\nS001,2025-01-01\r\n", (const char *const[]){"1行目：見出し「資格コード」（または「資格名」）の列がありません", NULL});
    plan_fails(REC_QUALS, "職員番号,資格コード,取得日\r\n", (const char *const[]){"データの行がありません。", NULL});
    plan_fails(REC_QUALS, "職員番号,資格コード,取得日\r\n\"S001,FE", (const char *const[]){"2行目：", NULL});
}

static void test_quals(void **state)
{
    (void)state;
    plan_fails(REC_QUALS,
               "職員番号,資格コード,取得日,有効期限,備考\r\n"
               "S001,FE,2025-10-01,,\r\n"
               "S999,FE,2025-10-01,,\r\n"
               "S001,ZZ,2025-10-01,,\r\n"
               "S001,SC,2025-04-01,,\r\n"
               "S002,IP,2099-01-01,,\r\n"
               "S001,ＦＥ,2025/10/1,,\r\n"
               "S003,IP,2025-01-01,,\r\n"
               "S002,IP,2025-13-01,,\r\n"
               "S002,SC,2025-04-01,2025-04-01,\r\n",
               (const char *const[]){"3行目「職員番号」：職員番号「S999」の職員はいません。", "4行目「資格コード」：「ZZ」は資格の一覧にありません。",
                                     "5行目「有効期限」：この資格は有効期限が必要です", "6行目「取得日」：未来の日付は入力できません。",
                                     "7行目「職員番号」：2行目と同じ記録です（職員番号・資格コード・取得日が同じ）。",
                                     "8行目「職員番号」：「S003」は在職中の職員ではありません。", "9行目「取得日」：「2025-13-01」は日付として読めません",
                                     "10行目「有効期限」：有効期限は取得日より後の日付にしてください。", NULL});
    assert_int_equal(count("SELECT COUNT(*) FROM staff_qualification"), 0);

    static const char good[] = "職員番号,資格名,取得日,有効期限,備考\r\n"
                               "S001,基本情報技術者,令和7年10月1日,,\r\n"
                               "S001,SC,2025-04-01,2027-03-31,\r\n"
                               "S002,ＩＰ,２０２４/４/１,,\r\n"
                               "S002,データサイエンティスト検定（リテラシーレベル）,2025-06-01,,\r\n"
                               ",,,,\r\n";
    assert_int_equal(IMPORT(REC_QUALS, good, 4, 0, 0), 4);
    assert_int_equal(count("SELECT COUNT(*) FROM staff_qualification"), 4);
    assert_true(db_exists(db, "SELECT 1 FROM staff_qualification WHERE staff_id = ? AND qual_code = 'DS'", s2));
    assert_true(db_exists(db, "SELECT 1 FROM staff_qualification WHERE staff_id = ? AND qual_code = 'FE' AND acquired_on = '2025-10-01'"
                              " AND expires_on IS NULL", s1));
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'qual.import'"), 4);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'import.quals' AND summary LIKE '%新規4%'"), 1);
    int audits = count("SELECT COUNT(*) FROM audit_log");
    assert_int_equal(IMPORT(REC_QUALS, good, 0, 0, 4), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    /* A changed note and expiry; a file without 備考 keeps it. */
    static const char renewed[] = "職員番号,資格コード,取得日,有効期限,備考\r\nS001,SC,2025-04-01,2029-03-31,更新講習を受講\r\n";
    assert_int_equal(IMPORT(REC_QUALS, renewed, 0, 1, 0), 1);
    assert_true(db_exists(db, "SELECT 1 FROM staff_qualification WHERE qual_code = 'SC' AND expires_on = '2029-03-31' AND note = '更新講習を受講'"));
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'qual.import' AND summary LIKE '%有効期限：2027-03-31 → 2029-03-31%'"));
    static const char no_note[] = "職員番号,資格コード,取得日,有効期限\r\nS001,SC,2025-04-01,2029-03-31\r\n";
    assert_int_equal(IMPORT(REC_QUALS, no_note, 0, 0, 1), 0);
}

static void test_quals_cp932(void **state)
{
    (void)state;
    /* 職員番号,資格名,取得日,有効期限,備考 / S001,ITパスポート,令和6年4月1日,,髙﨑さんの推薦 */
    static const char file[] =
        "\x90\x45\x88\xF5\x94\xD4\x8D\x86,\x8E\x91\x8A\x69\x96\xBC,\x8E\xE6\x93\xBE\x93\xFA,\x97\x4C\x8C\xF8\x8A\xFA\x8C\xC0,\x94\xF5\x8D\x6C\r\n"
        "S001,IT\x83\x70\x83\x58\x83\x7C\x81\x5B\x83\x67,\x97\xDF\x98\x61"
        "6\x94\x4E"
        "4\x8C\x8E"
        "1\x93\xFA,,\xFB\xFC\xFA\xB1\x82\xB3\x82\xF1\x82\xCC\x90\x84\x91\x45\r\n";
    Arena a = ARENA_INIT;
    Errors e = {0};
    RecordPlan p;
    assert_int_equal(record_plan(db, &a, REC_QUALS, file, sizeof file - 1, &p, &e), 0);
    assert_string_equal(p.encoding, "CP932（Shift_JIS）");
    assert_int_equal(p.n_new, 1);
    assert_string_equal(p.rows[0].about, "ITパスポート（取得 2024-04-01）");
    arena_free(&a);
    assert_int_equal(IMPORT(REC_QUALS, file, 1, 0, 0), 1);
    assert_true(db_exists(db, "SELECT 1 FROM staff_qualification WHERE staff_id = ? AND qual_code = 'IP' AND note = '髙﨑さんの推薦'", s1));
    assert_true(db_exists(db, "SELECT 1 FROM audit_log WHERE action = 'import.quals' AND summary LIKE '%CP932%'"));
    assert_int_equal(IMPORT(REC_QUALS, file, 0, 0, 1), 0);
}

#define ASSESS_HEAD "職員番号,年度,項目コード,自己評価,上司確認,コメント,根拠\r\n"

/* "state submitted_at confirmed_at" with 1 for t1, 2 for t2, - for none. */
static const char *assess_state(int64_t staff, int nendo, Arena *a)
{
    return db_text(db, a,
                   "SELECT state || ' ' || CASE submitted_at WHEN ? THEN '1' WHEN ? THEN '2' ELSE COALESCE(submitted_at, '-') END"
                   " || ' ' || CASE confirmed_at WHEN ? THEN '1' WHEN ? THEN '2' ELSE COALESCE(confirmed_at, '-') END FROM assessment"
                   " WHERE staff_id = ? AND nendo = ?",
                   t1, t2, t1, t2, staff, nendo);
}

static void test_assessments(void **state)
{
    (void)state;
    plan_fails(REC_ASSESSMENTS,
               ASSESS_HEAD "S001,2026,L-MIND-01,2,,,\r\n"
                           "S001,2026,X-NONE,2,,,\r\n"
                           "S001,2026,L-MIND-02,5,,,\r\n"
                           "S999,2026,L-MIND-01,1,,,\r\n"
                           "S001,令和8年度,L-MIND-01,3,,,\r\n"
                           "S002,2026,L-MIND-01,1,-1,,\r\n"
                           "S002,来年,L-MIND-01,1,,,\r\n"
                           "S002,2026,L-MIND-02,,,,\r\n",
               (const char *const[]){"3行目「項目コード」：項目コード「X-NONE」はスキルマップにありません。", "4行目「自己評価」：「5」は0〜4の整数にしてください。",
                                     "5行目「職員番号」：職員番号「S999」の職員はいません。", "6行目「職員番号」：2行目と同じ記録です",
                                     "7行目「上司確認」：「-1」は0〜4の整数にしてください。", "8行目「年度」：「来年」は年度として読めません",
                                     "9行目「自己評価」：空欄にはできません。", NULL});
    assert_int_equal(count("SELECT COUNT(*) FROM assessment"), 0);

    /* S001's lines are apart in the file; all confirmed. S002 2026 is not. */
    static const char good[] = ASSESS_HEAD "S001,2026,L-MIND-01,2,3,伸びた,研修\r\n"
                                           "S002,2026,L-MIND-01,2,,,\r\n"
                                           "S001,2026,L-MIND-02,1,1,,\r\n"
                                           "S002,R7,L-MIND-01,１,１,,\r\n";
    assert_int_equal(IMPORT(REC_ASSESSMENTS, good, 4, 0, 0), 4);
    Arena a = ARENA_INIT;
    assert_string_equal(assess_state(s1, 2026, &a), "confirmed 1 1");
    assert_string_equal(assess_state(s2, 2026, &a), "submitted 1 -");
    assert_string_equal(assess_state(s2, 2025, &a), "confirmed 1 1");
    assert_int_equal(count("SELECT COUNT(*) FROM assessment_item"), 4);
    assert_true(db_exists(db, "SELECT 1 FROM assessment_item WHERE self_level = 2 AND sup_level = 3 AND self_comment = '伸びた' AND evidence = '研修'"));
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'assess.import'"), 3);
    int audits = count("SELECT COUNT(*) FROM audit_log");
    util_set_clock(T2);
    assert_int_equal(IMPORT(REC_ASSESSMENTS, good, 0, 0, 4), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    assert_string_equal(assess_state(s1, 2026, &a), "confirmed 1 1");

    /* S002 2026 has another line without 上司確認 (entered on screen): it
     * stays, and keeps the assessment 提出済 until it is confirmed too. */
    db_exec(db, "INSERT INTO assessment_item (assessment_id, item_id, self_level) SELECT x.id, i.id, 1 FROM assessment x, skill_item i"
                " WHERE x.staff_id = ? AND x.nendo = 2026 AND i.code = 'L-MIND-03'", s2);
    static const char one[] = ASSESS_HEAD "S002,2026,L-MIND-01,2,2,,\r\n";
    assert_int_equal(IMPORT(REC_ASSESSMENTS, one, 0, 1, 0), 1);
    assert_string_equal(assess_state(s2, 2026, &a), "submitted 1 -");
    static const char both[] = ASSESS_HEAD "S002,2026,L-MIND-01,2,2,,\r\nS002,2026,L-MIND-03,1,2,,\r\n";
    Errors e = {0};
    RecordPlan p;
    assert_int_equal(record_plan(db, &a, REC_ASSESSMENTS, both, sizeof both - 1, &p, &e), 0);
    assert_int_equal(p.n_changed, 1);
    assert_int_equal(p.n_unchanged, 1);
    assert_string_equal(p.rows[1].what, "上司確認：なし → 2、状態：提出済 → 確認済"); /* said on the changed line */
    assert_int_equal(IMPORT(REC_ASSESSMENTS, both, 0, 1, 1), 1);
    assert_string_equal(assess_state(s2, 2026, &a), "confirmed 1 2");
    assert_int_equal(count("SELECT COUNT(*) FROM assessment_item"), 5);
    /* Without the 上司確認 column the levels confirmed stay. */
    static const char self_only[] = "職員番号,年度,項目コード,自己評価\r\nS002,2026,L-MIND-03,1\r\n";
    assert_int_equal(IMPORT(REC_ASSESSMENTS, self_only, 0, 0, 1), 0);
    /* A 下書き whose lines the file repeats stays a 下書き (an export read back). */
    db_exec(db, "INSERT INTO assessment (staff_id, nendo, state, updated_at) VALUES (?, 2024, 'draft', 'x')", s1);
    db_exec(db, "INSERT INTO assessment_item (assessment_id, item_id, self_level, self_comment) SELECT x.id, i.id, 2, 'まだ途中'"
                " FROM assessment x, skill_item i WHERE x.staff_id = ? AND x.nendo = 2024 AND i.code = 'L-MIND-01'", s1);
    static const char draft[] = ASSESS_HEAD "S001,2024,L-MIND-01,2,,まだ途中,\r\n";
    assert_int_equal(IMPORT(REC_ASSESSMENTS, draft, 0, 0, 1), 0);
    assert_string_equal(assess_state(s1, 2024, &a), "draft - -");
    util_set_clock(T1);
    arena_free(&a);
}

static void test_assessments_cp932(void **state)
{
    (void)state;
    /* 職員番号,年度,項目コード,自己評価,上司確認,コメント,根拠 / S001,令和8年度,L-MIND-01,2,2,髙﨑さんと確認,ｶﾅ研修 */
    static const char file[] = "\x90\x45\x88\xF5\x94\xD4\x8D\x86,\x94\x4E\x93\x78,\x8D\x80\x96\xDA\x83\x52\x81\x5B\x83\x68,\x8E\xA9\x8C\xC8\x95\x5D\x89\xBF,"
                               "\x8F\xE3\x8E\x69\x8A\x6D\x94\x46,\x83\x52\x83\x81\x83\x93\x83\x67,\x8D\xAA\x8B\x92\r\n"
                               "S001,\x97\xDF\x98\x61"
                               "8\x94\x4E\x93\x78,L-MIND-01,2,2,\xFB\xFC\xFA\xB1\x82\xB3\x82\xF1\x82\xC6\x8A\x6D\x94\x46,\xB6\xC5\x8C\xA4\x8F\x43\r\n";
    assert_int_equal(IMPORT(REC_ASSESSMENTS, file, 0, 1, 0), 1);
    assert_true(db_exists(db, "SELECT 1 FROM assessment_item y JOIN assessment x ON x.id = y.assessment_id WHERE x.staff_id = ? AND x.nendo = 2026"
                              " AND y.sup_level = 2 AND y.self_comment = '髙﨑さんと確認' AND y.evidence = 'ｶﾅ研修'", s1));
    assert_int_equal(IMPORT(REC_ASSESSMENTS, file, 0, 0, 1), 0);
}

#define DONE_HEAD "職員番号,研修コード,開催日,出欠,点数,復命書提出日\r\n"

static void test_completions(void **state)
{
    (void)state;
    plan_fails(REC_COMPLETIONS,
               DONE_HEAD "S001,SEC-01,2026-05-01,出席,80,\r\n"
                         "S001,NOPE-1,2026-05-01,出席,,\r\n"
                         "S001,SEC-01,2026-05-02,出席,,\r\n"
                         "S001,AI-01,2026-07-01,出席,,\r\n"
                         "S002,SEC-01,2026-05-01,たぶん,,\r\n"
                         "S002,SEC-03,2026-06-10,欠席,,2026-06-20\r\n"
                         "S002,SEC-01,2026-05-01,1,101,\r\n"
                         "S001,AI-01,2026-08-01,出席,,\r\n"
                         "S001,SEC-01,2026-05-01,○,,\r\n",
               (const char *const[]){"3行目「研修コード」：研修コード「NOPE-1」の研修はありません。", "4行目「開催日」：この研修の2026-05-02に始まる日程はありません。",
                                     "5行目「開催日」：この研修の2026-07-01に始まる日程が2件あり", "6行目「出欠」：「たぶん」は出欠として読めません",
                                     "7行目「復命書提出日」：欠席の行には入力できません。", "8行目「点数」：「101」は0〜100の整数にしてください。",
                                     "9行目「開催日」：この研修の2026-08-01に始まる日程はありません。", "10行目「職員番号」：2行目と同じ記録です", NULL});
    assert_int_equal(count("SELECT COUNT(*) FROM completion"), 0);

    /* As exported (日時, 出席): internal completes on attendance, external
     * only with its 復命書. */
    static const char good[] = "職員番号,氏名,研修コード,日時,出席,点数,復命書\r\n"
                               "S001,x,SEC-01,2026-05-01T09:00,出席,80,\r\n"
                               "S002,x,SEC-01,2026-05-01T09:00,×,,\r\n"
                               "S001,x,SEC-03,2026/6/10,○,,\r\n"
                               "S002,x,SEC-03,2026-06-10,1,,2026-06-20\r\n";
    assert_int_equal(IMPORT(REC_COMPLETIONS, good, 4, 0, 0), 4);
    assert_int_equal(count("SELECT COUNT(*) FROM completion"), 4);
    assert_int_equal(count("SELECT COUNT(*) FROM completion WHERE completed = 1"), 2);
    assert_int_equal(count("SELECT COUNT(*) FROM completion c JOIN training_session s ON s.id = c.session_id JOIN course k ON k.id = s.course_id"
                           " WHERE c.attended = 1 AND c.minutes = k.minutes"),
                     3);
    assert_true(db_exists(db, "SELECT 1 FROM completion WHERE staff_id = ? AND score = 80 AND completed = 1", s1));
    assert_true(db_exists(db, "SELECT 1 FROM completion WHERE staff_id = ? AND attended = 0 AND minutes = 0 AND score IS NULL", s2));
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'completion.import'"), 4);
    int audits = count("SELECT COUNT(*) FROM audit_log");
    assert_int_equal(IMPORT(REC_COMPLETIONS, good, 0, 0, 4), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    /* The 復命書 arrives; a file without 点数 keeps the score. */
    static const char report[] = "職員番号,研修コード,開催日,出欠,復命書提出日\r\nS001,SEC-03,2026-06-10,出席,2026-06-30\r\nS001,SEC-01,2026-05-01,出席,\r\n";
    Arena a = ARENA_INIT;
    Errors e = {0};
    RecordPlan p;
    assert_int_equal(record_plan(db, &a, REC_COMPLETIONS, report, sizeof report - 1, &p, &e), 0);
    assert_string_equal(p.rows[0].what, "復命書提出日：なし → 2026-06-30");
    arena_free(&a);
    assert_int_equal(IMPORT(REC_COMPLETIONS, report, 0, 1, 1), 1);
    assert_int_equal(count("SELECT COUNT(*) FROM completion WHERE completed = 1"), 3);
    assert_true(db_exists(db, "SELECT 1 FROM completion WHERE staff_id = ? AND score = 80", s1));
}

static void test_completions_cp932(void **state)
{
    (void)state;
    /* 職員番号,研修コード,開催日,出欠,点数,復命書提出日 / S002,SEC-01,2026/5/1,出席,９０, */
    static const char file[] = "\x90\x45\x88\xF5\x94\xD4\x8D\x86,\x8C\xA4\x8F\x43\x83\x52\x81\x5B\x83\x68,\x8A\x4A\x8D\xC3\x93\xFA,\x8F\x6F\x8C\x87,"
                               "\x93\x5F\x90\x94,\x95\x9C\x96\xBD\x8F\x91\x92\xF1\x8F\x6F\x93\xFA\r\n"
                               "S002,SEC-01,2026/5/1,\x8F\x6F\x90\xC8,\x82\x58\x82\x4F,\r\n";
    assert_int_equal(IMPORT(REC_COMPLETIONS, file, 0, 1, 0), 1);
    assert_true(db_exists(db, "SELECT 1 FROM completion WHERE staff_id = ? AND attended = 1 AND completed = 1 AND score = 90", s2));
    assert_int_equal(IMPORT(REC_COMPLETIONS, file, 0, 0, 1), 0);
}

/* A plan looks a person and an item up once for the lines that repeat them:
 * every line is still judged on its own (each bad line has its error), and a
 * plan inside the caller's transaction sees what that transaction wrote. */
static void test_repeated_lookups(void **state)
{
    (void)state;
    plan_fails(REC_ASSESSMENTS,
               ASSESS_HEAD "S998,2026,L-MIND-01,1,,,\r\n"
                           "S998,2026,L-MIND-02,1,,,\r\n"
                           "S001,2026,X-NONE,1,,,\r\n"
                           "S002,2026,X-NONE,1,,,\r\n"
                           "S998,2026,L-MIND-03,1,,,\r\n",
               (const char *const[]){"2行目「職員番号」：職員番号「S998」の職員はいません。", "3行目「職員番号」：職員番号「S998」の職員はいません。",
                                     "4行目「項目コード」：項目コード「X-NONE」はスキルマップにありません。",
                                     "5行目「項目コード」：項目コード「X-NONE」はスキルマップにありません。",
                                     "6行目「職員番号」：職員番号「S998」の職員はいません。", NULL});
    assert_int_equal(db_begin(db), 0);
    int64_t unit = db_int(db, 0, "SELECT id FROM org_unit WHERE code = 'U1'");
    int64_t s998 = person("S998", unit, 1);
    static const char csv[] = ASSESS_HEAD "S998,2030,L-MIND-01,1,,,\r\nS998,2030,L-MIND-02,2,,,\r\nS001,2030,L-MIND-01,3,,,\r\n";
    Arena a = ARENA_INIT;
    Errors e = {0};
    RecordPlan p;
    assert_int_equal(record_plan(db, &a, REC_ASSESSMENTS, csv, sizeof csv - 1, &p, &e), 0);
    assert_int_equal(p.n_new, 3);
    assert_true(p.rows[0].staff_id == s998 && p.rows[1].staff_id == s998 && p.rows[2].staff_id == s1);
    assert_string_equal(p.rows[1].staff_name, "S998");
    assert_true(p.rows[0].ref_id != p.rows[1].ref_id && p.rows[0].ref_id == p.rows[2].ref_id);
    db_rollback(db);
    assert_int_equal(count("SELECT COUNT(*) FROM staff WHERE staff_no = 'S998'"), 0);
    arena_free(&a);
}

/* A long file whose last line is wrong writes nothing: a bad value, a
 * line that repeats an earlier one, a quote left open (the file is refused
 * as a whole, with no row read). And a plan whose last record can no longer
 * be written when it is applied writes nothing either. */
static void test_error_at_last_row(void **state)
{
    (void)state;
    int audits = count("SELECT COUNT(*) FROM audit_log"), records = count(RECORDS);
    Buf body = BUF_INIT;
    buf_puts(&body, ASSESS_HEAD);
    for (int y = 2100; y < 2500; y++) buf_printf(&body, "S001,%d,L-MIND-01,2,,,\r\nS002,%d,L-MIND-02,3,3,よい,\r\n", y, y);
    static const struct {
        const char *last, *want;
    } bad[] = {
        {"S002,2500,L-MIND-02,9,,,\r\n", "802行目「自己評価」：「9」は0〜4の整数にしてください。"},
        {"S001,2100,L-MIND-01,3,,,\r\n", "802行目「職員番号」：2行目と同じ記録です"},
        {"S002,2500,L-MIND-02,1,,\"open,\r\n", "802行目：引用符が閉じられていません（F列「コメント」）。"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        Buf f = BUF_INIT;
        buf_append(&f, body.data, body.len);
        buf_puts(&f, bad[k].last);
        Arena a = ARENA_INIT;
        Errors e = {0};
        RecordPlan p;
        assert_int_equal(record_plan(db, &a, REC_ASSESSMENTS, f.data, f.len, &p, &e), -1);
        assert_error(&e, bad[k].want);
        assert_int_equal(e.n, 1); /* that line only */
        assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
        assert_int_equal(count(RECORDS), records);
        arena_free(&a);
        buf_free(&f);
    }

    /* Planned; then S002's assessment of 2500 is entered on screen before
     * applying: the last record's insert fails, so none is written. */
    buf_puts(&body, "S002,2500,L-MIND-02,1,,,\r\n");
    Arena a = ARENA_INIT;
    Errors e = {0};
    RecordPlan p;
    assert_int_equal(record_plan(db, &a, REC_ASSESSMENTS, body.data, body.len, &p, &e), 0);
    assert_int_equal(p.n_new, 801);
    db_exec(db, "INSERT INTO assessment (staff_id, nendo, state, updated_at) VALUES (?, 2500, 'draft', 'x')", s2);
    int written = -1;
    assert_int_equal(record_apply(db, &ACTOR_CLI, &p, &written, &e), -1);
    assert_int_equal(written, 0);
    assert_error(&e, "802行目（S002）：反映できませんでした。");
    db_exec(db, "DELETE FROM assessment WHERE staff_id = ? AND nendo = 2500", s2);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    assert_int_equal(count(RECORDS), records);
    arena_free(&a);
    buf_free(&body);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),       cmocka_unit_test(test_quals),       cmocka_unit_test(test_quals_cp932),
        cmocka_unit_test(test_assessments), cmocka_unit_test(test_assessments_cp932), cmocka_unit_test(test_completions),
        cmocka_unit_test(test_completions_cp932), cmocka_unit_test(test_repeated_lookups),
        cmocka_unit_test(test_error_at_last_row),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
