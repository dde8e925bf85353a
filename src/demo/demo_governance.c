/* demo_governance.c - demo_governance: a 推進体制 as many municipalities set
 * it up (a DX推進本部 under the 市長, CDO/CIO/CISO, a DX推進委員会 of the
 * 部長, its 事務局 and two working groups of demo staff) with a few meetings
 * of this and the previous 年度; see demo.h. */
#include <stdio.h>
#include <string.h>

#include "../db/audit.h"
#include "../core/util.h"
#include "../io/text.h"
#include "../domain/asof.h"
#include "demo.h"

typedef struct Ctx {
    Db *db;
    char today[11], since[11], prev_end[11];
    bool ok;
} Ctx;

static int64_t body(Ctx *c, const char *name, const char *kind, int64_t parent, const char *purpose, int order)
{
    if (!c->ok) return 0;
    int64_t id = db_int(c->db, 0,
                        "INSERT INTO gov_body (name, kind, parent_id, purpose, sort_order, from_date) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                        name, kind, DB_ID_OR_NULL(parent), purpose, order, c->since);
    c->ok = id > 0;
    return id;
}

static void member(Ctx *c, int64_t body_id, const char *role, const char *post, int64_t unit, int64_t staff, int order, const char *from,
                   const char *to)
{
    if (!c->ok) return;
    c->ok = db_exec(c->db,
                    "INSERT INTO gov_member (body_id, role, post, unit_id, staff_id, sort_order, from_date, to_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    body_id, role, post, DB_ID_OR_NULL(unit), DB_ID_OR_NULL(staff), order, from ? from : c->since, to) == 1;
}

static int64_t unit_named(Ctx *c, const char *name, int level)
{
    return db_int(c->db, 0, "SELECT id FROM org_unit WHERE name = ? AND level = ? ORDER BY id LIMIT 1", name, level);
}

/* Up to n people whose primary unit today is the named 係 or 課 (and its
 * 係), skipping the first `skip`, by 職員番号. */
static int people_of(Ctx *c, const char *unit, int skip, int n, int64_t *out)
{
    int64_t u = db_int(c->db, 0, "SELECT id FROM org_unit WHERE name = ? ORDER BY level, id LIMIT 1", unit);
    if (!u) return 0;
    Stmt *st = db_query(c->db,
                        "SELECT s.id FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " JOIN org_unit o ON o.id = a.unit_id"
                        " WHERE (o.id = ? OR o.parent_id = ?) AND s.post NOT IN ('部長', '課長') ORDER BY s.staff_no",
                        c->today, c->today, u, u);
    int k = 0, seen = 0;
    while (k < n && db_step(st) == DB_ROW)
        if (seen++ >= skip) out[k++] = db_col_int(st, 0);
    db_done(st);
    return k;
}

static void meeting(Ctx *c, int64_t body_id, const char *held_on, const char *title, const char *minutes)
{
    if (!c->ok || strcmp(held_on, c->today) > 0) return; /* never in the future */
    c->ok = db_exec(c->db, "INSERT INTO gov_meeting (body_id, held_on, title, minutes) VALUES (?, ?, ?, ?)", body_id, held_on, title, minutes) == 1;
}

int demo_governance(Db *db, int nendo, unsigned seed)
{
    (void)seed;
    Ctx c = {.db = db, .ok = true};
    now_date(c.today);
    date_iso((Date){nendo - 1, 4, 1}, c.since);
    date_iso((Date){nendo, 3, 31}, c.prev_end);
    char cur_from[11];
    date_iso((Date){nendo, 4, 1}, cur_from);
    if (db_begin(db) != 0) return -1;

    int64_t hq = body(&c, "DX推進本部", "hq", 0, "全庁的なDXの推進方針と人材育成・確保基本方針を決定し、進捗を管理する。", 1);
    member(&c, hq, "本部長", "市長", 0, 0, 1, NULL, NULL);
    member(&c, hq, "副本部長", "副市長", 0, 0, 2, NULL, NULL);
    member(&c, hq, "副本部長", "教育長", 0, 0, 3, NULL, NULL);
    member(&c, hq, "本部員", "各部長・会計管理者・消防長", 0, 0, 4, NULL, NULL);

    int64_t soumu_bu = unit_named(&c, "総務部", 2), seisaku = unit_named(&c, "政策企画課", 3), soumu_ka = unit_named(&c, "総務課", 3);
    int64_t cdo = body(&c, "CDO（最高デジタル責任者）", "post", hq, "DX推進の総括。本部長を補佐し、全庁の取組を統括する。", 1);
    member(&c, cdo, "CDO", "副市長", 0, 0, 1, NULL, NULL);
    int64_t cio = body(&c, "CIO（最高情報責任者）", "post", hq, "情報システムの全体最適化と調達の統括。", 2);
    member(&c, cio, "CIO", "部長", soumu_bu, 0, 1, NULL, NULL);
    int64_t ciso = body(&c, "CISO（最高情報セキュリティ責任者）", "post", hq, "情報セキュリティポリシーの運用と事故対応の統括。", 3);
    member(&c, ciso, "CISO", "課長", soumu_ka, 0, 1, NULL, NULL);

    int64_t cm = body(&c, "DX推進委員会", "committee", hq, "各部の取組の調整、推進計画とKPIの進捗確認、本部への報告。", 4);
    member(&c, cm, "委員長", "部長", soumu_bu, 0, 1, NULL, NULL);
    member(&c, cm, "副委員長", "課長", seisaku, 0, 2, NULL, NULL);
    if (c.ok) {
        Stmt *st = db_query(db, "SELECT id FROM org_unit WHERE level = 2 AND id <> ? ORDER BY id LIMIT 8", soumu_bu);
        int64_t bu[8];
        int n = 0;
        while (n < 8 && db_step(st) == DB_ROW) bu[n++] = db_col_int(st, 0);
        db_done(st);
        for (int i = 0; i < n; i++) member(&c, cm, "委員", "部長", bu[i], 0, 10 + i, NULL, NULL);
    }

    int64_t sec = body(&c, "DX推進事務局", "secretariat", cm, "会議の運営、研修と人材育成の企画、各WGの支援。", 1);
    member(&c, sec, "事務局長", "課長", seisaku, 0, 1, NULL, NULL);
    int64_t p[4];
    int np = people_of(&c, "広報・DX推進係", 0, 2, p);
    for (int i = 0; i < np; i++) member(&c, sec, "事務局員", "政策企画課", 0, p[i], 2 + i, NULL, NULL);
    np = people_of(&c, "人事係", 0, 1, p);
    for (int i = 0; i < np; i++) member(&c, sec, "事務局員（人材育成）", "総務課", 0, p[i], 5, NULL, NULL);

    int64_t wg1 = body(&c, "窓口DX WG", "wg", cm, "書かない窓口・オンライン申請の拡大と窓口業務の見直し。", 2);
    np = people_of(&c, "市民課", 0, 2, p);
    if (np > 0) member(&c, wg1, "リーダー", "", 0, p[0], 1, NULL, NULL);
    if (np > 1) member(&c, wg1, "メンバー", "", 0, p[1], 2, NULL, NULL);
    np = people_of(&c, "税務課", 0, 2, p);
    if (np > 0) member(&c, wg1, "メンバー", "", 0, p[0], 3, NULL, NULL);
    /* A member of last 年度 whose term ended on 3/31. */
    if (np > 1) member(&c, wg1, "メンバー", "", 0, p[1], 4, NULL, c.prev_end);
    np = people_of(&c, "保険年金課", 0, 1, p);
    if (np > 0) member(&c, wg1, "メンバー", "", 0, p[0], 5, cur_from, NULL);

    int64_t wg2 = body(&c, "生成AI活用WG", "wg", cm, "生成AIの利用ルール整備、活用事例の収集と職員向け研修。", 3);
    np = people_of(&c, "広報・DX推進係", 2, 1, p);
    if (np > 0) member(&c, wg2, "リーダー", "", 0, p[0], 1, NULL, NULL);
    np = people_of(&c, "福祉課", 0, 1, p);
    if (np > 0) member(&c, wg2, "メンバー", "", 0, p[0], 2, NULL, NULL);
    np = people_of(&c, "財政課", 0, 1, p);
    if (np > 0) member(&c, wg2, "メンバー", "", 0, p[0], 3, NULL, NULL);
    np = people_of(&c, "危機管理課", 0, 1, p);
    if (np > 0) member(&c, wg2, "メンバー", "", 0, p[0], 4, NULL, NULL);

    /* Meetings: the previous 年度 (all past) and the current one up to today. */
    Buf pn = BUF_INIT, cn = BUF_INIT;
    wareki_nendo(&pn, nendo - 1);
    wareki_nendo(&cn, nendo);
    char d[11], t[200];
    date_iso((Date){nendo - 1, 5, 22}, d);
    snprintf(t, sizeof t, "%s 第1回DX推進本部会議", buf_cstr(&pn));
    meeting(&c, hq, d, t,
            "## 議題\n\n1. DX推進計画の策定方針\n2. 人材育成・確保基本方針（デジタル部分）の進め方\n\n"
            "## 決定事項\n\n- CDO・CIO・CISOを置き、DX推進委員会と事務局を設ける。\n- 窓口DXと生成AI活用の2つのWGを設ける。\n\n"
            "## 次回\n\n秋に各部の取組状況を報告する。\n");
    date_iso((Date){nendo - 1, 10, 16}, d);
    snprintf(t, sizeof t, "%s 第1回DX推進委員会", buf_cstr(&pn));
    meeting(&c, cm, d, t,
            "## 報告\n\n- 各部のDX取組状況（資料1）\n- DX推進リーダーの指名状況\n\n"
            "## 意見\n\n- 研修の受講時間を業務時間内に確保してほしい。\n- **重要システム**の担当者が1人の課は早めに副担当を決める。\n");
    date_iso((Date){nendo, 2, 13}, d);
    snprintf(t, sizeof t, "%s 第2回DX推進本部会議", buf_cstr(&pn));
    meeting(&c, hq, d, t,
            "## 議題\n\n1. 今年度の推進状況（KPI）\n2. 次年度の研修計画\n\n"
            "## 決定事項\n\n- 次年度はDX推進リーダー研修を2回に増やす。\n- 生成AIの利用ガイドラインを改定する。\n");
    date_iso((Date){nendo - 1, 11, 7}, d);
    meeting(&c, wg2, d, "生成AI活用WG 第2回",
            "## 検討内容\n\n- 議事録要約の試行結果：作成時間が約4割短縮。\n- 入力してはいけない情報の一覧を作る。\n");
    /* The current 年度: the first meetings, on or before today. */
    Date td;
    date_parse(c.today, &td);
    Date first = {nendo, 4, 15};
    const char *cur = c.today;
    if (date_cmp(first, td) <= 0) {
        date_iso(first, d);
        cur = d;
    }
    snprintf(t, sizeof t, "%s 第1回DX推進委員会", buf_cstr(&cn));
    meeting(&c, cm, cur, t,
            "## 議題\n\n1. 今年度のKPI目標値\n2. WGの体制\n\n## 決定事項\n\n- 窓口DX WGに保険年金課を加える。\n- 事例の共有を毎月行う。\n");
    date_iso((Date){nendo, 6, 18}, d);
    meeting(&c, wg1, d, "窓口DX WG 第1回",
            "## 検討内容\n\n- 転入手続の「書かない窓口」の対象手続を決めた。\n- 来庁予約の導入を検討する。\n\n"
            "| 手続 | 現状の所要時間 | 目標 |\n|---|---|---|\n| 転入 | 60分 | 30分 |\n| 転出 | 20分 | 10分 |\n");
    buf_free(&pn);
    buf_free(&cn);

    c.ok = c.ok && audit_write(db, &ACTOR_CLI, "demo.governance", "gov_body", 0, 0, "推進体制のデモデータ") == 0;
    if (c.ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    fprintf(stderr, "demo_governance: %s\n", db_errmsg(db));
    return -1;
}
