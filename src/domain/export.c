/* export.c - see export.h. */
#include "export.h"

#include <string.h>
#include <unistd.h>

#include "../auth/roles.h"
#include "../core/util.h"
#include "../io/text.h"
#include "asof.h"
#include "assess.h"
#include "course.h"
#include "skill.h"
#include "staff.h"
#include "tier.h"
#include "completion.h"
#include "training.h"

const char *const export_kinds[4] = {"staff", "skills", "assessments", "training"};

const char *export_kind_name(const char *kind)
{
    static const char *const names[] = {"職員", "スキルマップ", "自己評価", "研修の受講"};
    for (int i = 0; i < 4; i++)
        if (str_eq(kind, export_kinds[i])) return names[i];
    return NULL;
}

/* A column of the current row: a copy in a, or for a streaming table
 * (which hands the row over before the next step) the row's own text. */
static const char *col(Table *t, Stmt *st, int c)
{
    if (t->sink) return db_col_text(st, c);
    const char *s = db_col_dup(st, c, t->a);
    return s ? s : "";
}

/* table_init, then streaming when sink is set. */
static void begin(Table *t, Arena *a, const char *title, const char *const *head, TableSink *sink)
{
    table_init(t, a, title, head);
    if (sink) table_stream(t, sink);
}

/* Staff in the roster import's own columns, so the file can go back in. */
static void staff_table(Db *db, Arena *a, int nendo, const char *as_of, Table *t, TableSink *sink)
{
    static const char *const head[] = {"職員番号", "漢字氏名", "カナ氏名", "所属コード", "所属", "職位", "職種", "職員区分", "異動年月日", "人材区分", NULL};
    begin(t, a, "職員", head, sink);
    Stmt *st = db_query(db,
                        "SELECT s.staff_no, s.name, s.kana, u.code, u.name, s.post, s.job_type, s.emp_type, a.from_date,"
                        " " ASOF_TIER_OF("s.id")
                        " FROM staff s JOIN " ASOF_PRIMARY("a", "s.id") " JOIN org_unit u ON u.id = a.unit_id"
                        " ORDER BY u.code, s.staff_no",
                        nendo, as_of, as_of, as_of, as_of);
    while (db_step(st) == DB_ROW) {
        for (int c = 0; c < 7; c++) table_text(t, col(t, st, c));
        table_text(t, emp_type_name(db_col_text(st, 7)));
        table_date(t, col(t, st, 8));
        table_text(t, tier_name((int)db_col_int(st, 9)));
    }
    db_done(st);
}

static const char *const assess_head[] = {"職員番号", "氏名", "年度", "状態", "項目コード", "項目", "自己評価", "上司確認", "コメント", "根拠",
                                          "調整の理由", NULL};

/* Assessment lines of a 年度 (0: all) for everyone (staff_id 0) or one person. */
static void assess_table(Db *db, Arena *a, int nendo, int64_t staff_id, Table *t, TableSink *sink)
{
    begin(t, a, "自己評価", assess_head, sink);
    Stmt *st = db_query(db,
                        "SELECT s.staff_no, s.name, x.nendo, x.state, i.code, i.name, y.self_level, y.sup_level, y.self_comment, y.evidence,"
                        " y.sup_reason FROM assessment x JOIN staff s ON s.id = x.staff_id JOIN assessment_item y ON y.assessment_id = x.id"
                        " JOIN skill_item i ON i.id = y.item_id WHERE (? = 0 OR x.nendo = ?) AND (? = 0 OR x.staff_id = ?)"
                        " ORDER BY x.nendo, s.staff_no, i.code",
                        nendo, nendo, staff_id, staff_id);
    while (db_step(st) == DB_ROW) {
        table_text(t, col(t, st, 0));
        table_text(t, col(t, st, 1));
        table_int(t, db_col_int(st, 2));
        table_text(t, assess_state_name(assess_state_parse(db_col_text(st, 3))));
        table_text(t, col(t, st, 4));
        table_text(t, col(t, st, 5));
        for (int c = 6; c <= 7; c++) {
            if (db_col_null(st, c)) table_text(t, "");
            else table_int(t, db_col_int(st, c));
        }
        for (int c = 8; c <= 10; c++) table_text(t, col(t, st, c));
    }
    db_done(st);
}

