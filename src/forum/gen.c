/*
** gen: the bulk writer behind `loulan gen`: fills a forum with realistic
** synthetic content (boards in the category 生成数据, ~200 members, threads
** with a long tail of sizes, Chinese and English text, some BBCode and
** Markdown, optionally one very long thread) for tests and benchmarks.
**
** Built for speed, unlike the one-transaction-per-write path in write.c:
** thread and post rows are gathered in memory and written with the db
** layer's bulk load (db_copy: PostgreSQL COPY, SQLite a prepared INSERT) in
** batches of GEN_BATCH posts per transaction, threads first, with their ids
** given here (MAX(tid) + 1 onwards; the identity sequence is set after);
** bodies are rendered once into a small pool, and the counters (thread,
** board, member) are computed at the end by set-based UPDATEs from the rows
** themselves, so they equal the rows by construction. The SQL is the same on
** SQLite and PostgreSQL. No other writer may add threads meanwhile. On
** PostgreSQL into an empty forum the whole run is one transaction, and the
** thread and post tables lose their secondary indexes and foreign keys until
** the rows are in (copy_keys_drop, as `loulan copy` does): one sort per index
** and one join per key instead of work per row (31 s → 15 s for 1M posts).
*/
#include "forum/forum.h"
#include "forum/site.h"
#include "forum/read.h"
#include "forum/write.h"
#include "forum/user.h"
#include "forum/gen.h"
#include "forum/discover.h"
#include "forum/copy.h"
#include "util/buf.h"
#include "util/die.h"
#include "util/text.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GEN_BATCH 50000          /* rows per transaction */
#define GEN_POOL 1024            /* distinct pre-rendered bodies */
#define GEN_MAX_REPLY_WEIGHT 1500.0

/* ---- deterministic random numbers (splitmix64) ------------------------- */
static uint64_t rnd_next(uint64_t *s) {
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}
static double rnd_unit(uint64_t *s) { return (double)(rnd_next(s) >> 11) * 0x1.0p-53; }  /* [0, 1) */
static int64_t rnd_below(uint64_t *s, int64_t n) { return n > 0 ? (int64_t)(rnd_unit(s) * (double)n) : 0; }
#define PICK(s, arr) (arr)[rnd_below(s, (int64_t)(sizeof(arr) / sizeof(arr)[0]))]

/* ---- word lists ----------------------------------------------------------- */
static const char *const zh_subj[] = {"大家", "我们", "楼主", "朋友", "同事", "老师", "网友", "邻居", "家里人", "孩子"};
static const char *const zh_topic[] = {
	"周末出行", "房价", "新能源汽车", "考研", "装修", "育儿", "减肥", "健身计划", "手机换代", "宠物猫", "养花",
	"股票基金", "电脑配置", "路由器", "家常菜", "咖啡", "跑步", "摄影器材", "旅游攻略", "开源项目", "数据库优化",
	"Linux 服务器", "网络安全", "高铁出行", "物业管理", "小区停车", "夜市美食", "二手交易", "求职面试", "职场沟通",
};
static const char *const zh_verb[] = {"讨论一下", "聊聊", "请教", "分享", "吐槽", "总结", "推荐", "比较", "记录", "了解"};
static const char *const zh_adj[] = {"详细的", "简单的", "实用的", "最新的", "真实的", "靠谱的", "省钱的", "有趣的"};
static const char *const zh_tail[] = {
	"大家怎么看？", "求推荐！", "有没有懂的朋友？", "附上我的经验。", "欢迎补充。", "请大家指点一下。", "(长期更新)", "",
};
static const char *const zh_clause[] = {
	"说实话这个问题困扰我很久了", "我觉得关键还是要看个人情况", "最近身边很多人都在讨论这件事",
	"查了不少资料也没有找到满意的答案", "先说结论再说过程", "价格和质量之间总要做一些取舍",
	"上周试了一下效果还不错", "个人经验仅供参考", "如果有更好的办法欢迎告诉我", "时间久了就会发现细节很重要",
	"一开始我也走了不少弯路", "建议先从最简单的做起", "这里面其实有很多门道", "官方的说明写得不太清楚",
	"大部分人其实并不需要那么高的配置", "多看看别人的评价再做决定", "坚持下来才是最难的", "楼上说得很有道理",
};
static const char *const zh_end[] = {"。", "。", "。", "！", "？", "……", "，你们觉得呢？"};
static const char *const zh_short[] = {
	"顶", "沙发！", "支持一下", "感谢分享", "路过看看", "mark 一下", "学习了", "同意楼上", "楼主好人",
	"收藏了，回头细看", "哈哈哈哈", "不明觉厉", "已阅", "好帖，必须顶", "坐等更新", "+1",
};
static const char *const en_words[] = {
	"the", "server", "database", "forum", "thread", "really", "fast", "memory", "query", "index", "cache", "page",
	"users", "simple", "works", "well", "with", "without", "because", "after", "before", "update", "release",
	"version", "build", "test", "bug", "fix", "config", "network", "latency", "throughput", "design", "code",
};
static const struct { const char *pre, *post; } en_title[] = {
	{"How do I tune ", " for a small VPS?"}, {"Best way to learn ", " in 2026"}, {"", " vs the alternatives: my notes"},
	{"Is ", " still worth it?"}, {"Help: ", " keeps crashing after the update"}, {"Show: a tiny ", " tool I wrote"},
};
static const char *const en_topic[] = {"PostgreSQL", "SQLite", "nginx", "Rust", "Go", "C", "Linux", "Docker", "Vim",
                                       "a home NAS", "Raspberry Pi", "mechanical keyboards"};
