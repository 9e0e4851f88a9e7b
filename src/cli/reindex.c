/*
** loulan reindex: the search index rebuilt from the posts (after `loulan gen`
** or an import that wrote posts past the writers' hooks, or to repair it).
*/
#include "cli/cli.h"
#include "forum/cachegen.h"
#include "forum/search.h"
#include <stdio.h>

static int run(char **args, int nargs) {
	db *d = cli_open_store(0);
	if (!d) return 1;
	struct cli_bar bar;
	cli_bar_init(&bar, "reindex", "posts");
	struct forum_err e = {0};
	db_bulk_mode(d, 1);   /* a rebuild cut short is simply run again */
	int rc = search_reindex(d, cli_progress, &bar, &e);
	db_bulk_mode(d, 0);
	if (rc) fprintf(stderr, "%sloulan: reindex: %s\n", bar.tty && bar.last >= 0 ? "\n" : "", forum_err_en(&e));
	else printf("search index rebuilt in %.2f seconds\n", cli_bar_seconds(&bar));
	if (!rc) cachegen_bump_all(d);
	db_close(d);
	return rc ? 1 : 0;
}

const struct cli_cmd cli_reindex = {
	"reindex", NULL, 0, 0, 1, NULL, "rebuild the search index from the posts, with a progress bar",
	"Empties the search index and indexes every visible post again (its text, and the\n"
	"thread's title on the first floor), in batches of one transaction each, with a\n"
	"progress bar on stderr. Searches find less until it is done. Writers keep the\n"
	"index current by themselves; run this after writing posts by other means, or to\n"
	"repair the index. Safe to run while a server is serving the forum.",
	run,
};
