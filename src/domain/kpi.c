/* kpi.c - KPIs, the expert plan and its pipeline; see kpi.h. Staffing
 * rules are in staffing.c, the 重要システム register in keysys.c. */
#include "kpi.h"

#include <stdlib.h>
#include <string.h>

#include "../db/dataver.h"
#include "../core/flight.h"
#include "../core/util.h"
#include "../io/table.h"
#include "../io/text.h"
#include "asof.h"
#include "cases.h"
#include "staffing.h"
#include "course.h"
#include "extern.h"
#include "gap.h"
#include "kpi_summary.h"
#include "skill.h"
#include "staff.h"
#include "../db/tx.h"

#define STAFF_COUNTED (EMP_REGULAR | EMP_REAPPOINTED | EMP_FIXED)

/* Targets used until the city sets its own (DOMAIN.md §5). */
static double default_target(const char *code)
{
    static const char *const full[] = {"LEADER_RATE", "SEC_TRAINING", "SELF_ASSESS", "CONFIRM"};
    for (size_t i = 0; i < COUNTOF(full); i++)
        if (str_eq(code, full[i])) return 100;
    return -1;
}

const char *kpi_default_as_of(Arena *a, int nendo)
{
    char *iso = arena_alloc(a, 11);
    asof_nendo_date(nendo, iso);
    return iso;
}

static unsigned emp_bit(const char *code)
{
    for (size_t i = 0; i < COUNTOF(emp_types); i++)
        if (str_eq(code, emp_types[i].code)) return 1u << i;
    return 0;
}

/* Everyone on the payroll on a date, with what each KPI needs to know. */
typedef struct Pop {
    int64_t id, unit_id;
    const char *staff_no, *name, *unit_name;
    unsigned emp;
    int tier; /* lowest held, 3 when none */
    bool leader, expert, sec, trained, assessed, confirmed, qual, shared;
    int minutes, met, items; /* skill items met / assessed */
} Pop;

typedef struct Population {
    Pop *p;
    int n;
} Population;

static int cmp_pop(const void *x, const void *y)
{
    int64_t a = ((const Pop *)x)->id, b = ((const Pop *)y)->id;
    return (a > b) - (a < b);
}

static Pop *find(Population *pop, int64_t id)
{
    Pop key = {.id = id};
    return bsearch(&key, pop->p, (size_t)pop->n, sizeof *pop->p, cmp_pop);
}

/* with_skills: also read the 年度's assessments against targets (the costly
 * part), needed only by the skill-attainment KPIs; from g when given (the
 * whole organisation's gap matrix of the 年度 at as_of), else built here. */
