/* ldap.h - signing in against a directory (OpenLDAP, Active Directory).
 *
 * The user's own name and password are used to bind: no service account
 * and no password hash are kept for such accounts (account.auth = 'ldap').
 * Settings (setting table): ldap_url ("ldap://host:389"), ldap_bind_dn (a
 * template where %s is the login: "uid=%s,ou=people,dc=example,dc=jp" or
 * the UPN form "%s@city.local"), ldap_starttls ("1" to require StartTLS),
 * ldap_attr (an attribute of the user's entry holding the 職員番号, such as
 * employeeNumber, to find the staff record when the login is not an
 * account's login) and ldap_base (where to look the entry up when the bind
 * name is not a DN, as with a UPN; searched for ldap_filter, "(uid=%s)" by
 * default). An empty ldap_url turns directory sign-in off. */
#ifndef JINZAI_LDAP_AUTH_H
#define JINZAI_LDAP_AUTH_H

#include <stdbool.h>

#include "../core/errors.h"
#include "../db/audit.h"

typedef struct LdapConfig {
    const char *url, *bind_dn, *attr, *base, *filter;
    bool starttls;
} LdapConfig;

/* The URL that `serve --ldap URL` sets; it overrides the setting when not NULL. */
extern const char *ldapauth_url_override;

/* Loads the settings into c (arena strings). False when sign-in by
 * directory is off (no URL). */
bool ldapauth_config(Db *db, Arena *a, LdapConfig *c);
/* Saves the settings in one transaction, audited; -1 with e filled
 * (a URL that is not ldap:// or ldaps://, a template without one %s). */
int ldapauth_save(Db *db, const Actor *who, const LdapConfig *c, Errors *e);

typedef enum {
    LDAPAUTH_OK,
    LDAPAUTH_BAD,         /* the directory refused the name or password */
    LDAPAUTH_UNAVAILABLE, /* no answer, TLS refused, or a misconfiguration */
} LdapResult;

/* Binds as login with pw. On success, when c->attr is set, *attr_value gets
 * the first value of that attribute of the user's entry (arena; NULL when
 * absent). An empty password or a login with characters other than
 * [A-Za-z0-9._@-] is refused without asking the directory. */
LdapResult ldapauth_check(const LdapConfig *c, Arena *a, const char *login, const char *pw, const char **attr_value);

#endif
