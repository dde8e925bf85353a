/* page_home.c - the start page: what is the user's to do, by role, each item
 * linking to the page where it is done; and the counts beside the menu. */
#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/asof.h"
#include "../domain/kpi.h"
#include "../domain/notice.h"
#include "../domain/org.h"
#include "../domain/completion.h"
#include "../domain/training.h"
#include "../domain/tier.h"
#include "../domain/todo.h"
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


static bool is_office(const Req *r) { return (r->user->roles & (ROLE_HR | ROLE_DX)) != 0; }

void nav_counts(Req *r, int *assess, int *training)
{
    *assess = *training = 0;
    if (!r->user || !r->db) return;
    const char *today = page_today(r);
    if (r->user->staff_id) {
        TodoStaff s;
        todo_staff(r->db, r->a, r->user->staff_id, r->nendo, today, &s);
        *assess += s.assess_due ? 1 : 0;
        *training += s.reports_due + s.shareback_due + s.mandatory_due;
    }
    if ((r->user->roles & ROLE_MANAGER) && !scope_org_wide(r->user)) {
        TodoManager m;
        todo_manager(r->db, r->a, scope_root(r->user), r->user->staff_id, r->nendo, today, &m);
        *assess += m.to_confirm;
        *training += m.to_approve;
    }
    if (is_office(r)) {
        char now[11];
        now_date(now);
        *training += todo_apps_waiting(r->db, app_state_code(AP_APPROVED), 0, now);
    }
}

int nav_count(Req *r, const char *menu_key)
{
    if (!r->user || !r->db) return 0;
    if (str_eq(menu_key, "notices")) return notice_unread_count(r->db, r->user->account_id);
    bool skills = str_eq(menu_key, "assess"), training = str_eq(menu_key, "training");
    if (!skills && !training) return 0;
    int a, t;
    nav_counts(r, &a, &t);
    return skills ? a : t;
}

/* One line of a to-do list: shown only when there is something to do. */
static int item(Buf *b, int count, const char *href, const char *label, const char *unit)
{
    if (count <= 0) return 0;
    html_printf(b, "<li><a href=\"%s\">%s</a> <span class=\"badge\">%d%s</span></li>", href, label, count, unit);
    return 1;
}

static void list_end(Buf *b, int shown)
{
    if (shown) html_raw(b, "</ul>");
    else html_raw(b, "<p class=\"empty\">ありません。</p>");
    html_raw(b, "</section>\n");
}

static void staff_todo(Req *r, Buf *b, const char *today)
{
    TodoStaff s;
    todo_staff(r->db, r->a, r->user->staff_id, r->nendo, today, &s);
    html_raw(b, "<section class=\"panel todo\" id=\"todo-staff\"><h2>わたしのやること</h2><ul>");
    int shown = 0;
    if (s.assess == AS_RETURNED) {
        html_raw(b, "<li><a href=\"/assess\">自己評価が差し戻されました。直して再提出してください</a> <span class=\"flag warn\">差戻し</span>");
        if (!str_empty(s.return_message)) html_printf(b, "<blockquote>%s</blockquote>", s.return_message);
        html_raw(b, "</li>");
        shown++;
    } else if (s.assess_due) {
        html_printf(b, "<li><a href=\"/assess\">%s</a> <span class=\"badge\">%s</span></li>",
                    s.assess == AS_DRAFT ? "自己評価の下書きを仕上げて提出してください" : "自己評価を始めてください",
                    assess_state_name(s.assess));
        shown++;
    }
    shown += item(b, s.apps_waiting, "/training#applications", "承認・決定を待っている研修の申込", "件");
    shown += item(b, s.upcoming, "/training#applications", "30日以内に受講する研修", "件");
    shown += item(b, s.reports_due, "/training#report", "復命書の提出（外部研修）", "件");
    shown += item(b, s.shareback_due, "/training#shareback", "職場還元の実施・登録", "件");
    shown += item(b, s.mandatory_due, "/sessions", "今年度まだ修了していない必須研修", "件");
    if (s.mandatory_title) {
        /* The one due first, with its date; an overdue one says so in words. */
        html_printf(b, "<li class=\"mandatory-due\">必修「%s」", s.mandatory_title);
        if (s.mandatory_due_on) {
            html_raw(b, " 期限 ");
            html_date(b, s.mandatory_due_on);
        }
        if (s.mandatory_overdue) html_printf(b, " <span class=\"flag warn\">期限切れ %d件</span>", s.mandatory_overdue);
        html_raw(b, "</li>");
    }
    shown += item(b, s.quals_expiring, arena_printf(r->a, "/staff/%lld/quals", (long long)r->user->staff_id),
                  "90日以内に期限が切れる資格", "件");
    list_end(b, shown);
}

