/* page_import.c - data in and out: the staff roster from 人事給与システム
 * (人事給与システム), qualifications, assessments and training completions
 * (records.h). The export page is page_export.c, a person's disclosure
 * page_disclosure.c.
 *
 * /import uploads a roster and shows a dry run (roster_plan writes nothing).
 * The dry-run page carries the file, converted to UTF-8, in a hidden
 * textarea, so applying re-reads and re-checks exactly the roster that was
 * shown; the encoding first detected travels with it for the audit row.
 * The records section (/import/records/…) works the same way. The roster is
 * for 人事 and 管理者; the records section also for DX推進. */
#include <string.h>
#include <unistd.h>

#include "../auth/scope.h"
#include "../core/util.h"
#include "../domain/export.h"
#include "../domain/records.h"
#include "../domain/roster.h"
#include "../domain/staff.h"
#include "../html/layout.h"
#include "../io/encoding.h"
#include "../io/table.h"
#include "../io/text.h"
#include "page_audit.h"
#include "pages.h"

#define STANDARD "標準"
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* What the roster forms hold: as typed after a POST, else the defaults. */
typedef struct ImportForm {
    const char *profile, *as_of; /* upload form */
    bool retire_missing;
    RosterProfile edit;            /* the profile form */
    const Errors *file_errors;     /* a roster that cannot be read or applied */
    const Problems *file_problems; /* all the roster's row errors (file_errors has the first) */
    const Errors *profile_errors;  /* the profile form */
    const char *record_kind;       /* the records form: quals|assessments|completions */
    const Errors *record_errors;   /* a records file that cannot be read or applied */
    const Problems *record_problems;
} ImportForm;

/* The roster is 人事's; the records section is open to DX推進 too. */
static bool roster_allowed(Req *r) { return (r->user->roles & (ROLE_HR | ROLE_ADMIN)) != 0; }

static const char *today(Req *r)
{
    char *d = arena_alloc(r->a, 11);
    date_iso(date_today(), d);
    return d;
}

/* The profile named (NULL, "" or 標準: the built-in one); false when unknown. */
static bool load_profile(Req *r, const char *name, RosterProfile *p)
{
    if (str_empty(name) || str_eq(name, STANDARD)) {
        roster_profile_default(p);
        return true;
    }
    return roster_profile_get(r->db, r->a, name, p);
}

static void form_values(Req *r, ImportForm *f)
{
    bool post = req_is_post(r);
    memset(f, 0, sizeof *f);
    f->profile = post ? req_form(r, "profile") : req_query(r, "profile");
    if (str_empty(f->profile)) f->profile = STANDARD;
    f->as_of = post ? form_date(r, "as_of") : today(r);
    f->retire_missing = post && str_eq(req_form(r, "retire_missing"), "1");
    f->record_kind = post ? req_form(r, "kind") : req_query(r, "kind");
    if (!load_profile(r, f->profile, &f->edit)) roster_profile_default(&f->edit);
}


/* ---- /import ---- */

static void done_message(Req *r, Buf *b)
{
    int64_t n;
    RecordKind k;
    const char *msg = req_query(r, "msg");
    if (!parse_int64(req_query(r, "written"), &n)) return;
    if (str_eq(msg, "imported") && n > 0) html_printf(b, "<div class=\"flash ok\" role=\"status\">%lld人を更新しました。</div>\n", (long long)n);
    else if (str_eq(msg, "imported")) html_raw(b, "<div class=\"flash ok\" role=\"status\">変更はありませんでした（同じ内容の名簿です）。</div>\n");
    else if (str_eq(msg, "records") && record_kind_parse(req_query(r, "kind"), &k) && n > 0)
        html_printf(b, "<div class=\"flash ok\" role=\"status\">%sの記録を%lld行反映しました。</div>\n", record_kind_name(k), (long long)n);
    else if (str_eq(msg, "records") && record_kind_parse(req_query(r, "kind"), &k))
        html_printf(b, "<div class=\"flash ok\" role=\"status\">変更はありませんでした（%sの記録はファイルと同じ内容です）。</div>\n", record_kind_name(k));
}

