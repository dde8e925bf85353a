/* pages.h - every screen's handlers; routes.c maps URLs and roles to them. */
#ifndef JINZAI_PAGES_H
#define JINZAI_PAGES_H

#include "../http/http.h"
#include "page_disclosure.h"
#include "page_export.h"
#include "page_frame.h"
#include "page_import.h"
#include "page_keysystem.h"
#include "page_transfer.h"

/* page_static.c */
void page_healthz(Req *r, Resp *w);
void page_asset(Req *r, Resp *w);
/* page_auth.c */
void page_login(Req *r, Resp *w);
void page_login_post(Req *r, Resp *w);
void page_logout(Req *r, Resp *w);
void page_password(Req *r, Resp *w);
void page_password_post(Req *r, Resp *w);
/* page_notice.c */
void page_notices(Req *r, Resp *w);
void page_notices_read(Req *r, Resp *w);
void page_account_mail_post(Req *r, Resp *w);
/* The mail address form of the password page (posts to /account/mail). */
void page_mail_pref_section(Req *r, Buf *b);
/* page_remind.c */
void page_remind_preview(Req *r, Resp *w);
void page_remind_send(Req *r, Resp *w);
/* page_home.c */
void page_home(Req *r, Resp *w);
void page_me(Req *r, Resp *w);
/* page_org.c */
void page_org_tree(Req *r, Resp *w);
void page_org_unit(Req *r, Resp *w);
void page_org_new(Req *r, Resp *w);
void page_org_edit(Req *r, Resp *w);
void page_org_save(Req *r, Resp *w);
void page_org_close(Req *r, Resp *w);
/* page_staff.c */
void page_staff_list(Req *r, Resp *w);
void page_staff_show(Req *r, Resp *w);
void page_staff_new(Req *r, Resp *w);
void page_staff_edit(Req *r, Resp *w);
void page_staff_save(Req *r, Resp *w);
void page_staff_deactivate(Req *r, Resp *w);
void page_staff_reactivate(Req *r, Resp *w);
void page_staff_assign(Req *r, Resp *w);
void page_staff_assign_form(Req *r, Resp *w);
void page_staff_assignment_end(Req *r, Resp *w);
/* page_tier.c */
void page_tier_list(Req *r, Resp *w);
void page_tier_new(Req *r, Resp *w);
void page_tier_save(Req *r, Resp *w);
void page_tier_end(Req *r, Resp *w);
/* page_nendo.c */
void page_nendo_rollover(Req *r, Resp *w);
void page_nendo_rollover_post(Req *r, Resp *w);
void page_tier_bulk(Req *r, Resp *w);
void page_tier_import(Req *r, Resp *w);
void page_tier_import_post(Req *r, Resp *w);
/* page_skill.c */
void page_skill_map(Req *r, Resp *w);
void page_skill_item_new(Req *r, Resp *w);
void page_skill_item_edit(Req *r, Resp *w);
void page_skill_item_save(Req *r, Resp *w);
void page_skill_item_retire(Req *r, Resp *w);
void page_skill_item_move(Req *r, Resp *w);
void page_skill_unit_target(Req *r, Resp *w);
void page_skill_category_new(Req *r, Resp *w);
void page_skill_category_save(Req *r, Resp *w);
void page_skill_import(Req *r, Resp *w);
void page_skill_import_post(Req *r, Resp *w);
void page_skill_library(Req *r, Resp *w);
/* page_assess.c */
void page_assess_mine(Req *r, Resp *w);
void page_assess_mine_post(Req *r, Resp *w);
void page_assess_review_list(Req *r, Resp *w);
void page_assess_review_bulk(Req *r, Resp *w);
void page_assess_review(Req *r, Resp *w);
void page_assess_confirm(Req *r, Resp *w);
void page_assess_return(Req *r, Resp *w);
void page_assess_progress(Req *r, Resp *w);
void page_assess_period(Req *r, Resp *w);
void page_assess_period_post(Req *r, Resp *w);
/* page_qual.c */
void page_qual_list(Req *r, Resp *w);
void page_qual_add(Req *r, Resp *w);
void page_qual_delete(Req *r, Resp *w);
void page_qual_expiring(Req *r, Resp *w);
/* page_gap.c */
void page_gap_org(Req *r, Resp *w);
void page_gap_unit(Req *r, Resp *w);
void page_gap_person(Req *r, Resp *w);
/* page_course.c */
void page_course_list(Req *r, Resp *w);
void page_course_new(Req *r, Resp *w);
void page_course_show(Req *r, Resp *w);
void page_course_save(Req *r, Resp *w);
/* page_plan.c */
void page_plan(Req *r, Resp *w);
void page_plan_save(Req *r, Resp *w);
void page_plan_delete(Req *r, Resp *w);
/* page_demand.c */
void page_plan_demand(Req *r, Resp *w);
void page_plan_from_demand(Req *r, Resp *w);
/* page_session.c */
void page_session_calendar(Req *r, Resp *w);
void page_session_new(Req *r, Resp *w);
void page_session_show(Req *r, Resp *w);
void page_session_save(Req *r, Resp *w);
void page_session_cancel(Req *r, Resp *w);
void page_session_apply(Req *r, Resp *w);
void page_session_enrol(Req *r, Resp *w);
void page_session_roster(Req *r, Resp *w);
void page_session_roster_csv(Req *r, Resp *w);
/* page_training.c */
void page_training_me(Req *r, Resp *w);
void page_training_staff(Req *r, Resp *w);
void page_training_approvals(Req *r, Resp *w);
void page_app_approve(Req *r, Resp *w);
void page_app_decide_bulk(Req *r, Resp *w);
void page_app_decide(Req *r, Resp *w);
void page_app_cancel(Req *r, Resp *w);
void page_completion_report(Req *r, Resp *w);
void page_shareback_add(Req *r, Resp *w);
void page_training_transcript(Req *r, Resp *w);
/* page_module.c */
void page_module_show(Req *r, Resp *w);
void page_module_page(Req *r, Resp *w);
void page_module_edit(Req *r, Resp *w);
void page_module_page_save(Req *r, Resp *w);
void page_media_upload(Req *r, Resp *w);
void page_media(Req *r, Resp *w);
/* page_quiz.c */
void page_quiz_start(Req *r, Resp *w);
void page_quiz_attempt(Req *r, Resp *w);
void page_quiz_submit(Req *r, Resp *w);
void page_quiz_stats(Req *r, Resp *w);
void page_quiz_settings(Req *r, Resp *w);
void page_quiz_question_add(Req *r, Resp *w);
/* page_mandatory.c */
void page_mandatory_list(Req *r, Resp *w);
void page_mandatory_set(Req *r, Resp *w);
void page_mandatory_delete(Req *r, Resp *w);
void page_mandatory_progress(Req *r, Resp *w);
/* page_cert.c */
void page_cert_mine(Req *r, Resp *w);
void page_cert_issue(Req *r, Resp *w);
void page_cert_show(Req *r, Resp *w);
void page_cert_verify(Req *r, Resp *w);
/* page_kpi.c */
void page_kpi_dashboard(Req *r, Resp *w);
void page_kpi_people(Req *r, Resp *w);
void page_kpi_coverage(Req *r, Resp *w);
void page_kpi_targets(Req *r, Resp *w);
void page_kpi_targets_post(Req *r, Resp *w);
void page_kpi_report(Req *r, Resp *w);
/* page_admin.c */
void page_admin(Req *r, Resp *w);
void page_admin_users(Req *r, Resp *w);
void page_admin_user_create(Req *r, Resp *w);
void page_admin_user_update(Req *r, Resp *w);
void page_admin_users_bulk(Req *r, Resp *w);
void page_admin_ldap(Req *r, Resp *w);
void page_admin_ldap_post(Req *r, Resp *w);
void page_admin_sessions(Req *r, Resp *w);
void page_admin_session_revoke(Req *r, Resp *w);
void page_admin_audit(Req *r, Resp *w);
void page_admin_audit_archive(Req *r, Resp *w);
void page_admin_audit_archive_post(Req *r, Resp *w);
void page_audit_archives_table(Req *r, Buf *b); /* the archives, for /admin/audit */
void page_admin_settings(Req *r, Resp *w);
void page_admin_settings_post(Req *r, Resp *w);
void page_admin_mail_post(Req *r, Resp *w);
void page_admin_mail_test(Req *r, Resp *w);

