/* page_skill.c - the skill map: browse it with its targets and 行動指標,
 * edit items and categories, reorder and retire items, switch optional
 * libraries on per tier, and exchange the whole map as CSV / Excel. */
#include <string.h>

#include "../core/util.h"
#include "../domain/skill.h"
#include "../domain/tier.h"
#include "../html/layout.h"
#include "../io/table.h"
#include "../io/text.h"
#include "pages.h"

static bool can_edit(Req *r) { return r->user->roles & (ROLE_DX | ROLE_ADMIN); }

static const char *source_name(const char *code)
{
    return str_eq(code, "DSS-L") ? "DXリテラシー標準" : str_eq(code, "DSS-P") ? "DX推進スキル標準" : "独自";
}

static const char *library_name(const char *lib) { return str_eq(lib, "dss-p") ? "DX推進スキル標準（DSS-P）" : lib; }

static void target_cell(Buf *b, int v)
{
    if (v >= 0) html_printf(b, "<td class=\"num\">%d</td>", v);
    else html_raw(b, "<td class=\"num\"><span class=\"muted\">－</span></td>");
}

static void library_panel(Req *r, Buf *b, const SkillMap *m)
{
    if (!m->nlibraries) return;
    html_raw(b, "<section class=\"panel\"><h2>追加ライブラリ</h2><p>選んだ人材区分の評価項目に加わります。目標レベルは各項目で設定してください。</p><ul>");
    for (int l = 0; l < m->nlibraries; l++) {
        html_printf(b, "<li><strong>%s</strong>：", library_name(m->libraries[l]));
        for (int tier = 1; tier <= 3; tier++) {
            bool on = m->library_on[l][tier];
            html_printf(b, "%s %s ", tier_short(tier), on ? "✓ 有効" : "－ 無効");
            if (can_edit(r)) {
                form_begin(r, b, "/skills/library", "inline");
                html_printf(b, "<input type=\"hidden\" name=\"library\" value=\"%s\"><input type=\"hidden\" name=\"tier\" value=\"%d\">"
                               "<input type=\"hidden\" name=\"on\" value=\"%d\"><button type=\"submit\" class=\"btn small\">%s</button>",
                            m->libraries[l], tier, on ? 0 : 1, on ? "無効にする" : "有効にする");
                form_end(b);
            }
        }
        html_raw(b, "</li>");
    }
    html_raw(b, "</ul></section>\n");
}

