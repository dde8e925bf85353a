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

/* The scope rules that ANY routes naming someone's record leave to their
 * handler (RF_SCOPE; tests/unit/test_route_map.c keeps the list complete):
 *   SUBTREE: scope_staff - the person themself, a 所属長 for people assigned
 *            today inside their subtree, 人事/DX推進/管理者 everyone;
 *   SUBTREE_WRITE: scope_staff to see, and to change only the person
 *            themself or 人事/DX推進/管理者;
 *   SELF_OR_OFFICE: the record's own person, or the 研修事務局 (人事/DX推進/管理者);
 *   SELF: the record's own person only. */
#define SUBTREE "subtree: scope_staff"
#define SUBTREE_WRITE "subtree to see, self or organisation-wide roles to change"
#define SELF_OR_OFFICE "self or the training office"
#define SELF "self: the record's own person"

/* A route without a scope rule leaves .scope out (NULL). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

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
    {"GET", "/staff/{}", page_staff_show, ANY, RF_SCOPE, "職員の詳細", SUBTREE},
    {"GET", "/staff/{}/edit", page_staff_edit, HR, 0, "職員の編集"},
    {"POST", "/staff/{}/edit", page_staff_save, HR, 0, "職員の編集"},
    {"POST", "/staff/{}/deactivate", page_staff_deactivate, HR, 0, "職員の無効化"},
    {"POST", "/staff/{}/reactivate", page_staff_reactivate, HR, 0, "職員の再有効化"},
    {"GET", "/staff/{}/assign", page_staff_assign_form, HR, 0, "異動・兼務の登録"},
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

    {"GET", "/staff/{}/quals", page_qual_list, ANY, RF_SCOPE, "資格", SUBTREE},
    {"POST", "/staff/{}/quals", page_qual_add, ANY, RF_SCOPE, "資格の登録", SUBTREE_WRITE},
    {"POST", "/staff/{}/quals/{}/delete", page_qual_delete, ANY, RF_SCOPE, "資格の削除", SUBTREE_WRITE},
    {"GET", "/quals/expiring", page_qual_expiring, VIEWERS, 0, "期限が近い資格"},

    {"GET", "/gaps", page_gap_org, VIEWERS, 0, "ギャップ分析（全庁）"},
    {"GET", "/gaps/unit/{}", page_gap_unit, VIEWERS, 0, "ギャップ分析（組織）"},
    {"GET", "/gaps/person/{}", page_gap_person, ANY, RF_SCOPE, "ギャップ分析（個人）", SUBTREE},

    {"GET", "/talent", page_talent, VIEWERS, 0, "人材検索"},
    {"GET", "/talent.csv", page_talent_csv, VIEWERS, 0, "人材検索（CSV）"},
    {"GET", "/talent.xlsx", page_talent_xlsx, VIEWERS, 0, "人材検索（Excel）"},

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
    {"GET", "/staff/{}/training", page_training_staff, ANY, RF_SCOPE, "受講履歴（個人）", SUBTREE},
    {"POST", "/applications/{}/approve", page_app_approve, REVIEWERS, 0, "所属長承認"},
    {"POST", "/applications/{}/decide", page_app_decide, OFFICE, 0, "事務局決定"},
    {"POST", "/applications/{}/cancel", page_app_cancel, ANY, RF_SCOPE, "申込の取消", SELF_OR_OFFICE},
    {"POST", "/completions/{}/report", page_completion_report, ANY, RF_SCOPE, "復命書の登録", SELF_OR_OFFICE},
    {"POST", "/training/shareback", page_shareback_add, ANY, 0, "職場還元の登録"},
    {"GET", "/projects", page_project_list, ANY, 0, "DXプロジェクト"},
    {"GET", "/projects/new", page_project_new, OFFICE, 0, "DXプロジェクトの追加"},
    {"POST", "/projects/new", page_project_save, OFFICE, 0, "DXプロジェクトの追加"},
    {"GET", "/projects/{}", page_project_show, VIEWERS, 0, "DXプロジェクト"},
    {"GET", "/projects/{}/edit", page_project_edit, OFFICE, 0, "DXプロジェクトの編集"},
    {"POST", "/projects/{}/edit", page_project_save, OFFICE, 0, "DXプロジェクトの編集"},
    {"POST", "/projects/{}/delete", page_project_delete, OFFICE, 0, "DXプロジェクトの削除"},
    {"GET", "/extern", page_extern_list, VIEWERS, 0, "外部人材"},
    {"GET", "/extern/new", page_extern_new, OFFICE, 0, "外部人材の登録"},
    {"POST", "/extern/new", page_extern_save, OFFICE, 0, "外部人材の登録"},
    {"GET", "/extern/{}", page_extern_show, VIEWERS, 0, "外部人材"},
    {"POST", "/extern/{}/edit", page_extern_save, OFFICE, 0, "外部人材の編集"},
    {"POST", "/extern/{}/end", page_extern_end, OFFICE, 0, "外部人材の登録終了"},
    {"POST", "/extern/{}/engagements", page_extern_engagement_add, OFFICE, 0, "外部人材の契約の追加"},
    {"POST", "/extern/{}/engagements/{}/delete", page_extern_engagement_delete, OFFICE, 0, "外部人材の契約の削除"},
    {"POST", "/extern/{}/sessions", page_extern_session_add, OFFICE, 0, "知識移転の記録"},
    {"POST", "/extern/{}/sessions/{}/delete", page_extern_session_delete, OFFICE, 0, "知識移転の記録の削除"},
    {"POST", "/extern/{}/pairings", page_extern_pairing_add, OFFICE, 0, "外部人材と組む職員"},
    {"POST", "/extern/{}/pairings/{}/end", page_extern_pairing_end, OFFICE, 0, "外部人材と組む職員の終了"},

    {"GET", "/training/xapi", page_xapi_admin, OFFICE, 0, "xAPIの受講記録"},
    {"POST", "/training/xapi/actor", page_xapi_map_actor, OFFICE, 0, "xAPIの受講者の対応づけ"},
    {"POST", "/training/xapi/activity", page_xapi_map_activity, OFFICE, 0, "xAPIのアクティビティの対応づけ"},
    {"POST", "/training/xapi/revoke", page_xapi_revoke, ADMIN, 0, "xAPIクライアントの失効"},
    /* The xAPI receiver: HTTP Basic per client, no session, no CSRF token. */
    {"GET", "/xapi/about", page_xapi_about, 0, RF_OWN_AUTH, "xAPIの情報"},
    {"POST", "/xapi/statements", page_xapi_post, 0, RF_OWN_AUTH, "xAPIステートメントの受信"},
    {"PUT", "/xapi/statements", page_xapi_put, 0, RF_OWN_AUTH, "xAPIステートメントの受信（ID指定）"},

    {"GET", "/modules/{}", page_module_show, ANY, 0, "eラーニング"},
    {"GET", "/modules/{}/pages/{}", page_module_page, ANY, 0, "eラーニングのページ"},
    {"GET", "/modules/{}/edit", page_module_edit, OFFICE, 0, "eラーニングの編集"},
    {"POST", "/modules/{}/pages", page_module_page_save, OFFICE, 0, "eラーニングのページの保存"},
    {"POST", "/modules/{}/quiz", page_quiz_start, ANY, 0, "確認テストの開始"},
    {"GET", "/modules/{}/quiz/stats", page_quiz_stats, OFFICE, 0, "確認テストの設定と正答率"},
    {"POST", "/modules/{}/quiz/settings", page_quiz_settings, OFFICE, 0, "確認テストの設定"},
    {"POST", "/modules/{}/questions", page_quiz_question_add, OFFICE, 0, "確認テストの問題の追加"},
    {"GET", "/quiz/attempts/{}", page_quiz_attempt, ANY, RF_SCOPE, "確認テスト", SELF},
    {"POST", "/quiz/attempts/{}", page_quiz_submit, ANY, RF_SCOPE, "確認テストの提出", SELF},
    {"POST", "/media", page_media_upload, OFFICE, 0, "画像・PDF・動画のアップロード"},
    {"GET", "/media/{}", page_media, ANY, 0, "画像・PDF・動画"},
    {"GET", "/mandatory", page_mandatory_list, VIEWERS, 0, "必修研修"},
    {"POST", "/mandatory", page_mandatory_set, OFFICE, 0, "必修研修の設定"},
    {"POST", "/mandatory/{}/delete", page_mandatory_delete, OFFICE, 0, "必修研修の設定の解除"},
    {"GET", "/mandatory/{}", page_mandatory_progress, VIEWERS, 0, "必修研修の修了状況"},
    {"GET", "/certificates", page_cert_mine, ANY, 0, "修了証"},
    {"GET", "/certificates/verify", page_cert_verify, ANY, 0, "修了証の確認"},
    {"GET", "/certificates/{}", page_cert_show, ANY, RF_SCOPE, "修了証（印刷）", SUBTREE},
    {"POST", "/completions/{}/certificate", page_cert_issue, ANY, RF_SCOPE, "修了証の発行", SELF_OR_OFFICE},

    {"GET", "/kpi", page_kpi_dashboard, VIEWERS, 0, "推進状況（KPI）"},
    {"GET", "/kpi/coverage", page_kpi_coverage, VIEWERS, 0, "配置の充足状況"},
    {"GET", "/kpi/targets", page_kpi_targets, TARGETS, 0, "目標値の設定"},
    {"POST", "/kpi/targets", page_kpi_targets_post, TARGETS, 0, "目標値の設定"},
    {"GET", "/kpi/report", page_kpi_report, VIEWERS, 0, "年度末の推進状況報告"},
    {"GET", "/kpi/{}", page_kpi_people, VIEWERS, 0, "KPIの内訳（職員）"},

    {"GET", "/governance", page_governance, ANY, 0, "推進体制"},
    {"GET", "/governance/new", page_governance_new, OFFICE, 0, "会議体・役職の追加"},
    {"POST", "/governance/new", page_governance_create, OFFICE, 0, "会議体・役職の追加"},
    {"GET", "/governance/meetings/{}", page_governance_meeting, ANY, 0, "会議の記録"},
    {"POST", "/governance/meetings/{}/edit", page_governance_meeting_save, OFFICE, 0, "会議の記録の編集"},
    {"POST", "/governance/meetings/{}/delete", page_governance_meeting_delete, OFFICE, 0, "会議の記録の削除"},
    {"POST", "/governance/meetings/{}/files", page_governance_meeting_file, OFFICE, 0, "会議資料の添付"},
    {"GET", "/governance/members/{}/edit", page_governance_member_edit, OFFICE, 0, "構成員の編集"},
    {"POST", "/governance/members/{}/edit", page_governance_member_save, OFFICE, 0, "構成員の編集"},
    {"POST", "/governance/members/{}/delete", page_governance_member_delete, OFFICE, 0, "構成員の削除"},
    {"GET", "/governance/{}/edit", page_governance_edit, OFFICE, 0, "会議体・役職の編集"},
    {"POST", "/governance/{}/edit", page_governance_save, OFFICE, 0, "会議体・役職の編集"},
    {"POST", "/governance/{}/delete", page_governance_delete, OFFICE, 0, "会議体・役職の削除"},
    {"POST", "/governance/{}/members", page_governance_member_add, OFFICE, 0, "構成員の追加"},
    {"POST", "/governance/{}/meetings", page_governance_meeting_add, OFFICE, 0, "会議の追加"},

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
    {"GET", "/admin/audit/archive", page_admin_audit_archive, ADMIN, 0, "監査ログの年度ごとの保存"},
    {"POST", "/admin/audit/archive", page_admin_audit_archive_post, ADMIN, 0, "監査ログの年度ごとの保存"},
    {"GET", "/admin/settings", page_admin_settings, ADMIN, 0, "設定"},
    {"POST", "/admin/settings", page_admin_settings_post, ADMIN, 0, "設定"},
    {"POST", "/admin/settings/mail", page_admin_mail_post, ADMIN, 0, "メール送信の設定"},
    {"POST", "/admin/settings/mail-test", page_admin_mail_test, ADMIN, 0, "テストメールの送信"},

    {"GET", "/cases", page_cases, ANY, 0, "事例集"},
    {"GET", "/cases/new", page_case_new, OFFICE, 0, "事例の登録"},
    {"POST", "/cases/new", page_case_save, OFFICE, 0, "事例の登録"},
    {"GET", "/cases/{}", page_case_show, ANY, 0, "事例"},
    {"GET", "/cases/{}/edit", page_case_edit, OFFICE, 0, "事例の編集"},
    {"POST", "/cases/{}/edit", page_case_save, OFFICE, 0, "事例の編集"},
    {"POST", "/cases/{}/publish", page_case_publish, OFFICE, 0, "事例の公開"},
    {"POST", "/cases/{}/unpublish", page_case_unpublish, OFFICE, 0, "事例の公開の取り下げ"},
    {"POST", "/cases/{}/delete", page_case_delete, OFFICE, 0, "事例の削除"},
    {"POST", "/cases/{}/attachments", page_case_attach, OFFICE, 0, "事例の添付ファイル"},

    {"GET", "/scorm", page_scorm_admin, OFFICE, 0, "SCORM教材の管理"},
    {"POST", "/scorm", page_scorm_upload, OFFICE, 0, "SCORMパッケージの取込"},
    {"GET", "/scorm/learn", page_scorm_learn, ANY, 0, "SCORM教材"},
    {"GET", "/scorm/sco/{}", page_scorm_launch, ANY, 0, "SCORM教材の学習"},
    {"GET", "/scorm/attempt/{}/state", page_scorm_state, ANY, RF_SCOPE, "SCORM学習状況", SELF},
    {"POST", "/scorm/attempt/{}/commit", page_scorm_commit, ANY, RF_SCOPE, "SCORM学習状況の保存", SELF},
    {"GET", "/scorm/pkg/{}/{*}", page_scorm_file, ANY, 0, "SCORM教材のファイル"},
};

const size_t routes_count = sizeof routes / sizeof routes[0];
