/* demo.c - see demo.h.
 *
 * The organisation comes from a static table (parents follow from the order
 * of the rows); staff, moves and designations are drawn from a splitmix64
 * generator seeded by the caller, then written in one transaction. */
#include "demo.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../auth/account.h"
#include "../db/audit.h"
#include "../auth/roles.h"
#include "../core/util.h"
#include "../domain/staff.h"


/* One unit: level, name, usual 職種 of its staff (NULL: 一般行政), the key
 * 重要システム name of a 課 (NULL: none) and the 情報部門 flag. A row's parent is the
 * nearest preceding row with a lower level. */
typedef struct OrgDef {
    int level;
    const char *name, *job, *sys;
    int info;
} OrgDef;

static const OrgDef org_defs[] = {
    {1, "市長部局", NULL, NULL, 0},
    {2, "総務部", NULL, NULL, 0},
    {3, "総務課", NULL, NULL, 0},
    {4, "総務係", NULL, NULL, 0}, {4, "人事係", NULL, NULL, 0}, {4, "法制係", NULL, NULL, 0},
    {4, "職員厚生係", NULL, NULL, 0},
    {3, "財政課", NULL, "財務会計システム", 0},
    {4, "財政係", NULL, NULL, 0}, {4, "管財係", NULL, NULL, 0}, {4, "公共施設マネジメント係", NULL, NULL, 0},
    {3, "契約検査課", NULL, NULL, 0},
    {3, "政策企画課", NULL, NULL, 0},
    {4, "企画係", NULL, NULL, 0}, {4, "広報・DX推進係", NULL, NULL, 1}, {4, "地域振興係", NULL, NULL, 0},
    {4, "ふるさと納税係", NULL, NULL, 0},
    {3, "税務課", NULL, "税務システム", 0},
    {4, "市民税係", NULL, NULL, 0}, {4, "資産税係", NULL, NULL, 0}, {4, "収納係", NULL, NULL, 0},
    {4, "滞納整理係", NULL, NULL, 0},
    {3, "危機管理課", NULL, NULL, 0},
    {4, "危機管理係", NULL, NULL, 0}, {4, "防災係", NULL, NULL, 0}, {4, "交通安全係", NULL, NULL, 0},
    {2, "市民部", NULL, NULL, 0},
    {3, "市民課", NULL, "住民記録システム", 0},
    {4, "窓口係", NULL, NULL, 0}, {4, "戸籍係", NULL, NULL, 0}, {4, "住民記録係", NULL, NULL, 0},
    {3, "保険年金課", NULL, "国保・後期高齢者医療システム", 0},
    {4, "国民健康保険係", NULL, NULL, 0}, {4, "後期高齢者医療係", NULL, NULL, 0}, {4, "国民年金係", NULL, NULL, 0},
    {3, "環境衛生課", NULL, NULL, 0},
    {4, "環境保全係", NULL, NULL, 0}, {4, "衛生係", NULL, NULL, 0}, {4, "廃棄物対策係", NULL, NULL, 0},
    {3, "人権推進課", NULL, NULL, 0},
    {3, "国見支所", NULL, NULL, 0},
    {4, "市民サービス係", NULL, NULL, 0}, {4, "地域振興係", NULL, NULL, 0},
    {3, "武蔵支所", NULL, NULL, 0},
    {3, "安岐支所", NULL, NULL, 0},
    {4, "市民サービス係", NULL, NULL, 0}, {4, "地域振興係", NULL, NULL, 0},
    {2, "健康福祉部", NULL, NULL, 0},
    {3, "福祉課", NULL, "福祉総合システム", 0},
    {4, "地域福祉係", NULL, NULL, 0}, {4, "社会福祉係", NULL, NULL, 0}, {4, "障がい福祉係", NULL, NULL, 0},
    {4, "生活保護係", NULL, NULL, 0},
    {3, "高齢者支援課", NULL, "介護保険システム", 0},
    {4, "介護保険係", NULL, NULL, 0}, {4, "地域包括支援係", "保健師", NULL, 0}, {4, "高齢者福祉係", NULL, NULL, 0},
    {4, "在宅福祉係", NULL, NULL, 0},
    {3, "医療保健課", NULL, "健康管理システム", 0},
    {4, "健康推進係", "保健師", NULL, 0}, {4, "母子保健係", "保健師", NULL, 0}, {4, "予防係", "保健師", NULL, 0},
    {4, "地域医療係", NULL, NULL, 0},
    {3, "子育て支援課", NULL, "子ども・子育て支援システム", 0},
    {4, "子育て支援係", NULL, NULL, 0}, {4, "こども家庭係", NULL, NULL, 0}, {4, "保育係", "保育士", NULL, 0},
    {2, "産業部", NULL, NULL, 0},
    {3, "農政課", NULL, "農地台帳システム", 0},
    {4, "農政企画係", NULL, NULL, 0}, {4, "農業振興係", NULL, NULL, 0}, {4, "農地整備係", "土木", NULL, 0},
    {4, "畜産係", NULL, NULL, 0},
    {3, "林業水産課", NULL, NULL, 0},
    {4, "林業係", NULL, NULL, 0}, {4, "林道係", "土木", NULL, 0}, {4, "水産係", NULL, NULL, 0},
    {3, "観光課", NULL, NULL, 0},
    {4, "観光振興係", NULL, NULL, 0}, {4, "観光施設係", NULL, NULL, 0}, {4, "観光プロモーション係", NULL, NULL, 0},
    {3, "活力創生課", NULL, NULL, 0},
    {4, "商工振興係", NULL, NULL, 0}, {4, "移住定住係", NULL, NULL, 0}, {4, "企業誘致係", NULL, NULL, 0},
    {2, "建設部", NULL, NULL, 0},
    {3, "建設課", NULL, NULL, 0},
    {4, "管理係", NULL, NULL, 0}, {4, "用地係", NULL, NULL, 0}, {4, "道路係", "土木", NULL, 0},
    {4, "河川係", "土木", NULL, 0}, {4, "維持係", "土木", NULL, 0},
    {3, "都市計画課", NULL, NULL, 0},
    {4, "都市計画係", "土木", NULL, 0}, {4, "公園緑地係", "土木", NULL, 0}, {4, "地籍調査係", "土木", NULL, 0},
    {3, "建築住宅課", NULL, NULL, 0},
    {4, "建築係", "建築", NULL, 0}, {4, "住宅係", NULL, NULL, 0},
    {3, "上下水道課", NULL, "上下水道料金システム", 0},
    {4, "業務係", NULL, NULL, 0}, {4, "上水道係", "土木", NULL, 0}, {4, "下水道係", "土木", NULL, 0},
    {4, "施設係", "技術", NULL, 0},
    {3, "会計課", NULL, "公金収納システム", 0},
    {1, "教育委員会", NULL, NULL, 0},
    {3, "教育総務課", NULL, NULL, 0},
    {4, "総務係", NULL, NULL, 1}, {4, "学校施設係", "建築", NULL, 0},
    {3, "学校教育課", NULL, "校務支援システム", 0},
    {4, "学務係", NULL, NULL, 0}, {4, "指導係", NULL, NULL, 0}, {4, "学校給食係", "管理栄養士", NULL, 0},
    {4, "特別支援教育係", NULL, NULL, 0},
    {3, "社会教育課", NULL, NULL, 0},
    {4, "社会教育係", NULL, NULL, 0}, {4, "人権教育係", NULL, NULL, 0}, {4, "公民館係", NULL, NULL, 0},
    {3, "スポーツ振興課", NULL, NULL, 0},
    {3, "文化財課", NULL, NULL, 0},
    {4, "文化財係", "学芸員", NULL, 0}, {4, "歴史体験学習館係", "学芸員", NULL, 0},
    {3, "図書館", NULL, NULL, 0},
    {1, "議会事務局", NULL, NULL, 0},
    {3, "議事課", NULL, NULL, 0},
    {1, "監査委員事務局", NULL, NULL, 0},
    {3, "監査課", NULL, NULL, 0},
    {1, "農業委員会事務局", NULL, NULL, 0},
    {3, "農地課", NULL, NULL, 0},
    {4, "農地係", NULL, NULL, 0}, {4, "農業者年金係", NULL, NULL, 0},
};