void page_skill_map(Req *r, Resp *w)
{
    int nendo = page_nendo(r, req_query(r, "nendo"));
    bool retired = str_eq(req_query(r, "retired"), "1");
    SkillMap m;
    skill_map_load(r->db, r->a, nendo, retired || page_wants_export(r), &m);
    Table t;
    skill_map_table(r->a, &m, &t);
    if (page_send_table(r, w, &t, arena_printf(r->a, "スキルマップ_%d年度", nendo))) return;
    Crumb crumbs[] = {{"ホーム", "/"}, {"スキルマップ", NULL}};
    page_begin(r, w, "スキルマップ", "skills", crumbs, 2);
    Buf *b = &w->body;
    Buf nb = BUF_INIT;
    wareki_nendo(&nb, nendo);
    html_printf(b, "<p class=\"lead\">人材区分ごとに必要なスキルと、%sの目標レベルです（方針V(1)(2)）。DXリテラシー標準（DSS-L）に沿った項目と、本市独自の項目からなります。"
                   "レベルは0〜4で、各レベルの行動指標を目安に評価します。</p>\n",
                buf_cstr(&nb));
    buf_free(&nb);
    if (m.target_nendo && m.target_nendo != nendo)
        html_printf(b, "<p>この年度の目標は未設定のため、%sの目標を引き継いでいます。目標を変更すると、この年度の目標として保存されます。</p>\n",
                    page_nendo_name(r, m.target_nendo));
    html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/skills\">");
    field_text(b, NULL, "nendo", "年度", arena_printf(r->a, "%d", nendo), F_NARROW, NULL);
    field_checkbox(b, "retired", "廃止した項目も表示", retired);
    html_raw(b, "<button class=\"btn\" type=\"submit\">表示</button></form>\n<div class=\"toolbar\">");
    html_printf(b, "<a class=\"btn\" href=\"/skills?format=csv&amp;nendo=%d\">CSV出力</a> <a class=\"btn\" href=\"/skills?format=xlsx&amp;nendo=%d\">Excel出力</a>",
                nendo, nendo);
    if (can_edit(r))
        html_raw(b, " <a class=\"btn\" href=\"/skills/import\">CSVから取込</a> <a class=\"btn\" href=\"/skills/categories/new\">区分を追加</a>"
                    " <a class=\"btn primary\" href=\"/skills/items/new\">項目を追加</a>");
    html_raw(b, "</div>\n");
    html_printf(b, "<p>レベル：0 %s／1 %s／2 %s／3 %s／4 %s</p>\n", m.scale[0], m.scale[1], m.scale[2], m.scale[3], m.scale[4]);
    for (int c = 0; c < m.ncats; c++) {
        const SkillCategory *cat = &m.cats[c];
        bool has_items = false;
        for (int i = 0; i < m.nitems && !has_items; i++) has_items = m.items[i].cat == c;
        html_printf(b, "<section class=\"panel\" id=\"cat-%s\"><h%d>%s <span class=\"muted\">%s%s</span></h%d>\n", cat->code,
                    cat->depth ? 3 : 2, cat->name, cat->code, str_eq(cat->library, "core") ? "" : "（追加ライブラリ）", cat->depth ? 3 : 2);
        if (!has_items) {
            html_raw(b, "</section>\n");
            continue;
        }
        html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">コード</th><th scope=\"col\">項目</th>"
                    "<th scope=\"col\">出典</th><th scope=\"col\">③一般</th><th scope=\"col\">②リーダー</th><th scope=\"col\">①高度</th>"
                    "<th scope=\"col\">行動指標</th>");
        if (can_edit(r)) html_raw(b, "<th scope=\"col\">操作</th>");
        html_raw(b, "</tr></thead><tbody>\n");
        for (int i = 0; i < m.nitems; i++) {
            const SkillItem *it = &m.items[i];
            if (it->cat != c) continue;
            html_printf(b, "<tr><td>%s</td><td><strong>%s</strong>%s<br><span class=\"muted\">%s</span></td><td>%s</td>", it->code, it->name,
                        it->retired_on ? " <span class=\"badge muted\">廃止</span>" : "", it->description, source_name(it->source));
            target_cell(b, it->target[3]);
            target_cell(b, it->target[2]);
            target_cell(b, it->target[1]);
            html_raw(b, "<td><details><summary>表示</summary><ol start=\"0\">");
            for (int l = 0; l <= SKILL_MAX_LEVEL; l++) html_printf(b, "<li>%s</li>", skill_descriptor(&m, it, l));
            html_raw(b, "</ol></details></td>");
            if (can_edit(r)) {
                html_printf(b, "<td><a class=\"btn small\" href=\"/skills/items/%lld?nendo=%d\">編集</a> ", (long long)it->id, nendo);
                for (int d = -1; d <= 1; d += 2) {
                    form_begin(r, b, arena_printf(r->a, "/skills/items/%lld/move", (long long)it->id), "inline");
                    html_printf(b, "<input type=\"hidden\" name=\"dir\" value=\"%d\"><button type=\"submit\" class=\"btn small\" aria-label=\"%sを%s\">%s</button>",
                                d, it->name, d < 0 ? "上へ" : "下へ", d < 0 ? "↑" : "↓");
                    form_end(b);
                }
                html_raw(b, "</td>");
            }
            html_raw(b, "</tr>\n");
        }
        html_raw(b, "</tbody></table></div></section>\n");
    }
    library_panel(r, b, &m);
    page_end(r, w);
}

/* ---- item form ---- */

static const Option target_opts[] = {{"", "対象外"}, {"0", "0"}, {"1", "1"}, {"2", "2"}, {"3", "3"}, {"4", "4"}};
static const Option source_opts[] = {{"DSS-L", "DXリテラシー標準（DSS-L）"}, {"DSS-P", "DX推進スキル標準（DSS-P）"}, {"local", "独自"}};