static void columns_help(Buf *b)
{
    static const char *const what[RF_COUNT] = {
        "jinzaiの職員と照合する番号（半角英数字とハイフン）",
        "髙・﨑などの字もそのまま取り込みます",
        "半角カナは全角に直して保存します",
        "組織図の「組織コード」。基準日（異動年月日があればその日）にある組織",
        "例：主事、係長",
        "例：一般事務、土木技師",
        "正規 ／ 再任用 ／ 任期付 ／ 会計年度任用（空欄なら正規）",
        "所属が変わる職員の発令日。空欄なら基準日。2026/4/1・令和8年4月1日の形も読めます",
        "新しい職員の配属開始日（異動年月日がないとき）",
    };
    html_raw(b, "<section class=\"panel\"><h2>ファイルの形式</h2><p>1行目は見出しです。見出しの名前で列を探すので、列の順番や余分な列は問いません。"
                "見出しの名前が違うシステムは、下の「取込設定」で対応を登録してください。</p>\n<div class=\"table-wrap\"><table class=\"data\">"
                "<caption>標準の見出し</caption><thead><tr><th scope=\"col\">項目</th><th scope=\"col\">見出し</th><th scope=\"col\">内容</th></tr></thead><tbody>");
    for (int f = 0; f < RF_COUNT; f++)
        html_printf(b, "<tr><th scope=\"row\">%s%s</th><td>%s</td><td>%s</td></tr>", roster_field_names[f],
                    f == RF_STAFF_NO || f == RF_NAME || f == RF_UNIT ? "（必須）" : "", roster_default_headers[f], what[f]);
    html_raw(b, "</tbody></table></div></section>\n");
}

static void upload_form(Req *r, Buf *b, const ImportForm *f)
{
    const char **names;
    int n = roster_profile_names(r->db, r->a, &names);
    Option *opts = arena_alloc(r->a, sizeof *opts * (size_t)(n + 1));
    opts[0] = (Option){STANDARD, "標準（人事給与システムの一般的な見出し）"};
    for (int i = 0; i < n; i++) opts[i + 1] = (Option){names[i], names[i]};
    html_raw(b, "<section class=\"panel\"><h2>名簿を取り込む</h2>"
                "<form method=\"post\" action=\"/import/preview\" enctype=\"multipart/form-data\" class=\"stack\" data-once data-progress>");
    html_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->user->csrf);
    html_raw(b, "<div class=\"field\"><label for=\"f-file\">名簿のCSVファイル <span class=\"req\">必須</span></label>"
                "<input type=\"file\" id=\"f-file\" name=\"file\" accept=\".csv,text/csv\" required aria-describedby=\"h-file\">"
                "<p class=\"hint\" id=\"h-file\">次の画面で内容を確かめてから反映します。ここでは何も変更しません。</p></div>");
    field_select(b, f->file_errors, "profile", "取込設定", opts, n + 1, f->profile, 0, NULL);
    field_text(b, f->file_errors, "as_of", "基準日", f->as_of, F_REQUIRED | F_NARROW, "この日の名簿として比べます。異動年月日のない異動はこの日付で登録します。");
    html_printf(b, "<div class=\"field\"><label class=\"choice\"><input type=\"checkbox\" id=\"f-retire_missing\" name=\"retire_missing\" value=\"1\""
                   " aria-describedby=\"h-retire_missing\"%s> 名簿にない在職職員を無効にする</label><p class=\"hint\" id=\"h-retire_missing\">"
                   "退職者を名簿から外して出力するシステムの場合に選びます。基準日の前日付けで無効にします（記録は残ります）。</p></div>",
                f->retire_missing ? " checked" : "");
    html_raw(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">内容を確認する</button></div></form></section>\n");
}

