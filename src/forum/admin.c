/*
** admin: the admin panel's changes (admin.h). Each is one transaction: the
** change, its audit row, and the generation bump that makes every node
** reload (cachegen.h: applied at COMMIT).
*/
#include "forum/admin.h"
#include "forum/site.h"
#include "forum/perm.h"
#include "forum/credit.h"
#include "forum/write.h"
#include "forum/read.h"
#include "forum/user.h"
#include "forum/password.h"
#include "forum/cachegen.h"
#include "forum/moderate.h"
#include "forum/approve.h"
#include "forum/ban.h"
#include "util/die.h"
#include "util/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int exec1(db_stmt *s);

int forum_is_admin(const struct actor *who) { return who->override || (who->uid && who->groupid == GROUP_ADMIN); }

static int denied(const struct actor *who, struct forum_err *e) {
	if (forum_is_admin(who)) return 0;
	forum_fail(e, FORUM_E_FORBIDDEN, "只有管理员可以进入管理中心。");
	return 1;
}

static size_t utf8_chars(const char *s) {
	size_t n = 0;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) n += (*c & 0xC0) != 0x80;
	return n;
}

static int db_fail(db *d, struct forum_err *e) {
	forum_fail(e, FORUM_E_DB, "%s", FORUM_MSG_DB);
	(void)d;
	return FORUM_E_DB;
}

/* the audit row, inside the caller's transaction */
static int audit(db *d, const struct actor *who, const char *area, const char *action, const char *target, const char *oldval,
                 const char *newval, time_t now) {
	db_stmt *s = db_prep(d, "INSERT INTO admin_log(uid, username, area, action, target, oldval, newval, created) "
	                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
	db_bind_int(s, 1, who->uid);
	db_bind_text(s, 2, who->name ? who->name : "", -1);
	db_bind_text(s, 3, area, -1);
	db_bind_text(s, 4, action, -1);
	db_bind_text(s, 5, target ? target : "", -1);
	db_bind_text(s, 6, oldval ? oldval : "", -1);
	db_bind_text(s, 7, newval ? newval : "", -1);
	db_bind_int(s, 8, now);
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? 0 : -1;
}

/* ends a transaction: commit when rc is 0 (a failed commit is a database error), else roll back */
static int finish(db *d, int rc, struct forum_err *e) {
	if (rc) {
		db_rollback(d);
		return e->code ? e->code : db_fail(d, e);
	}
	if (db_commit(d)) {
		db_rollback(d);
		return db_fail(d, e);
	}
	return FORUM_OK;
}

static int start(db *d, struct forum_err *e) {
	e->code = 0;
	if (db_begin(d)) return db_fail(d, e);
	return 0;
}

/* every admin change moves the site generation: nodes reload settings, groups, permissions */
static int done(db *d, int rc, struct forum_err *e) {
	if (!rc) cachegen_bump_all(d);
	return finish(d, rc, e);
}

int64_t admin_log_last(db *d) {
	db_stmt *s = db_prep(d, "SELECT COALESCE(MAX(id), 0) FROM admin_log");
	int64_t v = db_step(s) == DB_ROW ? db_int(s, 0) : -1;
	db_done(s);
	return v;
}

int admin_log_list(db *d, arena *a, int64_t before, int limit, struct admin_log_row **out, int *n) {
	db_stmt *s = db_prep(d, "SELECT id, uid, created, username, area, action, target, oldval, newval FROM admin_log "
	                        "WHERE ($1 = 0 OR id < $1) ORDER BY id DESC LIMIT $2");
	db_bind_int(s, 1, before);
	db_bind_int(s, 2, limit);
	struct admin_log_row *rs = arena_alloc(a, sizeof *rs * (size_t)(limit > 0 ? limit : 1));
	int rc;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW && *n < limit) {
		struct admin_log_row *r = &rs[(*n)++];
		r->id = db_int(s, 0);
		r->uid = db_int(s, 1);
		r->created = db_int(s, 2);
		r->username = arena_strdup(a, db_text(s, 3));
		r->area = arena_strdup(a, db_text(s, 4));
		r->action = arena_strdup(a, db_text(s, 5));
		r->target = arena_strdup(a, db_text(s, 6));
		r->oldval = arena_strdup(a, db_text(s, 7));
		r->newval = arena_strdup(a, db_text(s, 8));
	}
	db_done(s);
	*out = rs;
	return rc == DB_ERR ? -1 : 0;
}

int admin_setting_set(db *d, const struct actor *who, const char *key, const char *value, time_t now, struct forum_err *e) {
	if (denied(who, e)) return e->code;
	char *old = NULL;
	if (start(d, e)) return e->code;
	int rc = site_config_get(d, key, &old) < 0 ? -1 : 0;
	if (!rc && old && !strcmp(old, value)) {   /* unchanged: no write, no audit row */
		free(old);
		return finish(d, 0, e);
	}
	if (!rc) rc = site_config_set(d, key, value, e);
	int secret = site_setting_secret(key);   /* the log never holds a secret */
	if (!rc) rc = audit(d, who, "settings", "设置", key, secret ? "（已隐藏）" : old, secret ? "（已更改）" : value, now);
	free(old);
	return finish(d, rc, e);   /* site_config_set bumped the site generation */
}