static void load_population(Db *db, Arena *a, int nendo, const char *as_of, bool with_skills, const GapMatrix *given, Population *pop)
{
    const char *end = arena_printf(a, "%sT99", as_of);
    Date first, last;
    nendo_range(nendo, &first, &last);
    char f[11];
    date_iso(first, f);
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff");
    pop->p = arena_zalloc(a, sizeof *pop->p * (size_t)(cap + 1));
    pop->n = 0;
    Stmt *st = db_query(db,
                        "SELECT s.id, a.unit_id, s.staff_no, s.name, CASE WHEN u.level = 4 THEN pu.name || ' ' || u.name ELSE u.name END,"
                        " s.emp_type FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " JOIN org_unit u ON u.id = a.unit_id"
                        " LEFT JOIN org_unit pu ON pu.id = u.parent_id ORDER BY s.id",
                        as_of, as_of);
    while (pop->n < cap && db_step(st) == DB_ROW) {
        Pop *x = &pop->p[pop->n];
        x->id = db_col_int(st, 0);
        if (pop->n && pop->p[pop->n - 1].id == x->id) continue; /* two primary rows on one day: keep one */
        x->unit_id = db_col_int(st, 1);
        x->staff_no = db_col_dup(st, 2, a);
        x->name = db_col_dup(st, 3, a);
        x->unit_name = db_col_dup(st, 4, a);
        x->emp = emp_bit(db_col_text(st, 5));
        x->tier = 3;
        pop->n++;
    }
    db_done(st);

    st = db_query(db, "SELECT d.staff_id, d.tier FROM tier_designation d WHERE " ASOF_DESIGNATED("d"), nendo, as_of, as_of);
    while (db_step(st) == DB_ROW) {
        Pop *x = find(pop, db_col_int(st, 0));
        int tier = (int)db_col_int(st, 1);
        if (!x) continue;
        if (tier < x->tier) x->tier = tier;
        if (tier == 1) x->expert = true;
        if (tier == 2) x->leader = true;
    }
    db_done(st);

    st = db_query(db,
                  "SELECT k.staff_id, c.security, k.completed, k.attended, " COMPLETION_MINUTES_SQL("k", "c") " FROM completion k JOIN training_session t ON t.id = k.session_id"
                  " JOIN course c ON c.id = t.course_id WHERE t.nendo = ? AND t.starts_at <= ? AND k.recorded_at <= ?",
                  nendo, end, end);
    while (db_step(st) == DB_ROW) {
        Pop *x = find(pop, db_col_int(st, 0));
        if (!x) continue;
        bool completed = db_col_int(st, 2) != 0;
        if (completed && db_col_int(st, 1)) x->sec = true;
        if (completed) x->trained = true;
        x->minutes += (int)db_col_int(st, 4);
    }
    db_done(st);

    st = db_query(db, "SELECT staff_id, submitted_at, confirmed_at FROM assessment WHERE nendo = ?", nendo);
    while (db_step(st) == DB_ROW) {
        Pop *x = find(pop, db_col_int(st, 0));
        if (!x) continue;
        x->assessed = !db_col_null(st, 1) && strcmp(db_col_text(st, 1), end) <= 0;
        x->confirmed = !db_col_null(st, 2) && strcmp(db_col_text(st, 2), end) <= 0;
    }
    db_done(st);

    st = db_query(db, "SELECT DISTINCT staff_id FROM staff_qualification WHERE acquired_on <= ? AND (expires_on IS NULL OR expires_on >= ?)", as_of, as_of);
    while (db_step(st) == DB_ROW) {
        Pop *x = find(pop, db_col_int(st, 0));
        if (x) x->qual = true;
    }
    db_done(st);

    st = db_query(db, "SELECT DISTINCT staff_id FROM share_back WHERE held_on >= ? AND held_on <= ?", f, as_of);
    while (db_step(st) == DB_ROW) {
        Pop *x = find(pop, db_col_int(st, 0));
        if (x) x->shared = true;
    }
    db_done(st);

    if (!with_skills) return;
    GapMatrix own;
    const GapMatrix *g = given;
    if (!g) {
        SkillMap *m = arena_zalloc(a, sizeof *m);
        skill_map_load(db, a, nendo, false, m);
        GapFilter gf = {0};
        gap_matrix(db, a, m, nendo, as_of, &gf, &own);
        g = &own;
    }
    for (int p = 0; p < g->npeople; p++) {
        Pop *x = find(pop, g->people[p].staff_id);
        if (!x) continue;
        GapRate r = gap_person_rate(g, p);
        x->met = r.met;
        x->items = r.assessed;
    }
}

/* Leader coverage: units needing a 総括リーダー and how many of them hold one. */
static void leader_units(Db *db, Arena *a, int nendo, const char *as_of, int *with, int *all);

typedef struct Tally {
    int num, den;
} Tally;

/* Which rule a KPI applies to each person, resolved once per KPI. */
typedef enum { R_NONE, R_EXPERT, R_SEC, R_TRAIN_TIER, R_MINUTES, R_SKILL_TIER, R_SELF, R_CONFIRM, R_QUAL, R_SHARE } RuleKind;

static RuleKind rule_kind(const KpiDef *d, int *tier)
{
    *tier = 0;
    if (!d) return R_NONE;
    const char *code = d->code;
    if (str_eq(code, "EXPERT_COUNT")) return R_EXPERT;
    if (str_eq(code, "SEC_TRAINING")) return R_SEC;
    if (!strncmp(code, "TRAIN_RATE_T", 12)) return *tier = code[12] - '0', R_TRAIN_TIER;
    if (str_eq(code, "TRAINEES") || str_eq(code, "TRAIN_HOURS")) return R_MINUTES;
    if (!strncmp(code, "SKILL_ATTAIN_T", 14)) return *tier = code[14] - '0', R_SKILL_TIER;
    if (str_eq(code, "SELF_ASSESS")) return R_SELF;
    if (str_eq(code, "CONFIRM")) return R_CONFIRM;
    if (str_eq(code, "QUAL_HOLDERS")) return R_QUAL;
    if (str_eq(code, "SHAREBACK")) return R_SHARE;
    return R_NONE;
}