static void profile_form(Req *r, Buf *b, const ImportForm *f)
{
    const char **names;
    int n = roster_profile_names(r->db, r->a, &names);
    html_raw(b, "<section class=\"panel\" id=\"profile\"><h2>取込設定（見出しの対応）</h2><p>人事給与システムによって見出しの名前が違うときは、"
                "項目ごとにファイルの見出し名を登録します。空欄の項目はファイルにないものとして扱い、jinzaiの値を変えません。</p>\n");
    if (n) {
        html_raw(b, "<p>保存済みの設定：");
        for (int i = 0; i < n; i++) {
            html_raw(b, i ? "、" : "");
            html_raw(b, "<a href=\"/import?profile=");
            html_urlenc(b, names[i]);
            html_printf(b, "#profile\">%s</a>", names[i]);
        }
        html_raw(b, "（名前を選ぶと下の欄に読み込みます）</p>\n");
    }
    form_begin(r, b, "/import/profile", "stack");
    const char *name = str_eq(f->edit.name, STANDARD) ? "" : f->edit.name;
    field_text(b, f->profile_errors, "profile_name", "設定名", name, F_REQUIRED, "同じ名前で保存すると上書きします。例：人事給与システム（2026年度版）");
    html_raw(b, "<fieldset class=\"field headers\"><legend>項目ごとのファイルの見出し名</legend>");
    for (int k = 0; k < RF_COUNT; k++)
        field_text(b, f->profile_errors, roster_fields[k], roster_field_names[k], f->edit.headers[k],
                   k == RF_STAFF_NO || k == RF_NAME || k == RF_UNIT ? F_REQUIRED : 0, NULL);
    html_raw(b, "</fieldset><div class=\"actions\"><button type=\"submit\" class=\"btn\">取込設定を保存</button></div>");
    form_end(b);
    html_raw(b, "</section>\n");
}

/* The records section: the kind, the file, and each kind's columns. */
static void records_form(Req *r, Buf *b, const ImportForm *f)
{
    Option opts[REC_KINDS];
    for (int k = 0; k < REC_KINDS; k++) opts[k] = (Option){record_kind_code((RecordKind)k), record_kind_name((RecordKind)k)};
    html_raw(b, "<section class=\"panel\" id=\"records\"><h2>資格・自己評価・研修受講の取込</h2><p>保有資格、自己評価と上司確認、研修の出欠と修了をCSV"
                "（UTF-8・BOM付きUTF-8・CP932を自動判別）でまとめて登録します。名簿と同じく、次の画面で新規・変更・変更なしを確かめてから反映します。"
                "1行でも誤りがあれば何も変更せず、誤りを行と列で示します。同じファイルをもう一度取り込んでも、変わるものはありません。</p>"
                "<form method=\"post\" action=\"/import/records/preview\" enctype=\"multipart/form-data\" class=\"stack\" data-once data-progress>");
    html_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->user->csrf);
    field_select(b, f->record_errors, "kind", "取り込む記録", opts, REC_KINDS, f->record_kind, F_REQUIRED, NULL);
    html_raw(b, "<div class=\"field\"><label for=\"f-records-file\">CSVファイル <span class=\"req\">必須</span></label>"
                "<input type=\"file\" id=\"f-records-file\" name=\"file\" accept=\".csv,text/csv\" required aria-describedby=\"h-records-file\">"
                "<p class=\"hint\" id=\"h-records-file\">ここでは何も変更しません。「データの出力」の自己評価・研修の受講のCSVも、そのまま読めます。</p></div>"
                "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\">内容を確認する</button></div></form>\n");
    for (int k = 0; k < REC_KINDS; k++) {
        const RecordColumn *cols;
        int n = record_columns((RecordKind)k, &cols);
        html_printf(b, "<details><summary>%sのファイルの形式</summary><div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">見出し</th>"
                       "<th scope=\"col\">内容</th></tr></thead><tbody>",
                    record_kind_name((RecordKind)k));
        for (int c = 0; c < n; c++)
            html_printf(b, "<tr><th scope=\"row\">%s%s%s%s%s</th><td>%s</td></tr>", cols[c].header, cols[c].alias ? "（または" : "",
                        cols[c].alias ? cols[c].alias : "", cols[c].alias ? "）" : "", cols[c].required ? "（必須）" : "", cols[c].hint);
        html_raw(b, "</tbody></table></div></details>\n");
    }
    html_raw(b, "<p class=\"hint\">必須でない列がファイルにないときは、jinzaiの値を変えません。列があって空欄なら、その値を消します。</p></section>\n");
}

