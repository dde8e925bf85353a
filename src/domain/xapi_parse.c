/* xapi_parse.c - reading xAPI statements; see xapi_parse.h. */
#include "xapi_parse.h"

#include <ctype.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "../core/util.h"

bool xapi_uuid_ok(const char *s)
{
    if (!s || strlen(s) != 36) return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i])) return false;
    }
    return true;
}

void xapi_uuid_new(char out[37])
{
    char hex[33];
    random_hex(hex, 16);
    hex[12] = '4';                                      /* version 4 */
    hex[16] = "89ab"[strtol((char[]){hex[16], 0}, NULL, 16) & 3]; /* variant 10xx */
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

/* ---- canonical form: sorted keys, no whitespace ---- */

static int key_cmp(const void *x, const void *y) { return strcmp(*(const char *const *)x, *(const char *const *)y); }

static void canon(Buf *b, json_object *o, bool top)
{
    switch (json_object_get_type(o)) {
    case json_type_object: {
        size_t n = (size_t)json_object_object_length(o), k = 0;
        const char **keys = xmalloc(sizeof *keys * (n + 1));
        json_object_object_foreach(o, key, val)
        {
            (void)val;
            if (top && (!strcmp(key, "id") || !strcmp(key, "authority") || !strcmp(key, "stored") || !strcmp(key, "version"))) continue;
            keys[k++] = key;
        }
        qsort(keys, k, sizeof *keys, key_cmp);
        buf_putc(b, '{');
        for (size_t i = 0; i < k; i++) {
            if (i) buf_putc(b, ',');
            json_object *ks = json_object_new_string(keys[i]);
            buf_puts(b, json_object_to_json_string_ext(ks, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
            json_object_put(ks);
            buf_putc(b, ':');
            canon(b, json_object_object_get(o, keys[i]), false);
        }
        buf_putc(b, '}');
        free(keys);
        break;
    }
    case json_type_array: {
        size_t n = json_object_array_length(o);
        buf_putc(b, '[');
        for (size_t i = 0; i < n; i++) {
            if (i) buf_putc(b, ',');
            canon(b, json_object_array_get_idx(o, i), false);
        }
        buf_putc(b, ']');
        break;
    }
    default:
        buf_puts(b, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    }
}

/* ---- the statement's properties ---- */

static const char *str_of(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string)) return NULL;
    return json_object_get_string(v);
}

static json_object *obj_of(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_object)) return NULL;
    return v;
}

static bool has(json_object *o, const char *key) { return json_object_object_get_ex(o, key, NULL); }

static bool iri_ok(const char *s) { return s && *s && strchr(s, ':') && !strpbrk(s, " \t\r\n"); }

/* "YYYY-MM-DDThh:mm…": the date and time parts xAPI timestamps carry. */
static bool timestamp_ok(const char *s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd";
    if (strlen(s) < sizeof shape - 1) return false;
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i] && !(i == 10 && s[i] == 't')) return false;
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static char *lower(Arena *a, const char *s)
{
    char *c = arena_strdup(a, s);
    for (char *p = c; *p; p++) *p = (char)tolower((unsigned char)*p);
    return c;
}

/* Fills st from one statement object; NULL on success, else the reason. */
static const char *read_statement(Arena *a, json_object *o, XapiStatement *st)
{
    if (!json_object_is_type(o, json_type_object)) return "a statement must be a JSON object";
    const char *id = str_of(o, "id");
    if (has(o, "id") && !xapi_uuid_ok(id)) return "id must be a UUID";
    st->id = id ? lower(a, id) : "";
    json_object *actor = obj_of(o, "actor");
    if (!actor) return "actor is required and must be an object";
    const char *type = str_of(actor, "objectType");
    if (has(actor, "objectType") && (!type || (strcmp(type, "Agent") && strcmp(type, "Group")))) return "actor.objectType must be Agent or Group";
    int ifis = 0;
    const char *mbox = str_of(actor, "mbox");
    if (has(actor, "mbox")) {
        if (!mbox || strncasecmp(mbox, "mailto:", 7) != 0 || !strchr(mbox + 7, '@')) return "actor.mbox must be a mailto: IRI";
        ifis++;
    }
    if (has(actor, "mbox_sha1sum")) ifis++;
    if (has(actor, "openid")) ifis++;
    const char *account = NULL;
    if (has(actor, "account")) {
        json_object *acc = obj_of(actor, "account");
        account = str_of(acc, "name");
        if (!acc || !account || !*account || !iri_ok(str_of(acc, "homePage"))) return "actor.account needs homePage and name";
        ifis++;
    }
    bool group = type && !strcmp(type, "Group");
    if (ifis > 1 || (ifis == 0 && !group)) return "actor must have exactly one of mbox, mbox_sha1sum, openid, account";
    st->mbox = mbox && !group ? lower(a, mbox) : "";
    st->account = account && !group ? arena_strdup(a, account) : "";
    st->actor = *st->mbox ? st->mbox : *st->account ? arena_printf(a, "account:%s", st->account) : "";
    json_object *verb = obj_of(o, "verb");
    const char *verb_id = str_of(verb, "id");
    if (!verb || !iri_ok(verb_id)) return "verb.id is required and must be an IRI";
    st->verb = arena_strdup(a, verb_id);
    json_object *obj = obj_of(o, "object");
    if (!obj) return "object is required and must be an object";
    const char *otype = str_of(obj, "objectType");
    if (has(obj, "objectType") && !otype) return "object.objectType must be a string";
    st->activity = "";
    if (!otype || !strcmp(otype, "Activity")) {
        const char *aid = str_of(obj, "id");
        if (!iri_ok(aid)) return "object.id is required and must be an IRI";
        st->activity = arena_strdup(a, aid);
    } else if (strcmp(otype, "Agent") && strcmp(otype, "Group") && strcmp(otype, "StatementRef") && strcmp(otype, "SubStatement")) {
        return "object.objectType is not one xAPI knows";
    }
    const char *ts = str_of(o, "timestamp");
    if (has(o, "timestamp") && (!ts || !timestamp_ok(ts))) return "timestamp must be an ISO 8601 date and time";
    st->timestamp = ts ? arena_strdup(a, ts) : "";
    if (has(o, "result") && !obj_of(o, "result")) return "result must be an object";
    st->score = -1;
    json_object *score = obj_of(obj_of(o, "result"), "score"), *scaled;
    if (score && json_object_object_get_ex(score, "scaled", &scaled)) {
        if (!json_object_is_type(scaled, json_type_double) && !json_object_is_type(scaled, json_type_int)) return "result.score.scaled must be a number";
        double v = json_object_get_double(scaled);
        if (!(v >= -1.0 && v <= 1.0)) return "result.score.scaled must be between -1 and 1";
        st->score = v < 0 ? 0 : (int)lround(v * 100.0);
    }
    Buf c = BUF_INIT;
    canon(&c, o, true);
    st->canonical = arena_strdup(a, buf_cstr(&c));
    buf_free(&c);
    return NULL;
}