#define LEADS_PAGE 50 /* units per page of the list of 係 without a 総括リーダー */

static void missing_leads(Req *r, Buf *b, const char *as_of, int64_t root)
{
    /* Those inside root's subtree, then one page of them. A 所属長's list is
     * read from their subtree only; the whole tree only when root is 0. */
    MissingLead *miss;
    int total = 0;
    if (root) total = todo_missing_leads(r->db, r->a, root, r->nendo, as_of, &miss);
    else {
        UnitTree t;
        org_tree(r->db, r->a, as_of, r->nendo, &t);
        miss = arena_alloc(r->a, sizeof *miss * (size_t)(t.n + 1));
        for (int i = 0; i < t.n; i++) {
            UnitNode *n = &t.nodes[i];
            if (!n->needs_lead || n->leads) continue;
            miss[total++] = (MissingLead){n->u.id, n->u.name, n->parent ? n->parent->u.name : NULL};
        }
    }
    html_raw(b, "<section class=\"panel\" id=\"todo-leads\"><h2>総括リーダー未配置の係</h2>\n");
    int pages = (total + LEADS_PAGE - 1) / LEADS_PAGE, page = page_number(req_query(r, "leads_page"));
    if (page > pages) page = pages ? pages : 1;
    int from = (page - 1) * LEADS_PAGE, to = from + LEADS_PAGE < total ? from + LEADS_PAGE : total;
    if (pages > 1) html_printf(b, "<p role=\"status\">%d係</p>", total);
    if (total) html_raw(b, "<ul>");
    for (int i = from; i < to; i++) {
        const MissingLead *n = &miss[i];
        html_printf(b, "<li><span class=\"flag warn\">⚠ 未配置</span> <a href=\"/org/%lld\">%s%s%s</a></li>", (long long)n->unit_id,
                    n->parent_name ? n->parent_name : "", n->parent_name ? " " : "", n->name);
    }
    if (total) html_raw(b, "</ul>");
    else html_raw(b, root ? "<p class=\"empty\">所管の係すべてに総括リーダーが指名されています。</p>"
                          : "<p class=\"empty\">すべての係に総括リーダーが指名されています。</p>");
    if (pages > 1) {
        html_raw(b, "<nav class=\"pager\" aria-label=\"総括リーダー未配置の係のページ\">");
        if (page > 1) html_printf(b, "<a rel=\"prev\" href=\"/?leads_page=%d#todo-leads\">前へ</a> ", page - 1);
        else html_raw(b, "<a>前へ</a> ");
        html_printf(b, "<span aria-current=\"page\">%d / %d ページ</span>", page, pages);
        if (page < pages) html_printf(b, " <a rel=\"next\" href=\"/?leads_page=%d#todo-leads\">次へ</a>", page + 1);
        else html_raw(b, " <a>次へ</a>");
        html_raw(b, "</nav>\n");
    }
    html_raw(b, "</section>\n");
}

static void manager_todo(Req *r, Buf *b, const char *today)
{
    int64_t root = scope_root(r->user);
    TodoManager m;
    todo_manager(r->db, r->a, root, r->user->staff_id, r->nendo, today, &m);
    html_raw(b, "<section class=\"panel todo\" id=\"todo-manager\"><h2>所属長として確認すること</h2>");
    if (root > 0) {
        Unit u;
        if (org_get(r->db, r->a, root, &u)) html_printf(b, "<p class=\"muted\">%s（配下を含む）の職員 %d人について</p>", u.name, m.in_service);
    }
    html_raw(b, "<ul>");
    int shown = 0;
    shown += item(b, m.to_confirm, "/assess/review", "上司確認を待っている自己評価", "件");
    shown += item(b, m.to_approve, "/training/approvals", "所属長承認を待っている研修の申込", "件");
    shown += item(b, m.not_submitted, "/assess/progress", "自己評価をまだ提出していない職員", "人");
    shown += item(b, m.missing_leads, "#todo-leads", "総括リーダーが未配置の係", "係");
    if (shown) html_raw(b, "</ul>");
    else html_raw(b, "<p class=\"empty\">ありません。</p>");
    html_raw(b, "<p><a href=\"/mandatory\">必修研修の修了状況（組織ごと）</a></p></section>\n");
    char as_of[11];
    asof_nendo_date(r->nendo, as_of);
    missing_leads(r, b, as_of, root);
}

