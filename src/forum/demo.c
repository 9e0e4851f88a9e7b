/*
** demo: the demo forum made by `loulan init --demo`: two categories, boards (one a sub-board)
** with thread types, members and threads with replies, so a new user sees
** a living forum.
*/
#include "forum/forum.h"
#include "forum/read.h"
#include "forum/write.h"
#include "forum/user.h"
#include "forum/demo.h"
#include "forum/pm.h"
#include "forum/profile.h"
#include "forum/favorite.h"
#include "forum/admin.h"
#include "forum/ban.h"
#include "forum/approve.h"
#include "forum/site.h"
#include "forum/posting.h"
#include "forum/site.h"
#include "forum/attach.h"
#include "forum/password.h"
#include "forum/moderate.h"
#include "forum/site.h"
#include "forum/discover.h"
#include "forum/react.h"
#include "forum/notify.h"
#include "forum/credit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct demo_thread {
	int board;          /* index into boards[] */
	int type;           /* 1-based index into the board's types, 0 none */
	int author;         /* index into users[] (0 = admin) */
	const char *subject;
	const char *body;
	int replies;        /* how many generated replies follow */
	int sticky;         /* 置顶 level 1-3 */
	int digest;         /* 精华 level, with a red title */
};

static const char *const users[] = {"admin", "复兴号航母", "江南烟雨", "小马过河", "code_monkey"};

/* icon: forum_board_icon's number (read.h); rules: 版规 shown on the board page; parent: 1 + the index of the
   board it is a sub-board (子版块) of, 0 none */
static const struct { const char *cat, *name, *desc, *types; int icon; const char *rules; int parent; } boards[] = {
	{"综合讨论区", "新闻资讯", "天下大事，身边新鲜事，第一时间报道", "我要爆料,曝光台,时事评论", 3,
	 "1. 转载请注明来源，标题写明事件要点。\n2. 不传谣、不信谣，爆料须附可核实的信息。\n3. 评论就事论事，禁止人身攻击。", 0},
	{"综合讨论区", "灌水乐园", "闲聊、吐槽、分享生活的地方", "闲聊,求助,分享", 1, "友善交流，禁止广告和刷屏。", 0},
	{"综合讨论区", "技术交流", "编程、硬件、网络，技术人的家园", "", 4,
	 "提问前请先搜索；贴代码请用 [code] 标签。新手上路会员的新主题需经版主审核。", 0},
	{"站务管理", "站务公告", "论坛公告与版规", "", 2, "", 0},
	{"综合讨论区", "摄影分享", "灌水乐园的子版块：随手拍、旅行照、器材交流", "风光,人像,器材", 7, "", 2},
};

static const char *const replies[] = {
	"沙发！感谢楼主分享。:D",
	"[b]顶一个[/b]，写得很详细，收藏了。",
	"这个问题我也遇到过，后来是这样解决的：先检查配置，再重启服务。",
	"[quote]写得很详细[/quote]同意楼上的看法。",
	"路过，支持一下 :)",
	"说得有道理，不过我觉得还可以再讨论一下细节。",
	"Mark 一下，晚上回来细看。{:2_30:}",
	"楼主辛苦了，[color=#e74c3c]强烈推荐[/color]大家看看。",
	"有没有更多的资料？想深入了解一下。",
	"I agree — this is a well written post. 谢谢分享！",
};