/* page_xapi.c */
void page_xapi_about(Req *r, Resp *w);
void page_xapi_post(Req *r, Resp *w);
void page_xapi_put(Req *r, Resp *w);
void page_xapi_admin(Req *r, Resp *w);
void page_xapi_map_actor(Req *r, Resp *w);
void page_xapi_map_activity(Req *r, Resp *w);
void page_xapi_revoke(Req *r, Resp *w);

/* Shared by pages: the Actor for audit rows of this request. */
struct Actor;
void page_actor(Req *r, struct Actor *out);
/* Sends a CSV built in b as a download named `name` (UTF-8 with BOM). */
void page_send_csv(Req *r, Resp *w, Buf *csv, const char *name);
/* 200 with the len bytes of the open file fd as the download name; the
 * server sends the file and closes fd. */
void page_send_file(Req *r, Resp *w, int fd, size_t len, const char *name, const char *content_type);
/* A date field as ISO when it parses in any form users type (2026/4/1,
 * 令和8年4月1日 …), else the trimmed text as typed, for validation to reject
 * and the form to show again. Never NULL. */
const char *form_date(Req *r, const char *name);
/* Sends t as a download when the request asks for ?format=csv or
 * ?format=xlsx and returns true; returns false (nothing sent) otherwise, so
 * the caller renders the page. basename has no extension ("職員一覧"). */
