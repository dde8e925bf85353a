/* demo_elearning.c - demo_elearning: the mandatory information-security
 * module of the 年度 written in jinzai (five pages, a bank of twenty
 * questions, a quiz of ten with a pass mark of 80 %), and passing attempts
 * with completions for about 70 % of the staff, dated before today. The text
 * states general rules in jinzai's own words.
 *
 * Then the SCORM 1.2 sample package (compiled into the binary) imported by
 * scorm_import, as the upload screen does, onto the catalogue's security
 * e-learning SEC-01, with finished SCORM attempts for about 40 % of the staff.
 * The module is the one mandatory security course of the 年度, so SEC-01
 * stops being mandatory and its generic 年度 enrolment is replaced by the
 * SCORM learners. */
#include <stdio.h>
#include <string.h>

#include "../core/embed.h"
#include "../core/util.h"
#include "../io/text.h"
#include "../domain/asof.h"
#include "demo.h"
#include "../domain/module.h"
#include "../domain/quiz.h"
#include "../domain/scorm.h"
#include "../domain/training.h"

static const struct {
    const char *title, *body;
} PAGES[] = {
    {"この研修について",
     "# 情報セキュリティ研修\n\n市の情報は住民の皆さんから預かったものです。この研修では、毎日の仕事で守る基本のルールを確認します。\n\n"
     "- 所要時間は約60分です。\n- すべてのページを読み、最後の確認テスト（10問、80点以上で合格）に合格すると修了です。\n"},
    {"パスワードと認証",
     "## パスワードと認証\n\n1. パスワードは長く、推測されにくいものにします。名前や誕生日は使いません。\n"
     "2. 同じパスワードを複数のシステムで使い回しません。\n3. パスワードを付箋に書いて画面に貼ったり、他の人に教えたりしません。\n"
     "4. 多要素認証が使えるシステムでは必ず設定します。\n\n**席を離れるときは、必ず画面をロックします。**\n"},
    {"不審なメールへの対応",
     "## 不審なメールへの対応\n\n- 差出人や件名に心当たりがないメールの添付ファイルは開かず、本文のリンクも押しません。\n"
     "- 知っている相手の名前でも、急がせる・口座の変更を求めるなどの内容は、電話など別の手段で確認します。\n"
     "- 誤って開いてしまったら、ネットワークから端末を切り離し、すぐに情報政策担当へ連絡します。隠さないことが被害を小さくします。\n"},
    {"情報の持ち出しと取扱い",
     "## 情報の持ち出しと取扱い\n\n- 個人情報を含むデータを許可なく庁外へ持ち出しません。私物のUSBメモリは使いません。\n"
     "- メールで送る前に、宛先（特にCC・BCC）と添付ファイルをもう一度確認します。\n"
     "- 不要になった書類はシュレッダーで、記録媒体は定められた方法で廃棄します。\n- 許可されていないクラウドサービスや生成AIに業務の情報を入力しません。\n"},
    {"インシデントが起きたら",
     "## インシデントが起きたら\n\n紛失、誤送信、ウイルス感染の疑いなどに気づいたら、**すぐに**所属長と情報政策担当に報告します。\n\n"
     "1. 何が、いつ、どこで起きたかを記録する\n2. 自分だけで解決しようとせず、指示を待つ\n3. 報告が早いほど、住民への影響を小さくできます\n"},
};

typedef struct DemoQ {
    const char *kind, *text, *opts[4];
    unsigned correct; /* bit i: option i is correct */
    const char *explanation;
} DemoQ;

