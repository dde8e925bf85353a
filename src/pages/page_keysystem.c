/* page_keysystem.c - /systems: the register of key systems (重要システム台帳)
 * with the staff in charge and their backups, and whether each has two
 * people who can run it. */
#include <math.h>
#include <string.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/keysys.h"
#include "../domain/kpi.h"
#include "../domain/staffing.h"
#include "../domain/transfer.h"
#include "../html/layout.h"
#include "../io/encoding.h"
#include "../io/table.h"
#include "../io/text.h"
#include "pages.h"


/* "○ 充足 2／2人" as a coloured flag. */
void page_cov_flag(Buf *b, const StaffingRow *c)
{
    static const char *const cls[] = {"ok", "warn", "bad"};
    html_printf(b, "<span class=\"flag %s\">%s %s</span> %d／%d人", cls[c->state], staffing_state_symbol(c->state), staffing_state_name(c->state), c->have, c->need);
}

void page_cov_cell(Buf *b, const StaffingRow *c)
{
    html_raw(b, "<td>");
    if (c) page_cov_flag(b, c);
    else html_raw(b, "－");
    html_raw(b, "</td>");
}

static bool can_edit_systems(Req *r) { return r->user->roles & (ROLE_HR | ROLE_DX | ROLE_ADMIN); }

static const char *duty_name(const char *role) { return str_eq(role, "main") ? "担当者" : str_eq(role, "backup") ? "副担当" : role; }

/* Names of the 重要システム's staff with one role, joined with "、". */
static const char *names_with_role(Arena *a, const KeySystem *k, const char *role)
{
    Buf nb = BUF_INIT;
    for (int i = 0; i < k->nstaff; i++)
        if (str_eq(k->roles[i], role)) buf_printf(&nb, "%s%s", nb.len ? "、" : "", k->staff_names[i]);
    const char *s = arena_strdup(a, buf_cstr(&nb));
    buf_free(&nb);
    return s;
}

/* The 重要システム coverage rows of the current 年度, to look systems up in. */
static int keysys_coverage(Req *r, StaffingRow **rows)
{
    return staffing_coverage(r->db, r->a, r->nendo, kpi_default_as_of(r->a, r->nendo), rows);
}

static const StaffingRow *system_row(const StaffingRow *rows, int n, int64_t system_id)
{
    for (int i = 0; i < n; i++)
        if (str_eq(rows[i].rule, "keysystem") && rows[i].system_id == system_id) return &rows[i];
    return NULL;
}

void page_keysys_list(Req *r, Resp *w)
{
    KeySystem *ks;
    int all = keysys_list(r->db, r->a, page_today(r), &ks), n = 0;
    /* A 所属長 sees the systems owned inside their subtree, as on /kpi/coverage. */
    for (int i = 0; i < all; i++)
        if (scope_unit(r->db, r->user, ks[i].unit_id)) ks[n++] = ks[i];
    StaffingRow *cov;
    int ncov = keysys_coverage(r, &cov);
    if (page_wants_export(r)) {
        static const char *const head[] = {"システム名", "所管", "担当者", "副担当", "対応できる人数", "状態", "備考", "有効", NULL};
        Table t;
        table_init(&t, r->a, "重要システム台帳", head);
        for (int i = 0; i < n; i++) {
            const StaffingRow *c = system_row(cov, ncov, ks[i].id);
            table_text(&t, ks[i].name);
            table_text(&t, ks[i].unit_name);
            table_text(&t, names_with_role(r->a, &ks[i], "main"));
            table_text(&t, names_with_role(r->a, &ks[i], "backup"));
            if (c) table_int(&t, c->have);
            else table_text(&t, "");
            table_text(&t, c ? staffing_state_name(c->state) : "");
            table_text(&t, ks[i].note);
            table_text(&t, ks[i].active ? "有効" : "無効");
        }
        page_send_table(r, w, &t, "重要システム台帳");
        return;
    }
    Crumb crumbs[] = {{"ホーム", "/"}, {"重要システム台帳", NULL}};
    page_begin(r, w, "重要システム台帳", "systems", crumbs, 2);
    Buf *b = &w->body;
    html_raw(b, "<p class=\"lead\">各課の重要システムと、その担当者・副担当です。異動があっても業務が止まらないよう、"
                "どのシステムも対応できる職員を2人以上置きます（○ 2人以上、△ 異動時期の人を含めて2人以上、✕ 2人未満）。</p>\n"
                "<div class=\"toolbar\"><a class=\"btn\" href=\"/systems?format=csv\">CSV出力</a> <a class=\"btn\" href=\"/systems?format=xlsx\">Excel出力</a>");
    if (can_edit_systems(r)) html_raw(b, " <a class=\"btn primary\" href=\"/systems/new\">重要システムを追加</a>");
    html_raw(b, "</div>\n");
    if (!scope_org_wide(r->user)) html_raw(b, "<p class=\"muted\">あなたの所属とその配下の組織が所管するシステムだけを表示しています。</p>\n");
    if (!n) {
        html_raw(b, "<p class=\"empty\">登録された重要システムはありません。</p>\n");
        page_end(r, w);
        return;
    }
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><caption>重要システム台帳</caption><thead><tr><th scope=\"col\">システム名</th>"
                "<th scope=\"col\">所管</th><th scope=\"col\">担当者</th><th scope=\"col\">副担当</th><th scope=\"col\">対応できる人</th>"
                "</tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        const StaffingRow *c = system_row(cov, ncov, ks[i].id);
        html_printf(b, "<tr><td><a href=\"/systems/%lld\">%s</a>%s</td><td>%s</td><td>%s</td><td>%s</td>", (long long)ks[i].id, ks[i].name,
                    ks[i].active ? "" : " <span class=\"badge muted\">無効</span>", ks[i].unit_name, names_with_role(r->a, &ks[i], "main"),
                    names_with_role(r->a, &ks[i], "backup"));
        page_cov_cell(b, c);
        html_raw(b, "</tr>\n");
    }
    html_raw(b, "</tbody></table></div>\n");
    page_end(r, w);
}

