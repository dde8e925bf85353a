/* layout.c - see layout.h. */
#include "layout.h"

#include <string.h>

#include "../core/embed.h"
#include "../core/util.h"
#include "../io/text.h"

const char *asset_url(Arena *a, const char *name)
{
    for (size_t i = 0; i < embedded_assets_count; i++) {
        const EmbeddedFile *f = &embedded_assets[i];
        if (strcmp(f->name, name) == 0) {
            const char *dot = strrchr(name, '.');
            return arena_printf(a, "/assets/%.*s.%s%s", (int)(dot - name), name, f->hash, dot);
        }
    }
    return arena_printf(a, "/assets/%s", name);
}

/* The menu: sections in the header, and each section's pages in a second
 * row. A page names its entry by key; the section follows from it. Who sees
 * an entry is not written here: it is whoever may GET its href by the route
 * table (the page side fills PageFrame's shown bits from it). */
const NavLink nav_sections[] = {
    {"home", "home", "/", "ホーム"},
    {"org", "org", "/org", "組織・職員"},
    {"skills", "assess", "/assess", "スキル・評価"},
    {"training", "training", "/training", "研修"},
    {"kpi", "kpi", "/kpi", "目標・推進状況"},
    {"knowledge", "cases", "/cases", "ナレッジ・人材"},
    {"me", "me", "/me", "わたしの情報"},
    {"admin", "admin", "/admin", "管理"},
};
const size_t nav_sections_count = COUNTOF(nav_sections);

const NavLink nav_pages[] = {
    {"org", "org", "/org", "組織図"},
    {"org", "staff", "/staff", "職員一覧"},
    {"org", "tiers", "/tiers", "人材区分"},
    {"org", "quals", "/quals/expiring", "資格の期限"},
    {"org", "import", "/import", "名簿・記録の取込"},
    {"org", "export", "/export", "データの出力"},
    {"skills", "assess", "/assess", "自己評価"},
    {"skills", "review", "/assess/review", "上司確認"},
    {"skills", "progress", "/assess/progress", "評価の進捗"},
    {"skills", "gaps", "/gaps", "ギャップ分析"},
    {"skills", "skills", "/skills", "スキルマップ"},
    {"training", "training", "/training", "わたしの研修"},
    {"training", "sessions", "/sessions", "研修日程"},
    {"training", "courses", "/courses", "研修カタログ"},
    {"training", "approvals", "/training/approvals", "承認・決定"},
    {"training", "plans", "/plans", "年間計画と実績"},
    {"training", "mandatory", "/mandatory", "必修研修"},
    {"training", "certificates", "/certificates", "修了証"},
    {"training", "scorm", "/scorm/learn", "SCORM教材"},
    {"training", "xapi", "/training/xapi", "外部の受講記録（xAPI）"},
    {"training", "transcript", "/training/transcript", "受講履歴"},
    {"kpi", "kpi", "/kpi", "ダッシュボード"},
    {"kpi", "coverage", "/kpi/coverage", "配置の充足状況"},
    {"kpi", "systems", "/systems", "重要システム"},
    {"kpi", "transfers", "/transfers", "人事異動シミュレーション"},
    {"kpi", "targets", "/kpi/targets", "目標値の設定"},
    {"kpi", "report", "/kpi/report", "年度末報告"},
    {"knowledge", "cases", "/cases", "事例集"},
    {"knowledge", "projects", "/projects", "DXプロジェクト"},
    {"knowledge", "extern", "/extern", "外部人材"},
    {"knowledge", "governance", "/governance", "推進体制"},
    {"knowledge", "talent", "/talent", "人材検索"},
};
const size_t nav_pages_count = COUNTOF(nav_pages);
_Static_assert(COUNTOF(nav_sections) <= 64 && COUNTOF(nav_pages) <= 64, "PageFrame keeps one bit per entry");

static const char *section_of(const char *key)
{
    for (size_t i = 0; i < COUNTOF(nav_pages); i++)
        if (str_eq(nav_pages[i].key, key)) return nav_pages[i].section;
    return key;
}

static void subnav(const PageFrame *f, Buf *b, const char *section, const char *key)
{
    int visible = 0;
    for (size_t i = 0; i < COUNTOF(nav_pages); i++)
        visible += str_eq(nav_pages[i].section, section) && (f->pages_shown >> i & 1);
    if (visible < 2) return;
    html_raw(b, "<nav class=\"subnav\" aria-label=\"このメニューのページ\"><ul>");
    for (size_t i = 0; i < COUNTOF(nav_pages); i++) {
        const NavLink *n = &nav_pages[i];
        if (!str_eq(n->section, section) || !(f->pages_shown >> i & 1)) continue;
        html_printf(b, "<li><a href=\"%s\"%s>%s</a></li>", n->href, str_eq(key, n->key) ? " aria-current=page" : "", n->label);
    }
    html_raw(b, "</ul></nav>\n");
}

static const char *role_label(unsigned roles)
{
    if (roles & ROLE_ADMIN) return "管理者";
    if (roles & ROLE_HR) return "人事";
    if (roles & ROLE_DX) return "DX推進";
    if (roles & ROLE_MANAGER) return "所属長";
    return "職員";
}

