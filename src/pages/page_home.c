/* page_home.c - the start page: the state of the organisation at a glance. */
#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/org.h"
#include "../domain/tier.h"
#include "../html/layout.h"
#include "../io/text.h"
#include "pages.h"

void page_me(Req *r, Resp *w)
{
    if (!r->user->staff_id) {
        resp_error(r, w, 404, "このアカウントには職員情報が結び付けられていません。");
        return;
    }
    resp_redirect(r, w, arena_printf(r->a, "/staff/%lld", (long long)r->user->staff_id));
}

static void missing_leads(Buf *b, UnitTree *t, int64_t root)
{
    html_raw(b, "<section class=\"panel\"><h2>総括リーダー未配置の係</h2>\n");
    int shown = 0;
    for (int i = 0; i < t->n; i++) {
        UnitNode *n = &t->nodes[i];
        if (!n->needs_lead || n->leads) continue;
        bool inside = !root;
        for (UnitNode *p = n; p && !inside; p = p->parent) inside = p->u.id == root;
        if (!inside) continue;
        if (!shown++) html_raw(b, "<ul>");
        html_printf(b, "<li><span class=\"flag warn\">⚠ 未配置</span> <a href=\"/org/%lld\">%s%s%s</a></li>", (long long)n->u.id,
                    n->parent ? n->parent->u.name : "", n->parent ? " " : "", n->u.name);
    }
    if (shown) html_raw(b, "</ul>");
    else html_raw(b, "<p class=\"empty\">すべての係に総括リーダーが指名されています。</p>");
    html_raw(b, "</section>\n");
}

void page_home(Req *r, Resp *w)
{
    page_begin(r, w, "ホーム", "home", NULL, 0);
    Buf *b = &w->body;
    char today[11];
    now_date(today);
    Buf nendo = BUF_INIT;
    wareki_nendo(&nendo, r->nendo);
    html_printf(b, "<p class=\"lead\">%sさん、こんにちは。%sの人材育成・確保の状況です（", r->user->name, buf_cstr(&nendo));
    html_date(b, today);
    html_raw(b, " 現在）。</p>\n");
    buf_free(&nendo);
    if (r->user->roles & (ROLE_MANAGER | ROLE_HR | ROLE_DX | ROLE_ADMIN)) {
        int counts[4];
        tier_counts(r->db, r->nendo, today, counts);
        UnitTree t;
        org_tree(r->db, r->a, today, r->nendo, &t);
        html_raw(b, "<div class=\"cards\">");
        html_printf(b, "<a class=\"card\" href=\"/staff\"><span class=\"card-title\">在職職員</span><span class=\"card-value\">%d人</span></a>", counts[0]);
        html_printf(b, "<a class=\"card\" href=\"/staff?tier=1\"><span class=\"card-title\">①高度専門人材</span><span class=\"card-value\">%d人</span></a>", counts[1]);
        html_printf(b, "<a class=\"card\" href=\"/staff?tier=2\"><span class=\"card-title\">②DX推進リーダー</span><span class=\"card-value\">%d人</span></a>", counts[2]);
        html_printf(b, "<a class=\"card\" href=\"/staff?tier=3\"><span class=\"card-title\">③一般職員</span><span class=\"card-value\">%d人</span></a>", counts[3]);
        html_printf(b, "<a class=\"card\" href=\"/org\"><span class=\"card-title\">総括リーダー未配置</span><span class=\"card-value\">%d係</span>"
                       "<span class=\"card-note\">方針IV(2)：各係に1人</span></a>", t.missing_leads);
        html_raw(b, "</div>\n");
        missing_leads(b, &t, scope_root(r));
    }
    html_raw(b, "<section class=\"panel\"><h2>よく使う機能</h2><ul>");
    if (r->user->staff_id) html_raw(b, "<li><a href=\"/me\">わたしの情報（所属・人材区分）</a></li>");
    if (r->user->roles & (ROLE_MANAGER | ROLE_HR | ROLE_DX | ROLE_ADMIN))
        html_raw(b, "<li><a href=\"/org\">組織図と総括リーダーの配置</a></li><li><a href=\"/staff\">職員の検索</a></li>"
                    "<li><a href=\"/tiers\">人材区分の指名一覧</a></li>");
    if (r->user->roles & ROLE_ADMIN) html_raw(b, "<li><a href=\"/admin\">管理（アカウント・監査ログ・設定）</a></li>");
    html_raw(b, "</ul></section>\n");
    page_end(r, w);
}
