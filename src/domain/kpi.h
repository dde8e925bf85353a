/* kpi.h - the policy's targets and KPIs (方針IV, DOMAIN.md §5), computed
 * from live data for any 年度 or past date, and the expert target with its
 * rotation buffer. The staffing rules are in staffing.h, the key-system
 * register in keysys.h.
 *
 * "As of" a date: a person counts when an assignment covers the date (so a
 * past date shows who was there then), designations of the date's 年度 that
 * had not ended, completions of sessions held by then, assessments
 * submitted/confirmed by then. */
#ifndef JINZAI_KPI_H
#define JINZAI_KPI_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"
#include "kpi_cache.h"

/* 職員区分 a KPI counts, as a bit set over emp_types[] order:
 * 1 正規, 2 再任用, 4 任期付, 8 会計年度任用. */
enum { EMP_REGULAR = 1, EMP_REAPPOINTED = 2, EMP_FIXED = 4, EMP_FISCAL = 8, EMP_ALL = 15 };

typedef struct KpiDef {
    const char *code, *name, *unit; /* unit: "%", "人", "時間", "件" */
    const char *definition;         /* the formula in words */
    const char *policy;             /* 方針 section: "IV(1)" … "V(3)" */
    unsigned emp;                   /* 職員区分 counted */
    bool higher_is_better;
    const char *records;            /* an organisation-level KPI counts records, not
                                       people: the page that lists them (NULL: people) */
} KpiDef;
extern const KpiDef kpi_defs[];
extern const int kpi_count;
const KpiDef *kpi_def(const char *code);

typedef struct KpiValue {
    const KpiDef *def;
    double actual;          /* -1: no data */
    int num, den;           /* the fraction behind a rate (den 0 for counts) */
    double target;          /* -1: none set */
    const char *comment;
    double previous;        /* the same KPI for the previous 年度 (-1: none) */
} KpiValue;

/* Computes every KPI for nendo as of a date (NULL: today if inside the 年度,
 * else the 年度's last day). out has kpi_count entries (arena). */
void kpi_compute(Db *db, Arena *a, int nendo, const char *as_of, KpiValue **out);
/* The date a 年度 is read at when none is given. */
const char *kpi_default_as_of(Arena *a, int nendo);

/* The KPIs as rows code, name, target, actual, unit: what `jinzai kpi`
 * prints and the dashboard exports. Empty cells for "none". */
struct Table;
void kpi_table(Arena *a, const KpiValue *v, struct Table *t);

/* People behind a KPI (its numerator's complement where that helps: for a
 * rate, everyone counted with met = true/false). */
typedef struct KpiPerson {
    int64_t staff_id, unit_id;
    const char *staff_no, *name, *unit_name, *detail;
    bool met;
} KpiPerson;
int kpi_people(Db *db, Arena *a, const char *code, int nendo, const char *as_of, KpiPerson **out);

typedef struct KpiTargetChange {
    const char *code;
    double target; /* -1 clears */
    const char *comment;
} KpiTargetChange;
typedef struct KpiParamChange {
    const char *name;
    int value;
} KpiParamChange;
/* Saves targets and plan parameters of a 年度 in one transaction: all or none. */
int kpi_settings_save(Db *db, const Actor *who, int nendo, const KpiTargetChange *t, int nt, const KpiParamChange *p, int np, Errors *e);
int kpi_target_set(Db *db, const Actor *who, const char *code, int nendo, double target /* -1 clears */, const char *comment,
                   Errors *e);

/* ---- expert target with rotation ---- */

typedef struct ExpertPlan {
    int info_seats, rotation_years, training_years, info_unit_min;
    int buffer, target;  /* buffer = ceil(seats × training ÷ rotation) */
    int actual;          /* ① headcount */
    int pipeline;        /* staff one level below ① targets who could reach it in 1–2 年度 */
} ExpertPlan;
void kpi_expert_plan(Db *db, Arena *a, int nendo, const char *as_of, ExpertPlan *p);
int kpi_param_set(Db *db, const Actor *who, int nendo, const char *name, int value, Errors *e);

typedef struct PipelinePerson {
    int64_t staff_id;
    const char *staff_no, *name, *unit_name;
    int met, items;      /* items at or above the ① target of all ① items */
    int short_by;        /* total levels short */
} PipelinePerson;
/* Non-① staff closest to the ① targets (short by at most items × 1 level). */
int kpi_pipeline(Db *db, Arena *a, int nendo, const char *as_of, PipelinePerson **out);

/* ---- organisation-wide tables of the KPI pages ---- */

/* Both come from the summary at the current data version (schema 037) when
 * stored, else are computed and stored, like kpi_compute. */
typedef struct KpiUnitCount {
    int64_t unit_id;
    const char *name;
    int n[4];
} KpiUnitCount;
/* Security-training completion per 課 (部 for people placed in a 部): the
 * ten lowest rates, lowest first (display order among equals); n[0]
 * completed, n[1] counted. */
int kpi_security_lowest(Db *db, Arena *a, int nendo, const char *as_of, KpiUnitCount **out);
/* Staff in service per 部 (a 執行機関 without 部 stands for itself) and
 * tier, in display order, units with anyone only: name "親 部" and n[1..3]
 * the staff of ①②③. */
int kpi_staff_by_bu(Db *db, Arena *a, int nendo, const char *as_of, KpiUnitCount **out);
/* tier_counts (tier.h) through the summary: staff in service on a date by
 * tier, counts[0] all; the home page's cards. */
void kpi_tier_counts(Db *db, Arena *a, int nendo, const char *as_of, int counts[4]);

#endif