static void import_index(Req *r, Resp *w, const ImportForm *f)
{
    bool roster = roster_allowed(r);
    const char *title = roster ? "名簿の取込" : "資格・自己評価・研修受講の取込";
    Crumb crumbs[] = {{"ホーム", "/"}, {"職員一覧", "/staff"}, {title, NULL}};
    page_begin(r, w, title, "import", crumbs, 3);
    Buf *b = &w->body;
    done_message(r, b);
    page_problem_list(b, "名簿を取り込めませんでした", "何も変更していません。ファイルを直してから、もう一度取り込んでください。", f->file_errors, f->file_problems);
    page_problem_list(b, "記録を取り込めませんでした", "何も変更していません。ファイルを直してから、もう一度取り込んでください。", f->record_errors,
                 f->record_problems);
    error_summary(b, f->profile_errors);
    if (!roster) {
        records_form(r, b, f);
        page_end(r, w);
        return;
    }
    html_raw(b, "<p class=\"lead\">人事給与システムから出力した職員名簿のCSV（UTF-8・BOM付きUTF-8・CP932を自動判別）を取り込み、"
                "職員と所属を最新にします。反映の前に、新規・変更・異動・名簿にない職員を一覧で確かめられます。"
                "1行でも誤りがあれば何も変更せず、誤りを行と列で示します。</p>\n");
    upload_form(r, b, f);
    columns_help(b);
    records_form(r, b, f);
    profile_form(r, b, f);
    page_end(r, w);
}

void page_import(Req *r, Resp *w)
{
    ImportForm f;
    form_values(r, &f);
    import_index(r, w, &f);
}

/* The non-empty file uploaded as "file", or NULL. */
static const Upload *uploaded(Req *r)
{
    const Upload *file = NULL;
    for (size_t i = 0; i < r->files.n; i++)
        if (str_eq(r->files.items[i].field, "file") && r->files.items[i].len) file = &r->files.items[i];
    return file;
}

/* The encoding the preview detected (hidden field "encoding"): the text came
 * back as UTF-8, and the audit row names the file's own encoding. */
static const char *sent_encoding(Req *r, const char *dflt)
{
    const char *enc = req_form(r, "encoding");
    for (int k = ENC_UTF8_BOM; k <= ENC_CP932; k++)
        if (str_eq(enc, encoding_name((Encoding)k))) return encoding_name((Encoding)k);
    return dflt;
}

/* The file text, converted to UTF-8, for the hidden textarea (arena). */
static const char *as_utf8(Req *r, const Upload *file)
{
    Buf text = BUF_INIT;
    to_utf8(file->data, file->len, &text, NULL, NULL, NULL); /* the plan has read it already */
    const char *s = arena_strdup(r->a, buf_cstr(&text));
    buf_free(&text);
    return s;
}

/* The apply form of a preview: the hidden fields given as name/value pairs,
 * the file text, and a button that asks first. */
static void apply_form(Req *r, Buf *b, const char *action, const char *const *hidden, int nhidden, const char *text, const char *confirm)
{
    form_begin(r, b, action, "stack");
    for (int i = 0; i + 1 < nhidden; i += 2) html_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", hidden[i], hidden[i + 1]);
    /* The parser drops one newline right after <textarea>, so a file that
     * starts with a blank line keeps it. */
    html_printf(b, "<textarea name=\"csv\" hidden aria-hidden=\"true\">\n%s</textarea>", text);
    html_printf(b, "<div class=\"actions\"><button type=\"submit\" class=\"btn primary\" data-confirm=\"%s\">反映する</button> "
                   "<a class=\"btn\" href=\"/import\">やめる</a></div>",
                confirm);
    form_end(b);
}

/* Checks the form and reads the roster data (any supported encoding) into
 * plan; false with e filled on any problem. */
