/* cases.c - the case library; see cases.h. */
#include "cases.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "gap.h"
#include "skill.h"
#include "../db/tx.h"

const char *const case_kinds[] = {"advanced", "other", "internal", "shareback", NULL};

const char *case_kind_label(const char *kind)
{
    if (str_eq(kind, "advanced")) return "先進地事例";
    if (str_eq(kind, "other")) return "他団体優良事例";
    if (str_eq(kind, "internal")) return "庁内事例";
    if (str_eq(kind, "shareback")) return "職場還元";
    return NULL;
}

char *case_search_text(Arena *a, const char *title, const char *summary, const char *body, const char *source)
{
    /* A separator that folding keeps, so that a query never matches across
     * the end of one field and the start of the next. */
    return arena_printf(a, "%s\x1f%s\x1f%s\x1f%s", text_fold(a, title), text_fold(a, summary), text_fold(a, body), text_fold(a, source));
}

bool case_query_uses_index(const char *folded) { return folded && utf8_chars(folded) >= 3; }

/* ---- Full-text search: the only SQLite-specific SQL of this file ----
 * The index case_fts (FTS5, trigram tokenizer; 023_cases.sql) holds
 * search_text under the case id as rowid. On PostgreSQL every query takes
 * the LIKE path (MATCH_LIKE) over case_study.search_text, which a pg_trgm
 * GIN index can serve; fts_sync/fts_drop then do nothing. */
#define MATCH_FTS "c.id IN (SELECT rowid FROM case_fts WHERE case_fts MATCH ?)"

static bool fts_sync(Db *db, int64_t id, const char *text)
{
    if (db_dialect(db) != DB_SQLITE) return true;
    return db_exec(db, "DELETE FROM case_fts WHERE rowid = ?", id) >= 0 &&
           db_exec(db, "INSERT INTO case_fts (rowid, search_text) VALUES (?, ?)", id, text) == 1;
}

static bool fts_drop(Db *db, int64_t id)
{
    return db_dialect(db) != DB_SQLITE || db_exec(db, "DELETE FROM case_fts WHERE rowid = ?", id) >= 0;
}

/* The query as one FTS5 phrase: "…" with inner quotes doubled. */
static const char *fts_phrase(Arena *a, const char *folded)
{
    Buf b = BUF_INIT;
    buf_putc(&b, '"');
    for (const char *p = folded; *p; p++) {
        if (*p == '"') buf_putc(&b, '"');
        buf_putc(&b, *p);
    }
    buf_putc(&b, '"');
    char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}
/* ---- end of the SQLite-specific part ---- */

#define MATCH_LIKE "c.search_text LIKE ? ESCAPE '!'"

static const char *like_pattern(Arena *a, const char *folded)
{
    Buf b = BUF_INIT;
    buf_putc(&b, '%');
    for (const char *p = folded; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '!') buf_putc(&b, '!');
        buf_putc(&b, *p);
    }
    buf_putc(&b, '%');
    char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

#define CASE_COLS                                                                                                        \
    "c.id, c.kind, c.title, c.source, c.nendo, c.summary, c.body, c.hours_saved, c.cost, c.users, c.source_url,"       \
    " c.unit_id, c.shareback_id, c.published, c.published_on, c.updated_at, u.name,"                                  \
    " (SELECT COALESCE(SUM(v.count), 0) FROM case_view v WHERE v.case_id = c.id)"                                      \
    " FROM case_study c LEFT JOIN org_unit u ON u.id = c.unit_id"

