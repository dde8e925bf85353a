/* assess.c - see assess.h. */
#include "assess.h"
#include "notice.h"
#include "asof.h"
#include "listcount.h"
#include "../db/tx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../io/text.h"
#include "tier.h"

static const char *const state_names[] = {"未着手", "下書き", "提出済", "差戻し", "確認済"};
static const char *const state_codes[] = {"none", "draft", "submitted", "returned", "confirmed"};

const char *assess_state_name(AssessState s) { return s <= AS_CONFIRMED ? state_names[s] : ""; }
const char *assess_state_code(AssessState s) { return s <= AS_CONFIRMED ? state_codes[s] : ""; }

AssessState assess_state_parse(const char *code)
{
    for (int i = 0; i <= AS_CONFIRMED; i++)
        if (str_eq(code, state_codes[i])) return (AssessState)i;
    return AS_NONE;
}

/* ---- targets ---- */

void assess_target_ctx(Db *db, Arena *a, const SkillMap *m, TargetCtx *c)
{
    memset(c, 0, sizeof *c);
    c->m = m;
    c->db = db;
    c->a = a;
    int xn = (int)db_int(db, 0, "SELECT MAX(nendo) FROM skill_unit_target WHERE nendo <= ?", m->nendo);
    int nx = (int)db_int(db, 0, "SELECT COUNT(*) FROM skill_unit_target WHERE nendo = ?", xn);
    c->x_unit = arena_alloc(a, sizeof(int64_t) * (size_t)(nx + 1));
    c->x_item = arena_alloc(a, sizeof(int64_t) * (size_t)(nx + 1));
    c->x_level = arena_alloc(a, sizeof(int) * (size_t)(nx + 1));
    Stmt *st = db_query(db, "SELECT unit_id, item_id, level FROM skill_unit_target WHERE nendo = ?", xn);
    while (c->nx < nx && db_step(st) == DB_ROW) {
        c->x_unit[c->nx] = db_col_int(st, 0);
        c->x_item[c->nx] = db_col_int(st, 1);
        c->x_level[c->nx++] = (int)db_col_int(st, 2);
    }
    db_done(st);
}

/* Single-unit reads before the whole tree is read instead. */
enum { TARGET_LOOKUPS = 32 };

static void load_tree(TargetCtx *c)
{
    int n = (int)db_int(c->db, 0, "SELECT COUNT(*) FROM org_unit");
    c->unit_ids = arena_alloc(c->a, sizeof(int64_t) * (size_t)(n + 1));
    c->unit_parents = arena_alloc(c->a, sizeof(int64_t) * (size_t)(n + 1));
    Stmt *st = db_query(c->db, "SELECT id, parent_id FROM org_unit ORDER BY id");
    while (c->nunits < n && db_step(st) == DB_ROW) {
        c->unit_ids[c->nunits] = db_col_int(st, 0);
        c->unit_parents[c->nunits++] = db_col_int(st, 1);
    }
    db_done(st);
    c->tree_loaded = true;
}

static int64_t parent_of(TargetCtx *c, int64_t id)
{
    if (!c->tree_loaded && c->lookups < TARGET_LOOKUPS) {
        c->lookups++;
        return db_int(c->db, 0, "SELECT parent_id FROM org_unit WHERE id = ?", id);
    }
    if (!c->tree_loaded) load_tree(c);
    int lo = 0, hi = c->nunits - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (c->unit_ids[mid] == id) return c->unit_parents[mid];
        if (c->unit_ids[mid] < id) lo = mid + 1;
        else hi = mid - 1;
    }
    return 0;
}

int assess_targets(TargetCtx *c, unsigned tiers, int64_t unit_id, int *targets)
{
    const SkillMap *m = c->m;
    int count = 0;
    for (int i = 0; i < m->nitems; i++) {
        const SkillItem *it = &m->items[i];
        int best = -1;
        for (int t = 1; t <= 3; t++)
            if ((tiers & (1u << t)) && it->target[t] > best && skill_item_on_for_tier(m, it, t)) best = it->target[t];
        targets[i] = it->retired_on ? -1 : best;
    }
    /* Extra targets of the unit and of every unit above it. */
    for (int64_t u = c->nx ? unit_id : 0, guard = 0; u && guard < 8; u = parent_of(c, u), guard++)
        for (int x = 0; x < c->nx; x++) {
            if (c->x_unit[x] != u) continue;
            int i = skill_item_index(m, c->x_item[x]);
            if (i >= 0 && !m->items[i].retired_on && c->x_level[x] > targets[i]) targets[i] = c->x_level[x];
        }
    for (int i = 0; i < m->nitems; i++) count += targets[i] >= 0;
    return count;
}

