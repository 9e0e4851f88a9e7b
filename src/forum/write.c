/*
** write: creating categories and boards, and forum_cook, the one call from
** forum/ into the renderers. Threads and replies are written by posting.c
** (one write path for the web, the API, the CLI and the demo).
*/
#include "forum/forum.h"
#include "forum/read.h"
#include "forum/write.h"
#include "forum/attach.h"
#include "forum/cachegen.h"
#include "forum/react.h"
#include "markup/bbcode.h"
#include "markup/markdown.h"
#include "util/buf.h"
#include "util/die.h"
#include "util/text.h"
#include "util/utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int forum_cook(const char *format, const char *source, char **html) {
	buf b;
	buf_init(&b, 0);
	int rc = !strcmp(format, "markdown") ? markdown_render(&b, source, strlen(source))
	                                     : bbcode_render(&b, source, strlen(source));
	if (!rc && attach_scope_active()) attach_scope_list(&b);   /* attachments the text does not place */
	if (rc || b.err) {
		buf_release(&b);
		return -1;
	}
	*html = buf_detach(&b, NULL);
	return 0;
}

int forum_category_find(db *d, const char *name, int64_t *cid) {
	db_stmt *s = db_prep(d, "SELECT cid FROM category WHERE name = $1 ORDER BY cid LIMIT 1");
	db_bind_text(s, 1, name, -1);
	int rc = db_step(s);
	if (rc == DB_ROW) *cid = db_int(s, 0);
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int forum_category_add(db *d, const char *name, int64_t *cid) {
	db_stmt *s = db_prep(d, "INSERT INTO category(name, displayorder) "
	                        "VALUES ($1, (SELECT COALESCE(MAX(displayorder), 0) + 1 FROM category)) RETURNING cid");
	db_bind_text(s, 1, name, -1);
	int rc = db_step(s);
	if (rc == DB_ROW) *cid = db_int(s, 0);
	db_done(s);
	if (rc == DB_ROW) cachegen_bump_site(d);
	return rc == DB_ROW ? 0 : -1;
}

/* category, board and thread type names: visible, no unpaired bidi control (util/text.h) */
static int name_ok(const char *s, long max) {
	size_t len = strlen(s);
	long n = utf8_chars(s, len);
	return n >= 1 && n <= max && !strpbrk(s, "|\n\r\t") && text_visible(s, len) && text_bidi_paired(s, len);
}

int forum_board_parent_check(db *d, int64_t fid, int64_t cid, int64_t parent, struct forum_err *e) {
	if (!parent) return FORUM_OK;
	if (parent == fid) return forum_fail_en(e, FORUM_E_INVALID, "a board cannot be its own parent", "版块不能是自己的上级版块。");
	db_stmt *s = db_prep(d, "SELECT cid, parent, (SELECT COUNT(*) FROM board WHERE parent = $2 AND fid <> $1) "
	                        "FROM board WHERE fid = $1");
	db_bind_int(s, 1, parent);
	db_bind_int(s, 2, fid);
	int rc = db_step(s);
	int64_t pcid = 0, pparent = 0, children = 0;
	if (rc == DB_ROW) {
		pcid = db_int(s, 0);
		pparent = db_int(s, 1);
		children = db_int(s, 2);
	}
	db_done(s);
	if (rc == DB_DONE) return forum_fail_en(e, FORUM_E_NOTFOUND, "no such parent board", "上级版块不存在。");
	if (rc != DB_ROW) return forum_fail(e, FORUM_E_DB, "%s", FORUM_MSG_DB);
	if (pparent)
		return forum_fail_en(e, FORUM_E_INVALID, "the parent is a sub-board itself (one level only)",
		                     "上级版块本身是子版块：子版块下不能再有子版块。");
	if (pcid != cid)
		return forum_fail_en(e, FORUM_E_INVALID, "the parent must be in the same category", "上级版块必须在同一分区。");
	if (fid && children)
		return forum_fail_en(e, FORUM_E_INVALID, "the board has sub-boards of its own (one level only)",
		                     "该版块有自己的子版块，不能再成为子版块。");
	return FORUM_OK;
}

int forum_board_set_parent(db *d, int64_t fid, int64_t parent, struct forum_err *e) {
	db_stmt *s = db_prep(d, "SELECT cid FROM board WHERE fid = $1");
	db_bind_int(s, 1, fid);
	int rc = db_step(s);
	int64_t cid = rc == DB_ROW ? db_int(s, 0) : 0;
	db_done(s);
	if (rc == DB_DONE) return forum_fail_en(e, FORUM_E_NOTFOUND, "no such board", "版块不存在。");
	if (rc != DB_ROW) return forum_fail(e, FORUM_E_DB, "%s", FORUM_MSG_DB);
	if (forum_board_parent_check(d, fid, cid, parent, e)) return e->code;
	s = db_prep(d, "UPDATE board SET parent = $2 WHERE fid = $1");
	db_bind_int(s, 1, fid);
	db_bind_int(s, 2, parent);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) return forum_fail(e, FORUM_E_DB, "%s", FORUM_MSG_DB);
	cachegen_bump_site(d);   /* the index, the parent's page, breadcrumbs: applied at COMMIT */
	return FORUM_OK;
}