static const char *const training_head[] = {"職員番号", "氏名", "所属", "研修コード", "研修名", "実施主体", "日時", "出席", "修了", "時間（分）",
                                            "点数", "復命書", NULL};

static void training_table(Db *db, Arena *a, int nendo, int64_t staff_id, Table *t, TableSink *sink)
{
    begin(t, a, "研修の受講", training_head, sink);
    TranscriptRow *rows;
    int n = transcript_list(db, a, staff_id, 0, nendo, 0, &rows);
    for (int i = 0; i < n; i++) {
        const TranscriptRow *x = &rows[i];
        table_text(t, x->staff_no);
        table_text(t, x->staff_name);
        table_text(t, x->unit_name);
        table_text(t, x->course_code);
        table_text(t, x->course_title);
        table_text(t, provider_name(x->provider));
        table_date(t, x->starts_at);
        table_text(t, x->attended ? "出席" : "欠席");
        table_text(t, x->completed ? "修了" : "");
        table_int(t, x->minutes);
        if (x->score >= 0) table_int(t, x->score);
        else table_text(t, "");
        table_date(t, x->report_on);
    }
}

static int fill(Db *db, Arena *a, const char *kind, int nendo, const char *as_of, Table *t, TableSink *sink)
{
    if (str_eq(kind, "staff")) staff_table(db, a, nendo, as_of, t, sink);
    else if (str_eq(kind, "assessments")) assess_table(db, a, nendo, 0, t, sink);
    else if (str_eq(kind, "training")) training_table(db, a, nendo, 0, t, sink);
    else if (str_eq(kind, "skills")) {
        /* Small (items × levels): built whole, then handed over. */
        SkillMap m;
        skill_map_load(db, a, nendo, true, &m);
        skill_map_table(a, &m, t);
        if (sink) {
            table_feed(t, sink);
            t->nstreamed = table_rows(t);
            t->sink = sink;
        }
    } else return -1;
    return 0;
}

int export_table(Db *db, Arena *a, const char *kind, int nendo, const char *as_of, Table *t) { return fill(db, a, kind, nendo, as_of, t, NULL); }

int export_stream(Db *db, Arena *a, const char *kind, int nendo, const char *as_of, TableSink *sink)
{
    Table t;
    if (fill(db, a, kind, nendo, as_of, &t, sink) != 0) return -1;
    return table_rows(&t);
}

/* A table of the rows of one query about a person: every column as text. */
static void query_table(Db *db, Arena *a, Table *t, const char *title, const char *const *head, const char *sql, int64_t staff_id)
{
    table_init(t, a, title, head);
    Stmt *st = db_query(db, sql, staff_id);
    while (db_step(st) == DB_ROW)
        for (int c = 0; c < t->ncols; c++) table_text(t, db_col_null(st, c) ? "" : db_col_dup(st, c, a));
    db_done(st);
}

/* 役割 of an account in words: "職員・人事". */
static const char *role_names(Arena *a, int64_t roles)
{
    static const struct {
        int bit;
        const char *name;
    } names[] = {{ROLE_STAFF, "職員"}, {ROLE_MANAGER, "所属長"}, {ROLE_HR, "人事"}, {ROLE_DX, "DX推進"}, {ROLE_ADMIN, "管理者"}};
    Buf b = BUF_INIT;
    for (size_t i = 0; i < COUNTOF(names); i++)
        if (roles & names[i].bit) buf_printf(&b, "%s%s", b.len ? "・" : "", names[i].name);
    const char *r = arena_strdup(a, buf_cstr(&b));
    buf_free(&b);
    return r;
}

