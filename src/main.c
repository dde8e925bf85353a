/* main.c - command dispatch: serve, init, user, backup, test-request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/account.h"
#include "auth/password.h"
#include "core/config.h"
#include "core/util.h"
#include "db/migrate.h"
#include "domain/course.h"
#include "domain/demo.h"
#include "domain/settings.h"
#include "domain/skill.h"
#include "domain/kpi.h"
#include "domain/transfer.h"
#include "io/table.h"
#include "http/router.h"
#include "http/server.h"
#include "io/text.h"

static void usage(void)
{
    fputs("usage:\n"
          "  jinzai serve  [--db FILE] [--listen HOST:PORT] [--threads N] [--https-proxy]\n"
          "  jinzai init   [--db FILE] [--demo] [--admin-password PW] [--demo-password PW]\n"
          "  jinzai user   add LOGIN [--staff 職員番号] --role ROLE[,ROLE…]   (password on stdin)\n"
          "  jinzai user   passwd LOGIN | role LOGIN ROLES | disable LOGIN    [--db FILE]\n"
          "  jinzai backup FILE [--db FILE]\n"
          "  jinzai test-request [--db FILE] < request.txt\n"
          "  jinzai kpi --year YYYY [--as-of YYYY-MM-DD] [--db FILE]     KPIs as CSV\n"
          "  jinzai transfers preview|apply FILE [--db FILE]             draft transfer list (異動案)\n"
          "roles: staff (職員), manager (所属長), hr (人事), dx (DX推進), admin (管理者)\n",
          stderr);
}

/* Value of --name in argv, or dflt. */
static const char *opt(int argc, char **argv, const char *name, const char *dflt)
{
    for (int i = 0; i < argc - 1; i++)
        if (strcmp(argv[i], name) == 0) return argv[i + 1];
    return dflt;
}

static bool flag(int argc, char **argv, const char *name)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], name) == 0) return true;
    return false;
}

static Db *open_migrated(const char *path)
{
    Db *db = db_open(path);
    if (!db) return NULL;
    if (migrate(db) < 0) {
        db_close(db);
        return NULL;
    }
    return db;
}

static void print_errors(const Errors *e)
{
    for (int i = 0; i < e->n; i++) fprintf(stderr, "jinzai: %s\n", e->items[i].msg);
}

/* Reads one line (a password) from stdin without its newline. */
static char *read_secret(void)
{
    static char line[512];
    if (!fgets(line, sizeof line, stdin)) return NULL;
    line[strcspn(line, "\r\n")] = '\0';
    return line;
}

static int cmd_serve(int argc, char **argv)
{
    Config cfg = {
        .db_path = opt(argc, argv, "--db", "jinzai.db"),
        .listen_host = "127.0.0.1",
        .port = 8080,
        .threads = atoi(opt(argc, argv, "--threads", "4")),
        .behind_https_proxy = flag(argc, argv, "--https-proxy"),
        .max_body = 20u * 1024 * 1024,
        .max_conns = 512,
        .max_conns_per_ip = 64,
    };
    static char host[64];
    const char *listen = opt(argc, argv, "--listen", NULL);
    if (listen) {
        const char *colon = strrchr(listen, ':');
        if (!colon || (size_t)(colon - listen) >= sizeof host) {
            fprintf(stderr, "jinzai: --listen wants HOST:PORT\n");
            return 2;
        }
        memcpy(host, listen, (size_t)(colon - listen));
        cfg.listen_host = host;
        cfg.port = atoi(colon + 1);
    }
    if (cfg.threads < 1 || cfg.threads > 64) cfg.threads = 4;
    Db *db = open_migrated(cfg.db_path);
    if (!db) return 1;
    db_close(db);
    return server_run(&cfg);
}

