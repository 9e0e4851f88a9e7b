/*
** admin (pages): the admin panel /admin, Discuz!'s 管理中心 made plain: a
** left nav of areas, one page per area, every form a CSRF-checked POST that
** calls forum/admin.c (the change and its audit row in one transaction) and
** answers 303 back to the area, or the area again with the error inline.
** Admins only: everyone else gets 403 before anything is read.
**   /admin            站点设置 (the settings table, typed inputs)
**   /admin/boards     版块 (edit, reorder, move, create, delete, permissions)
**   /admin/groups     用户组 (titles, stars, credit bands, permissions, rating ranges)
**   /admin/users      用户 (search; /admin/users/{uid}: detail, group, password)
**   /admin/credits    积分 (credit rules)
**   /admin/ipbans     IP 禁止 (addresses and ranges refused registering and posting)
**   /admin/log        日志 (the admin audit log and the moderation log)
*/
#include "pages/page.h"
#include "forum/admin.h"
#include "forum/credit.h"
#include "forum/perm.h"
#include "forum/moderate.h"
#include "forum/approve.h"
#include "forum/ban.h"
#include "forum/cachegen.h"
#include "pages/urlparse.h"
#include "util/timefmt.h"
#include <stdlib.h>
#include <string.h>

/* the settings as the panel shows them: a name and a line of help in Chinese */
static const struct { const char *key, *label, *help; } labels[] = {
	{"site.name", "站点名称", "页面标题、页头和页脚中的论坛名称"},
	{"site.description", "站点简介", "显示在名称下的一句话"},
	{"site.timezone", "时区", "所有时间按此时区显示（tz 数据库名称，如 Asia/Shanghai、UTC）"},
	{"site.footer_links", "页脚链接", "格式：名称|网址,名称|网址"},
	{"site.url", "站点地址", "站点的网址（如 https://bbs.example.com）：用于规范链接、网站地图和 RSS；留空则用请求的 Host"},
	{"site.icp", "ICP 备案号", "显示在页脚，链接到 beian.miit.gov.cn"},
	{"site.police_filing", "公安备案号", "显示在页脚，链接到 beian.mps.gov.cn"},
	{"site.copyright", "版权信息", "页脚的版权行"},
	{"site.cookie_secure", "仅 HTTPS Cookie", "1：Cookie 只经 HTTPS 发送（在 HTTPS 反向代理之后时设置）"},
	{"auth.login_max_failures", "每账号登录失败次数", "统计时长内每个账号允许的登录失败次数"},
	{"auth.login_window", "登录失败统计时长（秒）", "登录失败次数在多少秒内累计"},
	{"auth.login_max_failures_ip", "每 IP 登录失败次数", "统计时长内每个 IP 允许的登录失败次数"},
	{"auth.register_max", "每 IP 注册次数", "注册统计时长内每个 IP 允许的注册次数"},
	{"auth.register_window", "注册统计时长（秒）", "注册次数在多少秒内累计"},
	{"auth.session_ttl", "登录有效期（秒）", "未勾选“记住我”时登录保持的秒数（访问时顺延）"},
	{"auth.session_ttl_remember", "“记住我”登录有效期（秒）", "勾选“记住我”时登录保持的秒数"},
	{"auth.login_max_failures_device", "每设备登录失败次数", "已登录过的设备（Cookie loulan_dev）在统计时长内允许的失败次数"},
	{"post.flood_seconds", "发帖间隔（秒）", "会员两次发帖之间至少间隔的秒数（0：不限制）"},
	{"credit.names", "积分名称", "扩展积分 1-3 的名称，用逗号分隔"},
	{"credit.show", "帖内显示的积分", "帖子作者栏显示哪些积分，用逗号分隔"},
	{"sitemap.urls_per_part", "网站地图每部分网址数", "sitemap.xml 每个分片最多列出的网址数"},
	{"search.max_per_minute", "每会员每分钟搜索次数", "超过则返回 429"},
	{"search.max_per_minute_ip", "每 IP 每分钟搜索次数", "游客和会员合计，超过则返回 429"},
	{"live.max_streams", "实时推送连接上限", "本节点同时打开的实时推送（新回复提示、未读数）连接数上限，超过返回 503；0 为关闭"},
	{"live.max_per_ip", "每个地址的实时推送连接数", "同一客户端地址同时打开的实时推送连接数上限，超过返回 429"},
	{"live.heartbeat", "实时推送心跳间隔（秒）", "空闲的实时推送连接每隔这么多秒发送一行注释，使代理不断开连接"},
	{"attach.max_size", "单个附件大小（字节）", "上传的单个文件最大字节数，超过则返回 413"},
	{"attach.max_per_post", "每帖附件数", "一个帖子最多使用的附件数"},
	{"attach.daily_bytes", "每日上传量（字节）", "按用户组：组号=字节数，逗号分隔；* 表示其他组，0 表示不限"},
	{"attach.types", "允许的附件类型", "默认允许的文件类型，用空格分隔"},
	{"attach.types_board", "版块附件类型", "替代默认类型的版块设置：版块号=类型;版块号=类型（如 2=jpg png;5=pdf）"},
	{"attach.types_group", "用户组附件类型", "用户组的类型列表，与版块的取交集：组号=类型;..."},
	{"attach.max_pixels", "图片最大像素", "宽×高×帧数（读自文件头），超过则返回 422"},
	{"attach.unused_ttl", "未用附件保留（秒）", "上传后没有帖子使用的附件，过多少秒删除"},
	{"attach.cache_bytes", "热图缓存（字节）", "每个进程在内存中保留的热门图片字节数（0：关闭）"},
	{"blob.store", "附件存储位置", "新附件存到哪里：db（数据库）或 s3"},
	{"blob.s3_endpoint", "S3 地址", "S3 兼容存储的网址，如 https://s3.example.com"},
	{"blob.s3_bucket", "S3 存储桶", "存放附件的存储桶名称"},
	{"blob.s3_region", "S3 区域", "存储桶所在区域"},
	{"blob.s3_key", "S3 访问密钥 ID", "S3 的 access key id"},
	{"blob.s3_secret", "S3 访问密钥", "S3 的 secret key；不在页面上显示，留空则不变"},
	/* mail and account recovery (issue #15) */
	{"smtp.host", "SMTP 服务器", "发送论坛邮件（找回密码、验证 Email）的 SMTP 服务器；留空则邮件留在队列中不发送"},
	{"smtp.port", "SMTP 端口", "25；starttls 常用 587，tls 常用 465"},
	{"smtp.user", "SMTP 用户名", "留空则不登录"},
	{"smtp.password", "SMTP 密码", "不在页面上显示，留空则不变"},
	{"smtp.from", "发件人地址", "论坛邮件的发件人，如 noreply@example.com"},
	{"smtp.tls", "SMTP 加密", "none 不加密；starttls 必须 STARTTLS；tls 一开始就用 TLS（465 端口）"},
	{"auth.reset_max", "找回密码邮件（每帐号）", "每个帐号在统计时段内最多收到的找回密码邮件数；超过后不再发送（页面回答不变）"},
	{"auth.reset_max_ip", "找回密码申请（每 IP）", "每个 IP 在统计时段内最多的找回密码申请数；超过后回答 429"},
	{"auth.reset_window", "找回密码统计时段（秒）", "上面两项的统计时段"},
	{"auth.verify_email", "注册验证 Email", "1：新会员须打开验证邮件中的链接后才能发帖（之前在“等待验证”用户组）"},
	{"credit.formula", "总积分公式", "总积分的计算方式，可用 posts、threads、digestposts、ext1-3 或积分名称"},
};

