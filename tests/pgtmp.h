/* pgtmp.h - PostgreSQL for a test program: the cluster named by the
 * environment variable JINZAI_TEST_PG (a libpq keyword string such as
 * "host=/tmp/x port=5432 user=jinzai dbname=jinzai"), or else a throwaway
 * cluster that scripts/pgtmp.sh starts in a temporary folder and that
 * pgtmp_stop removes. A database per test (pgtmp_create) is dropped by
 * pgtmp_drop. When PostgreSQL 15 is not installed, pgtmp_start returns the
 * reason and the tests skip. */
#ifndef JINZAI_TEST_PGTMP_H
#define JINZAI_TEST_PGTMP_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char pgtmp_base[512]; /* conninfo of the cluster's maintenance database */
static char pgtmp_dir[256];  /* the throwaway cluster's folder, "" when none */

/* Runs scripts/pgtmp.sh with one or two arguments; its stdout into out. */
static inline int pgtmp_script(const char *a1, const char *a2, char *out, size_t n)
{
    int fds[2];
    if (pipe(fds) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        char *argv[] = {(char *)"/bin/bash", (char *)"scripts/pgtmp.sh", (char *)a1, (char *)a2, NULL};
        execv("/bin/bash", argv);
        _exit(127);
    }
    close(fds[1]);
    size_t len = 0;
    ssize_t r;
    while (out && len + 1 < n && (r = read(fds[0], out + len, n - 1 - len)) > 0) len += (size_t)r;
    if (out) out[len] = '\0';
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* NULL when a cluster is ready, else why not. */
static inline const char *pgtmp_start(void)
{
    const char *env = getenv("JINZAI_TEST_PG");
    if (env && *env) {
        snprintf(pgtmp_base, sizeof pgtmp_base, "%s", env);
        return NULL;
    }
    if (access("scripts/pgtmp.sh", R_OK) != 0) return "scripts/pgtmp.sh not found (run the tests from the repository root)";
    if (pgtmp_script("available", NULL, NULL, 0) != 0)
        return "PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin; scripts/deps.sh installs postgresql-15)";
    char out[1024];
    if (pgtmp_script("start", NULL, out, sizeof out) != 0) return "scripts/pgtmp.sh start failed";
    const char *d = strstr(out, "PGTMP_DIR="), *u = strstr(out, "PGTMP_URL='");
    if (!d || !u) return "scripts/pgtmp.sh start printed no cluster";
    d += strlen("PGTMP_DIR=");
    u += strlen("PGTMP_URL='");
    snprintf(pgtmp_dir, sizeof pgtmp_dir, "%.*s", (int)strcspn(d, "\n"), d);
    snprintf(pgtmp_base, sizeof pgtmp_base, "%.*s", (int)strcspn(u, "'"), u);
    return NULL;
}

static inline void pgtmp_stop(void)
{
    if (pgtmp_dir[0]) pgtmp_script("stop", pgtmp_dir, NULL, 0);
    pgtmp_dir[0] = '\0';
}

/* Runs one command on the cluster's own database; true on success. */
static inline bool pgtmp_admin(const char *sql)
{
    const char *keys[] = {"dbname", "dbname", NULL}, *vals[] = {pgtmp_base, "postgres", NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    bool ok = PQstatus(c) == CONNECTION_OK;
    if (ok) {
        PQclear(PQexec(c, "SET client_min_messages = warning"));
        PGresult *r = PQexec(c, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok) fprintf(stderr, "# pgtmp: %s: %s", sql, PQresultErrorMessage(r));
        PQclear(r);
    } else {
        fprintf(stderr, "# pgtmp: cannot connect: %s", PQerrorMessage(c));
    }
    PQfinish(c);
    return ok;
}

/* A new empty database `name` (a plain identifier); its conninfo into out. */
static inline bool pgtmp_create(const char *name, char *out, size_t n)
{
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
    if (!pgtmp_admin(sql)) return false;
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    if (!pgtmp_admin(sql)) return false;
    return (size_t)snprintf(out, n, "%s dbname=%s", pgtmp_base, name) < n;
}

static inline void pgtmp_drop(const char *name)
{
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    pgtmp_admin(sql);
}

/* A cluster and a new database PREFIX_PID in it for a test program's
 * PostgreSQL part: its name into name, its conninfo into url; NULL when
 * ready, else why not (also printed as a skip line, with what). */
static inline const char *pgtmp_open(const char *what, const char *prefix, char *name, size_t nn, char *url, size_t nu)
{
    const char *skip = pgtmp_start();
    name[0] = '\0';
    if (!skip) {
        snprintf(name, nn, "%s_%d", prefix, (int)getpid());
        if (!pgtmp_create(name, url, nu)) skip = "cannot create a test database";
    }
    if (skip) fprintf(stderr, "# skipped: %s: %s\n", what, skip);
    return skip;
}

/* Drops the database pgtmp_open named (if it got that far) and stops the cluster. */
static inline void pgtmp_close(const char *name)
{
    if (name[0]) pgtmp_drop(name);
    pgtmp_stop();
}

#endif