static const char *const board_names[] = {
	"综合讨论", "数码产品", "汽车天地", "旅游摄影", "美食厨房", "亲子育儿", "职场人生", "房产家居", "编程开发",
	"游戏动漫", "影视音乐", "体育运动", "读书写作", "二手市场", "情感天地", "健康养生",
};
static const char *const nick_a[] = {"江南", "小马", "清风", "深海", "北方", "西瓜", "夜猫", "老王", "阿土", "白云",
                                     "code", "dev", "linux", "momo", "tiger", "lucky"};
static const char *const nick_b[] = {"烟雨", "过河", "少年", "老猫", "旅人", "大叔", "同学", "_fan", "_cat", "_007",
                                     "小白", "居士"};

struct pool_body { char *src, *html; const char *format; };

static void zh_sentence(uint64_t *s, buf *b) {
	int parts = 1 + (int)rnd_below(s, 3);
	for (int i = 0; i < parts; i++) {
		if (i) buf_puts(b, "，");
		switch (rnd_below(s, 3)) {
		case 0: buf_appendf(b, "%s%s%s", PICK(s, zh_subj), PICK(s, zh_verb), PICK(s, zh_topic)); break;
		case 1: buf_puts(b, PICK(s, zh_clause)); break;
		default: buf_appendf(b, "%s%s", PICK(s, zh_adj), PICK(s, zh_topic)); break;
		}
	}
	buf_puts(b, PICK(s, zh_end));
}

static void en_sentence(uint64_t *s, buf *b) {
	int n = 6 + (int)rnd_below(s, 12);
	for (int i = 0; i < n; i++) {
		const char *w = PICK(s, en_words);
		if (i == 0) buf_appendf(b, "%c%s", w[0] - 32 * (w[0] >= 'a' && w[0] <= 'z'), w + 1);
		else buf_appendf(b, " %s", w);
	}
	buf_puts(b, rnd_below(s, 5) ? ". " : "? ");
}

