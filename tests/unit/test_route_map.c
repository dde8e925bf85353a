/* test_route_map.c - the route table is the map of the site: the menu shows
 * an entry to exactly the roles that may GET its page (the visibility comes
 * from routes.c, pinned here against the sets the menu has always had), and
 * every route open to any role that names someone's record says which scope
 * rule its handler checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "app/router.h"
#include "html/layout.h"

#define VIEW (ROLE_MANAGER | ROLE_HR | ROLE_DX | ROLE_ADMIN)

/* Who has seen each menu entry: the table the menu held before it was
 * derived from the routes. A route's roles that change must change here too. */
static const struct {
    const char *href;
    unsigned roles;
} expected[] = {
    {"/", ROLE_ALL}, {"/org", VIEW}, {"/assess", ROLE_ALL}, {"/training", ROLE_ALL}, {"/kpi", VIEW},
    {"/cases", ROLE_ALL}, {"/me", ROLE_ALL}, {"/admin", ROLE_ADMIN},
    {"/staff", VIEW}, {"/tiers", VIEW}, {"/quals/expiring", VIEW}, {"/import", ROLE_HR | ROLE_DX | ROLE_ADMIN},
    {"/export", VIEW}, {"/assess/review", VIEW}, {"/assess/progress", VIEW}, {"/gaps", VIEW},
    {"/skills", ROLE_ALL}, {"/sessions", ROLE_ALL}, {"/courses", ROLE_ALL}, {"/training/approvals", VIEW},
    {"/plans", VIEW}, {"/mandatory", VIEW}, {"/certificates", ROLE_ALL}, {"/scorm/learn", ROLE_ALL},
    {"/training/xapi", ROLE_HR | ROLE_DX | ROLE_ADMIN}, {"/training/transcript", VIEW}, {"/kpi/coverage", VIEW},
    {"/systems", VIEW}, {"/transfers", ROLE_HR | ROLE_ADMIN}, {"/kpi/targets", ROLE_HR | ROLE_DX | ROLE_ADMIN},
    {"/kpi/report", VIEW}, {"/projects", ROLE_ALL}, {"/extern", VIEW}, {"/governance", ROLE_ALL}, {"/talent", VIEW},
};

static unsigned expected_roles(const char *href)
{
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++)
        if (!strcmp(expected[i].href, href)) return expected[i].roles;
    fail_msg("menu entry %s is not in this test's table", href);
    return 0;
}

static const Route *get_route(const char *path)
{
    for (size_t i = 0; i < routes_count; i++)
        if (!strcmp(routes[i].method, "GET") && !strcmp(routes[i].path, path)) return &routes[i];
    return NULL;
}

static void check_links(const NavLink *links, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const Route *rt = get_route(links[i].href);
        if (!rt) fail_msg("menu entry %s (%s) has no GET route", links[i].key, links[i].href);
        if (rt->flags & RF_PUBLIC) fail_msg("menu entry %s leads to a public route", links[i].href);
        if (router_get_roles(links[i].href) != rt->roles) fail_msg("router_get_roles(%s) is not the route's roles", links[i].href);
        if (rt->roles != expected_roles(links[i].href))
            fail_msg("%s: the route lets roles %#x in, the menu showed it to %#x", links[i].href, rt->roles, expected_roles(links[i].href));
    }
}

static void test_menu_comes_from_the_routes(void **state)
{
    (void)state;
    check_links(nav_sections, nav_sections_count);
    check_links(nav_pages, nav_pages_count);
    assert_int_equal(router_get_roles("/no/such/page"), 0);
    assert_int_equal(router_get_roles("/staff/{}"), ROLE_ALL); /* patterns are matched as written */
}

/* Paths open to any role whose parameter names something shared by everyone
 * (a course, a session, a module …) or that act only on the user's own record
 * by construction (the handler uses r->user->staff_id, never the path). */
static const char *const shared[] = {
    "/courses/",        /* the catalogue */
    "/sessions/{}",     /* a session's page; applying enrols the user themself */
    "/modules/",        /* e-learning pages and a quiz started for the user themself */
    "/media/",          /* the media of modules */
    "/governance/",     /* meeting records published to all */
    "/cases/",          /* the casebook */
    "/scorm/sco/",      /* launching a SCO starts the user's own attempt */
    "/scorm/pkg/",      /* package files */
};

static bool is_shared(const char *path)
{
    for (size_t i = 0; i < sizeof shared / sizeof *shared; i++)
        if (!strncmp(path, shared[i], strlen(shared[i]))) return true;
    return false;
}

static void test_any_route_naming_a_record_names_its_scope(void **state)
{
    (void)state;
    int scoped = 0;
    for (size_t i = 0; i < routes_count; i++) {
        const Route *rt = &routes[i];
        if (rt->flags & RF_SCOPE) {
            scoped++;
            if (!rt->scope || !*rt->scope) fail_msg("%s %s: RF_SCOPE without its rule", rt->method, rt->path);
            if (rt->roles != ROLE_ALL) fail_msg("%s %s: RF_SCOPE is for routes open to every role", rt->method, rt->path);
            continue;
        }
        if (rt->scope) fail_msg("%s %s: a scope rule without RF_SCOPE", rt->method, rt->path);
        if (rt->roles != ROLE_ALL || (rt->flags & RF_PUBLIC) || !strchr(rt->path, '{')) continue;
        if (!is_shared(rt->path)) fail_msg("%s %s is open to every role and names a record: mark its scope rule (RF_SCOPE)", rt->method, rt->path);
    }
    assert_int_equal(scoped, 14);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_menu_comes_from_the_routes),
        cmocka_unit_test(test_any_route_naming_a_record_names_its_scope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