static const char *label_of(const char *key, const char **help) {
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (!strcmp(labels[i].key, key)) {
			*help = labels[i].help;
			return labels[i].label;
		}
	return key;   /* a setting added without a line here: its key and the table's help */
}

static struct actor admin_actor(page *p) { return page_actor(p); }

/* 1 if the viewer is an admin; else a 403 has been sent */
static int admin_only(page *p) {
	struct actor who = admin_actor(p);
	if (forum_is_admin(&who)) return 1;
	page_error(p, 403, "只有管理员可以进入管理中心。");
	return 0;
}

static void admin_render(page *p, int status, const char *area, const char *tname, const char *title, const char *err) {
	arena *a = p->a;
	tv_bool(a, p->v, arena_sprintf(a, "nav_%s", area), 1);
	tv_str(a, p->v, "csrf", p->me.csrf);
	tv_str(a, p->v, "area", title);
	if (err) tv_str(a, p->v, "error", err);
	const char *ok = http_query(p->r, "ok");
	if (ok && !err) tv_bool(a, p->v, "saved", 1);
	page_render(p, status, tname, arena_sprintf(a, "%s - 管理中心 - %s", title, p->site->name));
}

static void done(page *p, const char *to) { http_redirect(p->r, 303, to); }

/* a form integer: 0 ok; -1 when absent or not a number in [lo, hi] */
static int form_int(page *p, const char *name, int64_t lo, int64_t hi, int64_t *out) {
	return url_int(http_form(p->r, name), lo, hi, out);
}

static const char *form_str(page *p, const char *name) {
	const char *s = http_form(p->r, name);
	return s ? s : "";
}

/* ---- 站点设置 -------------------------------------------------------------------- */

/* the form; vals/errs: the submitted values and their errors (NULL: the stored values) */
static void settings_page(page *p, int status, const char **vals, const char **errs, const char *err) {
	arena *a = p->a;
	tv *list = tv_add_list(a, p->v, "settings");
	for (size_t i = 0; site_setting(i); i++) {
		const struct setting *t = site_setting(i);
		tv *m = tv_push_map(a, list);
		tv_str(a, m, "key", t->key);
		const char *help = t->help;
		tv_str(a, m, "label", label_of(t->key, &help));
		tv_str(a, m, "help", help);
		tv_str(a, m, "def", t->def);
		int secret = site_setting_secret(t->key);   /* never sent back to the browser */
		tv_bool(a, m, "secret", secret);
		tv_str(a, m, "value", secret ? "" : vals && vals[i] ? vals[i] : p->site->raw[i]);
		tv_bool(a, m, "int", t->type == SETTING_INT);
		tv_int(a, m, "lo", t->lo);
		tv_int(a, m, "hi", t->hi);
		tv_int(a, m, "max", SETTING_MAX);
		if (errs && errs[i]) tv_str(a, m, "err", errs[i]);
	}
	admin_render(p, status, "settings", "admin_settings", "站点设置", err);
}

void page_admin(page *p) {
	if (!admin_only(p)) return;
	settings_page(p, 200, NULL, NULL, NULL);
}