typedef struct Name {
    const char *kanji, *kana;
} Name;

/* The last SURNAME_RARE entries (髙 and 﨑) are drawn less often. */
static const Name surnames[] = {
    {"佐藤", "サトウ"}, {"河野", "カワノ"}, {"後藤", "ゴトウ"}, {"安部", "アベ"}, {"衛藤", "エトウ"},
    {"首藤", "シュトウ"}, {"小野", "オノ"}, {"甲斐", "カイ"}, {"渡辺", "ワタナベ"}, {"田中", "タナカ"},
    {"山本", "ヤマモト"}, {"中村", "ナカムラ"}, {"伊藤", "イトウ"}, {"吉田", "ヨシダ"}, {"山田", "ヤマダ"},
    {"高橋", "タカハシ"}, {"山崎", "ヤマサキ"}, {"松本", "マツモト"}, {"井上", "イノウエ"}, {"木村", "キムラ"},
    {"林", "ハヤシ"}, {"清水", "シミズ"}, {"阿部", "アベ"}, {"森", "モリ"}, {"池田", "イケダ"},
    {"橋本", "ハシモト"}, {"石川", "イシカワ"}, {"藤田", "フジタ"}, {"岡本", "オカモト"}, {"長野", "ナガノ"},
    {"矢野", "ヤノ"}, {"原田", "ハラダ"}, {"平野", "ヒラノ"}, {"三浦", "ミウラ"}, {"野田", "ノダ"},
    {"堀", "ホリ"}, {"田原", "タハラ"}, {"吉武", "ヨシタケ"}, {"江藤", "エトウ"}, {"二宮", "ニノミヤ"},
    {"岩尾", "イワオ"}, {"姫野", "ヒメノ"}, {"利光", "トシミツ"}, {"河村", "カワムラ"}, {"大塚", "オオツカ"},
    {"宇都宮", "ウツノミヤ"}, {"清原", "キヨハラ"}, {"工藤", "クドウ"}, {"菅", "スガ"}, {"久保", "クボ"},
    {"村上", "ムラカミ"}, {"三重野", "ミエノ"}, {"赤松", "アカマツ"}, {"永松", "ナガマツ"}, {"神田", "カンダ"},
    {"古庄", "フルショウ"}, {"秋吉", "アキヨシ"}, {"中野", "ナカノ"}, {"坂本", "サカモト"}, {"小川", "オガワ"},
    {"髙橋", "タカハシ"}, {"山﨑", "ヤマサキ"}, {"岩﨑", "イワサキ"}, {"髙木", "タカギ"},
};
#define SURNAME_RARE 4