static int board_name_ok(const char *name, struct forum_err *e) {
	size_t n = utf8_chars(name);
	if (!n || n > FORUM_NAME_MAX || strpbrk(name, "|\r\n")) {
		forum_fail(e, FORUM_E_INVALID, "版块名称须为 1-%d 个字符，不能包含 | 或换行。", FORUM_NAME_MAX);
		return -1;
	}
	return 0;
}

int admin_boards(db *d, arena *a, struct admin_board **out, int *n) {
	db_stmt *s = db_prep(d, "SELECT b.fid, b.cid, b.threads, b.requiretype, b.name, b.description, c.name, "
	                        "b.types, b.rules, b.icon, b.parent FROM board b JOIN category c ON c.cid = b.cid "
	                        "ORDER BY c.displayorder, c.cid, b.displayorder, b.fid");
	int cap = 16, rc;
	struct admin_board *bs = arena_alloc(a, sizeof *bs * (size_t)cap);
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			struct admin_board *nb = arena_alloc(a, sizeof *nb * (size_t)cap * 2);
			memcpy(nb, bs, sizeof *bs * (size_t)cap);
			bs = nb;
			cap *= 2;
		}
		struct admin_board *b = &bs[(*n)++];
		b->fid = db_int(s, 0);
		b->cid = db_int(s, 1);
		b->threads = db_int(s, 2);
		b->requiretype = (int)db_int(s, 3);
		b->name = arena_strdup(a, db_text(s, 4));
		b->description = arena_strdup(a, db_text(s, 5));
		b->category = arena_strdup(a, db_text(s, 6));
		/* "id|name\n" lines as the board row keeps them -> "name,name" */
		buf t;
		buf_init(&t, 0);
		for (const char *p = db_text(s, 7); p && *p;) {
			const char *nl = strchr(p, '\n'), *bar = strchr(p, '|');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			if (bar && bar < p + len) buf_appendf(&t, "%s%.*s", t.len ? "," : "", (int)(len - (size_t)(bar + 1 - p)), bar + 1);
			p += len + (nl != NULL);
		}
		b->types = arena_strdup(a, t.len ? buf_cstr(&t) : "");
		buf_release(&t);
		b->rules = arena_strdup(a, db_text(s, 8));
		b->icon = (int)db_int(s, 9);
		b->parent = db_int(s, 10);
	}
	db_done(s);
	*out = bs;
	return rc == DB_DONE ? 0 : -1;
}

/* board fid's thread types become the names in csv, in that order, inside the caller's transaction */
static int set_types(db *d, int64_t fid, const char *csv, struct forum_err *e) {
	char *list = xstrdup(csv);
	const char *names[FORUM_MAX_TYPES];
	int n = 0, rc = 0;
	for (char *save = NULL, *t = strtok_r(list, ",，", &save); t; t = strtok_r(NULL, ",，", &save)) {
		while (*t == ' ') t++;
		size_t len = strlen(t);
		while (len && t[len - 1] == ' ') t[--len] = 0;
		if (!*t) continue;
		if (n == FORUM_MAX_TYPES || utf8_chars(t) > ADMIN_TYPE_MAX || strpbrk(t, "|\r\n")) {
			free(list);
			return forum_fail(e, FORUM_E_INVALID, "主题分类最多 %d 个，每个 1-%d 个字符，不能包含 | 或换行。", FORUM_MAX_TYPES,
			                  ADMIN_TYPE_MAX);
		}
		for (int k = 0; k < n; k++)
			if (!strcmp(names[k], t)) {
				forum_fail(e, FORUM_E_INVALID, "主题分类“%s”重复了。", t);   /* before t is freed */
				free(list);
				return FORUM_E_INVALID;
			}
		names[n++] = t;
	}
	/* types no longer listed: their threads lose the type */
	db_stmt *s = db_prep(d, "SELECT typeid, name FROM threadtype WHERE fid = $1");
	db_bind_int(s, 1, fid);
	int64_t gone[FORUM_MAX_TYPES * 2], ids[FORUM_MAX_TYPES] = {0};
	int ngone = 0, r;
	while ((r = db_step(s)) == DB_ROW) {
		int keep = -1;
		for (int k = 0; k < n; k++)
			if (!strcmp(names[k], db_text(s, 1))) keep = k;
		if (keep >= 0) ids[keep] = db_int(s, 0);
		else if (ngone < FORUM_MAX_TYPES * 2) gone[ngone++] = db_int(s, 0);
	}
	db_done(s);
	if (r != DB_DONE) rc = -1;
	for (int k = 0; !rc && k < ngone; k++) {
		s = db_prep(d, "UPDATE thread SET typeid = 0 WHERE fid = $1 AND typeid = $2");
		db_bind_int(s, 1, fid);
		db_bind_int(s, 2, gone[k]);
		rc = exec1(s);
		if (!rc) {
			s = db_prep(d, "DELETE FROM threadtype WHERE typeid = $1");
			db_bind_int(s, 1, gone[k]);
			rc = exec1(s);
		}
	}
	buf types;
	buf_init(&types, 0);
	for (int k = 0; !rc && k < n; k++) {
		if (ids[k]) {
			s = db_prep(d, "UPDATE threadtype SET displayorder = $2 WHERE typeid = $1");
			db_bind_int(s, 1, ids[k]);
			db_bind_int(s, 2, k + 1);
			rc = exec1(s);
		} else {
			s = db_prep(d, "INSERT INTO threadtype(fid, name, displayorder) VALUES ($1, $2, $3) RETURNING typeid");
			db_bind_int(s, 1, fid);
			db_bind_text(s, 2, names[k], -1);
			db_bind_int(s, 3, k + 1);
			rc = db_step(s) == DB_ROW ? 0 : -1;
			if (!rc) ids[k] = db_int(s, 0);
			db_done(s);
		}
		buf_appendf(&types, "%lld|%s\n", (long long)ids[k], names[k]);
	}
	if (!rc) {
		s = db_prep(d, "UPDATE board SET types = $2 WHERE fid = $1");
		db_bind_int(s, 1, fid);
		db_bind_text(s, 2, types.len ? buf_cstr(&types) : "", -1);
		rc = exec1(s);
	}
	buf_release(&types);
	free(list);
	return rc;
}