static void item_form(Req *r, Resp *w, int nendo, const SkillItemInput *in, const char *const *cat_desc, bool retired, const Errors *e)
{
    bool edit = in->id != 0;
    Crumb crumbs[] = {{"ホーム", "/"}, {"スキルマップ", "/skills"}, {edit ? in->name : "項目の追加", NULL}};
    page_begin(r, w, edit ? "スキル項目の編集" : "スキル項目の追加", "skills", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    SkillMap m;
    skill_map_load(r->db, r->a, nendo, true, &m);
    Option *cats = arena_alloc(r->a, sizeof *cats * (size_t)(m.ncats + 1));
    cats[0] = (Option){"", "選んでください"};
    for (int c = 0; c < m.ncats; c++)
        cats[c + 1] = (Option){arena_printf(r->a, "%lld", (long long)m.cats[c].id),
                               arena_printf(r->a, "%s%s（%s）", m.cats[c].depth ? "　" : "", m.cats[c].name, m.cats[c].code)};
    form_begin(r, b, edit ? arena_printf(r->a, "/skills/items/%lld?nendo=%d", (long long)in->id, nendo) : arena_printf(r->a, "/skills/items/new?nendo=%d", nendo),
               "stack");
    field_text(b, e, "code", "コード", in->code, F_REQUIRED | F_NARROW, "例：K-11");
    field_text(b, e, "name", "名称", in->name, F_REQUIRED, NULL);
    field_textarea(b, e, "description", "説明", in->description, 0, NULL);
    field_select(b, e, "category_id", "区分", cats, m.ncats + 1, in->category_id ? arena_printf(r->a, "%lld", (long long)in->category_id) : "",
                 F_REQUIRED, NULL);
    field_select(b, e, "source", "出典", source_opts, 3, in->source, F_REQUIRED, NULL);
    field_text(b, e, "sort_order", "表示順", arena_printf(r->a, "%d", in->sort_order), F_NARROW, NULL);
    html_printf(b, "<fieldset class=\"field\"><legend>%d年度の目標レベル</legend>", nendo);
    static const char *const tnames[] = {"", "target1", "target2", "target3"};
    for (int t = 3; t >= 1; t--)
        field_select(b, e, tnames[t], tier_name(t), target_opts, 6, in->targets[t] >= 0 ? arena_printf(r->a, "%d", in->targets[t]) : "", F_NARROW, NULL);
    html_raw(b, "</fieldset><fieldset class=\"field\"><legend>行動指標（空欄なら区分の行動指標を使います）</legend>");
    static const char *const dnames[] = {"desc0", "desc1", "desc2", "desc3", "desc4"};
    for (int l = 0; l <= SKILL_MAX_LEVEL; l++) {
        const char *hint = cat_desc && cat_desc[l] ? arena_printf(r->a, "区分の指標：%s", cat_desc[l]) : NULL;
        field_text(b, e, dnames[l], arena_printf(r->a, "レベル%d（%s）", l, m.scale[l]), in->desc[l], 0, hint);
    }
    html_raw(b, "</fieldset><div class=\"actions\"><button type=\"submit\" class=\"btn primary\">保存</button> <a class=\"btn\" href=\"/skills\">キャンセル</a></div>");
    form_end(b);
    if (edit) {
        UnitTarget *ut;
        int nut = skill_unit_targets(r->db, r->a, in->id, nendo, &ut);
        html_printf(b, "<section class=\"panel\"><h2>組織ごとの追加目標（%d年度）</h2><p>その組織と配下の職員には、人材区分の目標より高い場合にこの目標が適用されます"
                       "（例：情報部門のネットワークを4に）。</p>", nendo);
        if (!nut) html_raw(b, "<p class=\"empty\">追加目標はありません。</p>");
        for (int k = 0; k < nut; k++) {
            html_printf(b, "<p>%s：レベル%d ", ut[k].unit_name, ut[k].level);
            form_begin(r, b, arena_printf(r->a, "/skills/items/%lld/unit-targets?nendo=%d", (long long)in->id, nendo), "inline");
            html_printf(b, "<input type=\"hidden\" name=\"unit_id\" value=\"%lld\"><input type=\"hidden\" name=\"level\" value=\"\">"
                           "<button type=\"submit\" class=\"btn small\">削除</button>", (long long)ut[k].unit_id);
            form_end(b);
            html_raw(b, "</p>");
        }
        form_begin(r, b, arena_printf(r->a, "/skills/items/%lld/unit-targets?nendo=%d", (long long)in->id, nendo), "filters");
        char today[11];
        date_iso(date_today(), today);
        field_unit(r, b, NULL, "unit_id", "組織", today, "", 0, "選んでください");
        field_select(b, NULL, "level", "目標レベル", target_opts + 1, 5, "4", 0, NULL);
        html_raw(b, "<button type=\"submit\" class=\"btn\">追加</button>");
        form_end(b);
        html_raw(b, "</section>\n");
        html_printf(b, "<section class=\"panel\"><h2>%s</h2><p>廃止した項目は評価の対象から外れますが、過去の評価は残ります。</p>", retired ? "復活させる" : "廃止する");
        form_begin(r, b, arena_printf(r->a, "/skills/items/%lld/retire", (long long)in->id), "stack");
        html_printf(b, "<input type=\"hidden\" name=\"op\" value=\"%s\"><div class=\"actions\"><button type=\"submit\" class=\"btn%s\"%s>%s</button></div>",
                    retired ? "restore" : "retire", retired ? "" : " danger", retired ? "" : " data-confirm=\"この項目を廃止しますか？\"",
                    retired ? "復活させる" : "廃止する");
        form_end(b);
        html_raw(b, "</section>\n");
    }
    page_end(r, w);
}

void page_skill_item_new(Req *r, Resp *w)
{
    SkillItemInput in = {.code = "", .name = "", .description = "", .source = "local", .targets = {-1, -1, -1, -1}};
    item_form(r, w, page_nendo(r, req_query(r, "nendo")), &in, NULL, false, NULL);
}

void page_skill_item_edit(Req *r, Resp *w)
{
    int nendo = page_nendo(r, req_query(r, "nendo"));
    SkillMap m;
    skill_map_load(r->db, r->a, nendo, true, &m);
    int i = skill_item_index(&m, req_param_id(r, 0));
    if (i < 0) {
        resp_error(r, w, 404, "そのスキル項目は見つかりません。");
        return;
    }
    const SkillItem *it = &m.items[i];
    SkillItemInput in = {it->id, it->category_id, it->code, it->name, it->description, it->source, it->sort_order, {-1, -1, -1, -1}, {0}};
    for (int t = 1; t <= 3; t++) in.targets[t] = it->target[t];
    for (int l = 0; l <= SKILL_MAX_LEVEL; l++) in.desc[l] = it->desc[l] ? it->desc[l] : "";
    item_form(r, w, nendo, &in, m.cats[it->cat].desc, it->retired_on != NULL, NULL);
}

void page_skill_item_save(Req *r, Resp *w)
{
    int nendo = page_nendo(r, req_query(r, "nendo"));
    SkillItemInput in = {0};
    Errors e = {0};
    int64_t v;
    in.id = r->nparams ? req_param_id(r, 0) : 0;
    if (r->nparams && !db_exists(r->db, "SELECT 1 FROM skill_item WHERE id = ?", in.id)) {
        resp_error(r, w, 404, "そのスキル項目は見つかりません。");
        return;
    }
    in.code = text_trim(r->a, req_form(r, "code"));
    in.name = text_trim(r->a, req_form(r, "name"));
    in.description = text_trim(r->a, req_form(r, "description"));
    in.source = req_form(r, "source");
    in.category_id = parse_int64(req_form(r, "category_id"), &v) ? v : 0;
    const char *sort = req_form(r, "sort_order");
    if (!str_empty(sort) && !parse_int64(sort, &v)) err_add(&e, "sort_order", "表示順は整数で入力してください。");
    in.sort_order = parse_int64(sort, &v) ? (int)v : 0;
    static const char *const tnames[] = {"", "target1", "target2", "target3"};
    for (int t = 1; t <= 3; t++) in.targets[t] = parse_int64(req_form(r, tnames[t]), &v) ? (int)v : -1;
    static const char *const dnames[] = {"desc0", "desc1", "desc2", "desc3", "desc4"};
    for (int l = 0; l <= SKILL_MAX_LEVEL; l++) in.desc[l] = text_trim(r->a, req_form(r, dnames[l]));
    Actor who;
    page_actor(r, &who);
    if (!err_any(&e) && skill_item_save(r->db, &who, nendo, &in, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/skills?nendo=%d&msg=saved", nendo));
        return;
    }
    item_form(r, w, nendo, &in, NULL, false, &e);
    w->status = 422;
}

void page_skill_item_retire(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    char today[11];
    date_iso(date_today(), today);
    int64_t id = req_param_id(r, 0);
    if (!db_exists(r->db, "SELECT 1 FROM skill_item WHERE id = ?", id)) {
        resp_error(r, w, 404, "そのスキル項目は見つかりません。");
        return;
    }
    if (skill_item_retire(r->db, &who, id, str_eq(req_form(r, "op"), "restore") ? NULL : today, &e) == 0) {
        resp_redirect(r, w, "/skills?retired=1&msg=saved");
        return;
    }
    resp_error(r, w, 422, e.items[0].msg);
}

void page_skill_item_move(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int64_t id = req_param_id(r, 0);
    if (!db_exists(r->db, "SELECT 1 FROM skill_item WHERE id = ?", id)) {
        resp_error(r, w, 404, "そのスキル項目は見つかりません。");
        return;
    }
    if (skill_item_move(r->db, &who, id, str_eq(req_form(r, "dir"), "-1") ? -1 : 1, &e) == 0) {
        char *code = db_text(r->db, r->a, "SELECT c.code FROM skill_item i JOIN skill_category c ON c.id = i.category_id WHERE i.id = ?", id);
        Buf loc = BUF_INIT;
        buf_puts(&loc, "/skills#cat-");
        html_urlenc(&loc, code ? code : "");
        resp_redirect(r, w, buf_cstr(&loc));
        buf_free(&loc);
        return;
    }
    resp_error(r, w, 422, e.items[0].msg);
}

void page_skill_unit_target(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int nendo = page_nendo(r, req_query(r, "nendo"));
    int64_t id = req_param_id(r, 0), unit, level;
    if (!db_exists(r->db, "SELECT 1 FROM skill_item WHERE id = ?", id)) {
        resp_error(r, w, 404, "そのスキル項目は見つかりません。");
        return;
    }
    if (!parse_int64(req_form(r, "unit_id"), &unit)) unit = 0;
    if (!parse_int64(req_form(r, "level"), &level)) level = -1;
    if (skill_unit_target_set(r->db, &who, id, nendo, unit, (int)level, &e) == 0) {
        resp_redirect(r, w, arena_printf(r->a, "/skills/items/%lld?nendo=%d&msg=saved", (long long)id, nendo));
        return;
    }
    resp_error(r, w, 422, e.items[0].msg);
}

/* ---- categories ---- */

static void category_form(Req *r, Resp *w, const char *code, const char *name, const char *parent, const Errors *e)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"スキルマップ", "/skills"}, {"区分の追加", NULL}};
    page_begin(r, w, "スキル区分の追加", "skills", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    SkillMap m;
    skill_map_load(r->db, r->a, r->nendo, true, &m);
    Option *cats = arena_alloc(r->a, sizeof *cats * (size_t)(m.ncats + 1));
    cats[0] = (Option){"", "（なし：最上位の区分）"};
    for (int c = 0; c < m.ncats; c++) cats[c + 1] = (Option){arena_printf(r->a, "%lld", (long long)m.cats[c].id), m.cats[c].name};
    form_begin(r, b, "/skills/categories/new", "stack");
    field_text(b, e, "code", "コード", code, F_REQUIRED | F_NARROW, "例：K-AI");
    field_text(b, e, "name", "名称", name, F_REQUIRED, NULL);
    field_select(b, e, "parent_id", "上位区分", cats, m.ncats + 1, parent, 0, NULL);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">追加</button> <a class=\"btn\" href=\"/skills\">キャンセル</a></div>");
    form_end(b);
    page_end(r, w);
}

