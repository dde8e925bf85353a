/* cli.h - what the command-line tests share: the built binary (JINZAI_BIN)
 * run with popen in a throwaway folder holding a demo database, its output
 * captured. Include it once, after cmocka, in a test program of tests/http/. */
#ifndef JINZAI_TEST_CLI_H
#define JINZAI_TEST_CLI_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *bin;
static char dir[64], demo[96];
static char out[1 << 17];

/* Runs `env jinzai ARGS` in dir with stdin from the text `in` (NULL:
 * /dev/null); stdout and stderr into out. env is put before the command
 * (JINZAI_TODAY=2026-06-01 when NULL). Returns the exit status. */
__attribute__((format(printf, 3, 4), unused)) static int run_env(const char *env, const char *in, const char *fmt, ...)
{
    char args[2048], cmd[4096], inpath[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(inpath, sizeof inpath, "%s/stdin", dir);
    if (in) {
        FILE *f = fopen(inpath, "w");
        fputs(in, f);
        fclose(f);
    }
    snprintf(cmd, sizeof cmd, "cd %s && %s '%s' %s <%s 2>&1", dir, env ? env : "JINZAI_TODAY=2026-06-01", bin, args,
             in ? inpath : "/dev/null");
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    char rest[4096]; /* the rest unread, so that a long answer is no SIGPIPE */
    while (fread(rest, 1, sizeof rest, p) > 0) continue;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
#define run(in, ...) run_env(NULL, in, __VA_ARGS__)

__attribute__((unused)) static void path_of(char *p, size_t n, const char *name) { snprintf(p, n, "%s/%s", dir, name); }

/* The folder /tmp/jinzai-NAME-PID with a demo database demo.db in it. */
__attribute__((unused)) static int cli_open(const char *name)
{
    bin = getenv("JINZAI_BIN");
    if (!bin) bin = "build/release/jinzai";
    static char absbin[4096];
    if (bin[0] != '/' && realpath(bin, absbin)) bin = absbin;
    snprintf(dir, sizeof dir, "/tmp/jinzai-%s-%d", name, (int)getpid());
    mkdir(dir, 0700);
    path_of(demo, sizeof demo, "demo.db");
    if (run(NULL, "init --demo --db demo.db --demo-password demo-password-1") != 0) {
        fprintf(stderr, "%s\n", out);
        return -1;
    }
    return 0;
}

__attribute__((unused)) static int cli_close(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    FILE *p = popen(cmd, "r");
    return p && pclose(p) == 0 ? 0 : -1;
}

#endif
