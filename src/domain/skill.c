/* skill.c - see skill.h. */
#include "skill.h"
#include "../db/tx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/embed.h"
#include "../core/util.h"
#include "../io/csvread.h"
#include "../io/table.h"
#include "../io/text.h"

const char *const skill_csv_head[] = {"上位コード", "コード", "名称", "説明", "出典", "レベル0", "レベル1", "レベル2",
                                      "レベル3", "レベル4", "目標_一般職員", "目標_DX推進リーダー", "目標_高度専門人材", NULL};

static const char *const default_scale[] = {"未習得", "知っている", "指導を受けてできる", "自律してできる", "指導・牽引できる"};

/* ---- loading ---- */

typedef struct CatRow {
    SkillCategory c;
    int order; /* position in tree order */
} CatRow;

static void place_category(SkillCategory *all, int n, int64_t parent, int depth, int top, SkillCategory *out, int *k)
{
    for (int i = 0; i < n; i++) {
        if (all[i].parent_id != parent) continue;
        SkillCategory c = all[i];
        c.depth = depth;
        c.top = parent ? top : *k;
        int here = (*k)++;
        out[here] = c;
        place_category(all, n, c.id, depth + 1, c.top, out, k);
    }
}

int skill_item_index(const SkillMap *m, int64_t item_id)
{
    for (int i = 0; i < m->nitems; i++)
        if (m->items[i].id == item_id) return i;
    return -1;
}

static int cat_index(const SkillMap *m, int64_t id)
{
    for (int i = 0; i < m->ncats; i++)
        if (m->cats[i].id == id) return i;
    return -1;
}

static int cmp_items(const void *a, const void *b)
{
    const SkillItem *x = a, *y = b;
    if (x->cat != y->cat) return x->cat - y->cat;
    if (x->sort_order != y->sort_order) return x->sort_order - y->sort_order;
    return strcmp(x->code, y->code);
}