static const struct demo_thread threads[] = {
	{3, 0, 0, "欢迎来到楼兰论坛 — 新手必读",
	 "[size=4][b]欢迎来到楼兰论坛！[/b][/size]\n\n"
	 "这里是一个用 C 语言写成的中文社区论坛，速度快、占用少。\n"
	 "[list]\n[*]请先阅读版规，文明发言\n[*]发帖前请选择正确的分类\n[*]遇到问题可以在「灌水乐园」求助\n[/list]\n"
	 "发帖时，编辑框上方的工具栏可以加粗、上色、插入链接和表情 :) ，Ctrl+Enter 直接发表；"
	 "没写完的内容会自动保存为草稿。\n"
	 "祝大家玩得愉快！:victory:", 3, 3, 0},
	{0, 1, 1, "某小区物业乱收停车费，业主集体维权",
	 "最近我们小区物业突然宣布地面停车费从每月 150 元涨到 300 元，事先没有任何公示，也没有召开业主大会。\n\n"
	 "[b]目前的情况：[/b]\n1. 已有两百多户业主联名反对\n2. 街道办已经介入调查\n3. 物业表示会在下周给出答复\n\n"
	 "大家有没有遇到过类似的情况？应该怎么维权比较有效？", 25, 1, 0},
	{0, 3, 2, "如何看待城市夜经济的发展？",
	 "这几年各地都在推动夜经济，夜市、夜游、深夜食堂越来越多。你所在的城市夜生活怎么样？"
	 "夜经济给城市带来了活力，但也带来了噪音、交通和安全方面的问题，欢迎讨论。", 6, 0, 0},
	{0, 2, 3, "曝光：某网店虚假宣传，买到的商品与描述严重不符",
	 "上个月在网上买了一台号称「全新正品」的蓝牙耳机，收到后发现包装已经被拆过，充电盒上还有明显划痕。"
	 "联系客服只说可以退货但运费自理。[url=https://www.12315.cn]全国12315平台[/url]已经投诉，等待处理结果。", 4, 0, 0},
	{1, 1, 2, "周末去哪儿玩？求推荐杭州周边一日游",
	 "这周末想带家人出去走走，杭州周边有什么适合一日游的地方吗？最好是自然风光，人不要太多。", 8, 0, 0},
	{1, 3, 1, "分享一下我家的猫主子",
	 "养了三年的橘猫，体重已经突破 15 斤了 [i]（捂脸）[/i] :lol\n每天的工作就是吃饭、睡觉、监督我上班。\n"
	 "大家家里的猫都叫什么名字？", 5, 0, 0},
	{1, 2, 4, "新手求助：电脑开机后风扇狂转怎么办？",
	 "电脑用了四年，最近开机后风扇就一直狂转，声音特别大，但是 CPU 占用并不高。请问是什么原因？需要清灰吗？", 3, 0, 0},
	{2, 0, 4, "用 C 语言写 Web 服务还有意义吗？",
	 "看到有人用 C 写论坛程序，单机每秒能处理好几万个请求。想问问大家：在 Go、Rust 流行的今天，"
	 "用 C 写 Web 服务还有意义吗？\n\n[code]int main(void) {\n    puts(\"hello, 楼兰\");\n    return 0;\n}[/code]", 7, 0, 1},
	{3, 0, 0, "站内搜索怎么用？",
	 "页首的搜索框可以搜索全站的标题和正文，两个字的词也能搜到，比如[b]济宁[/b]、[b]小松[/b]。\n"
	 "[list]\n[*]\"带引号的短语\"：整句匹配\n[*]-词：排除含有这个词的帖子\n[*]济宁 OR 曲阜：任选其一\n"
	 "[*]英文不分大小写：Linux、LINUX 都一样\n[/list]\n单个汉字无法搜索，请至少输入两个字。", 1, 0, 0},
	{1, 1, 2, "济宁三日游：曲阜、邹城、微山湖",
	 "五一去了趟山东济宁，第一天曲阜三孔，第二天邹城孟庙，第三天微山湖坐船看荷花。"
	 "济宁的甏肉干饭一定要尝尝！同行的日本朋友小松说比东京的拉面还好吃。", 4, 0, 0},
	{2, 0, 1, "Markdown 和 BBCode 你更喜欢哪个？",
	 "论坛同时支持 [b]BBCode[/b] 和 Markdown，大家平时更习惯用哪一种？", 2, 0, 0},
	/* the Discuz! dialect as an imported post has it (issue 18) */
	{3, 0, 0, "从 Discuz! 搬家过来的帖子长这样",
	 "[i=s] 本帖最后由 admin 于 2023-12-21 10:05 编辑 [/i]\n\n"
	 "[quote][size=2][url=forum.php?mod=redirect&goto=findpost&pid=1&ptid=1][color=#999999]admin 发表于 2023-12-20 09:00[/color][/url][/size]\n"
	 "欢迎来到楼兰论坛！[/quote]\n"
	 "[p=30, 2, left]老论坛的帖子原样保留：排版、表格、表情 {:2_25:} {:3_41:} 都还在。[/p]\n"
	 "[table=98%,#f0f0f0]\n标签|效果\nhide|回复后可见\nfree|免费内容\n[/table]\n"
	 "[free]这一段是免费内容。[/free]\n"
	 "[hide]回复本帖后才能看到这句话：楼兰欢迎你！[/hide]\n"
	 "[hide=100]积分 100 以上才能看到这句话。[/hide]\n"
	 "视频：[media=x,500,375]https://example.com/loulan.mp4[/media]\n"
	 "[float=right][backcolor=yellow]右浮动[/backcolor][/float][list=a][*]第一条[*]第二条[/list]"
	 "旧链接照样能打开：[url=forum.php?mod=viewthread&tid=1]新手必读[/url]", 0, 0, 0},
	{4, 1, 2, "西湖晨雾：早上五点半的断桥",
	 "为了拍断桥的晨雾，凌晨四点半就出门了。五点半雾最浓，湖面上几乎看不到对岸，六点以后太阳出来就散了。\n"
	 "[b]参数[/b]：光圈 f/8，快门 1/125，ISO 200。建议带三脚架，桥上人少的时候只有半个小时。", 3, 0, 0},
};