/* The byte ranges of the elements of a top-level array that is already
 * known to be valid JSON: start offsets and lengths, at most max. */
static int split_array(const char *s, size_t len, size_t *start, size_t *n, int max)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)s[i])) i++;
    i++; /* '[' */
    int count = 0, depth = 0;
    bool in_str = false;
    size_t from = SIZE_MAX;
    for (; i < len; i++) {
        char c = s[i];
        if (from == SIZE_MAX) {
            if (isspace((unsigned char)c)) continue;
            if (c == ']') break;
            from = i;
        }
        if (in_str) {
            if (c == '\\') i++;
            else if (c == '"') in_str = false;
            continue;
        }
        if (c == '"') in_str = true;
        else if (c == '{' || c == '[') depth++;
        else if ((c == '}' || c == ']') && depth > 0) depth--;
        else if ((c == ',' || c == ']') && depth == 0) {
            size_t end = i;
            while (end > from && isspace((unsigned char)s[end - 1])) end--;
            if (count == max) return -1;
            start[count] = from;
            n[count++] = end - from;
            from = SIZE_MAX;
            if (c == ']') break;
        }
    }
    return count;
}

int xapi_parse(Arena *a, const char *body, size_t len, XapiStatement **out, char *err, size_t errn)
{
    *out = NULL;
    if (!body || len == 0 || memchr(body, '\0', len)) {
        snprintf(err, errn, "the body must be a statement or an array of statements in JSON");
        return -1;
    }
    json_tokener *tok = json_tokener_new_ex(32);
    json_object *root = json_tokener_parse_ex(tok, body, (int)(len > 0x7fffffff ? 0x7fffffff : len));
    size_t end = json_tokener_get_parse_end(tok);
    bool ok = root && json_tokener_get_error(tok) == json_tokener_success;
    json_tokener_free(tok);
    while (ok && end < len && isspace((unsigned char)body[end])) end++;
    if (!ok || end != len) {
        json_object_put(root);
        snprintf(err, errn, "the body is not valid JSON");
        return -1;
    }
    int n = -1;
    if (json_object_is_type(root, json_type_array)) {
        size_t count = json_object_array_length(root);
        if (count == 0 || count > XAPI_MAX_BATCH) {
            snprintf(err, errn, "an array must hold 1 to %d statements", XAPI_MAX_BATCH);
            goto out;
        }
        size_t *start = arena_alloc(a, sizeof *start * count), *sz = arena_alloc(a, sizeof *sz * count);
        if (split_array(body, len, start, sz, (int)count) != (int)count) {
            snprintf(err, errn, "the body is not valid JSON");
            goto out;
        }
        XapiStatement *st = arena_zalloc(a, sizeof *st * count);
        for (size_t i = 0; i < count; i++) {
            const char *why = read_statement(a, json_object_array_get_idx(root, i), &st[i]);
            if (why) {
                snprintf(err, errn, "statement %zu: %s", i + 1, why);
                goto out;
            }
            st[i].raw = arena_strndup(a, body + start[i], sz[i]);
        }
        for (size_t i = 0; i < count; i++)
            for (size_t j = i + 1; j < count && *st[i].id; j++)
                if (!strcmp(st[i].id, st[j].id)) {
                    snprintf(err, errn, "statement %zu repeats the id of statement %zu", j + 1, i + 1);
                    goto out;
                }
        *out = st;
        n = (int)count;
    } else {
        XapiStatement *st = arena_zalloc(a, sizeof *st);
        const char *why = read_statement(a, root, st);
        if (why) {
            snprintf(err, errn, "%s", why);
            goto out;
        }
        st->raw = arena_strndup(a, body, len);
        *out = st;
        n = 1;
    }
out:
    json_object_put(root);
    return n;
}
