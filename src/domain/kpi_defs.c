/* kpi_defs.c - the table of KPIs (kpi.h: kpi_defs, kpi_def): what each one
 * counts and which policy section it serves. The KPI computations (kpi.c)
 * and the stored summaries (kpi_summary.c) both read it. */
#include "kpi.h"

#include "../core/util.h"
#include "../io/text.h"

#define STAFF_COUNTED (EMP_REGULAR | EMP_REAPPOINTED | EMP_FIXED)

const KpiDef kpi_defs[] = {
    {"LEADER_RATE", "DX推進リーダー配置率", "%", "総括リーダーが1人以上いる係 ÷ 総括リーダーが必要な係（係と、係のない課）", "IV(2)", EMP_ALL, true, NULL},
    {"EXPERT_COUNT", "高度専門人材数", "人", "①高度専門人材に指名された在職職員の数（目標は必要人数＋ジョブローテーション分）", "IV(1)", STAFF_COUNTED, true, NULL},
    {"SEC_TRAINING", "情報セキュリティ研修受講率", "%", "情報セキュリティ研修を年度内に修了した職員 ÷ 全職員", "IV(3)", EMP_ALL, true, NULL},
    {"TRAIN_RATE_T1", "研修受講率（①高度専門人材）", "%", "年度内に研修を1つ以上修了した①の職員 ÷ ①の職員", "V(1)", STAFF_COUNTED, true, NULL},
    {"TRAIN_RATE_T2", "研修受講率（②DX推進リーダー）", "%", "年度内に研修を1つ以上修了した②の職員 ÷ ②の職員", "V(1)", STAFF_COUNTED, true, NULL},
    {"TRAIN_RATE_T3", "研修受講率（③一般職員）", "%", "年度内に研修を1つ以上修了した③の職員 ÷ ③の職員", "V(1)", STAFF_COUNTED, true, NULL},
    {"TRAINEES", "研修受講者数", "人", "年度内に研修に出席した職員の実人数", "V(1)", EMP_ALL, true, NULL},
    {"TRAIN_HOURS", "延べ受講時間", "時間", "年度内の研修出席時間の合計", "V(1)", EMP_ALL, true, NULL},
    {"SKILL_ATTAIN_T1", "スキル到達率（①高度専門人材）", "%", "①の職員の評価済み項目のうち目標レベル以上の割合", "V(2)", STAFF_COUNTED, true, NULL},
    {"SKILL_ATTAIN_T2", "スキル到達率（②DX推進リーダー）", "%", "②の職員の評価済み項目のうち目標レベル以上の割合", "V(2)", STAFF_COUNTED, true, NULL},
    {"SKILL_ATTAIN_T3", "スキル到達率（③一般職員）", "%", "③の職員の評価済み項目のうち目標レベル以上の割合", "V(2)", STAFF_COUNTED, true, NULL},
    {"SELF_ASSESS", "自己評価実施率", "%", "自己評価を提出した職員 ÷ 対象職員", "V(2)", STAFF_COUNTED, true, NULL},
    {"CONFIRM", "上司確認完了率", "%", "上司確認まで終わった職員 ÷ 対象職員", "V(2)", STAFF_COUNTED, true, NULL},
    {"QUAL_HOLDERS", "資格取得者数", "人", "有効な情報処理関係の資格を1つ以上持つ職員の数", "V(2)", EMP_ALL, true, NULL},
    {"SHAREBACK", "職場還元実施率", "%", "年度内に職場還元を1回以上行った②DX推進リーダー ÷ ②の職員", "IV(2)", STAFF_COUNTED, true, NULL},
    {"CASES_PUBLISHED", "事例の公開件数", "件", "その年度の事例（先進地・他団体・庁内事例と職場還元）として公開している件数", "V(1)", EMP_ALL, true, "/cases"},
    {"CASES_PER_UNIT", "係あたりの事例数", "件", "その年度に公開した庁内事例・職場還元のうち係（係のない課を含む）のもの ÷ 係の数", "V(1)", EMP_ALL, true,
     "/cases"},
    {"CASE_VIEWS", "事例の閲覧数", "回", "年度内（基準日まで）に職員が事例を開いた回数の合計", "V(1)", EMP_ALL, true, "/cases"},
    {"EXT_ENGAGEMENTS", "外部人材の活用件数", "件", "年度内に1日でも期間がある外部人材の契約・委嘱の件数", "V(3)", EMP_ALL, true, "/extern"},
    {"EXT_HOURS", "外部人材の活用時間", "時間", "年度内に期間がある外部人材の契約・委嘱の実績時間の合計", "V(3)", EMP_ALL, true, "/extern"},
    {"EXT_SESSIONS", "外部人材による知識移転の回数", "回", "年度内（基準日まで）に外部人材が職員向けに行った勉強会・研修等の回数", "V(3)", EMP_ALL,
     true, "/extern"},
};
const int kpi_count = (int)COUNTOF(kpi_defs);

const KpiDef *kpi_def(const char *code)
{
    for (int i = 0; i < kpi_count; i++)
        if (str_eq(kpi_defs[i].code, code)) return &kpi_defs[i];
    return NULL;
}