/* One body: mostly short replies, some paragraphs, a few long posts. */
static void make_body(uint64_t *s, buf *b, int first, int markdown) {
	buf_reset(b);
	int64_t kind = rnd_below(s, 100);
	if (!first && kind < 35) {
		buf_puts(b, PICK(s, zh_short));
		return;
	}
	int english = rnd_below(s, 100) < 15;
	int paras = first ? 1 + (int)rnd_below(s, 4) : (kind < 85 ? 1 : 2 + (int)rnd_below(s, 3));
	for (int p = 0; p < paras; p++) {
		if (p) buf_puts(b, "\n\n");
		int sentences = 1 + (int)rnd_below(s, first ? 6 : 4);
		int64_t deco = rnd_below(s, 100);
		if (markdown) {
			if (deco < 10) buf_puts(b, "> ");
			else if (deco < 18) buf_puts(b, "**");
		} else {
			if (deco < 8) buf_puts(b, "[quote]");
			else if (deco < 14) buf_puts(b, "[b]");
			else if (deco < 18) buf_puts(b, "[color=#e74c3c]");
		}
		for (int i = 0; i < sentences; i++) (english ? en_sentence : zh_sentence)(s, b);
		if (markdown) {
			if (deco >= 10 && deco < 18) buf_puts(b, "**");
		} else {
			if (deco < 8) buf_puts(b, "[/quote]");
			else if (deco < 14) buf_puts(b, "[/b]");
			else if (deco < 18) buf_puts(b, "[/color]");
		}
	}
	int64_t extra = rnd_below(s, 100);
	if (extra < 5) {
		buf_puts(b, markdown ? "\n\n```\n$ make -j2 && ./loulan serve\n```\n" : "\n[code]$ make -j2 && ./loulan serve[/code]");
	} else if (extra < 10) {
		if (markdown) buf_appendf(b, "\n\n参考：[链接](https://example.com/t/%d)", (int)rnd_below(s, 100000));
		else buf_appendf(b, "\n参考：[url=https://example.com/t/%d]这个帖子[/url]", (int)rnd_below(s, 100000));
	} else if (extra < 13 && !markdown) {
		buf_appendf(b, "\n[list]\n[*]%s\n[*]%s\n[*]%s\n[/list]", PICK(s, zh_topic), PICK(s, zh_topic), PICK(s, zh_topic));
	}
}

static int make_pool(uint64_t *s, struct pool_body *pool, struct forum_err *e) {
	buf b;
	buf_init(&b, 0);
	for (int i = 0; i < GEN_POOL; i++) {
		int md = rnd_below(s, 100) < 5;
		make_body(s, &b, i < GEN_POOL / 4, md);   /* the first quarter: first-floor bodies */
		pool[i].format = md ? "markdown" : "bbcode";
		pool[i].src = xstrdup(buf_cstr(&b));
		if (forum_cook(pool[i].format, pool[i].src, &pool[i].html)) {
			forum_fail(e, FORUM_E_INVALID, "cannot render a generated body");
			pool[i].html = NULL;
			buf_release(&b);
			return -1;
		}
	}
	buf_release(&b);
	return 0;
}

static void make_subject(uint64_t *s, buf *b, int64_t n) {
	buf_reset(b);
	if (rnd_below(s, 100) < 20) {
		int k = (int)rnd_below(s, (int64_t)(sizeof en_title / sizeof en_title[0]));
		buf_appendf(b, "%s%s%s", en_title[k].pre, PICK(s, en_topic), en_title[k].post);
		return;
	}
	switch (rnd_below(s, 4)) {
	case 0: buf_appendf(b, "%s%s%s，%s", PICK(s, zh_subj), PICK(s, zh_verb), PICK(s, zh_topic), PICK(s, zh_tail)); break;
	case 1: buf_appendf(b, "关于%s的几个问题 %s", PICK(s, zh_topic), PICK(s, zh_tail)); break;
	case 2: buf_appendf(b, "【%s】%s%s经验", PICK(s, zh_topic), PICK(s, zh_adj), PICK(s, zh_topic)); break;
	default: buf_appendf(b, "%s：%s（第 %lld 期）", PICK(s, zh_topic), PICK(s, zh_clause), (long long)(n % 997 + 1)); break;
	}
}

/* ---- the writer ------------------------------------------------------------ */

/* rows of the current batch, written by gen_flush */
struct gen_post { int64_t tid, fid, position, created; int user, body; };
struct gen_thread { int64_t tid, fid, typeid, created, views; int user, sticky; char *subject; };

struct gen {
	db *d;
	const struct gen_opts *o;
	uint64_t rnd;
	int64_t *uids; char **names; int nusers;
	struct pool_body pool[GEN_POOL];
	int64_t done, total, last_report;
	int64_t next_tid;
	struct gen_post *posts; int nposts;            /* at most GEN_BATCH */
	struct gen_thread *threads; int nthreads, cthreads;
	struct forum_err *e;
	int one_tx;                                    /* PostgreSQL, empty forum: one transaction, keys made at the end */
};

