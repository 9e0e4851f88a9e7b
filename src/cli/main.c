/*
** main: the table of commands (git's cmd_struct). A new command is one file
** in src/cli/ defining a `struct cli_cmd` and one line here; `loulan --help`
** lists them in this order.
*/
#include "cli/cli.h"
#include "forum/cachegen.h"
#include "forum/password.h"
#include "util/die.h"

extern const struct cli_cmd cli_init, cli_serve, cli_board_add, cli_board_list, cli_board_perm, cli_board_approval, cli_board_mod /* moderation (#12) */, cli_board_edit /* sub-boards (#18) */, cli_config_set, cli_config_get,
	cli_config_list, cli_user_add, cli_user_list, cli_user_passwd, cli_user_delete, cli_user_group, cli_user_ban, cli_user_unban, cli_user_purge, cli_gen, cli_credit_rule,
	cli_post, cli_copy, cli_rerender, cli_backup, cli_restore, cli_reindex, cli_blobs_collect, cli_blobs_migrate,
	cli_import_discuz /* the Discuz! importer (#18) */;

const struct cli_cmd *const cli_cmds[] = {
	&cli_init, &cli_serve, &cli_board_add, &cli_board_list, &cli_board_perm, &cli_board_approval, &cli_board_mod, &cli_board_edit, &cli_config_set, &cli_config_get,
	&cli_config_list, &cli_user_add, &cli_user_list, &cli_user_passwd, &cli_user_delete, &cli_user_group, &cli_user_ban, &cli_user_unban, &cli_user_purge, &cli_gen,
	&cli_credit_rule, &cli_post, &cli_copy, &cli_rerender, &cli_backup, &cli_restore, &cli_reindex, &cli_blobs_collect,
	&cli_blobs_migrate, &cli_import_discuz, NULL,
};

int main(int argc, char **argv) {
	if (password_init()) die("cannot initialise libsodium");
	cachegen_init();
	return cli_main(argc, argv);
}