static int cmd_init(int argc, char **argv)
{
    const char *path = opt(argc, argv, "--db", "jinzai.db");
    bool demo = flag(argc, argv, "--demo");
    Db *db = open_migrated(path);
    if (!db) return 1;
    int rc = 0;
    if (db_exists(db, "SELECT 1 FROM account", NULL)) {
        if (demo) fprintf(stderr, "jinzai: %s already holds data; demo data is loaded only into a new database\n", path);
        printf("schema version %d: %s is up to date\n", migrate_current(db), path);
        db_close(db);
        return demo ? 1 : 0;
    }
    char generated[33];
    Errors e = {0};
    int nendo = nendo_of(date_today());
    if ((!db_exists(db, "SELECT 1 FROM skill_item", NULL) && skill_load_defaults(db, nendo - 1) != 0) || course_load_defaults(db) != 0) {
        db_close(db);
        return 1;
    }
    if (demo) {
        const char *pw = opt(argc, argv, "--demo-password", NULL);
        if (!pw) {
            random_hex(generated, 8);
            pw = generated;
        }
        if (password_policy(NULL, pw)) {
            fprintf(stderr, "jinzai: %s\n", password_policy(NULL, pw));
            db_close(db);
            return 2;
        }
        if (demo_load(db, pw, nendo, 20260401u) != 0 || demo_assessments(db, nendo, 20260401u) != 0 ||
            demo_training(db, nendo, 20260401u) != 0 || demo_kpi(db, nendo, 20260401u) != 0)
            rc = 1;
        else {
            printf("Demo data loaded into %s.\nDemo logins (password: %s):\n"
                   "  admin    管理者\n  jinji    人事 (総務課)\n  dx       DX推進 (政策企画課)\n"
                   "  kacho    所属長 (課長)\n  shokuin  職員\n",
                   path, pw);
        }
    } else {
        const char *pw = opt(argc, argv, "--admin-password", NULL);
        if (!pw) {
            random_hex(generated, 8);
            pw = generated;
        }
        if (account_create(db, &ACTOR_CLI, "admin", NULL, ROLE_ADMIN, pw, &e) != 0) {
            print_errors(&e);
            rc = 1;
        } else {
            printf("Created %s. Administrator login: admin  password: %s\n(shown once; change it after logging in)\n", path, pw);
        }
    }
    db_close(db);
    return rc;
}

static int cmd_user(int argc, char **argv)
{
    if (argc < 3) {
        usage();
        return 2;
    }
    const char *sub = argv[1], *login = argv[2];
    Db *db = open_migrated(opt(argc, argv, "--db", "jinzai.db"));
    if (!db) return 1;
    Errors e = {0};
    int rc;
    if (strcmp(sub, "add") == 0) {
        unsigned roles = roles_parse(opt(argc, argv, "--role", ""));
        if (isatty(0)) fprintf(stderr, "password: ");
        const char *pw = read_secret();
        rc = account_create(db, &ACTOR_CLI, login, opt(argc, argv, "--staff", NULL), roles, pw ? pw : "", &e);
    } else if (strcmp(sub, "passwd") == 0) {
        if (isatty(0)) fprintf(stderr, "new password: ");
        const char *pw = read_secret();
        rc = account_set_password(db, &ACTOR_CLI, login, pw ? pw : "", &e);
    } else if (strcmp(sub, "role") == 0 && argc >= 4) {
        rc = account_set_roles(db, &ACTOR_CLI, login, roles_parse(argv[3]), &e);
    } else if (strcmp(sub, "disable") == 0) {
        rc = account_disable(db, &ACTOR_CLI, login, &e);
    } else {
        usage();
        db_close(db);
        return 2;
    }
    print_errors(&e);
    db_close(db);
    return rc == 0 ? 0 : 1;
}

static int cmd_backup(int argc, char **argv)
{
    if (argc < 2) {
        usage();
        return 2;
    }
    Db *db = db_open(opt(argc, argv, "--db", "jinzai.db"));
    if (!db) return 1;
    int rc = db_backup(db, argv[1]);
    db_close(db);
    if (rc != 0) fprintf(stderr, "jinzai: backup to %s failed\n", argv[1]);
    return rc == 0 ? 0 : 1;
}

