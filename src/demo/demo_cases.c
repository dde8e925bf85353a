/* demo_cases.c - demo_cases: the demo's case library. Synthetic cases written
 * for jinzai (no municipality's actual results): 先進地事例 and 他団体優良事例
 * of unnamed municipalities (「県内A市」, 「人口3万人規模の町」), 庁内事例 of the
 * demo's own units, and 職場還元 records of the demo published as cases.
 * The texts are chosen so that the searches 「RPA」, 「生成ＡＩ」, 「窓口」 and
 * 「AI」 each find their own cases and nothing else. */
#include <stdio.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "../domain/asof.h"
#include "../domain/cases.h"
#include "demo.h"

typedef struct DemoCase {
    const char *kind, *title, *source;
    int years_ago; /* 年度 = nendo - years_ago */
    const char *summary, *body;
    double hours;        /* -1: unknown */
    long long cost, users; /* -1: unknown */
    const char *url, *skills; /* skill item codes separated by spaces */
    int published;
} DemoCase;

static const DemoCase CASES[] = {
    {"advanced", "RPAで税務課の口座振替データ処理を自動化", "県内A市", 1,
     "口座振替の依頼データの取込と照合をRPAで自動化し、月末の残業を大きく減らした。",
     "## 背景\n\n毎月、金融機関から届く口座振替の結果データを手作業で基幹システムへ入力していた。\n\n"
     "## 取組\n\n- 作業手順を書き出し、判断が要らない部分だけをRPAに任せた\n- 例外データは一覧に出して職員が確認する運用にした\n\n"
     "## 効果\n\n年間約600時間の入力作業が削減され、入力誤りもなくなった。",
     600, 1800000, 12, "https://example.com/cases/a-city-rpa", "K-03 L-HOW-02", 1},
    {"other", "RPA導入の庁内ガイドライン策定と野良ロボット対策", "人口10万人規模の市", 2,
     "RPAの対象業務の選び方、ロボットの台帳管理と引継ぎのルールを定めたガイドライン。",
     "## ポイント\n\n1. ロボットごとに担当者と副担当を決めて台帳に記録する\n2. 基幹システムの改修時は事前に影響を確認する\n3. 年1回、使われていないロボットを棚卸しする\n\n"
     "作成者の異動で止まってしまうロボットを防ぐことが目的。",
     -1, -1, -1, "", "K-03 K-08", 1},
    {"internal", "RPAによる児童手当の現況確認データの突合", "福祉課", 0,
     "紙とシステムの二重確認をやめ、突合作業をRPAに置き換えた庁内の取組。",
     "## 取組\n\n係内で作業を分解し、照合のルールを表にまとめてからRPAのシナリオを作成した。\n\n"
     "## 効果\n\n繁忙期の突合作業が約3日から半日になった。シナリオの手順書を共有フォルダに置いている。",
     120, 0, 5, "", "K-03 L-HOW-02 K-05", 1},
    {"other", "AI-OCRとRPAを組み合わせた各種申請書の入力自動化", "県内B町", 1,
     "手書きの申請書をAI-OCRで読み取り、RPAで基幹システムに登録する仕組みを共同利用で導入した。",
     "## 概要\n\n近隣の町村と共同でAI-OCRの利用契約を結び、費用を抑えた。読み取り結果は職員が画面で確認してから登録する。\n\n"
     "## 効果\n\n入力作業の約7割を削減。読み取り精度は帳票の様式を見直すことで向上した。",
     900, 2400000, 20, "https://example.com/cases/b-town-ocr", "L-TECH-01 K-03", 1},

    {"advanced", "生成AIの全庁利用ルールと研修をセットで導入", "人口20万人規模の市", 1,
     "生成AIの利用ガイドラインを定め、全職員向けの短時間研修と組み合わせて利用を広げた。",
     "## 取組\n\n- 入力してよい情報・いけない情報を具体例で示した\n- 研修を受けた職員から利用を開始した\n- よく使う指示文（プロンプト）の例を庁内で共有した\n\n"
     "## 効果\n\nあいさつ文や通知文の下書き作成の時間が半分程度になったという声が多い。",
     3000, 5000000, 800, "https://example.com/cases/genai-rule", "K-02 L-TECH-01 L-HOW-05", 1},
    {"other", "生成AIによる会議録の要約作成", "県内C市", 0,
     "録音から作った会議録を生成AIで要約し、確認と修正を職員が行う流れにした。",
     "## 概要\n\n審議会の会議録の要約を生成AIで下書きし、担当者が発言の趣旨を確認して仕上げる。\n\n"
     "## 注意点\n\n固有名詞と数字は必ず原文と照合する。個人情報を含む会議は対象外とした。",
     250, 600000, 40, "", "K-02 L-TECH-01", 1},
    {"internal", "生成AIで広報記事の下書きと読みやすさの確認", "広報・DX推進係", 0,
     "広報紙の記事の下書きと、やさしい日本語への言い換えの確認に生成AIを使った。",
     "## 取組\n\n庁内の利用ルールに沿い、公開済みの情報だけを入力している。\n\n"
     "## 効果\n\n記事1本あたりの作成時間が約1時間短くなった。最終的な表現は担当者が判断する。",
     80, 0, 3, "", "K-02 L-MIND-03", 1},
    {"internal", "生成AI活用アイデアソンの開催", "広報・DX推進係", 1,
     "各課から集まった職員が業務での生成AIの使い方を出し合い、試行する案を選んだ。",
     "## 内容\n\n- 半日のワークショップを2回開催\n- 32件のアイデアから5件を試行対象に選定\n\n参加者が各職場で説明役になっている。",
     -1, 50000, 45, "", "K-02 L-MIND-04 L-MIND-02", 1},

    {"advanced", "書かない窓口の導入", "人口5万人規模の市", 1,
     "住民が申請書を書かずに済むよう、窓口で職員が聞き取りながらシステムに入力する方式に改めた。",
     "## 取組\n\n転入・転出などの手続で、本人確認書類から情報を読み取り、職員が聞き取りながら入力する。申請書は印刷して署名だけをもらう。\n\n"
     "## 効果\n\n1件あたりの手続時間が平均で約15分短くなり、記入誤りによる再来庁がなくなった。",
     1500, 8000000, 12000, "https://example.com/cases/kakanai", "K-04 L-MIND-03 K-03", 1},
    {"other", "窓口の待ち時間をウェブで公開", "県内D町", 2,
     "庁舎の混雑状況と呼出番号をウェブで公開し、来庁する時間を住民が選べるようにした。",
     "## 概要\n\n発券機の番号をウェブ画面に表示するだけの小さな仕組みから始めた。\n\n## 効果\n\n繁忙期の待合いの混雑が緩和され、問い合わせの電話も減った。",
     -1, 300000, 5000, "", "K-04 L-MIND-03", 1},
    {"internal", "市民課窓口の手続案内をフローチャートで整理", "市民課", 0,
     "引越しの際の手続を住民の状況ごとにフローチャートにまとめ、窓口で案内に使っている。",
     "## 取組\n\n- 担当ごとにばらばらだった案内を1枚にまとめた\n- 窓口でよく受ける質問を係内で持ち寄った\n\n"
     "新任職員でも同じ案内ができるようになった。",
     60, 0, 8, "", "K-03 L-MIND-03 K-05", 1},
    {"other", "おくやみ窓口の設置", "人口3万人規模の町", 1,
     "死亡に伴う手続をひとつの窓口でまとめて案内し、遺族の来庁回数を減らした。",
     "## 概要\n\n必要な手続を事前の聞き取りで洗い出し、関係課の書類を一度に準備する。\n\n## 効果\n\n遺族の平均滞在時間が短くなり、関係課の重複した聞き取りもなくなった。",
     200, 0, 400, "https://example.com/cases/okuyami", "K-04 L-MIND-03 L-MIND-02", 1},

    {"advanced", "オンライン申請の拡大と利用率の向上", "人口15万人規模の市", 2,
     "子育て・介護分野を中心に約200手続をオンライン申請に対応させ、利用を呼びかけた。",
     "## 取組\n\n申請フォームの項目を見直し、添付書類を減らしてから電子化した。スマートフォンからの申請を前提に画面を設計した。\n\n"
     "## 効果\n\n対象手続のオンライン利用率が2割を超えた。",
     2000, 12000000, 30000, "https://example.com/cases/online", "K-04 L-WHY-02", 1},
    {"internal", "ノーコードツールで研修申込フォームを内製", "総務課", 0,
     "ノーコードツールで研修の申込受付と集計の画面を職員が作り、紙の申込書を廃止した。",
     "## 取組\n\n係の職員2名が研修で学んだ内容をもとに、2週間で作成した。\n\n## 効果\n\n申込の集計作業がなくなり、年間約80時間を削減した。",
     80, 0, 600, "", "K-01 K-03", 1},
    {"other", "ローコードで道路の損傷通報アプリを作成", "県内E市", 1,
     "住民がスマートフォンで撮った道路の損傷を地図上で受け付ける仕組みを職員が内製した。",
     "## 概要\n\n位置情報と写真を送るだけの簡単な画面にした。受け付けた通報は担当課の一覧に自動で並ぶ。\n\n## 効果\n\n電話での聞き取りが減り、現場確認までの日数が短くなった。",
     300, 400000, 2500, "", "K-01 K-04", 1},
    {"advanced", "オープンデータの公開と活用の推進", "人口40万人規模の市", 2,
     "避難所・公共施設・人口統計などを機械判読できる形式で公開し、民間の活用を促した。",
     "## 取組\n\n- 推奨データセットに沿って公開項目をそろえた\n- 年2回、更新の点検日を決めた\n\n地域の事業者が施設案内の地図を作るなどの活用が生まれた。",
     -1, -1, -1, "https://example.com/cases/opendata", "L-DATA-01 L-DATA-03", 1},
    {"internal", "水道料金の問合せ件数を分析して説明文を改善", "上下水道課", 1,
     "問合せ記録を集計して多い質問を特定し、検針票とウェブの説明を書き換えた。",
     "## 取組\n\n1年分の問合せ記録を表計算ソフトで分類し、上位10件の質問に答える説明を作った。\n\n## 効果\n\n問合せ件数が前年より約3割減った。",
     150, 0, -1, "", "L-DATA-02 L-DATA-04 L-MIND-07", 1},
    {"other", "データに基づく除雪計画の見直し", "県内F町", 0,
     "除雪車の位置記録と苦情の記録を重ねて分析し、除雪の順番と範囲を見直した。",
     "## 概要\n\n車両の走行記録を地図に重ね、時間のかかる区間を洗い出した。\n\n## 効果\n\n出動1回あたりの作業時間が短くなり、苦情も減少した。",
     400, 1500000, -1, "", "L-DATA-03 L-DATA-04", 1},
    {"advanced", "クラウドサービスの利用基準と調達手順の整備", "人口8万人規模の市", 1,
     "クラウドサービスを安全に使うための確認項目と、調達時の手順書を作った。",
     "## 取組\n\n- 取り扱う情報の重要度ごとに、使えるサービスの条件を定めた\n- 契約前に確認する項目を一覧にした\n\n"
     "各課が個別に判断していた状態を改めた。",
     -1, -1, -1, "", "L-TECH-02 K-08 L-HOW-03", 1},
    {"internal", "標的型メール訓練の結果を受けた職場研修", "広報・DX推進係", 1,
     "訓練で開封の多かった職場を中心に、短時間の職場研修を行った。",
     "## 内容\n\n不審なメールの見分け方と、開いてしまったときの連絡手順を15分で説明した。\n\n## 効果\n\n次の訓練では開封した職員の割合が半分以下になった。",
     -1, 0, 300, "", "L-HOW-03 K-07", 1},
    {"other", "庁内ネットワークの無線化とペーパーレス会議", "県内G村", 2,
     "庁舎内に無線のネットワークを整備し、会議資料をタブレットで共有するようにした。",
     "## 概要\n\n会議室ごとに順次整備した。資料の印刷と配付の手間がなくなった。\n\n## 効果\n\n年間の印刷枚数が約4割減った。",
     350, 6000000, 120, "", "L-TECH-04 K-06", 1},
    {"advanced", "業務の棚卸しと業務フロー図による改善", "人口12万人規模の市", 0,
     "全課の業務を棚卸しし、手間の大きい業務からフロー図を描いて見直した。",
     "## 取組\n\n- 全課共通の様式で業務量を調査\n- 改善候補の業務は職員と一緒にフロー図を作成\n- 改善策は小さく試してから広げた\n\n"
     "## 効果\n\n初年度に約40業務で手順を見直した。",
     5000, 3000000, -1, "https://example.com/cases/bpr", "K-03 L-MIND-05 L-MIND-07", 1},
    {"internal", "DX推進リーダーによる係内の伴走支援", "政策企画課", 0,
     "DX推進リーダーが係員の業務改善を月1回の面談で支えた取組。",
     "## 取組\n\n係員が自分の業務から改善したいことを1つ選び、リーダーが進め方を一緒に考えた。\n\n## 効果\n\n半年で係内の5件の改善が実現した。",
     90, 0, 6, "", "K-10 K-05 L-MIND-02", 1},
    {"other", "デジタル化推進計画のロードマップ作成", "人口6万人規模の市", 1,
     "計画期間の取組を年度ごとの工程表にまとめ、進み具合を毎年公表している。",
     "## 概要\n\n取組ごとに担当課と目標を決め、推進本部で半年ごとに点検する。\n\n住民への説明にも工程表を使っている。",
     -1, -1, -1, "", "K-09 L-WHY-01", 1},
    {"internal", "基幹システム標準化に向けた業務の比較表づくり", "広報・DX推進係", 0,
     "標準仕様と現在の業務の違いを一覧にし、関係課と運用の見直しを話し合った。",
     "## 取組\n\n- 帳票と画面ごとに違いを整理\n- 関係課との打合せを計12回実施\n\n作成中の比較表は下書きとして庁内で共有している。",
     -1, 0, -1, "", "K-08 K-09", 0},
    {"advanced", "AIチャットボットによる問合せ対応", "人口25万人規模の市", 1,
     "よくある質問にAIチャットボットが24時間答える仕組みを導入し、電話の問合せを減らした。",
     "## 取組\n\nごみの出し方・各種証明書・子育て支援など、問合せの多い分野から回答を整備した。\n\n## 効果\n\n対象分野の電話件数が約2割減った。回答の更新は各課の担当者が行う。",
     1200, 4000000, 20000, "https://example.com/cases/chatbot", "L-TECH-01 K-04", 1},
};