int forum_board_add(db *d, int64_t cid, const char *name, const char *desc, const char *types_csv, int64_t *fid,
                    struct forum_err *e) {
	if (!name_ok(name, FORUM_NAME_MAX)) {
		forum_fail(e, FORUM_E_INVALID, "board name must be 1-%d characters, visible, without | or line breaks or unpaired bidi controls",
		           FORUM_NAME_MAX);
		return -1;
	}
	db_stmt *s = db_prep(d, "INSERT INTO board(cid, name, description, displayorder) "
	                        "VALUES ($1, $2, $3, (SELECT COALESCE(MAX(displayorder), 0) + 1 FROM board)) RETURNING fid");
	db_bind_int(s, 1, cid);
	db_bind_text(s, 2, name, -1);
	db_bind_text(s, 3, desc ? desc : "", -1);
	int rc = db_step(s);
	if (rc == DB_ROW) *fid = db_int(s, 0);
	db_done(s);
	if (rc != DB_ROW) {
		forum_fail(e, FORUM_E_DB, "cannot add board: %s", db_errmsg(d));
		return -1;
	}
	cachegen_bump_board(d, *fid);   /* applied at COMMIT */
	if (!types_csv || !*types_csv) return 0;
	buf types;
	buf_init(&types, 0);
	char *list = xstrdup(types_csv);
	int ntypes = 0;
	for (char *save = NULL, *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ') t++;
		if (!*t) continue;
		if (!name_ok(t, 20) || ++ntypes > FORUM_MAX_TYPES) {
			forum_fail(e, FORUM_E_INVALID, "thread type names must be 1-20 characters, at most %d types", FORUM_MAX_TYPES);
			rc = DB_ERR;
			break;
		}
		s = db_prep(d, "INSERT INTO threadtype(fid, name, displayorder) VALUES ($1, $2, $3) RETURNING typeid");
		db_bind_int(s, 1, *fid);
		db_bind_text(s, 2, t, -1);
		db_bind_int(s, 3, ntypes);
		rc = db_step(s);
		if (rc == DB_ROW) buf_appendf(&types, "%lld|%s\n", (long long)db_int(s, 0), t);
		db_done(s);
		if (rc != DB_ROW) {
			forum_fail(e, FORUM_E_DB, "cannot add thread type: %s", db_errmsg(d));
			break;
		}
	}
	free(list);
	if (rc == DB_ROW) {
		s = db_prep(d, "UPDATE board SET types = $2 WHERE fid = $1");
		db_bind_int(s, 1, *fid);
		db_bind_text(s, 2, buf_cstr(&types), -1);
		rc = db_step(s);
		db_done(s);
	}
	buf_release(&types);
	return rc == DB_DONE ? 0 : -1;
}
