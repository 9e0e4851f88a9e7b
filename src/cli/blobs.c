/*
** loulan blobs: attachment storage. `blobs collect` deletes uploads no post
** took within attach.unused_ttl (the server's background thread does the same
** once a minute); `blobs migrate --to s3|db` moves every blob to the other
** store with a progress bar, one blob per transaction, safe to interrupt and
** run again while a server is serving.
*/
#include "cli/cli.h"
#include "forum/attach.h"
#include "forum/forum.h"
#include "forum/site.h"
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int collect_run(char **args, int nargs) {
	db *d = cli_open_store(0);
	if (!d) return 1;
	int total = 0, n;
	while ((n = attach_collect(d, time(NULL), site_get()->attach_unused_ttl)) > 0) total += n;
	if (n < 0) fprintf(stderr, "loulan: %s\n", db_errmsg(d));
	else printf("%d unused attachments deleted\n", total);
	db_close(d);
	return n < 0 ? 1 : 0;
}

const struct cli_cmd cli_blobs_collect = {
	"blobs collect", NULL, 0, 0, 1, NULL, "delete uploads no post uses (older than attach.unused_ttl)",
	"Deletes attachments that no post has used for attach.unused_ttl seconds, and\n"
	"their blobs when nothing else references them. A running server does this once\n"
	"a minute by itself.",
	collect_run,
};

static const char *to;
static const struct cli_opt migrate_opts[] = {
	{"to", "STORE", CLI_STR, &to, 0, 0, 1, "s3 (the bucket of the blob.s3_* settings) or db"},
	{NULL},
};

static int migrate_run(char **args, int nargs) {
	if (strcmp(to, "s3") && strcmp(to, "db")) {
		fprintf(stderr, "loulan: --to is s3 or db\n");
		return 2;
	}
	db *d = cli_open_store(0);
	if (!d) return 1;
	int64_t done = 0, total = 0;
	struct forum_err err = {0};
	int tty = isatty(2);
	int rc = blob_migrate_count(d, to, &total);
	while (!rc) {
		int n = blob_migrate_one(d, to, time(NULL), &err);
		if (n < 0) { fprintf(stderr, "%sloulan: %s\n", tty ? "\n" : "", forum_err_en(&err)); rc = -1; break; }
		if (!n) break;
		done++;
		if (tty) {
			int w = 30, fill = total ? (int)(done * w / total) : w;
			if (fill > w) fill = w;
			fprintf(stderr, "\rblobs  [%.*s%*s] %lld/%lld", fill, "##############################", w - fill, "",
			        (long long)done, (long long)total);
		}
	}
	if (!rc) printf("%s%lld blobs moved to %s\n", tty ? "\n" : "", (long long)done, to);
	db_close(d);
	return rc ? 1 : 0;
}

const struct cli_cmd cli_blobs_migrate = {
	"blobs migrate", NULL, 0, 0, 1, migrate_opts, "move attachment bytes to another store (s3 or db)",
	"Moves every blob stored elsewhere to STORE: --to s3 uploads the database's chunks to\n"
	"the bucket of the blob.s3_* settings and deletes them from the database; --to db\n"
	"does the reverse. One blob per transaction with a progress bar; safe to stop and\n"
	"run again, and safe while a server is serving. Set blob.store too, so that new\n"
	"uploads go to the same place.",
	migrate_run,
};