static void read_case(Stmt *st, Arena *a, Case *c)
{
    memset(c, 0, sizeof *c);
    c->id = db_col_int(st, 0);
    c->kind = db_col_dup(st, 1, a);
    c->title = db_col_dup(st, 2, a);
    c->source = db_col_dup(st, 3, a);
    c->nendo = (int)db_col_int(st, 4);
    c->summary = db_col_dup(st, 5, a);
    c->body = db_col_dup(st, 6, a);
    c->has_hours = !db_col_null(st, 7);
    c->hours_saved = c->has_hours ? db_col_double(st, 7) : 0;
    c->has_cost = !db_col_null(st, 8);
    c->cost = db_col_int(st, 8);
    c->has_users = !db_col_null(st, 9);
    c->users = db_col_int(st, 9);
    c->source_url = db_col_dup(st, 10, a);
    c->unit_id = db_col_int(st, 11);
    c->shareback_id = db_col_int(st, 12);
    c->published = db_col_int(st, 13) != 0;
    c->published_on = db_col_null(st, 14) ? NULL : db_col_dup(st, 14, a);
    c->updated_at = db_col_dup(st, 15, a);
    c->unit_name = db_col_null(st, 16) ? NULL : db_col_dup(st, 16, a);
    c->views = (int)db_col_int(st, 17);
}

bool case_get(Db *db, Arena *a, int64_t id, bool published_only, Case *out)
{
    Stmt *st = db_query(db, "SELECT " CASE_COLS " WHERE c.id = ? AND (? = 0 OR c.published = 1)", id, published_only ? 1 : 0);
    bool found = db_step(st) == DB_ROW;
    if (found) read_case(st, a, out);
    db_done(st);
    if (!found) return false;
    out->tags = arena_alloc(a, sizeof *out->tags * CASE_MAX_TAGS);
    st = db_query(db,
                  "SELECT t.kind, t.ref_id, COALESCE(si.code || ' ' || si.name, s.name, p.name, '') FROM case_tag t"
                  " LEFT JOIN skill_item si ON t.kind = 'skill' AND si.id = t.ref_id"
                  " LEFT JOIN staff s ON t.kind = 'staff' AND s.id = t.ref_id"
                  " LEFT JOIN dx_project p ON t.kind = 'project' AND p.id = t.ref_id"
                  " WHERE t.case_id = ? ORDER BY t.kind, si.sort_order, si.code, s.kana, t.ref_id",
                  id);
    while (out->ntags < CASE_MAX_TAGS && db_step(st) == DB_ROW) {
        CaseTag *t = &out->tags[out->ntags++];
        t->kind = db_col_dup(st, 0, a);
        t->ref_id = db_col_int(st, 1);
        t->label = db_col_dup(st, 2, a);
    }
    db_done(st);
    int nf = (int)db_int(db, 0, "SELECT COUNT(*) FROM case_attachment WHERE case_id = ?", id);
    out->files = arena_alloc(a, sizeof *out->files * (size_t)(nf + 1));
    st = db_query(db,
                  "SELECT m.id, m.name, m.content_type FROM case_attachment ca JOIN media_asset m ON m.id = ca.media_id"
                  " WHERE ca.case_id = ? ORDER BY m.id",
                  id);
    while (out->nfiles < nf && db_step(st) == DB_ROW) {
        CaseFile *f = &out->files[out->nfiles++];
        f->media_id = db_col_int(st, 0);
        f->name = db_col_dup(st, 1, a);
        f->content_type = db_col_dup(st, 2, a);
    }
    db_done(st);
    return true;
}

/* ---- validation ---- */

/* A figure as typed ("1,200", "１２０", "12.5"): false when unreadable or
 * negative. Empty leaves *has false. */
static bool parse_figure(Arena *a, const char *s, bool integer, double *out, bool *has)
{
    *has = false;
    const char *t = text_nfkc(a, s ? s : "");
    if (!*t) return true;
    Buf b = BUF_INIT;
    for (const char *p = t; *p; p++)
        if (*p != ',') buf_putc(&b, *p);
    char *end;
    const char *num = buf_cstr(&b);
    double v = strtod(num, &end);
    bool ok = end != num && *end == '\0' && isfinite(v) && v >= 0 && v <= 1e12 && (!integer || v == floor(v));
    buf_free(&b);
    if (!ok) return false;
    *out = v;
    *has = true;
    return true;
}