int admin_board_edit(db *d, const struct actor *who, int64_t fid, const struct admin_board_edit *b, time_t now,
                     struct forum_err *e) {
	if (denied(who, e)) return e->code;
	if (board_name_ok(b->name, e)) return e->code;
	if (strlen(b->description) > ADMIN_DESC_MAX) return forum_fail(e, FORUM_E_TOOBIG, "版块简介不能超过 %d 字节。", ADMIN_DESC_MAX);
	if (b->displayorder < -1000000 || b->displayorder > 1000000) return forum_fail(e, FORUM_E_INVALID, "显示顺序须在 -1000000 到 1000000 之间。");
	if (b->rules && strlen(b->rules) > ADMIN_RULES_MAX) return forum_fail(e, FORUM_E_TOOBIG, "版规不能超过 %d 字节。", ADMIN_RULES_MAX);
	if (b->icon != -1 && b->icon != 0 && !forum_board_icon(b->icon)) return forum_fail(e, FORUM_E_INVALID, "版块图标无效。");
	if (start(d, e)) return e->code;
	db_stmt *s = db_prep(d, "SELECT name, description, cid, displayorder, requiretype, rules, icon, parent FROM board WHERE fid = $1");
	db_bind_int(s, 1, fid);
	int rc = db_step(s);
	char old[2048 + ADMIN_RULES_MAX] = "";
	int64_t oldcid = 0, parent = b->parent;
	if (rc == DB_ROW) {
		snprintf(old, sizeof old, "名称=%s 简介=%s 分区=%lld 顺序=%lld 必选分类=%lld 上级=%lld 图标=%lld 版规=%s", db_text(s, 0),
		         db_text(s, 1), (long long)db_int(s, 2), (long long)db_int(s, 3), (long long)db_int(s, 4),
		         (long long)db_int(s, 7), (long long)db_int(s, 6), db_text(s, 5));
		oldcid = db_int(s, 2);
		if (parent < 0) parent = db_int(s, 7);
	}
	db_done(s);
	if (rc != DB_ROW) return finish(d, rc == DB_DONE ? forum_fail_en(e, FORUM_E_NOTFOUND, "no such board", "版块不存在。") : -1, e);
	s = db_prep(d, "SELECT 1 FROM category WHERE cid = $1");
	db_bind_int(s, 1, b->cid);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_ROW) return finish(d, rc == DB_DONE ? forum_fail(e, FORUM_E_INVALID, "分区不存在。") : -1, e);
	if (forum_board_parent_check(d, fid, b->cid, parent, e)) return finish(d, e->code, e);
	if (b->cid != oldcid) {   /* its sub-boards follow it into the new category */
		s = db_prep(d, "UPDATE board SET cid = $2 WHERE parent = $1");
		db_bind_int(s, 1, fid);
		db_bind_int(s, 2, b->cid);
		rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE) return finish(d, -1, e);
	}
	s = db_prep(d, "UPDATE board SET name = $2, description = $3, cid = $4, displayorder = $5, requiretype = $6, parent = $7 "
	               "WHERE fid = $1");
	db_bind_int(s, 1, fid);
	db_bind_text(s, 2, b->name, -1);
	db_bind_text(s, 3, b->description, -1);
	db_bind_int(s, 4, b->cid);
	db_bind_int(s, 5, b->displayorder);
	db_bind_int(s, 6, b->requiretype != 0);
	db_bind_int(s, 7, parent);
	rc = db_step(s) == DB_DONE ? 0 : -1;
	db_done(s);
	if (!rc && (b->rules || b->icon >= 0)) {
		s = db_prep(d, "UPDATE board SET rules = COALESCE($2, rules), icon = CASE WHEN $3 < 0 THEN icon ELSE $3 END WHERE fid = $1");
		db_bind_int(s, 1, fid);
		if (b->rules) db_bind_text(s, 2, b->rules, -1);
		else db_bind_null(s, 2);
		db_bind_int(s, 3, b->icon);
		rc = db_step(s) == DB_DONE ? 0 : -1;
		db_done(s);
	}
	if (!rc && b->types) rc = set_types(d, fid, b->types, e);
	char target[32], nv[2048 + ADMIN_RULES_MAX];
	snprintf(target, sizeof target, "fid %lld", (long long)fid);
	snprintf(nv, sizeof nv, "名称=%s 简介=%s 分区=%lld 顺序=%lld 必选分类=%d%s%s 上级=%lld 图标=%d 版规=%s", b->name, b->description,
	         (long long)b->cid, (long long)b->displayorder, b->requiretype != 0, b->types ? " 分类=" : "", b->types ? b->types : "",
	         (long long)parent, b->icon, b->rules ? b->rules : "(未改)");
	if (!rc) rc = audit(d, who, "boards", "编辑版块", target, old, nv, now);
	if (!rc) cachegen_bump_board(d, fid);
	if (!rc) cachegen_bump_site(d);   /* names, parents and order show on the index, sub-boards' pages and breadcrumbs */
	return done(d, rc, e);
}

