/* gap_cache.c - gap_matrix (gap.h): the matrices of everyone kept in memory
 * by (skill map, 年度, as-of date, day, data version), and brought up to date
 * after assessment writes by re-reading only the people written.
 *
 * Building the matrix of everyone reads every answer of the 年度 (about a
 * million rows at 30,000 staff); every organisation-wide summary (the 全庁
 * gap view, the KPI values and pipeline, the demand) starts from it, and
 * each is rebuilt after any write it depends on. A matrix kept at
 * (general counter G, assess counter A) is still right at (G, B) except for
 * the rows of the people whose assessments the bumps A+1..B were about
 * (data_version_assess_people); those rows are read again through the
 * one-person path of gap_matrix_rows, which gives the same row as the matrix
 * of everyone (tests/unit/test_gap_paths.c). Any other write moves G, and
 * the matrix is read from the rows again. The tests comparing the summaries
 * with a full recomputation compute that with this cache off.
 *
 * A tier filter only drops people (gap.c applies it after the tier is
 * known), so it is served from the unfiltered matrix. Unit, person and scope
 * filters, and anything inside a transaction (a rolled-back preview), read
 * the rows. Cells are kept as int8_t (levels and targets are -1..4). */
#include "gap.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../db/dataver.h"
#include "../core/util.h"

/* How many matrices are kept (this and the previous 年度, on this and last
 * 年度's map, at the KPI date and today), and how many assessment writes a
 * matrix is brought forward over before it is read again whole. */
#define KEEP 6
#define MAX_PATCH 256
/* Brought forward over fewer people than this, the matrix is not kept
 * again: re-reading them next time costs less than copying it in. */
#define KEEP_AFTER 16

typedef struct Entry {
    bool used;
    uint64_t map_key;
    int map_nendo, nendo, nitems;
    char as_of[32], today[11];
    int64_t general, assess;
    unsigned long stamp;
    int npeople;
    GapPerson *people; /* strings point into blob */
    char *blob;
    size_t blob_len;
    int8_t *cells; /* target, self, sup: 3 × npeople × nitems */
} Entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Entry cache[KEEP];
static unsigned long clock_;
static bool on = true;
static GapCacheStats stats;

static void entry_free(Entry *e)
{
    free(e->people);
    free(e->blob);
    free(e->cells);
    memset(e, 0, sizeof *e);
}

/* Off: every matrix is read from the rows and nothing is kept; what is kept
 * stays (it is right for its version) and is used again when turned on. */
void gap_matrix_cache_set(bool want)
{
    pthread_mutex_lock(&lock);
    on = want;
    pthread_mutex_unlock(&lock);
}

GapCacheStats gap_matrix_cache_stats(void)
{
    pthread_mutex_lock(&lock);
    GapCacheStats s = stats;
    pthread_mutex_unlock(&lock);
    return s;
}

/* What of the map the matrix depends on: its items and their targets (the
 * map is read at the general counter, which is part of the key as well). */
static uint64_t map_key(const SkillMap *m)
{
    uint64_t h = 1469598103934665603ull;
#define MIX(v) (h = (h ^ (uint64_t)(v)) * 1099511628211ull)
    MIX(m->nendo);
    MIX(m->target_nendo);
    MIX(m->nitems);
    for (int i = 0; i < m->nitems; i++) {
        MIX(m->items[i].id);
        MIX(m->items[i].retired_on ? 1 : 0);
        for (int t = 1; t <= 3; t++) MIX(m->items[i].target[t] + 7);
    }
    for (int l = 0; l < 8; l++)
        for (int t = 0; t < 4; t++) MIX(m->library_on[l][t]);
#undef MIX
    return h;
}

static bool same_key(const Entry *e, uint64_t mk, const SkillMap *m, int nendo, const char *as_of, const char *today)
{
    return e->used && e->map_key == mk && e->map_nendo == m->nendo && e->nitems == m->nitems && e->nendo == nendo && str_eq(e->as_of, as_of) &&
           str_eq(e->today, today);
}

static size_t slen(const char *s) { return s ? strlen(s) + 1 : 0; }