/* writes the batch's threads, then its posts, and commits; the next batch's transaction begins.
   COPY's binary format: every column is BIGINT or TEXT, and PostgreSQL has nothing to parse */
static int gen_flush(struct gen *g) {
	db *d = g->d;
	db_copy *c = db_copy_begin_binary(d, "thread", "tid, fid, typeid, subject, authorid, author, created, lastpost, "
	                                        "lastposter, sticky, views");
	int rc = c ? 0 : -1;
	for (int i = 0; i < g->nthreads && !rc; i++) {
		const struct gen_thread *t = &g->threads[i];
		db_copy_int(c, t->tid);
		db_copy_int(c, t->fid);
		db_copy_int(c, t->typeid);
		db_copy_text(c, t->subject, -1);
		db_copy_int(c, g->uids[t->user]);
		db_copy_text(c, g->names[t->user], -1);
		db_copy_int(c, t->created);
		db_copy_int(c, t->created);   /* lastpost, lastposter: placeholders for gen_counters */
		db_copy_text(c, g->names[t->user], -1);
		db_copy_int(c, t->sticky);
		db_copy_int(c, t->views);
		rc = db_copy_row(c);
	}
	if (c && db_copy_end(c)) rc = -1;
	c = rc ? NULL : db_copy_begin_binary(d, "post", "tid, fid, position, authorid, author, created, format, source, html");
	if (!c) rc = -1;
	for (int i = 0; i < g->nposts && !rc; i++) {
		const struct gen_post *p = &g->posts[i];
		const struct pool_body *b = &g->pool[p->body];
		db_copy_int(c, p->tid);
		db_copy_int(c, p->fid);
		db_copy_int(c, p->position);
		db_copy_int(c, g->uids[p->user]);
		db_copy_text(c, g->names[p->user], -1);
		db_copy_int(c, p->created);
		db_copy_text(c, b->format, -1);
		db_copy_text(c, b->src, -1);
		db_copy_text(c, b->html, -1);
		rc = db_copy_row(c);
	}
	if (c && db_copy_end(c)) rc = -1;
	for (int i = 0; i < g->nthreads; i++) free(g->threads[i].subject);
	g->nthreads = g->nposts = 0;
	if (rc) {
		forum_fail(g->e, FORUM_E_DB, "cannot write the generated rows: %s", db_errmsg(d));
		return -1;
	}
	if (!g->one_tx && (db_commit(d) || db_begin(d))) {
		forum_fail(g->e, FORUM_E_DB, "commit: %s", db_errmsg(d));
		return -1;
	}
	return 0;
}

/* PostgreSQL: other sessions on this database (a serving node keeps some), or -1 */
static int64_t others_connected(db *d) {
	db_stmt *s = db_prep(d, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
	                        "AND pid <> pg_backend_pid() AND backend_type = 'client backend'");
	int64_t n = db_step(s) == DB_ROW ? db_int(s, 0) : -1;
	db_done(s);
	return n;
}

/* active members post more: the square skews choices towards low indexes */
static int gen_user(struct gen *g) {
	double u = rnd_unit(&g->rnd);
	return (int)(u * u * g->nusers);
}

static int gen_users(struct gen *g, time_t now) {
	g->uids = xcalloc(GEN_USERS, sizeof *g->uids);
	g->names = xcalloc(GEN_USERS, sizeof *g->names);
	for (int i = 0; i < GEN_USERS; i++) {
		char name[64], key[256], skel[TEXT_SKELETON_MAX], email[96];
		snprintf(name, sizeof name, "%s%s%d", nick_a[i % 16], nick_b[(i / 16) % 12], i + 1);
		if (user_name_key(name, key, sizeof key) || user_name_skeleton(name, skel, sizeof skel)) {
			forum_fail(g->e, FORUM_E_INVALID, "BUG: generated user name %s is invalid", name);
			return -1;
		}
		snprintf(email, sizeof email, "gen%d@example.com", i + 1);
		/* no password: these members cannot log in */
		db_stmt *s = db_prep(g->d, "INSERT INTO member(username, username_key, email, email_key, groupid, regdate, lastvisit, "
		                           "name_skeleton) VALUES ($1, $2, $3, $3, $4, $5, $5, $6) ON CONFLICT DO NOTHING RETURNING uid");
		db_bind_text(s, 1, name, -1);
		db_bind_text(s, 2, key, -1);
		db_bind_text(s, 3, email, -1);
		db_bind_int(s, 4, group_for_credits(0));
		db_bind_int(s, 5, (int64_t)now - 86400 * 400 - rnd_below(&g->rnd, 86400 * 700));
		db_bind_text(s, 6, skel, -1);
		int rc = db_step(s);
		if (rc == DB_ROW) g->uids[i] = db_int(s, 0);
		db_done(s);
		if (rc == DB_DONE) {   /* made by an earlier run: reuse it */
			s = db_prep(g->d, "SELECT uid FROM member WHERE username_key = $1");
			db_bind_text(s, 1, key, -1);
			rc = db_step(s);
			if (rc == DB_ROW) g->uids[i] = db_int(s, 0);
			db_done(s);
		}
		if (rc != DB_ROW) {
			forum_fail(g->e, FORUM_E_DB, "cannot add member %s: %s", name, db_errmsg(g->d));
			return -1;
		}
		g->names[i] = xstrdup(name);
		g->nusers++;
	}
	return 0;
}