/* Applies one KPI's rule to one person: *counted and *met. */
static void apply_rule(const KpiDef *d, RuleKind k, int tier, const Pop *x, bool *counted, bool *met)
{
    *counted = *met = false;
    if (!d || !(x->emp & d->emp)) return;
    switch (k) {
    case R_EXPERT: *counted = true, *met = x->expert; break;
    case R_SEC: *counted = true, *met = x->sec; break;
    case R_TRAIN_TIER: *counted = x->tier == tier, *met = x->trained; break;
    case R_MINUTES: *counted = true, *met = x->minutes > 0; break;
    case R_SKILL_TIER: *counted = x->tier == tier && x->items > 0, *met = x->met == x->items; break;
    case R_SELF: *counted = true, *met = x->assessed; break;
    case R_CONFIRM: *counted = true, *met = x->confirmed; break;
    case R_QUAL: *counted = true, *met = x->qual; break;
    case R_SHARE: *counted = x->leader, *met = x->shared; break;
    case R_NONE: break;
    }
}

static void person_rule_of(const KpiDef *d, const Pop *x, bool *counted, bool *met)
{
    int tier;
    RuleKind k = rule_kind(d, &tier);
    apply_rule(d, k, tier, x, counted, met);
}

static void person_rule(const char *code, const Pop *x, bool *counted, bool *met) { person_rule_of(kpi_def(code), x, counted, met); }

/* The KPIs of the case library and of external talent: counts of records
 * of the 年度, read up to as_of where a record has a day (views, sessions). */
static void records_kpi(Db *db, Arena *a, const KpiDef *d, int nendo, const char *as_of, KpiValue *v)
{
    if (!strncmp(d->code, "EXT_", 4)) {
        ExternKpi k;
        if (extern_kpi_year(db, nendo, as_of, &k) != 0) return;
        v->actual = str_eq(d->code, "EXT_ENGAGEMENTS") ? k.engagements : str_eq(d->code, "EXT_HOURS") ? k.hours_actual : k.sessions;
        v->num = (int)v->actual;
    } else if (str_eq(d->code, "CASES_PUBLISHED")) {
        v->actual = v->num = case_published_count(db, nendo);
    } else if (str_eq(d->code, "CASES_PER_UNIT")) {
        CaseUnitCount *per;
        int n = case_per_unit(db, a, nendo, &per), with;
        for (int i = 0; i < n; i++) v->num += per[i].cases;
        leader_units(db, a, nendo, as_of, &with, &v->den);
        v->actual = v->den ? (double)v->num / v->den : -1;
    } else if (str_eq(d->code, "CASE_VIEWS")) {
        Date d0, d1;
        char first[11];
        nendo_range(nendo, &d0, &d1);
        date_iso(d0, first);
        v->actual = (double)case_view_total(db, first, as_of);
        v->num = (int)v->actual;
    }
}

static void compute_one(Db *db, Arena *a, const KpiDef *d, Population *pop, int nendo, const char *as_of, KpiValue *v)
{
    v->def = d;
    v->actual = -1;
    v->num = v->den = 0;
    if (str_eq(d->code, "LEADER_RATE")) {
        leader_units(db, a, nendo, as_of, &v->num, &v->den);
        v->actual = v->den ? 100.0 * v->num / v->den : -1;
        return;
    }
    if (d->records) {
        records_kpi(db, a, d, nendo, as_of, v);
        return;
    }
    int met = 0, counted = 0, minutes = 0, items = 0, items_met = 0, tier;
    RuleKind kind = rule_kind(d, &tier);
    for (int i = 0; i < pop->n; i++) {
        bool c, m;
        apply_rule(d, kind, tier, &pop->p[i], &c, &m);
        if (!c) continue;
        counted++;
        met += m;
        minutes += pop->p[i].minutes;
        items += pop->p[i].items;
        items_met += pop->p[i].met;
    }
    if (str_eq(d->unit, "%")) {
        if (!strncmp(d->code, "SKILL_ATTAIN", 12)) v->num = items_met, v->den = items;
        else v->num = met, v->den = counted;
        v->actual = v->den ? 100.0 * v->num / v->den : -1;
    } else if (str_eq(d->code, "TRAIN_HOURS")) {
        v->actual = minutes / 60.0;
    } else {
        v->actual = met;
        v->num = met;
    }
}