/* http or https, a host, and no spaces, quotes or angle brackets. */
static bool url_ok(const char *u)
{
    size_t skip;
    if (strncasecmp(u, "https://", 8) == 0) skip = 8;
    else if (strncasecmp(u, "http://", 7) == 0) skip = 7;
    else return false;
    if (!u[skip] || u[skip] == '/' || strlen(u) > 2000) return false;
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\') return false;
    return true;
}

typedef struct Checked {
    int nendo;
    double hours, cost, users;
    bool has_hours, has_cost, has_users;
    int64_t staff[CASE_MAX_TAGS];
    int nstaff;
} Checked;

static void check_input(Db *db, Arena *a, const CaseInput *in, Checked *c, Errors *e)
{
    memset(c, 0, sizeof *c);
    if (!case_kind_label(in->kind)) err_add(e, "kind", "種類を選んでください。");
    if (str_empty(in->title)) err_add(e, "title", "題名を入力してください。");
    else if (utf8_chars(in->title) > 200) err_add(e, "title", "題名は200文字までです。");
    if (in->source && utf8_chars(in->source) > 200) err_add(e, "source", "自治体名・出典は200文字までです。");
    if (str_empty(in->nendo)) err_add(e, "nendo", "年度を入力してください。");
    else if (!nendo_parse_loose(in->nendo, &c->nendo) || c->nendo < 1990 || c->nendo > 2100)
        err_add(e, "nendo", "年度は 2026、令和8年度 のように入力してください。");
    if (in->summary && utf8_chars(in->summary) > 2000) err_add(e, "summary", "概要は2,000文字までです。");
    if (in->body && strlen(in->body) > 200000) err_add(e, "body", "本文が長すぎます（20万文字まで）。");
    if (!parse_figure(a, in->hours, false, &c->hours, &c->has_hours)) err_add(e, "hours", "削減時間は0以上の数で入力してください（例：120、12.5）。");
    if (!parse_figure(a, in->cost, true, &c->cost, &c->has_cost)) err_add(e, "cost", "費用は0以上の整数（円）で入力してください。");
    if (!parse_figure(a, in->users, true, &c->users, &c->has_users)) err_add(e, "users", "利用者数は0以上の整数で入力してください。");
    if (!str_empty(in->source_url) && !url_ok(in->source_url))
        err_add(e, "source_url", "出典のURLは http:// または https:// で始まるアドレスを入力してください。");
    if (in->unit_id && !db_int(db, 0, "SELECT COUNT(*) FROM org_unit WHERE id = ?", in->unit_id)) err_add(e, "unit_id", "その組織はありません。");
    if (in->nskills + in->nprojects > CASE_MAX_TAGS / 2) err_add(e, "skills", "タグが多すぎます。");
    for (int i = 0; i < in->nskills; i++)
        if (!db_int(db, 0, "SELECT COUNT(*) FROM skill_item WHERE id = ?", in->skills[i])) {
            err_add(e, "skills", "スキルマップにない項目が選ばれています。");
            break;
        }
    for (int i = 0; i < in->nprojects; i++)
        if (in->projects[i] <= 0) {
            err_add(e, "projects", "DXプロジェクトの指定が正しくありません。");
            break;
        }
    /* 職員番号, separated by commas (、，) or spaces. */
    const char *s = in->staff_nos ? in->staff_nos : "";
    while (*s) {
        size_t n = 0;
        while (s[n] && s[n] != ',' && s[n] != ' ' && s[n] != '\n' && strncmp(s + n, "、", 3) != 0 && strncmp(s + n, "，", 3) != 0 &&
               strncmp(s + n, "　", 3) != 0)
            n++;
        if (n > 0) {
            const char *code = text_code(a, arena_strndup(a, s, n));
            int64_t id = db_int(db, 0, "SELECT id FROM staff WHERE staff_no = ?", code);
            if (!id) err_addf(e, "staff_nos", "職員番号「%s」の職員は見つかりません。", code);
            else if (c->nstaff < CASE_MAX_TAGS / 2) c->staff[c->nstaff++] = id;
        }
        if (!s[n]) break;
        s += n + ((unsigned char)s[n] >= 0x80 ? 3 : 1);
    }
    if (in->shareback_id) {
        if (!db_int(db, 0, "SELECT COUNT(*) FROM share_back WHERE id = ?", in->shareback_id))
            err_add(e, "", "もとにする職場還元の記録がありません。");
        else if (db_int(db, 0, "SELECT COUNT(*) FROM case_study WHERE shareback_id = ? AND id <> ?", in->shareback_id, in->id))
            err_add(e, "", "この職場還元の記録はすでに事例になっています。");
    }
    if (in->id && !db_int(db, 0, "SELECT COUNT(*) FROM case_study WHERE id = ?", in->id)) err_add(e, "", "その事例はありません。");
}