struct Table;
bool page_send_table(Req *r, Resp *w, const struct Table *t, const char *basename);
/* A unit the user may see and its ancestors, root first (path has room for
 * 8): the count, or 0 after answering 404 (no such unit) or 403 (outside
 * the user's scope). */
struct Unit;
int page_unit_path(Req *r, Resp *w, int64_t id, struct Unit *path);
/* The problems that stopped an import or an export (nothing was changed or
 * sent), under heading: every row's from p when there are any (the first
 * PROBLEMS_SHOWN and how many more), else those of e. */
struct Problems;
struct Errors;
void page_problem_list(Buf *b, const char *heading, const char *advice, const struct Errors *e, const struct Problems *p);
/* Today as ISO "YYYY-MM-DD" (arena). */
const char *page_today(Req *r);
/* "令和8年度" (arena). */
const char *page_nendo_name(Req *r, int nendo);
/* iso as 和暦 ("令和8年4月1日"), arena memory, for html_printf's %s. */
const char *page_wareki(Req *r, const char *iso);
/* A 年度 as typed (2026, R8, 令和8 …), or the current 年度 when absent or unreadable. */
int page_nendo(Req *r, const char *value);
/* The form field `back` when it is a path on this site (http_local_path,
 * the rule of every redirect target), else dflt. */
const char *page_back(Req *r, const char *dflt);
/* A ?page= value as a page number 1..PAGE_NUMBER_MAX: absent, negative,
 * zero or unreadable gives 1, a larger one PAGE_NUMBER_MAX, so that
 * (page - 1) * page size never overflows an int. */
#define PAGE_NUMBER_MAX 100000
int page_number(const char *value);
/* True when the request asks for a download (?format=csv or ?format=xlsx),
 * so a list fetches every row instead of one page. */
bool page_wants_export(Req *r);
/* Whether the user is of the training and HR office (人事, DX推進 or 管理者). */
bool page_is_office(const Req *r);

/* page_talent.c */
void page_talent(Req *r, Resp *w);
void page_talent_csv(Req *r, Resp *w);
void page_talent_xlsx(Req *r, Resp *w);
/* page_project.c */
void page_project_list(Req *r, Resp *w);
void page_project_new(Req *r, Resp *w);
void page_project_show(Req *r, Resp *w);
void page_project_edit(Req *r, Resp *w);
void page_project_save(Req *r, Resp *w);
void page_project_delete(Req *r, Resp *w);
/* page_extern.c */
void page_extern_list(Req *r, Resp *w);
void page_extern_new(Req *r, Resp *w);
void page_extern_show(Req *r, Resp *w);
void page_extern_save(Req *r, Resp *w);
void page_extern_end(Req *r, Resp *w);
void page_extern_engagement_add(Req *r, Resp *w);
void page_extern_engagement_delete(Req *r, Resp *w);
void page_extern_session_add(Req *r, Resp *w);
void page_extern_session_delete(Req *r, Resp *w);
void page_extern_pairing_add(Req *r, Resp *w);
void page_extern_pairing_end(Req *r, Resp *w);
/* page_case.c */
void page_cases(Req *r, Resp *w);
void page_case_show(Req *r, Resp *w);
void page_case_new(Req *r, Resp *w);
void page_case_edit(Req *r, Resp *w);
void page_case_save(Req *r, Resp *w);
void page_case_publish(Req *r, Resp *w);
void page_case_unpublish(Req *r, Resp *w);
void page_case_delete(Req *r, Resp *w);
void page_case_attach(Req *r, Resp *w);

/* page_scorm.c */
void page_scorm_admin(Req *r, Resp *w);
void page_scorm_upload(Req *r, Resp *w);
void page_scorm_learn(Req *r, Resp *w);
void page_scorm_launch(Req *r, Resp *w);
void page_scorm_state(Req *r, Resp *w);
void page_scorm_commit(Req *r, Resp *w);
void page_scorm_file(Req *r, Resp *w);

/* page_governance.c */
void page_governance(Req *r, Resp *w);
void page_governance_new(Req *r, Resp *w);
void page_governance_create(Req *r, Resp *w);
void page_governance_edit(Req *r, Resp *w);
void page_governance_save(Req *r, Resp *w);
void page_governance_delete(Req *r, Resp *w);
void page_governance_member_add(Req *r, Resp *w);
void page_governance_member_edit(Req *r, Resp *w);
void page_governance_member_save(Req *r, Resp *w);
void page_governance_member_delete(Req *r, Resp *w);
void page_governance_meeting_add(Req *r, Resp *w);
void page_governance_meeting(Req *r, Resp *w);
void page_governance_meeting_save(Req *r, Resp *w);
void page_governance_meeting_delete(Req *r, Resp *w);
void page_governance_meeting_file(Req *r, Resp *w);
#endif