/* Male names first (GIVEN_MALE of them), then female names. */
static const Name given_names[] = {
    {"太郎", "タロウ"}, {"一郎", "イチロウ"}, {"健太", "ケンタ"}, {"大輔", "ダイスケ"}, {"翔太", "ショウタ"},
    {"拓也", "タクヤ"}, {"直樹", "ナオキ"}, {"和也", "カズヤ"}, {"浩二", "コウジ"}, {"誠", "マコト"},
    {"剛", "ツヨシ"}, {"修", "オサム"}, {"隆", "タカシ"}, {"浩", "ヒロシ"}, {"学", "マナブ"},
    {"亮", "リョウ"}, {"達也", "タツヤ"}, {"雄一", "ユウイチ"}, {"慎一", "シンイチ"}, {"秀樹", "ヒデキ"},
    {"健一", "ケンイチ"}, {"裕介", "ユウスケ"}, {"俊介", "シュンスケ"}, {"和彦", "カズヒコ"}, {"哲也", "テツヤ"},
    {"聡", "サトシ"}, {"大樹", "ダイキ"}, {"悠斗", "ユウト"}, {"蓮", "レン"}, {"陸", "リク"},
    {"弘樹", "ヒロキ"}, {"康弘", "ヤスヒロ"}, {"光", "ヒカル"}, {"智之", "トモユキ"}, {"正人", "マサト"},
    {"花子", "ハナコ"}, {"陽子", "ヨウコ"}, {"恵子", "ケイコ"}, {"裕子", "ユウコ"}, {"由美", "ユミ"},
    {"真由美", "マユミ"}, {"美穂", "ミホ"}, {"愛", "アイ"}, {"彩", "アヤ"}, {"舞", "マイ"},
    {"美咲", "ミサキ"}, {"直美", "ナオミ"}, {"久美子", "クミコ"}, {"智子", "トモコ"}, {"明美", "アケミ"},
    {"千尋", "チヒロ"}, {"さくら", "サクラ"}, {"葵", "アオイ"}, {"結衣", "ユイ"}, {"沙織", "サオリ"},
    {"香織", "カオリ"}, {"麻衣", "マイ"}, {"美香", "ミカ"}, {"理恵", "リエ"}, {"奈々", "ナナ"},
    {"加奈子", "カナコ"}, {"幸子", "サチコ"}, {"純子", "ジュンコ"}, {"瞳", "ヒトミ"}, {"遥", "ハルカ"},
    {"彩花", "アヤカ"}, {"明日香", "アスカ"}, {"由佳", "ユカ"},
};
#define GIVEN_MALE 35

static const char *const lead_notes[] = {"", "", "新任", "ノーコードツール研修受講予定", "生成AI活用研修受講済み"};
static const char *const project_notes[] = {
    "電子申請の拡充", "書かない窓口の導入", "生成AI活用の検証", "RPAによる定型業務の自動化", "GISの更新",
    "ふるさと納税システムの更新", "校務DXの推進", "公共施設予約のオンライン化", "キャッシュレス決済の導入",
    "防災情報配信の高度化",
};

enum { D_INFO = 1, D_KEY = 2, D_LEAD = 4, D_PROJECT = 8 };

typedef struct DemoUnit {
    const OrgDef *def;
    const char *name; /* def->name, or with the district for a later copy's 執行機関 */
    int parent, ka;   /* indexes; ka: the 課 a 課 or 係 belongs to, else -1 */
    int kids[5];      /* children per level, for codes */
    bool has_kakari;
    bool skip[2];     /* left without a 総括リーダー in nendo-1 / nendo */
    int head;         /* person index of the 部長/課長/係長, -1 */
    int64_t id;
    const char *code; /* arena memory */
} DemoUnit;