int admin_board_create(db *d, const struct actor *who, int64_t cid, const char *name, const char *desc, time_t now,
                       int64_t *fid, struct forum_err *e) {
	if (denied(who, e)) return e->code;
	if (board_name_ok(name, e)) return e->code;
	if (strlen(desc) > ADMIN_DESC_MAX) return forum_fail(e, FORUM_E_TOOBIG, "版块简介不能超过 %d 字节。", ADMIN_DESC_MAX);
	if (start(d, e)) return e->code;
	db_stmt *s = db_prep(d, "SELECT 1 FROM category WHERE cid = $1");
	db_bind_int(s, 1, cid);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_ROW) return finish(d, rc == DB_DONE ? forum_fail(e, FORUM_E_INVALID, "分区不存在。") : -1, e);
	rc = forum_board_add(d, cid, name, desc, NULL, fid, e);
	char target[32];
	snprintf(target, sizeof target, "fid %lld", (long long)*fid);
	if (!rc) rc = audit(d, who, "boards", "新建版块", target, "", name, now);
	return done(d, rc, e);
}

static int exec1(db_stmt *s) {
	int rc = db_step(s) == DB_DONE ? 0 : -1;
	db_done(s);
	return rc;
}

int admin_board_delete(db *d, const struct actor *who, int64_t fid, int64_t move_to, time_t now, struct forum_err *e) {
	if (denied(who, e)) return e->code;
	if (move_to == fid) return forum_fail(e, FORUM_E_INVALID, "不能把主题移到要删除的版块。");
	if (start(d, e)) return e->code;
	db_stmt *s = db_prep(d, "SELECT name, (SELECT COUNT(*) FROM thread WHERE fid = $1), "
	                        "(SELECT COUNT(*) FROM board WHERE parent = $1) FROM board WHERE fid = $1");
	db_bind_int(s, 1, fid);
	int rc = db_step(s);
	char name[512] = "";
	int64_t nthreads = 0, nsubs = 0;
	if (rc == DB_ROW) {
		snprintf(name, sizeof name, "%s", db_text(s, 0));
		nthreads = db_int(s, 1);
		nsubs = db_int(s, 2);
	}
	db_done(s);
	if (rc != DB_ROW) return finish(d, rc == DB_DONE ? forum_fail_en(e, FORUM_E_NOTFOUND, "no such board", "版块不存在。") : -1, e);
	if (nsubs) return finish(d, forum_fail(e, FORUM_E_INVALID, "该版块还有 %lld 个子版块：请先把它们移走或删除。", (long long)nsubs), e);
	rc = 0;
	if (nthreads) {
		if (!move_to) return finish(d, forum_fail(e, FORUM_E_INVALID, "版块中还有 %lld 个主题：请选择把它们移到哪个版块。", (long long)nthreads), e);
		s = db_prep(d, "SELECT 1 FROM board WHERE fid = $1");
		db_bind_int(s, 1, move_to);
		int r2 = db_step(s);
		db_done(s);
		if (r2 != DB_ROW) return finish(d, r2 == DB_DONE ? forum_fail_en(e, FORUM_E_INVALID, "no such target board", "目标版块不存在。") : -1, e);
		s = db_prep(d, "UPDATE board SET threads = threads + (SELECT threads FROM board WHERE fid = $1), "
		               "posts = posts + (SELECT posts FROM board WHERE fid = $1) WHERE fid = $2");
		db_bind_int(s, 1, fid);
		db_bind_int(s, 2, move_to);
		rc = exec1(s);
		if (!rc) {
			s = db_prep(d, "UPDATE thread SET fid = $2, typeid = 0 WHERE fid = $1");
			db_bind_int(s, 1, fid);
			db_bind_int(s, 2, move_to);
			rc = exec1(s);
		}
		if (!rc) {
			s = db_prep(d, "UPDATE post SET fid = $2 WHERE fid = $1");
			db_bind_int(s, 1, fid);
			db_bind_int(s, 2, move_to);
			rc = exec1(s);
		}
	}
	for (int i = 0; !rc && i < 4; i++) {
		switch (i) {   /* one literal per statement: db_prep takes string literals */
		case 0: s = db_prep(d, "DELETE FROM threadtype WHERE fid = $1"); break;
		case 1: s = db_prep(d, "DELETE FROM board_perm WHERE fid = $1"); break;
		case 2: s = db_prep(d, "DELETE FROM credit_rule WHERE fid = $1"); break;
		default: s = db_prep(d, "DELETE FROM board WHERE fid = $1"); break;
		}
		db_bind_int(s, 1, fid);
		rc = exec1(s);
	}
	char target[32], nv[64];
	snprintf(target, sizeof target, "fid %lld", (long long)fid);
	snprintf(nv, sizeof nv, nthreads ? "%lld 个主题移到 fid %lld" : "空版块", (long long)nthreads, (long long)move_to);
	if (!rc) rc = audit(d, who, "boards", "删除版块", target, name, nv, now);
	if (!rc) {
		cachegen_bump_board(d, fid);
		if (move_to) cachegen_bump_board(d, move_to);
	}
	return done(d, rc, e);
}

