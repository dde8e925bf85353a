/* demo.h - synthetic demonstration data: a 国東市-shaped organisation.
 *
 * Everything here is fictional: unit names follow a typical town of about
 * 28,000 people, staff names are random combinations of common surnames and
 * given names (a few with 髙 and 﨑, to exercise search folding). */
#ifndef JINZAI_DEMO_H
#define JINZAI_DEMO_H

#include <stdint.h>

#include "../db/db.h"

/* The demo's random numbers: splitmix64, so a seed always gives the same city. */
static inline uint64_t demo_next64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* 0 .. n-1 */
static inline int demo_rnd(uint64_t *s, int n) { return (int)(demo_next64(s) % (uint64_t)n); }

/* Fills an EMPTY migrated database (no org_unit and no staff rows) with:
 *   - settings current_nendo = nendo and city_name = 国東市;
 *   - 5 執行機関 > 5 部 > 35 課 > 86 係, valid from (nendo-5)-04-01, open-ended;
 *     codes "1", "1-01", "1-01-01", "1-01-01-1" ("2-00-01" for a 課 directly
 *     under its 執行機関); the two 情報部門 (政策企画課 広報・DX推進係 and
 *     教育総務課 総務係) have is_info = 1;
 *   - about 450 active staff plus 5 inactive ones (left on (nendo)-03-31),
 *     each with one primary assignment; about 40 moved on (nendo)-04-01 (their
 *     previous assignment ends (nendo)-03-31); about 10 hold a 兼務;
 *   - tier designations for nendo and nendo-1: ① info for the information
 *     units, ① key_system for one person in 12 課, ② lead for one person per
 *     係 (and per 課 without 係) except 8 units left without one in nendo
 *     (3 in nendo-1), ② project for 10 people (8 in nendo-1);
 *   - one audit row "demo.load" with the counts.
 * All of that is one transaction: on failure nothing is written. Afterwards
 * five accounts are created with account_create (each in its own
 * transaction), all with demo_password (>= 12 characters, the caller checks):
 *   admin (管理者+職員, 総務課 総務係), jinji (人事+職員, 総務課 人事係),
 *   dx (DX推進+職員, 広報・DX推進係),
 *   kacho (所属長+職員, 福祉課長), shokuin (職員, a member of a 福祉課 係).
 * The data depends only on nendo and seed (created_at/updated_at and the
 * password hashes aside). Returns 0 and prints nothing on success; returns -1
 * with a message on stderr on failure (a failure while creating accounts
 * leaves the committed demo data in place). */
int demo_load(Db *db, const char *demo_password, int nendo, unsigned seed);

/* The size of the organisation the demo builders make: 0 (the default) is the
 * demo city above, byte for byte; n > 0 asks for about n active staff (exactly
 * n when n exceeds the number of heads and member units): the organisation is
 * copied demo_scale() times (about 1,500 staff per copy, each later copy's
 * 執行機関 named with its 地区), each 係 gets an even share of the members, and
 * the moves, 兼務, leavers, skipped leaders, project designations and training
 * sessions grow with the copies. Call before demo_load and the others. */
void demo_set_staff(int n);
int demo_scale(void);

/* Adds a year of skill assessments to a demo database that already holds the
 * skill map (skill_load_defaults) and demo_load's people: for nendo-1 every
 * person confirmed, for nendo most submitted, many confirmed, some returned
 * (差戻し) and some not started, with an assessment period open until the end
 * of January; extra unit targets for the information units; qualifications
 * (some expiring within 90 days of today). One transaction; one audit row.
 * Deterministic for a seed. 0 or -1. */
int demo_assessments(Db *db, int nendo, unsigned seed);

/* Adds a 年度 of training to a demo database holding the catalogue
 * (course_load_defaults) and demo_load's people: a plan row and sessions per
 * course, the mandatory security e-learning with everyone enrolled and most
 * completed, past sessions with attendance and completions (external ones
 * partly without 復命書), future ones with applications in every state, and
 * 職場還元 by some of the leaders. One transaction; one audit row. */
int demo_training(Db *db, int nendo, unsigned seed);

/* Adds the key-system register (one system left with a single person in
 * charge), the expert-plan parameters and a few KPI targets with comments.
 * One transaction; one audit row. */
int demo_kpi(Db *db, int nendo, unsigned seed);

/* Adds six DX projects (owners, members, skill needs, outcomes) and five
 * external talent records (skills, contracts, projects, knowledge-transfer
 * sessions and pairings), dated in the 年度 or earlier and never after today.
 * One transaction; one audit row. */
int demo_projects(Db *db, int nendo, unsigned seed);

/* Adds a 推進体制: a DX推進本部 under the 市長 with CDO, CIO and CISO, a
 * DX推進委員会 of the 部長 with its 事務局 and two working groups of demo staff (one
 * member's term ended last 3/31), and meetings with minutes in this and the
 * previous 年度, none after today. One transaction; one audit row. */
int demo_governance(Db *db, int nendo, unsigned seed);
/* Adds the case library (cases.h): about 30 cases of mixed kinds, some
 * published from the demo's 職場還元 records, tagged to skill items and
 * people, with effects and views. Dated within the 年度 or before, never
 * after today. One transaction; one audit row. Deterministic for a seed. */
int demo_cases(Db *db, int nendo, unsigned seed);

#endif