int export_person(Db *db, Arena *a, int64_t staff_id, Table *ts, int max)
{
    if (max < EXPORT_PERSON_TABLES || !db_exists(db, "SELECT 1 FROM staff WHERE id = ?", staff_id)) return 0;
    static const char *const h_basic[] = {"職員番号", "氏名", "カナ", "職員区分", "職位", "職種", "在職", "登録日時", "更新日時", NULL};
    static const char *const h_assign[] = {"所属コード", "所属", "種類", "開始日", "終了日", NULL};
    static const char *const h_tier[] = {"年度", "区分", "詳細", "所属", "指名日", "指名者", "解除日", "備考", NULL};
    static const char *const h_qual[] = {"資格", "取得日", "有効期限", "備考", NULL};
    static const char *const h_share[] = {"実施日", "対象", "参加人数", "内容", "資料", NULL};
    static const char *const h_audit[] = {"日時", "操作者", "操作", "内容", NULL};
    static const char *const h_app[] = {"研修コード", "研修名", "開催日時", "状態", "申込日時", "承認日時", "決定日時", "備考", NULL};
    static const char *const h_duty[] = {"重要システム", "担当", "開始日", "終了日", NULL};
    static const char *const h_account[] = {"ログインID", "役割", "有効", "作成日時", "更新日時", NULL};
    static const char *const h_acted[] = {"日時", "操作", "対象", "内容", NULL};
    /* 在職: a primary assignment in force today. */
    char today[11];
    now_date(today);
    table_init(&ts[0], a, "基本情報", h_basic);
    Stmt *st = db_query(db,
                        "SELECT s.staff_no, s.name, s.kana, s.emp_type, s.post, s.job_type,"
                        " CASE WHEN " ASOF_IN_SERVICE("s.id") " THEN '在職' ELSE '退職' END, s.created_at, s.updated_at FROM staff s WHERE s.id = ?",
                        today, today, staff_id);
    while (db_step(st) == DB_ROW)
        for (int c = 0; c < ts[0].ncols; c++) table_text(&ts[0], db_col_null(st, c) ? "" : db_col_dup(st, c, a));
    db_done(st);
    query_table(db, a, &ts[1], "所属", h_assign,
                "SELECT u.code, u.name, CASE WHEN a.is_primary = 1 THEN '本務' ELSE '兼務' END, a.from_date, a.to_date FROM assignment a"
                " JOIN org_unit u ON u.id = a.unit_id WHERE a.staff_id = ? ORDER BY a.from_date",
                staff_id);
    query_table(db, a, &ts[2], "人材区分", h_tier,
                "SELECT d.nendo, d.tier, d.subtype, u.name, d.designated_on, d.designated_by, d.ended_on, d.note FROM tier_designation d"
                " JOIN org_unit u ON u.id = d.unit_id WHERE d.staff_id = ? ORDER BY d.nendo, d.tier",
                staff_id);
    assess_table(db, a, 0, staff_id, &ts[3], NULL);
    query_table(db, a, &ts[4], "資格", h_qual,
                "SELECT t.name, q.acquired_on, q.expires_on, q.note FROM staff_qualification q JOIN qualification_type t ON t.code = q.qual_code"
                " WHERE q.staff_id = ? ORDER BY q.acquired_on",
                staff_id);
    training_table(db, a, 0, staff_id, &ts[5], NULL);
    query_table(db, a, &ts[6], "職場還元", h_share,
                "SELECT held_on, audience, attendees, content, materials FROM share_back WHERE staff_id = ? ORDER BY held_on", staff_id);
    query_table(db, a, &ts[7], "記録された操作", h_audit,
                "SELECT at, actor, action, summary FROM audit_log WHERE subject_staff_id = ? ORDER BY id", staff_id);
    query_table(db, a, &ts[8], "研修の申込", h_app,
                "SELECT c.code, c.title, s.starts_at, p.state, p.applied_at, p.approved_at, p.decided_at, p.note FROM application p"
                " JOIN training_session s ON s.id = p.session_id JOIN course c ON c.id = s.course_id WHERE p.staff_id = ? ORDER BY s.starts_at, p.id",
                staff_id);
    query_table(db, a, &ts[9], "重要システムの担当", h_duty,
                "SELECT k.name, d.role, d.from_date, d.to_date FROM key_system_duty d JOIN key_system k ON k.id = d.system_id"
                " WHERE d.staff_id = ? ORDER BY d.from_date, k.name",
                staff_id);
    /* The login account: never its password hash. */
    query_table(db, a, &ts[10], "ログインアカウント", h_account,
                "SELECT login, roles, CASE WHEN active = 1 THEN '有効' ELSE '無効' END, created_at, updated_at FROM account WHERE staff_id = ? ORDER BY id",
                staff_id);
    /* What the person did under their account (the sheet 記録された操作 has
     * what was done about them). */
    query_table(db, a, &ts[11], "本人が行った操作", h_acted,
                "SELECT l.at, l.action, l.entity, l.summary FROM audit_log l JOIN account c ON c.id = l.account_id WHERE c.staff_id = ? ORDER BY l.id",
                staff_id);
    /* Tier and emp codes in words. */
    for (int i = 0; i < ts[0].ncells; i += ts[0].ncols) ts[0].cells[i + 3].text = emp_type_name(ts[0].cells[i + 3].text);
    for (int i = 0; i < ts[2].ncells; i += ts[2].ncols) {
        int64_t tier = 0;
        parse_int64(ts[2].cells[i + 1].text, &tier);
        ts[2].cells[i + 1].text = tier_name((int)tier);
        ts[2].cells[i + 2].text = tier_subtype_name(ts[2].cells[i + 2].text);
    }
    for (int i = 0; i < ts[8].ncells; i += ts[8].ncols) ts[8].cells[i + 3].text = app_state_name(app_state_parse(ts[8].cells[i + 3].text));
    for (int i = 0; i < ts[9].ncells; i += ts[9].ncols)
        ts[9].cells[i + 1].text = str_eq(ts[9].cells[i + 1].text, "main") ? "担当者" : str_eq(ts[9].cells[i + 1].text, "backup") ? "副担当" : ts[9].cells[i + 1].text;
    for (int i = 0; i < ts[10].ncells; i += ts[10].ncols) {
        int64_t roles = 0;
        parse_int64(ts[10].cells[i + 1].text, &roles);
        ts[10].cells[i + 1].text = role_names(a, roles);
    }
    /* Dates and times as Excel dates. */
    static const struct {
        int table, col;
    } dates[] = {{0, 7}, {0, 8}, {1, 3}, {1, 4}, {2, 4}, {2, 6}, {4, 1}, {4, 2}, {6, 0}, {7, 0}, {8, 2}, {8, 4}, {8, 5}, {8, 6}, {9, 2}, {9, 3}, {10, 3}, {10, 4}, {11, 0}};
    for (size_t i = 0; i < COUNTOF(dates); i++) table_date_column(&ts[dates[i].table], dates[i].col);
    return EXPORT_PERSON_TABLES;
}