static const DemoQ BANK[] = {
    {"single", "パスワードとして最も適切なものはどれですか。", {"自分の誕生日", "職員番号", "長く推測されにくい語句の組合せ", "「password」"}, 4,
     "長く、推測されにくいものが適切です。個人に結びつく情報は推測されやすくなります。"},
    {"truefalse", "同じパスワードを複数のシステムで使い回してもよい。", {"正しい", "誤り"}, 2, "一つが漏れると他のシステムにも入られるため、使い回しません。"},
    {"truefalse", "席を離れるときは画面をロックする。", {"正しい", "誤り"}, 1, "短い時間でも、画面をロックしてから離れます。"},
    {"multiple", "多要素認証について正しいものをすべて選んでください。", {"使えるシステムでは設定する", "パスワードが漏れても不正利用を防ぎやすい", "設定すると誰でもログインできる"}, 3,
     "多要素認証は、パスワードに加えて別の要素で本人を確かめる仕組みです。"},
    {"single", "心当たりのない差出人からの添付ファイル付きメールへの対応として適切なものは。", {"すぐに開いて内容を確かめる", "開かずに情報政策担当へ相談する", "同僚に転送して開いてもらう"}, 2,
     "開かずに相談します。転送すると被害が広がるおそれがあります。"},
    {"truefalse", "上司の名前で「至急、口座を変更して」というメールが来たら、すぐに対応する。", {"正しい", "誤り"}, 2, "急がせる内容は、電話など別の手段で本人に確認します。"},
    {"single", "不審なファイルを誤って開いてしまったとき、最初にすることは。", {"端末をネットワークから切り離して連絡する", "何もなかったことにする", "ファイルを削除して様子を見る"}, 1,
     "切り離して、すぐに連絡します。隠さないことが被害を小さくします。"},
    {"multiple", "メールを送る前に確認することをすべて選んでください。", {"宛先", "CC・BCCの使い方", "添付ファイル", "送信ボタンの色"}, 7,
     "誤送信の多くは宛先と添付の確認で防げます。"},
    {"truefalse", "私物のUSBメモリで業務データを持ち帰ってよい。", {"正しい", "誤り"}, 2, "私物の記録媒体は使いません。持ち出しには許可が必要です。"},
    {"single", "不要になった個人情報を含む書類の処分方法は。", {"ごみ箱に捨てる", "シュレッダーにかける", "裏紙として使う"}, 2, "読み取れない状態にして処分します。"},
    {"truefalse", "許可されていない生成AIサービスに住民の個人情報を入力してよい。", {"正しい", "誤り"}, 2, "許可されていないサービスに業務の情報を入力しません。"},
    {"multiple", "インシデントに気づいたときの行動として正しいものをすべて選んでください。", {"所属長に報告する", "情報政策担当に報告する", "自分だけで解決してから報告する"}, 3,
     "すぐに報告します。自分だけで解決しようとすると対応が遅れます。"},
    {"single", "ノートPCを紛失したことに気づいた。いつ報告しますか。", {"見つからないと確定してから", "気づいたらすぐ", "翌年度の研修のとき"}, 2, "早い報告ほど影響を小さくできます。"},
    {"truefalse", "パスワードを付箋に書いてモニターに貼るのは問題ない。", {"正しい", "誤り"}, 2, "他の人に見られるため、書いて貼りません。"},
    {"single", "BCCを使うべき場面はどれですか。", {"互いに面識のない多数の相手に一斉に送るとき", "上司に報告するとき", "一人に送るとき"}, 1,
     "多数の相手に送るときにTOやCCを使うと、全員のアドレスが見えてしまいます。"},
    {"multiple", "情報を守るために日ごろからできることをすべて選んでください。", {"OSやソフトを更新する", "不審なリンクを押さない", "パスワードを同僚と共有する"}, 3,
     "更新と慎重な操作が基本です。パスワードは共有しません。"},
    {"truefalse", "住民から預かった情報は市の大切な資産である。", {"正しい", "誤り"}, 1, "預かった情報を守ることは、市への信頼を守ることです。"},
    {"single", "庁外で業務の電話をするときに気をつけることは。", {"周りに聞かれない場所で話す", "大きな声で話す", "個人名をはっきり言う"}, 1,
     "周囲に人がいる場所では、個人情報や内部の情報を話しません。"},
    {"truefalse", "ウイルス対策ソフトが入っていれば、不審なメールを開いても安全である。", {"正しい", "誤り"}, 2, "対策ソフトで防げない攻撃もあります。開かないことが基本です。"},
    {"single", "画面をロックするのはどんなときですか。", {"帰宅するときだけ", "席を離れるときはいつも", "ロックは必要ない"}, 2, "短い時間でも、離れるときはロックします。"},
};

