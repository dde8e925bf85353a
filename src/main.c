/* main.c - command dispatch: serve, init, user, backup, test-request. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth/account.h"
#include "auth/ldap.h"
#include "auth/password.h"
#include "core/config.h"
#include "core/util.h"
#include "db/copy.h"
#include "db/migrate.h"
#include "domain/course.h"
#include "demo/demo.h"
#include "domain/module.h"
#include "domain/settings.h"
#include "domain/skill.h"
#include "domain/kpi.h"
#include "domain/transfer.h"
#include "domain/nendo.h"
#include "domain/auditarchive.h"
#include "domain/tier.h"
#include "io/table.h"
#include "domain/export.h"
#include "domain/mail.h"
#include "domain/remind.h"
#include "domain/records.h"
#include "domain/roster.h"
#include "domain/xapi.h"
#include "domain/scorm.h"
#include "http/proxy.h"
#include "app/router.h"
#include "app/server.h"
#include "io/text.h"

static void usage(void)
{
    fputs("usage:\n"
          "  jinzai serve  [--db FILE] [--listen HOST:PORT] [--threads N] [--https-proxy]\n"
          "                [--trusted-proxy CIDR[,CIDR]]   read X-Forwarded-For from these proxies\n"
          "                [--ldap ldap://HOST:PORT]       directory sign-in server (overrides the setting)\n"
          "                [--smtp smtp://HOST:PORT]       mail relay (overrides the settings)\n"
          "  jinzai init   [--db FILE] [--demo [--staff N]] [--admin-password PW] [--demo-password PW]\n"
          "  jinzai user   add LOGIN [--staff 職員番号] --role ROLE[,ROLE…]   (password on stdin)\n"
          "  jinzai user   passwd LOGIN | role LOGIN ROLES | disable LOGIN    [--db FILE]\n"
          "  jinzai backup FILE [--db FILE]                                online backup (バックアップ)\n"
          "  jinzai restore FILE [--db FILE]                               checks, then restores a backup (復元)\n"
          "  jinzai import staff FILE [--dry-run] [--profile NAME] [--as-of DATE] [--retire-missing]\n"
          "  jinzai import quals|assessments|completions FILE [--dry-run]   資格・自己評価・研修受講 (CSV)\n"
          "  jinzai export staff|skills|assessments|training --format csv|xlsx [--encoding cp932] [--out FILE] [--year YYYY]\n"
          "  jinzai test-request [--db FILE] < request.txt\n"
          "  jinzai kpi --year YYYY [--as-of YYYY-MM-DD] [--db FILE]     KPIs as CSV\n"
          "  jinzai transfers preview|apply FILE [--db FILE]             draft transfer list (異動案)\n"
          "  jinzai nendo rollover --to YYYY [--dry-run] [--db FILE]      年度更新（指名・目標・計画の引継ぎ）\n"
          "  jinzai designate import FILE [--dry-run] [--year YYYY] [--db FILE]  人材区分の一括指名 (CSV)\n"
          "  jinzai scorm import FILE.zip --course CODE [--db FILE]  SCORM 1.2 パッケージの取込\n"
          "  jinzai remind assessments|approvals|reports|mandatory [--dry-run] [--db FILE]  督促の送信\n"
          "  jinzai audit  archive --year YYYY --out FILE [--db FILE]     監査ログの年度保存（ファイルへ移す）\n"
          "  jinzai audit  verify FILE                                    保存ファイルの件数とSHA-256の確認\n"
          "  jinzai xapi client add NAME | list | revoke NAME [--db FILE]   xAPI receiver clients (key and secret shown once)\n"
          "  jinzai copy --from FILE|postgresql://… --to FILE|postgresql://…   全データを空のデータベースへ移す (SQLite ⇄ PostgreSQL)\n"
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

/* The lock a running server holds on "<db>.lock" (flock, exclusive) so that
 * `restore` never swaps the database under it. Returns the descriptor (kept
 * open for the life of the process) or -1 when another process holds it. */