void layout_begin(Buf *b, Arena *a, const PageFrame *f, const char *title, const char *nav, const Crumb *crumbs, int ncrumbs)
{
    html_printf(b,
                "<!doctype html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>%s｜jinzai</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"%s\"><script src=\"%s\" defer></script>"
                "</head>\n",
                title, asset_url(a, "style.css"), asset_url(a, "app.js"));
    if (!f->logged_in) {
        html_printf(b, "<body class=\"bare\"><main id=\"main\">\n<h1>%s</h1>\n", title);
        return;
    }
    Buf nendo = BUF_INIT;
    wareki_nendo(&nendo, f->nendo);
    html_printf(b,
                "<body><a class=\"skip\" href=\"#main\">本文へ移動</a>\n<header class=\"site\"><div class=\"brand\">"
                "<a href=\"/\">jinzai</a> <span class=\"city\">%s</span> <span class=\"nendo\">%s</span></div>\n"
                /* On a narrow screen app.js shows this button and folds the
                 * menu behind it; without script the menu stays listed. */
                "<button type=\"button\" class=\"menu-toggle\" aria-expanded=\"true\" aria-controls=\"site-menu\">"
                "<span class=\"bars\" aria-hidden=\"true\"></span>メニュー</button>\n"
                "<div class=\"site-menu\" id=\"site-menu\">"
                "<nav class=\"global\" aria-label=\"メインメニュー\"><ul>",
                f->city, buf_cstr(&nendo));
    buf_free(&nendo);
    const char *section = section_of(nav);
    for (size_t i = 0; i < COUNTOF(nav_sections); i++) {
        const NavLink *n = &nav_sections[i];
        if (!(f->sections_shown >> i & 1)) continue;
        if (str_eq(n->key, "me") && !f->has_staff) continue;
        html_printf(b, "<li><a href=\"%s\"%s>%s", n->href, str_eq(section, n->section) ? " aria-current=page" : "", n->label);
        int pending = str_eq(n->key, "assess") ? f->assess : str_eq(n->key, "training") ? f->training : 0;
        if (pending > 0) html_printf(b, " <span class=\"badge\" title=\"未処理 %d件\">%d</span>", pending, pending);
        html_raw(b, "</a></li>");
    }
    html_printf(b, "</ul></nav>\n<div class=\"user\"><span>%s（%s）</span> <a href=\"/notices\"%s>お知らせ", f->name,
                role_label(f->roles), str_eq(nav, "notices") ? " aria-current=page" : "");
    int unread = f->notices;
    if (unread > 0) html_printf(b, " <span class=\"badge\">未読%d件</span>", unread);
    html_raw(b, "</a> <a href=\"/account/password\">パスワード・メール</a> ");
    html_printf(b, "<form method=\"post\" action=\"/logout\" class=\"inline\" data-once><input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                f->csrf ? f->csrf : "");
    html_raw(b, "<button type=\"submit\" class=\"btn link\">ログアウト</button>");
    form_end(b);
    html_raw(b, "</div></div></header>\n<main id=\"main\">\n");
    subnav(f, b, section, nav);
    if (ncrumbs > 0) {
        html_raw(b, "<nav class=\"crumbs\" aria-label=\"パンくずリスト\"><ol>");
        for (int i = 0; i < ncrumbs; i++) {
            if (crumbs[i].href) html_printf(b, "<li><a href=\"%s\">%s</a></li>", crumbs[i].href, crumbs[i].label);
            else html_printf(b, "<li aria-current=\"page\">%s</li>", crumbs[i].label);
        }
        html_raw(b, "</ol></nav>\n");
    }
    html_printf(b, "<h1>%s</h1>\n", title);
    layout_flash(b, f);
}

void layout_end(Buf *b)
{
    html_raw(b, "</main>\n<footer class=\"site\">jinzai — 人材育成・確保基本方針（デジタル部分）推進システム</footer>\n"
                       "</body></html>\n");
}

static const struct {
    const char *key, *text;
} flashes[] = {
    {"saved", "保存しました。"},
    {"created", "登録しました。"},
    {"deactivated", "無効にしました。"},
    {"reactivated", "有効に戻しました。"},
    {"closed", "廃止しました。"},
    {"assigned", "配属を登録しました。"},
    {"ended", "終了日を登録しました。"},
    {"designated", "指名しました。"},
    {"revoked", "指名を解除しました。"},
    {"deleted", "削除しました。"},
    {"transferred", "異動案を反映しました。"},
    {"password", "パスワードを変更しました。"},
    {"submitted", "提出しました。上司の確認をお待ちください。"},
    {"confirmed", "確認しました。"},
    {"returned", "差し戻しました。"},
    {"logout", "ログアウトしました。"},
};

void layout_flash(Buf *b, const PageFrame *f)
{
    if (f->reminded > 0) html_printf(b, "<div class=\"flash ok\" role=\"status\">%lld人に督促しました。</div>\n", (long long)f->reminded);
    for (size_t i = 0; f->msg && i < COUNTOF(flashes); i++)
        if (strcmp(f->msg, flashes[i].key) == 0) html_printf(b, "<div class=\"flash ok\" role=\"status\">%s</div>\n", flashes[i].text);
}

void form_begin(Req *r, Buf *b, const char *action, const char *cls)
{
    const char *token = r->user ? r->user->csrf : kv_get(&r->cookies, "jz_pre");
    html_printf(b, "<form method=\"post\" action=\"%s\" class=\"%s\" data-once><input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                action, cls ? cls : "stack", token ? token : "");
}

void form_end(Buf *b) { html_raw(b, "</form>\n"); }

void error_summary(Buf *b, const Errors *e)
{
    if (!e || !e->n) return;
    html_raw(b, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>入力内容を確認してください</h2><ul>");
    for (int i = 0; i < e->n; i++) {
        if (e->items[i].field[0]) html_printf(b, "<li><a href=\"#f-%s\">%s</a></li>", e->items[i].field, e->items[i].msg);
        else html_printf(b, "<li>%s</li>", e->items[i].msg);
    }
    html_raw(b, "</ul></div>\n");
}

static void field_describe(Buf *b, const Errors *e, const char *name, unsigned flags, const char *hint)
{
    const char *err = err_for(e, name);
    html_printf(b, " id=\"f-%s\" name=\"%s\"", name, name);
    if (flags & F_REQUIRED) html_raw(b, " required aria-required=\"true\"");
    if (flags & F_AUTOSUBMIT) html_raw(b, " data-autosubmit");
    if (err) html_raw(b, " aria-invalid=\"true\"");
    if (err || hint) {
        html_raw(b, " aria-describedby=\"");
        if (err) html_printf(b, "e-%s ", name);
        if (hint) html_printf(b, "h-%s", name);
        html_raw(b, "\"");
    }
}

static void field_close(Buf *b, const Errors *e, const char *name, const char *hint)
{
    const char *err = err_for(e, name);
    if (hint) html_printf(b, "<p class=\"hint\" id=\"h-%s\">%s</p>", name, hint);
    if (err) html_printf(b, "<p class=\"error-msg\" id=\"e-%s\">%s</p>", name, err);
    html_raw(b, "</div>\n");
}

static void label_with_req(Buf *b, const char *name, const char *label, unsigned flags)
{
    html_printf(b, "<div class=\"field%s\"><label for=\"f-%s\">%s", flags & F_NARROW ? " narrow" : "", name, label);
    if (flags & F_REQUIRED) html_raw(b, " <span class=\"req\">必須</span>");
    html_raw(b, "</label>");
}

void field_text(Buf *b, const Errors *e, const char *name, const char *label, const char *value, unsigned flags,
                const char *hint)
{
    label_with_req(b, name, label, flags);
    html_raw(b, "<input type=\"text\"");
    field_describe(b, e, name, flags, hint);
    html_printf(b, " value=\"%s\">", value ? value : "");
    field_close(b, e, name, hint);
}

void field_password(Buf *b, const Errors *e, const char *name, const char *label, const char *autocomplete)
{
    label_with_req(b, name, label, F_REQUIRED);
    html_raw(b, "<input type=\"password\"");
    field_describe(b, e, name, F_REQUIRED, NULL);
    html_printf(b, " autocomplete=\"%s\">", autocomplete);
    field_close(b, e, name, NULL);
}

void field_textarea(Buf *b, const Errors *e, const char *name, const char *label, const char *value, unsigned flags,
                    const char *hint)
{
    label_with_req(b, name, label, flags);
    html_raw(b, "<textarea rows=\"3\"");
    field_describe(b, e, name, flags, hint);
    html_printf(b, ">%s</textarea>", value ? value : "");
    field_close(b, e, name, hint);
}

void field_select(Buf *b, const Errors *e, const char *name, const char *label, const Option *opts, int n,
                  const char *selected, unsigned flags, const char *hint)
{
    label_with_req(b, name, label, flags);
    html_raw(b, "<select");
    field_describe(b, e, name, flags, hint);
    html_raw(b, ">");
    for (int i = 0; i < n; i++)
        html_printf(b, "<option value=\"%s\"%s>%s</option>", opts[i].value,
                    str_eq(selected, opts[i].value) ? " selected" : "", opts[i].label);
    html_raw(b, "</select>");
    field_close(b, e, name, hint);
}

void field_checkbox(Buf *b, const char *name, const char *label, bool checked)
{
    html_printf(b, "<div class=\"field\"><label class=\"choice\"><input type=\"checkbox\" id=\"f-%s\" name=\"%s\" value=\"1\"%s> %s</label></div>\n",
                name, name, checked ? " checked" : "", label);
}

void html_date(Buf *b, const char *iso)
{
    if (str_empty(iso)) return;
    Buf w = BUF_INIT;
    wareki_date_iso(&w, iso);
    html_printf(b, "<time datetime=\"%s\">%s</time>", iso, buf_cstr(&w));
    buf_free(&w);
}