int admin_board_mod(db *d, const struct actor *who, int64_t fid, const char *name, int remove, time_t now, struct forum_err *e) {
	if (denied(who, e)) return e->code;
	if (start(d, e)) return e->code;
	int rc = mod_set(d, who, fid, name, remove, e);   /* nested in this transaction with its audit row */
	char target[32];
	snprintf(target, sizeof target, "fid %lld", (long long)fid);
	if (!rc) rc = audit(d, who, "boards", remove ? "撤销版主" : "任命版主", target, remove ? name : "", remove ? "" : name, now);
	if (!rc) cachegen_bump_board(d, fid);
	rc = done(d, rc, e);
	if (!rc) mod_load(d);   /* mod_set loaded the cache before the commit: load it again */
	return rc;
}

/* ---- IP 禁止 (ban.c's ipban_add/ipban_delete with their audit rows; no page shows them: no bump) ---- */

int admin_ipban_add(db *d, const struct actor *who, const char *cidr, int64_t seconds, const char *reason, time_t now,
                    int64_t *id, struct forum_err *e) {
	if (denied(who, e)) return e->code;
	if (start(d, e)) return e->code;
	int rc = ipban_add(d, who, cidr, seconds, reason, now, id, e);
	char term[32], nv[BAN_REASON_MAX * 4 + 64];
	if (!seconds) snprintf(term, sizeof term, "永久");
	else if (seconds % 86400) snprintf(term, sizeof term, "%lld 秒", (long long)seconds);
	else snprintf(term, sizeof term, "%lld 天", (long long)(seconds / 86400));
	snprintf(nv, sizeof nv, "%s%s%s", term, reason && *reason ? "，理由：" : "", reason ? reason : "");
	if (!rc) rc = audit(d, who, "ipbans", "IP 禁止", cidr, "", nv, now);
	return finish(d, rc, e);
}

int admin_ipban_delete(db *d, const struct actor *who, int64_t id, time_t now, struct forum_err *e) {
	if (denied(who, e)) return e->code;
	if (start(d, e)) return e->code;
	char cidr[IPBAN_CIDR_MAX + 1] = "";
	db_stmt *s = db_prep(d, "SELECT cidr FROM ipban WHERE id = $1");
	db_bind_int(s, 1, id);
	if (db_step(s) == DB_ROW) snprintf(cidr, sizeof cidr, "%s", db_text(s, 0));
	db_done(s);
	int rc = ipban_delete(d, who, id, e);
	if (!rc) rc = audit(d, who, "ipbans", "解除 IP 禁止", cidr, cidr, "", now);
	return finish(d, rc, e);
}

int admin_board_approval(db *d, const struct actor *who, int64_t fid, int kinds, const char *groups, time_t now,
                         struct forum_err *e) {
	if (denied(who, e)) return e->code;
	char oldg[APPROVE_GROUPS_MAX + 1] = "", ov[APPROVE_GROUPS_MAX + 64], nv[APPROVE_GROUPS_MAX + 64], target[32];
	int oldk = approval_get(fid, oldg, sizeof oldg);
	snprintf(ov, sizeof ov, "主题%d 回复%d 组=%s", !!(oldk & APPROVE_THREADS), !!(oldk & APPROVE_REPLIES), oldg);
	snprintf(nv, sizeof nv, "主题%d 回复%d 组=%.*s", !!(kinds & APPROVE_THREADS), !!(kinds & APPROVE_REPLIES),
	         APPROVE_GROUPS_MAX, groups);
	snprintf(target, sizeof target, "fid %lld", (long long)fid);
	if (start(d, e)) return e->code;
	int rc = approval_set(d, fid, kinds, groups, e);   /* checks kinds, the group list and its limit */
	if (!rc) rc = audit(d, who, "boards", "审核设置", target, ov, nv, now);
	rc = done(d, rc, e);
	if (!rc) approval_load(d);   /* approval_set loaded the cache before the commit */
	return rc;
}

int admin_board_perm(db *d, const struct actor *who, int64_t fid, int64_t gid, const int allow[4], time_t now,
                     struct forum_err *e) {
	if (denied(who, e)) return e->code;
	if (!group_get(gid)->gid) return forum_fail(e, FORUM_E_INVALID, "用户组不存在。");
	int old[4];
	int had = perm_board_get(fid, gid, old);
	if (start(d, e)) return e->code;
	int rc = perm_set(d, fid, gid, allow[0], allow[1], allow[2], allow[3], e);
	char target[48], ov[48], nv[48];
	snprintf(target, sizeof target, "fid %lld 组 %lld", (long long)fid, (long long)gid);
	snprintf(ov, sizeof ov, had ? "浏览%d 发帖%d 回复%d 上传%d" : "默认", old[0], old[1], old[2], old[3]);
	snprintf(nv, sizeof nv, "浏览%d 发帖%d 回复%d 上传%d", allow[0], allow[1], allow[2], allow[3]);
	if (!rc) rc = audit(d, who, "boards", "版块权限", target, ov, nv, now);
	if (!rc) cachegen_bump_board(d, fid);
	return done(d, rc, e);
}