typedef struct Person {
    int sur, given, no; /* no: 5 digits, or 6 for 会計年度任用職員 */
    const char *emp, *post, *job;
    int unit, prev, kenmu; /* unit indexes; prev/kenmu -1 when none */
    int from_y, prev_y;    /* primary assignment starts on from_y-04-01 */
    bool active, head;
    uint64_t rank, rank2; /* stable per-person draws for the selections */
    unsigned char des[2]; /* D_* bits for nendo-1 and nendo */
    int64_t id;
} Person;

typedef struct Ctx {
    Db *db;
    Arena a;
    uint64_t rng;
    int nendo;
    DemoUnit *u;
    int nu;
    Person *p;
    int np, cap;
    int n_assign, n_des[2];
    int k;                  /* copies of the organisation (1: the demo city) */
    int members_left;       /* --staff: members still to place (0: the demo's own counts) */
    int member_units_left;  /* units with members still to fill */
    unsigned char *no_used; /* staff numbers drawn so far, 0 .. 999999 */
    unsigned char *name_used;
} Ctx;

/* Copies of the organisation for a requested staff count: about 1,500 staff
 * per copy, so that a 係 keeps 10-15 people. 0 (the demo city) gives 1. */
static int scale_staff;

void demo_set_staff(int n) { scale_staff = n > 0 ? n : 0; }

int demo_scale(void) { return scale_staff > 0 ? (scale_staff + 1499) / 1500 : 1; }

static int rnd(Ctx *c, int n) { return demo_rnd(&c->rng, n); }

static bool needs_lead(const DemoUnit *u) { return u->def->level == 4 || (u->def->level == 3 && !u->has_kakari); }

static bool is_manager(const Person *p) { return !strcmp(p->post, "部長") || !strcmp(p->post, "課長"); }

static bool is_engineer(const char *job)
{
    return !strcmp(job, "土木") || !strcmp(job, "建築") || !strcmp(job, "技術");
}

static void build_units(Ctx *c)
{
    int n0 = (int)COUNTOF(org_defs), tops = 0;
    c->nu = n0 * c->k;
    c->u = arena_zalloc(&c->a, sizeof *c->u * (size_t)c->nu);
    for (int i = 0; i < c->nu; i++) {
        DemoUnit *u = &c->u[i];
        int first = i - i % n0; /* the copy's first row */
        u->def = &org_defs[i % n0];
        u->name = u->def->name;
        u->head = -1;
        u->parent = -1;
        for (int j = i - 1; j >= first && u->parent < 0; j--)
            if (c->u[j].def->level < u->def->level) u->parent = j;
        int lvl = u->def->level;
        if (u->parent < 0) {
            u->code = arena_printf(&c->a, "%d", ++tops);
            if (first > 0) u->name = arena_printf(&c->a, "%s（第%d地区）", u->def->name, first / n0 + 1);
            continue;
        }
        DemoUnit *pa = &c->u[u->parent];
        int n = ++pa->kids[lvl];
        if (lvl == 4) u->code = arena_printf(&c->a, "%s-%d", pa->code, n);
        else if (lvl == 3 && pa->def->level == 1) u->code = arena_printf(&c->a, "%s-00-%02d", pa->code, n);
        else u->code = arena_printf(&c->a, "%s-%02d", pa->code, n);
        if (lvl == 4) pa->has_kakari = true;
        u->ka = lvl == 3 ? i : lvl == 4 ? u->parent : -1;
    }
    for (int i = 0; i < c->nu; i++)
        if (c->u[i].def->level < 3) c->u[i].ka = -1;
}

static Person *add_person(Ctx *c, int unit, const char *emp, const char *post, const char *job)
{
    Person *p = &c->p[c->np];
    memset(p, 0, sizeof *p);
    bool female = !strcmp(job, "保健師") || !strcmp(job, "保育士") || !strcmp(job, "管理栄養士")
                      ? rnd(c, 10) < 9
                      : rnd(c, 10) < 4;
    int nsur = (int)COUNTOF(surnames), ngiven = (int)COUNTOF(given_names);
    for (bool dup = true; dup;) {
        p->sur = rnd(c, 100) < 4 ? nsur - SURNAME_RARE + rnd(c, SURNAME_RARE) : rnd(c, nsur - SURNAME_RARE);
        p->given = female ? GIVEN_MALE + rnd(c, ngiven - GIVEN_MALE) : rnd(c, GIVEN_MALE);
        /* Distinct names while they are plentiful; a large organisation has namesakes. */
        dup = c->np < nsur * ngiven / 4 && c->name_used[p->sur * ngiven + p->given];
    }
    c->name_used[p->sur * ngiven + p->given] = 1;
    bool fiscal = !strcmp(emp, "fiscal_year");
    for (bool dup = true; dup;) {
        p->no = fiscal ? 900000 + rnd(c, 100000) : 10000 + rnd(c, 90000);
        dup = c->no_used[p->no];
    }
    c->no_used[p->no] = 1;
    p->emp = emp;
    p->post = post;
    p->job = job;
    p->unit = unit;
    p->prev = p->kenmu = -1;
    p->active = true;
    int r = rnd(c, 100);
    bool may_be_new = !strcmp(post, "主事") || !strcmp(post, "技師") || fiscal;
    p->from_y = may_be_new && r < 8 ? c->nendo : r < 40 ? c->nendo - 1 : c->nendo - 2 - rnd(c, 3);
    p->rank = demo_next64(&c->rng);
    p->rank2 = demo_next64(&c->rng);
    c->np++;
    return p;
}