void skill_map_load(Db *db, Arena *a, int nendo, bool with_retired, SkillMap *m)
{
    memset(m, 0, sizeof *m);
    m->nendo = nendo;
    for (int l = 0; l <= SKILL_MAX_LEVEL; l++) m->scale[l] = default_scale[l];
    Stmt *st = db_query(db, "SELECT level, name FROM skill_scale");
    while (db_step(st) == DB_ROW) {
        int l = (int)db_col_int(st, 0);
        if (l >= 0 && l <= SKILL_MAX_LEVEL) m->scale[l] = db_col_dup(st, 1, a);
    }
    db_done(st);

    int n = (int)db_int(db, 0, "SELECT COUNT(*) FROM skill_category");
    SkillCategory *all = arena_zalloc(a, sizeof *all * (size_t)(n + 1));
    int k = 0;
    st = db_query(db, "SELECT id, parent_id, code, name, library, sort_order FROM skill_category ORDER BY sort_order, code");
    while (k < n && db_step(st) == DB_ROW) {
        SkillCategory *c = &all[k++];
        c->id = db_col_int(st, 0);
        c->parent_id = db_col_int(st, 1);
        c->code = db_col_dup(st, 2, a);
        c->name = db_col_dup(st, 3, a);
        c->library = db_col_dup(st, 4, a);
        c->sort_order = (int)db_col_int(st, 5);
    }
    db_done(st);
    m->cats = arena_zalloc(a, sizeof *m->cats * (size_t)(k + 1));
    int placed = 0;
    place_category(all, k, 0, 0, 0, m->cats, &placed);
    m->ncats = placed;

    st = db_query(db, "SELECT category_id, item_id, level, descriptor FROM skill_level");
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM skill_item");
    m->items = arena_zalloc(a, sizeof *m->items * (size_t)(cap + 1));
    /* Category descriptors now; item descriptors after the items are loaded. */
    typedef struct { int64_t item; int level; const char *text; } ItemDesc;
    int ndesc = (int)db_int(db, 0, "SELECT COUNT(*) FROM skill_level WHERE item_id IS NOT NULL"), nd = 0;
    ItemDesc *descs = arena_alloc(a, sizeof *descs * (size_t)(ndesc + 1));
    while (db_step(st) == DB_ROW) {
        int level = (int)db_col_int(st, 2);
        if (level < 0 || level > SKILL_MAX_LEVEL) continue;
        if (!db_col_null(st, 0)) {
            int ci = cat_index(m, db_col_int(st, 0));
            if (ci >= 0) m->cats[ci].desc[level] = db_col_dup(st, 3, a);
        } else if (nd < ndesc) {
            descs[nd++] = (ItemDesc){db_col_int(st, 1), level, db_col_dup(st, 3, a)};
        }
    }
    db_done(st);

    st = db_query(db,
                  "SELECT id, category_id, code, name, description, source, sort_order, retired_on FROM skill_item"
                  " WHERE ? = 1 OR retired_on IS NULL",
                  with_retired ? 1 : 0);
    while (m->nitems < cap && db_step(st) == DB_ROW) {
        SkillItem *it = &m->items[m->nitems];
        it->id = db_col_int(st, 0);
        it->category_id = db_col_int(st, 1);
        it->code = db_col_dup(st, 2, a);
        it->name = db_col_dup(st, 3, a);
        it->description = db_col_dup(st, 4, a);
        it->source = db_col_dup(st, 5, a);
        it->sort_order = (int)db_col_int(st, 6);
        it->retired_on = db_col_dup(st, 7, a);
        it->cat = cat_index(m, it->category_id);
        for (int t = 0; t < 4; t++) it->target[t] = -1;
        if (it->cat >= 0) m->nitems++;
    }
    db_done(st);
    qsort(m->items, (size_t)m->nitems, sizeof *m->items, cmp_items);
    for (int i = 0; i < nd; i++) {
        int ii = skill_item_index(m, descs[i].item);
        if (ii >= 0) m->items[ii].desc[descs[i].level] = descs[i].text;
    }

    m->target_nendo = (int)db_int(db, 0, "SELECT MAX(nendo) FROM skill_target WHERE nendo <= ?", nendo);
    st = db_query(db, "SELECT item_id, tier, level FROM skill_target WHERE nendo = ?", m->target_nendo);
    while (db_step(st) == DB_ROW) {
        int ii = skill_item_index(m, db_col_int(st, 0));
        int tier = (int)db_col_int(st, 1);
        if (ii >= 0 && tier >= 1 && tier <= 3) m->items[ii].target[tier] = (int)db_col_int(st, 2);
    }
    db_done(st);

    st = db_query(db, "SELECT DISTINCT library FROM skill_category WHERE library <> 'core' ORDER BY library");
    while (m->nlibraries < 8 && db_step(st) == DB_ROW) m->libraries[m->nlibraries++] = db_col_dup(st, 0, a);
    db_done(st);
    st = db_query(db, "SELECT library, tier FROM skill_library_tier");
    while (db_step(st) == DB_ROW) {
        int tier = (int)db_col_int(st, 1);
        for (int l = 0; l < m->nlibraries; l++)
            if (strcmp(m->libraries[l], db_col_text(st, 0)) == 0 && tier >= 1 && tier <= 3) m->library_on[l][tier] = true;
    }
    db_done(st);
}

const char *skill_descriptor(const SkillMap *m, const SkillItem *it, int level)
{
    if (level < 0 || level > SKILL_MAX_LEVEL) return "";
    if (it->desc[level]) return it->desc[level];
    for (int ci = it->cat; ci >= 0;) {
        const SkillCategory *c = &m->cats[ci];
        if (c->desc[level]) return c->desc[level];
        ci = c->parent_id ? cat_index(m, c->parent_id) : -1;
    }
    return "";
}

bool skill_item_on_for_tier(const SkillMap *m, const SkillItem *it, int tier)
{
    const char *lib = m->cats[it->cat].library;
    if (strcmp(lib, "core") == 0) return true;
    for (int l = 0; l < m->nlibraries; l++)
        if (strcmp(m->libraries[l], lib) == 0) return tier >= 1 && tier <= 3 && m->library_on[l][tier];
    return false;
}

const char *skill_scale_name(const SkillMap *m, int level)
{
    return level >= 0 && level <= SKILL_MAX_LEVEL ? m->scale[level] : "";
}

/* ---- editing ---- */

static const char *source_code(const char *s)
{
    if (str_eq(s, "DSS-L") || str_eq(s, "DSS-P") || str_eq(s, "local")) return s;
    if (str_eq(s, "独自") || str_empty(s)) return "local";
    return NULL;
}

/* Gives nendo its own target rows, copied from the 年度 that applied until now,
 * so that changing one item's target does not drop every other one. */