unsigned assess_tiers_on(Db *db, int64_t staff_id, int nendo, const char *on)
{
    unsigned tiers = 0;
    Stmt *st = db_query(db, "SELECT DISTINCT d.tier FROM tier_designation d WHERE d.staff_id = ? AND " ASOF_DESIGNATED("d"), staff_id, nendo, on, on);
    while (db_step(st) == DB_ROW) tiers |= 1u << db_col_int(st, 0);
    db_done(st);
    return tiers ? tiers : 1u << 3;
}

unsigned assess_tiers(Db *db, int64_t staff_id, int nendo)
{
    char on[11];
    asof_nendo_date(nendo, on);
    return assess_tiers_on(db, staff_id, nendo, on);
}

void assess_nendo_clamp(int nendo, const char *iso, char out[11])
{
    Date d, first, last;
    nendo_range(nendo, &first, &last);
    if (!iso || !date_parse(iso, &d)) {
        asof_nendo_date(nendo, out);
        return;
    }
    date_iso(date_cmp(d, first) < 0 ? first : date_cmp(d, last) > 0 ? last : d, out);
}

const char *assess_basis_text(Arena *a, const char *basis_on, unsigned tiers)
{
    if (!basis_on) return "評価基準：現在の目標";
    Buf b = BUF_INIT;
    buf_puts(&b, "評価基準：");
    wareki_date_iso(&b, basis_on);
    buf_puts(&b, "時点（");
    int n = 0;
    for (int t = 1; t <= 3; t++)
        if (tiers & (1u << t)) buf_printf(&b, "%s%s", n++ ? "・" : "", tier_name(t));
    buf_puts(&b, "）の目標");
    const char *s = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* ---- period ---- */

void assess_period_get(Db *db, Arena *a, int nendo, AssessPeriod *p)
{
    p->nendo = nendo;
    p->opens_on = p->closes_on = NULL;
    Stmt *st = db_query(db, "SELECT opens_on, closes_on FROM assess_period WHERE nendo = ?", nendo);
    if (db_step(st) == DB_ROW) {
        p->opens_on = db_col_dup(st, 0, a);
        p->closes_on = db_col_dup(st, 1, a);
    }
    db_done(st);
}

bool assess_period_open(const AssessPeriod *p, const char *today)
{
    return p->opens_on && strcmp(p->opens_on, today) <= 0 && strcmp(today, p->closes_on) <= 0;
}

int assess_period_set(Db *db, const Actor *who, int nendo, const char *opens_on, const char *closes_on, Errors *e)
{
    Date o, c;
    bool ok_o = opens_on && date_parse(opens_on, &o), ok_c = closes_on && date_parse(closes_on, &c);
    if (!ok_o) err_add(e, "opens_on", "開始日を正しい日付で入力してください。");
    if (!ok_c) err_add(e, "closes_on", "終了日を正しい日付で入力してください。");
    if (ok_o && ok_c && date_cmp(c, o) < 0) err_add(e, "closes_on", "終了日は開始日以降にしてください。");
    if (nendo < 2000 || nendo > 2100) err_add(e, "nendo", "年度を正しく入力してください。");
    else if ((ok_o && !asof_in_nendo(opens_on, nendo)) || (ok_c && !asof_in_nendo(closes_on, nendo))) {
        Buf nb = BUF_INIT;
        wareki_nendo(&nb, nendo);
        err_addf(e, ok_o && !asof_in_nendo(opens_on, nendo) ? "opens_on" : "closes_on",
                 "評価期間は%s（%d年4月1日〜%d年3月31日）の中の日付にしてください。", buf_cstr(&nb), nendo, nendo + 1);
        buf_free(&nb);
    }
    if (err_any(e)) return -1;
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    bool ok = db_exec(db,
                      "INSERT INTO assess_period (nendo, opens_on, closes_on) VALUES (?, ?, ?)"
                      " ON CONFLICT (nendo) DO UPDATE SET opens_on = excluded.opens_on, closes_on = excluded.closes_on",
                      nendo, opens_on, closes_on) == 1 &&
              audit_write(db, who, "assess.period", "assess_period", nendo, 0, arena_printf(&a, "%d年度 %s〜%s", nendo, opens_on, closes_on)) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

/* ---- one person's assessment ---- */

int64_t assess_id_of(Db *db, int64_t staff_id, int nendo)
{
    return db_int(db, 0, "SELECT id FROM assessment WHERE staff_id = ? AND nendo = ?", staff_id, nendo);
}

int64_t assess_staff_of(Db *db, int64_t assessment_id, int *nendo)
{
    Stmt *st = db_query(db, "SELECT staff_id, nendo FROM assessment WHERE id = ?", assessment_id);
    int64_t s = 0;
    if (db_step(st) == DB_ROW) {
        s = db_col_int(st, 0);
        if (nendo) *nendo = (int)db_col_int(st, 1);
    }
    db_done(st);
    return s;
}

static int64_t primary_unit(Db *db, int64_t staff_id, const char *as_of)
{
    return db_int(db, 0, "SELECT " ASOF_UNIT_OF("s.id") " FROM staff s WHERE s.id = ?", as_of, as_of, staff_id);
}

/* Records what assessment id is judged against on date `on`: the tiers
 * then held, and per item the target then in force. Items with a target
 * get a row (unanswered when new); rows of items without one keep their
 * answers but no target, so they no longer count. Inside the caller's
 * transaction. */
static bool take_basis(Db *db, Arena *a, const SkillMap *m, int64_t id, int64_t staff_id, const char *on)
{
    unsigned tiers = assess_tiers_on(db, staff_id, m->nendo, on);
    TargetCtx tc;
    assess_target_ctx(db, a, m, &tc);
    int *targets = arena_alloc(a, sizeof(int) * (size_t)(m->nitems + 1));
    assess_targets(&tc, tiers, primary_unit(db, staff_id, on), targets);
    bool ok = db_exec(db, "UPDATE assessment_item SET target = NULL WHERE assessment_id = ?", id) >= 0;
    for (int i = 0; i < m->nitems && ok; i++) {
        if (targets[i] < 0) continue;
        ok = db_exec(db,
                     "INSERT INTO assessment_item (assessment_id, item_id, target) VALUES (?, ?, ?)"
                     " ON CONFLICT (assessment_id, item_id) DO UPDATE SET target = excluded.target",
                     id, m->items[i].id, targets[i]) == 1;
    }
    return ok && db_exec(db, "UPDATE assessment SET basis_tiers = ?, basis_on = ? WHERE id = ?", (int)tiers, on, id) == 1;
}

/* take_basis for a 提出済 assessment confirmed now that has none yet
 * (submitted before bases were kept). One that has a basis keeps the one of
 * its submission: the reviewer confirms what the person answered. */
static bool basis_if_missing(Db *db, Arena *a, int64_t id, int64_t staff_id, int nendo)
{
    if (db_int(db, 0, "SELECT COUNT(*) FROM assessment WHERE id = ? AND basis_on IS NOT NULL", id)) return true;
    SkillMap m;
    skill_map_load(db, a, nendo, false, &m);
    char today[11], on[11];
    now_date(today);
    assess_nendo_clamp(nendo, today, on);
    return take_basis(db, a, &m, id, staff_id, on);
}

void assess_load(Db *db, Arena *a, const SkillMap *m, int64_t staff_id, int nendo, const char *as_of, Assessment *out)
{
    memset(out, 0, sizeof *out);
    out->staff_id = staff_id;
    out->nendo = nendo;
    char on[11];
    assess_nendo_clamp(nendo, as_of, on);
    out->unit_id = primary_unit(db, staff_id, on);
    Stmt *st = db_query(db,
                        "SELECT x.id, x.state, x.submitted_at, x.confirmed_at, x.return_message, c.login, x.basis_tiers, x.basis_on"
                        " FROM assessment x LEFT JOIN account c ON c.id = x.confirmed_by WHERE x.staff_id = ? AND x.nendo = ?",
                        staff_id, nendo);
    unsigned basis_tiers = 0;
    if (db_step(st) == DB_ROW) {
        out->id = db_col_int(st, 0);
        out->state = assess_state_parse(db_col_text(st, 1));
        out->submitted_at = db_col_dup(st, 2, a);
        out->confirmed_at = db_col_dup(st, 3, a);
        out->return_message = db_col_dup(st, 4, a);
        out->confirmed_by = db_col_dup(st, 5, a);
        basis_tiers = db_col_null(st, 6) ? 0 : (unsigned)db_col_int(st, 6);
        /* A submitted or confirmed assessment is judged against its basis. */
        if ((out->state == AS_SUBMITTED || out->state == AS_CONFIRMED) && !db_col_null(st, 7)) out->basis_on = db_col_dup(st, 7, a);
    }
    db_done(st);
    int *targets = arena_alloc(a, sizeof(int) * (size_t)(m->nitems + 1));
    if (out->basis_on) {
        out->tiers = basis_tiers ? basis_tiers : 1u << 3;
        for (int i = 0; i < m->nitems; i++) targets[i] = -1;
        st = db_query(db, "SELECT item_id, target FROM assessment_item WHERE assessment_id = ? AND target IS NOT NULL", out->id);
        while (db_step(st) == DB_ROW) {
            int i = skill_item_index(m, db_col_int(st, 0));
            if (i >= 0) targets[i] = (int)db_col_int(st, 1);
        }
        db_done(st);
    } else {
        out->tiers = assess_tiers_on(db, staff_id, nendo, on);
        TargetCtx tc;
        assess_target_ctx(db, a, m, &tc);
        assess_targets(&tc, out->tiers, out->unit_id, targets);
    }
    /* One line per item with a target, in the map's order. */
    out->lines = arena_zalloc(a, sizeof *out->lines * (size_t)(m->nitems + 1));
    int *line_of = arena_alloc(a, sizeof(int) * (size_t)(m->nitems + 1));
    for (int i = 0; i < m->nitems; i++) {
        line_of[i] = -1;
        if (targets[i] < 0) continue;
        line_of[i] = out->nlines;
        out->lines[out->nlines++] = (AssessLine){i, targets[i], -1, -1, "", "", ""};
    }
    if (!out->id) return;
    st = db_query(db, "SELECT item_id, self_level, self_comment, evidence, sup_level, sup_reason FROM assessment_item WHERE assessment_id = ?",
                  out->id);
    while (db_step(st) == DB_ROW) {
        int i = skill_item_index(m, db_col_int(st, 0));
        if (i < 0 || line_of[i] < 0) continue;
        AssessLine *l = &out->lines[line_of[i]];
        l->self = db_col_null(st, 1) ? -1 : (int)db_col_int(st, 1);
        l->comment = db_col_dup(st, 2, a);
        l->evidence = db_col_dup(st, 3, a);
        l->sup = db_col_null(st, 4) ? -1 : (int)db_col_int(st, 4);
        l->reason = db_col_dup(st, 5, a);
    }
    db_done(st);
}

static const char *state_now(Db *db, Arena *a, int64_t id)
{
    char *s = db_text(db, a, "SELECT state FROM assessment WHERE id = ?", id);
    return s ? s : "none";
}

int assess_save_self(Db *db, const Actor *who, const SkillMap *m, int64_t staff_id, int nendo, const char *today,
                     const SelfInput *in, int n, bool submit, Errors *e)
{
    Arena a = ARENA_INIT;
    AssessPeriod p;
    assess_period_get(db, &a, nendo, &p);
    if (!assess_period_open(&p, today)) err_add(e, "", "評価期間外のため保存できません。期間はDX推進担当が設定します。");
    int missing = 0;
    for (int i = 0; i < n; i++) {
        if (in[i].level < -1 || in[i].level > SKILL_MAX_LEVEL) err_add(e, "", "レベルは0〜4から選んでください。");
        if (in[i].level < 0) missing++;
        if ((in[i].comment && utf8_chars(in[i].comment) > 400) || (in[i].evidence && utf8_chars(in[i].evidence) > 400))
        {
            char f[32];
            snprintf(f, sizeof f, "c%lld", (long long)in[i].item_id);
            err_addf(e, f, "コメントと根拠はそれぞれ400文字以内で入力してください。");
        }
    }
    if (submit && missing) err_addf(e, "", "未選択の項目が%d件あります。すべての項目のレベルを選んでから提出してください。", missing);
    if (err_any(e)) {
        arena_free(&a);
        return -1;
    }
    if (db_begin(db) != 0) {
        arena_free(&a);
        err_add(e, "", "データベースが混み合っています。");
        return -1;
    }
    char now[32];
    now_iso(now);
    /* The person's row guards the creation of their assessment, its row
     * its state (db_lock_row); both before anything is read. */
    int64_t id = db_lock_row(db, "staff", staff_id) == 0 ? assess_id_of(db, staff_id, nendo) : -1;
    if (id > 0 && db_lock_row(db, "assessment", id) != 0) id = -1;
    if (id < 0) {
        arena_free(&a);
        return tx_end(db, e, false);
    }
    AssessState st0 = assess_state_parse(state_now(db, &a, id));
    bool ok = true;
    if (st0 == AS_SUBMITTED || st0 == AS_CONFIRMED) {
        err_add(e, "", st0 == AS_SUBMITTED ? "提出済みのため変更できません。差戻しを受けると再び編集できます。" : "確認済みのため変更できません。");
        ok = false;
    }
    if (ok && !id) {
        Stmt *st = db_query(db, "INSERT INTO assessment (staff_id, nendo, state, updated_at) VALUES (?, ?, 'draft', ?) RETURNING id", staff_id, nendo, now);
        ok = db_step(st) == DB_ROW;
        if (ok) id = db_col_int(st, 0);
        db_done(st);
    }
    for (int i = 0; i < n && ok; i++) {
        if (skill_item_index(m, in[i].item_id) < 0) continue;
        Stmt *st = db_query(db,
                            "INSERT INTO assessment_item (assessment_id, item_id, self_level, self_comment, evidence)"
                            " VALUES (?, ?, NULLIF(?, -1), ?, ?)"
                            " ON CONFLICT (assessment_id, item_id) DO UPDATE SET self_level = excluded.self_level,"
                            " self_comment = excluded.self_comment, evidence = excluded.evidence",
                            id, in[i].item_id, in[i].level, in[i].comment ? in[i].comment : "", in[i].evidence ? in[i].evidence : "");
        ok = db_step(st) == DB_DONE;
        db_done(st);
    }
    if (ok && submit) {
        /* The basis of today, for the first submission and after a 差戻し
         * alike; every item it names must have an answer. */
        char on[11];
        assess_nendo_clamp(nendo, today, on);
        ok = take_basis(db, &a, m, id, staff_id, on);
        int unanswered = ok ? (int)db_int(db, 0, "SELECT COUNT(*) FROM assessment_item WHERE assessment_id = ? AND target IS NOT NULL"
                                                 " AND self_level IS NULL", id) : 0;
        if (unanswered) {
            err_addf(e, "", "未選択の項目が%d件あります。評価項目が変わったため、画面を読み込み直してから提出してください。", unanswered);
            ok = false;
        }
    }
    const char *state = submit ? "submitted" : "draft";
    ok = ok &&
         db_exec(db, "UPDATE assessment SET state = ?, updated_at = ?, submitted_at = CASE WHEN ? = 1 THEN ? ELSE submitted_at END WHERE id = ?",
                 state, now, submit ? 1 : 0, now, id) == 1 &&
         audit_write(db, who, submit ? "assess.submit" : "assess.save", "assessment", id, staff_id,
                     arena_printf(&a, "%d年度 自己評価 %d項目%s", nendo, n, submit ? "（提出）" : "（下書き）")) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int assess_confirm(Db *db, const Actor *who, int64_t assessment_id, const SupInput *in, int n, Errors *e)
{
    Arena a = ARENA_INIT;
    for (int i = 0; i < n; i++) {
        if (in[i].level < -1 || in[i].level > SKILL_MAX_LEVEL) err_add(e, "", "レベルは0〜4から選んでください。");
        if (in[i].reason && utf8_chars(in[i].reason) > 400) err_add(e, "", "理由は400文字以内で入力してください。");
    }
    if (err_any(e)) {
        arena_free(&a);
        return -1;
    }
    if (tx_begin(db, e) != 0) return -1;
    if (db_lock_row(db, "assessment", assessment_id) != 0) {
        arena_free(&a);
        return tx_end(db, e, false);
    }
    int nendo = 0;
    int64_t staff_id = assess_staff_of(db, assessment_id, &nendo);
    if (!staff_id) err_add(e, "", "評価が見つかりません。");
    else if (assess_state_parse(state_now(db, &a, assessment_id)) != AS_SUBMITTED) err_add(e, "", "提出済みの評価だけを確認できます。");
    bool ok = !err_any(e) && basis_if_missing(db, &a, assessment_id, staff_id, nendo);
    int adjusted = 0;
    for (int i = 0; i < n && ok; i++) {
        Stmt *st = db_query(db, "SELECT self_level FROM assessment_item WHERE assessment_id = ? AND item_id = ?", assessment_id,
                            in[i].item_id);
        bool found = db_step(st) == DB_ROW;
        int self = found && !db_col_null(st, 0) ? (int)db_col_int(st, 0) : -1;
        db_done(st);
        if (!found) continue;
        int level = in[i].level >= 0 ? in[i].level : self;
        if (level != self) {
            adjusted++;
            if (str_empty(in[i].reason)) {
                char f[32];
                snprintf(f, sizeof f, "r%lld", (long long)in[i].item_id);
                err_addf(e, f, "本人の評価と異なるレベルにする場合は、理由を入力してください。");
                continue;
            }
        }
        ok = db_exec(db, "UPDATE assessment_item SET sup_level = ?, sup_reason = ? WHERE assessment_id = ? AND item_id = ?", level,
                     level != self && in[i].reason ? in[i].reason : "", assessment_id, in[i].item_id) == 1;
    }
    char now[32];
    now_iso(now);
    ok = ok && !err_any(e) &&
         db_exec(db, "UPDATE assessment_item SET sup_level = self_level WHERE assessment_id = ? AND sup_level IS NULL", assessment_id) >= 0 &&
         db_exec(db, "UPDATE assessment SET state = 'confirmed', confirmed_at = ?, confirmed_by = ?, updated_at = ? WHERE id = ?", now,
                 DB_ID_OR_NULL(who->account_id), now, assessment_id) == 1 &&
         audit_write(db, who, "assess.confirm", "assessment", assessment_id, staff_id,
                     arena_printf(&a, "%d年度 上司確認（調整%d項目）", nendo, adjusted)) == 0 &&
         notice_event(db, NK_ASSESS_CONFIRMED, assessment_id) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}

int assess_confirm_many(Db *db, const Actor *who, const int64_t *ids, int n, Errors *e)
{
    if (n == 0) {
        err_add(e, "", "確認する評価を選んでください。");
        return -1;
    }
    if (tx_begin(db, e) != 0) return -1;
    Arena a = ARENA_INIT;
    char now[32];
    now_iso(now);
    /* All the rows first, in id order (db.h): two bulk confirmations that
     * share assessments cannot deadlock. Each is locked again below, which
     * does not wait. */
    bool ok = db_lock_rows(db, "assessment", ids, n) == 0;
    for (int i = 0; i < n && ok; i++) {
        int nendo = 0;
        int64_t staff_id = db_lock_row(db, "assessment", ids[i]) == 0 ? assess_staff_of(db, ids[i], &nendo) : 0;
        if (!staff_id || assess_state_parse(state_now(db, &a, ids[i])) != AS_SUBMITTED) {
            err_add(e, "", "提出済みでない評価が含まれています。画面を読み込み直してください。");
            ok = false;
            break;
        }
        ok = basis_if_missing(db, &a, ids[i], staff_id, nendo) &&
             db_exec(db, "UPDATE assessment_item SET sup_level = self_level WHERE assessment_id = ?", ids[i]) >= 0 &&
             db_exec(db, "UPDATE assessment SET state = 'confirmed', confirmed_at = ?, confirmed_by = ?, updated_at = ? WHERE id = ?", now, DB_ID_OR_NULL(who->account_id), now, ids[i]) == 1 &&
             audit_write(db, who, "assess.confirm", "assessment", ids[i], staff_id, arena_printf(&a, "%d年度 上司確認（一括）", nendo)) == 0 &&
             notice_event(db, NK_ASSESS_CONFIRMED, ids[i]) == 0;
    }
    arena_free(&a);
    return tx_end(db, e, ok);
}

int assess_return(Db *db, const Actor *who, int64_t assessment_id, const char *message, Errors *e)
{
    if (str_empty(message)) err_add(e, "message", "差戻しの理由を入力してください。");
    else if (utf8_chars(message) > 400) err_add(e, "message", "差戻しの理由は400文字以内で入力してください。");
    if (err_any(e)) return -1;
    if (tx_begin(db, e) != 0) return -1;
    if (db_lock_row(db, "assessment", assessment_id) != 0) return tx_end(db, e, false);
    Arena a = ARENA_INIT;
    int nendo = 0;
    int64_t staff_id = assess_staff_of(db, assessment_id, &nendo);
    if (!staff_id || assess_state_parse(state_now(db, &a, assessment_id)) != AS_SUBMITTED)
        err_add(e, "", "提出済みの評価だけを差し戻せます。");
    char now[32];
    now_iso(now);
    bool ok = !err_any(e) &&
              db_exec(db, "UPDATE assessment SET state = 'returned', return_message = ?, updated_at = ? WHERE id = ?", message, now,
                      assessment_id) == 1 &&
              audit_write(db, who, "assess.return", "assessment", assessment_id, staff_id, arena_printf(&a, "%d年度 差戻し：%s", nendo, message)) == 0 &&
              notice_event(db, NK_ASSESS_RETURNED, assessment_id) == 0;
    arena_free(&a);
    return tx_end(db, e, ok);
}
/* A progress row's columns 0..7: staff, assessment, unit, 職員番号, name,
 * unit name, submitted at, state. */
static void read_progress(Stmt *st, Arena *a, ProgressRow *r)
{
    r->staff_id = db_col_int(st, 0);
    r->assessment_id = db_col_int(st, 1);
    r->unit_id = db_col_int(st, 2);
    r->staff_no = db_col_dup(st, 3, a);
    r->name = db_col_dup(st, 4, a);
    r->unit_name = db_col_dup(st, 5, a);
    r->submitted_at = db_col_dup(st, 6, a);
    r->state = assess_state_parse(db_col_text(st, 7));
}


/* ---- progress ---- */

int assess_progress(Db *db, Arena *a, int nendo, const char *as_of, int64_t unit_id, int64_t scope, const char *today, ProgressRow **out)
{
    static const char *sql =
        "SELECT s.id, x.id, a.unit_id, s.staff_no, s.name, CASE WHEN u.level = 4 THEN pu.name || ' ' || u.name ELSE u.name END,"
        " x.submitted_at, COALESCE(x.state, 'none'), CASE WHEN " ASOF_VISIBLE("s.id") " THEN 1 ELSE 0 END"
        " FROM staff s JOIN " ASOF_PRIMARY("a", "s.id")
        " JOIN org_unit u ON u.id = a.unit_id LEFT JOIN org_unit pu ON pu.id = u.parent_id"
        " LEFT JOIN assessment x ON x.staff_id = s.id AND x.nendo = ?"
        " WHERE (? = 0 OR a.unit_id IN (" ASOF_SUBTREE "))"
        " ORDER BY u.code, s.staff_no";
    ProgressRow *rows = NULL;
    int cap = 0;
    Stmt *st = db_query(db, sql, scope, today, today, scope, as_of, as_of, nendo, unit_id, unit_id);
    int n = 0;
    while (db_step(st) == DB_ROW) {
        ARENA_GROW(a, rows, n, cap);
        ProgressRow *r = &rows[n++];
        read_progress(st, a, r);
        r->visible = db_col_int(st, 8) != 0;
    }
    db_done(st);
    *out = rows;
    return n;
}

/* The review list walks the units in code order (org_unit's (code,
 * valid_from) index, then assignment_unit), so a page reads its offset +
 * limit rows and sorts only one unit's people by 職員番号; the count is a
 * separate COUNT(*) that sorts nothing (a window count beside the rows made
 * every page read and sort everyone). A chosen unit starts from its subtree.
 * The state test is strict on x (not COALESCE(x.state, 'none')), so that
 * PostgreSQL, given the state, makes the assessment join an inner one and
 * estimates it from the state's statistics: with COALESCE it expected 150 of
 * 9,371 rows at 30,000 staff and read and sorted all of them. */
#define REVIEW_JOINS \
    " JOIN staff s ON s.id = a.staff_id LEFT JOIN org_unit pu ON pu.id = u.parent_id LEFT JOIN assessment x ON x.staff_id = s.id AND x.nendo = ?"
#define REVIEW_WHERE \
    " AND " ASOF_VISIBLE("s.id") " AND s.id <> ? AND (? = 'all' OR x.state = ? OR (? = 'none' AND x.id IS NULL))"
/* Without a unit the join order is fixed (CROSS JOIN: SQLite keeps it as
 * written, PostgreSQL treats it as a plain join); the planner cannot see that
 * the page stops early and would read and sort everyone. */
#define REVIEW_ALL                                                                                                   \
    " FROM org_unit u CROSS JOIN assignment a" REVIEW_JOINS " WHERE a.unit_id = u.id AND a.is_primary = 1 AND "     \
    ASOF_IN_FORCE("a") " AND ? = 0" REVIEW_WHERE
#define REVIEW_UNIT                                                                                                  \
    " FROM org_unit u JOIN assignment a ON a.unit_id = u.id AND a.is_primary = 1 AND " ASOF_IN_FORCE("a") REVIEW_JOINS \
    " WHERE a.unit_id IN (" ASOF_SUBTREE ")" REVIEW_WHERE

int assess_review_page(Db *db, Arena *a, int nendo, const char *as_of, int64_t unit_id, int64_t scope, const char *today,
                       int64_t self_id, const char *state, int limit, int offset, ListPage *kp, ProgressRow **out, int *total)
{
    /* The count is kept by data version (listcount.h): every value it binds is in the key. */
    const char *key = arena_printf(a, "review|%d|%s|%lld|%lld|%s|%lld|%s", nendo, as_of, (long long)unit_id, (long long)scope, today,
                                   (long long)self_id, state);
    int64_t version = list_count_version(db);
    *total = list_count_get(version, key);
    if (*total < 0) {
        if (!unit_id && !scope && !str_eq(state, "all") && !str_eq(state, "none")) /* the whole list in one state: from that state's rows */
            *total = (int)db_int(db, 0,
                                 "SELECT COUNT(*) FROM assessment x JOIN " ASOF_PRIMARY("a", "x.staff_id")
                                 " WHERE x.nendo = ? AND x.state = ? AND x.staff_id <> ?",
                                 as_of, as_of, nendo, state, self_id);
        else *total = (int)(unit_id ? db_int(db, 0, "SELECT COUNT(*)" REVIEW_UNIT, as_of, as_of, nendo, unit_id, scope, today, today, scope,
                                        self_id, state, state, state)
                               : db_int(db, 0, "SELECT COUNT(*)" REVIEW_ALL, nendo, as_of, as_of, unit_id, scope, today, today, scope,
                                        self_id, state, state, state));
        list_count_put(version, key, *total);
    }
#define REVIEW_COLS                                                                                                        \
    "SELECT s.id, x.id, a.unit_id, s.staff_no, s.name, CASE WHEN u.level = 4 THEN pu.name || ' ' || u.name ELSE u.name END," \
    " x.submitted_at, COALESCE(x.state, 'none'), u.code"
    /* By offset, or keyset (listcount.h): from a place in the order on, or backwards from it. */
#define REVIEW_AFTER " AND u.code >= ? AND (u.code > ? OR s.staff_no > ?) ORDER BY u.code, s.staff_no LIMIT ? OFFSET ?"
#define REVIEW_BEFORE " AND u.code <= ? AND (u.code < ? OR s.staff_no < ?) ORDER BY u.code DESC, s.staff_no DESC LIMIT ? OFFSET ?"
    static const char *sql_unit = REVIEW_COLS REVIEW_UNIT " ORDER BY u.code, s.staff_no LIMIT ? OFFSET ?";
    static const char *sql_all = REVIEW_COLS REVIEW_ALL " ORDER BY u.code, s.staff_no LIMIT ? OFFSET ?";
    static const char *sql_unit_after = REVIEW_COLS REVIEW_UNIT REVIEW_AFTER, *sql_all_after = REVIEW_COLS REVIEW_ALL REVIEW_AFTER;
    static const char *sql_unit_before = REVIEW_COLS REVIEW_UNIT REVIEW_BEFORE, *sql_all_before = REVIEW_COLS REVIEW_ALL REVIEW_BEFORE;
    bool after = kp && kp->after.code, before = kp && !after && kp->before.code;
    const ListKey *at = after ? &kp->after : &kp->before;
    ProgressRow *rows = NULL;
    int n = 0, cap = 0;
    Stmt *st;
    if (after || before) /* the key's place, offset 0 */
        st = unit_id ? db_query(db, after ? sql_unit_after : sql_unit_before, as_of, as_of, nendo, unit_id, scope, today, today, scope, self_id,
                                state, state, state, at->code, at->code, at->no, limit, 0)
                     : db_query(db, after ? sql_all_after : sql_all_before, nendo, as_of, as_of, unit_id, scope, today, today, scope, self_id,
                                state, state, state, at->code, at->code, at->no, limit, 0);
    else
        st = unit_id ? db_query(db, sql_unit, as_of, as_of, nendo, unit_id, scope, today, today, scope, self_id, state, state, state, limit, offset)
                     : db_query(db, sql_all, nendo, as_of, as_of, unit_id, scope, today, today, scope, self_id, state, state, state, limit, offset);
    ListKey *keys = NULL;
    int kcap = 0;
    while (db_step(st) == DB_ROW) {
        ARENA_GROW(a, rows, n, cap);
        if (kp) {
            ARENA_GROW(a, keys, n, kcap);
            keys[n] = (ListKey){db_col_dup(st, 8, a), db_col_dup(st, 3, a)};
        }
        ProgressRow *r = &rows[n++];
        read_progress(st, a, r);
        r->visible = true;
    }
    db_done(st);
    if (before && n > 1) { /* read backwards: turn round */
        array_reverse(rows, (size_t)n, sizeof *rows);
        if (kp) array_reverse(keys, (size_t)n, sizeof *keys);
    }
    if (kp) {
        kp->first = n ? keys[0] : (ListKey){0};
        kp->last = n ? keys[n - 1] : (ListKey){0};
    }
    *out = rows;
    return n;
}
