/*
** loulan rerender: every stored post (and saved edit) rendered again from its
** source with this binary's renderers. Safe next to a running server and safe
** to run twice.
*/
#include "cli/cli.h"
#include "forum/forum.h"
#include "forum/rerender.h"
#include <stdio.h>

static int run(char **args, int nargs) {
	db *d = cli_open_store(0);
	if (!d) return 1;
	struct forum_err e = {0};
	int64_t seen, changed;
	int rc = forum_rerender(d, &seen, &changed, &e);
	if (rc) fprintf(stderr, "loulan: %s\n", forum_err_en(&e));
	else printf("%lld rendered, %lld changed\n", (long long)seen, (long long)changed);
	db_close(d);
	return rc ? 1 : 0;
}

const struct cli_cmd cli_rerender = {
	"rerender", NULL, 0, 0, 1, NULL, "render every stored post again (after an upgrade)",
	"Renders every stored post and saved edit again from its source with this\n"
	"binary's renderers, in batches of one transaction each, writes only rows whose\n"
	"HTML changed and drops cached pages. Prints \"N rendered, M changed\". Safe to\n"
	"run while a server is serving the forum.",
	run,
};