#define NCASES (sizeof CASES / sizeof CASES[0])

/* A 係 of the demo's organisation whose name contains part, or 0. */
static int64_t unit_named(Db *db, const char *part, const char *today)
{
    return db_int(db, 0,
                  "SELECT id FROM org_unit WHERE name LIKE ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)"
                  " ORDER BY level DESC, id LIMIT 1",
                  part, today, today);
}

static bool tag_skills(Db *db, int64_t id, const char *codes)
{
    char code[32];
    const char *p = codes;
    while (*p) {
        size_t n = strcspn(p, " ");
        snprintf(code, sizeof code, "%.*s", (int)n, p);
        int64_t item = db_int(db, 0, "SELECT id FROM skill_item WHERE code = ?", code);
        if (item && db_exec(db, "INSERT INTO case_tag (case_id, kind, ref_id) VALUES (?, 'skill', ?) ON CONFLICT (case_id, kind, ref_id) DO NOTHING",
                            id, item) < 0)
            return false;
        p += n;
        while (*p == ' ') p++;
    }
    return true;
}

/* Tags up to two people in service in the unit (or anywhere when 0). */
static bool tag_people(Db *db, int64_t id, int64_t unit, const char *today, uint64_t *rs)
{
    int64_t people[40];
    int n = 0;
    Stmt *st = db_query(db,
                        "SELECT a.staff_id FROM assignment a WHERE a.is_primary = 1 AND " ASOF_IN_FORCE("a") " AND (? = 0 OR a.unit_id = ?)"
                        " ORDER BY a.staff_id LIMIT 40",
                        today, today, unit, unit);
    while (n < 40 && db_step(st) == DB_ROW) people[n++] = db_col_int(st, 0);
    db_done(st);
    for (int k = 0; k < 2 && n > 0; k++)
        if (db_exec(db, "INSERT INTO case_tag (case_id, kind, ref_id) VALUES (?, 'staff', ?) ON CONFLICT (case_id, kind, ref_id) DO NOTHING", id,
                    people[demo_rnd(rs, n)]) < 0)
            return false;
    return true;
}

