/* page_frame.c - see page_frame.h. */
#include "page_frame.h"

#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/org.h"
#include "framecache.h"

/* The flash message asked for by the query of a redirect. */
static void flash_of(Req *r, PageFrame *f)
{
    int64_t reminded;
    if (parse_int64(req_query(r, "reminded"), &reminded) && reminded > 0) f->reminded = reminded;
    f->msg = req_query(r, "msg");
}

/* Bit i set when the user's roles may GET links[i].href. The roles of each
 * href come from the route table and never change: looked up once per thread. */
static uint64_t shown(Req *r, const NavLink *links, size_t n, unsigned *cache, bool *ready)
{
    if (!*ready) {
        for (size_t i = 0; i < n; i++) cache[i] = r->get_roles ? r->get_roles(links[i].href) : 0;
        *ready = r->get_roles != NULL;
    }
    uint64_t bits = 0;
    for (size_t i = 0; i < n; i++)
        if (cache[i] & r->user->roles) bits |= (uint64_t)1 << i;
    return bits;
}

void page_frame_fill(Req *r, PageFrame *f)
{
    *f = (PageFrame){.nendo = r->nendo};
    flash_of(r, f);
    if (!r->user) return;
    FrameValues fv;
    frame_values(r, &fv);
    f->logged_in = true;
    f->name = r->user->name;
    f->roles = r->user->roles;
    static _Thread_local unsigned section_roles[64], page_roles[64];
    static _Thread_local bool sections_ready, pages_ready;
    f->sections_shown = shown(r, nav_sections, nav_sections_count, section_roles, &sections_ready);
    f->pages_shown = shown(r, nav_pages, nav_pages_count, page_roles, &pages_ready);
    f->has_staff = r->user->staff_id != 0;
    f->csrf = r->user->csrf;
    f->city = fv.city;
    f->assess = fv.assess;
    f->training = fv.training;
    f->notices = fv.notices;
}

void page_begin(Req *r, Resp *w, const char *title, const char *nav, const Crumb *crumbs, int ncrumbs)
{
    w->content_type = "text/html; charset=utf-8";
    PageFrame f;
    page_frame_fill(r, &f);
    layout_begin(&w->body, r->a, &f, title, nav, crumbs, ncrumbs);
}

void page_end(Req *r, Resp *w)
{
    (void)r;
    layout_end(&w->body);
}

void page_flash(Req *r, Resp *w)
{
    PageFrame f = {0};
    flash_of(r, &f);
    layout_flash(&w->body, &f);
}

static const char *status_title(int status)
{
    switch (status) {
    case 400: return "リクエストが正しくありません";
    case 403: return "この操作の権限がありません";
    case 404: return "ページが見つかりません";
    case 405: return "この方法では操作できません";
    case 413: return "送信されたデータが大きすぎます";
    case 429: return "しばらく待ってからお試しください";
    default: return "エラーが発生しました";
    }
}

void resp_error(Req *r, Resp *w, int status, const char *message)
{
    buf_reset(&w->body);
    w->headers.n = 0;
    w->status = status;
    page_begin(r, w, status_title(status), "", NULL, 0);
    html_printf(&w->body, "<p class=\"lead\">%s</p><p><a href=\"/\">ホームへ戻る</a></p>\n", message);
    page_end(r, w);
    w->status = status;
}

void field_unit(Req *r, Buf *b, const Errors *e, const char *name, const char *label, const char *as_of,
                const char *selected, unsigned flags, const char *first_label)
{
    /* A 所属長 chooses among the units of their own subtree only. */
    Unit *units;
    int64_t root = scope_root(r->user);
    int n = root < 0 ? 0 : org_options(r->db, r->a, as_of, root, &units);
    Option *opts = arena_alloc(r->a, sizeof *opts * (size_t)(n + 1));
    opts[0] = (Option){"", first_label};
    for (int i = 0; i < n; i++) {
        const char *indent = units[i].level == 1 ? "" : units[i].level == 2 ? "　" : units[i].level == 3 ? "　　" : "　　　";
        opts[i + 1] = (Option){arena_printf(r->a, "%lld", (long long)units[i].id),
                               arena_printf(r->a, "%s%s（%s）", indent, units[i].name, org_level_name(units[i].level))};
    }
    field_select(b, e, name, label, opts, n + 1, selected, flags, NULL);
}

void field_unit_filter(Req *r, Buf *b, const char *name, const char *label, const char *as_of, const char *selected, const char *first_label)
{
    /* The 執行機関・部・課 of the viewer's subtree, and the 係 of the chosen
     * 課 only (of the chosen 係's 課 when a 係 is chosen): a large organisation's
     * thousands of 係 are not sent with every list page. Choosing a 課 and
     * pressing 表示 brings its 係 into the list, without script. */
    Unit *units;
    int64_t root = scope_root(r->user), sel = 0, v;
    if (parse_int64(selected, &v)) sel = v;
    int n = root < 0 ? 0 : org_options(r->db, r->a, as_of, root, &units);
    int64_t open = sel;
    for (int i = 0; i < n; i++)
        if (units[i].id == sel && units[i].level == 4) open = units[i].parent_id;
    Option *opts = arena_alloc(r->a, sizeof *opts * (size_t)(n + 1));
    opts[0] = (Option){"", first_label};
    int k = 1;
    for (int i = 0; i < n; i++) {
        if (units[i].level == 4 && units[i].parent_id != open && units[i].id != root) continue;
        const char *indent = units[i].level == 1 ? "" : units[i].level == 2 ? "　" : units[i].level == 3 ? "　　" : "　　　";
        opts[k++] = (Option){arena_printf(r->a, "%lld", (long long)units[i].id),
                             arena_printf(r->a, "%s%s（%s）", indent, units[i].name, org_level_name(units[i].level))};
    }
    field_select(b, NULL, name, label, opts, k, selected, 0, "係は、課を選んで「表示」を押すと選べます。");
}