static int demo_scorm(Db *db, int nendo, unsigned seed);

int demo_elearning(Db *db, int nendo, unsigned seed)
{
    uint64_t rs = seed;
    Arena a = ARENA_INIT;
    char code[32], title[96], today[11], at[32];
    date_iso(date_today(), today);
    now_iso(at);
    snprintf(code, sizeof code, "SEC-EL-R%d", nendo - 2018);
    snprintf(title, sizeof title, "情報セキュリティ研修（令和%d年度）", nendo - 2018);
    if (db_begin(db) != 0) return -1;
    int64_t course = db_int(db, 0,
                            "INSERT INTO course (code, title, provider, format, target_tiers, minutes, capacity, cost, mandatory, security, description)"
                            " VALUES (?, ?, 'somu', 'elearning', 14, 60, 0, 0, 1, 1, ?) RETURNING id",
                            code, title, "全職員が毎年度受講する情報セキュリティのeラーニングです（jinzaiで受講）。");
    bool ok = course > 0;
    for (size_t i = 0; i < sizeof PAGES / sizeof PAGES[0] && ok; i++)
        ok = db_exec(db, "INSERT INTO module_page (course_id, seq, title, body, updated_at) VALUES (?, ?, ?, ?, ?)", course, (int)i + 1,
                     PAGES[i].title, PAGES[i].body, at) == 1;
    ok = ok && db_exec(db, "INSERT INTO quiz (course_id, draw, pass_percent, max_attempts, time_limit) VALUES (?, 10, 80, 3, 30)", course) == 1;
    int64_t qids[20];
    for (size_t i = 0; i < sizeof BANK / sizeof BANK[0] && ok; i++) {
        qids[i] = db_int(db, 0, "INSERT INTO quiz_question (course_id, kind, text, explanation) VALUES (?, ?, ?, ?) RETURNING id", course,
                         BANK[i].kind, BANK[i].text, BANK[i].explanation);
        ok = qids[i] > 0;
        for (int k = 0; k < 4 && ok && BANK[i].opts[k]; k++)
            ok = db_exec(db, "INSERT INTO quiz_option (question_id, seq, text, correct) VALUES (?, ?, ?, ?)", qids[i], k + 1, BANK[i].opts[k],
                         (BANK[i].correct >> k) & 1 ? 1 : 0) == 1;
    }
    int64_t session = ok ? module_session(db, course, nendo) : 0;
    ok = ok && session > 0;
    /* About 70 % of the staff in service passed, on a day between the start
     * of the 年度 and yesterday. */
    Date d0 = {nendo, 4, 1}, t = date_today();
    int span = 0;
    for (Date x = d0; date_cmp(x, t) < 0 && span < 400; x = date_add_days(x, 1)) span++;
    Stmt *st = db_query(db, "SELECT s.id FROM staff s WHERE " ASOF_IN_SERVICE("s.id") " ORDER BY s.id", today, today);
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff"), np = 0;
    int64_t *people = arena_alloc(&a, sizeof *people * (size_t)(cap + 1));
    while (np < cap && db_step(st) == DB_ROW) people[np++] = db_col_int(st, 0);
    db_done(st);
    int64_t me = db_int(db, 0, "SELECT staff_id FROM account WHERE login = 'shokuin'");
    int done = 0;
    for (int i = 0; i < np && ok && span > 0; i++) {
        if (people[i] == me || demo_rnd(&rs, 100) >= 70) continue;
        char day[11], when[32];
        int off = demo_rnd(&rs, span);
        Date d = date_add_days(d0, off);
        date_iso(d, day);
        snprintf(when, sizeof when, "%sT10:00:00", day);
        for (size_t p = 0; p < sizeof PAGES / sizeof PAGES[0] && ok; p++)
            ok = db_exec(db,
                         "INSERT INTO module_progress (staff_id, page_id, viewed_at) SELECT ?, id, ? FROM module_page WHERE course_id = ? AND seq = ?",
                         people[i], when, course, (int)p + 1) == 1;
        int64_t started = now_unix() - (int64_t)(span - off) * 86400;
        int score = 80 + 10 * demo_rnd(&rs, 3);
        int64_t att = db_int(db, 0,
                             "INSERT INTO quiz_attempt (course_id, staff_id, started_at, deadline, submitted_at, score, passed)"
                             " VALUES (?, ?, ?, ?, ?, ?, 1) RETURNING id",
                             course, people[i], started, started + 1800, started + 600, score);
        ok = ok && att > 0;
        int wrong = (100 - score) / 10, first = demo_rnd(&rs, 11);
        for (int k = 0; k < 10 && ok; k++) {
            int q = (first + k * 2) % 20;
            ok = db_exec(db, "INSERT INTO quiz_attempt_item (attempt_id, seq, question_id, options, answer, correct) VALUES (?, ?, ?, '', '', ?)", att,
                         k + 1, qids[q], k < wrong ? 0 : 1) == 1;
        }
        ok = ok && db_exec(db,
                           "INSERT INTO completion (session_id, staff_id, attended, minutes, score, result, completed, recorded_at)"
                           " VALUES (?, ?, 1, 60, ?, ?, 1, ?) ON CONFLICT (session_id, staff_id) DO NOTHING",
                           session, people[i], score, "修了（eラーニング）", day) >= 0;
        done++;
    }
    ok = ok && audit_write(db, &ACTOR_CLI, "demo.elearning", "course", course, 0, arena_printf(&a, "%s 修了%d人", title, done)) == 0;
    int rc = -1;
    if (ok && db_commit(db) == 0) rc = 0;
    else {
        db_rollback(db);
        fprintf(stderr, "jinzai: demo e-learning failed: %s\n", db_errmsg(db));
    }
    arena_free(&a);
    return rc == 0 ? demo_scorm(db, nendo, seed ^ 0x5c0u) : rc;
}

