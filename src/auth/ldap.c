/* ldap.c - see ldap.h. */
#define LDAP_DEPRECATED 0
#include "ldap.h"

#include <lber.h>
#include <ldap.h>
#include <string.h>

#include "../core/util.h"
#include "../db/setting.h"
#include "../db/tx.h"

const char *ldapauth_url_override;

bool ldapauth_config(Db *db, Arena *a, LdapConfig *c)
{
    memset(c, 0, sizeof *c);
    c->url = ldapauth_url_override ? ldapauth_url_override : setting_get(db, a, "ldap_url", "");
    c->bind_dn = setting_get(db, a, "ldap_bind_dn", "");
    c->attr = setting_get(db, a, "ldap_attr", "");
    c->base = setting_get(db, a, "ldap_base", "");
    c->filter = setting_get(db, a, "ldap_filter", "(uid=%s)");
    c->starttls = str_eq(setting_get(db, a, "ldap_starttls", "0"), "1");
    return !str_empty(c->url) && !str_empty(c->bind_dn);
}

/* Exactly one "%s" and no other conversion. */
static bool one_placeholder(const char *t)
{
    int n = 0;
    for (const char *p = t; (p = strchr(p, '%')) != NULL; p += 2) {
        if (p[1] != 's') return false;
        n++;
    }
    return n == 1;
}

static bool attr_name_ok(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-')) return false;
    return true;
}

int ldapauth_save(Db *db, const Actor *who, const LdapConfig *c, Errors *e)
{
    const char *url = c->url ? c->url : "";
    if (!str_empty(url) && strncmp(url, "ldap://", 7) != 0 && strncmp(url, "ldaps://", 8) != 0)
        err_add(e, "url", "URLは ldap:// または ldaps:// で始めてください。");
    if (!str_empty(url) && !one_placeholder(c->bind_dn ? c->bind_dn : ""))
        err_add(e, "bind_dn", "バインドDNには、ログイン名の入る %s をちょうど1つ含めてください。");
    if (!attr_name_ok(c->attr ? c->attr : "")) err_add(e, "attr", "属性名は半角英数字とハイフンで入力してください。");
    if (!str_empty(c->base) && !one_placeholder(c->filter ? c->filter : ""))
        err_add(e, "filter", "検索フィルタには、ログイン名の入る %s をちょうど1つ含めてください。");
    if (err_any(e) || tx_begin(db, e) != 0) return -1;
    bool ok = setting_set(db, who, "ldap_url", url) == 0 && setting_set(db, who, "ldap_bind_dn", c->bind_dn ? c->bind_dn : "") == 0 &&
              setting_set(db, who, "ldap_attr", c->attr ? c->attr : "") == 0 &&
              setting_set(db, who, "ldap_base", c->base ? c->base : "") == 0 &&
              setting_set(db, who, "ldap_filter", str_empty(c->filter) ? "(uid=%s)" : c->filter) == 0 &&
              setting_set(db, who, "ldap_starttls", c->starttls ? "1" : "0") == 0;
    return tx_end(db, e, ok);
}

/* Only characters that need no escaping in a DN, a UPN or a filter. */
static bool login_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
              *s == '-' || *s == '@'))
            return false;
    return true;
}

/* The template with its one %s replaced by login (arena). */
static const char *fill(Arena *a, const char *tmpl, const char *login)
{
    const char *p = strstr(tmpl, "%s");
    if (!p) return arena_strdup(a, tmpl);
    return arena_printf(a, "%.*s%s%s", (int)(p - tmpl), tmpl, login, p + 2);
}

/* The first value of attr in the entries of res (arena), or NULL. */
static const char *first_value(LDAP *ld, LDAPMessage *res, Arena *a, const char *attr)
{
    const char *out = NULL;
    for (LDAPMessage *m = ldap_first_entry(ld, res); m && !out; m = ldap_next_entry(ld, m)) {
        struct berval **vals = ldap_get_values_len(ld, m, attr);
        if (vals && vals[0]) out = arena_printf(a, "%.*s", (int)vals[0]->bv_len, vals[0]->bv_val);
        if (vals) ldap_value_free_len(vals);
    }
    return out;
}

LdapResult ldapauth_check(const LdapConfig *c, Arena *a, const char *login, const char *pw, const char **attr_value)
{
    if (attr_value) *attr_value = NULL;
    /* An empty password would be an unauthenticated bind, which succeeds. */
    if (str_empty(pw) || !login_ok(login)) return LDAPAUTH_BAD;
    LDAP *ld = NULL;
    if (ldap_initialize(&ld, c->url) != LDAP_SUCCESS || !ld) return LDAPAUTH_UNAVAILABLE;
    int version = LDAP_VERSION3;
    struct timeval tv = {5, 0};
    ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv);
    ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv);
    ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    LdapResult res = LDAPAUTH_UNAVAILABLE;
    if (c->starttls && ldap_start_tls_s(ld, NULL, NULL) != LDAP_SUCCESS) goto out;
    const char *who = fill(a, c->bind_dn, login);
    struct berval cred = {.bv_len = strlen(pw), .bv_val = (char *)pw};
    int rc = ldap_sasl_bind_s(ld, who, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
    if (rc == LDAP_INVALID_CREDENTIALS || rc == LDAP_INVALID_DN_SYNTAX || rc == LDAP_NO_SUCH_OBJECT ||
        rc == LDAP_INAPPROPRIATE_AUTH || rc == LDAP_UNWILLING_TO_PERFORM) {
        res = LDAPAUTH_BAD;
        goto out;
    }
    if (rc != LDAP_SUCCESS) goto out;
    res = LDAPAUTH_OK;
    if (attr_value && !str_empty(c->attr)) {
        /* The user's own entry: the bound DN itself, or a search under the
         * base when the bind name is not a DN (a UPN). */
        char *attrs[] = {(char *)c->attr, NULL};
        LDAPMessage *msg = NULL;
        bool by_base = !str_empty(c->base);
        rc = ldap_search_ext_s(ld, by_base ? c->base : who, by_base ? LDAP_SCOPE_SUBTREE : LDAP_SCOPE_BASE,
                               by_base ? fill(a, c->filter, login) : "(objectClass=*)", attrs, 0, NULL, NULL, &tv, 2, &msg);
        if (rc == LDAP_SUCCESS || rc == LDAP_SIZELIMIT_EXCEEDED) *attr_value = first_value(ld, msg, a, c->attr);
        if (msg) ldap_msgfree(msg);
    }
out:
    ldap_unbind_ext_s(ld, NULL, NULL);
    return res;
}
