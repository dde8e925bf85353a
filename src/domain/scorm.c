/* scorm.c - SCORM 1.2 packages and their run-time data (see scorm.h). */
#include "scorm.h"
#include "training.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "../core/util.h"
#include "../io/text.h"
#include "../db/tx.h"

/* An entry inflating to at least this many bytes is checked for its ratio
 * (tiny files of repeated text compress well and are harmless). */
#define RATIO_FLOOR ((uint64_t)64 * 1024)

typedef struct Entry {
    const char *path;
    unsigned char *data;
    size_t len;
} Entry;

typedef struct Sco {
    const char *identifier, *title, *href;
} Sco;

/* A relative path inside the package: no "..", not absolute, no drive
 * letter, no backslash, no control characters, no empty segment. */
static bool safe_path(const char *p)
{
    if (!p || !*p || p[0] == '/') return false;
    if (((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':') return false;
    for (const char *s = p; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '\\') return false;
    const char *seg = p;
    for (;;) {
        const char *slash = strchr(seg, '/');
        size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
        if (n == 2 && seg[0] == '.' && seg[1] == '.') return false;
        if (n == 0 && slash) return false; /* "a//b" */
        if (!slash) break;
        seg = slash + 1;
    }
    return true;
}

static const char *prop(Arena *a, xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v) return NULL;
    char *s = arena_strdup(a, (const char *)v);
    xmlFree(v);
    return s;
}

static bool named(xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (named(c, name)) return c;
    return NULL;
}

static const char *text_of(Arena *a, xmlNode *n)
{
    if (!n) return NULL;
    xmlChar *v = xmlNodeGetContent(n);
    if (!v) return NULL;
    char *s = text_trim(a, (const char *)v);
    xmlFree(v);
    return s;
}

/* Resource href by identifier, only for scormtype "sco". */
static xmlNode *resource_of(xmlNode *resources, const char *id)
{
    for (xmlNode *r = resources ? resources->children : NULL; r; r = r->next) {
        if (!named(r, "resource")) continue;
        xmlChar *rid = xmlGetProp(r, (const xmlChar *)"identifier");
        bool hit = rid && strcmp((const char *)rid, id) == 0;
        xmlFree(rid);
        if (hit) return r;
    }
    return NULL;
}

static void collect_items(Arena *a, xmlNode *parent, xmlNode *resources, Sco *out, int *n, int max)
{
    for (xmlNode *it = parent->children; it; it = it->next) {
        if (!named(it, "item")) continue;
        const char *ref = prop(a, it, "identifierref");
        xmlNode *res = ref ? resource_of(resources, ref) : NULL;
        if (res && *n < max) {
            const char *type = prop(a, res, "scormtype");
            if (!type) type = prop(a, res, "scormType");
            const char *href = prop(a, res, "href");
            if (type && strcasecmp(type, "sco") == 0 && href && *href) {
                const char *title = text_of(a, child(it, "title"));
                out[(*n)++] = (Sco){ref, title && *title ? title : ref, href};
            }
        }
        collect_items(a, it, resources, out, n, max);
    }
}

/* Parses the manifest; fills the title and the SCOs. */
static int parse_manifest(Arena *a, const Entry *m, const char **title, Sco *scos, int max, Errors *e)
{
    xmlDoc *doc = xmlReadMemory((const char *)m->data, (int)m->len, "imsmanifest.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        err_add(e, "file", "imsmanifest.xml を XML として読めません。パッケージを作り直してください。");
        return -1;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    int n = 0;
    if (!named(root, "manifest")) {
        err_add(e, "file", "imsmanifest.xml の最上位が manifest ではありません。SCORM 1.2 のパッケージを選んでください。");
    } else {
        xmlNode *orgs = child(root, "organizations"), *resources = child(root, "resources");
        xmlNode *org = NULL;
        const char *dflt = orgs ? prop(a, orgs, "default") : NULL;
        for (xmlNode *o = orgs ? orgs->children : NULL; o; o = o->next) {
            if (!named(o, "organization")) continue;
            const char *id = prop(a, o, "identifier");
            if (!org || (dflt && id && strcmp(id, dflt) == 0)) org = o;
        }
        if (!org || !resources) {
            err_add(e, "file", "imsmanifest.xml に organizations または resources がありません。");
        } else {
            const char *t = text_of(a, child(org, "title"));
            *title = t && *t ? t : "SCORM教材";
            collect_items(a, org, resources, scos, &n, max);
            if (n == 0) err_add(e, "file", "imsmanifest.xml に起動できる SCO（adlcp:scormtype=\"sco\" で href のある resource）がありません。");
        }
    }
    xmlFreeDoc(doc);
    return err_any(e) ? -1 : n;
}

static const Entry *find_entry(const Entry *es, int n, const char *path, size_t plen)
{
    for (int i = 0; i < n; i++)
        if (strlen(es[i].path) == plen && memcmp(es[i].path, path, plen) == 0) return &es[i];
    return NULL;
}

/* Reads every entry after checking the central directory. */
static int read_zip(Arena *a, const void *data, size_t len, Entry **out, Errors *e)
{
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
    if (!za) {
        if (src) zip_source_free(src);
        zip_error_fini(&zerr);
        err_add(e, "file", "zip ファイルとして読めません。SCORM パッケージの zip を選んでください。");
        return -1;
    }
    zip_error_fini(&zerr);
    zip_int64_t count = zip_get_num_entries(za, 0);
    int n = 0;
    uint64_t total = 0;
    if (count > SCORM_MAX_FILES) err_addf(e, "file", "zip のファイルが多すぎます（%lld件、上限 %d件）。", (long long)count, SCORM_MAX_FILES);
    for (zip_int64_t i = 0; i < count && !err_any(e); i++) {
        zip_stat_t st;
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) || !(st.valid & ZIP_STAT_SIZE)) {
            err_add(e, "file", "zip の目録が壊れています。");
            break;
        }
        const char *name = st.name;
        if (!safe_path(name)) {
            err_addf(e, "file", "zip に安全でないパス「%s」があります（「..」や絶対パスは使えません）。取り込みませんでした。", text_trim(a, name));
            break;
        }
        zip_uint8_t opsys;
        zip_uint32_t attr;
        if (zip_file_get_external_attributes(za, (zip_uint64_t)i, 0, &opsys, &attr) == 0 && opsys == ZIP_OPSYS_UNIX &&
            ((attr >> 16) & S_IFMT) == S_IFLNK) {
            err_addf(e, "file", "zip にシンボリックリンク「%s」があります。リンクを含むパッケージは取り込めません。", name);
            break;
        }
        if (st.size > SCORM_MAX_ENTRY) {
            err_addf(e, "file", "zip の「%s」が大きすぎます（展開後 %llu バイト、1ファイルの上限 %llu バイト）。", name, (unsigned long long)st.size,
                     (unsigned long long)SCORM_MAX_ENTRY);
            break;
        }
        total += st.size;
        if (total > SCORM_MAX_TOTAL) {
            err_addf(e, "file", "zip の展開後の合計が上限（%llu MB）を超えます。", (unsigned long long)(SCORM_MAX_TOTAL >> 20));
            break;
        }
        uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
        if (st.size >= RATIO_FLOOR && (comp == 0 || st.size / comp > SCORM_MAX_RATIO)) {
            err_addf(e, "file", "zip の「%s」の圧縮率が異常です（%d:1 を超えます）。zip 爆弾の疑いがあるため取り込みませんでした。", name, SCORM_MAX_RATIO);
            break;
        }
    }
    Entry *es = arena_zalloc(a, sizeof *es * (size_t)(count > 0 ? count : 1));
    for (zip_int64_t i = 0; i < count && !err_any(e); i++) {
        zip_stat_t st;
        zip_stat_index(za, (zip_uint64_t)i, 0, &st);
        size_t nl = strlen(st.name);
        if (nl && st.name[nl - 1] == '/') continue; /* a folder */
        zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)i, 0);
        unsigned char *buf = arena_alloc(a, (size_t)st.size + 1);
        zip_int64_t got = f ? zip_fread(f, buf, st.size + 1) : -1;
        if (f) zip_fclose(f);
        if (got < 0 || (zip_uint64_t)got != st.size) {
            err_addf(e, "file", "zip の「%s」を読めません（壊れているか、目録と中身の大きさが違います）。", st.name);
            break;
        }
        es[n++] = (Entry){arena_strdup(a, st.name), buf, (size_t)got};
    }
    zip_close(za);
    *out = es;
    return err_any(e) ? -1 : n;
}

