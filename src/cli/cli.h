/*
** cli: the loulan command line. Each command is one `struct cli_cmd`: its
** name ("init", "board add"), its options (one `struct cli_opt` table, which
** both parses them and prints them in the help), its positional arguments
** and a run function. cli/main.c holds the table of commands; cli.c parses,
** checks and prints help from the tables, so a command file only says what
** it takes and what it does.
**
** Options store into the command file's own static variables (one command
** runs per process); give a variable its default in its initialiser. Ints
** are range-checked before run() is called; required options and the store
** (--data DIR or --db URL, for commands with `store`) are checked too.
*/
#ifndef LOULAN_CLI_H
#define LOULAN_CLI_H
#include "db/db.h"

#define LOULAN_VERSION "0.1.0"
#define CLI_MAX_OPTS 24   /* options per command, --data/--db/--help included */

enum cli_type { CLI_FLAG, CLI_STR, CLI_INT };

struct cli_opt {
	const char *name;   /* long option without "--" */
	const char *arg;    /* metavariable in the help ("DIR"); NULL for a flag */
	enum cli_type type;
	void *out;          /* int * (flag: set to 1), const char ** (str), long long * (int) */
	long long lo, hi;   /* CLI_INT: accepted range */
	int required;
	const char *help;
};

struct cli_cmd {
	const char *name;       /* "gen", "board add" */
	const char *args;       /* positionals in the synopsis ("KEY VALUE"), or NULL */
	int min_args, max_args; /* how many positionals */
	int store;              /* takes --data DIR / --db URL; one of them is required */
	const struct cli_opt *opts;   /* ends with {NULL}; may be NULL */
	const char *summary;    /* one line for `loulan --help` */
	const char *help;       /* the paragraph for `loulan NAME --help` */
	int (*run)(char **args, int nargs);   /* exit status */
};

/* the command table (cli/main.c) */
extern const struct cli_cmd *const cli_cmds[];

/* --data and --db of the running command (store commands) */
extern const char *cli_data, *cli_db;

/* Runs the command named by argv[1] (and argv[2] for a family such as
** "board"): parses its options, prints help for --help, checks, runs. */
int cli_main(int argc, char **argv);

/* Opens the forum at DATA (SQLite directory) or DB (URL) and loads the
** settings, groups and permissions. CLI_CREATE: a new database (init, copy
** target); CLI_SERVING: the serve command (watches DIR/loulan.gen instead of
** publishing to it). Prints the error and returns NULL on failure. */
enum { CLI_CREATE = 1, CLI_SERVING = 2 };
db *cli_open(const char *data, const char *dburl, int flags);
static inline db *cli_open_store(int flags) { return cli_open(cli_data, cli_db, flags); }

/* A progress bar on stderr for long commands (gen, reindex): redrawn in place on a
** terminal, else one line per 10%. cli_progress fits forum/'s progress callbacks. */
#include <stdint.h>
#include <time.h>
struct cli_bar { int tty, last; struct timespec t0; const char *what, *unit; };
void cli_bar_init(struct cli_bar *b, const char *what, const char *unit);
void cli_progress(void *bar, int64_t done, int64_t total);
double cli_bar_seconds(const struct cli_bar *b);   /* since cli_bar_init */
#endif