static int db_lock(const char *db_path)
{
    char p[4096];
    snprintf(p, sizeof p, "%s.lock", db_path);
    int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return -2;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* True when host:port (IPv4) is already bound by another process. */
static bool port_taken(const char *host, int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (port <= 0 || port > 65535 || inet_pton(AF_INET, host, &a.sin_addr) != 1) return false;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    bool taken = bind(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno == EADDRINUSE;
    close(fd);
    return taken;
}

static int serve_checked(const Config *cfg)
{
    /* Before the lock and the port: what serve holds is ready to answer at once. */
    if (password_prepare_dummy() != 0) {
        fprintf(stderr, "jinzai: cannot prepare password checks (out of memory)\n");
        return 1;
    }
    if (port_taken(cfg->listen_host, cfg->port)) {
        int other = cfg->port + 1;
        while (other < cfg->port + 100 && other <= 65535 && port_taken(cfg->listen_host, other)) other++;
        fprintf(stderr,
                "jinzai: ポート %d は別のプログラムが使っています (port %d is already in use on %s).\n"
                "別のポートで起動するには (to use another port):\n"
                "  jinzai serve --db %s --listen %s:%d\n"
                "  make run PORT=%d DB=%s\n",
                cfg->port, cfg->port, cfg->listen_host, cfg->db_path, cfg->listen_host, other, other, cfg->db_path);
        return 1;
    }
    /* PostgreSQL serves several nodes at once: no lock file. */
    int lock = db_name_is_postgresql(cfg->db_path) ? -2 : db_lock(cfg->db_path);
    if (lock == -1) {
        fprintf(stderr, "jinzai: %s は別の jinzai serve か restore が使用中です。同じデータベースでは一つだけ起動できます。\n", cfg->db_path);
        return 1;
    }
    Db *db = open_migrated(cfg->db_path);
    if (!db) return 1;
    db_close(db);
    if (mail_sender_start(cfg->db_path) != 0) fprintf(stderr, "jinzai: the mail sender did not start; mail stays in the outbox\n");
    int rc = server_run(cfg);
    mail_sender_stop();
    return rc;
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
        .max_client_requests = 64,
        .trusted_proxy = opt(argc, argv, "--trusted-proxy", NULL),
    };
    mail_set_override(opt(argc, argv, "--smtp", NULL));
    /* Archives made from the admin screen go beside the database file. */
    static char arcdir[4096];
    const char *slash = strrchr(cfg.db_path, '/');
    if (slash) snprintf(arcdir, sizeof arcdir, "%.*s", (int)(slash - cfg.db_path), cfg.db_path), audit_archive_dir = arcdir[0] ? arcdir : "/";
    if (proxy_configure(cfg.trusted_proxy) != 0) {
        fprintf(stderr, "jinzai: --trusted-proxy wants CIDR[,CIDR] (e.g. 127.0.0.1/32,::1/128), got %s\n", cfg.trusted_proxy);
        return 2;
    }
    /* Every client behind the proxy shares its address when connections are
     * counted (before headers); nginx caps each client there instead. */
    if (proxy_any()) cfg.max_conns_per_ip = cfg.max_conns;
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
    ldapauth_url_override = opt(argc, argv, "--ldap", NULL);
    if (ldapauth_url_override && strncmp(ldapauth_url_override, "ldap://", 7) != 0 && strncmp(ldapauth_url_override, "ldaps://", 8) != 0) {
        fprintf(stderr, "jinzai: --ldap wants ldap://HOST:PORT or ldaps://HOST:PORT, got %s\n", ldapauth_url_override);
        return 2;
    }
    return serve_checked(&cfg);
}

/* Queues reminders of one kind (for a systemd timer); --dry-run lists who. */
static int cmd_remind(int argc, char **argv)
{
    int k = argc > 1 ? remind_kind_parse(argv[1]) : -1;
    if (k < 0) {
        fprintf(stderr, "jinzai: remind wants assessments, approvals, reports or mandatory\n");
        return 2;
    }
    Db *db = open_migrated(opt(argc, argv, "--db", "jinzai.db"));
    if (!db) return 1;
    Arena a = ARENA_INIT;
    char today[11];
    now_date(today);
    int nendo = settings_nendo(db);
    RemindTarget *t;
    int n = remind_targets(db, &a, (RemindKind)k, nendo, today, NULL, 0, &t);
    int rc = 0;
    if (flag(argc, argv, "--dry-run")) {
        for (int i = 0; i < n; i++) printf("%s\t%s\t%d\n", t[i].name, *t[i].mail ? t[i].mail : "(画面のみ)", t[i].count);
        printf("%d 人に督促します (dry run: nothing queued)\n", n);
    } else if (n == 0) {
        printf("督促の対象はいません (queued 0)\n");
    } else {
        Errors e = {0};
        if (remind_queue(db, &ACTOR_CLI, (RemindKind)k, nendo, t, n, &e) == 0) printf("%d 人に督促を登録しました (queued %d)\n", n, n);
        else {
            print_errors(&e);
            rc = 1;
        }
    }
    arena_free(&a);
    db_close(db);
    return rc;
}

static int cmd_init(int argc, char **argv)
{
    const char *path = opt(argc, argv, "--db", "jinzai.db");
    bool demo = flag(argc, argv, "--demo");
    Db *db = open_migrated(path);
    if (!db) return 1;
    int rc = 0;
    if (db_exists(db, "SELECT 1 FROM account")) {
        if (demo) fprintf(stderr, "jinzai: %s already holds data; demo data is loaded only into a new database\n", path);
        printf("schema version %d: %s is up to date\n", migrate_current(db), path);
        db_close(db);
        return demo ? 1 : 0;
    }
    char generated[33];
    Errors e = {0};
    int nendo = nendo_of(date_today());
    if ((!db_exists(db, "SELECT 1 FROM skill_item") && skill_load_defaults(db, nendo - 1) != 0) || course_load_defaults(db) != 0) {
        db_close(db);
        return 1;
    }
    if (demo) {
        const char *pw = opt(argc, argv, "--demo-password", NULL);
        if (!pw) {
            random_hex(generated, 8);
            pw = generated;
        }
        const char *staff = opt(argc, argv, "--staff", NULL);
        if (staff) {
            char *end;
            long n = strtol(staff, &end, 10);
            if (*end || n < 100 || n > 60000) {
                fprintf(stderr, "jinzai: --staff は 100 から 60000 までの職員数です (got %s)\n", staff);
                db_close(db);
                return 2;
            }
            demo_set_staff((int)n);
        }
        if (password_policy(NULL, pw)) {
            fprintf(stderr, "jinzai: %s\n", password_policy(NULL, pw));
            db_close(db);
            return 2;
        }
        /* The demo city, built in this order: each builder reads what the earlier ones made. */
        static int (*const builders[])(Db *, int, unsigned) = {
            demo_assessments, demo_training, demo_kpi, demo_elearning, demo_projects, demo_governance, demo_cases,
        };
        rc = demo_load(db, pw, nendo, 20260401u) != 0;
        for (size_t i = 0; i < COUNTOF(builders) && !rc; i++) rc = builders[i](db, nendo, 20260401u) != 0;
        if (!rc) {
            printf("Demo data loaded into %s.\nDemo logins (password: %s):\n"
                   "  admin    管理者\n  jinji    人事 (総務課)\n  dx       DX推進 (政策企画課)\n"
                   "  kacho    所属長 (課長)\n  shokuin  職員\n"
                   "A sample April transfer list for the simulation: data/demo_transfers.csv\n"
                   "  (jinzai transfers preview data/demo_transfers.csv --db %s)\n",
                   path, pw, path);
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
    if (argc < 2 || argv[1][0] == '-') {
        usage();
        return 2;
    }
    const char *path = opt(argc, argv, "--db", "jinzai.db");
    if (db_name_is_postgresql(path)) {
        fprintf(stderr, "jinzai: backup: PostgreSQL のデータベースは pg_dump (または DBA のバックアップ手順) でバックアップしてください "
                        "(on PostgreSQL, back up with pg_dump or the cluster's own backups)。何も書いていません。\n");
        return 1;
    }
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "jinzai: backup: %s を読めません (%s)。--db でデータベースを指定してください。\n", path, strerror(errno));
        return 1;
    }
    Db *db = db_open(path);
    if (!db) return 1;
    int rc = db_backup(db, argv[1]);
    db_close(db);
    if (rc == 0) printf("%s を %s にバックアップしました (backup complete, integrity check ok)。\n", path, argv[1]);
    else if (rc == DB_COPY_INTEGRITY)
        fprintf(stderr, "jinzai: backup: 写しが整合性検査 (integrity_check) を通りません。%s は作成していません。\n", argv[1]);
    else if (rc == DB_COPY_SOURCE) fprintf(stderr, "jinzai: backup: %s は SQLite のデータベースとして読めません。\n", path);
    else
        fprintf(stderr, "jinzai: backup: %s に書き込めません (%s)。フォルダーの書込み権限と空き容量を確かめてください。\n", argv[1],
                errno ? strerror(errno) : "write failed");
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

/* A progress bar on stderr when it is a terminal. */
static void progress_bar(const char *phase, int done, int total, void *ctx)
{
    (void)ctx;
    if (!isatty(2) || total <= 0) return;
    int width = 30, fill = (int)((long)width * done / total);
    fprintf(stderr, "\r%s [", phase);
    for (int i = 0; i < width; i++) fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %d/%d", done, total);
    if (done >= total) fputc('\n', stderr);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    Buf b = BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return buf_detach(&b);
}

/* The roster (import staff): counts and changes, then applies unless --dry-run. */
static int import_staff(Db *db, Arena *a, int argc, char **argv, const char *data, size_t len, Errors *e)
{
    RosterProfile prof;
    const char *pname = opt(argc, argv, "--profile", NULL);
    if (pname && !roster_profile_get(db, a, pname, &prof)) fprintf(stderr, "jinzai: no profile %s, using the default columns\n", pname);
    if (!pname) roster_profile_default(&prof);
    char today[11];
    date_iso(date_today(), today);
    RosterPlan plan = {.progress = progress_bar};
    if (roster_plan(db, a, data, len, &prof, opt(argc, argv, "--as-of", today), &plan, e) != 0) return 1;
    printf("文字コード: %s\n新規 %d人 / 変更 %d人 / 異動 %d人 / 変更なし %d人 / 名簿になし %d人\n", plan.encoding, plan.counts[RC_NEW],
           plan.counts[RC_CHANGED], plan.counts[RC_TRANSFERRED], plan.counts[RC_UNCHANGED], plan.counts[RC_MISSING]);
    for (int i = 0; i < plan.n; i++)
        if (plan.rows[i].change != RC_UNCHANGED)
            printf("  %s %s %s %s\n", roster_change_name(plan.rows[i].change), plan.rows[i].staff_no, plan.rows[i].name, plan.rows[i].what);
    if (flag(argc, argv, "--dry-run")) {
        /* The same writes as applying, rolled back: any refusal shows now. */
        if (roster_dry_run(db, &ACTOR_CLI, &plan, flag(argc, argv, "--retire-missing"), e) != 0) return 1;
        printf("（確認のみ：何も変更していません）\n");
        return 0;
    }
    int written;
    if (roster_apply(db, &ACTOR_CLI, &plan, flag(argc, argv, "--retire-missing"), &written, e) != 0) return 1;
    printf("%d人を更新しました。\n", written);
    return 0;
}

/* 資格・自己評価・研修受講 (records.h): the same, by rows. */
static int import_records(Db *db, Arena *a, RecordKind kind, bool dry_run, const char *data, size_t len, Errors *e)
{
    RecordPlan plan;
    if (record_plan(db, a, kind, data, len, &plan, e) != 0) return 1;
    printf("%s / 文字コード: %s\n新規 %d行 / 変更 %d行 / 変更なし %d行\n", record_kind_name(kind), plan.encoding, plan.n_new, plan.n_changed,
           plan.n_unchanged);
    for (int i = 0; i < plan.n; i++) {
        const RecordRow *x = &plan.rows[i];
        if (x->change != RCH_UNCHANGED)
            printf("  %d行目 %s %s %s %s %s\n", x->line, record_change_name(x->change), x->staff_no, x->staff_name, x->about, x->what);
    }
    if (dry_run) {
        printf("（確認のみ：何も変更していません）\n");
        return 0;
    }
    int written;
    if (record_apply(db, &ACTOR_CLI, &plan, &written, e) != 0) return 1;
    printf("%d行を反映しました。\n", written);
    return 0;
}

/* Reads the input file (the caller frees *data) and opens the database of
 * --db; NULL with nothing left open when either fails. */
static Db *open_with_input(int argc, char **argv, const char *file, char **data, size_t *len)
{
    *data = read_file(file, len);
    if (!*data) return NULL;
    Db *db = open_migrated(opt(argc, argv, "--db", "jinzai.db"));
    if (!db) {
        free(*data);
        *data = NULL;
    }
    return db;
}

static int cmd_import(int argc, char **argv)
{
    RecordKind kind = REC_QUALS;
    bool staff = argc >= 3 && strcmp(argv[1], "staff") == 0;
    if (argc < 3 || (!staff && !record_kind_parse(argv[1], &kind))) {
        fprintf(stderr, "usage: jinzai import staff FILE [--dry-run] [--profile NAME] [--as-of YYYY-MM-DD] [--retire-missing] [--db FILE]\n"
                        "       jinzai import quals|assessments|completions FILE [--dry-run] [--db FILE]\n");
        return 2;
    }
    size_t len;
    char *data;
    Db *db = open_with_input(argc, argv, argv[2], &data, &len);
    if (!db) return 1;
    Arena a = ARENA_INIT;
    Errors e = {0};
    int rc = staff ? import_staff(db, &a, argc, argv, data, len, &e)
                   : import_records(db, &a, kind, flag(argc, argv, "--dry-run"), data, len, &e);
    for (int i = 0; i < e.n; i++) fprintf(stderr, "%s\n", e.items[i].msg);
    if (e.n) fprintf(stderr, "jinzai: %d件の誤りがあるため、何も変更していません。\n", e.n);
    arena_free(&a);
    free(data);
    db_close(db);
    return rc;
}

static int cmd_export(int argc, char **argv)
{
    const char *kind = argc >= 2 ? argv[1] : "";
    const char *format = opt(argc, argv, "--format", "csv"), *out_path = opt(argc, argv, "--out", NULL);
    bool cp932 = str_eq(opt(argc, argv, "--encoding", "utf-8"), "cp932");
    if (!export_kind_name(kind) || (!str_eq(format, "csv") && !str_eq(format, "xlsx"))) {
        fprintf(stderr, "usage: jinzai export staff|skills|assessments|training --format csv|xlsx [--encoding cp932] [--out FILE] [--year YYYY]\n");
        return 2;
    }
    if (str_eq(format, "xlsx") && !out_path) {
        fprintf(stderr, "jinzai: --format xlsx needs --out FILE\n");
        return 2;
    }
    Db *db = open_migrated(opt(argc, argv, "--db", "jinzai.db"));
    if (!db) return 1;
    Arena a = ARENA_INIT;
    int year = settings_nendo(db);
    const char *y = opt(argc, argv, "--year", NULL);
    if (y && !nendo_parse_loose(y, &year)) {
        fprintf(stderr, "jinzai: --year wants a 年度 such as 2026\n");
        db_close(db);
        return 2;
    }
    /* Written row by row to a temporary file, copied out only when whole. */
    ExportFile xf;
    Errors e = {0};
    ExportFormat fmt = str_eq(format, "xlsx") ? EXPORT_XLSX : cp932 ? EXPORT_CSV_CP932 : EXPORT_CSV;
    int rc = export_file(db, &a, kind, year, kpi_default_as_of(&a, year), fmt, &xf, &e);
    for (int i = 0; i < e.n; i++) fprintf(stderr, "jinzai: %s\n", e.items[i].msg);
    if (rc == 0) {
        FILE *f = out_path ? fopen(out_path, "wb") : stdout;
        char chunk[1 << 16];
        ssize_t n;
        if (!f) rc = -1;
        while (rc == 0 && (n = read(xf.fd, chunk, sizeof chunk)) > 0)
            if (fwrite(chunk, 1, (size_t)n, f) != (size_t)n) rc = -1;
        if (f && fflush(f) != 0) rc = -1;
        if (f && f != stdout) fclose(f);
        close(xf.fd);
        if (rc == 0 && out_path) fprintf(stderr, "jinzai: %d行を %s に書き出しました\n", xf.rows, out_path);
    }
    if (rc == 0) audit_write(db, &ACTOR_CLI, arena_printf(&a, "export.%s", kind), "export", 0, 0, arena_printf(&a, "%s %s %d行", format, cp932 ? "cp932" : "utf-8", xf.rows));
    arena_free(&a);
    db_close(db);
    return rc == 0 ? 0 : 1;
}

/* Restores a backup over the database. Everything is checked before the
 * target is touched: no server holds the target, the input opens and passes
 * integrity_check, its schema is known, and the migrations apply cleanly --
 * all on a copy beside the target (the input file is only read). Only then
 * is the copy renamed over the target, in one step. */
static int cmd_restore(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        usage();
        return 2;
    }
    const char *in = argv[1], *target = opt(argc, argv, "--db", "jinzai.db");
    if (db_name_is_postgresql(target) || db_name_is_postgresql(in)) {
        fprintf(stderr, "jinzai: restore: PostgreSQL のデータベースは pg_restore (または DBA の復元手順) で復元してください "
                        "(on PostgreSQL, restore with pg_restore or the cluster's own tools)。何も復元していません。\n");
        return 1;
    }
    if (access(in, R_OK) != 0) {
        fprintf(stderr, "jinzai: restore: %s を読めません (%s)。何も復元していません。\n", in, strerror(errno));
        return 1;
    }
    int lock = db_lock(target);
    if (lock == -1) {
        fprintf(stderr,
                "jinzai: restore: %s は実行中の jinzai serve が使っています。サーバーを止めてから restore してください "
                "(stop the server first)。何も復元していません。\n",
                target);
        return 1;
    }
    if (lock < 0) {
        fprintf(stderr, "jinzai: restore: %s.lock を作れません (%s)。何も復元していません。\n", target, strerror(errno));
        return 1;
    }
    char tmp[4096];
    int rc = db_stage_copy(in, target, tmp, sizeof tmp);
    if (rc == DB_COPY_SOURCE) fprintf(stderr, "jinzai: restore: %s は SQLite のデータベースとして読めません。何も復元していません。\n", in);
    else if (rc == DB_COPY_INTEGRITY)
        fprintf(stderr, "jinzai: restore: %s は整合性検査 (integrity_check) を通りません。何も復元していません。\n", in);
    else if (rc != 0) fprintf(stderr, "jinzai: restore: %s の隣に作業用の写しを書けません。何も復元していません。\n", target);
    if (rc != 0) {
        close(lock);
        return 1;
    }
    rc = 1;
    Db *db = db_open(tmp);
    int version = db ? migrate_current(db) : -1;
    if (!db) fprintf(stderr, "jinzai: restore: 写しを開けません。何も復元していません。\n");
    else if (version < 1) fprintf(stderr, "jinzai: restore: %s は jinzai のデータベースではありません。何も復元していません。\n", in);
    else if (version > migrate_latest())
        fprintf(stderr, "jinzai: restore: %s のスキーマ %d はこのプログラム (%d) より新しいため、何も復元していません。新しい jinzai で restore してください。\n",
                in, version, migrate_latest());
    else if (migrate(db) < 0)
        fprintf(stderr, "jinzai: restore: %s にスキーマの更新 (migration) を当てられません。何も復元していません。\n", in);
    else if (db_begin(db) != 0 || audit_write(db, &ACTOR_CLI, "db.restore", "database", 0, 0, in) != 0 || db_commit(db) != 0)
        fprintf(stderr, "jinzai: restore: 写しに記録を書けません (%s)。何も復元していません。\n", db_errmsg(db));
    else rc = 0;
    db_close(db); /* checkpoints the copy's WAL into the file */
    if (rc == 0 && db_replace(tmp, target) != 0) {
        fprintf(stderr, "jinzai: restore: %s を置き換えられません (%s)。何も復元していません。\n", target, strerror(errno));
        rc = 1;
    }
    if (rc != 0) {
        char p[4200];
        unlink(tmp);
        snprintf(p, sizeof p, "%s-wal", tmp), unlink(p);
        snprintf(p, sizeof p, "%s-shm", tmp), unlink(p);
    } else {
        printf("%s (スキーマ %d) を %s に復元しました (restore complete)。jinzai serve を起動し直してください。\n", in, version, target);
    }
    close(lock);
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

static void print_rollover(const RolloverReport *r)
{
    printf("%d年度から%d年度への年度更新%s\n", r->from, r->to, r->dry_run ? "（確認のみ・何も変更していません）" : "");
    if (r->existing) printf("%d年度の指名が既に%d件あります。足りない指名だけを追加します。\n", r->to, r->existing);
    for (int i = 0; i < 4; i++) printf("  引き継ぐ指名 %s：%d件\n", tier_subtypes[i].name, r->carried[i]);
    printf("  スキル目標 %d件%s / 組織別目標 %d件%s / KPI目標 %d件%s / KPI設定 %d件%s / 研修計画 %d件%s / 評価期間 %d件%s\n", r->skill_targets,
           r->had_targets ? "（設定済み）" : "", r->unit_targets, r->had_unit_targets ? "（設定済み）" : "", r->kpi_targets,
           r->had_kpi_targets ? "（設定済み）" : "", r->kpi_params, r->had_kpi_params ? "（設定済み）" : "", r->plans,
           r->had_plans ? "（設定済み）" : "", r->periods, r->had_period ? "（設定済み）" : "");
    for (int i = 0; i < r->nleft; i++)
        printf("  引き継がない指名：%s %s（%s・%s）%s\n", r->left[i].staff_no, r->left[i].name, r->left[i].what, r->left[i].unit_name, r->left[i].reason);
    for (int i = 0; i < r->nduties; i++)
        printf("  重要システムの担当の見直し：%s %s %s（%s）%s\n", r->duties[i].unit_name, r->duties[i].what, r->duties[i].name, r->duties[i].staff_no,
               r->duties[i].reason);
    for (int i = 0; i < r->ngaps; i++) {
        printf("  総括リーダーのいない係：%s　候補：", r->gaps[i].unit_name);
        for (int k = 0; k < r->gaps[i].ncand; k++)
            printf("%s%s %s（%s%s）", k ? "、" : "", r->gaps[i].cand[k].staff_no, r->gaps[i].cand[k].name, r->gaps[i].cand[k].post,
                   r->gaps[i].cand[k].was_leader ? "・前年度②" : "");
        printf("\n");
    }
}

static int cmd_nendo(int argc, char **argv)
{
    const char *to_s = opt(argc, argv, "--to", NULL);
    int to;
    if (argc < 2 || strcmp(argv[1], "rollover") != 0 || !to_s || !nendo_parse_loose(to_s, &to)) {
        fprintf(stderr, "usage: jinzai nendo rollover --to YYYY [--dry-run] [--db FILE]\n");
        return 2;
    }
    Db *db = open_migrated(opt(argc, argv, "--db", "jinzai.db"));
    if (!db) return 1;
    Arena a = ARENA_INIT;
    Errors e = {0};
    RolloverReport rep;
    bool dry = flag(argc, argv, "--dry-run");
    int rc = nendo_rollover(db, &a, &ACTOR_CLI, to - 1, to, dry ? NENDO_DRY_RUN : 0, &rep, &e);
    if (rc == 0) print_rollover(&rep);
    print_errors(&e);
    arena_free(&a);
    db_close(db);
    return rc == 0 ? 0 : 1;
}

static int cmd_designate(int argc, char **argv)
{
    if (argc < 3 || strcmp(argv[1], "import") != 0) {
        fprintf(stderr, "usage: jinzai designate import FILE [--dry-run] [--year YYYY] [--db FILE]\n");
        return 2;
    }
    size_t len;
    char *data;
    Db *db = open_with_input(argc, argv, argv[2], &data, &len);
    if (!db) return 1;
    int year = settings_nendo(db);
    const char *y = opt(argc, argv, "--year", NULL);
    if (y && !nendo_parse_loose(y, &year)) {
        fprintf(stderr, "jinzai: --year wants a 年度 such as 2026\n");
        free(data);
        db_close(db);
        return 2;
    }
    Arena a = ARENA_INIT;
    Errors e = {0};
    TierImport imp;
    bool dry = flag(argc, argv, "--dry-run");
    int rc = tier_import(db, &a, &ACTOR_CLI, data, len, year, dry, &imp, &e);
    for (int i = 0; i < imp.n; i++)
        printf("%d行目 %s %s %s %s %s %s\n", imp.rows[i].line, imp.rows[i].staff_no, imp.rows[i].name, imp.rows[i].subtype, imp.rows[i].unit,
               imp.rows[i].on, imp.rows[i].error ? imp.rows[i].error : "OK");
    print_errors(&e);
    if (rc == 0) printf("%d年度：%d件を%s。\n", year, imp.n, dry ? "確認しました（何も変更していません）" : "指名しました");
    else fprintf(stderr, "jinzai: 誤りがあるため、何も変更していません。\n");
    arena_free(&a);
    free(data);
    db_close(db);
    return rc == 0 ? 0 : 1;
}

/* xAPI receiver clients: add prints the key and the secret once. */
static int cmd_xapi(int argc, char **argv)
{
    const char *sub = argc >= 3 && str_eq(argv[1], "client") ? argv[2] : "";
    bool named = argc >= 4 && argv[3][0] != '-';
    if (!(str_eq(sub, "list") || (named && (str_eq(sub, "add") || str_eq(sub, "revoke"))))) {
        fprintf(stderr, "usage: jinzai xapi client add NAME | list | revoke NAME [--db FILE]\n");
        return 2;
    }
    Db *db = open_migrated(opt(argc, argv, "--db", "jinzai.db"));
    if (!db) return 1;
    Errors e = {0};
    int rc = 0;
    if (str_eq(sub, "add")) {
        char key[33], secret[65];
        rc = xapi_client_add(db, &ACTOR_CLI, argv[3], key, secret, &e);
        if (rc == 0) printf("client: %s\nkey: %s\nsecret: %s\n(the secret is shown once; send both with HTTP Basic)\n", argv[3], key, secret);
    } else if (str_eq(sub, "revoke")) {
        rc = xapi_client_revoke(db, &ACTOR_CLI, argv[3], &e);
    } else {
        Arena a = ARENA_INIT;
        XapiClient *cs;
        int n = xapi_client_list(db, &a, &cs);
        for (int i = 0; i < n; i++)
            printf("%s\t%s\t%s\t%s\t%d\n", cs[i].name, cs[i].api_key, cs[i].created_at, cs[i].revoked_at ? "revoked" : "active", cs[i].statements);
        arena_free(&a);
    }
    print_errors(&e);
    db_close(db);
    return rc == 0 ? 0 : 1;
}

/* jinzai copy --from SRC --to DST: every row into an empty database (src/db/copy.c). */
static int cmd_copy(int argc, char **argv)
{
    const char *from = opt(argc, argv, "--from", NULL), *to = opt(argc, argv, "--to", NULL);
    if (!from || !to) {
        fprintf(stderr, "usage: jinzai copy --from FILE|postgresql://… --to FILE|postgresql://…\n");
        return 2;
    }
    if (!db_name_is_postgresql(from) && access(from, R_OK) != 0) {
        fprintf(stderr, "jinzai: copy: コピー元 %s を読めません (%s)。\n", from, strerror(errno));
        return 1;
    }
    if (strcmp(from, to) == 0) {
        fprintf(stderr, "jinzai: copy: コピー元とコピー先が同じです。\n");
        return 2;
    }
    Db *src = db_open(from);
    Db *dst = src ? db_open(to) : NULL;
    int rc = src && dst && db_copy(src, dst, stdout) == 0 ? 0 : 1;
    db_close(dst);
    db_close(src);
    return rc;
}

/* jinzai scorm import FILE.zip --course CODE: what the upload screen does. */
static int cmd_scorm(int argc, char **argv)
{
    const char *code = opt(argc, argv, "--course", NULL);
    if (argc < 3 || strcmp(argv[1], "import") != 0 || argv[2][0] == '-') {
        fprintf(stderr, "usage: jinzai scorm import FILE.zip --course CODE [--db FILE]\n");
        return 2;
    }
    if (!code) {
        fprintf(stderr, "jinzai: scorm import: 紐づける研修のコードを --course で指定してください（例：--course SEC-01）。何も取り込んでいません。\n");
        return 2;
    }
    size_t len;
    char *data;
    Db *db = open_with_input(argc, argv, argv[2], &data, &len);
    if (!db) return 1;
    int64_t course_id = db_int(db, 0, "SELECT id FROM course WHERE code = ?", code);
    Errors e = {0};
    int64_t id = -1;
    if (!course_id) fprintf(stderr, "jinzai: scorm import: 研修コード「%s」が見つかりません。\n", code);
    else id = scorm_import(db, &ACTOR_CLI, course_id, argv[2], data, len, &e);
    print_errors(&e);
    if (id > 0) printf("SCORMパッケージを取り込みました（番号 %lld、SCO %lld件）。\n", (long long)id,
                       (long long)db_int(db, 0, "SELECT COUNT(*) FROM scorm_sco WHERE package_id = ?", id));
    else fprintf(stderr, "jinzai: scorm import: 何も取り込んでいません。\n");
    free(data);
    db_close(db);
    return id > 0 ? 0 : 1;
}

static int cmd_audit(int argc, char **argv)
{
    Errors e = {0};
    if (argc >= 3 && strcmp(argv[1], "verify") == 0) {
        int64_t rows;
        char hex[65];
        if (audit_archive_verify(argv[2], &rows, hex, &e) != 0) {
            print_errors(&e);
            return 1;
        }
        printf("%s: %lld件 sha256=%s 一致しました。\n", argv[2], (long long)rows, hex);
        return 0;
    }
    const char *y = opt(argc, argv, "--year", NULL), *out = opt(argc, argv, "--out", NULL);
    int year;
    if (argc < 2 || strcmp(argv[1], "archive") != 0 || !y || !nendo_parse_loose(y, &year) || !out) {
        fprintf(stderr, "usage: jinzai audit archive --year YYYY --out FILE [--db FILE]\n"
                        "       jinzai audit verify FILE\n");
        return 2;
    }
    Db *db = open_migrated(opt(argc, argv, "--db", "jinzai.db"));
    if (!db) return 1;
    AuditArchive ar;
    int rc = audit_archive(db, &ACTOR_CLI, year, out, &ar, &e);
    if (rc == 0) printf("%d年度の監査ログ %lld件を %s に保存し、データベースから削除しました。\n", year, (long long)ar.rows, out);
    print_errors(&e);
    db_close(db);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage();
        return 2;
    }
    if (util_clock_init() != 0) {
        fprintf(stderr, "jinzai: JINZAI_TODAY「%s」は日付として読めません。YYYY-MM-DD で指定してください（例：2027-04-01）。\n",
                getenv("JINZAI_TODAY"));
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
    if (strcmp(cmd, "import") == 0) return cmd_import(argc, argv);
    if (strcmp(cmd, "export") == 0) return cmd_export(argc, argv);
    if (strcmp(cmd, "restore") == 0) return cmd_restore(argc, argv);
    if (strcmp(cmd, "transfers") == 0) return cmd_transfers(argc, argv);
    if (strcmp(cmd, "nendo") == 0) return cmd_nendo(argc, argv);
    if (strcmp(cmd, "remind") == 0) return cmd_remind(argc, argv);
    if (strcmp(cmd, "designate") == 0) return cmd_designate(argc, argv);
    if (strcmp(cmd, "xapi") == 0) return cmd_xapi(argc, argv);
    if (strcmp(cmd, "audit") == 0) return cmd_audit(argc, argv);
    if (strcmp(cmd, "scorm") == 0) return cmd_scorm(argc, argv);
    if (strcmp(cmd, "copy") == 0) return cmd_copy(argc, argv);
    usage();
    return 2;
}