/* one post into the batch; a full batch is written */
static int gen_post(struct gen *g, int64_t tid, int64_t fid, int64_t position, time_t when, int user, int body) {
	g->posts[g->nposts++] = (struct gen_post){tid, fid, position, when, user, body};
	g->done++;
	if (g->o->progress && (g->done - g->last_report >= g->total / 200 + 1 || g->done == g->total)) {
		g->o->progress(g->o->ctx, g->done, g->total);
		g->last_report = g->done;
	}
	return g->nposts < GEN_BATCH ? 0 : gen_flush(g);
}

/*
** One thread of `floors` floors (>= 1), created at `created`; replies follow
** in time order, never later than now; a live thread's last floor is now. The thread row carries
** placeholder counters that the final UPDATEs replace.
*/
static int gen_thread(struct gen *g, int64_t fid, int64_t typeid, const char *subject, int sticky, time_t created,
                      time_t now, int64_t floors, int live, int64_t *tid_out) {
	int u = gen_user(g);
	if (g->nthreads == g->cthreads) {
		g->cthreads = g->cthreads ? 2 * g->cthreads : 1024;
		g->threads = realloc(g->threads, (size_t)g->cthreads * sizeof *g->threads);
		if (!g->threads) die_oom();
	}
	int64_t tid = g->next_tid++;
	g->threads[g->nthreads++] = (struct gen_thread){tid, fid, typeid, created,
	                                                floors * 3 + rnd_below(&g->rnd, floors * 20 + 50), u, sticky,
	                                                xstrdup(subject)};
	*tid_out = tid;
	/* first floor by the thread's author; the first quarter of the pool holds the longer bodies */
	if (gen_post(g, tid, fid, 1, created, u, (int)rnd_below(&g->rnd, GEN_POOL / 4))) return -1;
	/* replies: random gaps, at most three hours on average, never after now;
	   `live` threads are still going: their floors spread evenly up to now */
	double span = (double)(now - created);
	double gap = floors > 1 ? span / (double)(floors - 1) : 0;
	if (gap > 3 * 3600 && !live) gap = 3 * 3600;
	double t = (double)created;
	for (int64_t pos = 2; pos <= floors; pos++) {
		if (live) t = (double)created + gap * ((double)(pos - 2) + rnd_unit(&g->rnd));
		else t += gap * 2 * rnd_unit(&g->rnd);
		if (t > (double)now || (live && pos == floors)) t = (double)now;
		int u2 = gen_user(g);
		if (gen_post(g, tid, fid, pos, (time_t)t, u2, (int)rnd_below(&g->rnd, GEN_POOL))) return -1;
	}
	return 0;
}