int demo_cases(Db *db, int nendo, unsigned seed)
{
    uint64_t rs = seed ^ 0x5ca5e5ull;
    Arena a = ARENA_INIT;
    char today[11], at[32];
    now_date(today);
    now_iso(at);
    if (db_begin(db) != 0) return -1;
    bool ok = true;
    int made = 0, from_sb = 0, published = 0;
    for (size_t i = 0; i < NCASES && ok; i++) {
        const DemoCase *c = &CASES[i];
        int year = nendo - c->years_ago;
        int64_t unit = str_eq(c->kind, "internal") ? unit_named(db, arena_printf(&a, "%%%s%%", c->source), today) : 0;
        /* Published on a day inside its 年度, never after today. */
        Date first, pub;
        nendo_range(year, &first, NULL);
        pub = date_add_days(first, 30 + demo_rnd(&rs, 200));
        if (date_cmp(pub, date_today()) > 0) pub = date_today();
        char pub_on[11];
        date_iso(pub, pub_on);
        int64_t id = db_int(db, 0,
                            "INSERT INTO case_study (kind, title, source, nendo, summary, body, hours_saved, cost, users, source_url, unit_id,"
                            " published, published_on, created_at, updated_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, -1.0), NULLIF(?, -1), NULLIF(?, -1), ?, ?, ?, NULLIF(?, ''), ?, ?) RETURNING id",
                            c->kind, c->title, c->source, year, c->summary, c->body, c->hours, c->cost, c->users, c->url, DB_ID_OR_NULL(unit),
                            c->published, c->published ? pub_on : "", at, at);
        ok = id > 0 && case_reindex(db, id) && tag_skills(db, id, c->skills);
        ok = ok && (!str_eq(c->kind, "internal") || tag_people(db, id, unit, today, &rs));
        made += ok;
        published += ok && c->published;
    }
    /* Some of the demo's 職場還元 records published as cases. */
    int64_t sbs[6];
    int nsb = 0;
    /* One record per topic, the earliest of each. */
    Stmt *st = db_query(db, "SELECT MIN(id) FROM share_back GROUP BY content ORDER BY MIN(id) LIMIT 6");
    while (nsb < 6 && db_step(st) == DB_ROW) sbs[nsb++] = db_col_int(st, 0);
    db_done(st);
    for (int i = 0; i < nsb && ok; i++) {
        CaseInput in;
        if (!case_from_shareback(db, &a, sbs[i], &in)) continue;
        int year = 0;
        nendo_parse_loose(in.nendo, &year);
        int64_t staff = db_int(db, 0, "SELECT staff_id FROM share_back WHERE id = ?", sbs[i]);
        const char *held = db_text(db, &a, "SELECT held_on FROM share_back WHERE id = ?", sbs[i]);
        int64_t id = db_int(db, 0,
                            "INSERT INTO case_study (kind, title, source, nendo, summary, body, unit_id, shareback_id, published, published_on,"
                            " created_at, updated_at) VALUES ('shareback', ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id",
                            in.title, in.source, year, in.summary, in.body, DB_ID_OR_NULL(in.unit_id), sbs[i], held, at, at);
        ok = id > 0 && case_reindex(db, id) &&
             db_exec(db, "INSERT INTO case_tag (case_id, kind, ref_id) VALUES (?, 'staff', ?)", id, staff) == 1 &&
             tag_skills(db, id, strstr(in.title, "生成AI") ? "K-02 K-05" : strstr(in.title, "ノーコード") ? "K-01 K-05"
                                                         : strstr(in.title, "セキュリティ")   ? "L-HOW-03 K-05"
                                                                                           : "K-03 K-05");
        from_sb += ok;
        published += ok;
    }
    /* Cases about the demo's DX projects (demo_projects), by the theme in
     * their title or summary. */
    static const struct {
        const char *project, *theme;
    } about[] = {{"書かない窓口", "%窓口%"}, {"電子申請の拡充", "%電子申請%"}, {"RPA導入", "%RPA%"},
                 {"生成AI活用", "%生成AI%"}, {"ネットワーク更新", "%ネットワーク%"}, {"GIS共有", "%GIS%"}};
    for (size_t i = 0; i < COUNTOF(about) && ok; i++)
        ok = db_exec(db,
                     "INSERT INTO case_tag (case_id, kind, ref_id) SELECT c.id, 'project', p.id FROM case_study c JOIN dx_project p ON p.name = ?"
                     " WHERE c.title LIKE ? OR c.summary LIKE ? ON CONFLICT (case_id, kind, ref_id) DO NOTHING",
                     about[i].project, about[i].theme, about[i].theme) >= 0;
    /* Views by a few dozen people on days of the 年度 up to today. */
    int views = 0;
    int64_t ids[64], people[60];
    int nids = 0, npeople = 0;
    st = db_query(db, "SELECT id FROM case_study WHERE published = 1 ORDER BY id LIMIT 64");
    while (nids < 64 && db_step(st) == DB_ROW) ids[nids++] = db_col_int(st, 0);
    db_done(st);
    st = db_query(db, "SELECT id FROM staff ORDER BY id LIMIT 60");
    while (npeople < 60 && db_step(st) == DB_ROW) people[npeople++] = db_col_int(st, 0);
    db_done(st);
    Date first;
    nendo_range(nendo, &first, NULL);
    int span = date_cmp(date_today(), first) > 0 ? 0 : -1;
    for (Date d = first; span == 0 && date_cmp(d, date_today()) < 0; d = date_add_days(d, 1)) span++;
    for (int i = 0; i < 150 && ok && nids && npeople && span > 0; i++) {
        char day[11];
        date_iso(date_add_days(first, demo_rnd(&rs, span)), day);
        int cnt = 1 + demo_rnd(&rs, 3);
        ok = db_exec(db,
                     "INSERT INTO case_view (case_id, staff_id, day, count) VALUES (?, ?, ?, ?)"
                     " ON CONFLICT (case_id, staff_id, day) DO UPDATE SET count = case_view.count + excluded.count",
                     ids[demo_rnd(&rs, nids)], people[demo_rnd(&rs, npeople)], day, cnt) == 1;
        views += cnt;
    }
    ok = ok && audit_write(db, &ACTOR_CLI, "demo.cases", "case_study", 0, 0,
                           arena_printf(&a, "%d年度 事例%d件（職場還元から%d件、公開%d件） 閲覧%d回", nendo, made + from_sb, from_sb, published, views)) == 0;
    int rc = -1;
    if (ok && db_commit(db) == 0) rc = 0;
    else {
        db_rollback(db);
        fprintf(stderr, "jinzai: demo cases failed: %s\n", db_errmsg(db));
    }
    arena_free(&a);
    return rc;
}