/* The days from the start of the 年度 to yesterday (0 on its first day). */
static int days_so_far(int nendo)
{
    Date d0 = {nendo, 4, 1}, t = date_today();
    int span = 0;
    for (Date x = d0; date_cmp(x, t) < 0 && span < 400; x = date_add_days(x, 1)) span++;
    return span;
}

/* The sample package on SEC-01 (a course of its own when the catalogue has
 * no SEC-01), and finished attempts recorded as scorm_commit records them:
 * lesson_status passed or completed, score, total_time, and a completion of
 * the course's 年度 session with the course's minutes and the status as the
 * result. Nobody is given one for shokuin, who learns it in the journeys. */
static int demo_scorm(Db *db, int nendo, unsigned seed)
{
    if (embedded_scorm_count == 0) return 0;
    uint64_t rs = seed;
    Arena a = ARENA_INIT;
    Errors e = {0};
    char today[11];
    date_iso(date_today(), today);
    int64_t course = db_int(db, 0, "SELECT id FROM course WHERE code = 'SEC-01'");
    if (!course)
        course = db_int(db, 0,
                        "INSERT INTO course (code, title, provider, format, target_tiers, minutes, capacity, cost, mandatory, security, description)"
                        " VALUES ('SEC-01', ?, 'somu', 'elearning', 14, 60, 0, 0, 0, 1, ?) RETURNING id",
                        "情報セキュリティ基礎（eラーニング）", "購入したSCORM教材で学ぶ情報セキュリティの基礎です。");
    int64_t pkg = course > 0 ? scorm_import(db, &ACTOR_CLI, course, embedded_scorm[0].name, embedded_scorm[0].data, embedded_scorm[0].len, &e) : -1;
    if (pkg <= 0) {
        fprintf(stderr, "jinzai: demo SCORM sample failed: %s\n", e.n ? e.items[0].msg : db_errmsg(db));
        return -1;
    }
    int64_t sco = db_int(db, 0, "SELECT id FROM scorm_sco WHERE package_id = ? ORDER BY seq LIMIT 1", pkg);
    if (db_begin(db) != 0) return -1;
    int minutes = (int)db_int(db, 0, "SELECT minutes FROM course WHERE id = ?", course);
    int64_t session = session_for_year(db, course, nendo, "SCORM教材の受講（通年）");
    bool ok = sco > 0 && session > 0 && db_exec(db, "UPDATE course SET mandatory = 0, format = 'elearning' WHERE id = ?", course) >= 0;
    /* Learners of the package have no applications; who had brought something
     * back from this session keeps their completion. */
    ok = ok && db_exec(db, "DELETE FROM application WHERE session_id = ?", session) >= 0;
    Stmt *st = db_query(db, "SELECT s.id, EXISTS (SELECT 1 FROM share_back b WHERE b.staff_id = s.id AND b.session_id = ?) FROM staff s WHERE " ASOF_IN_SERVICE("s.id") " ORDER BY s.id",
                        session, today, today);
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff"), np = 0;
    int64_t *people = arena_alloc(&a, sizeof *people * (size_t)(cap + 1));
    bool *keep = arena_alloc(&a, sizeof *keep * (size_t)(cap + 1));
    while (np < cap && db_step(st) == DB_ROW) {
        people[np] = db_col_int(st, 0);
        keep[np++] = db_col_int(st, 1) != 0;
    }
    db_done(st);
    int64_t me = db_int(db, 0, "SELECT staff_id FROM account WHERE login = 'shokuin'");
    int span = days_so_far(nendo), done = 0;
    for (int i = 0; i < np && ok; i++) {
        bool learner = people[i] != me && span > 0 && (demo_rnd(&rs, 100) < 40 || keep[i]);
        if (!learner) {
            ok = db_exec(db, "DELETE FROM completion WHERE session_id = ? AND staff_id = ?", session, people[i]) >= 0;
            continue;
        }
        char when[32];
        Date d = date_add_days((Date){nendo, 4, 1}, demo_rnd(&rs, span));
        date_iso(d, when);
        snprintf(when + 10, sizeof when - 10, "T%02d:%02d:00", 9 + demo_rnd(&rs, 8), demo_rnd(&rs, 60));
        bool passed = demo_rnd(&rs, 100) < 80;
        const char *status = passed ? "passed" : "completed";
        int secs = 240 + demo_rnd(&rs, 900);
        char total[24];
        scorm_time_format((int64_t)secs * 100, total);
        ok = db_exec(db,
                     "INSERT INTO scorm_attempt (sco_id, staff_id, lesson_status, lesson_location, suspend_data, score_raw, score_min, score_max,"
                     " total_time, exit_mode, committed_at) VALUES (?, ?, ?, 'q1', 'answer=b', ?, '0', '100', ?, 'suspend', ?)",
                     sco, people[i], status, passed ? "100" : "", total, when) == 1;
        ok = ok && db_exec(db,
                           "INSERT INTO completion (session_id, staff_id, attended, minutes, score, result, completed, recorded_at)"
                           " VALUES (?, ?, 1, ?, NULLIF(?, -1), ?, 1, ?) ON CONFLICT (session_id, staff_id) DO UPDATE SET attended = 1,"
                           " completed = 1, minutes = excluded.minutes, score = excluded.score, result = excluded.result,"
                           " recorded_at = excluded.recorded_at, report_on = NULL, report = ''",
                           session, people[i], minutes, passed ? 100 : -1, status, when) == 1;
        done++;
    }
    ok = ok && audit_write(db, &ACTOR_CLI, "demo.scorm", "scorm_package", pkg, 0, arena_printf(&a, "SCORMサンプル 修了%d人（SEC-01 は必修から外す）", done)) == 0;
    int rc = -1;
    if (ok && db_commit(db) == 0) rc = 0;
    else {
        db_rollback(db);
        fprintf(stderr, "jinzai: demo SCORM learners failed: %s\n", db_errmsg(db));
    }
    arena_free(&a);
    return rc;
}