/* counters from the rows, set-based; the same SQL on SQLite (>= 3.33) and PostgreSQL */
static int gen_counters(struct gen *g, int64_t first_tid, int64_t first_fid, time_t now) {
	db *d = g->d;
	db_stmt *s = db_prep(d, "UPDATE thread SET replies = x.n - 1, maxposition = x.maxp, lastpost = x.created, "
	                        "lastposter = x.author FROM (SELECT c.tid, c.n, c.maxp, l.created, l.author FROM "
	                        "(SELECT tid, COUNT(*) AS n, MAX(position) AS maxp FROM post WHERE tid >= $1 GROUP BY tid) c "
	                        "JOIN post l ON l.tid = c.tid AND l.position = c.maxp) x WHERE thread.tid = x.tid");
	db_bind_int(s, 1, first_tid);
	int rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) goto fail;
	s = db_prep(d, "UPDATE board SET threads = x.nt, posts = x.np, lastpost = x.lastpost, lasttid = x.tid, "
	               "lastsubject = x.subject, lastposter = x.lastposter, todayposts = 0, todaydate = $2 FROM "
	               "(SELECT c.fid, c.nt, c.np, l.lastpost, l.tid, l.subject, l.lastposter FROM "
	               "(SELECT fid, COUNT(*) AS nt, SUM(replies + 1) AS np FROM thread WHERE fid >= $1 AND hidden = 0 "
	               "GROUP BY fid) c JOIN (SELECT fid, tid, lastpost, subject, lastposter, ROW_NUMBER() OVER "
	               "(PARTITION BY fid ORDER BY lastpost DESC, tid DESC) AS rn FROM thread WHERE fid >= $1 AND hidden = 0) l "
	               "ON l.fid = c.fid AND l.rn = 1) x WHERE board.fid = x.fid");
	db_bind_int(s, 1, first_fid);
	db_bind_int(s, 2, forum_today(now));
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) goto fail;
	struct tm tm;
	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	time_t midnight = mktime(&tm);
	s = db_prep(d, "UPDATE board SET todayposts = x.n FROM (SELECT fid, COUNT(*) AS n FROM post "
	               "WHERE tid >= $1 AND created >= $2 GROUP BY fid) x WHERE board.fid = x.fid AND board.fid >= $3");
	db_bind_int(s, 1, first_tid);
	db_bind_int(s, 2, midnight);
	db_bind_int(s, 3, first_fid);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) goto fail;
	/* every member who wrote something here, counted over all their rows */
	s = db_prep(d, "UPDATE member SET posts = x.np, threads = x.nt FROM (SELECT authorid, COUNT(*) AS np, "
	               "SUM(CASE WHEN position = 1 THEN 1 ELSE 0 END) AS nt FROM post WHERE authorid IN "
	               "(SELECT DISTINCT authorid FROM post WHERE tid >= $1) GROUP BY authorid) x "
	               "WHERE member.uid = x.authorid");
	db_bind_int(s, 1, first_tid);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) goto fail;
	return 0;
fail:
	forum_fail(g->e, FORUM_E_DB, "cannot update counters: %s", db_errmsg(d));
	return -1;
}

static int64_t next_id(db *d, int thread) {
	db_stmt *s = thread ? db_prep(d, "SELECT COALESCE(MAX(tid), 0) + 1 FROM thread")
	                    : db_prep(d, "SELECT COALESCE(MAX(fid), 0) + 1 FROM board");
	int64_t v = db_step(s) == DB_ROW ? db_int(s, 0) : -1;
	db_done(s);
	return v;
}

