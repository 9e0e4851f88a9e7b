/*
** loulan config set | get: site settings (forum/site.c holds the table).
*/
#include "cli/cli.h"
#include "forum/forum.h"
#include "forum/site.h"
#include <stdio.h>
#include <stdlib.h>

static int known(const char *key) {
	if (site_setting_valid(key)) return 1;
	fprintf(stderr, "loulan: unknown setting %s (see loulan config list)\n", key);
	return 0;
}

static int set(char **args, int nargs) {
	if (!known(args[0])) return 2;
	db *d = cli_open_store(0);
	if (!d) return 1;
	struct forum_err e = {0};
	int rc = 0;
	if (site_config_set(d, args[0], args[1], &e)) {
		fprintf(stderr, "loulan: %s\n", forum_err_en(&e));
		rc = 1;
	}
	db_close(d);
	return rc;
}

const struct cli_cmd cli_config_set = {
	"config set", "KEY VALUE", 2, 2, 1, NULL, "change a setting (running servers pick it up)",
	"Changes setting KEY ('loulan config list' shows them all). Running servers, on\n"
	"this directory or on every node of the PostgreSQL database, show the new value\n"
	"within a second.",
	set,
};

static int get(char **args, int nargs) {
	if (!known(args[0])) return 2;
	db *d = cli_open_store(0);
	if (!d) return 1;
	int rc = 0;
	char *v = NULL;
	if (site_config_get(d, args[0], &v) < 0) {
		fprintf(stderr, "loulan: %s\n", db_errmsg(d));
		rc = 1;
	} else {
		printf("%s\n", v ? v : "");
	}
	free(v);
	db_close(d);
	return rc;
}

const struct cli_cmd cli_config_get = {
	"config get", "KEY", 1, 1, 1, NULL, "print a setting's value", "Prints the value of setting KEY.", get,
};

static int list(char **args, int nargs) {
	db *d = cli_open_store(0);
	if (!d) return 1;
	int rc = 0;
	for (size_t i = 0; site_setting(i); i++) {
		const struct setting *t = site_setting(i);
		char *v = NULL;
		if (site_config_get(d, t->key, &v) < 0) {
			fprintf(stderr, "loulan: %s\n", db_errmsg(d));
			rc = 1;
			break;
		}
		printf("%s = %s\n", t->key, v);
		if (t->type == SETTING_INT) printf("    %s; %lld-%lld, default %s\n", t->help, (long long)t->lo, (long long)t->hi, t->def);
		else printf("    %s; default '%s'\n", t->help, t->def);
		free(v);
	}
	db_close(d);
	return rc;
}

const struct cli_cmd cli_config_list = {
	"config list", NULL, 0, 0, 1, NULL, "print every setting with its value, default and meaning",
	"Prints every setting as 'KEY = VALUE', then what it means, its limits and its default.", list,
};