static int add_user(db *d, const char *name, const char *pw, int admin, int64_t *uid, struct forum_err *e) {
	char email[128];
	snprintf(email, sizeof email, "user%d@example.com", (int)(strlen(name) * 7 + (unsigned char)name[0]));
	if (admin) snprintf(email, sizeof email, "admin@example.com");
	return user_add(d, name, email, pw, admin, uid, e) ? -1 : 0;
}

/* a news repost with two pictures made here (issue #13: the demo shows images) */
static int demo_images(db *d, const int64_t *uids, int64_t fid, time_t when, struct forum_err *e) {
	int64_t uid = uids[1];
	static const struct { int w, h; const char *text, *name; } pics[] = {
		{1800, 1000, "楼兰古城遗址 · 航拍", "楼兰古城航拍.jpg"},
		{1200, 800, "丝路驼队", "丝路驼队.jpg"},
	};
	int64_t aid[2];
	arena a;
	arena_init(&a);
	for (int i = 0; i < 2; i++) {
		void *jpg;
		size_t n;
		struct attachment at;
		if (image_demo(pics[i].w, pics[i].h, pics[i].text, &jpg, &n)) {
			arena_free(&a);
			return 0;   /* no libvips at run time: a demo without pictures */
		}
		int st = attach_store_bytes(d, &a, uid, GROUP_ADMIN, jpg, n, pics[i].name, when, &at);
		free(jpg);
		if (st) {
			forum_fail(e, FORUM_E_DB, "cannot store the demo picture (%d): %s", st, db_errmsg(d));
			arena_free(&a);
			return -1;
		}
		aid[i] = at.aid;
	}
	arena_free(&a);
	char body[1024];
	snprintf(body, sizeof body,
	         "新华社消息，考古工作者近日对楼兰古城遗址进行了新一轮航拍测绘。\n[attach]%lld[/attach]\n"
	         "图为航拍画面。古城遗址位于罗布泊西北岸，是古丝绸之路上的重要节点。\n"
	         "[attachimg]%lld[/attachimg]\n（图片为演示数据，由论坛程序生成。）",
	         (long long)aid[0], (long long)aid[1]);
	int64_t tid, pid, typeid = 0;
	struct board b;
	arena_init(&a);
	if (forum_board(d, &a, fid, &b) == 1 && b.ntypes >= 3) typeid = b.types[2].id;   /* 时事评论 */
	arena_free(&a);
	attach_scope_begin(d, uid, GROUP_ADMIN, fid, 0, NULL, 0);
	struct actor by = {uid, GROUP_ADMIN, NULL, 1};   /* the console's override, as the other demo threads */
	struct post_input in = {"楼兰古城遗址最新航拍图公布（多图）", body, "bbcode", typeid, 0};
	int rc = forum_new_thread(d, &by, fid, &in, when, &tid, &pid, e);
	attach_scope_end();
	if (rc) return rc;
	/* it is read and answered, like the others */
	static const char *const said[] = {"照片拍得真清楚，这就是传说中的楼兰！", "[quote]古丝绸之路上的重要节点[/quote]一直想去看看，收藏了。"};
	for (int r = 0; r < 2; r++) {
		int64_t rpid, pos;
		struct actor rby = {uids[2 + r], 0, NULL, 1};
		struct post_input rin = {NULL, said[r], "bbcode", 0, 0};
		if (forum_new_reply(d, &rby, tid, &rin, when + 300 * (r + 1), &rpid, &pos, e)) return -1;
	}
	db_stmt *s = db_prep(d, "UPDATE thread SET views = $2 WHERE tid = $1");
	db_bind_int(s, 1, tid);
	db_bind_int(s, 2, 86);
	int r = db_step(s);
	db_done(s);
	return r == DB_DONE ? 0 : forum_fail(e, FORUM_E_DB, "cannot count the demo picture's views: %s", db_errmsg(d));
}