int admin_group_edit(db *d, const struct actor *who, int64_t gid, const struct admin_group_edit *g, time_t now,
                     struct forum_err *e) {
	if (denied(who, e)) return e->code;
	const struct group *og = group_get(gid);
	if (!og->gid) return forum_fail(e, FORUM_E_NOTFOUND, "用户组不存在。");
	size_t tl = strlen(g->title);
	if (!tl || tl > ADMIN_TITLE_MAX || strpbrk(g->title, "\r\n"))
		return forum_fail(e, FORUM_E_INVALID, "组头衔须为 1-%d 字节，不能换行。", ADMIN_TITLE_MAX);
	if (g->stars < 0 || g->stars > ADMIN_STARS_MAX) return forum_fail(e, FORUM_E_INVALID, "星星数须在 0 到 %d 之间。", ADMIN_STARS_MAX);
	if (g->lower < -ADMIN_CREDITS_MAX || g->lower > ADMIN_CREDITS_MAX || g->higher < -ADMIN_CREDITS_MAX ||
	    g->higher > ADMIN_CREDITS_MAX || (!strcmp(og->type, "member") && g->higher <= g->lower))
		return forum_fail(e, FORUM_E_INVALID, "积分上下限须在 ±%lld 之内，且上限大于下限。", ADMIN_CREDITS_MAX);
	char ov[256], nv[256], target[32];
	snprintf(ov, sizeof ov, "%s 星%d 积分%lld~%lld 访问%d 发帖%d 回复%d", og->title, og->stars, (long long)og->lower,
	         (long long)og->higher, og->allowvisit, og->allowpost, og->allowreply);
	snprintf(nv, sizeof nv, "%s 星%lld 积分%lld~%lld 访问%d 发帖%d 回复%d", g->title, (long long)g->stars, (long long)g->lower,
	         (long long)g->higher, g->allow[0], g->allow[1], g->allow[2]);
	snprintf(target, sizeof target, "组 %lld", (long long)gid);
	if (start(d, e)) return e->code;
	db_stmt *s = db_prep(d, "UPDATE usergroup SET title = $2, stars = $3, creditslower = $4, creditshigher = $5, "
	                        "allowvisit = $6, allowpost = $7, allowreply = $8 WHERE groupid = $1");
	db_bind_int(s, 1, gid);
	db_bind_text(s, 2, g->title, -1);
	db_bind_int(s, 3, g->stars);
	db_bind_int(s, 4, g->lower);
	db_bind_int(s, 5, g->higher);
	for (int i = 0; i < 3; i++) db_bind_int(s, 6 + i, g->allow[i] != 0);
	int rc = exec1(s);
	if (!rc) rc = audit(d, who, "groups", "编辑用户组", target, ov, nv, now);
	rc = done(d, rc, e);
	if (!rc) groups_load(d);   /* this node at once; the others at their next reload */
	return rc;
}

int admin_rate_set(db *d, const struct actor *who, int64_t gid, int ext, int64_t min, int64_t max, int64_t quota, time_t now,
                   struct forum_err *e) {
	if (denied(who, e)) return e->code;
	if (!group_get(gid)->gid) return forum_fail(e, FORUM_E_NOTFOUND, "用户组不存在。");
	if (ext < 1 || ext > CREDIT_TYPES) return forum_fail(e, FORUM_E_INVALID, "积分类型须为 1-%d。", CREDIT_TYPES);
	if (min > max || min < -ADMIN_CREDITS_MAX || max > ADMIN_CREDITS_MAX || quota < 0 || quota > ADMIN_CREDITS_MAX)
		return forum_fail(e, FORUM_E_INVALID, "评分范围须下限不大于上限，每日额度不小于 0。");
	char target[48], nv[96];
	snprintf(target, sizeof target, "组 %lld ext%d", (long long)gid, ext);
	snprintf(nv, sizeof nv, "%lld~%lld 每日 %lld", (long long)min, (long long)max, (long long)quota);
	if (start(d, e)) return e->code;
	db_stmt *s;
	int rc;
	if (min == 0 && max == 0) {   /* no range: the group may not rate with this credit */
		s = db_prep(d, "DELETE FROM group_rate WHERE groupid = $1 AND ext = $2");
		db_bind_int(s, 1, gid);
		db_bind_int(s, 2, ext);
	} else {
		s = db_prep(d, "INSERT INTO group_rate(groupid, ext, minscore, maxscore, dailyquota) VALUES ($1, $2, $3, $4, $5) "
		               "ON CONFLICT(groupid, ext) DO UPDATE SET minscore = excluded.minscore, maxscore = excluded.maxscore, "
		               "dailyquota = excluded.dailyquota");
		db_bind_int(s, 1, gid);
		db_bind_int(s, 2, ext);
		db_bind_int(s, 3, min);
		db_bind_int(s, 4, max);
		db_bind_int(s, 5, quota);
	}
	rc = exec1(s);
	if (!rc) rc = audit(d, who, "groups", "评分范围", target, "", nv, now);
	rc = done(d, rc, e);
	if (!rc) groups_load(d);
	return rc;
}

int admin_categories(db *d, arena *a, struct admin_category **out, int *n) {
	db_stmt *s = db_prep(d, "SELECT cid, name FROM category ORDER BY displayorder, cid");
	int cap = 8, rc;
	struct admin_category *cs = arena_alloc(a, sizeof *cs * (size_t)cap);
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			struct admin_category *nc = arena_alloc(a, sizeof *nc * (size_t)cap * 2);
			memcpy(nc, cs, sizeof *cs * (size_t)cap);
			cs = nc;
			cap *= 2;
		}
		cs[*n].cid = db_int(s, 0);
		cs[(*n)++].name = arena_strdup(a, db_text(s, 1));
	}
	db_done(s);
	*out = cs;
	return rc == DB_DONE ? 0 : -1;
}