int64_t scorm_import(Db *db, const Actor *who, int64_t course_id, const char *filename, const void *data, size_t len, Errors *e)
{
    Arena a = ARENA_INIT;
    Entry *es = NULL;
    int64_t id = -1;
    if (!db_exists(db, "SELECT 1 FROM course WHERE id = ?", course_id)) err_add(e, "course_id", "紐づける研修を選んでください。");
    int n = err_any(e) ? -1 : read_zip(&a, data, len, &es, e);
    const Entry *manifest = n > 0 ? find_entry(es, n, "imsmanifest.xml", 15) : NULL;
    if (n >= 0 && !manifest) err_add(e, "file", "zip の最上位に imsmanifest.xml がありません。SCORM 1.2 のパッケージを選んでください。");
    enum { MAX_SCOS = 100 };
    Sco scos[MAX_SCOS];
    const char *title = NULL;
    int nsco = manifest ? parse_manifest(&a, manifest, &title, scos, MAX_SCOS, e) : -1;
    for (int i = 0; i < nsco && !err_any(e); i++) {
        const char *h = scos[i].href;
        size_t plen = strcspn(h, "?#");
        if (!safe_path(arena_strndup(&a, h, plen)) || !find_entry(es, n, h, plen))
            err_addf(e, "file", "SCO「%s」の起動ファイル「%s」が zip にありません。", scos[i].title, h);
    }
    if (err_any(e)) {
        arena_free(&a);
        return -1;
    }
    uint64_t bytes = 0;
    for (int i = 0; i < n; i++) bytes += es[i].len;
    char now[32];
    now_iso(now);
    if (tx_begin(db, e) != 0) {
        arena_free(&a);
        return -1;
    }
    id = db_int(db, -1, "INSERT INTO scorm_package (course_id, title, filename, files, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                course_id, title, filename ? filename : "", n, (int64_t)bytes, now);
    bool ok = id > 0;
    for (int i = 0; ok && i < n; i++) {
        Stmt *st = db_prepare(db, "INSERT INTO scorm_file (package_id, path, data) VALUES (?, ?, ?)");
        db_bind_int(st, 1, id);
        db_bind_text(st, 2, es[i].path);
        db_bind_blob(st, 3, es[i].data, es[i].len);
        ok = db_step(st) == DB_DONE;
        db_done(st);
    }
    for (int i = 0; ok && i < nsco; i++)
        ok = db_exec(db, "INSERT INTO scorm_sco (package_id, seq, identifier, title, href) VALUES (?, ?, ?, ?, ?)", id, i + 1, scos[i].identifier,
                     scos[i].title, scos[i].href) == 1;
    ok = ok && audit_write(db, who, "scorm.import", "scorm_package", id, 0,
                           arena_printf(&a, "%s（%s）%dファイル SCO%d件", title, filename ? filename : "", n, nsco)) == 0;
    int rc = tx_end(db, e, ok);
    arena_free(&a);
    return rc == 0 ? id : -1;
}

#define SCO_COLS                                                                                                     \
    "SELECT s.id, s.package_id, p.course_id, s.title, s.href, p.title, c.title FROM scorm_sco s"                     \
    " JOIN scorm_package p ON p.id = s.package_id JOIN course c ON c.id = p.course_id "

static int read_scos(Stmt *st, Arena *a, ScormSco **out)
{
    int n = 0, cap = 0;
    ScormSco *v = NULL;
    while (db_step(st) == DB_ROW) {
        ARENA_GROW(a, v, n, cap);
        v[n++] = (ScormSco){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_dup(st, 3, a), db_col_dup(st, 4, a),
                            db_col_dup(st, 5, a), db_col_dup(st, 6, a)};
    }
    db_done(st);
    *out = v;
    return n;
}

int scorm_scos_of_course(Db *db, Arena *a, int64_t course_id, ScormSco **out)
{
    return read_scos(db_query(db, SCO_COLS "WHERE p.course_id = ? ORDER BY p.id, s.seq", course_id), a, out);
}

int scorm_scos_all(Db *db, Arena *a, ScormSco **out) { return read_scos(db_query(db, SCO_COLS "ORDER BY p.id DESC, s.seq"), a, out); }

bool scorm_sco_get(Db *db, Arena *a, int64_t sco_id, ScormSco *out)
{
    ScormSco *v;
    if (read_scos(db_query(db, SCO_COLS "WHERE s.id = ?", sco_id), a, &v) != 1) return false;
    *out = v[0];
    return true;
}

bool scorm_file(Db *db, Arena *a, int64_t package_id, const char *path, const void **data, size_t *len)
{
    Stmt *st = db_query(db, "SELECT data FROM scorm_file WHERE package_id = ? AND path = ?", package_id, path);
    bool found = db_step(st) == DB_ROW;
    if (found) {
        size_t n = (size_t)db_col_bytes(st, 0);
        void *p = arena_alloc(a, n + 1);
        if (n) memcpy(p, db_col_blob(st, 0), n);
        *data = p;
        *len = n;
    }
    db_done(st);
    return found;
}

const char *scorm_mime(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"}, {".htm", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},   {".png", "image/png"},                {".jpg", "image/jpeg"},
                 {".jpeg", "image/jpeg"},               {".gif", "image/gif"},                {".svg", "image/svg+xml"},
                 {".mp4", "video/mp4"},                 {".mp3", "audio/mpeg"},               {".json", "application/json"},
                 {".xml", "application/xml"},           {".pdf", "application/pdf"},          {".woff2", "font/woff2"}};
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcasecmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

int64_t scorm_time_parse(const char *s)
{
    if (!s) return -1;
    int h = 0, nh = 0;
    while (*s >= '0' && *s <= '9' && nh < 4) h = h * 10 + (*s++ - '0'), nh++;
    if (nh < 2 || *s++ != ':') return -1;
    if (!(s[0] >= '0' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9' && s[2] == ':')) return -1;
    int m = (s[0] - '0') * 10 + (s[1] - '0');
    s += 3;
    if (!(s[0] >= '0' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9')) return -1;
    int sec = (s[0] - '0') * 10 + (s[1] - '0');
    s += 2;
    int cs = 0;
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9')) return -1;
        cs = (*s++ - '0') * 10;
        if (*s >= '0' && *s <= '9') cs += *s++ - '0';
    }
    if (*s) return -1;
    return (((int64_t)h * 60 + m) * 60 + sec) * 100 + cs;
}

void scorm_time_format(int64_t cs, char out[24])
{
    if (cs < 0) cs = 0;
    int64_t h = cs / 360000;
    if (h > 9999) h = 9999, cs = 9999 * (int64_t)360000 + 359999;
    snprintf(out, 24, "%04lld:%02lld:%02lld.%02lld", (long long)h, (long long)(cs / 6000 % 60), (long long)(cs / 100 % 60), (long long)(cs % 100));
}

/* Adds pending_time into total_time (no transaction of its own). */
static bool fold_time(Db *db, Arena *a, int64_t attempt_id)
{
    const char *pending = db_text(db, a, "SELECT pending_time FROM scorm_attempt WHERE id = ?", attempt_id);
    if (!pending || !*pending) return true;
    const char *total = db_text(db, a, "SELECT total_time FROM scorm_attempt WHERE id = ?", attempt_id);
    int64_t t = scorm_time_parse(total), p = scorm_time_parse(pending);
    char out[24];
    scorm_time_format((t < 0 ? 0 : t) + (p < 0 ? 0 : p), out);
    return db_exec(db, "UPDATE scorm_attempt SET total_time = ?, pending_time = '' WHERE id = ?", out, attempt_id) == 1;
}

int64_t scorm_attempt_open(Db *db, const Actor *who, int64_t sco_id, int64_t staff_id, Errors *e)
{
    Arena a = ARENA_INIT;
    if (tx_begin(db, e) != 0) return -1;
    bool ok = db_exec(db, "INSERT INTO scorm_attempt (sco_id, staff_id) VALUES (?, ?) ON CONFLICT (sco_id, staff_id) DO NOTHING", sco_id, staff_id) >= 0;
    int64_t id = db_int(db, -1, "SELECT id FROM scorm_attempt WHERE sco_id = ? AND staff_id = ?", sco_id, staff_id);
    bool pending = db_exists(db, "SELECT 1 FROM scorm_attempt WHERE id = ? AND pending_time <> ''", id);
    ok = ok && id > 0 && fold_time(db, &a, id);
    ok = ok && audit_write(db, who, "scorm.launch", "scorm_attempt", id, staff_id, pending ? "起動（前回の学習時間を累計に加算）" : "起動") == 0;
    int rc = tx_end(db, e, ok);
    arena_free(&a);
    return rc == 0 ? id : -1;
}

bool scorm_state(Db *db, Arena *a, int64_t attempt_id, ScormState *s)
{
    Stmt *st = db_query(db,
                        "SELECT t.id, t.sco_id, t.staff_id, f.staff_no, f.name, t.lesson_status, t.lesson_location, t.suspend_data, t.score_raw,"
                        " t.score_min, t.score_max, t.total_time, t.exit_mode, t.committed_at IS NOT NULL"
                        " FROM scorm_attempt t JOIN staff f ON f.id = t.staff_id WHERE t.id = ?",
                        attempt_id);
    bool found = db_step(st) == DB_ROW;
    if (found)
        *s = (ScormState){db_col_int(st, 0),      db_col_int(st, 1),      db_col_int(st, 2),      db_col_dup(st, 3, a),
                          db_col_dup(st, 4, a),   db_col_dup(st, 5, a),   db_col_dup(st, 6, a),   db_col_dup(st, 7, a),
                          db_col_dup(st, 8, a),   db_col_dup(st, 9, a),   db_col_dup(st, 10, a),  db_col_dup(st, 11, a),
                          db_col_dup(st, 12, a),  db_col_int(st, 13) ? "resume" : "ab-initio"};
    db_done(st);
    return found;
}

static bool one_of(const char *v, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(v, *set) == 0) return true;
    return false;
}

static bool score_ok(const char *v)
{
    if (!v || !*v) return true;
    char *end;
    double d = strtod(v, &end);
    return *end == 0 && end != v && d >= 0 && d <= 100;
}

/* The 年度 session of an e-learning course, made when missing. */
static int64_t nendo_session(Db *db, int64_t course_id) { return session_for_year(db, course_id, nendo_of(date_today()), "SCORM教材の受講（通年）"); }

int scorm_commit(Db *db, const Actor *who, int64_t attempt_id, const ScormCommit *c, Errors *e)
{
    static const char *const statuses[] = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted", NULL};
    static const char *const exits[] = {"", "time-out", "suspend", "logout", NULL};
    if (c->lesson_status && !one_of(c->lesson_status, statuses)) err_add(e, "cmi.core.lesson_status", "学習状況の値が正しくありません。");
    if (!score_ok(c->score_raw) || !score_ok(c->score_min) || !score_ok(c->score_max)) err_add(e, "cmi.core.score", "得点は 0〜100 の数で送ってください。");
    if (c->session_time && *c->session_time && scorm_time_parse(c->session_time) < 0) err_add(e, "cmi.core.session_time", "学習時間の形式が正しくありません（HHHH:MM:SS.SS）。");
    if (c->exit_mode && !one_of(c->exit_mode, exits)) err_add(e, "cmi.core.exit", "終了の値が正しくありません。");
    if (c->suspend_data && strlen(c->suspend_data) > SCORM_SUSPEND_MAX) err_addf(e, "cmi.suspend_data", "中断データは %d 文字までです。", SCORM_SUSPEND_MAX);
    if (c->lesson_location && strlen(c->lesson_location) > SCORM_LOCATION_MAX) err_addf(e, "cmi.core.lesson_location", "再開位置は %d 文字までです。", SCORM_LOCATION_MAX);
    if ((c->lesson_location && !utf8_valid(c->lesson_location, strlen(c->lesson_location))) ||
        (c->suspend_data && !utf8_valid(c->suspend_data, strlen(c->suspend_data))))
        err_add(e, "", "文字コードが正しくありません（UTF-8）。");
    if (err_any(e)) return -1;
    Arena a = ARENA_INIT;
    ScormState s;
    ScormSco sco;
    if (!scorm_state(db, &a, attempt_id, &s) || !scorm_sco_get(db, &a, s.sco_id, &sco)) {
        err_add(e, "", "学習の記録が見つかりません。教材を開き直してください。");
        arena_free(&a);
        return -1;
    }
    char now[32];
    now_iso(now);
    if (tx_begin(db, e) != 0) {
        arena_free(&a);
        return -1;
    }
    bool ok = db_exec(db,
                      "UPDATE scorm_attempt SET lesson_status = COALESCE(?, lesson_status), lesson_location = COALESCE(?, lesson_location),"
                      " suspend_data = COALESCE(?, suspend_data), score_raw = COALESCE(?, score_raw), score_min = COALESCE(?, score_min),"
                      " score_max = COALESCE(?, score_max), pending_time = COALESCE(?, pending_time), exit_mode = COALESCE(?, exit_mode),"
                      " committed_at = ? WHERE id = ?",
                      c->lesson_status, c->lesson_location, c->suspend_data, c->score_raw, c->score_min, c->score_max,
                      c->session_time && *c->session_time ? c->session_time : NULL, c->exit_mode, now, attempt_id) == 1;
    if (ok && c->finish) ok = fold_time(db, &a, attempt_id);
    const char *status = c->lesson_status ? c->lesson_status : s.lesson_status;
    bool done = strcmp(status, "passed") == 0 || strcmp(status, "completed") == 0;
    int64_t completion = 0;
    if (ok && done) {
        int64_t sid = nendo_session(db, sco.course_id);
        const char *raw = c->score_raw ? c->score_raw : s.score_raw;
        int score = raw && *raw ? (int)(strtod(raw, NULL) + 0.5) : -1;
        int minutes = (int)db_int(db, 0, "SELECT minutes FROM course WHERE id = ?", sco.course_id);
        completion = sid > 0 ? db_int(db, 0,
                                      "INSERT INTO completion (session_id, staff_id, attended, minutes, score, result, completed, recorded_at)"
                                      " VALUES (?, ?, 1, ?, NULLIF(?, -1), ?, 1, ?) ON CONFLICT (session_id, staff_id) DO UPDATE SET attended = 1,"
                                      " completed = 1, minutes = excluded.minutes, score = COALESCE(excluded.score, completion.score),"
                                      " result = excluded.result, recorded_at = excluded.recorded_at RETURNING id",
                                      sid, s.staff_id, minutes, score, status, now)
                             : 0;
        ok = completion > 0 && audit_write(db, who, "completion.scorm", "completion", completion, s.staff_id,
                                           arena_printf(&a, "%s %s", sco.course_title, status)) == 0;
    }
    ok = ok && audit_write(db, who, c->finish ? "scorm.finish" : "scorm.commit", "scorm_attempt", attempt_id, s.staff_id,
                           arena_printf(&a, "%s %s", sco.title, status)) == 0;
    int rc = tx_end(db, e, ok);
    arena_free(&a);
    return rc;
}

static void json_str(Buf *b, const char *s)
{
    buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') buf_printf(b, "\\%c", *p);
        else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') buf_printf(b, "\\u%04x", *p);
        else buf_putc(b, (char)*p);
    }
    buf_putc(b, '"');
}

void scorm_state_json(Buf *b, const ScormState *s)
{
    const char *keys[] = {"cmi.core.student_id",    "cmi.core.student_name", "cmi.core.lesson_status", "cmi.core.lesson_location",
                          "cmi.suspend_data",       "cmi.core.score.raw",    "cmi.core.score.min",    "cmi.core.score.max",
                          "cmi.core.total_time",    "cmi.core.exit",         "cmi.core.entry"};
    const char *vals[] = {s->student_id,  s->student_name, s->lesson_status, s->lesson_location, s->suspend_data, s->score_raw,
                          s->score_min,   s->score_max,    s->total_time,    s->exit_mode,       s->entry};
    buf_printf(b, "{\"attempt\":%lld", (long long)s->attempt_id);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        buf_putc(b, ',');
        json_str(b, keys[i]);
        buf_putc(b, ':');
        json_str(b, vals[i]);
    }
    buf_puts(b, "}");
}
