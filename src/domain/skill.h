/* skill.h - the skill map (スキルマップ): categories, items, level
 * descriptors (行動指標), target levels per tier per 年度, optional libraries.
 *
 * Targets of a 年度 that has none of its own are those of the latest earlier
 * 年度 that has, so a city sets them once and changes them when it wants. */
#ifndef JINZAI_SKILL_H
#define JINZAI_SKILL_H

#include <stdbool.h>
#include <stdint.h>

#include "../db/audit.h"
#include "../core/errors.h"
#include "../db/db.h"

#define SKILL_MAX_LEVEL 4

typedef struct SkillCategory {
    int64_t id, parent_id;
    const char *code, *name, *library;
    int sort_order, depth;
    int top;            /* index of the top-level category it belongs to */
    const char *desc[SKILL_MAX_LEVEL + 1]; /* shared descriptors, NULL when none */
} SkillCategory;

typedef struct SkillItem {
    int64_t id, category_id;
    const char *code, *name, *description, *source, *retired_on;
    int sort_order;
    int cat;            /* index into SkillMap.cats */
    int target[4];      /* [1..3] target per tier for the 年度 loaded; -1: not assessed */
    const char *desc[SKILL_MAX_LEVEL + 1]; /* own descriptors, NULL when none */
} SkillItem;

typedef struct SkillMap {
    int nendo, target_nendo;        /* 年度 asked for, 年度 whose targets apply */
    SkillCategory *cats;            /* in tree order */
    int ncats;
    SkillItem *items;               /* in category then item order */
    int nitems;
    const char *scale[SKILL_MAX_LEVEL + 1]; /* level names */
    bool library_on[8][4];          /* [library index][tier]: optional libraries switched on */
    const char *libraries[8];
    int nlibraries;
} SkillMap;

/* Loads the whole map with the targets that apply in nendo. Retired items are
 * included only when with_retired. Memory in a. */
void skill_map_load(Db *db, Arena *a, int nendo, bool with_retired, SkillMap *m);
/* The descriptor of a level for an item: its own, else its category's, else
 * the nearest ancestor category's; "" when none. */
const char *skill_descriptor(const SkillMap *m, const SkillItem *it, int level);
int skill_item_index(const SkillMap *m, int64_t item_id); /* -1 if absent */
/* True when the item's library counts for the tier. */
bool skill_item_on_for_tier(const SkillMap *m, const SkillItem *it, int tier);
/* "未習得" … */
const char *skill_scale_name(const SkillMap *m, int level);

/* Creating and editing. targets[1..3] (-1: not assessed), desc[0..4] ("" or
 * NULL: inherit from the category). Saved targets are for m->nendo.
 * Validates; one transaction; audited. */
typedef struct SkillItemInput {
    int64_t id;               /* 0: new */
    int64_t category_id;
    const char *code, *name, *description, *source;
    int sort_order;
    int targets[4];
    const char *desc[SKILL_MAX_LEVEL + 1];
} SkillItemInput;
int skill_item_save(Db *db, const Actor *who, int nendo, SkillItemInput *in, Errors *e);
/* Retires an item from `date` on (it keeps its history) or brings it back (date NULL). */
int skill_item_retire(Db *db, const Actor *who, int64_t id, const char *date, Errors *e);
/* Moves an item one place up (dir -1) or down (+1) within its category. */
int skill_item_move(Db *db, const Actor *who, int64_t id, int dir, Errors *e);
int skill_category_save(Db *db, const Actor *who, int64_t *id, const char *code, const char *name, int64_t parent_id,
                        int sort_order, Errors *e);
/* Sets (level 0..4) or removes (level -1) an extra target of an item for a
 * unit and its subtree in nendo. Audited. */
int skill_unit_target_set(Db *db, const Actor *who, int64_t item_id, int nendo, int64_t unit_id, int level, Errors *e);
typedef struct UnitTarget {
    int64_t unit_id;
    const char *unit_name;
    int level;
} UnitTarget;
/* The extra unit targets of an item that apply in nendo. */
int skill_unit_targets(Db *db, Arena *a, int64_t item_id, int nendo, UnitTarget **out);
/* Switches an optional library on or off for a tier. */
int skill_library_set(Db *db, const Actor *who, const char *library, int tier, bool on, Errors *e);

/* CSV import of a framework in the format of data/skillmap.csv (上位コード,
 * コード, 名称, 説明, 出典, レベル0..4, 目標_一般職員, 目標_DX推進リーダー,
 * 目標_高度専門人材). Rows named as another row's 上位コード are categories.
 * Inserts or updates by code; targets are set for nendo. Every row is
 * checked first; any error leaves the database unchanged and lists each
 * problem with its line in e. One transaction; one audit row. */
typedef struct SkillImportResult {
    int categories, items, created, updated;
} SkillImportResult;
int skill_import_csv(Db *db, const Actor *who, const char *data, size_t n, int nendo, const char *library,
                     SkillImportResult *res, Errors *e);
/* The map as rows of that format, so an export can be edited and read back. */
struct Table;
void skill_map_table(Arena *a, const SkillMap *m, struct Table *t);
/* The column names of that format, NULL-terminated. */
extern const char *const skill_csv_head[];

/* Loads the default map, the optional DSS-P library and the qualification
 * list compiled into the binary (data/NAME.csv) into an empty database. */
int skill_load_defaults(Db *db, int nendo);

#endif