/* 江南烟雨 and code_monkey have signatures and a profile; 江南烟雨 and the admin have a conversation with
   one message the admin has not read (the header's 消息 count), and three members a group chat */
static int demo_people(db *d, const int64_t *uids, time_t now, struct forum_err *e) {
	static const struct { int who, gender; const char *sig, *bio, *loc, *web; } pf[] = {
		{2, 2, "[color=SeaGreen]行到水穷处，坐看云起时。[/color]", "喜欢旅行和摄影，灌水乐园版主。", "杭州", ""},
		{4, 1, "[b]Talk is cheap.[/b] Show me the code. — [url=https://www.kernel.org]kernel.org[/url]",
		 "写 C 的后端工程师。", "深圳", "https://example.com/~code_monkey"},
	};
	for (size_t i = 0; i < sizeof pf / sizeof pf[0]; i++) {
		const char *field;
		struct profile p = {pf[i].sig, NULL, pf[i].bio, pf[i].loc, pf[i].web, pf[i].gender, 0, 0};
		if (profile_save(d, uids[pf[i].who], &p, now, &field, e)) return -1;
	}
	static const struct { int from; const char *to[3]; const char *subject, *body; } msgs[] = {
		{2, {"admin"}, NULL, "管理员你好！[b]灌水乐园[/b]最近广告帖有点多，能不能开一下新人发帖审核？"},
		{0, {"江南烟雨"}, NULL, "收到，技术交流版已经开了审核，灌水乐园我再看看。辛苦了 :)"},
		{2, {"admin"}, NULL, "好的，谢谢！另外小黑屋里那个推广小号又注册了新号，麻烦留意一下。"},
		{4, {"江南烟雨", "小马过河"}, "周末技术沙龙", "这周六下午有个 C 语言沙龙，一起去吗？地址私聊。"},
		{3, {NULL}, NULL, "我报名！需要带电脑吗？"},   /* no recipients: an answer in the group chat above */
	};
	arena a;
	arena_init(&a);
	int rc = 0;
	int64_t cid = 0, mid;
	for (size_t i = 0; i < sizeof msgs / sizeof msgs[0] && !rc; i++) {
		int n = 0;
		while (n < 3 && msgs[i].to[n]) n++;
		struct actor by = {uids[msgs[i].from], msgs[i].from ? GROUP_MEMBER_FIRST : GROUP_ADMIN, users[msgs[i].from], 1};
		time_t when = now - 600 + (time_t)i * 60;
		rc = n ? pm_send(d, &a, &by, msgs[i].to, n, msgs[i].subject, msgs[i].body, when, &cid, &mid, e)
		       : pm_reply(d, &a, &by, cid, msgs[i].body, when, &mid, e);
	}
	arena_free(&a);
	return rc ? -1 : 0;
}