static bool plan_from(Req *r, const ImportForm *f, const char *data, size_t len, RosterPlan *plan, Errors *e)
{
    Date d;
    RosterProfile p;
    if (!date_parse(f->as_of, &d)) err_add(e, "as_of", "基準日を正しく入力してください（例：2026-04-01、令和8年4月1日）。");
    if (!load_profile(r, f->profile, &p)) err_addf(e, "profile", "取込設定「%s」は見つかりません。", f->profile);
    if (err_any(e)) return false;
    return roster_plan(r->db, r->a, data, len, &p, f->as_of, plan, e) == 0;
}

/* 内容 of a new person's row: where and as what they start. */
static const char *new_person(Req *r, const RosterPlan *plan, const RosterRow *x)
{
    const char *unit = db_text(r->db, r->a, "SELECT name FROM org_unit WHERE id = ?", x->unit_id);
    (void)plan;
    return arena_printf(r->a, "所属：%s（%s）%s%s%s%s、%s、配属：%s%s%s", unit ? unit : "", x->unit_code, *x->post ? "、職位：" : "", x->post,
                        *x->job ? "、職種：" : "", x->job, emp_type_name(x->emp_type ? x->emp_type : "regular"), x->starts_on,
                        *x->what ? "（" : "", *x->what ? arena_printf(r->a, "%s）", x->what) : "");
}

static void kind_table(Req *r, Buf *b, const RosterPlan *plan, RosterChange k, bool retire)
{
    if (!plan->counts[k]) return;
    bool fold = k == RC_UNCHANGED || (k == RC_MISSING && !retire);
    html_printf(b, "<section class=\"panel\" id=\"kind-%d\"><h2>%s（%d人）</h2>", (int)k, roster_change_name(k), plan->counts[k]);
    if (fold) html_raw(b, "<details><summary>一覧を表示</summary>");
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">行</th><th scope=\"col\">職員番号</th>"
                "<th scope=\"col\">氏名</th><th scope=\"col\">内容</th></tr></thead><tbody>\n");
    for (int i = 0; i < plan->n; i++) {
        const RosterRow *x = &plan->rows[i];
        if (x->change != k) continue;
        if (x->line) html_printf(b, "<tr><td class=\"num\">%d</td><td>%s</td><td>", x->line, x->staff_no);
        else html_printf(b, "<tr><td class=\"num\">－</td><td>%s</td><td>", x->staff_no);
        if (x->staff_id) html_printf(b, "<a href=\"/staff/%lld\">%s</a>", (long long)x->staff_id, x->name);
        else html_printf(b, "%s", x->name);
        const char *what = k == RC_NEW ? new_person(r, plan, x) : k == RC_MISSING ? (retire ? "名簿にない在職職員：基準日の前日を最終日として退職等を登録します" : "名簿にない在職職員：変更しません")
                                                                        : x->what;
        html_printf(b, "</td><td>%s</td></tr>\n", *what ? what : "－");
    }
    html_raw(b, "</tbody></table></div>");
    if (fold) html_raw(b, "</details>");
    html_raw(b, "</section>\n");
}