static bool put_tags(Db *db, int64_t id, const char *kind, const int64_t *ids, int n)
{
    for (int i = 0; i < n; i++)
        if (db_exec(db, "INSERT INTO case_tag (case_id, kind, ref_id) VALUES (?, ?, ?) ON CONFLICT (case_id, kind, ref_id) DO NOTHING", id, kind,
                    ids[i]) < 0)
            return false;
    return true;
}

int64_t case_save(Db *db, const Actor *who, const CaseInput *in, Errors *e)
{
    Arena a = ARENA_INIT;
    Checked c;
    check_input(db, &a, in, &c, e);
    if (err_any(e) || tx_begin(db, e) != 0) {
        arena_free(&a);
        return -1;
    }
    char at[32];
    now_iso(at);
    const char *summary = in->summary ? in->summary : "", *body = in->body ? in->body : "", *source = in->source ? in->source : "";
    const char *url = in->source_url ? in->source_url : "";
    char *text = case_search_text(&a, in->title, summary, body, source);
    /* Unknown figures are bound as -1 and stored as NULL (NULLIF). */
    double hours = c.has_hours ? c.hours : -1.0;
    int64_t cost = c.has_cost ? (int64_t)c.cost : -1, users = c.has_users ? (int64_t)c.users : -1;
    Stmt *st;
    if (in->id) {
        st = db_query(db,
                      "UPDATE case_study SET kind = ?, title = ?, source = ?, nendo = ?, summary = ?, body = ?, hours_saved = NULLIF(?, -1.0), cost = NULLIF(?, -1),"
                      " users = NULLIF(?, -1), source_url = ?, unit_id = ?, shareback_id = ?, search_text = ?, updated_at = ? WHERE id = ? RETURNING id",
                      in->kind, in->title, source, c.nendo, summary, body, hours, cost, users, url, DB_ID_OR_NULL(in->unit_id),
                      DB_ID_OR_NULL(in->shareback_id), text, at, in->id);
    } else {
        st = db_query(db,
                      "INSERT INTO case_study (kind, title, source, nendo, summary, body, hours_saved, cost, users, source_url, unit_id,"
                      " shareback_id, search_text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, -1.0), NULLIF(?, -1), NULLIF(?, -1), ?, ?, ?, ?, ?, ?) RETURNING id",
                      in->kind, in->title, source, c.nendo, summary, body, hours, cost, users, url, DB_ID_OR_NULL(in->unit_id),
                      DB_ID_OR_NULL(in->shareback_id), text, at, at);
    }
    int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    bool ok = id > 0 && db_exec(db, "DELETE FROM case_tag WHERE case_id = ?", id) >= 0;
    ok = ok && put_tags(db, id, "skill", in->skills, in->nskills) && put_tags(db, id, "staff", c.staff, c.nstaff) &&
         put_tags(db, id, "project", in->projects, in->nprojects);
    ok = ok && fts_sync(db, id, text);
    char line[300];
    snprintf(line, sizeof line, "%s「%.200s」（%s）", in->id ? "変更" : "登録", in->title, case_kind_label(in->kind));
    ok = ok && audit_write(db, who, in->id ? "case.update" : "case.create", "case_study", id, 0, line) == 0;
    arena_free(&a);
    return tx_end(db, e, ok) == 0 ? id : -1;
}

