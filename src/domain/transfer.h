/* transfer.h - the April 人事異動: a draft transfer list (異動案) read from
 * CSV, its effect on the staffing rules and KPIs before anything is
 * written, and applying it in one transaction.
 *
 * CSV columns (UTF-8, header row): 職員番号, 区分 (異動 / 採用 / 退職),
 * 新所属コード, 発令日, 氏名, カナ, 職員区分 (the last three for 採用 only).
 * The preview applies the list inside a transaction and rolls it back, so it
 * computes with exactly the code that applying uses, and writes nothing. */
#ifndef JINZAI_TRANSFER_H
#define JINZAI_TRANSFER_H

#include <stdint.h>
#include <stdio.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"
#include "staffing.h"
#include "kpi.h"

typedef enum { TR_MOVE, TR_HIRE, TR_RETIRE } TransferKind;

typedef struct TransferRow {
    int line;
    TransferKind kind;
    const char *staff_no, *unit_code, *date, *name, *kana, *emp_type;
    int64_t staff_id, unit_id; /* resolved */
    const char *staff_name, *from_unit, *to_unit;
} TransferRow;

typedef struct TransferList {
    TransferRow *rows;
    int n;
    const char *effective; /* the latest 発令日 of the list */
} TransferList;

/* Parses and checks a list against the database. Any bad row: -1 with every
 * problem by line in e. */
int transfer_parse(Db *db, Arena *a, const char *data, size_t len, TransferList *out, Errors *e);

typedef struct Candidate {
    int64_t staff_id;
    const char *staff_no, *name;
    int met, items; /* ② target items met */
} Candidate;

typedef struct TransferEffect {
    StaffingRow *before, *after;
    int nbefore, nafter;
    KpiValue *kpi_before, *kpi_after;
    ExpertPlan expert_before, expert_after;
    /* units that lose their only 総括リーダー, with candidates to designate */
    int64_t *lost_units;
    const char **lost_names;
    Candidate **candidates;
    int *ncandidates;
    int nlost;
} TransferEffect;
/* Computes the effect of the list as of its effective date; writes nothing. */
int transfer_preview(Db *db, Arena *a, const Actor *who, const TransferList *l, int nendo, TransferEffect *out, Errors *e);
/* Prints the effect in plain text (the CLI's preview). */
void transfer_print(const TransferEffect *fx, const TransferList *l, FILE *out);
/* Performs the list: transfers, hires and retirements as of their dates, in
 * one transaction with an audit row per person and one for the list. */
int transfer_apply(Db *db, const Actor *who, const TransferList *l, Errors *e);

#endif