/* The add/edit form; k->id 0 adds. */
static void system_form(Req *r, Buf *b, const KeySystem *k, const char *unit_s, const Errors *e)
{
    char today[11];
    date_iso(date_today(), today);
    error_summary(b, e);
    form_begin(r, b, k->id ? arena_printf(r->a, "/systems/%lld", (long long)k->id) : "/systems/new", "stack");
    field_text(b, e, "name", "システム名", k->name, F_REQUIRED, "例：住民記録システム");
    field_unit(r, b, e, "unit_id", "所管", today, unit_s, F_REQUIRED, "選んでください");
    field_textarea(b, e, "note", "備考", k->note, 0, "保守業者、更新時期など");
    field_checkbox(b, "active", "有効（使われているシステム）", k->active);
    html_printf(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button> <a class=\"btn\" href=\"%s\">キャンセル</a></div>",
                k->id ? arena_printf(r->a, "/systems/%lld", (long long)k->id) : "/systems");
    form_end(b);
}

static void new_page(Req *r, Resp *w, const KeySystem *k, const char *unit_s, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"重要システム台帳", "/systems"}, {"追加", NULL}};
    page_begin(r, w, "重要システムの追加", "systems", crumbs, 3);
    system_form(r, &w->body, k, unit_s, e);
    page_end(r, w);
}

void page_keysys_new(Req *r, Resp *w)
{
    KeySystem k = {.name = "", .note = "", .active = true};
    new_page(r, w, &k, "", NULL);
}

static void staff_section(Req *r, Buf *b, const KeySystem *k, const Errors *e, const char *typed_no)
{
    html_raw(b, "<section class=\"panel\"><h2>担当者と副担当</h2>");
    if (!k->nstaff) html_raw(b, "<p class=\"empty\">担当者が登録されていません。</p>");
    else {
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">職員番号</th><th scope=\"col\">氏名</th>"
                    "<th scope=\"col\">役割</th><th scope=\"col\">期間</th>");
        if (can_edit_systems(r)) html_raw(b, "<th scope=\"col\">操作</th>");
        html_raw(b, "</tr></thead><tbody>\n");
        for (int i = 0; i < k->nstaff; i++) {
            const char *no = db_text(r->db, r->a, "SELECT staff_no FROM staff WHERE id = ?", k->staff_ids[i]);
            html_printf(b, "<tr><td>%s</td><td><a href=\"/staff/%lld\">%s</a></td><td>%s</td><td>", no ? no : "", (long long)k->staff_ids[i],
                        k->staff_names[i], duty_name(k->roles[i]));
            html_printf(b, "%s ～ %s</td>", page_wareki(r, k->since[i]), k->until[i] ? page_wareki(r, k->until[i]) : "");
            if (can_edit_systems(r)) {
                html_raw(b, "<td>");
                form_begin(r, b, arena_printf(r->a, "/systems/%lld/staff", (long long)k->id), "inline");
                html_printf(b, "<input type=\"hidden\" name=\"staff_no\" value=\"%s\"><input type=\"hidden\" name=\"role\" value=\"remove\">"
                               "<button type=\"submit\" class=\"btn small danger\" data-confirm=\"%sさんを担当から外しますか？\">外す</button>",
                            no ? no : "", k->staff_names[i]);
                form_end(b);
                html_raw(b, "</td>");
            }
            html_raw(b, "</tr>\n");
        }
        html_raw(b, "</tbody></table></div>\n");
    }
    if (can_edit_systems(r)) {
        static const Option roles[] = {{"main", "担当者"}, {"backup", "副担当"}};
        html_raw(b, "<h3>担当者を追加・役割を変更</h3>");
        error_summary(b, e);
        form_begin(r, b, arena_printf(r->a, "/systems/%lld/staff", (long long)k->id), "stack");
        field_text(b, e, "staff_no", "職員番号", typed_no, F_REQUIRED | F_NARROW, NULL);
        field_select(b, e, "role", "役割", roles, 2, str_eq(req_form(r, "role"), "backup") ? "backup" : "main", F_REQUIRED, NULL);
        const char *on = req_form(r, "on");
        field_text(b, e, "on", "発令日", e && on ? on : page_today(r), F_REQUIRED | F_NARROW, "先の日付も登録できます。その日から担当になります。");
        html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">登録</button></div>");
        form_end(b);
    }
    html_raw(b, "</section>\n");
}