/* why VALUE was refused for T, in Chinese (settings.c's messages are the CLI's English) */
static const char *invalid_why(page *p, const struct setting *t, const char *value, const char *msg) {
	if (strlen(value) > SETTING_MAX) return arena_sprintf(p->a, "无效的值：不能超过 %d 字节。", SETTING_MAX);
	if (t->type == SETTING_INT)
		return arena_sprintf(p->a, "无效的值：须为 %lld 到 %lld 之间的整数。", (long long)t->lo, (long long)t->hi);
	if (!strcmp(t->key, "site.timezone")) return "无效的值：未知的时区（请用 Asia/Shanghai、UTC 这样的名称）。";
	if (!strcmp(t->key, "site.url")) return "无效的值：须为 http:// 或 https:// 开头的网址（如 https://bbs.example.com），末尾不带 /，不含空格、引号、? 和 #。";
	if (!strcmp(t->key, "credit.formula")) return "无效的值：公式无效（例：posts+5*digestposts+2*ext1+ext2+ext3）。";
	return arena_sprintf(p->a, "无效的值：%s", msg);
}

void page_admin_settings(page *p) {
	if (!admin_only(p)) return;
	struct actor who = admin_actor(p);
	size_t n = 0;
	while (site_setting(n)) n++;
	const char **vals = arena_alloc(p->a, sizeof *vals * n), **errs = arena_alloc(p->a, sizeof *errs * n);
	int bad = 0, status = 400;
	for (size_t i = 0; i < n; i++) {
		const struct setting *t = site_setting(i);
		vals[i] = http_form(p->r, t->key);
		errs[i] = NULL;
		if (!vals[i]) continue;   /* a form may post some of the settings */
		if (!*vals[i] && site_setting_secret(t->key)) continue;   /* a secret left empty keeps its value */
		struct forum_err e;
		int rc = admin_setting_set(p->db, &who, t->key, vals[i], p->now, &e);
		if (rc) {
			errs[i] = rc == FORUM_E_INVALID ? invalid_why(p, t, vals[i], e.msg) : arena_strdup(p->a, e.msg);
			if (rc != FORUM_E_INVALID) status = page_forum_status(rc);
			bad++;
		}
	}
	/* this node at once (the next page already shows the change; other nodes follow within a tick), and a
	   changed snapshot drops the pages cached meanwhile, as serve's reload does */
	int changed = 0;
	if (!site_reload(p->db, &changed) && changed) cachegen_bump_all(NULL);
	if (bad) {
		settings_page(p, status, vals, errs, arena_sprintf(p->a, "%d 项设置未保存，请修改标出的项。其余的已保存。", bad));
		return;
	}
	done(p, "/admin?ok=1");
}

/* ---- 版块 ------------------------------------------------------------------------ */

static const char *const perm_names[4] = {"浏览", "发帖", "回复", "上传"};