/* Copies e into g (memory in a). */
static void entry_out(const Entry *e, Arena *a, const SkillMap *m, GapMatrix *g)
{
    memset(g, 0, sizeof *g);
    g->m = m;
    g->npeople = e->npeople;
    g->people = arena_alloc(a, sizeof *g->people * (size_t)(e->npeople + 1));
    memcpy(g->people, e->people, sizeof *g->people * (size_t)e->npeople);
    char *blob = arena_alloc(a, e->blob_len + 1);
    memcpy(blob, e->blob, e->blob_len);
#define REBASE(s) ((s) ? blob + ((s) - e->blob) : NULL)
    for (int p = 0; p < g->npeople; p++) {
        GapPerson *x = &g->people[p];
        x->staff_no = REBASE(x->staff_no);
        x->name = REBASE(x->name);
        x->unit_name = REBASE(x->unit_name);
        x->basis_on = REBASE(x->basis_on);
    }
#undef REBASE
    size_t cells = (size_t)e->npeople * (size_t)m->nitems;
    g->target = arena_alloc(a, sizeof(int) * (cells + 1));
    g->self = arena_alloc(a, sizeof(int) * (cells + 1));
    g->sup = arena_alloc(a, sizeof(int) * (cells + 1));
    const int8_t *t = e->cells, *sf = e->cells + cells, *sp = e->cells + 2 * cells;
    for (size_t c = 0; c < cells; c++) g->target[c] = t[c];
    for (size_t c = 0; c < cells; c++) g->self[c] = sf[c];
    for (size_t c = 0; c < cells; c++) g->sup[c] = sp[c];
    g->item_used = arena_zalloc(a, sizeof(bool) * (size_t)(m->nitems + 1));
}

static char *copy_str(char **at, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    memcpy(*at, s, n);
    char *r = *at;
    *at += n;
    return r;
}

static bool fits(int v) { return v >= -128 && v <= 127; }

/* Keeps g under the key (replacing the same key's entry, else the least
 * recently used one). False when a value does not fit (nothing kept). */
static bool entry_in(const GapMatrix *g, uint64_t mk, int nendo, const char *as_of, const char *today, int64_t general, int64_t assess)
{
    const SkillMap *m = g->m;
    size_t cells = (size_t)g->npeople * (size_t)m->nitems, blob_len = 0;
    for (int p = 0; p < g->npeople; p++)
        blob_len += slen(g->people[p].staff_no) + slen(g->people[p].name) + slen(g->people[p].unit_name) + slen(g->people[p].basis_on);
    Entry n = {0};
    n.people = malloc(sizeof *n.people * (size_t)(g->npeople + 1));
    n.blob = malloc(blob_len + 1);
    n.cells = malloc(3 * cells + 1);
    if (!n.people || !n.blob || !n.cells) {
        entry_free(&n);
        return false;
    }
    for (size_t c = 0; c < cells; c++) {
        if (!fits(g->target[c]) || !fits(g->self[c]) || !fits(g->sup[c])) {
            entry_free(&n);
            return false;
        }
        n.cells[c] = (int8_t)g->target[c];
        n.cells[cells + c] = (int8_t)g->self[c];
        n.cells[2 * cells + c] = (int8_t)g->sup[c];
    }
    char *at = n.blob;
    for (int p = 0; p < g->npeople; p++) {
        GapPerson x = g->people[p];
        x.staff_no = copy_str(&at, x.staff_no);
        x.name = copy_str(&at, x.name);
        x.unit_name = copy_str(&at, x.unit_name);
        x.basis_on = copy_str(&at, x.basis_on);
        n.people[p] = x;
    }
    n.used = true;
    n.map_key = mk;
    n.map_nendo = m->nendo;
    n.nendo = nendo;
    n.nitems = m->nitems;
    snprintf(n.as_of, sizeof n.as_of, "%s", as_of);
    snprintf(n.today, sizeof n.today, "%s", today);
    n.general = general;
    n.assess = assess;
    n.npeople = g->npeople;
    n.blob_len = blob_len;
    pthread_mutex_lock(&lock);
    if (!on) {
        pthread_mutex_unlock(&lock);
        entry_free(&n);
        return false;
    }
    int slot = -1;
    for (int k = 0; k < KEEP && slot < 0; k++)
        if (same_key(&cache[k], mk, m, nendo, as_of, today)) slot = k;
    if (slot >= 0 && (cache[slot].general > general || (cache[slot].general == general && cache[slot].assess > assess))) {
        pthread_mutex_unlock(&lock); /* a newer one is kept already */
        entry_free(&n);
        return true;
    }
    for (int k = 0; k < KEEP && slot < 0; k++)
        if (!cache[k].used) slot = k;
    if (slot < 0) {
        slot = 0;
        for (int k = 1; k < KEEP; k++)
            if (cache[k].stamp < cache[slot].stamp) slot = k;
    }
    entry_free(&cache[slot]);
    n.stamp = ++clock_;
    cache[slot] = n;
    pthread_mutex_unlock(&lock);
    return true;
}

/* Reads again the rows of the given people into g. False when a person's
 * rows no longer line up with theirs in g (then g is read whole). */