/* The 重要システム page; staff_err / edit_err hold a failed POST's errors, and
 * typed the edit form's input to show again. */
static void render_system(Req *r, Resp *w, int64_t id, const Errors *staff_err, const Errors *edit_err, const KeySystem *typed)
{
    KeySystem k;
    if (!keysys_get(r->db, r->a, id, page_today(r), &k)) {
        resp_error(r, w, 404, "その重要システムは見つかりません。");
        return;
    }
    if (!scope_unit(r->db, r->user, k.unit_id)) {
        resp_error(r, w, 403, "この重要システムは、あなたの所属の範囲外のため表示できません。");
        return;
    }
    StaffingRow *cov;
    int ncov = keysys_coverage(r, &cov);
    const StaffingRow *c = system_row(cov, ncov, id);
    Crumb crumbs[] = {{"ホーム", "/"}, {"重要システム台帳", "/systems"}, {k.name, NULL}};
    page_begin(r, w, k.name, "systems", crumbs, 3);
    Buf *b = &w->body;
    html_printf(b, "<dl class=\"props\"><dt>所管</dt><dd><a href=\"/org/%lld\">%s</a></dd><dt>備考</dt><dd>%s</dd><dt>状態</dt><dd>%s</dd>"
                   "<dt>対応できる人</dt><dd>",
                (long long)k.unit_id, k.unit_name, str_empty(k.note) ? "－" : k.note, k.active ? "有効" : "無効");
    if (c) {
        page_cov_flag(b, c);
        if (!str_empty(c->reason)) html_printf(b, "（%s）", c->reason);
    } else {
        html_raw(b, "－（無効のシステム）");
    }
    html_raw(b, "</dd></dl>\n");
    staff_section(r, b, &k, staff_err, staff_err ? text_trim(r->a, req_form(r, "staff_no")) : "");
    if (can_edit_systems(r)) {
        html_raw(b, "<section class=\"panel\"><h2>台帳の内容を編集</h2>");
        const KeySystem *shown = typed ? typed : &k;
        system_form(r, b, shown, shown->unit_id ? arena_printf(r->a, "%lld", (long long)shown->unit_id) : "", edit_err);
        html_raw(b, "</section>\n");
    }
    page_end(r, w);
}

void page_keysys_show(Req *r, Resp *w) { render_system(r, w, req_param_id(r, 0), NULL, NULL, NULL); }

void page_keysys_save(Req *r, Resp *w)
{
    Errors e = {0};
    KeySystem k = {0}, old;
    k.id = r->nparams ? req_param_id(r, 0) : 0;
    if (r->nparams && !keysys_get(r->db, r->a, k.id, page_today(r), &old)) {
        resp_error(r, w, 404, "その重要システムは見つかりません。");
        return;
    }
    k.name = text_trim(r->a, req_form(r, "name"));
    k.note = text_trim(r->a, req_form(r, "note"));
    k.active = str_eq(req_form(r, "active"), "1");
    if (!parse_int64(req_form(r, "unit_id"), &k.unit_id)) k.unit_id = 0;
    Actor who;
    page_actor(r, &who);
    if (keysys_save(r->db, &who, &k, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/systems/%lld?msg=saved", (long long)k.id));
        return;
    }
    if (r->nparams) render_system(r, w, k.id, NULL, &e, &k);
    else new_page(r, w, &k, req_form(r, "unit_id") ? req_form(r, "unit_id") : "", &e);
    w->status = 422;
}

void page_keysys_staff(Req *r, Resp *w)
{
    Errors e = {0};
    int64_t id = req_param_id(r, 0);
    KeySystem k;
    if (!keysys_get(r->db, r->a, id, page_today(r), &k)) {
        resp_error(r, w, 404, "その重要システムは見つかりません。");
        return;
    }
    const char *staff_no = text_trim(r->a, req_form(r, "staff_no")), *role = req_form(r, "role");
    if (!str_eq(role, "main") && !str_eq(role, "backup") && !str_eq(role, "remove")) err_add(&e, "role", "役割を選んでください。");
    Actor who;
    page_actor(r, &who);
    const char *on = req_form(r, "on") ? form_date(r, "on") : page_today(r);
    if (!err_any(&e) && keysys_staff_set(r->db, &who, id, staff_no, str_eq(role, "remove") ? NULL : role, on, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/systems/%lld?msg=saved", (long long)id));
        return;
    }
    render_system(r, w, id, &e, NULL, NULL);
    w->status = 422;
}