static void preview_page(Req *r, Resp *w, const ImportForm *f, const RosterPlan *plan, const char *text)
{
    static const RosterChange order[] = {RC_NEW, RC_TRANSFERRED, RC_CHANGED, RC_MISSING, RC_UNCHANGED};
    const char *effect[] = {"職員として登録します", "氏名・カナ・職位などを更新します", "新しい所属に配属します（異動年月日、なければ基準日から）",
                            "何もしません", f->retire_missing ? "基準日の前日を最終日として退職等を登録します" : "何もしません（無効にする指定がありません）"};
    int changes = plan->counts[RC_NEW] + plan->counts[RC_CHANGED] + plan->counts[RC_TRANSFERRED] + (f->retire_missing ? plan->counts[RC_MISSING] : 0);
    Crumb crumbs[] = {{"ホーム", "/"}, {"名簿の取込", "/import"}, {"内容の確認", NULL}};
    page_begin(r, w, "名簿の取込：内容の確認", "import", crumbs, 3);
    Buf *b = &w->body;
    html_raw(b, "<div class=\"flash\" role=\"status\"><strong>この画面ではまだ何も変更していません。</strong>"
                "内容を確かめてから、下の「反映する」を押してください。</div>\n<dl class=\"props\">");
    html_printf(b, "<dt>文字コード</dt><dd>%s</dd><dt>取込設定</dt><dd>%s</dd><dt>基準日</dt><dd>", plan->encoding, f->profile);
    html_date(b, f->as_of);
    html_printf(b, "</dd><dt>名簿の人数</dt><dd>%d人</dd></dl>\n", plan->n - plan->counts[RC_MISSING]);
    html_raw(b, "<section class=\"panel\"><h2>変更の内訳</h2><div class=\"table-wrap\"><table class=\"data counts\"><thead><tr>"
                "<th scope=\"col\">区分</th><th scope=\"col\">人数</th><th scope=\"col\">反映すると</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < COUNTOF(order); i++) {
        RosterChange k = order[i];
        if (plan->counts[k]) html_printf(b, "<tr><th scope=\"row\"><a href=\"#kind-%d\">%s</a></th>", (int)k, roster_change_name(k));
        else html_printf(b, "<tr><th scope=\"row\">%s</th>", roster_change_name(k));
        html_printf(b, "<td class=\"num\">%d人</td><td>%s</td></tr>\n", plan->counts[k], effect[k]);
    }
    html_raw(b, "</tbody></table></div></section>\n");
    if (plan->nwarn) {
        html_printf(b, "<section class=\"panel warn\" id=\"warnings\"><h2>反映する前に確認してください（%d件）</h2><ul>", plan->nwarn);
        for (int i = 0; i < plan->n; i++)
            if (plan->rows[i].warn) html_printf(b, "<li>%d行目：%s</li>", plan->rows[i].line, plan->rows[i].warn);
        html_raw(b, "</ul></section>\n");
    }
    for (size_t i = 0; i < COUNTOF(order); i++) kind_table(r, b, plan, order[i], f->retire_missing);
    html_raw(b, "<section class=\"panel\"><h2>反映</h2>");
    if (!changes) {
        html_raw(b, "<p>反映する変更はありません（jinzaiの内容と同じ名簿です）。</p><p><a class=\"btn\" href=\"/import\">名簿の取込に戻る</a></p></section>\n");
        page_end(r, w);
        return;
    }
    html_printf(b, "<p>%d人の変更を1回の処理でまとめて登録します。同じ名簿をもう一度取り込んでも、変わるものはありません。</p>", changes);
    const char *hidden[] = {"profile", f->profile, "as_of", f->as_of, "encoding", plan->encoding, "retire_missing", f->retire_missing ? "1" : "0"};
    apply_form(r, b, "/import/apply", hidden, (int)COUNTOF(hidden), text, arena_printf(r->a, "%d人の変更を反映します。よろしいですか？", changes));
    html_raw(b, "</section>\n");
    page_end(r, w);
}

/* The import page again with what stopped the roster: 422, nothing changed. */
static void import_failed(Req *r, Resp *w, ImportForm *f, const Errors *e, const Problems *p)
{
    f->file_errors = e;
    f->file_problems = p;
    import_index(r, w, f);
    w->status = 422;
}

void page_import_preview(Req *r, Resp *w)
{
    ImportForm f;
    Errors e = {0};
    form_values(r, &f);
    const Upload *file = uploaded(r);
    RosterPlan plan = {0}; /* no progress callback: the browser shows the upload */
    if (!file) err_add(&e, "file", "名簿のCSVファイルを選んでください。");
    else if (plan_from(r, &f, file->data, file->len, &plan, &e)) {
        /* The dry run runs what applying runs, then rolls it back. */
        Actor who;
        page_actor(r, &who);
        if (roster_dry_run(r->db, &who, &plan, f.retire_missing, &e) == 0) {
            preview_page(r, w, &f, &plan, as_utf8(r, file));
            return;
        }
    }
    import_failed(r, w, &f, &e, &plan.problems);
}

