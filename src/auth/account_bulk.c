/* account_bulk.c - accounts for the whole roster at once (see account.h). */
#include <sodium.h>
#include <string.h>

#include "../core/util.h"
#include "../db/asof.h"
#include "../db/setting.h"
#include "../db/tx.h"
#include "account.h"
#include "password.h"
#include "roles.h"

const char *account_manager_posts(Db *db, Arena *a) { return setting_get(db, a, "account_manager_posts", ACCOUNT_MANAGER_POSTS); }

unsigned account_roles_for_post(const char *list, const char *post)
{
    unsigned roles = ROLE_STAFF;
    size_t plen = post ? strlen(post) : 0;
    if (!plen || !list) return roles;
    for (const char *p = list; *p;) {
        /* Separators: comma, space, and the three-byte 、 */
        size_t sep = strlen("、");
        if (*p == ',' || *p == ' ') {
            p++;
            continue;
        }
        if (strncmp(p, "、", sep) == 0) {
            p += sep;
            continue;
        }
        const char *end = p;
        while (*end && *end != ',' && *end != ' ' && strncmp(end, "、", sep) != 0) end++;
        if ((size_t)(end - p) == plen && strncmp(p, post, plen) == 0) roles |= ROLE_MANAGER;
        p = end;
    }
    return roles;
}

int account_bulk_candidates(Db *db, Arena *a, BulkAccount **out)
{
    char today[11];
    now_date(today);
    int cap = (int)db_int(db, 0, "SELECT COUNT(*) FROM staff");
    BulkAccount *rows = arena_zalloc(a, sizeof *rows * (size_t)(cap + 1));
    const char *posts = account_manager_posts(db, a);
    Stmt *st = db_query(db,
                        "SELECT s.id, s.name, s.staff_no, s.post, COALESCE(u.name, '') FROM staff s"
                        " LEFT JOIN org_unit u ON u.id = " ASOF_UNIT_OF("s.id") " WHERE " ASOF_IN_SERVICE("s.id")
                        " AND NOT EXISTS (SELECT 1 FROM account c WHERE c.staff_id = s.id) ORDER BY s.staff_no",
                        today, today, today, today);
    int n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        BulkAccount *x = &rows[n++];
        x->staff_id = db_col_int(st, 0);
        x->name = db_col_dup(st, 1, a);
        x->staff_no = db_col_dup(st, 2, a);
        x->post = db_col_dup(st, 3, a);
        x->unit = db_col_dup(st, 4, a);
        x->login = x->staff_no;
        x->roles = account_roles_for_post(posts, x->post);
    }
    db_done(st);
    *out = rows;
    return n;
}

/* 14 characters without look-alikes (0/O, 1/l/I): about 80 bits. */
static const char *new_password(Arena *a)
{
    static const char set[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    char pw[15];
    for (int i = 0; i < 14; i++) pw[i] = set[randombytes_uniform((uint32_t)(sizeof set - 1))];
    pw[14] = 0;
    const char *out = arena_strdup(a, pw);
    sodium_memzero(pw, sizeof pw);
    return out;
}

static bool login_rule_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 32) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-')) return false;
    return true;
}

int account_bulk_create(Db *db, const Actor *who, Arena *a, const BulkOptions *o, BulkAccount **out, int *n, Errors *e)
{
    const char *posts = str_empty(o->manager_posts) ? ACCOUNT_MANAGER_POSTS : o->manager_posts;
    if (strlen(posts) > 500) {
        err_add(e, "posts", "所属長とする職位は500バイト以内で入力してください。");
        return -1;
    }
    BulkAccount *rows;
    int count = account_bulk_candidates(db, a, &rows);
    /* Hashing is slow by design: done before the transaction, which then
     * only writes. */
    char(*hashes)[PASSWORD_HASH_MAX] = arena_zalloc(a, sizeof *hashes * (size_t)(count + 1));
    for (int i = 0; i < count; i++) {
        BulkAccount *x = &rows[i];
        x->roles = account_roles_for_post(posts, x->post);
        if (o->lower) {
            char *l = arena_strdup(a, x->staff_no);
            for (char *p = l; *p; p++)
                if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
            x->login = l;
        }
        if (!login_rule_ok(x->login)) {
            x->skipped = o->lower ? "職員番号がログイン名の規則（半角英小文字・数字・.-_ の2〜32文字）に合いません。"
                                  : "職員番号がログイン名の規則に合いません（英大文字を含む場合は「小文字にする」を選んでください）。";
            continue;
        }
        if (db_exists(db, "SELECT 1 FROM account WHERE login = ?", x->login)) {
            x->skipped = "このログイン名は既に別のアカウントが使っています。";
            continue;
        }
        if (o->ldap) continue;
        x->password = new_password(a);
        if (password_hash(x->password, hashes[i]) != 0) {
            err_add(e, "", "パスワードを処理できませんでした。");
            return -1;
        }
    }
    if (tx_begin(db, e) != 0) return -1;
    char now[32];
    now_iso(now);
    bool ok = setting_set(db, who, "account_manager_posts", posts) == 0;
    int made = 0;
    for (int i = 0; i < count && ok; i++) {
        BulkAccount *x = &rows[i];
        if (x->skipped) continue;
        Stmt *st = db_query(db,
                            "INSERT INTO account (login, staff_id, pw_hash, roles, active, must_change, auth, created_at, updated_at)"
                            " VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?) RETURNING id",
                            x->login, x->staff_id, o->ldap ? "" : hashes[i], (int)x->roles, o->ldap ? 0 : 1,
                            o->ldap ? "ldap" : "local", now, now);
        int64_t id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
        db_done(st);
        ok = id && audit_write(db, who, "account.create", "account", id, x->staff_id,
                               arena_printf(a, "%s（%s・一括作成%s）", x->login, roles_names(a, x->roles), o->ldap ? "・LDAP認証" : "")) == 0;
        made++;
    }
    ok = ok && audit_write(db, who, "account.bulk", "account", 0, 0,
                           arena_printf(a, "%d件作成（対象%d人、所属長とする職位：%s%s）", made, count, posts, o->ldap ? "、LDAP認証" : "")) == 0;
    sodium_memzero(hashes, sizeof *hashes * (size_t)(count + 1));
    if (tx_end(db, e, ok) != 0) return -1;
    *out = rows;
    *n = count;
    return made;
}