static void load_targets(Db *db, Arena *a, int nendo, KpiValue *v)
{
    for (int i = 0; i < kpi_count; i++) {
        v[i].target = default_target(kpi_defs[i].code);
        v[i].comment = "";
    }
    Stmt *st = db_query(db, "SELECT code, target, comment FROM kpi_target WHERE nendo = ?", nendo);
    while (db_step(st) == DB_ROW)
        for (int i = 0; i < kpi_count; i++)
            if (str_eq(kpi_defs[i].code, db_col_text(st, 0))) {
                v[i].target = db_col_null(st, 1) ? -1 : db_col_double(st, 1);
                v[i].comment = db_col_dup(st, 2, a);
            }
    db_done(st);
}

static bool uses_training(const char *code)
{
    return !strncmp(code, "TRAIN", 5) || str_eq(code, "SEC_TRAINING") || str_eq(code, "SHAREBACK");
}

/* A KPI that may be stored: all but the case views, which a reader's visit
 * records without changing the data version (one audit row per day). */
static bool storable(const KpiDef *d) { return !str_eq(d->code, "CASE_VIEWS"); }

static int pipeline_of(const GapMatrix *g, Arena *a, PipelinePerson **out);
static void year_build(Db *db, Arena *a, int nendo, const char *as_of, bool with_pipeline, int64_t version, KpiValue *v);

/* The values stored at version into v: true when all were found. */
static bool year_read(Db *db, Arena *a, int nendo, const char *as_of, int64_t version, KpiValue *v)
{
    KpiSummaryRow *rows;
    int n = kpi_cache_on() ? kpi_summary_read(db, a, nendo, as_of, version, &rows) : -1;
    int found = 0;
    for (int i = 0; i < kpi_count; i++) {
        v[i].def = &kpi_defs[i];
        v[i].actual = -1;
        v[i].num = v[i].den = 0;
        for (int k = 0; k < n; k++)
            if (storable(&kpi_defs[i]) && str_eq(rows[k].code, kpi_defs[i].code)) {
                v[i].actual = rows[k].actual, v[i].num = rows[k].num, v[i].den = rows[k].den;
                found++;
                break;
            }
    }
    int want = 0;
    for (int i = 0; i < kpi_count; i++) want += storable(&kpi_defs[i]);
    if (found != want) return false;
    for (int i = 0; i < kpi_count; i++)
        if (!storable(&kpi_defs[i])) records_kpi(db, a, &kpi_defs[i], nendo, as_of, &v[i]);
    return true;
}

/* Every KPI's actual/num/den of one 年度 read at as_of: from the summary when
 * it was stored at the current data version, else computed and stored.
 * with_pipeline: when computing, also store the expert pipeline from the
 * same gap matrix (the costly part of both), which the caller reads next. */
static void year_values(Db *db, Arena *a, int nendo, const char *as_of, bool with_pipeline, KpiValue *v)
{
    int64_t version = kpi_cache_on() ? data_version_of(db, DV_READS_KPI) : 0;
    if (year_read(db, a, nendo, as_of, version, v)) return;
    /* One rebuild at a time: others wait for it and read what it stored
     * (inside a transaction nothing is stored, so nobody waits there). */
    const char *key = arena_printf(a, "kpi/%d/%s/%d/%lld", nendo, as_of ? as_of : "", with_pipeline, (long long)version);
    bool in_tx = !kpi_cache_on() || db_in_tx(db), lead = in_tx || flight_begin(key);
    if (!lead && year_read(db, a, nendo, as_of, version, v)) return;
    year_build(db, a, nendo, as_of, with_pipeline, version, v);
    if (lead && !in_tx) flight_end(key);
}

