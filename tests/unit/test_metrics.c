/*
** test_metrics: the address check that guards GET /metrics (metrics_ip_in,
** metrics_set_allow): loopback in, everything else out, CIDR prefixes of
** both families, IPv4-mapped IPv6, malformed lists refused; and the text
** the HTTP counters write (route labels, cumulative histogram).
*/
#include "http/http.h"
#include "http/metrics.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

static void test_default_list_is_loopback_only(void **state) {
	const char *l = METRICS_ALLOW_DEFAULT;
	assert_int_equal(metrics_ip_in("127.0.0.1", l), 1);
	assert_int_equal(metrics_ip_in("127.255.3.4", l), 1);
	assert_int_equal(metrics_ip_in("::1", l), 1);
	assert_int_equal(metrics_ip_in("::ffff:127.0.0.1", l), 1);
	assert_int_equal(metrics_ip_in("128.0.0.1", l), 0);
	assert_int_equal(metrics_ip_in("10.0.0.1", l), 0);
	assert_int_equal(metrics_ip_in("192.168.1.1", l), 0);
	assert_int_equal(metrics_ip_in("::2", l), 0);
	assert_int_equal(metrics_ip_in("::ffff:10.0.0.1", l), 0);
	assert_int_equal(metrics_ip_in("fe80::1", l), 0);
	assert_int_equal(metrics_ip_in("", l), 0);
	assert_int_equal(metrics_ip_in("not-an-ip", l), 0);
	assert_int_equal(metrics_ip_in(NULL, l), 0);
}

static void test_prefixes(void **state) {
	assert_int_equal(metrics_ip_in("10.1.2.3", "10.0.0.0/8"), 1);
	assert_int_equal(metrics_ip_in("11.1.2.3", "10.0.0.0/8"), 0);
	assert_int_equal(metrics_ip_in("192.168.7.9", "10.0.0.0/8, 192.168.7.0/24"), 1);
	assert_int_equal(metrics_ip_in("192.168.8.9", "10.0.0.0/8, 192.168.7.0/24"), 0);
	assert_int_equal(metrics_ip_in("127.0.0.2", "127.0.0.2"), 1);
	assert_int_equal(metrics_ip_in("127.0.0.1", "127.0.0.2/32"), 0);
	assert_int_equal(metrics_ip_in("8.8.8.8", "0.0.0.0/0"), 1);
	assert_int_equal(metrics_ip_in("2001:db8::5", "2001:db8::/32"), 1);
	assert_int_equal(metrics_ip_in("2001:db9::5", "2001:db8::/32"), 0);
	assert_int_equal(metrics_ip_in("2001:db8::5", "10.0.0.0/8"), 0);   /* families never match */
	assert_int_equal(metrics_ip_in("127.0.0.1", ""), 0);              /* an empty list allows nobody */
}

static void test_malformed_lists(void **state) {
	const char *bad[] = {"localhost", "127.0.0.1/33", "::1/129", "10.0.0.0/", "10.0.0.0/x", "1.2.3", "127.0.0.1/-1",
	                     "127.0.0.1,bogus"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (metrics_ip_in("127.0.0.1", bad[i]) != -1) fail_msg("accepted the list '%s'", bad[i]);
		if (metrics_set_allow(bad[i]) != -1) fail_msg("metrics_set_allow accepted '%s'", bad[i]);
	}
	/* a refused list keeps the old one */
	assert_int_equal(metrics_ip_allowed("127.0.0.1"), 1);
	assert_int_equal(metrics_set_allow("10.0.0.0/8"), 0);
	assert_int_equal(metrics_ip_allowed("127.0.0.1"), 0);
	assert_int_equal(metrics_ip_allowed("10.9.9.9"), 1);
	assert_int_equal(metrics_set_allow(METRICS_ALLOW_DEFAULT), 0);
	assert_int_equal(metrics_ip_allowed("127.0.0.1"), 1);
}

static void test_counters_text(void **state) {
	static const char route[] = "/t/*";
	char same[] = "/t/*";   /* equal text at another address: one series */
	metrics_observe(route, 200, 50000);       /* 50 us */
	metrics_observe(same, 200, 3000000);      /* 3 ms */
	metrics_observe(route, 418, 20000000000ull); /* 20 s, an unlisted status */
	metrics_observe(NULL, 404, 1000);
	buf b;
	buf_init(&b, 0);
	metrics_write_http(&b, 0);
	const char *t = buf_cstr(&b);
	assert_non_null(strstr(t, "loulan_http_requests_total{route=\"/t/*\",status=\"200\"} 2\n"));
	assert_non_null(strstr(t, "loulan_http_requests_total{route=\"/t/*\",status=\"4xx\"} 1\n"));
	assert_non_null(strstr(t, "loulan_http_requests_total{route=\"(none)\",status=\"404\"} 1\n"));
	assert_non_null(strstr(t, "loulan_http_request_duration_seconds_bucket{le=\"0.0001\"} 2\n"));
	assert_non_null(strstr(t, "loulan_http_request_duration_seconds_bucket{le=\"0.005\"} 3\n"));
	assert_non_null(strstr(t, "loulan_http_request_duration_seconds_bucket{le=\"10\"} 3\n"));
	assert_non_null(strstr(t, "loulan_http_request_duration_seconds_bucket{le=\"+Inf\"} 4\n"));
	assert_non_null(strstr(t, "loulan_http_request_duration_seconds_count 4\n"));
	assert_non_null(strstr(t, "# TYPE loulan_http_request_duration_seconds histogram\n"));
	buf_release(&b);
}

/* http_client_ip: only a trusted peer's headers name the client, and only with an address */
static void test_client_ip_behind_proxy(void **state) {
	char out[64];
	const char *trust = "127.0.0.1/32,::1";
	/* no trust list, or a peer outside it: the headers are the client's own words, ignored */
	assert_string_equal(http_client_ip("127.0.0.1", NULL, "9.9.9.9", "8.8.8.8", out, sizeof out), "127.0.0.1");
	assert_string_equal(http_client_ip("10.1.2.3", trust, "9.9.9.9", "8.8.8.8", out, sizeof out), "10.1.2.3");
	/* a trusted proxy: X-Real-IP first, else the last hop of X-Forwarded-For (the one it appended) */
	assert_string_equal(http_client_ip("127.0.0.1", trust, "203.0.113.7", "1.1.1.1", out, sizeof out), "203.0.113.7");
	assert_string_equal(http_client_ip("127.0.0.1", trust, NULL, "6.6.6.6, 203.0.113.9", out, sizeof out), "203.0.113.9");
	assert_string_equal(http_client_ip("::1", trust, NULL, " 2001:db8::1 ", out, sizeof out), "2001:db8::1");
	/* not an address: the peer stays the client */
	assert_string_equal(http_client_ip("127.0.0.1", trust, "evil", "1.2.3.4, <script>", out, sizeof out), "127.0.0.1");
	assert_string_equal(http_client_ip("127.0.0.1", trust, "", "", out, sizeof out), "127.0.0.1");
	assert_int_equal(http_trust_proxy_valid("127.0.0.1/32,::1"), 0);
	assert_int_equal(http_trust_proxy_valid("nonsense"), -1);
	assert_int_equal(http_trust_proxy_valid(""), -1);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_list_is_loopback_only),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_malformed_lists),
		cmocka_unit_test(test_counters_text),
		cmocka_unit_test(test_client_ip_behind_proxy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