#define MEMBER_COLS "SELECT uid, groupid, regdate, lastvisit, posts, threads, credits, ext1, ext2, ext3, username, email, regip, " \
                    "warnings FROM member "
static void member_row(db_stmt *s, arena *a, struct admin_member *m) {
	m->uid = db_int(s, 0);
	m->groupid = db_int(s, 1);
	m->regdate = db_int(s, 2);
	m->lastvisit = db_int(s, 3);
	m->posts = db_int(s, 4);
	m->threads = db_int(s, 5);
	m->credits = db_int(s, 6);
	for (int i = 0; i < 3; i++) m->ext[i] = db_int(s, 7 + i);
	m->name = arena_strdup(a, db_text(s, 10));
	m->email = arena_strdup(a, db_text(s, 11));
	m->regip = arena_strdup(a, db_text(s, 12));
	m->warnings = db_int(s, 13);
}

int admin_member_search(db *d, arena *a, const char *q, struct admin_member **out, int *n) {
	char key[ADMIN_SEARCH_MAX * 4 + 16];
	if (user_name_key(q, key, sizeof key)) snprintf(key, sizeof key, "%s", q);
	db_stmt *s = db_prep(d, MEMBER_COLS "WHERE substr(username_key, 1, length($1)) = $1 OR email_key = lower($2) OR regip = $2 "
	                        "OR uid IN (SELECT authorid FROM post WHERE ip = $2) OR uid IN (SELECT uid FROM session WHERE ip = $2) "
	                        "ORDER BY uid LIMIT $3");
	db_bind_text(s, 1, key, -1);
	db_bind_text(s, 2, q, -1);
	db_bind_int(s, 3, ADMIN_SEARCH_ROWS);
	struct admin_member *ms = arena_alloc(a, sizeof *ms * ADMIN_SEARCH_ROWS);
	int rc;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW && *n < ADMIN_SEARCH_ROWS) member_row(s, a, &ms[(*n)++]);
	db_done(s);
	*out = ms;
	return rc == DB_ERR ? -1 : 0;
}

int admin_member(db *d, arena *a, int64_t uid, struct admin_member *m) {
	/* the member and their current ban (ban.c's table) in one query */
	db_stmt *s = db_prep(d, "SELECT m.uid, m.groupid, m.regdate, m.lastvisit, m.posts, m.threads, m.credits, m.ext1, m.ext2, "
	                        "m.ext3, m.username, m.email, m.regip, m.warnings, b.groupid, b.expires, b.reason FROM member m "
	                        "LEFT JOIN ban b ON b.id = (SELECT MAX(id) FROM ban WHERE uid = m.uid AND lifted = 0 "
	                        "AND (expires = 0 OR expires > $2)) WHERE m.uid = $1");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, (int64_t)time(NULL));
	int rc = db_step(s);
	if (rc == DB_ROW) {
		member_row(s, a, m);
		m->ban_type = db_int(s, 14);
		m->ban_expires = db_int(s, 15);
		m->ban_reason = arena_strdup(a, db_text(s, 16));
	}
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

#define ADMIN_IPS_MAX 50
int admin_member_ips(db *d, arena *a, int64_t uid, const char ***out, int *n) {
	db_stmt *s = db_prep(d, "SELECT ip, MAX(pid) AS last FROM post WHERE authorid = $1 AND ip <> '' GROUP BY ip "
	                        "ORDER BY last DESC LIMIT $2");
	db_bind_int(s, 1, uid);
	db_bind_int(s, 2, ADMIN_IPS_MAX);
	const char **ips = arena_alloc(a, sizeof *ips * ADMIN_IPS_MAX);
	int rc;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW && *n < ADMIN_IPS_MAX) ips[(*n)++] = arena_strdup(a, db_text(s, 0));
	db_done(s);
	*out = ips;
	return rc == DB_ERR ? -1 : 0;
}

int admin_member_group(db *d, const struct actor *who, int64_t uid, int64_t gid, time_t now, struct forum_err *e) {
	if (denied(who, e)) return e->code;
	if (!group_get(gid)->gid || gid == GROUP_GUEST) return forum_fail(e, FORUM_E_INVALID, "用户组不存在。");
	if (uid == who->uid && gid != GROUP_ADMIN) return forum_fail(e, FORUM_E_INVALID, "不能把自己移出管理员组。");
	if (start(d, e)) return e->code;
	db_stmt *s = db_prep(d, "SELECT groupid, username FROM member WHERE uid = $1");
	db_bind_int(s, 1, uid);
	int rc = db_step(s);
	int64_t old = rc == DB_ROW ? db_int(s, 0) : 0;
	char name[256] = "";
	if (rc == DB_ROW) snprintf(name, sizeof name, "%s", db_text(s, 1));
	db_done(s);
	if (rc != DB_ROW) return finish(d, rc == DB_DONE ? forum_fail(e, FORUM_E_NOTFOUND, "用户不存在。") : -1, e);
	rc = user_set_group(d, uid, gid);
	char target[300], ov[96], nv[96];
	snprintf(target, sizeof target, "%s (uid %lld)", name, (long long)uid);
	snprintf(ov, sizeof ov, "%s (%lld)", group_get(old)->title, (long long)old);
	snprintf(nv, sizeof nv, "%s (%lld)", group_get(gid)->title, (long long)gid);
	if (!rc) rc = audit(d, who, "users", "更改用户组", target, ov, nv, now);
	return done(d, rc, e);
}