void page_skill_category_new(Req *r, Resp *w) { category_form(r, w, "", "", "", NULL); }

void page_skill_category_save(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    const char *code = text_trim(r->a, req_form(r, "code")), *name = text_trim(r->a, req_form(r, "name")), *parent = req_form(r, "parent_id");
    int64_t id = 0, pid;
    if (!parse_int64(parent, &pid)) pid = 0;
    if (skill_category_save(r->db, &who, &id, code, name, pid, 1000, &e) == 0) {
        resp_redirect(r, w, "/skills?msg=saved");
        return;
    }
    category_form(r, w, code, name, parent ? parent : "", &e);
    w->status = 422;
}

/* ---- import and libraries ---- */

static void import_form(Req *r, Resp *w, const Errors *e, const SkillImportResult *res)
{
    Crumb crumbs[] = {{"ホーム", "/"}, {"スキルマップ", "/skills"}, {"CSVから取込", NULL}};
    page_begin(r, w, "スキルマップの取込", "skills", crumbs, 3);
    Buf *b = &w->body;
    error_summary(b, e);
    if (res)
        html_printf(b, "<div class=\"flash ok\" role=\"status\">取り込みました：区分%d件、項目%d件（新規%d件・更新%d件）。</div>\n", res->categories, res->items,
                    res->created, res->updated);
    html_raw(b, "<p class=\"lead\">スキルマップの「CSV出力」と同じ形式のファイルを取り込みます。コードが同じ項目は更新し、新しいコードは追加します。"
                "1行でも誤りがあれば何も変更せず、誤りを行番号つきで表示します。文字コードはUTF-8（BOM付き可）です。</p>\n"
                "<p>列：上位コード, コード, 名称, 説明, 出典（DSS-L／DSS-P／独自）, レベル0〜4の行動指標, 目標_一般職員, 目標_DX推進リーダー, 目標_高度専門人材</p>\n");
    html_raw(b, "<form method=\"post\" action=\"/skills/import\" enctype=\"multipart/form-data\" class=\"stack\" data-once>");
    html_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->user->csrf);
    html_raw(b, "<div class=\"field\"><label for=\"f-file\">CSVファイル <span class=\"req\">必須</span></label>"
                "<input type=\"file\" id=\"f-file\" name=\"file\" accept=\".csv,text/csv\" required></div>");
    field_text(b, e, "nendo", "目標を設定する年度", arena_printf(r->a, "%d", r->nendo), F_REQUIRED | F_NARROW, NULL);
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">取り込む</button></div></form>\n");
    page_end(r, w);
}

