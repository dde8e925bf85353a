/* asof.h - what is in force on a date, in SQL: the one definition that every list,
 * count, KPI, coverage rule and scope check uses.
 *
 * The rules (docs/architecture.md, "Effective dates"):
 *   - An assignment is in force on D when from_date <= D and (to_date is NULL
 *     or D <= to_date). Both ends are inclusive.
 *   - A person is in service (在職) on D when a primary (本務) assignment is in
 *     force on D. Employment follows these dates: a hire, a transfer or a
 *     retirement dated in the future is stored now and takes effect on its
 *     date. No flag is flipped early.
 *   - A person's unit on D is the unit of the primary assignment in force on D.
 *   - A tier designation of 年度 N is in force on D when designated_on <= D and
 *     (ended_on is NULL or D <= ended_on); designated_on lies inside 年度 N.
 *   - A key-system duty is in force on D as an assignment is.
 *
 * The macros expand to SQL text with `?` placeholders. Each says which values
 * to bind, in order. Queries never spell these conditions out themselves:
 * tests/unit/test_asof.c reads the sources and fails on a hand-written one.
 *
 * These are conditions over the schema's own columns, so they live with the
 * database: auth (sign-in, sessions, scope) and the domain both use them.
 * The 年度 view dates are in domain/asof.h. */
#ifndef JINZAI_DB_ASOF_H
#define JINZAI_DB_ASOF_H

/* Rows of table alias x (from_date/to_date) in force on D. Binds: D, D. */
#define ASOF_IN_FORCE(x) "(" x ".from_date <= ? AND (" x ".to_date IS NULL OR " x ".to_date >= ?))"

/* "assignment a ON <a is staff_col's primary assignment in force on D>", for
 * JOIN or LEFT JOIN. Binds: D, D. */
#define ASOF_PRIMARY(a, staff_col) \
    "assignment " a " ON " a ".staff_id = " staff_col " AND " a ".is_primary = 1 AND " ASOF_IN_FORCE(a)

/* staff_col is in service on D. Binds: D, D. */
#define ASOF_IN_SERVICE(staff_col)                                                                      \
    "EXISTS (SELECT 1 FROM assignment asv WHERE asv.staff_id = " staff_col " AND asv.is_primary = 1 AND " \
    ASOF_IN_FORCE("asv") ")"

/* The unit id of staff_col on D (NULL when not in service). Binds: D, D. */
#define ASOF_UNIT_OF(staff_col)                                                                              \
    "(SELECT aun.unit_id FROM assignment aun WHERE aun.staff_id = " staff_col " AND aun.is_primary = 1 AND " \
    ASOF_IN_FORCE("aun") " ORDER BY aun.from_date DESC LIMIT 1)"

/* Designation alias d of 年度 N in force on D. Binds: N, D, D. */
#define ASOF_DESIGNATED(d) \
    "(" d ".nendo = ? AND " d ".designated_on <= ? AND (" d ".ended_on IS NULL OR " d ".ended_on >= ?))"

/* The lowest tier number staff_col holds in 年度 N on D (3 when none).
 * Binds: N, D, D. */
#define ASOF_TIER_OF(staff_col) \
    "COALESCE((SELECT MIN(dt.tier) FROM tier_designation dt WHERE dt.staff_id = " staff_col " AND " ASOF_DESIGNATED("dt") "), 3)"

/* ids of unit root and its subtree, for "x IN (...)". Binds: root. */
#define ASOF_SUBTREE \
    "WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT o.id FROM org_unit o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub"

/* The 所属長 scope rule for per-person rows: staff_col may be named to a user
 * whose scope root is R (0: organisation-wide, sees everyone) only when they
 * hold an assignment (本務 or 兼務) in force TODAY inside R's subtree,
 * whatever date or 年度 the page shows. Totals are not filtered by this.
 * Binds: R, today, today, R. */
#define ASOF_VISIBLE(staff_col)                                                                       \
    "(? = 0 OR EXISTS (SELECT 1 FROM assignment avs WHERE avs.staff_id = " staff_col " AND " ASOF_IN_FORCE( \
        "avs") " AND avs.unit_id IN (" ASOF_SUBTREE ")))"

#endif