static void year_build(Db *db, Arena *a, int nendo, const char *as_of, bool with_pipeline, int64_t version, KpiValue *v)
{
    SkillMap m;
    skill_map_load(db, a, nendo, false, &m);
    GapMatrix g;
    GapFilter gf = {0};
    gap_matrix(db, a, &m, nendo, as_of, &gf, &g);
    Population pop;
    load_population(db, a, nendo, as_of, true, &g, &pop);
    for (int i = 0; i < kpi_count; i++) compute_one(db, a, &kpi_defs[i], &pop, nendo, as_of, &v[i]);
    if (!kpi_cache_on()) return;
    if (with_pipeline && kpi_pipeline_read(db, a, nendo, as_of, version, &(PipelinePerson *){NULL}) < 0) {
        PipelinePerson *pp;
        int np = pipeline_of(&g, a, &pp);
        kpi_pipeline_store(db, nendo, as_of, version, pp, np);
    }
    KpiSummaryRow *store = arena_zalloc(a, sizeof *store * (size_t)kpi_count);
    int ns = 0;
    for (int i = 0; i < kpi_count; i++)
        if (storable(&kpi_defs[i])) store[ns++] = (KpiSummaryRow){kpi_defs[i].code, v[i].actual, v[i].num, v[i].den};
    kpi_summary_store(db, nendo, as_of, version, store, ns);
}

static void expert_plan(Db *db, Arena *a, int nendo, const char *as_of, const KpiValue *year, ExpertPlan *p);

void kpi_compute(Db *db, Arena *a, int nendo, const char *as_of, KpiValue **out)
{
    if (!as_of) as_of = kpi_default_as_of(a, nendo);
    KpiValue *v = arena_zalloc(a, sizeof *v * (size_t)kpi_count);
    KpiValue *prev = arena_zalloc(a, sizeof *prev * (size_t)kpi_count);
    year_values(db, a, nendo, as_of, true, v);
    year_values(db, a, nendo - 1, kpi_default_as_of(a, nendo - 1), false, prev);
    load_targets(db, a, nendo, v);
    bool prev_training = db_exists(db, "SELECT 1 FROM training_session WHERE nendo = ?", nendo - 1);
    for (int i = 0; i < kpi_count; i++) {
        v[i].previous = prev[i].actual;
        /* A year with no training recorded at all has no training KPIs, not zeros. */
        if (!prev_training && uses_training(kpi_defs[i].code)) v[i].previous = -1;
    }
    /* The expert target follows the plan unless the city set its own. */
    for (int i = 0; i < kpi_count; i++)
        if (str_eq(kpi_defs[i].code, "EXPERT_COUNT") && v[i].target < 0) {
            ExpertPlan ep;
            expert_plan(db, a, nendo, as_of, v, &ep);
            v[i].target = ep.target;
        }
    *out = v;
}

void kpi_table(Arena *a, const KpiValue *v, Table *t)
{
    static const char *const head[] = {"code", "name", "target", "actual", "unit", NULL};
    table_init(t, a, "KPI", head);
    for (int i = 0; i < kpi_count; i++) {
        table_text(t, v[i].def->code);
        table_text(t, v[i].def->name);
        if (v[i].target >= 0) table_num(t, v[i].target);
        else table_text(t, "");
        if (v[i].actual >= 0) table_num(t, v[i].actual);
        else table_text(t, "");
        table_text(t, v[i].def->unit);
    }
}

int kpi_people(Db *db, Arena *a, const char *code, int nendo, const char *as_of, KpiPerson **out)
{
    if (!as_of) as_of = kpi_default_as_of(a, nendo);
    if (str_eq(code, "LEADER_RATE")) {
        /* A unit-level KPI: one row per unit that needs a leader. */
        StaffingRow *rows;
        int n = staffing_coverage(db, a, nendo, as_of, &rows), k = 0;
        KpiPerson *ps = arena_zalloc(a, sizeof *ps * (size_t)(n + 1));
        for (int i = 0; i < n; i++)
            if (str_eq(rows[i].rule, "leader"))
                ps[k++] = (KpiPerson){0, rows[i].unit_id, "", "", rows[i].unit_name, arena_printf(a, "総括リーダー %d人", rows[i].have),
                                      rows[i].have > 0};
        *out = ps;
        return k;
    }
    Population pop;
    load_population(db, a, nendo, as_of, !strncmp(code, "SKILL_ATTAIN", 12), NULL, &pop);
    KpiPerson *ps = arena_zalloc(a, sizeof *ps * (size_t)(pop.n + 1));
    int k = 0;
    for (int i = 0; i < pop.n; i++) {
        bool c, m;
        const Pop *x = &pop.p[i];
        person_rule(code, x, &c, &m);
        if (!c) continue;
        const char *detail = !strncmp(code, "SKILL_ATTAIN", 12) ? arena_printf(a, "%d / %d 項目", x->met, x->items)
                             : str_eq(code, "TRAIN_HOURS") || str_eq(code, "TRAINEES") ? arena_printf(a, "%.1f時間", x->minutes / 60.0)
                                                                                     : "";
        ps[k++] = (KpiPerson){x->id, x->unit_id, x->staff_no, x->name, x->unit_name, detail, m};
    }
    *out = ps;
    return k;
}

