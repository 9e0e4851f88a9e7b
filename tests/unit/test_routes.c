/*
** test_routes: the route table's security rules, on a copy of the table
** (route_info), independently of routes_check: every route that changes
** state (not GET/HEAD) carries R_CSRF with R_FORM (cookie forms) or R_API
** (bearer tokens only, never cookies); /api/ routes and only they are R_API.
** A new route without them fails here, and `loulan serve` refuses to start.
*/
#include "pages/page.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

static void test_state_changing_routes_are_protected(void **state) {
	const char *pattern;
	int methods, flags, writes = 0;
	size_t i;
	for (i = 0; !route_info(i, &pattern, &methods, &flags); i++) {
		int api = !strncmp(pattern, "/api/v1/", 8);
		if (api != !!(flags & R_API)) fail_msg("%s: R_API must be set exactly on /api/v1/ routes", pattern);
		if (!(methods & ~(HTTP_GET | HTTP_HEAD))) continue;
		writes++;
		if (!(flags & (R_CSRF | R_API))) fail_msg("%s (methods %d) changes state without R_CSRF or R_API", pattern, methods);
		if ((flags & R_CSRF) && !(flags & R_FORM)) fail_msg("%s: R_CSRF without R_FORM", pattern);
		if ((flags & R_API) && (flags & (R_CSRF | R_FORM))) fail_msg("%s: R_API with cookie-form flags", pattern);
		if (flags & R_NOVIEWER) fail_msg("%s: a write with R_NOVIEWER", pattern);
		/* a write never answers GET: a link or an <img> must not trigger it */
		if (methods & (HTTP_GET | HTTP_HEAD)) fail_msg("%s: one route entry for GET and a write method", pattern);
	}
	assert_true(i > 10);
	assert_true(writes > 10);
	char err[256] = "";
	assert_int_equal(routes_check(err, sizeof err), 0);
	assert_string_equal(err, "");
}

/* issue 17: every API route of the table is described in api/FAMILY.json (OpenAPI
   3.1), with the security its R_LOGIN implies, and nothing else is; the message
   says what to add where. */
static void test_api_routes_are_described(void **state) {
	char err[1024] = "";
	int bad = apispec_check(err, sizeof err);
	if (bad) fail_msg("%d problem(s) with the API description; the first: %s", bad, err);
	/* the check can fail: a pattern that is not in the description */
	assert_null(apispec_operation("/api/v1/no-such-route/*", HTTP_POST));
	assert_non_null(apispec_operation("/api/v1/threads/*", HTTP_GET));
	assert_true(apispec_same_path("/api/v1/posts/{pid}/like", "/api/v1/posts/*/like"));
	assert_false(apispec_same_path("/api/v1/posts/{pid}", "/api/v1/posts/*/like"));
	/* the body reader's field list comes from it */
	struct json_t *s = apispec_body_schema("/api/v1/boards/*/threads", HTTP_POST);
	assert_non_null(s);
	apispec_free();
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_changing_routes_are_protected),
		cmocka_unit_test(test_api_routes_are_described),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