static int gen_run(db *d, const struct gen_opts *o, struct gen_stats *st, struct forum_err *e) {
	struct gen g;
	memset(&g, 0, sizeof g);
	memset(st, 0, sizeof *st);
	g.d = d;
	g.o = o;
	g.rnd = o->seed;
	g.e = e;
	g.total = o->posts + o->big;
	int64_t nb = o->boards, *fids = NULL, *replies = NULL;
	struct copy_keys keys[2] = {{0}, {0}};   /* dropped on PostgreSQL (one_tx), made again at the end */
	struct board *bs = NULL;
	arena a;
	arena_init(&a);
	buf subj;
	buf_init(&subj, 0);
	int rc = -1;
	if (nb < 1 || nb > GEN_MAX_BOARDS || o->threads < 0 || o->posts < o->threads || o->posts > GEN_MAX_ROWS ||
	    o->big < 0 || o->big > GEN_MAX_ROWS || (o->posts > 0 && o->threads == 0)) {
		forum_fail(e, FORUM_E_INVALID, "want 1-%d boards, threads <= posts <= %d, at least one thread for any posts, big 0-%d",
		         GEN_MAX_BOARDS, GEN_MAX_ROWS, GEN_MAX_ROWS);
		goto out;
	}
	if (make_pool(&g.rnd, g.pool, e)) goto out;
	if (db_begin(d)) {
		forum_fail(e, FORUM_E_DB, "begin: %s", db_errmsg(d));
		goto out;
	}
	time_t now = time(NULL);
	int64_t first_fid = next_id(d, 0), first_tid = next_id(d, 1);
	if (first_fid < 0 || first_tid < 0) {
		forum_fail(e, FORUM_E_DB, "%s", db_errmsg(d));
		goto rollback;
	}
	st->first_tid = first_tid;
	g.next_tid = first_tid;
	g.posts = xcalloc(GEN_BATCH, sizeof *g.posts);
	if (gen_users(&g, now)) goto rollback;
	st->users = g.nusers;
	int64_t cid;
	int found = forum_category_find(d, "生成数据", &cid);
	if (found < 0 || (!found && forum_category_add(d, "生成数据", &cid))) {
		forum_fail(e, FORUM_E_DB, "cannot add the category: %s", db_errmsg(d));
		goto rollback;
	}
	fids = xcalloc((size_t)nb, sizeof *fids);
	bs = xcalloc((size_t)nb, sizeof *bs);
	for (int64_t i = 0; i < nb; i++) {
		char name[128];
		const char *base = board_names[i % (int64_t)(sizeof board_names / sizeof board_names[0])];
		if (i < (int64_t)(sizeof board_names / sizeof board_names[0])) snprintf(name, sizeof name, "%s", base);
		else snprintf(name, sizeof name, "%s %lld", base, (long long)(i + 1));
		/* two boards in three have thread types */
		if (forum_board_add(d, cid, name, "由 loulan gen 生成的版块", i % 3 == 2 ? NULL : "讨论,分享,求助", &fids[i], e))
			goto rollback;
		if (forum_board(d, &a, fids[i], &bs[i]) != 1) {
			forum_fail(e, FORUM_E_DB, "cannot read back board %lld: %s", (long long)fids[i], db_errmsg(d));
			goto rollback;
		}
		st->boards++;
	}
	/* PostgreSQL, into an empty forum that nobody else is connected to: one transaction, the thread
	   and post tables without their secondary indexes and foreign keys until the rows are in
	   (copy_keys_drop; a failure rolls the drops back with the rows). The tables (and board, for
	   thread's key) stay locked until the end, so into a forum that has threads or that a node
	   serves, batches commit as they go and the indexes are kept instead. */
	g.one_tx = db_kind(d) == DB_PG && first_tid == 1 && others_connected(d) == 0;
	st->one_transaction = g.one_tx;
	for (int k = 0; k < 2 && g.one_tx; k++) {
		int krc = copy_keys_drop(d, k ? "post" : "thread", &keys[k]);
		if (krc) {
			forum_fail(e, FORUM_E_DB, "dropping the indexes and foreign keys of %s: %s", k ? "post" : "thread", copy_keys_error(d, krc));
			goto rollback_keys;
		}
	}
	/* a long tail of thread sizes: Pareto weights, capped, scaled to the replies */
	int64_t T = o->threads, R = o->posts - o->threads;
	replies = xcalloc((size_t)(T ? T : 1), sizeof *replies);
	double *w = xcalloc((size_t)(T ? T : 1), sizeof *w), W = 0;
	for (int64_t i = 0; i < T; i++) {
		double x = pow(1.0 - rnd_unit(&g.rnd), -1.0 / 1.2);
		w[i] = x > GEN_MAX_REPLY_WEIGHT ? GEN_MAX_REPLY_WEIGHT : x;
		W += w[i];
	}
	int64_t given = 0;
	for (int64_t i = 0; i < T; i++) {
		replies[i] = (int64_t)((double)R * w[i] / W);
		given += replies[i];
	}
	free(w);
	for (; given < R; given++) replies[rnd_below(&g.rnd, T)]++;
	/* threads over a year, oldest first; boards get a skewed share */
	time_t start = now - 365 * 86400;
	double step = T ? (double)(now - 3600 - start) / (double)T : 0;
	int64_t *seen = xcalloc((size_t)nb, sizeof *seen);
	for (int64_t i = 0; i < T; i++) {
		int64_t b = (int64_t)(pow(rnd_unit(&g.rnd), 1.6) * (double)nb);
		const struct board *bd = &bs[b];
		int64_t typeid = bd->ntypes && rnd_below(&g.rnd, 5) ? bd->types[rnd_below(&g.rnd, bd->ntypes)].id : 0;
		int sticky = seen[b]++ == 0;   /* each board's first thread is its sticky notice */
		if (sticky) {
			buf_reset(&subj);
			buf_appendf(&subj, "【版规】%s版发帖须知", bd->name);
		} else {
			make_subject(&g.rnd, &subj, i);
		}
		time_t created = start + (time_t)(step * (double)i + rnd_unit(&g.rnd) * step);
		int64_t tid;
		if (gen_thread(&g, fids[b], typeid, buf_cstr(&subj), sticky, created, now, replies[i] + 1, 0, &tid)) {
			free(seen);
			goto rollback_keys;
		}
		st->threads++;
	}
	free(seen);
	if (o->big > 0) {
		buf_reset(&subj);
		buf_appendf(&subj, "【万人接龙】一起来盖楼，目标 %lld 楼！", (long long)o->big);
		if (gen_thread(&g, fids[0], 0, buf_cstr(&subj), 0, now - 30 * 86400, now, o->big, 1, &st->big_tid)) goto rollback_keys;
		st->threads++;
	}
	st->posts = g.done;
	if (gen_flush(&g)) goto rollback_keys;
	for (int k = 0; k < 2; k++)
		if (copy_keys_make(d, &keys[k])) {
			forum_fail(e, FORUM_E_DB, "making the indexes and foreign keys of %s again: %s", k ? "post" : "thread", db_errmsg(d));
			goto rollback_keys;
		}
	/* the thread ids were given here: PostgreSQL's identity sequence moves past them */
	if (db_kind(d) == DB_PG &&
	    db_exec(d, "SELECT setval(pg_get_serial_sequence('thread', 'tid'), COALESCE(MAX(tid), 0) + 1, false) FROM thread")) {
		forum_fail(e, FORUM_E_DB, "cannot move the thread id sequence: %s", db_errmsg(d));
		goto rollback;
	}
	/* PostgreSQL: statistics of the new rows, for the counters' plans (and the reindex that follows,
	   and the first pages); autovacuum would come later */
	if (db_kind(d) == DB_PG && db_exec_script(d, "ANALYZE")) {
		forum_fail(e, FORUM_E_DB, "analyze: %s", db_errmsg(d));
		goto rollback;
	}
	if (gen_counters(&g, first_tid, first_fid, now)) goto rollback;
	if (stats_recount(d, now)) {   /* the index's counters (issue 14) */
		forum_fail(e, FORUM_E_DB, "recounting the index's counters: %s", db_errmsg(d));
		goto rollback;
	}
	if (db_commit(d)) {
		forum_fail(e, FORUM_E_DB, "commit: %s", db_errmsg(d));
		goto rollback;
	}
	if (o->progress && g.last_report != g.done) o->progress(o->ctx, g.done, g.total);
	rc = 0;
	goto out;
rollback_keys:
	copy_keys_free(&keys[0]);
	copy_keys_free(&keys[1]);
rollback:
	db_rollback(d);
out:
	for (int i = 0; i < GEN_POOL; i++) {
		free(g.pool[i].src);
		free(g.pool[i].html);
	}
	for (int i = 0; i < g.nthreads; i++) free(g.threads[i].subject);
	free(g.threads);
	free(g.posts);
	for (int i = 0; i < g.nusers; i++) free(g.names[i]);
	free(g.names);
	free(g.uids);
	free(fids);
	free(bs);
	free(replies);
	buf_release(&subj);
	arena_free(&a);
	return rc;
}

/* Durability is not worth its cost for data that can be made again: SQLite
   writes without fsync while generating and is set back to FULL afterwards. */
int forum_gen(db *d, const struct gen_opts *o, struct gen_stats *st, struct forum_err *e) {
	db_bulk_mode(d, 1);
	int rc = gen_run(d, o, st, e);
	db_bulk_mode(d, 0);
	return rc;
}