static bool target_in(Db *db, const Actor *who, int nendo, const KpiTargetChange *c, Errors *e)
{
    const KpiDef *d = kpi_def(c->code);
    if (!d) err_add(e, "", "その指標はありません。");
    else if (c->target < -1 || (str_eq(d->unit, "%") && c->target > 100) || c->target > 1000000)
        err_addf(e, c->code, "%sの目標値が範囲外です。", d->name);
    if (c->comment && utf8_chars(c->comment) > 1000) err_addf(e, c->code, "%sのコメントは1000文字以内で入力してください。", d ? d->name : c->code);
    if (err_any(e)) return false;
    Arena a = ARENA_INIT;
    Stmt *st = db_query(db,
                        "INSERT INTO kpi_target (code, nendo, target, comment) VALUES (?, ?, NULLIF(?, -1.0), ?)"
                        " ON CONFLICT (code, nendo) DO UPDATE SET target = excluded.target, comment = excluded.comment",
                        c->code, nendo, c->target, c->comment ? c->comment : "");
    bool ok = db_step(st) == DB_DONE;
    db_done(st);
    ok = ok && audit_write(db, who, "kpi.target", "kpi_target", nendo, 0, arena_printf(&a, "%d年度 %s 目標 %g", nendo, c->code, c->target)) == 0;
    arena_free(&a);
    return ok;
}

static bool param_in(Db *db, const Actor *who, int nendo, const KpiParamChange *c, Errors *e)
{
    static const char *const names[] = {"info_seats", "rotation_years", "training_years", "info_unit_min"};
    bool known = false;
    for (size_t i = 0; i < COUNTOF(names); i++) known |= str_eq(c->name, names[i]);
    if (!known) err_add(e, "", "その設定はありません。");
    else if (c->value < 0 || c->value > 1000 || (str_eq(c->name, "rotation_years") && c->value < 1))
        err_addf(e, c->name, "%s の値が範囲外です。", c->name);
    if (err_any(e)) return false;
    Arena a = ARENA_INIT;
    bool ok = db_exec(db, "INSERT INTO kpi_param (nendo, name, value) VALUES (?, ?, ?) ON CONFLICT (nendo, name) DO UPDATE SET value = excluded.value",
                      nendo, c->name, c->value) == 1 &&
              audit_write(db, who, "kpi.param", "kpi_param", nendo, 0, arena_printf(&a, "%d年度 %s = %d", nendo, c->name, c->value)) == 0;
    arena_free(&a);
    return ok;
}

int kpi_settings_save(Db *db, const Actor *who, int nendo, const KpiTargetChange *t, int nt, const KpiParamChange *p, int np, Errors *e)
{
    if (tx_begin(db, e) != 0) return -1;
    bool ok = true;
    for (int i = 0; i < nt && ok; i++) ok = target_in(db, who, nendo, &t[i], e);
    for (int i = 0; i < np && ok; i++) ok = param_in(db, who, nendo, &p[i], e);
    return tx_end(db, e, ok);
}

int kpi_target_set(Db *db, const Actor *who, const char *code, int nendo, double target, const char *comment, Errors *e)
{
    KpiTargetChange c = {code, target, comment};
    return kpi_settings_save(db, who, nendo, &c, 1, NULL, 0, e);
}

/* ---- expert plan ---- */

static int param(Db *db, int nendo, const char *name, int dflt)
{
    return (int)db_int(db, dflt, "SELECT value FROM kpi_param WHERE name = ? AND nendo = (SELECT MAX(nendo) FROM kpi_param WHERE name = ? AND nendo <= ?)",
                       name, name, nendo);
}

