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
		int api = !strncmp(pattern, "/api/", 5);
		if (api != !!(flags & R_API)) fail_msg("%s: R_API must be set exactly on /api/ routes", pattern);
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

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_changing_routes_are_protected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