int case_set_published(Db *db, const Actor *who, int64_t id, bool published, Errors *e)
{
    if (!db_int(db, 0, "SELECT COUNT(*) FROM case_study WHERE id = ?", id)) {
        err_add(e, "", "その事例はありません。");
        return -1;
    }
    if (tx_begin(db, e) != 0) return -1;
    char day[11], at[32];
    now_date(day);
    now_iso(at);
    bool ok = db_exec(db, "UPDATE case_study SET published = ?, published_on = COALESCE(published_on, NULLIF(?, '')), updated_at = ? WHERE id = ?",
                      published ? 1 : 0, published ? day : "", at, id) == 1;
    ok = ok && audit_write(db, who, published ? "case.publish" : "case.unpublish", "case_study", id, 0, published ? "公開" : "公開の取り下げ") == 0;
    return tx_end(db, e, ok);
}

int case_delete(Db *db, const Actor *who, int64_t id, Errors *e)
{
    Arena a = ARENA_INIT;
    char *title = db_text(db, &a, "SELECT title FROM case_study WHERE id = ?", id);
    if (!title) {
        err_add(e, "", "その事例はありません。");
        arena_free(&a);
        return -1;
    }
    if (tx_begin(db, e) != 0) {
        arena_free(&a);
        return -1;
    }
    bool ok = db_exec(db, "DELETE FROM case_tag WHERE case_id = ?", id) >= 0 && db_exec(db, "DELETE FROM case_attachment WHERE case_id = ?", id) >= 0 &&
              db_exec(db, "DELETE FROM case_view WHERE case_id = ?", id) >= 0 && fts_drop(db, id) &&
              db_exec(db, "DELETE FROM case_study WHERE id = ?", id) == 1;
    char line[260];
    snprintf(line, sizeof line, "削除「%.200s」", title);
    ok = ok && audit_write(db, who, "case.delete", "case_study", id, 0, line) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int case_attach(Db *db, const Actor *who, int64_t case_id, int64_t media_id, Errors *e)
{
    if (!db_int(db, 0, "SELECT COUNT(*) FROM case_study WHERE id = ?", case_id)) err_add(e, "", "その事例はありません。");
    if (!db_int(db, 0, "SELECT COUNT(*) FROM media_asset WHERE id = ?", media_id)) err_add(e, "file", "そのファイルはありません。");
    if (err_any(e) || tx_begin(db, e) != 0) return -1;
    bool ok = db_exec(db, "INSERT INTO case_attachment (case_id, media_id) VALUES (?, ?) ON CONFLICT (case_id, media_id) DO NOTHING", case_id,
                      media_id) >= 0;
    ok = ok && audit_write(db, who, "case.attach", "case_study", case_id, 0, "添付ファイルの追加") == 0;
    return tx_end(db, e, ok);
}

bool case_reindex(Db *db, int64_t id)
{
    Arena a = ARENA_INIT;
    Stmt *st = db_query(db, "SELECT title, summary, body, source FROM case_study WHERE id = ?", id);
    char *text = NULL;
    if (db_step(st) == DB_ROW)
        text = case_search_text(&a, db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3));
    db_done(st);
    bool ok = text && db_exec(db, "UPDATE case_study SET search_text = ? WHERE id = ?", text, id) == 1 && fts_sync(db, id, text);
    arena_free(&a);
    return ok;
}

/* ---- search ---- */