static void boards_page(page *p, int status, const char *err) {
	arena *a = p->a;
	struct admin_category *cs;
	int nc;
	struct admin_board *bs;
	int nb;
	if (admin_categories(p->db, a, &cs, &nc) || admin_boards(p->db, a, &bs, &nb)) {
		page_db_unavailable(p);
		return;
	}
	tv *cats = tv_add_list(a, p->v, "categories");
	for (int i = 0; i < nc; i++) {
		tv *m = tv_push_map(a, cats);
		tv_int(a, m, "cid", cs[i].cid);
		tv_str(a, m, "name", cs[i].name);
	}
	int64_t want = 0;
	const char *f = http_query(p->r, "fid");
	if (f && url_id(f, INT64_MAX, &want)) want = 0;   /* ?fid= opens that board's permissions; anything else none */
	tv *list = tv_add_list(a, p->v, "boards");
	for (int i = 0; i < nb; i++) {
		tv *m = tv_push_map(a, list);
		tv_int(a, m, "fid", bs[i].fid);
		tv_str(a, m, "name", bs[i].name);
		tv_str(a, m, "description", bs[i].description);
		tv_str(a, m, "category", bs[i].category);
		tv_int(a, m, "threads", bs[i].threads);
		tv_int(a, m, "order", i + 1);
		tv_str(a, m, "types", bs[i].types);
		tv_bool(a, m, "requiretype", bs[i].requiretype);
		tv_str(a, m, "rules", bs[i].rules);
		tv_int(a, m, "rules_max", ADMIN_RULES_MAX);
		tv *il = tv_add_list(a, m, "icons");   /* the fixed set: 0 无, then forum_board_icon's */
		for (int k = 0; k <= FORUM_BOARD_ICONS; k++) {
			const struct board_icon *ic = forum_board_icon(k);
			tv *x = tv_push_map(a, il);
			tv_int(a, x, "n", k);
			tv_str(a, x, "label", ic ? arena_sprintf(a, "%s %s", ic->glyph, ic->name) : "无图标");
			tv_bool(a, x, "sel", k == bs[i].icon);
		}
		char apg[APPROVE_GROUPS_MAX + 1] = "";
		int kinds = approval_get(bs[i].fid, apg, sizeof apg);   /* the cache of approve.c, no query */
		tv_bool(a, m, "ap_threads", kinds & APPROVE_THREADS);
		tv_bool(a, m, "ap_replies", kinds & APPROVE_REPLIES);
		tv_str(a, m, "ap_groups", arena_strdup(a, apg));
		char mods[1024];
		if (mod_names(bs[i].fid, mods, sizeof mods)) {   /* "a, b": the cache of moderate.c, no query */
			tv *ml = tv_add_list(a, m, "mods");
			char *save = NULL;
			for (char *t = strtok_r(mods, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
				while (*t == ' ') t++;
				if (*t) tv_push(a, ml, tv_new_str(a, arena_strdup(a, t)));
			}
		}
		tv *cl = tv_add_list(a, m, "cats");
		for (int k = 0; k < nc; k++) {
			tv *c = tv_push_map(a, cl);
			tv_int(a, c, "cid", cs[k].cid);
			tv_str(a, c, "name", cs[k].name);
			tv_bool(a, c, "sel", cs[k].cid == bs[i].cid);
		}
		tv *parents = tv_add_list(a, m, "parents");   /* 上级版块: boards that are no sub-board (checked on save) */
		for (int k = 0; k < nb; k++) {
			if (k == i || bs[k].parent) continue;
			tv *o = tv_push_map(a, parents);
			tv_int(a, o, "fid", bs[k].fid);
			tv_str(a, o, "name", bs[k].cid == bs[i].cid ? bs[k].name : arena_sprintf(a, "%s（%s）", bs[k].name, bs[k].category));
			tv_bool(a, o, "sel", bs[k].fid == bs[i].parent);
		}
		tv *others = tv_add_list(a, m, "others");
		for (int k = 0; k < nb; k++) {
			if (k == i) continue;
			tv *o = tv_push_map(a, others);
			tv_int(a, o, "fid", bs[k].fid);
			tv_str(a, o, "name", bs[k].name);
		}
		if (bs[i].fid != want) continue;
		tv_bool(a, m, "open", 1);
		tv *groups = tv_add_list(a, m, "groups");
		static const int64_t gids[] = {GROUP_ADMIN, GROUP_SUPERMOD, GROUP_MOD, GROUP_GUEST, GROUP_MEMBER_FIRST,
		                               GROUP_MEMBER_FIRST + 1, GROUP_MEMBER_FIRST + 2, GROUP_MEMBER_FIRST + 3};
		for (size_t g = 0; g < sizeof gids / sizeof gids[0]; g++) {
			const struct group *gr = group_get(gids[g]);
			if (!gr->gid) continue;
			int allow[4];
			int own = perm_board_get(bs[i].fid, gr->gid, allow);
			tv *gm = tv_push_map(a, groups);
			tv_int(a, gm, "gid", gr->gid);
			tv_str(a, gm, "title", gr->title);
			tv_bool(a, gm, "own", own);
			tv *fl = tv_add_list(a, gm, "flags");
			static const char *const fields[4] = {"view", "post", "reply", "upload"};
			for (int k = 0; k < 4; k++) {
				tv *x = tv_push_map(a, fl);
				tv_str(a, x, "field", fields[k]);
				tv_str(a, x, "name", perm_names[k]);
				tv_bool(a, x, "on", allow[k]);
			}
		}
	}
	admin_render(p, status, "boards", "admin_boards", "版块", err);
}

void page_admin_boards(page *p) {
	if (!admin_only(p)) return;
	boards_page(p, 200, NULL);
}

/* the outcome of a change: back to the area, or the area with the error */
static void outcome(page *p, int rc, const struct forum_err *e, void (*area)(page *, int, const char *), const char *to) {
	if (!rc) done(p, to);
	else if (rc == FORUM_E_DB) page_db_unavailable(p);
	else area(p, page_forum_status(rc), e->msg);
}

void page_admin_board_edit(page *p) {
	if (!admin_only(p)) return;
	int64_t fid;
	if (page_id(p, p->r->seg[0], &fid)) return;
	struct actor who = admin_actor(p);
	struct admin_board_edit b = {form_str(p, "name"), form_str(p, "description"), http_form(p->r, "types"), 0, 0,
	                             http_form(p->r, "requiretype") != NULL, http_form(p->r, "rules"), -1, -1};
	struct forum_err e;
	int64_t icon = -1;
	int rc;
	if (form_int(p, "cid", 1, INT64_MAX, &b.cid) || form_int(p, "order", -1000000, 1000000, &b.displayorder))
		rc = forum_fail(&e, FORUM_E_INVALID, "分区和显示顺序须为数字（顺序 -1000000 到 1000000）。");
	else if (http_form(p->r, "parent") && form_int(p, "parent", 0, INT64_MAX, &b.parent))   /* absent: unchanged */
		rc = forum_fail(&e, FORUM_E_INVALID, "上级版块无效。");
	else if (http_form(p->r, "icon") && form_int(p, "icon", 0, FORUM_BOARD_ICONS, &icon))
		rc = forum_fail(&e, FORUM_E_INVALID, "版块图标无效。");
	else {
		b.icon = (int)icon;
		rc = admin_board_edit(p->db, &who, fid, &b, p->now, &e);
	}
	outcome(p, rc, &e, boards_page, "/admin/boards?ok=1");
}

void page_admin_board_new(page *p) {
	if (!admin_only(p)) return;
	struct actor who = admin_actor(p);
	int64_t cid, fid = 0;
	struct forum_err e;
	int rc;
	if (form_int(p, "cid", 1, INT64_MAX, &cid)) rc = forum_fail(&e, FORUM_E_INVALID, "请选择分区。");
	else rc = admin_board_create(p->db, &who, cid, form_str(p, "name"), form_str(p, "description"), p->now, &fid, &e);
	outcome(p, rc, &e, boards_page, "/admin/boards?ok=1");
}

void page_admin_board_delete(page *p) {
	if (!admin_only(p)) return;
	int64_t fid, to = 0;
	if (page_id(p, p->r->seg[0], &fid)) return;
	struct actor who = admin_actor(p);
	const char *m = http_form(p->r, "moveto");
	struct forum_err e;
	int rc;
	if (m && *m && form_int(p, "moveto", 0, INT64_MAX, &to)) rc = forum_fail(&e, FORUM_E_INVALID, "目标版块无效。");
	else rc = admin_board_delete(p->db, &who, fid, to, p->now, &e);
	outcome(p, rc, &e, boards_page, "/admin/boards?ok=1");
}

void page_admin_board_perm(page *p) {
	if (!admin_only(p)) return;
	int64_t fid, gid;
	if (page_id(p, p->r->seg[0], &fid)) return;
	struct actor who = admin_actor(p);
	struct forum_err e;
	int rc;
	if (form_int(p, "gid", 1, INT64_MAX, &gid)) {
		rc = forum_fail(&e, FORUM_E_INVALID, "用户组无效。");
	} else {
		static const char *const fields[4] = {"view", "post", "reply", "upload"};
		int allow[4];
		for (int k = 0; k < 4; k++) allow[k] = http_form(p->r, fields[k]) != NULL;
		rc = admin_board_perm(p->db, &who, fid, gid, allow, p->now, &e);
	}
	outcome(p, rc, &e, boards_page, arena_sprintf(p->a, "/admin/boards?ok=1&fid=%lld#b%lld", (long long)fid, (long long)fid));
}

void page_admin_board_mod(page *p) {
	if (!admin_only(p)) return;
	int64_t fid;
	if (page_id(p, p->r->seg[0], &fid)) return;
	struct actor who = admin_actor(p);
	struct forum_err e;
	const char *name = form_str(p, "username");
	int rc = *name ? admin_board_mod(p->db, &who, fid, name, http_form(p->r, "remove") != NULL, p->now, &e)
	               : forum_fail(&e, FORUM_E_INVALID, "请填写用户名。");
	outcome(p, rc, &e, boards_page, arena_sprintf(p->a, "/admin/boards?ok=1#b%lld", (long long)fid));
}

void page_admin_board_approval(page *p) {
	if (!admin_only(p)) return;
	int64_t fid;
	if (page_id(p, p->r->seg[0], &fid)) return;
	struct actor who = admin_actor(p);
	struct forum_err e;
	int kinds = (http_form(p->r, "threads") ? APPROVE_THREADS : 0) | (http_form(p->r, "replies") ? APPROVE_REPLIES : 0);
	int rc = admin_board_approval(p->db, &who, fid, kinds, form_str(p, "groups"), p->now, &e);
	outcome(p, rc, &e, boards_page, arena_sprintf(p->a, "/admin/boards?ok=1#b%lld", (long long)fid));
}

/* ---- 用户组 ---------------------------------------------------------------------- */

#define ADMIN_GROUPS_MAX 64
static void groups_page(page *p, int status, const char *err) {
	arena *a = p->a;
	tv *list = tv_add_list(a, p->v, "groups");
	struct credit_names cn;
	credit_names(&cn);
	for (int64_t gid = 1; gid <= ADMIN_GROUPS_MAX; gid++) {
		const struct group *g = group_get(gid);
		if (!g->gid) continue;
		tv *m = tv_push_map(a, list);
		tv_int(a, m, "gid", g->gid);
		tv_str(a, m, "title", g->title);
		tv_str(a, m, "type", !strcmp(g->type, "member") ? "会员" : "系统");
		tv_int(a, m, "stars", g->stars);
		tv_int(a, m, "lower", g->lower);
		tv_int(a, m, "higher", g->higher);
		tv_bool(a, m, "visit", g->allowvisit);
		tv_bool(a, m, "post", g->allowpost);
		tv_bool(a, m, "reply", g->allowreply);
		tv *rates = tv_add_list(a, m, "rates");
		for (int x = 1; x <= CREDIT_TYPES; x++) {
			struct group_rate r = {0};
			int has = credit_rate_range(gid, x, &r);
			tv *rm = tv_push_map(a, rates);
			tv_int(a, rm, "ext", x);
			tv_str(a, rm, "name", credit_name(a, x));
			tv_int(a, rm, "min", has ? r.min : 0);
			tv_int(a, rm, "max", has ? r.max : 0);
			tv_int(a, rm, "quota", has ? r.quota : 0);
		}
	}
	admin_render(p, status, "groups", "admin_groups", "用户组", err);
}

void page_admin_groups(page *p) {
	if (!admin_only(p)) return;
	groups_page(p, 200, NULL);
}

void page_admin_group_edit(page *p) {
	if (!admin_only(p)) return;
	int64_t gid;
	if (page_id(p, p->r->seg[0], &gid)) return;
	struct actor who = admin_actor(p);
	struct admin_group_edit g = {form_str(p, "title"), 0, 0, 0,
	                             {http_form(p->r, "visit") != NULL, http_form(p->r, "post") != NULL, http_form(p->r, "reply") != NULL}};
	struct forum_err e;
	int rc;
	if (form_int(p, "stars", 0, ADMIN_STARS_MAX, &g.stars) || form_int(p, "lower", -ADMIN_CREDITS_MAX, ADMIN_CREDITS_MAX, &g.lower) ||
	    form_int(p, "higher", -ADMIN_CREDITS_MAX, ADMIN_CREDITS_MAX, &g.higher))
		rc = forum_fail(&e, FORUM_E_INVALID, "星星数须为 0-%d，积分上下限须为 ±%lld 之内的整数。", ADMIN_STARS_MAX, ADMIN_CREDITS_MAX);
	else
		rc = admin_group_edit(p->db, &who, gid, &g, p->now, &e);
	outcome(p, rc, &e, groups_page, "/admin/groups?ok=1");
}

void page_admin_group_rate(page *p) {
	if (!admin_only(p)) return;
	int64_t gid, ext, min, max, quota;
	if (page_id(p, p->r->seg[0], &gid)) return;
	struct actor who = admin_actor(p);
	struct forum_err e;
	int rc;
	if (form_int(p, "ext", 1, CREDIT_TYPES, &ext) || form_int(p, "min", -ADMIN_CREDITS_MAX, ADMIN_CREDITS_MAX, &min) ||
	    form_int(p, "max", -ADMIN_CREDITS_MAX, ADMIN_CREDITS_MAX, &max) || form_int(p, "quota", 0, ADMIN_CREDITS_MAX, &quota))
		rc = forum_fail(&e, FORUM_E_INVALID, "评分范围须为整数。");
	else
		rc = admin_rate_set(p->db, &who, gid, (int)ext, min, max, quota, p->now, &e);
	outcome(p, rc, &e, groups_page, "/admin/groups?ok=1");
}

/* ---- 用户 ------------------------------------------------------------------------ */

static void member_tv(page *p, tv *m, const struct admin_member *u) {
	arena *a = p->a;
	tv_int(a, m, "uid", u->uid);
	tv_str(a, m, "name", u->name);
	tv_str(a, m, "email", u->email);
	tv_str(a, m, "regip", u->regip);
	tv_str(a, m, "group", group_get(u->groupid)->title);
	tv_int(a, m, "gid", u->groupid);
	tv_int(a, m, "posts", u->posts);
	tv_int(a, m, "threads", u->threads);
	tv_int(a, m, "credits", u->credits);
	tv_int(a, m, "warnings", u->warnings);
	tv_str(a, m, "regdate", timefmt_full(a, u->regdate));
	tv_str(a, m, "lastvisit", u->lastvisit ? timefmt_full(a, u->lastvisit) : "从未");
	tv *ex = tv_add_list(a, m, "ext");
	for (int i = 0; i < CREDIT_TYPES; i++) {
		tv *x = tv_push_map(a, ex);
		tv_str(a, x, "name", credit_name(a, i + 1));
		tv_int(a, x, "value", u->ext[i]);
	}
}

void page_admin_users(page *p) {
	if (!admin_only(p)) return;
	arena *a = p->a;
	const char *q = http_query(p->r, "q");
	if (q && strlen(q) > ADMIN_SEARCH_MAX) {
		admin_render(p, 400, "users", "admin_users", "用户", arena_sprintf(a, "搜索词不能超过 %d 字节。", ADMIN_SEARCH_MAX));
		return;
	}
	if (q && *q) {
		struct admin_member *ms;
		int n;
		if (admin_member_search(p->db, a, q, &ms, &n)) {
			page_db_unavailable(p);
			return;
		}
		tv_str(a, p->v, "q", q);
		tv_bool(a, p->v, "searched", 1);
		tv *list = tv_add_list(a, p->v, "members");
		for (int i = 0; i < n; i++) member_tv(p, tv_push_map(a, list), &ms[i]);
	}
	admin_render(p, 200, "users", "admin_users", "用户", NULL);
}

static void user_page(page *p, int64_t uid, int status, const char *err, const char *newpw) {
	arena *a = p->a;
	struct admin_member u;
	const char **ips;
	int nips;
	int rc = admin_member(p->db, a, uid, &u);
	if (rc < 0 || (rc == 1 && admin_member_ips(p->db, a, uid, &ips, &nips))) {
		page_db_unavailable(p);
		return;
	}
	if (!rc) {
		page_error(p, 404, "用户不存在。");
		return;
	}
	tv *um = tv_add_map(a, p->v, "u");
	member_tv(p, um, &u);
	if (u.ban_type) {   /* ban.c's current ban */
		tv_str(a, um, "ban", u.ban_type == GROUP_BANNED_VISIT ? "禁止访问" : "禁止发言");
		tv_str(a, um, "ban_until", u.ban_expires ? timefmt_full(a, u.ban_expires) : "永久");
		tv_str(a, um, "ban_reason", u.ban_reason);
	}
	tv *il = tv_add_list(a, p->v, "ips");
	for (int i = 0; i < nips; i++) tv_push(a, il, tv_new_str(a, ips[i]));
	tv *gl = tv_add_list(a, p->v, "groups");
	for (int64_t gid = 1; gid <= ADMIN_GROUPS_MAX; gid++) {
		const struct group *g = group_get(gid);
		if (!g->gid || gid == GROUP_GUEST) continue;
		tv *m = tv_push_map(a, gl);
		tv_int(a, m, "gid", gid);
		tv_str(a, m, "title", g->title);
		tv_bool(a, m, "sel", gid == u.groupid);
	}
	if (newpw) tv_str(a, p->v, "newpw", newpw);
	admin_render(p, status, "users", "admin_user", arena_sprintf(a, "用户 %s", u.name), err);
}

void page_admin_user(page *p) {
	if (!admin_only(p)) return;
	int64_t uid;
	if (page_id(p, p->r->seg[0], &uid)) return;
	user_page(p, uid, 200, NULL, NULL);
}

void page_admin_user_group(page *p) {
	if (!admin_only(p)) return;
	int64_t uid, gid;
	if (page_id(p, p->r->seg[0], &uid)) return;
	struct actor who = admin_actor(p);
	struct forum_err e;
	int rc = form_int(p, "gid", 1, INT64_MAX, &gid) ? forum_fail(&e, FORUM_E_INVALID, "用户组无效。")
	                                                 : admin_member_group(p->db, &who, uid, gid, p->now, &e);
	if (!rc) done(p, arena_sprintf(p->a, "/admin/users/%lld?ok=1", (long long)uid));
	else if (rc == FORUM_E_DB) page_db_unavailable(p);
	else if (rc == FORUM_E_NOTFOUND) page_error(p, 404, e.msg);
	else user_page(p, uid, page_forum_status(rc), e.msg, NULL);
}

void page_admin_user_password(page *p) {
	if (!admin_only(p)) return;
	int64_t uid;
	if (page_id(p, p->r->seg[0], &uid)) return;
	struct actor who = admin_actor(p);
	struct forum_err e;
	const char *pw = NULL;
	int rc = admin_member_reset_password(p->db, p->a, &who, uid, p->now, &pw, &e);
	if (rc == FORUM_E_DB) page_db_unavailable(p);
	else if (rc) page_error(p, page_forum_status(rc), e.msg);
	else user_page(p, uid, 200, NULL, pw);   /* the new password is shown once, never stored in plain */
}

void page_admin_user_delete(page *p) {
	if (!admin_only(p)) return;
	int64_t uid;
	if (page_id(p, p->r->seg[0], &uid)) return;
	struct actor who = admin_actor(p);
	struct forum_err e;
	int rc = http_form(p->r, "confirm") ? admin_member_delete(p->db, &who, uid, p->now, &e)
	                                     : forum_fail(&e, FORUM_E_INVALID, "请勾选“确认删除”。");
	if (!rc) done(p, "/admin/users?ok=1");
	else if (rc == FORUM_E_DB) page_db_unavailable(p);
	else if (rc == FORUM_E_NOTFOUND) page_error(p, 404, e.msg);
	else user_page(p, uid, page_forum_status(rc), e.msg, NULL);
}

/* ---- 积分 ------------------------------------------------------------------------ */

static void credits_page(page *p, int status, const char *err) {
	arena *a = p->a;
	struct credit_rule *rs;
	int n;
	if (credit_rules(p->db, a, 0, &rs, &n)) {
		page_db_unavailable(p);
		return;
	}
	tv *names = tv_add_list(a, p->v, "names");
	for (int x = 1; x <= CREDIT_TYPES; x++) tv_push(a, names, tv_new_str(a, credit_name(a, x)));
	tv *list = tv_add_list(a, p->v, "rules");
	for (int i = 0; i < n; i++) {
		tv *m = tv_push_map(a, list);
		tv_str(a, m, "action", rs[i].action);
		tv_str(a, m, "name", rs[i].name);
		tv_int(a, m, "ext1", rs[i].ext[0]);
		tv_int(a, m, "ext2", rs[i].ext[1]);
		tv_int(a, m, "ext3", rs[i].ext[2]);
		tv_int(a, m, "cap", rs[i].cap);
		tv *cy = tv_add_list(a, m, "cycles");
		static const char *const cycles[3][2] = {{"once", "一次"}, {"daily", "每天"}, {"unlimited", "不限"}};
		for (int k = 0; k < 3; k++) {
			tv *c = tv_push_map(a, cy);
			tv_str(a, c, "v", cycles[k][0]);
			tv_str(a, c, "name", cycles[k][1]);
			tv_bool(a, c, "sel", !strcmp(rs[i].cycle, cycles[k][0]));
		}
	}
	admin_render(p, status, "credits", "admin_credits", "积分", err);
}

void page_admin_credits(page *p) {
	if (!admin_only(p)) return;
	credits_page(p, 200, NULL);
}

void page_admin_credit_rule(page *p) {
	if (!admin_only(p)) return;
	struct actor who = admin_actor(p);
	struct credit_rule r = {form_str(p, "action"), "", form_str(p, "cycle"), 0, {0, 0, 0}, 0};
	struct forum_err e;
	int rc = 0;
	if (form_int(p, "ext1", -ADMIN_CREDITS_MAX, ADMIN_CREDITS_MAX, &r.ext[0]) ||
	    form_int(p, "ext2", -ADMIN_CREDITS_MAX, ADMIN_CREDITS_MAX, &r.ext[1]) ||
	    form_int(p, "ext3", -ADMIN_CREDITS_MAX, ADMIN_CREDITS_MAX, &r.ext[2]) || form_int(p, "cap", 0, ADMIN_CREDITS_MAX, &r.cap))
		rc = forum_fail(&e, FORUM_E_INVALID, "积分变化和次数上限须为整数（上限不小于 0）。");
	if (!rc) rc = admin_credit_rule(p->db, &who, &r, p->now, &e);
	outcome(p, rc, &e, credits_page, "/admin/credits?ok=1");
}

/* ---- IP 禁止 (forum/ban.c's rules, forum/admin.c's audit rows) -------------------------- */

static void ipbans_page(page *p, int status, const char *err) {
	arena *a = p->a;
	struct ipban_row *rs;
	int n;
	if (ipban_list(p->db, a, p->now, IPBAN_LIST_MAX, &rs, &n)) { page_db_unavailable(p); return; }
	tv *list = tv_add_list(a, p->v, "ipbans");
	for (int i = 0; i < n; i++) {
		tv *m = tv_push_map(a, list);
		tv_int(a, m, "id", rs[i].id);
		tv_str(a, m, "cidr", rs[i].cidr);
		tv_str(a, m, "reason", rs[i].reason);
		tv_str(a, m, "when", timefmt_short(a, rs[i].created));
		tv_str(a, m, "expires", rs[i].expires ? timefmt_short(a, rs[i].expires) : "永久");
	}
	page_ban_terms(p, 0);
	tv_int(a, p->v, "cidr_max", IPBAN_CIDR_MAX);
	admin_render(p, status, "ipbans", "admin_ipbans", "IP 禁止", err);
}

void page_admin_ipbans(page *p) {
	if (!admin_only(p)) return;
	ipbans_page(p, 200, NULL);
}

void page_modcp_ipbans_moved(page *p) { http_redirect(p->r, 301, "/admin/ipbans"); }

/* POST /admin/ipbans: cidr, days (a term of the list), reason */
void page_admin_ipban_add(page *p) {
	if (!admin_only(p)) return;
	struct actor who = admin_actor(p);
	struct forum_err e;
	int64_t days, id;
	int rc;
	if (form_int(p, "days", 0, BAN_DAYS_MAX, &days))
		rc = forum_fail(&e, FORUM_E_INVALID, "禁止期限无效（1 至 %d 天，或 0 表示永久）。", BAN_DAYS_MAX);
	else
		rc = admin_ipban_add(p->db, &who, form_str(p, "cidr"), days * 86400, form_str(p, "reason"), p->now, &id, &e);
	outcome(p, rc, &e, ipbans_page, "/admin/ipbans?ok=1");
}

void page_admin_ipban_delete(page *p) {
	if (!admin_only(p)) return;
	int64_t id;
	if (page_id(p, p->r->seg[0], &id)) return;
	struct actor who = admin_actor(p);
	struct forum_err e;
	int rc = admin_ipban_delete(p->db, &who, id, p->now, &e);
	outcome(p, rc, &e, ipbans_page, "/admin/ipbans?ok=1");
}

/* ---- 日志 ------------------------------------------------------------------------ */

void page_admin_log(page *p) {
	if (!admin_only(p)) return;
	arena *a = p->a;
	int64_t before = 0;
	const char *b = http_query(p->r, "before");
	if (b && page_id(p, b, &before)) return;
	struct admin_log_row *rs;
	int n;
	if (admin_log_list(p->db, a, before, ADMIN_LOG_PER_PAGE + 1, &rs, &n)) {
		page_db_unavailable(p);
		return;
	}
	int more = n > ADMIN_LOG_PER_PAGE;
	if (more) n = ADMIN_LOG_PER_PAGE;
	tv *list = tv_add_list(a, p->v, "log");
	for (int i = 0; i < n; i++) {
		tv *m = tv_push_map(a, list);
		tv_int(a, m, "id", rs[i].id);
		tv_int(a, m, "uid", rs[i].uid);
		tv_str(a, m, "username", rs[i].username);
		tv_str(a, m, "action", rs[i].action);
		tv_str(a, m, "target", rs[i].target);
		tv_str(a, m, "oldval", rs[i].oldval);
		tv_str(a, m, "newval", rs[i].newval);
		tv_str(a, m, "when", timefmt_full(a, rs[i].created));
	}
	if (more) tv_str(a, p->v, "next", arena_sprintf(a, "/admin/log?before=%lld", (long long)rs[n - 1].id));
	/* the moderation log (moderate.c), newest page; /modcp/log pages further */
	struct actor who = admin_actor(p);
	struct modlog_row *ms;
	int nm, mmore;
	if (modlog_list(p->db, a, &who, 0, &ms, &nm, &mmore)) {
		page_db_unavailable(p);
		return;
	}
	tv *ml = tv_add_list(a, p->v, "modlog");
	for (int i = 0; i < nm; i++) {
		tv *m = tv_push_map(a, ml);
		tv_int(a, m, "uid", ms[i].uid);
		tv_str(a, m, "username", ms[i].username);
		tv_str(a, m, "action", modlog_label(ms[i].action));
		tv_int(a, m, "tid", ms[i].tid);
		tv_int(a, m, "pid", ms[i].pid);
		tv_int(a, m, "fid", ms[i].fid);
		tv_str(a, m, "board", ms[i].board);
		tv_int(a, m, "target_uid", ms[i].target_uid);
		tv_str(a, m, "reason", ms[i].reason);
		tv_str(a, m, "when", timefmt_full(a, ms[i].created));
	}
	tv_bool(a, p->v, "modmore", mmore);
	admin_render(p, 200, "log", "admin_log", "日志", NULL);
}
