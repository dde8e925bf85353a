/* routes.c - the map of the site. Each route names who may use it; the
 * dispatcher enforces that, plus the session and CSRF, before the handler. */
#include "../pages/pages.h"
#include "router.h"

#define ANY ROLE_ALL
#define VIEWERS (ROLE_MANAGER | ROLE_HR | ROLE_DX | ROLE_ADMIN)
#define HR (ROLE_HR | ROLE_ADMIN)
#define TIERS (ROLE_HR | ROLE_DX | ROLE_ADMIN)
#define ADMIN ROLE_ADMIN
#define DX (ROLE_DX | ROLE_ADMIN)
#define OFFICE (ROLE_HR | ROLE_DX | ROLE_ADMIN)
#define TARGETS (ROLE_HR | ROLE_DX | ROLE_ADMIN) /* targets are set by DX推進 and 人事 */ /* 研修の事務局: 総務課 and 政策企画課 */
#define REVIEWERS (ROLE_MANAGER | ROLE_DX | ROLE_HR | ROLE_ADMIN)

const Route routes[] = {
    {"GET", "/healthz", page_healthz, 0, RF_PUBLIC | RF_STATIC, "稼働確認"},
    {"GET", "/assets/{}", page_asset, 0, RF_PUBLIC | RF_STATIC, "静的ファイル"},
    {"GET", "/login", page_login, 0, RF_PUBLIC, "ログイン"},
    {"POST", "/login", page_login_post, 0, RF_PUBLIC, "ログイン"},
    {"POST", "/logout", page_logout, ANY, 0, "ログアウト"},
    {"GET", "/account/password", page_password, ANY, 0, "パスワード変更"},
    {"POST", "/account/password", page_password_post, ANY, 0, "パスワード変更"},

    {"GET", "/", page_home, ANY, 0, "ホーム"},
    {"GET", "/me", page_me, ANY, 0, "わたしの情報"},
    {"GET", "/notices", page_notices, ANY, 0, "お知らせ"},
    {"POST", "/notices/read", page_notices_read, ANY, 0, "お知らせの既読"},
    {"POST", "/account/mail", page_account_mail_post, ANY, 0, "お知らせのメール"},

    {"GET", "/org", page_org_tree, VIEWERS, 0, "組織図"},
    {"GET", "/org/new", page_org_new, HR, 0, "組織の追加"},
    {"POST", "/org/new", page_org_save, HR, 0, "組織の追加"},
    {"GET", "/org/{}", page_org_unit, VIEWERS, 0, "組織の詳細"},
    {"GET", "/org/{}/edit", page_org_edit, HR, 0, "組織の編集"},
    {"POST", "/org/{}/edit", page_org_save, HR, 0, "組織の編集"},
    {"POST", "/org/{}/close", page_org_close, HR, 0, "組織の廃止"},

    {"GET", "/staff", page_staff_list, VIEWERS, 0, "職員一覧"},
    {"GET", "/staff/new", page_staff_new, HR, 0, "職員の追加"},
    {"POST", "/staff/new", page_staff_save, HR, 0, "職員の追加"},
    {"GET", "/staff/{}", page_staff_show, ANY, 0, "職員の詳細"},
    {"GET", "/staff/{}/edit", page_staff_edit, HR, 0, "職員の編集"},
    {"POST", "/staff/{}/edit", page_staff_save, HR, 0, "職員の編集"},
    {"POST", "/staff/{}/deactivate", page_staff_deactivate, HR, 0, "職員の無効化"},
    {"POST", "/staff/{}/reactivate", page_staff_reactivate, HR, 0, "職員の再有効化"},
    {"POST", "/staff/{}/assign", page_staff_assign, HR, 0, "異動・兼務の登録"},
    {"POST", "/staff/{}/assignments/{}/end", page_staff_assignment_end, HR, 0, "配属の終了"},

    {"GET", "/tiers", page_tier_list, VIEWERS, 0, "人材区分の指名一覧"},
    {"GET", "/tiers/new", page_tier_new, TIERS, 0, "人材区分の指名"},
    {"POST", "/tiers/new", page_tier_save, TIERS, 0, "人材区分の指名"},
    {"POST", "/tiers/{}/end", page_tier_end, TIERS, 0, "指名の解除"},
    {"POST", "/tiers/bulk", page_tier_bulk, TIERS, 0, "人材区分の一括指名"},
    {"GET", "/tiers/import", page_tier_import, TIERS, 0, "人材区分のCSV一括指名"},
    {"POST", "/tiers/import", page_tier_import_post, TIERS, 0, "人材区分のCSV一括指名"},
    {"GET", "/nendo/rollover", page_nendo_rollover, TIERS, 0, "年度更新"},
    {"POST", "/nendo/rollover", page_nendo_rollover_post, TIERS, 0, "年度更新"},

    {"GET", "/skills", page_skill_map, ANY, 0, "スキルマップ"},
    {"GET", "/skills/items/new", page_skill_item_new, DX, 0, "スキル項目の追加"},
    {"POST", "/skills/items/new", page_skill_item_save, DX, 0, "スキル項目の追加"},
    {"GET", "/skills/items/{}", page_skill_item_edit, DX, 0, "スキル項目の編集"},
    {"POST", "/skills/items/{}", page_skill_item_save, DX, 0, "スキル項目の編集"},
    {"POST", "/skills/items/{}/retire", page_skill_item_retire, DX, 0, "スキル項目の廃止・復活"},
    {"POST", "/skills/items/{}/move", page_skill_item_move, DX, 0, "スキル項目の並べ替え"},
    {"POST", "/skills/items/{}/unit-targets", page_skill_unit_target, DX, 0, "組織ごとの追加目標"},
    {"GET", "/skills/categories/new", page_skill_category_new, DX, 0, "スキル区分の追加"},
    {"POST", "/skills/categories/new", page_skill_category_save, DX, 0, "スキル区分の追加"},
    {"GET", "/skills/import", page_skill_import, DX, 0, "スキルマップの取込"},
    {"POST", "/skills/import", page_skill_import_post, DX, 0, "スキルマップの取込"},
    {"POST", "/skills/library", page_skill_library, DX, 0, "ライブラリの有効化"},

    {"GET", "/assess", page_assess_mine, ANY, 0, "自己評価"},
    {"POST", "/assess", page_assess_mine_post, ANY, 0, "自己評価の保存・提出"},
    {"GET", "/assess/review", page_assess_review_list, REVIEWERS, 0, "上司確認の一覧"},
    {"POST", "/assess/review", page_assess_review_bulk, REVIEWERS, 0, "上司確認（一括）"},
    {"GET", "/assess/progress", page_assess_progress, VIEWERS, 0, "評価の進捗"},
    {"POST", "/remind/preview", page_remind_preview, REVIEWERS, 0, "督促の確認"},
    {"POST", "/remind/send", page_remind_send, REVIEWERS, 0, "督促の送信"},
    {"GET", "/assess/period", page_assess_period, DX, 0, "評価期間"},
    {"POST", "/assess/period", page_assess_period_post, DX, 0, "評価期間"},
    {"GET", "/assess/{}", page_assess_review, REVIEWERS, 0, "上司確認"},
    {"POST", "/assess/{}/confirm", page_assess_confirm, REVIEWERS, 0, "上司確認"},
    {"POST", "/assess/{}/return", page_assess_return, REVIEWERS, 0, "差戻し"},

    {"GET", "/staff/{}/quals", page_qual_list, ANY, 0, "資格"},
    {"POST", "/staff/{}/quals", page_qual_add, ANY, 0, "資格の登録"},
    {"POST", "/staff/{}/quals/{}/delete", page_qual_delete, ANY, 0, "資格の削除"},
    {"GET", "/quals/expiring", page_qual_expiring, VIEWERS, 0, "期限が近い資格"},

    {"GET", "/gaps", page_gap_org, VIEWERS, 0, "ギャップ分析（全庁）"},
    {"GET", "/gaps/unit/{}", page_gap_unit, VIEWERS, 0, "ギャップ分析（組織）"},
    {"GET", "/gaps/person/{}", page_gap_person, ANY, 0, "ギャップ分析（個人）"},

    {"GET", "/courses", page_course_list, ANY, 0, "研修カタログ"},
    {"GET", "/courses/new", page_course_new, OFFICE, 0, "研修の追加"},
    {"POST", "/courses/new", page_course_save, OFFICE, 0, "研修の追加"},
    {"GET", "/courses/{}", page_course_show, ANY, 0, "研修の詳細"},
    {"POST", "/courses/{}", page_course_save, OFFICE, 0, "研修の編集"},
    {"GET", "/plans", page_plan, VIEWERS, 0, "年間研修計画と実績"},
    {"POST", "/plans", page_plan_save, OFFICE, 0, "年間研修計画の登録"},
    {"POST", "/plans/{}/delete", page_plan_delete, OFFICE, 0, "年間研修計画の削除"},
    {"GET", "/plans/demand", page_plan_demand, VIEWERS, 0, "来年度の研修需要"},
    {"POST", "/plans/demand", page_plan_from_demand, OFFICE, 0, "需要から計画を作成"},

    {"GET", "/sessions", page_session_calendar, ANY, 0, "研修日程（カレンダー）"},
    {"GET", "/sessions/new", page_session_new, OFFICE, 0, "研修日程の追加"},
    {"POST", "/sessions/new", page_session_save, OFFICE, 0, "研修日程の追加"},
    {"GET", "/sessions/{}", page_session_show, ANY, 0, "研修日程の詳細"},
    {"POST", "/sessions/{}/edit", page_session_save, OFFICE, 0, "研修日程の編集"},
    {"POST", "/sessions/{}/cancel", page_session_cancel, OFFICE, 0, "研修日程の中止"},
    {"POST", "/sessions/{}/apply", page_session_apply, ANY, 0, "受講申込"},
    {"POST", "/sessions/{}/enrol", page_session_enrol, OFFICE, 0, "一括登録"},
    {"POST", "/sessions/{}/roster", page_session_roster, OFFICE, 0, "出欠の登録"},
    {"POST", "/sessions/{}/roster-csv", page_session_roster_csv, OFFICE, 0, "出欠のCSV取込"},

    {"GET", "/training", page_training_me, ANY, 0, "わたしの研修"},
    {"GET", "/training/approvals", page_training_approvals, REVIEWERS, 0, "研修申込の承認・決定"},
    {"POST", "/training/approvals/decide", page_app_decide_bulk, OFFICE, 0, "研修申込の一括決定"},
    {"GET", "/training/transcript", page_training_transcript, VIEWERS, 0, "受講履歴（組織）"},
    {"GET", "/staff/{}/training", page_training_staff, ANY, 0, "受講履歴（個人）"},
    {"POST", "/applications/{}/approve", page_app_approve, REVIEWERS, 0, "所属長承認"},
    {"POST", "/applications/{}/decide", page_app_decide, OFFICE, 0, "事務局決定"},
    {"POST", "/applications/{}/cancel", page_app_cancel, ANY, 0, "申込の取消"},
    {"POST", "/completions/{}/report", page_completion_report, ANY, 0, "復命書の登録"},
    {"POST", "/training/shareback", page_shareback_add, ANY, 0, "職場還元の登録"},

    {"GET", "/kpi", page_kpi_dashboard, VIEWERS, 0, "推進状況（KPI）"},
    {"GET", "/kpi/coverage", page_kpi_coverage, VIEWERS, 0, "配置の充足状況"},
    {"GET", "/kpi/targets", page_kpi_targets, TARGETS, 0, "目標値の設定"},
    {"POST", "/kpi/targets", page_kpi_targets_post, TARGETS, 0, "目標値の設定"},
    {"GET", "/kpi/report", page_kpi_report, VIEWERS, 0, "年度末の推進状況報告"},
    {"GET", "/kpi/{}", page_kpi_people, VIEWERS, 0, "KPIの内訳（職員）"},

    {"GET", "/transfers", page_transfer, HR, 0, "人事異動シミュレーション"},
    {"POST", "/transfers/preview", page_transfer_preview, HR, 0, "異動案の影響確認"},
    {"POST", "/transfers/apply", page_transfer_apply, HR, 0, "異動案の反映"},
    {"GET", "/systems", page_keysys_list, VIEWERS, 0, "重要システム台帳"},
    {"GET", "/systems/new", page_keysys_new, TARGETS, 0, "重要システムの追加"},
    {"POST", "/systems/new", page_keysys_save, TARGETS, 0, "重要システムの追加"},
    {"GET", "/systems/{}", page_keysys_show, VIEWERS, 0, "重要システム"},
    {"POST", "/systems/{}", page_keysys_save, TARGETS, 0, "重要システムの編集"},
    {"POST", "/systems/{}/staff", page_keysys_staff, TARGETS, 0, "重要システムの担当者"},

    {"GET", "/import", page_import, OFFICE, 0, "名簿・記録の取込"},
    {"POST", "/import/preview", page_import_preview, HR, 0, "名簿の取込（確認）"},
    {"POST", "/import/apply", page_import_apply, HR, 0, "名簿の取込（反映）"},
    {"POST", "/import/profile", page_import_profile, HR, 0, "取込設定の保存"},
    {"POST", "/import/records/preview", page_import_records_preview, OFFICE, 0, "資格・自己評価・研修受講の取込（確認）"},
    {"POST", "/import/records/apply", page_import_records_apply, OFFICE, 0, "資格・自己評価・研修受講の取込（反映）"},
    {"GET", "/export", page_export, VIEWERS, 0, "データの出力"},
    {"GET", "/export/{}", page_export_download, VIEWERS, 0, "データの出力（ファイル）"},
    {"GET", "/staff/{}/disclosure", page_disclosure, HR, 0, "開示請求の出力"},

    {"GET", "/admin", page_admin, ADMIN, 0, "管理"},
    {"GET", "/admin/users", page_admin_users, ADMIN, 0, "アカウント"},
    {"POST", "/admin/users", page_admin_user_create, ADMIN, 0, "アカウントの作成"},
    {"POST", "/admin/users/bulk", page_admin_users_bulk, ADMIN, 0, "アカウントの一括作成"},
    {"POST", "/admin/users/{}", page_admin_user_update, ADMIN, 0, "アカウントの変更"},
    {"GET", "/admin/ldap", page_admin_ldap, ADMIN, 0, "LDAP認証の設定"},
    {"POST", "/admin/ldap", page_admin_ldap_post, ADMIN, 0, "LDAP認証の設定"},
    {"GET", "/admin/sessions", page_admin_sessions, ADMIN, 0, "ログイン中のセッション"},
    {"POST", "/admin/sessions/{}/revoke", page_admin_session_revoke, ADMIN, 0, "セッションの失効"},
    {"GET", "/admin/audit", page_admin_audit, ADMIN, 0, "監査ログ"},
    {"GET", "/admin/settings", page_admin_settings, ADMIN, 0, "設定"},
    {"POST", "/admin/settings", page_admin_settings_post, ADMIN, 0, "設定"},
    {"POST", "/admin/settings/mail", page_admin_mail_post, ADMIN, 0, "メール送信の設定"},
    {"POST", "/admin/settings/mail-test", page_admin_mail_test, ADMIN, 0, "テストメールの送信"},
};

const size_t routes_count = sizeof routes / sizeof routes[0];