#define CASE_WHERE(match)                                                                                                   \
    " WHERE (? = 0 OR c.published = 1) AND (? = '' OR c.kind = ?) AND (? = 0 OR c.nendo = ?)"                              \
    " AND (? = 0 OR EXISTS (SELECT 1 FROM case_tag t WHERE t.case_id = c.id AND t.kind = 'skill' AND t.ref_id = ?))"        \
    " AND (? = 0 OR EXISTS (SELECT 1 FROM case_tag t WHERE t.case_id = c.id AND t.kind = 'staff' AND t.ref_id = ?))"        \
    " AND (? = 0 OR EXISTS (SELECT 1 FROM case_tag t WHERE t.case_id = c.id AND t.kind = 'project' AND t.ref_id = ?))"      \
    " AND (? = '' OR " match ")"
#define CASE_ORDER " ORDER BY c.nendo DESC, c.id DESC LIMIT ? OFFSET ?"

int case_search(Db *db, Arena *a, const CaseFilter *f, Case **out, int *total)
{
    const char *q = str_empty(f->q) ? "" : text_fold(a, f->q);
    bool fts = db_dialect(db) == DB_SQLITE && case_query_uses_index(q);
    const char *term = !*q ? "" : fts ? fts_phrase(a, q) : like_pattern(a, q);
    const char *kind = case_kind_label(f->kind) ? f->kind : "";
    int pub = f->published_only ? 1 : 0, page = f->page > 0 ? f->page : 1;
    const char *count_sql = fts ? "SELECT COUNT(*) FROM case_study c" CASE_WHERE(MATCH_FTS) : "SELECT COUNT(*) FROM case_study c" CASE_WHERE(MATCH_LIKE);
    const char *list_sql = fts ? "SELECT " CASE_COLS CASE_WHERE(MATCH_FTS) CASE_ORDER : "SELECT " CASE_COLS CASE_WHERE(MATCH_LIKE) CASE_ORDER;
    *total = (int)db_int(db, 0, count_sql, pub, kind, kind, f->nendo, f->nendo, f->skill_id, f->skill_id, f->staff_id, f->staff_id, f->project_id,
                         f->project_id, q, term);
    *out = arena_alloc(a, sizeof **out * (CASE_PAGE_SIZE + 1));
    Stmt *st = db_query(db, list_sql, pub, kind, kind, f->nendo, f->nendo, f->skill_id, f->skill_id, f->staff_id, f->staff_id, f->project_id,
                        f->project_id, q, term, (int)CASE_PAGE_SIZE, (page - 1) * CASE_PAGE_SIZE);
    int n = 0;
    while (n < CASE_PAGE_SIZE && db_step(st) == DB_ROW) read_case(st, a, &(*out)[n++]);
    db_done(st);
    return n;
}

/* ---- views ---- */

int case_view(Db *db, const Actor *who, int64_t case_id, int64_t staff_id)
{
    if (!case_id || !staff_id) return -1;
    char day[11];
    now_date(day);
    if (db_begin(db) != 0) return -1;
    bool first = !db_int(db, 0, "SELECT COUNT(*) FROM case_view WHERE case_id = ? AND staff_id = ? AND day = ?", case_id, staff_id, day);
    bool ok = db_exec(db,
                      "INSERT INTO case_view (case_id, staff_id, day, count) VALUES (?, ?, ?, 1)"
                      " ON CONFLICT (case_id, staff_id, day) DO UPDATE SET count = case_view.count + 1",
                      case_id, staff_id, day) == 1;
    /* One audit row per person and day, not per view. */
    ok = ok && (!first || audit_write(db, who, "case.view", "case_study", case_id, 0, "事例の閲覧") == 0);
    if (ok && db_commit(db) == 0) return 0;
    db_rollback(db);
    return -1;
}

/* ---- recommendations ---- */

typedef struct Scored {
    int64_t id;
    int score;
} Scored;