static int ensure_target_year(Db *db, int nendo)
{
    if (db_exists(db, "SELECT 1 FROM skill_target WHERE nendo = ?", nendo)) return 0;
    int from = (int)db_int(db, 0, "SELECT MAX(nendo) FROM skill_target WHERE nendo < ?", nendo);
    if (!from) return 0;
    return db_exec(db, "INSERT INTO skill_target (item_id, nendo, tier, level) SELECT item_id, ?, tier, level FROM skill_target"
                       " WHERE nendo = ?",
                   nendo, from) < 0 ? -1 : 0;
}

static int write_item_detail(Db *db, int64_t id, int nendo, const int targets[4], const char *const desc[])
{
    if (ensure_target_year(db, nendo) != 0) return -1;
    if (db_exec(db, "DELETE FROM skill_target WHERE item_id = ? AND nendo = ?", id, nendo) < 0) return -1;
    for (int t = 1; t <= 3; t++)
        if (targets[t] >= 0 &&
            db_exec(db, "INSERT INTO skill_target (item_id, nendo, tier, level) VALUES (?, ?, ?, ?)", id, nendo, t, targets[t]) != 1)
            return -1;
    if (db_exec(db, "DELETE FROM skill_level WHERE item_id = ?", id) < 0) return -1;
    for (int l = 0; l <= SKILL_MAX_LEVEL; l++)
        if (!str_empty(desc[l]) &&
            db_exec(db, "INSERT INTO skill_level (item_id, level, descriptor) VALUES (?, ?, ?)", id, l, desc[l]) != 1)
            return -1;
    return 0;
}

static void validate_item(Db *db, SkillItemInput *in, Errors *e)
{
    if (!str_is_code(in->code, 30, "-_")) err_add(e, "code", "コードは半角英数字・ハイフン・下線の30文字以内で入力してください。");
    else if (db_exists(db, "SELECT 1 FROM skill_item WHERE code = ? AND id <> ?", in->code, in->id) ||
             db_exists(db, "SELECT 1 FROM skill_category WHERE code = ?", in->code))
        err_add(e, "code", "このコードは既に使われています。");
    if (str_empty(in->name)) err_add(e, "name", "名称を入力してください。");
    else if (utf8_chars(in->name) > 80) err_add(e, "name", "名称は80文字以内で入力してください。");
    if (in->description && utf8_chars(in->description) > 400) err_add(e, "description", "説明は400文字以内で入力してください。");
    if (!source_code(in->source)) err_add(e, "source", "出典を選んでください。");
    else in->source = source_code(in->source);
    if (!db_exists(db, "SELECT 1 FROM skill_category WHERE id = ?", in->category_id)) err_add(e, "category_id", "区分を選んでください。");
    static const char *const tfield[] = {"", "target1", "target2", "target3"};
    for (int t = 1; t <= 3; t++)
        if (in->targets[t] < -1 || in->targets[t] > SKILL_MAX_LEVEL) err_add(e, tfield[t], "目標レベルは0〜4で選んでください。");
    static const char *const dfield[] = {"desc0", "desc1", "desc2", "desc3", "desc4"};
    for (int l = 0; l <= SKILL_MAX_LEVEL; l++)
        if (in->desc[l] && utf8_chars(in->desc[l]) > 200) err_add(e, dfield[l], "行動指標は200文字以内で入力してください。");
}

int skill_item_save(Db *db, const Actor *who, int nendo, SkillItemInput *in, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    validate_item(db, in, e);
    if (err_any(e)) return tx_end(db, e, false);
    Arena a = ARENA_INIT;
    bool ok;
    const char *summary = arena_printf(&a, "%s %s 目標(%d年度) 一般%d リーダー%d 高度%d", in->code, in->name, nendo, in->targets[3],
                                       in->targets[2], in->targets[1]);
    if (in->id) {
        ok = db_exec(db, "UPDATE skill_item SET code = ?, name = ?, description = ?, category_id = ?, source = ?, sort_order = ? WHERE id = ?",
                     in->code, in->name, in->description ? in->description : "", in->category_id, in->source,
                     in->sort_order, in->id) == 1;
        ok = ok && audit_write(db, who, "skill.update", "skill_item", in->id, 0, summary) == 0;
    } else {
        Stmt *st = db_query(db,
                            "INSERT INTO skill_item (code, name, description, category_id, source, sort_order) VALUES (?, ?, ?, ?, ?, ?)"
                            " RETURNING id",
                            in->code, in->name, in->description ? in->description : "", in->category_id, in->source,
                            in->sort_order);
        ok = db_step(st) == DB_ROW;
        if (ok) in->id = db_col_int(st, 0);
        db_done(st);
        ok = ok && audit_write(db, who, "skill.create", "skill_item", in->id, 0, summary) == 0;
    }
    ok = ok && write_item_detail(db, in->id, nendo, in->targets, in->desc) == 0;
    arena_free(&a);
    if (!ok && !in->id) in->id = 0;
    return tx_end(db, e, ok);
}