/* CSV in CP932, row by row. Every cell is checked, so each problem is named
 * by row and column; after the first problem nothing more is written (the
 * file is then thrown away) but the checking goes on. With fd < 0 the whole
 * file stays in out. */
typedef struct Cp932Sink {
    TableSink sink;
    Buf utf8, out;
    int fd;
    int row;
    Errors *e;
} Cp932Sink;

enum { CP932_CHUNK = 64 * 1024 };

static int cp932_flush(Cp932Sink *s, size_t at_least)
{
    if (s->fd < 0 || s->out.len < at_least) return 0;
    int rc = table_write_all(s->fd, s->out.data, s->out.len);
    buf_reset(&s->out);
    return rc;
}

static int cp932_begin(TableSink *sink, const Table *t)
{
    Cp932Sink *s = (Cp932Sink *)sink;
    buf_reset(&s->utf8);
    table_csv_head(t, &s->utf8);
    /* No BOM in a CP932 file. */
    EncProblem p[1];
    int np;
    if (utf8_to_cp932(s->utf8.data + 3, s->utf8.len - 3, &s->out, p, 1, &np) != 0) {
        err_add(s->e, "", "Shift_JIS（CP932）に変換できませんでした。");
        return -1;
    }
    return cp932_flush(s, CP932_CHUNK);
}