static void office_todo(Req *r, Buf *b, const char *today)
{
    TodoOffice o;
    todo_office(r->db, r->a, r->nendo, today, &o);
    html_raw(b, "<section class=\"panel todo\" id=\"todo-office\"><h2>事務局の処理</h2><ul>");
    int shown = 0;
    shown += item(b, o.to_decide, "/training/approvals", "事務局決定を待っている研修の申込", "件");
    /* The oldest session waiting is where to start. */
    const char *roster = o.first_to_close ? arena_printf(r->a, "/sessions/%lld#roster", (long long)o.first_to_close) : "/sessions";
    shown += item(b, o.to_close, roster, "出欠が未登録の終了した研修日程", "回");
    shown += item(b, o.attendance, roster, "出欠の記録がない受講決定者", "人");
    shown += item(b, o.reports_to_check, "/training/transcript", "復命書が未提出の外部研修（修了の確認待ち）", "件");
    shown += item(b, o.staffing_leader, "/kpi/coverage", "総括リーダーが未配置・要注意の係", "係");
    shown += item(b, o.staffing_experts, "/kpi/coverage", "高度専門人材が不足・要注意の情報部門", "部門");
    shown += item(b, o.staffing_keysys, "/kpi/coverage", "担当者が2人に満たない・要注意の重要システム", "件");
    if (shown) html_raw(b, "</ul>");
    else html_raw(b, "<p class=\"empty\">ありません。</p>");
    html_raw(b, "<p><a href=\"/mandatory\">必修研修の設定と修了状況</a></p></section>\n");

    static const char *const hrefs[YT_COUNT] = {
        [YT_ROLLOVER] = "/nendo/rollover", [YT_ROSTER] = "/import",           [YT_LEADERS] = "/tiers",
        [YT_PERIOD] = "/assess/period",    [YT_ASSESS] = "/assess/progress",  [YT_CONFIRM] = "/assess/progress",
        [YT_TRAINING] = "/sessions",       [YT_PLAN] = "/plans/demand",       [YT_KPI] = "/kpi/report",
        [YT_NEXT] = "/nendo/rollover",
    };
    YearTask tasks[YT_COUNT];
    todo_year_tasks(r->db, r->a, r->nendo, today, tasks);
    Buf nendo = BUF_INIT;
    wareki_nendo(&nendo, r->nendo);
    html_printf(b, "<section class=\"panel\" id=\"todo-year\"><h2>%sの年間業務</h2><ol class=\"year-tasks\">", buf_cstr(&nendo));
    buf_free(&nendo);
    for (int i = 0; i < YT_COUNT; i++) {
        const YearTask *t = &tasks[i];
        html_raw(b, t->current ? "<li class=\"current\" aria-current=\"true\">" : "<li>");
        html_printf(b, "<span class=\"muted\">%s</span> <a href=\"%s\">%s</a> <span class=\"flag %s\">%s</span> %s", t->when, hrefs[i],
                    t->title, t->done ? "ok" : "warn", t->done ? "✓ 済" : "未了", t->state);
        html_raw(b, t->current ? " <strong>（今月）</strong></li>" : "</li>");
    }
    html_raw(b, "</ol></section>\n");
}

void page_home(Req *r, Resp *w)
{
    page_begin(r, w, "ホーム", "home", NULL, 0);
    Buf *b = &w->body;
    const char *today = page_today(r);
    Buf nendo = BUF_INIT;
    wareki_nendo(&nendo, r->nendo);
    html_printf(b, "<p class=\"lead\">%sさん、こんにちは。%sのやることです（", r->user->name, buf_cstr(&nendo));
    html_date(b, today);
    html_raw(b, " 現在）。</p>\n");
    buf_free(&nendo);
    if (r->user->staff_id) staff_todo(r, b, today);
    if ((r->user->roles & ROLE_MANAGER) && !scope_org_wide(r->user)) manager_todo(r, b, today);
    if (is_office(r)) office_todo(r, b, today);
    if (scope_org_wide(r->user)) {
        int counts[4];
        kpi_tier_counts(r->db, r->a, r->nendo, today, counts);
        html_raw(b, "<div class=\"cards\">");
        html_printf(b, "<a class=\"card\" href=\"/staff\"><span class=\"card-title\">在職職員</span><span class=\"card-value\">%d人</span></a>", counts[0]);
        html_printf(b, "<a class=\"card\" href=\"/staff?tier=1\"><span class=\"card-title\">①高度専門人材</span><span class=\"card-value\">%d人</span></a>", counts[1]);
        html_printf(b, "<a class=\"card\" href=\"/staff?tier=2\"><span class=\"card-title\">②DX推進リーダー</span><span class=\"card-value\">%d人</span></a>", counts[2]);
        html_printf(b, "<a class=\"card\" href=\"/staff?tier=3\"><span class=\"card-title\">③一般職員</span><span class=\"card-value\">%d人</span></a>", counts[3]);
        html_raw(b, "</div>\n");
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