int skill_item_retire(Db *db, const Actor *who, int64_t id, const char *date, Errors *e)
{
    Date d;
    if (date && !date_parse(date, &d)) {
        err_add(e, "retired_on", "廃止日を正しい日付で入力してください。");
        return -1;
    }
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    char *name = db_text(db, &a, "SELECT code || ' ' || name FROM skill_item WHERE id = ?", id);
    if (!name) err_add(e, "", "スキル項目が見つかりません。");
    bool ok = name && db_exec(db, "UPDATE skill_item SET retired_on = ? WHERE id = ?", date, id) == 1 &&
              audit_write(db, who, date ? "skill.retire" : "skill.restore", "skill_item", id, 0,
                          arena_printf(&a, "%s %s", name, date ? date : "")) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int skill_item_move(Db *db, const Actor *who, int64_t id, int dir, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    int64_t cat = db_int(db, 0, "SELECT category_id FROM skill_item WHERE id = ?", id);
    if (!cat) {
        err_add(e, "", "スキル項目が見つかりません。");
        return tx_end(db, e, false);
    }
    /* Renumber the category 10, 20, … in display order, then swap with the neighbour. */
    Stmt *st = db_query(db, "SELECT id FROM skill_item WHERE category_id = ? ORDER BY sort_order, code", cat);
    int64_t ids[512];
    int n = 0, at = -1;
    while (n < 512 && db_step(st) == DB_ROW) {
        ids[n] = db_col_int(st, 0);
        if (ids[n] == id) at = n;
        n++;
    }
    db_done(st);
    int other = at + (dir < 0 ? -1 : 1);
    if (at >= 0 && other >= 0 && other < n) {
        int64_t t = ids[at];
        ids[at] = ids[other];
        ids[other] = t;
    }
    bool ok = true;
    for (int i = 0; i < n && ok; i++)
        ok = db_exec(db, "UPDATE skill_item SET sort_order = ? WHERE id = ?", (i + 1) * 10, ids[i]) == 1;
    ok = ok && audit_write(db, who, "skill.move", "skill_item", id, 0, dir < 0 ? "上へ" : "下へ") == 0;
    return tx_end(db, e, ok);
}

int skill_category_save(Db *db, const Actor *who, int64_t *id, const char *code, const char *name, int64_t parent_id,
                        int sort_order, Errors *e)
{
    if (!str_is_code(code, 30, "-_")) err_add(e, "code", "コードは半角英数字・ハイフン・下線の30文字以内で入力してください。");
    if (str_empty(name) || utf8_chars(name) > 80) err_add(e, "name", "名称を80文字以内で入力してください。");
    if (err_any(e)) return -1;
    if (tx_begin(db, e) != 0) return -1;
    if (db_exists(db, "SELECT 1 FROM skill_category WHERE code = ? AND id <> ?", code, *id) ||
        db_exists(db, "SELECT 1 FROM skill_item WHERE code = ?", code))
        err_add(e, "code", "このコードは既に使われています。");
    if (parent_id && (parent_id == *id || !db_exists(db, "SELECT 1 FROM skill_category WHERE id = ?", parent_id)))
        err_add(e, "parent_id", "上位区分を正しく選んでください。");
    if (err_any(e)) return tx_end(db, e, false);
    Arena a = ARENA_INIT;
    bool ok;
    if (*id) {
        ok = db_exec(db, "UPDATE skill_category SET code = ?, name = ?, parent_id = ?, sort_order = ? WHERE id = ?", code, name,
                     DB_ID_OR_NULL(parent_id), sort_order, *id) == 1;
    } else {
        const char *library = parent_id ? db_text(db, &a, "SELECT library FROM skill_category WHERE id = ?", parent_id) : "core";
        Stmt *st = db_query(db, "INSERT INTO skill_category (code, name, parent_id, library, sort_order) VALUES (?, ?, ?, ?, ?) RETURNING id",
                            code, name, DB_ID_OR_NULL(parent_id), library ? library : "core", sort_order);
        ok = db_step(st) == DB_ROW;
        if (ok) *id = db_col_int(st, 0);
        db_done(st);
    }
    ok = ok && audit_write(db, who, "skill.category", "skill_category", *id, 0, arena_printf(&a, "%s %s", code, name)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

/* Like ensure_target_year, for the extra unit targets. */
static int ensure_unit_target_year(Db *db, int nendo)
{
    if (db_exists(db, "SELECT 1 FROM skill_unit_target WHERE nendo = ?", nendo)) return 0;
    int from = (int)db_int(db, 0, "SELECT MAX(nendo) FROM skill_unit_target WHERE nendo < ?", nendo);
    if (!from) return 0;
    return db_exec(db, "INSERT INTO skill_unit_target (item_id, nendo, unit_id, level) SELECT item_id, ?, unit_id, level"
                       " FROM skill_unit_target WHERE nendo = ?",
                   nendo, from) < 0 ? -1 : 0;
}

int skill_unit_target_set(Db *db, const Actor *who, int64_t item_id, int nendo, int64_t unit_id, int level, Errors *e)
{
    if (level < -1 || level > SKILL_MAX_LEVEL) err_add(e, "level", "目標レベルは0〜4で選んでください。");
    if (!unit_id) err_add(e, "unit_id", "組織を選んでください。");
    if (err_any(e)) return -1;
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    char *item = db_text(db, &a, "SELECT code FROM skill_item WHERE id = ?", item_id);
    char *unit = db_text(db, &a, "SELECT name FROM org_unit WHERE id = ?", unit_id);
    if (!item) err_add(e, "", "スキル項目が見つかりません。");
    if (!unit) err_add(e, "unit_id", "組織が見つかりません。");
    bool ok = !err_any(e) && ensure_unit_target_year(db, nendo) == 0 &&
              db_exec(db, "DELETE FROM skill_unit_target WHERE item_id = ? AND nendo = ? AND unit_id = ?", item_id, nendo, unit_id) >= 0 &&
              (level < 0 || db_exec(db, "INSERT INTO skill_unit_target (item_id, nendo, unit_id, level) VALUES (?, ?, ?, ?)", item_id,
                                    nendo, unit_id, level) == 1) &&
              audit_write(db, who, "skill.unit_target", "skill_item", item_id, 0,
                          level < 0 ? arena_printf(&a, "%s %s %d年度 追加目標を削除", item, unit, nendo)
                                    : arena_printf(&a, "%s %s %d年度 追加目標 %d", item, unit, nendo, level)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int skill_unit_targets(Db *db, Arena *a, int64_t item_id, int nendo, UnitTarget **out)
{
    int xn = (int)db_int(db, 0, "SELECT MAX(nendo) FROM skill_unit_target WHERE nendo <= ?", nendo);
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM skill_unit_target WHERE item_id = ? AND nendo = ?", item_id, xn);
    UnitTarget *rows = arena_alloc(a, sizeof *rows * (size_t)(cap + 1));
    Stmt *st = db_query(db,
                        "SELECT t.unit_id, u.name, t.level FROM skill_unit_target t JOIN org_unit u ON u.id = t.unit_id"
                        " WHERE t.item_id = ? AND t.nendo = ? ORDER BY u.code",
                        item_id, xn);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        rows[n].unit_id = db_col_int(st, 0);
        rows[n].unit_name = db_col_dup(st, 1, a);
        rows[n++].level = (int)db_col_int(st, 2);
    }
    db_done(st);
    *out = rows;
    return n;
}

int skill_library_set(Db *db, const Actor *who, const char *library, int tier, bool on, Errors *e)
{
    if (tier < 1 || tier > 3) {
        err_add(e, "tier", "人材区分を選んでください。");
        return -1;
    }
    if (tx_begin(db, e) != 0) return -1;
    if (!db_exists(db, "SELECT 1 FROM skill_category WHERE library = ? AND library <> 'core'", library))
        err_add(e, "library", "そのライブラリはありません。");
    Arena a = ARENA_INIT;
    bool ok = !err_any(e) &&
              (on ? db_exec(db, "INSERT INTO skill_library_tier (library, tier) VALUES (?, ?) ON CONFLICT (library, tier) DO NOTHING", library, tier)
                  : db_exec(db, "DELETE FROM skill_library_tier WHERE library = ? AND tier = ?", library, tier)) >= 0 &&
              audit_write(db, who, "skill.library", "skill_library", 0, 0, arena_printf(&a, "%s 区分%d %s", library, tier, on ? "有効" : "無効")) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

/* ---- CSV import ---- */

typedef struct ImportRow {
    int line;
    const char *parent, *code, *name, *desc, *source;
    const char *levels[SKILL_MAX_LEVEL + 1];
    int targets[4];
    bool is_category;
    int64_t id;
} ImportRow;

static int parse_target(const char *s, int *out)
{
    if (str_empty(s)) return *out = -1, 0;
    int64_t v;
    if (!parse_int64(s, &v) || v < 0 || v > SKILL_MAX_LEVEL) return -1;
    *out = (int)v;
    return 0;
}

static int find_row(ImportRow *rows, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].code, code) == 0) return i;
    return -1;
}

int skill_import_csv(Db *db, const Actor *who, const char *data, size_t n, int nendo, const char *library,
                     SkillImportResult *res, Errors *e)
{
    memset(res, 0, sizeof *res);
    Arena a = ARENA_INIT;
    CsvDoc doc;
    CsvError cerr;
    int rc = -1;
    if (csv_parse_any(&a, data, n, &doc, &cerr, NULL) != 0) {
        err_addf(e, "file", "%d行目%d列目：%s", cerr.line, cerr.col, cerr.msg);
        goto out;
    }
    if (doc.nrows < 2) {
        err_add(e, "file", "データの行がありません。1行目は見出し行です。");
        goto out;
    }
    int col[13];
    for (int c = 0; c < 13; c++) {
        col[c] = csv_col(&doc, skill_csv_head[c]);
        if (col[c] < 0) err_addf(e, "file", "見出し「%s」の列がありません。", skill_csv_head[c]);
    }
    if (err_any(e)) goto out;
    int nr = doc.nrows - 1;
    ImportRow *rows = arena_zalloc(&a, sizeof *rows * (size_t)nr);
    for (int i = 0; i < nr; i++) {
        const CsvRow *src = &doc.rows[i + 1];
        ImportRow *r = &rows[i];
#define F(c) (col[c] < src->nfields ? text_trim(&a, src->fields[col[c]]) : "")
        r->line = src->line;
        r->parent = F(0);
        r->code = F(1);
        r->name = F(2);
        r->desc = F(3);
        r->source = F(4);
        for (int l = 0; l <= SKILL_MAX_LEVEL; l++) r->levels[l] = F(5 + l);
        const char *t3 = F(10), *t2 = F(11), *t1 = F(12);
#undef F
        if (!str_is_code(r->code, 30, "-_")) err_addf(e, "file", "%d行目：コード「%s」は半角英数字・ハイフン・下線の30文字以内にしてください。", r->line, r->code);
        else if (find_row(rows, i, r->code) >= 0) err_addf(e, "file", "%d行目：コード「%s」が重複しています。", r->line, r->code);
        if (str_empty(r->name) || utf8_chars(r->name) > 80) err_addf(e, "file", "%d行目：名称を80文字以内で入力してください。", r->line);
        if (!source_code(r->source)) err_addf(e, "file", "%d行目：出典は DSS-L・DSS-P・独自 のどれかにしてください。", r->line);
        if (parse_target(t1, &r->targets[1]) || parse_target(t2, &r->targets[2]) || parse_target(t3, &r->targets[3]))
            err_addf(e, "file", "%d行目：目標レベルは0〜4の整数か空欄にしてください。", r->line);
        for (int l = 0; l <= SKILL_MAX_LEVEL; l++)
            if (utf8_chars(r->levels[l]) > 200) err_addf(e, "file", "%d行目：レベル%dの行動指標は200文字以内にしてください。", r->line, l);
    }
    for (int i = 0; i < nr; i++)
        if (*rows[i].parent) {
            int p = find_row(rows, nr, rows[i].parent);
            if (p >= 0) rows[p].is_category = true;
            else if (!db_exists(db, "SELECT 1 FROM skill_category WHERE code = ?", rows[i].parent))
                err_addf(e, "file", "%d行目：上位コード「%s」が見つかりません。", rows[i].line, rows[i].parent);
        }
    for (int i = 0; i < nr; i++) {
        ImportRow *r = &rows[i];
        if (r->is_category && (r->targets[1] >= 0 || r->targets[2] >= 0 || r->targets[3] >= 0))
            err_addf(e, "file", "%d行目：「%s」は区分（他の行の上位）なので、目標は入力できません。", r->line, r->code);
        if (!r->is_category && !*r->parent)
            err_addf(e, "file", "%d行目：項目「%s」に上位コードがありません。", r->line, r->code);
        if (!r->is_category && db_exists(db, "SELECT 1 FROM skill_category WHERE code = ?", r->code))
            err_addf(e, "file", "%d行目：「%s」は既存の区分のコードです。", r->line, r->code);
        if (r->is_category && db_exists(db, "SELECT 1 FROM skill_item WHERE code = ?", r->code))
            err_addf(e, "file", "%d行目：「%s」は既存の項目のコードです。", r->line, r->code);
    }
    if (err_any(e)) goto out;
    if (db_begin(db) != 0) {
        err_add(e, "", "データベースが混み合っています。");
        goto out;
    }
    bool ok = ensure_target_year(db, nendo) == 0;
    /* Categories in passes, so a parent listed after its child still goes first. */
    for (int pass = 0; pass < 8 && ok; pass++) {
        for (int i = 0; i < nr && ok; i++) {
            ImportRow *r = &rows[i];
            if (!r->is_category || r->id) continue;
            int64_t parent = *r->parent ? db_int(db, 0, "SELECT id FROM skill_category WHERE code = ?", r->parent) : 0;
            if (*r->parent && !parent) continue;
            const char *lib = parent ? db_text(db, &a, "SELECT library FROM skill_category WHERE id = ?", parent) : library;
            Stmt *st = db_query(db,
                                "INSERT INTO skill_category (code, name, parent_id, library, sort_order) VALUES (?, ?, ?, ?, ?)"
                                " ON CONFLICT (code) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id,"
                                " sort_order = excluded.sort_order RETURNING id",
                                r->code, r->name, DB_ID_OR_NULL(parent), lib ? lib : "core", (i + 1) * 10);
            ok = db_step(st) == DB_ROW;
            if (ok) r->id = db_col_int(st, 0);
            db_done(st);
            ok = ok && db_exec(db, "DELETE FROM skill_level WHERE category_id = ?", r->id) >= 0;
            for (int l = 0; l <= SKILL_MAX_LEVEL && ok; l++)
                if (*r->levels[l])
                    ok = db_exec(db, "INSERT INTO skill_level (category_id, level, descriptor) VALUES (?, ?, ?)", r->id, l,
                                 r->levels[l]) == 1;
            res->categories++;
        }
    }
    for (int i = 0; i < nr && ok; i++) {
        ImportRow *r = &rows[i];
        if (r->is_category) continue;
        int64_t cat = db_int(db, 0, "SELECT id FROM skill_category WHERE code = ?", r->parent);
        bool existed = db_exists(db, "SELECT 1 FROM skill_item WHERE code = ?", r->code);
        Stmt *st = db_query(db,
                            "INSERT INTO skill_item (code, name, description, category_id, source, sort_order) VALUES (?, ?, ?, ?, ?, ?)"
                            " ON CONFLICT (code) DO UPDATE SET name = excluded.name, description = excluded.description,"
                            " category_id = excluded.category_id, source = excluded.source, sort_order = excluded.sort_order"
                            " RETURNING id",
                            r->code, r->name, r->desc, cat, source_code(r->source), (i + 1) * 10);
        ok = cat && db_step(st) == DB_ROW;
        if (ok) r->id = db_col_int(st, 0);
        db_done(st);
        ok = ok && write_item_detail(db, r->id, nendo, r->targets, r->levels) == 0;
        res->items++;
        if (existed) res->updated++;
        else res->created++;
    }
    ok = ok && audit_write(db, who, "skill.import", "skill_item", 0, 0,
                           arena_printf(&a, "スキルマップ取込 区分%d 項目%d（新規%d 更新%d） 目標%d年度", res->categories, res->items,
                                        res->created, res->updated, nendo)) == 0;
    if (ok && db_commit(db) == 0) rc = 0;
    else {
        db_rollback(db);
        err_add(e, "", "取り込めませんでした。");
    }
out:
    arena_free(&a);
    return rc;
}

void skill_map_table(Arena *a, const SkillMap *m, Table *t)
{
    table_init(t, a, "スキルマップ", skill_csv_head);
    for (int c = 0; c < m->ncats; c++) {
        const SkillCategory *cat = &m->cats[c];
        const char *parent = "";
        for (int p = 0; p < m->ncats; p++)
            if (m->cats[p].id == cat->parent_id) parent = m->cats[p].code;
        table_text(t, parent);
        table_text(t, cat->code);
        table_text(t, cat->name);
        table_text(t, "");
        table_text(t, "");
        for (int l = 0; l <= SKILL_MAX_LEVEL; l++) table_text(t, cat->desc[l]);
        for (int k = 0; k < 3; k++) table_text(t, "");
        for (int i = 0; i < m->nitems; i++) {
            const SkillItem *it = &m->items[i];
            if (it->cat != c) continue;
            table_text(t, cat->code);
            table_text(t, it->code);
            table_text(t, it->name);
            table_text(t, it->description);
            table_text(t, str_eq(it->source, "local") ? "独自" : it->source);
            for (int l = 0; l <= SKILL_MAX_LEVEL; l++) table_text(t, it->desc[l]);
            for (int tier = 3; tier >= 1; tier--) {
                if (it->target[tier] >= 0) table_int(t, it->target[tier]);
                else table_text(t, "");
            }
        }
    }
}

static const EmbeddedFile *embedded(const char *name)
{
    for (size_t i = 0; i < embedded_data_count; i++)
        if (strcmp(embedded_data[i].name, name) == 0) return &embedded_data[i];
    return NULL;
}

int skill_load_defaults(Db *db, int nendo)
{
    SkillImportResult res;
    Errors e = {0};
    const EmbeddedFile *map = embedded("skillmap.csv"), *dssp = embedded("dss_p.csv"), *quals = embedded("qualifications.csv");
    if (!map || skill_import_csv(db, &ACTOR_CLI, (const char *)map->data, map->len, nendo, "core", &res, &e) != 0 ||
        (dssp && skill_import_csv(db, &ACTOR_CLI, (const char *)dssp->data, dssp->len, nendo, "dss-p", &res, &e) != 0)) {
        for (int i = 0; i < e.n; i++) fprintf(stderr, "jinzai: default skill map: %s\n", e.items[i].msg);
        return -1;
    }
    for (int l = 0; l <= SKILL_MAX_LEVEL; l++)
        db_exec(db, "INSERT INTO skill_scale (level, name) VALUES (?, ?) ON CONFLICT (level) DO NOTHING", l, default_scale[l]);
    if (!quals) return 0;
    Arena a = ARENA_INIT;
    CsvDoc doc;
    CsvError cerr;
    int rc = 0;
    if (csv_parse(&a, (const char *)quals->data, quals->len, &doc, &cerr) != 0) rc = -1;
    int cc = csv_col(&doc, "コード"), cn = csv_col(&doc, "名称"), cl = csv_col(&doc, "ITSSレベル"), ce = csv_col(&doc, "有効期限の有無"),
        ci = csv_col(&doc, "関連項目コード");
    for (int i = 1; rc == 0 && i < doc.nrows; i++) {
        const CsvRow *r = &doc.rows[i];
        if (cc < 0 || cn < 0 || cc >= r->nfields || cn >= r->nfields) continue;
        int64_t lvl = 0;
        if (cl >= 0 && cl < r->nfields) parse_int64(r->fields[cl], &lvl);
        bool exp = ce >= 0 && ce < r->nfields && strcmp(r->fields[ce], "あり") == 0;
        const char *items = ci >= 0 && ci < r->nfields ? r->fields[ci] : "";
        if (db_exec(db,
                    "INSERT INTO qualification_type (code, name, itss_level, expires, item_codes) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (code) DO NOTHING",
                    r->fields[cc], r->fields[cn], (int)lvl, exp ? 1 : 0, items) < 0)
            rc = -1;
    }
    arena_free(&a);
    return rc;
}