/* Names each cell of the row that CP932 cannot hold. */
static void cp932_problems(Cp932Sink *s, const Table *t, const TableCell *cells)
{
    EncProblem p[4];
    int np;
    Buf tmp = BUF_INIT;
    for (int c = 0; c < t->ncols && s->e->n < ERRORS_MAX - 1; c++) {
        const char *x = cells[c].text;
        if (!x || !*x) continue;
        buf_reset(&tmp);
        if (utf8_to_cp932(x, strlen(x), &tmp, p, 4, &np) != 0) {
            /* The line in the file (the header is line 1) and the code point, since
             * fonts may draw an unusual character like a common one. */
            const unsigned char *ch = (const unsigned char *)p[0].ch;
            unsigned cp = ch[0] < 0x80 ? ch[0] : ch[0] < 0xE0 ? (ch[0] & 0x1Fu) << 6 | (ch[1] & 0x3Fu)
                        : ch[0] < 0xF0 ? (ch[0] & 0x0Fu) << 12 | (ch[1] & 0x3Fu) << 6 | (ch[2] & 0x3Fu)
                                       : (ch[0] & 0x07u) << 18 | (ch[1] & 0x3Fu) << 12 | (ch[2] & 0x3Fu) << 6 | (ch[3] & 0x3Fu);
            err_addf(s->e, "", "%d行目「%s」列：「%s」（U+%04X）はShift_JIS（CP932）で表せません。", s->row + 2, t->head[c], p[0].ch, cp);
        }
    }
    buf_free(&tmp);
}

static int cp932_row(TableSink *sink, const Table *t, const TableCell *cells)
{
    Cp932Sink *s = (Cp932Sink *)sink;
    buf_reset(&s->utf8);
    table_csv_row(t, cells, &s->utf8);
    size_t before = s->out.len;
    EncProblem p[1];
    int np;
    int rc = 0;
    if (utf8_to_cp932(s->utf8.data, s->utf8.len, &s->out, p, 1, &np) != 0) {
        s->out.len = before;
        size_t had = (size_t)s->e->n;
        cp932_problems(s, t, cells);
        if ((size_t)s->e->n == had && !err_any(s->e)) err_add(s->e, "", "Shift_JIS（CP932）に変換できませんでした。");
    }
    if (!err_any(s->e)) rc = cp932_flush(s, CP932_CHUNK);
    else buf_reset(&s->out); /* nothing more is written; keep checking */
    s->row++;
    return rc;
}

static void cp932_sink(Cp932Sink *s, int fd, Errors *e)
{
    *s = (Cp932Sink){.sink = {cp932_begin, cp932_row, 0}, .utf8 = BUF_INIT, .out = BUF_INIT, .fd = fd, .e = e};
}

int export_csv_cp932(const Table *t, Buf *out, Errors *e)
{
    Cp932Sink s;
    cp932_sink(&s, -1, e);
    int rc = table_feed(t, &s.sink) || err_any(e) ? -1 : 0;
    if (rc == 0) buf_append(out, s.out.data ? s.out.data : "", s.out.len);
    buf_free(&s.utf8);
    buf_free(&s.out);
    return rc;
}

int export_file(Db *db, Arena *a, const char *kind, int nendo, const char *as_of, ExportFormat format, ExportFile *f, Errors *e)
{
    *f = (ExportFile){.fd = -1};
    if (!export_kind_name(kind)) return -2;
    int rc = -1;
    if (format == EXPORT_XLSX) {
        TableSink *x = xlsx_sink_new();
        if (!x) return -1;
        f->rows = export_stream(db, a, kind, nendo, as_of, x);
        rc = xlsx_sink_end(x, &f->fd, &f->len);
    } else {
        int fd = table_tmpfd();
        if (fd < 0) return -1;
        if (format == EXPORT_CSV_CP932) {
            Cp932Sink s;
            cp932_sink(&s, fd, e);
            f->rows = export_stream(db, a, kind, nendo, as_of, &s.sink);
            rc = s.sink.err || err_any(e) ? -1 : cp932_flush(&s, 0);
            buf_free(&s.utf8);
            buf_free(&s.out);
        } else {
            TableCsvSink s;
            table_csv_sink(&s, fd);
            f->rows = export_stream(db, a, kind, nendo, as_of, &s.sink);
            rc = table_csv_sink_end(&s);
        }
        off_t end = lseek(fd, 0, SEEK_CUR);
        if (rc == 0 && end >= 0 && lseek(fd, 0, SEEK_SET) == 0) {
            f->fd = fd;
            f->len = (size_t)end;
        } else {
            rc = -1;
            close(fd);
        }
    }
    return rc;
}
