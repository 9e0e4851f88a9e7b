/*
** loulan credit rule: sets one credit rule (积分规则); a board's row overrides fid 0.
*/
#include "cli/cli.h"
#include "forum/react.h"
#include <stdio.h>
#include <stdlib.h>

#define CREDIT_CLI_MAX 1000000   /* amounts, fid and cap on the command line */

static int run(char **pos, int nargs) {
	struct credit_rule r = {pos[0], "", pos[5], 0, {0, 0, 0}, 0};
	long long v[5];
	const int idx[5] = {1, 2, 3, 4, 6};
	for (int i = 0; i < 5; i++) {
		char *end;
		v[i] = strtoll(pos[idx[i]], &end, 10);
		if (!*pos[idx[i]] || *end || v[i] < -CREDIT_CLI_MAX || v[i] > CREDIT_CLI_MAX) {
			fprintf(stderr, "loulan: %s is not a number\n", pos[idx[i]]);
			return 2;
		}
	}
	r.fid = v[0];
	for (int i = 0; i < 3; i++) r.ext[i] = v[1 + i];
	r.cap = v[4];
	db *d = cli_open_store(0);
	if (!d) return 1;
	struct forum_err e = {0};
	int rc = credit_rule_set(d, &r, &e);
	if (rc) fprintf(stderr, "loulan: %s\n", forum_err_en(&e));
	db_close(d);
	return rc ? 1 : 0;
}

const struct cli_cmd cli_credit_rule = {
	"credit rule", "[--] ACTION FID EXT1 EXT2 EXT3 once|daily|unlimited CAP", 7, 7, 1, NULL,
	"set a credit rule (FID 0: every board)",
	"Sets the credit rule for ACTION (post, reply, login, ...) on board FID (0: every\n"
	"board; a board's rule overrides it): EXT1-EXT3 are added to extcredits 1-3, at most\n"
	"CAP times per cycle. Put -- before the positionals when an amount is negative.",
	run,
};