/* year: the 年度's KPI values (EXPERT_COUNT is the plan's headcount). */
static void expert_plan(Db *db, Arena *a, int nendo, const char *as_of, const KpiValue *year, ExpertPlan *p)
{
    p->info_seats = param(db, nendo, "info_seats", 8);
    p->rotation_years = param(db, nendo, "rotation_years", 4);
    p->training_years = param(db, nendo, "training_years", 3);
    p->info_unit_min = param(db, nendo, "info_unit_min", 3);
    int rot = p->rotation_years > 0 ? p->rotation_years : 1;
    p->buffer = (p->info_seats * p->training_years + rot - 1) / rot;
    p->target = p->info_seats + p->buffer;
    p->actual = 0;
    for (int i = 0; i < kpi_count; i++)
        if (str_eq(year[i].def->code, "EXPERT_COUNT")) p->actual = (int)year[i].actual;
    PipelinePerson *pp;
    p->pipeline = kpi_pipeline(db, a, nendo, as_of, &pp);
}

void kpi_expert_plan(Db *db, Arena *a, int nendo, const char *as_of, ExpertPlan *p)
{
    if (!as_of) as_of = kpi_default_as_of(a, nendo);
    KpiValue *v = arena_zalloc(a, sizeof *v * (size_t)kpi_count);
    year_values(db, a, nendo, as_of, true, v);
    expert_plan(db, a, nendo, as_of, v, p);
}

int kpi_param_set(Db *db, const Actor *who, int nendo, const char *name, int value, Errors *e)
{
    KpiParamChange c = {name, value};
    return kpi_settings_save(db, who, nendo, NULL, 0, &c, 1, e);
}

static int cmp_pipe(const void *x, const void *y) { return ((const PipelinePerson *)x)->short_by - ((const PipelinePerson *)y)->short_by; }

int kpi_pipeline(Db *db, Arena *a, int nendo, const char *as_of, PipelinePerson **out)
{
    if (!as_of) as_of = kpi_default_as_of(a, nendo);
    int64_t version = kpi_cache_on() ? data_version_of(db, DV_READS_KPI) : 0;
    int cached = kpi_cache_on() ? kpi_pipeline_read(db, a, nendo, as_of, version, out) : -1;
    if (cached >= 0) return cached;
    /* Built with the year's values (year_values), by one thread at a time. */
    const char *key = arena_printf(a, "kpi/%d/%s/1/%lld", nendo, as_of, (long long)version);
    bool in_tx = !kpi_cache_on() || db_in_tx(db), lead = in_tx || flight_begin(key);
    if (!lead && (cached = kpi_pipeline_read(db, a, nendo, as_of, version, out)) >= 0) return cached;
    SkillMap m;
    skill_map_load(db, a, nendo, false, &m);
    GapMatrix g;
    GapFilter f = {0};
    gap_matrix(db, a, &m, nendo, as_of, &f, &g);
    PipelinePerson *rows;
    int n = pipeline_of(&g, a, &rows);
    if (kpi_cache_on()) kpi_pipeline_store(db, nendo, as_of, version, rows, n);
    if (lead && !in_tx) flight_end(key);
    *out = rows;
    return n;
}

/* Non-① staff closest to the ① targets, from the organisation's gap matrix. */
static int pipeline_of(const GapMatrix *g, Arena *a, PipelinePerson **out)
{
    const SkillMap *m = g->m;
    PipelinePerson *rows = arena_zalloc(a, sizeof *rows * (size_t)(g->npeople + 1));
    int n = 0;
    for (int p = 0; p < g->npeople; p++) {
        if (g->people[p].tier == 1) continue;
        int items = 0, met = 0, short_by = 0, assessed = 0;
        for (int i = 0; i < m->nitems; i++) {
            int t = m->items[i].target[1];
            if (t < 0) continue;
            items++;
            int l = gap_level(g, p, i, NULL);
            if (l < 0) continue;
            assessed++;
            if (l >= t) met++;
            else short_by += t - l;
        }
        /* One level short on average at most: within reach in one or two 年度. */
        if (!assessed || assessed < items / 2 || short_by > assessed) continue;
        rows[n++] = (PipelinePerson){g->people[p].staff_id, g->people[p].staff_no, g->people[p].name, g->people[p].unit_name, met, items, short_by};
    }
    qsort(rows, (size_t)n, sizeof *rows, cmp_pipe);
    *out = rows;
    return n;
}

static void leader_units(Db *db, Arena *a, int nendo, const char *as_of, int *with, int *all)
{
    StaffingRow *rows;
    int n = staffing_coverage(db, a, nendo, as_of, &rows);
    *with = *all = 0;
    for (int i = 0; i < n; i++)
        if (str_eq(rows[i].rule, "leader")) {
            (*all)++;
            *with += rows[i].have > 0;
        }
}