int demo_create(db *d, const char *admin_password, struct forum_err *e) {
	int64_t uids[sizeof users / sizeof users[0]];
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
		char pw[40];
		password_random_token(pw, sizeof pw, 12);
		if (add_user(d, users[i], i == 0 ? admin_password : pw, i == 0, &uids[i], e)) return -1;
	}
	int64_t fids[sizeof boards / sizeof boards[0]];
	for (size_t i = 0; i < sizeof boards / sizeof boards[0]; i++) {
		int64_t cid;
		int found = forum_category_find(d, boards[i].cat, &cid);
		if (found < 0 || (!found && forum_category_add(d, boards[i].cat, &cid))) {
			forum_fail(e, FORUM_E_DB, "cannot add category: %s", db_errmsg(d));
			return -1;
		}
		if (forum_board_add(d, cid, boards[i].name, boards[i].desc, boards[i].types, &fids[i], e)) return -1;
		if (boards[i].parent && forum_board_set_parent(d, fids[i], fids[boards[i].parent - 1], e)) return -1;
		db_stmt *s = db_prep(d, "UPDATE board SET icon = $2, rules = $3 WHERE fid = $1");
		db_bind_int(s, 1, fids[i]);
		db_bind_int(s, 2, boards[i].icon);
		db_bind_text(s, 3, boards[i].rules, -1);
		int rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE) return forum_fail(e, FORUM_E_DB, "%s", FORUM_MSG_DB);
	}
	time_t now = time(NULL);
	int64_t welcome = 0;   /* the first thread's tid */
	int nthreads = (int)(sizeof threads / sizeof threads[0]);
	int64_t tids[sizeof threads / sizeof threads[0]];
	for (int i = 0; i < nthreads; i++) {
		const struct demo_thread *t = &threads[i];
		time_t when = now - (time_t)(nthreads - i) * 7200 - 86400 * (i % 3);
		struct board b;
		arena a;
		arena_init(&a);
		int64_t typeid = 0;
		if (forum_board(d, &a, fids[t->board], &b) == 1 && t->type > 0 && t->type <= b.ntypes)
			typeid = b.types[t->type - 1].id;
		arena_free(&a);
		int64_t tid, pid, pos;
		/* the operator's demo: the console's override (no flood, no board rights) */
		struct actor by = {uids[t->author], 0, NULL, 1};
		struct post_input in = {t->subject, t->body, "bbcode", typeid, 0};
		if (forum_new_thread(d, &by, fids[t->board], &in, when, &tid, &pid, e)) return -1;
		tids[i] = tid;
		if (!i) welcome = tid;
		/* the replies spread from the thread's start to a last reply between ten minutes and
		   a few hours ago (later threads later): a thread begun two days ago has replies
		   yesterday and today, as a living forum has (issue 17). The last thread's last reply is
		   now, so 今日 is never 0, even for a demo made just after midnight. */
		time_t last = i == nthreads - 1 ? now : now - 600 - (time_t)(nthreads - i) * 1800;
		time_t span = last - when;   /* > 0: when is earlier by 2 h a thread */
		for (int r = 0; r < t->replies; r++) {
			int who = (t->author + 1 + r) % (int)(sizeof users / sizeof users[0]);
			time_t rwhen = when + span * (r + 1) / t->replies;
			struct actor rby = {uids[who], 0, NULL, 1};
			struct post_input rin = {NULL, replies[(i + r) % (int)(sizeof replies / sizeof replies[0])], "bbcode", 0, 0};
			if (forum_new_reply(d, &rby, tid, &rin, rwhen, &pid, &pos, e)) return -1;
		}
		/* moderation (moderate.h), as the console: stickies of each level; 精华 (with its credits) for 导读,
		   one of them in red */
		struct actor op = {0, GROUP_ADMIN, "admin", 1};
		int digest = t->digest ? t->digest : i % 4 == 1;
		if (t->sticky && mod_thread(d, &op, tid, &(struct mod_request){.action = "stick", .level = t->sticky}, NULL, e))
			return -1;
		if (digest && mod_thread(d, &op, tid, &(struct mod_request){.action = "digest", .level = digest}, NULL, e))
			return -1;
		if (t->digest &&
		    mod_thread(d, &op, tid, &(struct mod_request){.action = "highlight", .color = "red", .bold = 1}, NULL, e))
			return -1;
		/* 热门排行 and 导读 have something to show (issue 14): views, likes of the first floor */
		db_stmt *s = db_prep(d, "UPDATE thread SET views = $2 WHERE tid = $1");
		db_bind_int(s, 1, tid);
		db_bind_int(s, 2, 37 + t->replies * 23 + i * 11);
		db_step(s);
		db_done(s);
		s = db_prep(d, "SELECT pid FROM post WHERE tid = $1 AND position = 1");
		db_bind_int(s, 1, tid);
		int64_t first = db_step(s) == DB_ROW ? db_int(s, 0) : 0;
		db_done(s);
		for (int k = 0; first && k < (int)(sizeof users / sizeof users[0]) && k <= (i * 3) % 5; k++) {
			struct react_state st;
			struct actor liker = {uids[k], k ? GROUP_MEMBER_FIRST : GROUP_ADMIN, users[k], 0};
			if (k != t->author) react_like(d, &liker, first, now, &st);
		}
		/* a few ratings (评分) by the admin, with a reason, as a member's first look shows them */
		if (first && i % 3 == 0 && t->author != 0) {
			static const char *const why[] = {"好文，支持一下", "内容详实，感谢分享", "有用的经验"};
			struct react_state st;
			int64_t rid;
			struct actor rater = {uids[0], GROUP_ADMIN, users[0], 0};
			react_rate(d, &rater, first, credit_ext("威望") ? credit_ext("威望") : 1, 1 + i % 2, why[i % 3], now, &st, &rid);
		}
	}
	/* 收藏 (issue #15): the admin and 江南烟雨 keep a few threads (/favorites) */
	for (int i = 0; i < nthreads && i < 3; i++) {
		struct actor fan = {uids[i % 2 ? 2 : 0], 0, NULL, 1};
		if (favorite_add(d, &fan, tids[nthreads - 1 - i * 2], now - 600 * (3 - i), e)) return -1;
	}
	/* 提醒 (issue #15): 小马过河 follows the welcome thread; 复兴号航母 answers it with an @mention of the admin
	   (the admin's bell: the replies to their threads, the likes grouped, this mention) */
	if (notify_follow(d, welcome, uids[3], 1, now)) {
		forum_fail(e, FORUM_E_DB, "cannot follow: %s", db_errmsg(d));
		return -1;
	}
	{
		int64_t pid, pos;
		struct actor rby = {uids[1], 0, NULL, 1};
		struct post_input rin = {NULL, "@admin 版规已读，[b]感谢[/b]！@江南烟雨 灌水乐园见。", "bbcode", 0, 0};
		if (forum_new_reply(d, &rby, welcome, &rin, now - 600, &pid, &pos, e)) return -1;
	}
	/* a 匿名 reply (forum/anon.h), as an imported Discuz! post would be: its second floor in the last thread
	   (摄影分享, a sub-board); the admin, a moderator of every board, sees who wrote it */
	{
		db_stmt *s = db_prep(d, "UPDATE post SET anonymous = 1 WHERE tid = $1 AND position = 2");
		db_bind_int(s, 1, tids[nthreads - 1]);
		int rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE) return forum_fail(e, FORUM_E_DB, "%s", FORUM_MSG_DB);
	}
	/* 江南烟雨 moderates 灌水乐园 (版主 on the index and the board page) */
	struct actor op = {0, GROUP_ADMIN, "admin", 1};
	if (mod_set(d, &op, fids[1], users[2], 0, e)) return -1;
	if (demo_images(d, uids, fids[0], now - 1800, e)) return -1;
	/* two members were here a moment ago: 在线会员 on a fresh demo */
	for (int k = 1; k <= 2; k++) {
		char key[24];
		snprintf(key, sizeof key, "demo%d", k);
		db_stmt *s = db_prep(d, "INSERT INTO online(k, uid, lastseen) VALUES ($1, $2, $3)");
		db_bind_text(s, 1, key, -1);
		db_bind_int(s, 2, uids[k]);
		db_bind_int(s, 3, (int64_t)now);
		db_step(s);
		db_done(s);
	}
	if (stats_recount(d, now) || online_flush(d, now)) return -1;
	/* threads were written out of time order: each board shows its newest post */
	for (size_t i = 0; i < sizeof boards / sizeof boards[0]; i++)
		if (forum_board_relast(d, fids[i])) return -1;
	/* 小黑屋 is not empty: a spammer banned from posting by the admin for 7 days */
	char pw[40];
	int64_t spammer;
	password_random_token(pw, sizeof pw, 12);
	if (add_user(d, "推广小号", pw, 0, &spammer, e)) return -1;
	struct actor admin = {uids[0], 1, users[0], 0};
	if (ban_add(d, &admin, spammer, BAN_POST, 0, 7 * 86400, "在多个版块发布广告", now, e)) return -1;
	/* 审核: 技术交流 holds new threads from 新手上路 (group 10); one waits at /modcp/pending */
	if (approval_set(d, fids[2], APPROVE_THREADS, "10", e)) return -1;
	struct actor newbie = {uids[3], GROUP_MEMBER_FIRST, users[3], 0};
	struct post_input held = {"请问 Makefile 里的 $@ 和 $< 是什么意思？", "刚开始学写 Makefile，看不懂这两个符号，求解释。", "bbcode", 0, 0};
	int64_t pending;
	if (approval_hold(d, &newbie, fids[2], 0, &held, now, NULL, 0, &pending, e) < 0) return -1;
	/* profiles and 短消息 (issue #15): two signatures under posts, a conversation waiting for the admin */
	if (demo_people(d, uids, now, e)) return -1;
	/* the admin reviewed the reply rule in /admin (积分): the audit log under 日志 has a row to show */
	const struct credit_rule reply = {"reply", "", "unlimited", 0, {0, 1, 0}, 0};
	return admin_credit_rule(d, &admin, &reply, time(NULL), e) ? -1 : 0;
}
