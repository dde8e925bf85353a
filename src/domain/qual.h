/* qual.h - qualifications (資格) held by staff, as evidence for skill items.
 *
 * qualification_type is the catalogue (ITパスポート, 基本情報, 情報処理安全確保
 * 支援士 …, loaded from data/qualifications.csv); each type lists the skill
 * items it evidences in item_codes (';'-separated). staff_qualification holds
 * what a person has acquired. Types with expires = 1 (登録の更新がある資格)
 * need an expiry date. Dates are ISO; a qualification is valid on its
 * expires_on day and expired from the next day.
 *
 * Lists are arena memory: the functions allocate the array and every string
 * in a; the caller frees nothing one by one. Each returns the row count. */
#ifndef JINZAI_QUAL_H
#define JINZAI_QUAL_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

typedef struct QualType {
    const char *code, *name;
    int itss_level; /* 0 when not on the ITSS scale */
    bool expires;   /* registration must be renewed: expires_on required */
    const char *item_codes;
} QualType;

/* Every type, ordered by itss_level, code. */
int qual_types(Db *db, Arena *a, QualType **out);

typedef struct StaffQual {
    int64_t id, staff_id;
    const char *qual_code, *qual_name, *acquired_on;
    const char *expires_on; /* NULL when the qualification does not expire */
    const char *note, *staff_no, *staff_name;
    const char *unit_name; /* primary unit today ("課名 係名" for a 係); "" outside qual_expiring */
    int itss_level;
} StaffQual;

/* A person's qualifications, newest acquisition first. */
int qual_of_staff(Db *db, Arena *a, int64_t staff_id, StaffQual **out);

/* Validates and records a qualification of an active person. expires_on may be
 * NULL or "" (no expiry), except for types with expires = 1. note may be NULL.
 * Dates must be ISO (pages convert 和暦 first). On bad input fills e and
 * writes nothing. One transaction with its audit row ("qual.add").
 * Returns 0, or -1 with e filled. */
int qual_add(Db *db, const Actor *who, int64_t staff_id, const char *code, const char *acquired_on,
             const char *expires_on, const char *note, Errors *e);

/* Deletes record id, which must belong to staff_id (else -1 with the
 * message "資格の記録が見つかりません。"). Audited "qual.delete". */
int qual_delete(Db *db, const Actor *who, int64_t staff_id, int64_t id, Errors *e);
/* The message qual_delete gives for a record that is missing or not that
 * person's, so pages can answer 404. */
extern const char QUAL_NOT_FOUND[];

/* Qualifications of staff in service today that expire from today to
 * today + days (inclusive) or expired in the 30 days before today, ordered by
 * expires_on. A record superseded by a later one of the same type and person
 * (a renewal) is left out. unit_id is the viewer's scope root (0: everyone;
 * else people with an assignment in force today in that unit's subtree: the
 * 所属長 scope rule). today is ISO. */
int qual_expiring(Db *db, Arena *a, const char *today, int days, int64_t unit_id, StaffQual **out);

/* The person's qualifications (any state, newest first) whose type lists
 * item_code: the evidence shown beside that skill item. */
int qual_items_for(Db *db, Arena *a, int64_t staff_id, const char *item_code, StaffQual **out);

/* True when the ';'-separated list holds code (spaces around entries ignored). */
bool qual_codes_contain(const char *list, const char *code);

typedef struct QualCount {
    const char *code, *name;
    int holders; /* active staff holding it valid on as_of */
} QualCount;

/* One row per type (zero holders included), ordered by itss_level, code. */
int qual_counts(Db *db, Arena *a, const char *as_of, QualCount **out);

#endif