#define ADMIN_NEW_PASSWORD_BYTES 6   /* 12 hex digits */
int admin_member_reset_password(db *d, arena *a, const struct actor *who, int64_t uid, time_t now, const char **pw,
                                struct forum_err *e) {
	if (denied(who, e)) return e->code;
	char plain[2 * ADMIN_NEW_PASSWORD_BYTES + 1], hash[PASSWORD_HASH_MAX];
	password_random_token(plain, sizeof plain, ADMIN_NEW_PASSWORD_BYTES);
	if (password_hash(plain, hash, sizeof hash)) return forum_fail(e, FORUM_E_DB, "无法生成密码。");
	if (start(d, e)) return e->code;
	db_stmt *s = db_prep(d, "UPDATE member SET pwhash = $2 WHERE uid = $1 RETURNING username");
	db_bind_int(s, 1, uid);
	db_bind_text(s, 2, hash, -1);
	int rc = db_step(s);
	char target[300] = "";
	if (rc == DB_ROW) snprintf(target, sizeof target, "%s (uid %lld)", db_text(s, 0), (long long)uid);
	db_done(s);
	if (rc != DB_ROW) return finish(d, rc == DB_DONE ? forum_fail(e, FORUM_E_NOTFOUND, "用户不存在。") : -1, e);
	s = db_prep(d, "DELETE FROM session WHERE uid = $1");
	db_bind_int(s, 1, uid);
	rc = exec1(s);
	if (!rc) rc = audit(d, who, "users", "重置密码", target, "", "（新密码已生成，登录已全部退出）", now);
	rc = finish(d, rc, e);
	if (!rc) *pw = arena_strdup(a, plain);
	return rc;
}

int admin_member_delete(db *d, const struct actor *who, int64_t uid, time_t now, struct forum_err *e) {
	if (denied(who, e)) return e->code;
	if (uid == who->uid) return forum_fail(e, FORUM_E_INVALID, "不能删除自己。");
	if (start(d, e)) return e->code;
	db_stmt *s = db_prep(d, "SELECT username, groupid, posts FROM member WHERE uid = $1");
	db_bind_int(s, 1, uid);
	int rc = db_step(s);
	char target[300] = "", ov[64] = "";
	int64_t gid = 0;
	if (rc == DB_ROW) {
		snprintf(target, sizeof target, "%s (uid %lld)", db_text(s, 0), (long long)uid);
		gid = db_int(s, 1);
		snprintf(ov, sizeof ov, "组 %lld，%lld 帖", (long long)gid, (long long)db_int(s, 2));
	}
	db_done(s);
	if (rc != DB_ROW) return finish(d, rc == DB_DONE ? forum_fail(e, FORUM_E_NOTFOUND, "用户不存在。") : -1, e);
	if (gid == GROUP_ADMIN) return finish(d, forum_fail(e, FORUM_E_INVALID, "不能删除管理员：请先更改其用户组。"), e);
	rc = 0;
	for (int i = 0; !rc && i < 8; i++) {
		switch (i) {   /* one literal per statement */
		case 0: s = db_prep(d, "DELETE FROM session WHERE uid = $1"); break;
		case 1: s = db_prep(d, "DELETE FROM login_device WHERE uid = $1"); break;
		case 2: s = db_prep(d, "DELETE FROM moderator WHERE uid = $1"); break;
		case 3: s = db_prep(d, "DELETE FROM ban WHERE uid = $1"); break;
		case 4: s = db_prep(d, "DELETE FROM credit_log WHERE uid = $1"); break;
		case 5: s = db_prep(d, "DELETE FROM favorite WHERE uid = $1"); break;     /* 收藏 (issue #15) */
		case 6: s = db_prep(d, "DELETE FROM mail_token WHERE uid = $1"); break;   /* links by mail (issue #15) */
		default: s = db_prep(d, "DELETE FROM member WHERE uid = $1"); break;
		}
		db_bind_int(s, 1, uid);
		rc = exec1(s);
	}
	if (!rc) rc = audit(d, who, "users", "删除用户", target, ov, "（已删除，帖子保留）", now);
	rc = done(d, rc, e);
	if (!rc) mod_load(d);
	return rc;
}

int admin_credit_rule(db *d, const struct actor *who, const struct credit_rule *r, time_t now, struct forum_err *e) {
	if (denied(who, e)) return e->code;
	for (int i = 0; i < 3; i++)
		if (r->ext[i] < -ADMIN_CREDITS_MAX || r->ext[i] > ADMIN_CREDITS_MAX)
			return forum_fail(e, FORUM_E_INVALID, "积分变化须在 ±%lld 之内。", ADMIN_CREDITS_MAX);
	if (start(d, e)) return e->code;
	int rc = credit_rule_set(d, r, e);
	char target[80], nv[160];
	snprintf(target, sizeof target, "%s fid %lld", r->action, (long long)r->fid);
	snprintf(nv, sizeof nv, "ext1 %+lld ext2 %+lld ext3 %+lld %s 上限 %lld", (long long)r->ext[0], (long long)r->ext[1],
	         (long long)r->ext[2], r->cycle, (long long)r->cap);
	if (!rc) rc = audit(d, who, "credits", "积分规则", target, "", nv, now);
	return done(d, rc, e);
}