/* Staff below the head of a 係 or of a 課 without 係. */
static void add_members(Ctx *c, int unit, int n)
{
    const OrgDef *d = c->u[unit].def;
    for (int i = 0; i < n; i++) {
        int r = rnd(c, 100);
        const char *emp = "regular";
        if (i > 0 && !d->info) emp = r < 17 ? "fiscal_year" : r < 21 ? "reappointed" : r < 23 ? "fixed_term" : "regular";
        else if (i > 0 && r < 15) emp = "fixed_term";
        const char *job = d->job && rnd(c, 100) < 75 ? d->job : "一般行政";
        const char *post;
        if (!strcmp(emp, "fiscal_year")) {
            post = "会計年度任用職員";
            job = d->job && !strcmp(d->job, "保育士") ? "保育士" : "事務";
        } else if (!strcmp(emp, "reappointed")) {
            post = "主査";
        } else if (!strcmp(emp, "fixed_term")) {
            post = "主任";
            if (d->info) job = "技術";
        } else {
            int q = rnd(c, 100);
            post = q < 25 ? "主査" : q < 55 ? "主任" : is_engineer(job) ? "技師" : "主事";
        }
        add_person(c, unit, emp, post, job);
    }
}

/* Members of the next unit: the demo's own draw, or for --staff an even share
 * of what is left, give or take three, so that the total comes out exact. */
static int members(Ctx *c, int dflt)
{
    if (!c->members_left && !c->member_units_left) return dflt;
    int n = c->members_left;
    if (c->member_units_left > 1) {
        n = n / c->member_units_left + rnd(c, 7) - 3;
        if (n < 1) n = 1;
        if (n > c->members_left - (c->member_units_left - 1)) n = c->members_left - (c->member_units_left - 1);
    }
    c->members_left -= n;
    c->member_units_left--;
    return n;
}

static void build_staff(Ctx *c)
{
    int heads = 0, units = 0;
    for (int i = 0; i < c->nu; i++) {
        int lvl = c->u[i].def->level;
        heads += lvl > 1;
        units += lvl == 4 || (lvl == 3 && !c->u[i].has_kakari);
    }
    if (scale_staff > 0) {
        c->members_left = scale_staff > heads + units ? scale_staff - heads : units;
        c->member_units_left = units;
    }
    c->cap = c->nu * 10 + 16 + c->members_left + 16 * c->k;
    c->p = arena_zalloc(&c->a, sizeof *c->p * (size_t)c->cap);
    c->no_used = arena_zalloc(&c->a, 1000000);
    c->name_used = arena_zalloc(&c->a, COUNTOF(surnames) * COUNTOF(given_names));
    for (int i = 0; i < c->nu; i++) {
        DemoUnit *u = &c->u[i];
        int lvl = u->def->level;
        if (lvl == 1) continue;
        const char *post = lvl == 2 ? "部長" : lvl == 3 ? "課長" : "係長";
        /* The first 係 of a 課 with three or more is led by a 課長補佐 (兼係長). */
        if (lvl == 4 && c->u[u->parent].kids[4] >= 3 && i == u->parent + 1) post = "課長補佐";
        const char *job = lvl == 4 && u->def->job && rnd(c, 2) ? u->def->job : "一般行政";
        Person *h = add_person(c, i, "regular", post, job);
        h->head = true;
        u->head = c->np - 1;
        if (lvl == 4) add_members(c, i, members(c, u->def->info ? 3 + rnd(c, 3) : 2 + rnd(c, 4)));
        else if (lvl == 3 && !u->has_kakari) add_members(c, i, members(c, 2 + rnd(c, 4)));
    }
}

static int random_unit(Ctx *c, int not_ka, bool lead_units_only)
{
    for (;;) {
        int i = rnd(c, c->nu);
        const DemoUnit *u = &c->u[i];
        if (u->ka >= 0 && u->ka != not_ka && (!lead_units_only || needs_lead(u)) && !u->def->info) return i;
    }
}