void page_import_apply(Req *r, Resp *w)
{
    ImportForm f;
    Errors e = {0};
    form_values(r, &f);
    const char *csv = req_form(r, "csv");
    RosterPlan plan = {0};
    int written = 0;
    Actor who;
    page_actor(r, &who);
    if (str_empty(csv)) err_add(&e, "file", "取り込む名簿がありません。もう一度ファイルを選んでください。");
    else if (plan_from(r, &f, csv, strlen(csv), &plan, &e)) {
        plan.encoding = sent_encoding(r, plan.encoding);
        if (roster_apply(r->db, &who, &plan, f.retire_missing, &written, &e) == 0) {
            resp_redirect(r, w, arena_printf(r->a, "/import?msg=imported&written=%d", written));
            return;
        }
    }
    import_failed(r, w, &f, &e, &plan.problems);
}

void page_import_profile(Req *r, Resp *w)
{
    ImportForm f;
    form_values(r, &f);
    Errors e = {0};
    RosterProfile *p = &f.edit;
    p->name = text_trim(r->a, req_form(r, "profile_name"));
    for (int k = 0; k < RF_COUNT; k++) p->headers[k] = text_trim(r->a, req_form(r, roster_fields[k]));
    Actor who;
    page_actor(r, &who);
    if (str_eq(p->name, STANDARD)) err_add(&e, "profile_name", "「標準」は組み込みの設定の名前です。別の名前を付けてください。");
    if (!err_any(&e) && roster_profile_save(r->db, &who, p, &e) == 0) {
        Buf loc = BUF_INIT;
        buf_puts(&loc, "/import?msg=saved&profile=");
        html_urlenc(&loc, p->name);
        buf_puts(&loc, "#profile");
        resp_redirect(r, w, buf_cstr(&loc));
        buf_free(&loc);
        return;
    }
    for (int i = 0; i < e.n; i++) /* the domain calls the name "profile"; here that is the upload form's select */
        if (str_eq(e.items[i].field, "profile")) e.items[i].field = "profile_name";
    f.profile_errors = &e;
    import_index(r, w, &f);
    w->status = 422;
}

/* ---- /import/records ---- */

/* The rows of one kind of change; unchanged rows folded away. */
static void record_table(Buf *b, const RecordPlan *plan, RecordChange k, int count)
{
    if (!count) return;
    html_printf(b, "<section class=\"panel\" id=\"change-%d\"><h2>%s（%d行）</h2>", (int)k, record_change_name(k), count);
    if (k == RCH_UNCHANGED) html_raw(b, "<details><summary>一覧を表示</summary>");
    html_raw(b, "<div class=\"table-wrap\"><table class=\"data\"><thead><tr><th scope=\"col\">行</th><th scope=\"col\">職員番号</th>"
                "<th scope=\"col\">氏名</th><th scope=\"col\">記録</th><th scope=\"col\">内容</th></tr></thead><tbody>\n");
    for (int i = 0; i < plan->n; i++) {
        const RecordRow *x = &plan->rows[i];
        if (x->change == k)
            html_printf(b, "<tr><td class=\"num\">%d</td><td>%s</td><td><a href=\"/staff/%lld\">%s</a></td><td>%s</td><td>%s</td></tr>\n", x->line,
                        x->staff_no, (long long)x->staff_id, x->staff_name, x->about, *x->what ? x->what : "－");
    }
    html_raw(b, "</tbody></table></div>");
    if (k == RCH_UNCHANGED) html_raw(b, "</details>");
    html_raw(b, "</section>\n");
}

