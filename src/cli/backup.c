/*
** loulan backup | restore: a consistent gzip'd copy of a SQLite forum, taken
** while serving, and putting one back (the work is in db/db_backup.c). On
** PostgreSQL both print the pg_dump / pg_restore commands instead.
*/
#include "cli/cli.h"
#include <stdio.h>
#include <sys/stat.h>

static const char pg_backup_note[] =
	"loulan: on PostgreSQL use pg_dump and pg_restore, e.g.\n"
	"  pg_dump -Fc -f loulan.dump 'URL'       (consistent while serving)\n"
	"  pg_restore --clean --if-exists -d 'URL' loulan.dump\n"
	"see docs/DEPLOY.md (Backups)\n";

static const char *to, *from;
static int force;

static const struct cli_opt backup_opts[] = {
	{"to", "FILE.gz", CLI_STR, &to, 0, 0, 0, "where the gzip'd copy goes (required with --data)"},
	{NULL},
};

static int backup(char **args, int nargs) {
	if (cli_db) {
		fputs(pg_backup_note, stderr);
		return 2;
	}
	if (!to) {
		fprintf(stderr, "loulan: backup wants --data DIR --to FILE.gz\n");
		return 2;
	}
	char err[1024];
	if (db_backup_sqlite(cli_data, to, err, sizeof err)) {
		fprintf(stderr, "loulan: backup failed: %s\n", err);
		return 1;
	}
	struct stat sb;
	printf("backed up %s to %s (%lld bytes gzip'd)\n", cli_data, to, stat(to, &sb) ? -1LL : (long long)sb.st_size);
	return 0;
}

const struct cli_cmd cli_backup = {
	"backup", NULL, 0, 0, 1, backup_opts, "consistent gzip'd copy of the forum, also while serving",
	"Copies the forum in DIR/loulan.db with SQLite's online backup API (consistent while a\n"
	"server reads and writes: every post acknowledged before the backup starts is in it),\n"
	"checks the copy (integrity_check), gzips it to FILE.gz.tmp.* and renames it to FILE.gz.\n"
	"Needs room beside FILE.gz for one uncompressed copy while it runs (FILE.gz.snap.*).\n"
	"Restore with 'loulan restore'. On PostgreSQL use pg_dump (docs/DEPLOY.md).",
	backup,
};

static const struct cli_opt restore_opts[] = {
	{"from", "FILE.gz", CLI_STR, &from, 0, 0, 0, "a backup made by 'loulan backup' (required with --data)"},
	{"force", NULL, CLI_FLAG, &force, 0, 0, 0, "replace a forum that is already in DIR"},
	{NULL},
};

static int restore(char **args, int nargs) {
	if (cli_db) {
		fputs(pg_backup_note, stderr);
		return 2;
	}
	if (!from) {
		fprintf(stderr, "loulan: restore wants --from FILE.gz --data DIR\n");
		return 2;
	}
	char err[1024];
	if (db_restore_sqlite(from, cli_data, force, err, sizeof err)) {
		fprintf(stderr, "loulan: restore failed: %s\n", err);
		return 1;
	}
	printf("restored %s into %s/loulan.db\n", from, cli_data);
	return 0;
}

const struct cli_cmd cli_restore = {
	"restore", NULL, 0, 0, 1, restore_opts, "check a backup and put it in place",
	"Checks a backup made by 'loulan backup' (gzip, SQLite integrity_check, a loulan schema)\n"
	"and puts it in place of DIR/loulan.db atomically (temporary file, then rename).\n"
	"A DIR that already holds a forum is refused unless --force; stop its server first.\n"
	"On PostgreSQL use pg_restore (docs/DEPLOY.md).",
	restore,
};