static int cmd_kpi(int argc, char **argv)
{
    int year = 0;
    const char *y = opt(argc, argv, "--year", NULL), *as_of = opt(argc, argv, "--as-of", NULL);
    Date d;
    if (!y || !nendo_parse_loose(y, &year)) {
        fprintf(stderr, "jinzai: kpi needs --year YYYY (年度)\n");
        return 2;
    }
    if (as_of && !date_parse(as_of, &d)) {
        fprintf(stderr, "jinzai: --as-of wants YYYY-MM-DD\n");
        return 2;
    }
    Db *db = open_migrated(opt(argc, argv, "--db", "jinzai.db"));
    if (!db) return 1;
    Arena a = ARENA_INIT;
    KpiValue *v;
    kpi_compute(db, &a, year, as_of, &v);
    Table t;
    kpi_table(&a, v, &t);
    Buf out = BUF_INIT;
    table_csv(&t, &out);
    fwrite(out.data + 3, 1, out.len - 3, stdout); /* without the BOM on a terminal */
    buf_free(&out);
    arena_free(&a);
    db_close(db);
    return 0;
}

static int cmd_transfers(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "preview") != 0 && strcmp(argv[1], "apply") != 0)) {
        usage();
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    Buf in = BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&in, chunk, n);
    fclose(f);
    Db *db = open_migrated(opt(argc, argv, "--db", "jinzai.db"));
    if (!db) {
        buf_free(&in);
        return 1;
    }
    Arena a = ARENA_INIT;
    Errors e = {0};
    TransferList l;
    int rc = 1;
    if (transfer_parse(db, &a, buf_cstr(&in), in.len, &l, &e) == 0) {
        if (strcmp(argv[1], "apply") == 0) {
            if (transfer_apply(db, &ACTOR_CLI, &l, &e) == 0) {
                printf("%d件の異動を反映しました（発令日 %s まで）。\n", l.n, l.effective);
                rc = 0;
            }
        } else {
            TransferEffect fx;
            if (transfer_preview(db, &a, &ACTOR_CLI, &l, settings_nendo(db), &fx, &e) == 0) {
                transfer_print(&fx, &l, stdout);
                rc = 0;
            }
        }
    }
    for (int i = 0; i < e.n; i++) fprintf(stderr, "jinzai: %s\n", e.items[i].msg);
    arena_free(&a);
    buf_free(&in);
    db_close(db);
    return rc;
}

static int cmd_test_request(int argc, char **argv)
{
    Db *db = open_migrated(opt(argc, argv, "--db", "jinzai.db"));
    if (!db) return 1;
    Buf in = BUF_INIT, out = BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) buf_append(&in, chunk, n);
    http_answer_raw(db, buf_cstr(&in), in.len, &out);
    fwrite(out.data, 1, out.len, stdout);
    buf_free(&in);
    buf_free(&out);
    db_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage();
        return 2;
    }
    if (password_init() != 0) {
        fprintf(stderr, "jinzai: libsodium failed to start\n");
        return 1;
    }
    const char *cmd = argv[1];
    argc--, argv++;
    if (strcmp(cmd, "serve") == 0) return cmd_serve(argc, argv);
    if (strcmp(cmd, "init") == 0) return cmd_init(argc, argv);
    if (strcmp(cmd, "user") == 0) return cmd_user(argc, argv);
    if (strcmp(cmd, "backup") == 0) return cmd_backup(argc, argv);
    if (strcmp(cmd, "test-request") == 0) return cmd_test_request(argc, argv);
    if (strcmp(cmd, "kpi") == 0) return cmd_kpi(argc, argv);
    if (strcmp(cmd, "transfers") == 0) return cmd_transfers(argc, argv);
    usage();
    return 2;
}