static int by_score(const void *x, const void *y)
{
    const Scored *a = x, *b = y;
    if (a->score != b->score) return b->score - a->score;
    return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

int case_recommend(Db *db, Arena *a, int64_t staff_id, int nendo, int limit, Case **out)
{
    *out = NULL;
    if (!staff_id || limit <= 0) return 0;
    /* The person's latest assessment that counts (submitted or confirmed)
     * up to the 年度, scored by the gap of this one person only. */
    nendo = (int)db_int(db, 0, "SELECT MAX(nendo) FROM assessment WHERE staff_id = ? AND nendo <= ? AND state IN ('submitted', 'confirmed')",
                        staff_id, nendo);
    if (!nendo) return 0;
    SkillMap m;
    skill_map_load(db, a, nendo, false, &m);
    char as_of[11];
    asof_nendo_date(nendo, as_of);
    GapFilter gf = {.staff_id = staff_id};
    GapMatrix g;
    gap_matrix(db, a, &m, nendo, as_of, &gf, &g);
    if (g.npeople < 1) return 0;
    enum { MAXC = 200 };
    Scored *sc = arena_alloc(a, sizeof *sc * MAXC);
    int nsc = 0;
    for (int i = 0; i < m.nitems; i++) {
        bool confirmed;
        int target = GAP_AT(&g, target, 0, i), level = gap_level(&g, 0, i, &confirmed);
        if (target < 0 || level < 0 || level >= target) continue;
        Stmt *st = db_query(db,
                            "SELECT c.id FROM case_tag t JOIN case_study c ON c.id = t.case_id"
                            " WHERE t.kind = 'skill' AND t.ref_id = ? AND c.published = 1",
                            m.items[i].id);
        while (db_step(st) == DB_ROW) {
            int64_t id = db_col_int(st, 0);
            int k = 0;
            while (k < nsc && sc[k].id != id) k++;
            if (k == nsc) {
                if (nsc == MAXC) continue;
                sc[nsc++] = (Scored){id, 0};
            }
            sc[k].score += target - level;
        }
        db_done(st);
    }
    qsort(sc, (size_t)nsc, sizeof *sc, by_score);
    int n = nsc < limit ? nsc : limit;
    *out = arena_alloc(a, sizeof **out * (size_t)(n + 1));
    int k = 0;
    for (int i = 0; i < n; i++)
        if (case_get(db, a, sc[i].id, true, &(*out)[k])) k++;
    return k;
}

/* ---- 職場還元 ---- */

bool case_from_shareback(Db *db, Arena *a, int64_t shareback_id, CaseInput *out)
{
    Stmt *st = db_query(db,
                        "SELECT sb.held_on, sb.audience, sb.attendees, sb.content, sb.materials, s.staff_no, s.name, c.title, sb.staff_id"
                        " FROM share_back sb JOIN staff s ON s.id = sb.staff_id"
                        " LEFT JOIN training_session ts ON ts.id = sb.session_id LEFT JOIN course c ON c.id = ts.course_id WHERE sb.id = ?",
                        shareback_id);
    bool found = db_step(st) == DB_ROW;
    if (found) {
        memset(out, 0, sizeof *out);
        const char *held = db_col_text(st, 0), *audience = db_col_text(st, 1), *content = db_col_text(st, 3), *materials = db_col_text(st, 4);
        const char *course = db_col_null(st, 7) ? NULL : db_col_text(st, 7);
        Date d;
        int nendo = date_parse(held, &d) ? nendo_of(d) : nendo_of(date_today());
        out->kind = "shareback";
        out->title = arena_printf(a, "%s", content);
        out->source = arena_printf(a, "職場還元（%s）", db_col_text(st, 6));
        out->nendo = arena_printf(a, "%d", nendo);
        out->summary = course ? arena_printf(a, "「%s」の受講者が、%sで%lld人に内容を伝えました。", course, audience, (long long)db_col_int(st, 2))
                              : arena_printf(a, "%sで%lld人に内容を伝えました。", audience, (long long)db_col_int(st, 2));
        out->body = arena_printf(a, "## 伝えたこと\n\n%s\n\n## 資料\n\n%s\n", content, *materials ? materials : "（なし）");
        out->staff_nos = db_col_dup(st, 5, a);
        /* The person's unit on the day it was held. */
        out->unit_id = db_int(db, 0, "SELECT " ASOF_UNIT_OF("?"), db_col_int(st, 8), held, held);
        out->shareback_id = shareback_id;
    }
    db_done(st);
    return found;
}

int case_shareback_candidates(Db *db, Arena *a, int limit, CaseShareBack **out)
{
    *out = arena_alloc(a, sizeof **out * (size_t)(limit + 1));
    Stmt *st = db_query(db,
                        "SELECT sb.id, sb.held_on, s.name, COALESCE(c.title, ''), sb.content FROM share_back sb JOIN staff s ON s.id = sb.staff_id"
                        " LEFT JOIN training_session ts ON ts.id = sb.session_id LEFT JOIN course c ON c.id = ts.course_id"
                        " WHERE NOT EXISTS (SELECT 1 FROM case_study cs WHERE cs.shareback_id = sb.id)"
                        " ORDER BY sb.held_on DESC, sb.id DESC LIMIT ?",
                        limit);
    int n = 0;
    while (n < limit && db_step(st) == DB_ROW) {
        CaseShareBack *c = &(*out)[n++];
        c->id = db_col_int(st, 0);
        c->held_on = db_col_dup(st, 1, a);
        c->staff_name = db_col_dup(st, 2, a);
        c->course_title = db_col_dup(st, 3, a);
        c->content = db_col_dup(st, 4, a);
    }
    db_done(st);
    return n;
}

/* ---- KPIs ---- */

int case_published_count(Db *db, int nendo)
{
    return (int)db_int(db, 0, "SELECT COUNT(*) FROM case_study WHERE published = 1 AND nendo = ?", nendo);
}

int case_per_unit(Db *db, Arena *a, int nendo, CaseUnitCount **out)
{
    int n = (int)db_int(db, 0, "SELECT COUNT(DISTINCT unit_id) FROM case_study WHERE published = 1 AND nendo = ? AND unit_id IS NOT NULL", nendo);
    *out = arena_alloc(a, sizeof **out * (size_t)(n + 1));
    Stmt *st = db_query(db,
                        "SELECT c.unit_id, u.name, COUNT(*) FROM case_study c JOIN org_unit u ON u.id = c.unit_id"
                        " WHERE c.published = 1 AND c.nendo = ? GROUP BY c.unit_id, u.name ORDER BY COUNT(*) DESC, u.name",
                        nendo);
    int k = 0;
    while (k < n && db_step(st) == DB_ROW) {
        (*out)[k].unit_id = db_col_int(st, 0);
        (*out)[k].unit_name = db_col_dup(st, 1, a);
        (*out)[k].cases = (int)db_col_int(st, 2);
        k++;
    }
    db_done(st);
    return k;
}

int64_t case_view_total(Db *db, const char *from, const char *to)
{
    return db_int(db, 0, "SELECT COALESCE(SUM(count), 0) FROM case_view WHERE day >= ? AND day <= ?", from, to);
}

int case_kind_counts(Db *db, int nendo, int out[CASE_NKIND])
{
    memset(out, 0, sizeof(int) * CASE_NKIND);
    Stmt *st = db_query(db, "SELECT kind, COUNT(*) FROM case_study WHERE published = 1 AND nendo = ? GROUP BY kind", nendo);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        for (int i = 0; i < CASE_NKIND; i++)
            if (str_eq(db_col_text(st, 0), case_kinds[i])) out[i] = (int)db_col_int(st, 1);
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}