static void records_preview(Req *r, Resp *w, const RecordPlan *plan, const char *text)
{
    const char *name = record_kind_name(plan->kind);
    const int counts[] = {plan->n_new, plan->n_changed, plan->n_unchanged};
    static const char *const effect[] = {"記録を登録します", "記録を書き換えます", "何もしません"};
    int changes = plan->n_new + plan->n_changed;
    Crumb crumbs[] = {{"ホーム", "/"}, {"取込", "/import#records"}, {"内容の確認", NULL}};
    page_begin(r, w, arena_printf(r->a, "%sの取込：内容の確認", name), "import", crumbs, 3);
    Buf *b = &w->body;
    html_raw(b, "<div class=\"flash\" role=\"status\"><strong>この画面ではまだ何も変更していません。</strong>"
                "内容を確かめてから、下の「反映する」を押してください。</div>\n<dl class=\"props\">");
    html_printf(b, "<dt>取り込む記録</dt><dd>%s</dd><dt>文字コード</dt><dd>%s</dd><dt>データの行数</dt><dd>%d行</dd></dl>\n", name, plan->encoding, plan->n);
    html_raw(b, "<section class=\"panel\"><h2>変更の内訳</h2><div class=\"table-wrap\"><table class=\"data counts\"><thead><tr>"
                "<th scope=\"col\">区分</th><th scope=\"col\">行数</th><th scope=\"col\">反映すると</th></tr></thead><tbody>\n");
    for (int k = RCH_NEW; k <= RCH_UNCHANGED; k++)
        html_printf(b, "<tr><th scope=\"row\">%s</th><td class=\"num\">%d行</td><td>%s</td></tr>\n", record_change_name((RecordChange)k), counts[k], effect[k]);
    html_raw(b, "</tbody></table></div></section>\n");
    for (int k = RCH_NEW; k <= RCH_UNCHANGED; k++) record_table(b, plan, (RecordChange)k, counts[k]);
    html_raw(b, "<section class=\"panel\"><h2>反映</h2>");
    if (!changes) {
        html_raw(b, "<p>反映する変更はありません（jinzaiの内容と同じです）。</p><p><a class=\"btn\" href=\"/import#records\">取込に戻る</a></p>");
    } else {
        html_printf(b, "<p>%d行の変更を1回の処理でまとめて登録します。同じファイルをもう一度取り込んでも、変わるものはありません。</p>", changes);
        const char *hidden[] = {"kind", record_kind_code(plan->kind), "encoding", plan->encoding};
        apply_form(r, b, "/import/records/apply", hidden, (int)COUNTOF(hidden), text,
                   arena_printf(r->a, "%sの記録%d行を反映します。よろしいですか？", name, changes));
    }
    html_raw(b, "</section>\n");
    page_end(r, w);
}

/* The import page again with what stopped the file: 422, nothing changed. */
static void records_failed(Req *r, Resp *w, const Errors *e, const Problems *p)
{
    ImportForm f;
    form_values(r, &f);
    f.record_errors = e;
    f.record_problems = p;
    import_index(r, w, &f);
    w->status = 422;
}

void page_import_records_preview(Req *r, Resp *w)
{
    Errors e = {0};
    RecordKind kind;
    RecordPlan plan = {0};
    const Upload *file = uploaded(r);
    if (!record_kind_parse(req_form(r, "kind"), &kind)) err_add(&e, "kind", "取り込む記録を選んでください。");
    else if (!file) err_add(&e, "file", "CSVファイルを選んでください。");
    else if (record_plan(r->db, r->a, kind, file->data, file->len, &plan, &e) == 0) {
        records_preview(r, w, &plan, as_utf8(r, file));
        return;
    }
    records_failed(r, w, &e, &plan.problems);
}

void page_import_records_apply(Req *r, Resp *w)
{
    Errors e = {0};
    RecordKind kind;
    RecordPlan plan = {0};
    const char *csv = req_form(r, "csv");
    int written = 0;
    Actor who;
    page_actor(r, &who);
    if (!record_kind_parse(req_form(r, "kind"), &kind)) err_add(&e, "kind", "取り込む記録を選んでください。");
    else if (str_empty(csv)) err_add(&e, "file", "取り込むファイルがありません。もう一度ファイルを選んでください。");
    else if (record_plan(r->db, r->a, kind, csv, strlen(csv), &plan, &e) == 0) {
        plan.encoding = sent_encoding(r, plan.encoding);
        if (record_apply(r->db, &who, &plan, &written, &e) == 0) {
            resp_redirect(r, w, arena_printf(r->a, "/import?msg=records&kind=%s&written=%d#records", record_kind_code(kind), written));
            return;
        }
    }
    records_failed(r, w, &e, &plan.problems);
}