void page_skill_import(Req *r, Resp *w) { import_form(r, w, NULL, NULL); }

void page_skill_import_post(Req *r, Resp *w)
{
    Errors e = {0};
    const Upload *file = NULL;
    for (size_t i = 0; i < r->files.n; i++)
        if (str_eq(r->files.items[i].field, "file")) file = &r->files.items[i];
    int nendo = 0;
    if (!nendo_parse_loose(req_form(r, "nendo"), &nendo)) err_add(&e, "nendo", "年度を正しく入力してください。");
    if (!file || !file->len) err_add(&e, "file", "CSVファイルを選んでください。");
    SkillImportResult res;
    Actor who;
    page_actor(r, &who);
    if (!err_any(&e) && skill_import_csv(r->db, &who, file->data, file->len, nendo, "core", &res, &e) == 0) {
        import_form(r, w, NULL, &res);
        return;
    }
    import_form(r, w, &e, NULL);
    w->status = 422;
}

void page_skill_library(Req *r, Resp *w)
{
    Errors e = {0};
    Actor who;
    page_actor(r, &who);
    int64_t tier;
    if (!parse_int64(req_form(r, "tier"), &tier)) tier = 0;
    const char *lib = req_form(r, "library");
    if (skill_library_set(r->db, &who, lib ? lib : "", (int)tier, str_eq(req_form(r, "on"), "1"), &e) == 0) {
        resp_redirect(r, w, "/skills?msg=saved");
        return;
    }
    resp_error(r, w, 422, e.items[0].msg);
}