static bool patch(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, const char *today, const int64_t *ids, int nids, GapMatrix *g)
{
    size_t ni = (size_t)m->nitems;
    int *rows = arena_alloc(a, sizeof(int) * (size_t)(g->npeople + 1));
    for (int k = 0; k < nids; k++) {
        GapMatrix one;
        GapFilter f = {.staff_id = ids[k], .today = today};
        gap_matrix_rows(db, a, m, nendo, as_of, &f, &one);
        int nrows = 0;
        for (int p = 0; p < g->npeople; p++)
            if (g->people[p].staff_id == ids[k]) rows[nrows++] = p;
        if (nrows != one.npeople) return false;
        for (int j = 0; j < nrows; j++) {
            int p = rows[j];
            if (g->people[p].unit_id != one.people[j].unit_id) return false;
            g->people[p] = one.people[j];
            memcpy(&g->target[(size_t)p * ni], &one.target[(size_t)j * ni], sizeof(int) * ni);
            memcpy(&g->self[(size_t)p * ni], &one.self[(size_t)j * ni], sizeof(int) * ni);
            memcpy(&g->sup[(size_t)p * ni], &one.sup[(size_t)j * ni], sizeof(int) * ni);
        }
    }
    return true;
}

static void items_used(GapMatrix *g)
{
    int ni = g->m->nitems;
    memset(g->item_used, 0, sizeof(bool) * (size_t)ni);
    for (int p = 0; p < g->npeople; p++)
        for (int i = 0; i < ni; i++)
            if (GAP_AT(g, target, p, i) >= 0) g->item_used[i] = true;
}

/* The matrix of everyone, from memory when kept (brought forward over
 * assessment writes), else read from the rows and kept. */
static void everyone(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, const char *today, GapMatrix *g)
{
    int64_t general, assess;
    data_version_parts(db, &general, &assess);
    uint64_t mk = map_key(m);
    bool found = false;
    int64_t from = 0;
    pthread_mutex_lock(&lock);
    int best = -1;
    for (int k = 0; k < KEEP; k++)
        if (same_key(&cache[k], mk, m, nendo, as_of, today) && cache[k].general == general && cache[k].assess <= assess &&
            (best < 0 || cache[k].assess > cache[best].assess))
            best = k;
    if (best >= 0) {
        cache[best].stamp = ++clock_;
        from = cache[best].assess;
        entry_out(&cache[best], a, m, g);
        found = true;
    }
    pthread_mutex_unlock(&lock);
    bool changed = !found;
    if (found && from < assess) {
        int64_t *ids;
        int nids = data_version_assess_people(db, a, from, assess, MAX_PATCH, &ids);
        found = nids >= 0 && patch(db, a, m, nendo, as_of, today, ids, nids, g);
        changed = nids >= KEEP_AFTER;
        pthread_mutex_lock(&lock);
        stats.brought_forward += found;
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    if (!found) stats.read++;
    else if (from == assess) stats.kept++;
    pthread_mutex_unlock(&lock);
    if (!found) {
        changed = true;
        GapFilter f = {.today = today};
        gap_matrix_rows(db, a, m, nendo, as_of, &f, g);
    } else {
        items_used(g);
    }
    if (!changed) return;
    /* Kept only when no write came in meanwhile: what was read is then
     * exactly the state at (general, assess). */
    int64_t general2, assess2;
    data_version_parts(db, &general2, &assess2);
    if (general2 == general && assess2 == assess) entry_in(g, mk, nendo, as_of, today, general, assess);
}

void gap_matrix(Db *db, Arena *a, const SkillMap *m, int nendo, const char *as_of, const GapFilter *f, GapMatrix *g)
{
    pthread_mutex_lock(&lock);
    bool use = on;
    pthread_mutex_unlock(&lock);
    if (!use || f->unit_id || f->staff_id || f->scope || !as_of || strlen(as_of) >= sizeof cache[0].as_of || db_in_tx(db)) {
        gap_matrix_rows(db, a, m, nendo, as_of, f, g);
        return;
    }
    char today[11];
    if (f->today) snprintf(today, sizeof today, "%s", f->today);
    else now_date(today);
    GapMatrix all;
    everyone(db, a, m, nendo, as_of, today, &all);
    if (!f->tier) {
        *g = all;
        return;
    }
    /* The tier filter keeps the people whose tier it names, in order. */
    *g = all;
    g->npeople = 0;
    size_t ni = (size_t)m->nitems;
    g->people = arena_alloc(a, sizeof *g->people * (size_t)(all.npeople + 1));
    g->target = arena_alloc(a, sizeof(int) * ((size_t)all.npeople * ni + 1));
    g->self = arena_alloc(a, sizeof(int) * ((size_t)all.npeople * ni + 1));
    g->sup = arena_alloc(a, sizeof(int) * ((size_t)all.npeople * ni + 1));
    g->item_used = arena_zalloc(a, sizeof(bool) * (ni + 1));
    for (int p = 0; p < all.npeople; p++) {
        if (all.people[p].tier != f->tier) continue;
        int q = g->npeople++;
        g->people[q] = all.people[p];
        memcpy(&g->target[(size_t)q * ni], &all.target[(size_t)p * ni], sizeof(int) * ni);
        memcpy(&g->self[(size_t)q * ni], &all.self[(size_t)p * ni], sizeof(int) * ni);
        memcpy(&g->sup[(size_t)q * ni], &all.sup[(size_t)p * ni], sizeof(int) * ni);
    }
    items_used(g);
}