/* April moves, 兼務 and people who left at the end of last year. */
static void build_history(Ctx *c, int *n_moved, int *n_kenmu, int *n_left)
{
    int n = c->np;
    int *order = arena_alloc(&c->a, sizeof(int) * (size_t)n);
    for (int i = 0; i < n; i++) order[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = rnd(c, i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    *n_moved = *n_kenmu = 0;
    for (int k = 0; k < n && *n_moved < 40 * c->k; k++) {
        Person *p = &c->p[order[k]];
        if (strcmp(p->emp, "regular") || is_manager(p) || p->from_y >= c->nendo || !needs_lead(&c->u[p->unit])) continue;
        p->prev = random_unit(c, c->u[p->unit].ka, true);
        p->prev_y = c->nendo - 2 - rnd(c, 4);
        p->from_y = c->nendo;
        (*n_moved)++;
    }
    for (int k = n - 1; k >= 0 && *n_kenmu < 10 * c->k; k--) {
        Person *p = &c->p[order[k]];
        if (strcmp(p->emp, "regular") || !strcmp(p->post, "部長") || p->kenmu >= 0) continue;
        p->kenmu = random_unit(c, c->u[p->unit].ka, false);
        (*n_kenmu)++;
    }
    for (*n_left = 0; *n_left < 5 * c->k; (*n_left)++) {
        Person *p = add_person(c, random_unit(c, -1, true), "regular", rnd(c, 2) ? "主査" : "主任", "一般行政");
        p->active = false;
        p->from_y = c->nendo - 3 - rnd(c, 3);
    }
}

/* The unit a person belonged to in fiscal year y (nendo-1 or nendo), or -1. */
static int unit_in(const Ctx *c, const Person *p, int y)
{
    if (!p->active) return y < c->nendo && p->from_y <= y ? p->unit : -1;
    if (p->from_y <= y) return p->unit;
    if (p->prev >= 0 && p->prev_y <= y) return p->prev;
    return -1;
}

static int insert_units(Ctx *c)
{
    char from[24];
    snprintf(from, sizeof from, "%d-04-01", c->nendo - 5); /* older than every assignment below */
    for (int i = 0; i < c->nu; i++) {
        DemoUnit *u = &c->u[i];
        int sort = 0;
        for (int j = 0; j < i; j++) sort += c->u[j].parent == u->parent;
        Stmt *st = db_query(c->db,
                            "INSERT INTO org_unit (code, name, level, parent_id, sort_order, valid_from, valid_to, is_info)"
                            " VALUES (?, ?, ?, ?, ?, ?, NULL, ?) RETURNING id",
                            u->code, u->name, u->def->level, DB_ID_OR_NULL(u->parent >= 0 ? c->u[u->parent].id : 0),
                            (sort + 1) * 10, from, u->def->info);
        u->id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
        db_done(st);
        if (!u->id) return -1;
    }
    return 0;
}

static int insert_assignment(Ctx *c, const Person *p, int unit, int primary, int from_y, const char *to)
{
    char from[24];
    snprintf(from, sizeof from, "%d-04-01", from_y);
    c->n_assign++;
    return db_exec(c->db, "INSERT INTO assignment (staff_id, unit_id, is_primary, from_date, to_date) VALUES (?, ?, ?, ?, ?)",
                   p->id, c->u[unit].id, primary, from, to) == 1
               ? 0
               : -1;
}

static int insert_staff(Ctx *c)
{
    char now[32], end[24];
    now_iso(now);
    snprintf(end, sizeof end, "%d-03-31", c->nendo);
    for (int i = 0; i < c->np; i++) {
        Person *p = &c->p[i];
        const Name *s = &surnames[p->sur], *g = &given_names[p->given];
        char no[16];
        snprintf(no, sizeof no, "K%d", p->no);
        const char *name = arena_printf(&c->a, "%s　%s", s->kanji, g->kanji);
        const char *kana = arena_printf(&c->a, "%s　%s", s->kana, g->kana);
        const char *key = staff_search_key(&c->a, no, name, kana);
        Stmt *st = db_query(c->db,
                            "INSERT INTO staff (staff_no, name, kana, search_key, emp_type, post, job_type,"
                            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            no, name, kana, key, p->emp, p->post, p->job, now, now);
        p->id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
        db_done(st);
        if (!p->id) return -1;
        if (p->prev >= 0 && insert_assignment(c, p, p->prev, 1, p->prev_y, end) != 0) return -1;
        if (insert_assignment(c, p, p->unit, 1, p->from_y, p->active ? NULL : end) != 0) return -1;
        if (p->kenmu >= 0 && insert_assignment(c, p, p->kenmu, 0, c->nendo, NULL) != 0) return -1;
    }
    return 0;
}

static int designate(Ctx *c, Person *p, int y, const char *subtype, int unit, const char *note)
{
    int k = y - (c->nendo - 1), tier = !strcmp(subtype, "info") || !strcmp(subtype, "key_system") ? 1 : 2;
    char on[24];
    snprintf(on, sizeof on, "%d-04-01", y);
    p->des[k] |= tier == 1 ? (subtype[0] == 'i' ? D_INFO : D_KEY) : (subtype[0] == 'l' ? D_LEAD : D_PROJECT);
    c->n_des[k]++;
    return db_exec(c->db,
                   "INSERT INTO tier_designation (staff_id, nendo, tier, subtype, unit_id, designated_by, designated_on, note)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   p->id, y, tier, subtype, c->u[unit].id, "政策企画課長", on, note) == 1
               ? 0
               : -1;
}

/* Lowest rank (or rank2) among people in fiscal year y whose unit passes
 * `want`; -1 if nobody. */
typedef bool (*Want)(const Ctx *c, const Person *p, int unit, int arg);

static int pick(const Ctx *c, int y, bool by_rank2, Want want, int arg)
{
    int best = -1;
    for (int i = 0; i < c->np; i++) {
        const Person *p = &c->p[i];
        int u = unit_in(c, p, y);
        if (u < 0 || !want(c, p, u, arg)) continue;
        uint64_t r = by_rank2 ? p->rank2 : p->rank;
        if (best < 0 || r < (by_rank2 ? c->p[best].rank2 : c->p[best].rank)) best = i;
    }
    return best;
}

static bool want_lead(const Ctx *c, const Person *p, int u, int unit)
{
    (void)c;
    return u == unit && strcmp(p->emp, "fiscal_year") && !is_manager(p);
}

/* arg is the year slot (0 or 1). */
static bool want_project(const Ctx *c, const Person *p, int u, int k)
{
    return c->u[u].ka >= 0 && !strcmp(p->emp, "regular") && !is_manager(p) && !p->des[k];
}

static int designate_year(Ctx *c, int y)
{
    int k = y - (c->nendo - 1);
    for (int i = 0; i < c->np; i++) {
        Person *p = &c->p[i];
        int u = unit_in(c, p, y);
        if (u >= 0 && c->u[u].def->info && strcmp(p->emp, "fiscal_year") && designate(c, p, y, "info", u, "") != 0)
            return -1;
    }
    for (int i = 0; i < c->nu; i++) {
        if (c->u[i].def->level != 3 || !c->u[i].def->sys) continue;
        int best = -1;
        for (int j = 0; j < c->np; j++) {
            const Person *p = &c->p[j];
            int u = unit_in(c, p, y);
            if (u < 0 || c->u[u].ka != i || strcmp(p->emp, "regular") || is_manager(p) || p->des[k]) continue;
            if (best < 0 || p->rank2 < c->p[best].rank2) best = j;
        }
        const char *note = arena_printf(&c->a, "%s担当", c->u[i].def->sys);
        if (best >= 0 && designate(c, &c->p[best], y, "key_system", unit_in(c, &c->p[best], y), note) != 0) return -1;
    }
    for (int i = 0; i < c->nu; i++) {
        if (!needs_lead(&c->u[i]) || c->u[i].skip[k]) continue;
        int best = pick(c, y, false, want_lead, i);
        if (best < 0) continue;
        Person *p = &c->p[best];
        const char *note = k == 1 && (p->des[0] & D_LEAD) && unit_in(c, p, y - 1) == i
                               ? "前年度から継続"
                               : lead_notes[rnd(c, (int)COUNTOF(lead_notes))];
        if (designate(c, p, y, "lead", i, note) != 0) return -1;
    }
    for (int n = 0; n < (k ? 10 : 8) * c->k; n++) {
        int best = pick(c, y, true, want_project, k);
        if (best < 0) break;
        const char *note = project_notes[(n + k * 3) % (int)COUNTOF(project_notes)];
        if (designate(c, &c->p[best], y, "project", unit_in(c, &c->p[best], y), note) != 0) return -1;
    }
    return 0;
}

/* Marks 8 units (3 last year) that get no 総括リーダー; never an 情報部門. */
static void choose_skips(Ctx *c)
{
    for (int k = 0; k < 2; k++) {
        for (int n = 0; n < (k ? 8 : 3) * c->k;) {
            int i = rnd(c, c->nu);
            if (!needs_lead(&c->u[i]) || c->u[i].def->info || c->u[i].skip[k]) continue;
            c->u[i].skip[k] = true;
            n++;
        }
    }
}

static int find_unit(const Ctx *c, const char *ka, const char *kakari)
{
    for (int i = 0; i < c->nu; i++) {
        const DemoUnit *u = &c->u[i];
        if (u->ka < 0 || strcmp(c->u[u->ka].def->name, ka)) continue;
        if (kakari ? u->def->level == 4 && !strcmp(u->def->name, kakari) : u->def->level == 3) return i;
    }
    return -1;
}

static int create_accounts(Ctx *c, const char *pw)
{
    static const struct {
        const char *login, *ka, *kakari;
        unsigned roles;
    } acc[] = {
        {"admin", "総務課", "総務係", ROLE_ADMIN | ROLE_STAFF}, {"jinji", "総務課", "人事係", ROLE_HR | ROLE_STAFF},
        {"dx", "政策企画課", "広報・DX推進係", ROLE_DX | ROLE_STAFF}, {"kacho", "福祉課", NULL, ROLE_MANAGER | ROLE_STAFF},
        {"shokuin", "福祉課", "", ROLE_STAFF},
    };
    int fukushi = find_unit(c, "福祉課", NULL);
    for (size_t i = 0; i < COUNTOF(acc); i++) {
        int who = -1;
        if (acc[i].kakari && !acc[i].kakari[0]) {
            /* An ordinary member of one of the kacho's 係, holding no designation. */
            for (int j = 0; j < c->np && who < 0; j++) {
                const Person *p = &c->p[j];
                if (p->active && !p->head && !p->des[1] && !strcmp(p->emp, "regular") && c->u[p->unit].def->level == 4 &&
                    c->u[p->unit].ka == fukushi && p->kenmu < 0)
                    who = j;
            }
        } else {
            int u = find_unit(c, acc[i].ka, acc[i].kakari);
            who = u >= 0 ? c->u[u].head : -1;
        }
        if (who < 0) {
            fprintf(stderr, "demo: no staff member for account %s\n", acc[i].login);
            return -1;
        }
        char no[16];
        snprintf(no, sizeof no, "K%d", c->p[who].no);
        Errors e = {0};
        if (account_create(c->db, &ACTOR_CLI, acc[i].login, no, acc[i].roles, pw, &e) != 0) {
            fprintf(stderr, "demo: cannot create account %s:", acc[i].login);
            for (int j = 0; j < e.n; j++) fprintf(stderr, " %s", e.items[j].msg);
            fprintf(stderr, "\n");
            return -1;
        }
    }
    return 0;
}

static int load(Ctx *c, int moved, int kenmu, int left)
{
    char nendo[24];
    snprintf(nendo, sizeof nendo, "%d", c->nendo);
    if (db_exec(c->db,
                "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                "current_nendo", nendo) != 1 ||
        db_exec(c->db,
                "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                "city_name", "国東市") != 1)
        return -1;
    if (insert_units(c) != 0 || insert_staff(c) != 0) return -1;
    if (designate_year(c, c->nendo - 1) != 0 || designate_year(c, c->nendo) != 0) return -1;
    int lv[5] = {0};
    for (int i = 0; i < c->nu; i++) lv[c->u[i].def->level]++;
    const char *summary = arena_printf(&c->a,
                                       "デモデータ: 組織%d（執行機関%d・部%d・課%d・係%d）、職員%d（退職%d・異動%d・兼務%d）、"
                                       "配属%d、指名 %d年度%d件・%d年度%d件",
                                       c->nu, lv[1], lv[2], lv[3], lv[4], c->np, left, moved, kenmu, c->n_assign,
                                       c->nendo - 1, c->n_des[0], c->nendo, c->n_des[1]);
    return audit_write(c->db, &ACTOR_CLI, "demo.load", "database", 0, 0, summary);
}

int demo_load(Db *db, const char *demo_password, int nendo, unsigned seed)
{
    if (nendo < 2001 || nendo > 2099 || !demo_password) {
        fprintf(stderr, "demo: bad arguments (nendo %d)\n", nendo);
        return -1;
    }
    if (db_exists(db, "SELECT 1 FROM org_unit") || db_exists(db, "SELECT 1 FROM staff")) {
        fprintf(stderr, "demo: the database already holds an organisation or staff\n");
        return -1;
    }
    Ctx c = {.db = db, .a = ARENA_INIT, .rng = 0x6B756E6973616B69u ^ seed, .nendo = nendo, .k = demo_scale()};
    int moved, kenmu, left;
    build_units(&c);
    build_staff(&c);
    build_history(&c, &moved, &kenmu, &left);
    choose_skips(&c);
    int rc = -1;
    if (db_begin(db) != 0) {
        fprintf(stderr, "demo: cannot begin a transaction: %s\n", db_errmsg(db));
    } else if (load(&c, moved, kenmu, left) != 0) {
        fprintf(stderr, "demo: cannot load demo data: %s\n", db_errmsg(db));
        db_rollback(db);
    } else if (db_commit(db) != 0) {
        fprintf(stderr, "demo: cannot commit demo data: %s\n", db_errmsg(db));
        db_rollback(db);
    } else {
        rc = create_accounts(&c, demo_password);
    }
    arena_free(&c.a);
    return rc;
}
