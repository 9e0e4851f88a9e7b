#!/usr/bin/env python3
"""Writes tests/discuz/fixture.sql (utf8mb4) and tests/discuz/fixture-gbk.sql (GBK bytes).

The Discuz! X3.5 fixture of the importer tests (issue #18): rows for every case the importer
must handle. Run it after changing it: `python3 tests/discuz/gen-fixture.py` (both outputs are
committed; the tests load them with the mariadb client, tests/e2e/lib.mjs startDiscuz).

PHP-serialized values are written with their byte lengths in the target charset (FACTS.md §7.1:
s:6:"威望" in UTF-8 is s:4 in GBK), which is why the GBK file is generated, not iconv'ed.
In the GBK file characters outside GBK (emoji) are written as numeric entities, as GBK sites
hold them (FACTS.md §7.9).

Passwords (plaintext -> scheme), see MEMBERS below:
  admin      admin-pass     bcrypt $2y$ (salt '')
  超级版主    super-pass     md5(md5(pw).salt), salt 'sUp3r9'
  版主小王    mod-pass       md5(md5(pw).salt), salt 'm0dW4n'
  张三       zhangsan-pass  md5(md5(pw).salt), salt 'a1b2c3'
  李四       lisi-pass      bcrypt $2y$
  广告机      spam-pass      md5, salt 'sp4mmm'   (禁止发言 groupid 4 with groupexpiry)
  捣乱者      troll-pass     md5, salt 'tr0ll1'   (禁止访问 groupid 5, no expiry)
  锁定用户    locked-pass    bcrypt               (status -1)
  王五       wangwu-pass    unknown converter scheme (salt 'myplugin1', 9 chars): never matches
  老会员      old-pass       md5, salt 'o1dm3m'   (only in the _archive tables)
  群聊成员    group-pass     bcrypt
"""
import crypt
import hashlib
import os
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)

HERE = os.path.dirname(os.path.abspath(__file__))

# 2023-11-05 10:00:00 +08:00
T0 = 1699149600
DAY = 86400
# Far in the future (2033-05-18): ban expiry, IP ban expiry, poll expiry.
FUTURE = 2000000000


def md5hex(s):
    return hashlib.md5(s.encode("utf-8")).hexdigest()


def dz_md5(pw, salt):
    return md5hex(md5hex(pw) + salt)


def bcrypt(pw, salt22):
    # Fixed salt so the file is reproducible; PHP password_hash() writes $2y$, crypt() $2b$: the
    # same algorithm.
    h = crypt.crypt(pw, "$2b$10$" + salt22)
    assert h and h.startswith("$2b$"), h
    return "$2y$" + h[4:]


class Out:
    def __init__(self, charset):
        self.charset = charset  # 'utf8mb4' or 'gbk'
        self.lines = []

    def enc_len(self, s):
        return len(s.encode("utf-8" if self.charset == "utf8mb4" else "gbk"))

    def text(self, s):
        """Text as stored in this charset: characters outside GBK as numeric entities."""
        if self.charset == "utf8mb4":
            return s
        out = []
        for ch in s:
            try:
                ch.encode("gbk")
                out.append(ch)
            except UnicodeEncodeError:
                out.append("&#%d;" % ord(ch))
        return "".join(out)

    def ser(self, v):
        """PHP serialize() with byte lengths in this charset."""
        if v is None:
            return "N;"
        if isinstance(v, bool):
            return "b:%d;" % int(v)
        if isinstance(v, int):
            return "i:%d;" % v
        if isinstance(v, str):
            t = self.text(v)
            return 's:%d:"%s";' % (self.enc_len(t), t)
        if isinstance(v, dict):
            body = "".join(self.ser(k) + self.ser(x) for k, x in v.items())
            return "a:%d:{%s}" % (len(v), body)
        if isinstance(v, list):
            return self.ser({i: x for i, x in enumerate(v)})
        raise TypeError(v)

    def q(self, v):
        if v is None:
            return "NULL"
        if isinstance(v, int):
            return str(v)
        s = self.text(str(v))
        s = s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
        return "'" + s + "'"

    def raw(self, line):
        self.lines.append(line)

    def ins(self, table, **cols):
        names = ", ".join("`%s`" % k for k in cols)
        vals = ", ".join(self.q(v) for v in cols.values())
        self.lines.append("INSERT INTO %s (%s) VALUES (%s);" % (table, names, vals))


def settings(o):
    o.raw("\n-- common_setting (FACTS.md §2.12, §6)")
    ext = {
        1: {"img": "", "title": "威望", "unit": "", "ratio": 0, "available": "1",
            "showinthread": None, "allowexchangein": None, "allowexchangeout": None},
        2: {"img": "", "title": "金钱", "unit": "枚", "ratio": 0, "available": "1",
            "showinthread": None, "allowexchangein": None, "allowexchangeout": None},
        3: {"img": "", "title": "贡献", "unit": "", "ratio": 0, "available": "1",
            "showinthread": None, "allowexchangein": None, "allowexchangeout": None},
    }
    for i in range(4, 9):
        ext[i] = {"img": "", "title": "", "unit": "", "ratio": 0, "available": "",
                  "showinthread": None, "allowexchangein": None, "allowexchangeout": None}
    rows = {
        "bbname": "楼兰测试论坛",
        "sitename": "楼兰测试",
        "siteurl": "http://bbs.example.com/",
        "icp": "京ICP备12345678号",
        "timeoffset": "8",
        "dateformat": "Y-n-j",
        "timeformat": "H:i",
        "postperpage": "10",
        "topicperpage": "20",
        "attachdir": "./data/attachment",
        "attachurl": "data/attachment",
        "extcredits": o.ser(ext),
        "creditsformula": "posts+digestposts*5+extcredits1*2+extcredits2+extcredits3",
        "creditsformulaexp": "<u>总积分</u>=<u>发帖数</u>+<u>精华帖数</u>*5+<u>威望</u>*2+<u>金钱</u>+<u>贡献</u>",
        "creditstrans": "2,0,0,0,0,0,0",
        "threadsticky": "全局置顶,分类置顶,本版置顶",
        "posttableids": o.ser({0: 0, 1: 1}),
        "threadtableids": o.ser({0: 1}),
        "membersplit": "1",
        "darkroom": "1",
        "recommendthread": o.ser({"status": "1", "addtext": "支持", "subtracttext": "反对",
                                  "daycount": "0", "ownthread": "0", "iconlevels": "50,100,200"}),
        # remote attachments: on, attachurl; password is authcode-encrypted (never needed here)
        "ftp": o.ser({"on": "1", "ssl": "0", "host": "ftp.example.com", "port": "21",
                      "username": "dz", "password": "", "attachdir": "/attach",
                      "attachurl": "https://img.example.com/attach/", "hideurl": "0",
                      "timeout": "0"}),
        "forumkeys": o.ser({2: "water"}),
        "rewritestatus": o.ser(["forum_forumdisplay", "forum_viewthread", "home_space"]),
        "regname": "register",
    }
    for k, v in rows.items():
        o.ins("pre_common_setting", skey=k, svalue=v)


GROUPS = [
    # groupid, radminid, type, title, higher, lower, stars
    (1, 1, "system", "管理员", 0, 0, 9),
    (2, 2, "system", "超级版主", 0, 0, 8),
    (3, 3, "system", "版主", 0, 0, 7),
    (4, 0, "system", "禁止发言", 0, 0, 0),
    (5, 0, "system", "禁止访问", 0, 0, 0),
    (6, 0, "system", "禁止 IP", 0, 0, 0),
    (7, 0, "system", "游客", 0, 0, 0),
    (8, 0, "system", "等待验证会员", 0, 0, 0),
    (9, 0, "member", "限制会员", -9999999, 0, 0),
    (10, 0, "member", "新手上路", 0, 50, 1),
    (11, 0, "member", "注册会员", 50, 200, 2),
    (12, 0, "member", "中级会员", 200, 500, 3),
    (13, 0, "member", "高级会员", 500, 1000, 4),
    (14, 0, "member", "金牌会员", 1000, 3000, 6),
    (15, 0, "member", "论坛元老", 3000, 9999999, 8),
    (16, 3, "special", "实习版主", 0, 0, 0),
]


def groups(o):
    o.raw("\n-- groups (install_data.sql l.813-831 defaults, FACTS.md §2.1)")
    for gid, radmin, typ, title, hi, lo, stars in GROUPS:
        o.ins("pre_common_usergroup", groupid=gid, radminid=radmin, type=typ, grouptitle=title,
              creditshigher=hi, creditslower=lo, stars=stars, allowvisit=0 if gid in (5, 6) else 1)
        readaccess = {1: 200, 2: 150, 3: 100, 4: 0, 5: 0, 6: 0, 7: 1}.get(gid, 10)
        o.ins("pre_common_usergroup_field", groupid=gid, readaccess=readaccess,
              allowpost=0 if gid in (4, 5, 6, 7, 8) else 1, allowreply=0 if gid in (4, 5, 6, 7, 8) else 1,
              allowanonymous=1 if gid <= 3 or gid >= 10 else 0, allowhtml=1 if gid == 1 else 0,
              allowmagics=0, magicsdiscount=0, maxmagicsweight=0, tradestick=0, exempt=0,
              raterange="1\t0\t-30\t30\t90\n2\t0\t-10\t10\t50" if gid <= 3 else "")
    for gid, stick in ((1, 3), (2, 2), (3, 1)):
        o.ins("pre_common_admingroup", admingid=gid, alloweditpost=1, allowstickthread=stick,
              allowdelpost=1, allowbanuser=1, allowbanvisituser=1 if gid < 3 else 0,
              allowbanpost=1, allowdigestthread=3, allowclosethread=1, allowmovethread=1,
              allowhighlightthread=1, allowviewip=1, allowbanip=1 if gid < 3 else 0)


# uid, username, email, groupid, adminid, status, groupexpiry, (scheme, pw, salt), credits
# (e1, e2, e3, posts, threads, digest), archived
MEMBERS = [
    (1, "admin", "admin@example.com", 1, 1, 0, 0, ("bcrypt", "admin-pass", "Adm1nSaltAdm1nSaltAdm1"), (20, 500, 10, 12, 6, 2), False),
    (2, "超级版主", "super@example.com", 2, 2, 0, 0, ("md5", "super-pass", "sUp3r9"), (10, 100, 5, 2, 0, 0), False),
    (3, "版主小王", "mod@example.com", 3, 3, 0, 0, ("md5", "mod-pass", "m0dW4n"), (8, 60, 3, 3, 0, 0), False),
    (4, "张三", "zhangsan@example.com", 11, 0, 0, 0, ("md5", "zhangsan-pass", "a1b2c3"), (3, 88, 2, 9, 4, 0), False),
    (5, "李四", "lisi@example.com", 12, 0, 0, 0, ("bcrypt", "lisi-pass", "L1s1SaltL1s1SaltL1s1Sa"), (6, 210, 4, 7, 2, 0), False),
    (6, "广告机", "spam@example.com", 4, -1, 0, FUTURE, ("md5", "spam-pass", "sp4mmm"), (0, 0, 0, 2, 1, 0), False),
    (7, "捣乱者", "troll@example.com", 5, -1, 0, 0, ("md5", "troll-pass", "tr0ll1"), (0, 5, 0, 0, 0, 0), False),
    (8, "锁定用户", "locked@example.com", 10, 0, -1, 0, ("bcrypt", "locked-pass", "L0ckedSaltL0ckedSaltL0"), (0, 2, 0, 0, 0, 0), False),
    (9, "王五", "wangwu@example.com", 10, 0, 0, 0, ("plugin", "wangwu-pass", "myplugin1"), (1, 10, 0, 0, 0, 0), False),
    (10, "老会员", "old@example.com", 13, 0, 0, 0, ("md5", "old-pass", "o1dm3m"), (50, 400, 20, 1, 1, 0), True),
    (11, "群聊成员", "group@example.com", 10, 0, 0, 0, ("bcrypt", "group-pass", "Gr0upSaltGr0upSaltGr0u"), (0, 3, 0, 0, 0, 0), False),
]


def members(o):
    o.raw("\n-- members: common_member* (+ _archive for 老会员) and UCenter's members (FACTS.md §2.1-2.2, §3)")
    for uid, name, email, gid, adminid, status, gexp, (scheme, pw, salt), cr, archived in MEMBERS:
        e1, e2, e3, posts, threads, digest = cr
        credits = posts + digest * 5 + e1 * 2 + e2 + e3
        sfx = "_archive" if archived else ""
        regdate = T0 - (400 - uid) * DAY
        o.ins("pre_common_member" + sfx, uid=uid, email=email, username=name,
              password=md5hex("random junk %d" % uid), status=status, emailstatus=1,
              avatarstatus=0, adminid=adminid, groupid=gid, groupexpiry=gexp, regdate=regdate,
              credits=credits, timeoffset="9999")
        o.ins("pre_common_member_count" + sfx, uid=uid, extcredits1=e1, extcredits2=e2,
              extcredits3=e3, posts=posts, threads=threads, digestposts=digest, oltime=uid * 3)
        o.ins("pre_common_member_status" + sfx, uid=uid, regip="10.0.%d.1" % uid,
              lastip="10.0.%d.2" % uid, lastvisit=T0 + uid * 3600, lastactivity=T0 + uid * 3600,
              lastpost=T0 + uid * 1800)
        o.ins("pre_common_member_profile" + sfx, uid=uid, realname="", gender=uid % 3,
              bio="我是%s" % name, site="https://%d.example.org/" % uid if uid == 4 else "")
        sightml = ""
        if uid == 4:
            sightml = '<strong>张三的签名</strong> <a href="http://zhangsan.example.com" target="_blank">主页</a>'
        groupterms = ""
        if uid == 6:
            groupterms = o.ser({"main": {"time": gexp, "adminid": 0, "groupid": 10}})
        o.ins("pre_common_member_field_forum" + sfx, uid=uid,
              customstatus="灌水达人" if uid == 4 else "", sightml=sightml, groupterms=groupterms,
              medals="")
        o.ins("pre_common_member_field_home" + sfx, uid=uid, spacename="")
        if scheme == "bcrypt":
            upw, usalt = bcrypt(pw, salt), ""
        elif scheme == "md5":
            upw, usalt = dz_md5(pw, salt), salt
        else:
            upw, usalt = md5hex("plugin:" + pw), salt
        o.ins("pre_ucenter_members", uid=uid, username=name, password=upw, email=email,
              regip="10.0.%d.1" % uid, regdate=regdate, lastloginip=167772160 + uid,
              lastlogintime=T0 + uid * 3600, salt=usalt)
    o.raw("\n-- 小黑屋: the crime log (action 4 禁止发言, 5 禁止访问, 1 删除帖子; class_member.php l.931)")
    o.ins("pre_common_member_crime", uid=6, operatorid=1, operator="admin", action=1,
          reason="清理广告帖", dateline=T0 + 5 * DAY)
    o.ins("pre_common_member_crime", uid=6, operatorid=1, operator="admin", action=4,
          reason="发布广告", dateline=T0 + 5 * DAY + 60)
    o.ins("pre_common_member_crime", uid=7, operatorid=2, operator="超级版主", action=5,
          reason="恶意刷屏", dateline=T0 + 6 * DAY)
    o.raw("\n-- IP bans (common_banned: * wildcards, expiration)")
    o.ins("pre_common_banned", ip="123.45.*.*", admin="admin", dateline=T0, expiration=FUTURE)
    o.ins("pre_common_banned", ip="10.9.8.7", admin="admin", dateline=T0,
          expiration=T0 + 30 * DAY)


FORUMS = [
    # fid, fup, type, name, status, displayorder, allowhtml, description, rules
    (1, 0, "group", "综合讨论区", 1, 1, 0, "", ""),
    (2, 1, "forum", "灌水乐园", 1, 1, 0, "<b>随便聊</b>", "请文明发言"),
    (3, 2, "sub", "子版块", 1, 1, 0, "灌水乐园的子版块", ""),
    (4, 1, "forum", "隐藏版块", 0, 2, 0, "不在列表中", ""),
    (5, 1, "forum", "站务公告", 1, 3, 1, "站务", ""),
    (6, 0, "group", "第二分区", 1, 2, 0, "", ""),
    (7, 6, "forum", "技术交流", 1, 1, 0, "技术", ""),
]


def forums(o):
    o.raw("\n-- boards: categories (group), boards (forum), a sub-board (sub), a hidden board (status 0)")
    for fid, fup, typ, name, status, order, html, desc, rules in FORUMS:
        o.ins("pre_forum_forum", fid=fid, fup=fup, type=typ, name=name, status=status,
              displayorder=order, allowsmilies=1, allowbbcode=1, allowimgcode=1, allowhtml=html,
              allowanonymous=1 if fid == 2 else 0, recyclebin=1,
              lastpost="1\t欢迎来到楼兰测试论坛\t%d\tadmin" % T0 if fid == 2 else "")
        tt = ""
        if fid == 2:
            tt = o.ser({"required": False, "listable": True, "prefix": 1,
                        "types": {1: "求助", 2: "分享"}, "icons": {1: "", 2: ""},
                        "moderators": {1: 0, 2: 0}})
        o.ins("pre_forum_forumfield", fid=fid, description=desc, rules=rules,
              moderators="版主小王" if fid == 2 else "", threadtypes=tt,
              viewperm="", postperm="\t1\t2\t3\t10\t11\t12\t13\t14\t15\t" if fid == 5 else "")
    o.ins("pre_forum_threadclass", typeid=1, fid=2, name="求助", displayorder=1, icon="")
    o.ins("pre_forum_threadclass", typeid=2, fid=2, name="分享", displayorder=2, icon="")
    o.ins("pre_forum_moderator", uid=3, fid=2, displayorder=0, inherited=0)
    o.ins("pre_forum_moderator", uid=3, fid=3, displayorder=0, inherited=1)


EMOJI = "\U0001F600"

P1 = ("[b]欢迎[/b]来到楼兰测试论坛！{:1_1:} :) " + EMOJI + "\n"
      "[attach]1[/attach]\n[attach]2[/attach]\n"
      "[hide]回复后可见的内容[/hide]\n[free]免费预览部分[/free]\n"
      "[url=forum.php?mod=viewthread&tid=2]站内旧链接[/url] [color=#EE1B2E]红字[/color] [size=4]大字[/size]")

P2 = ("[quote][size=2][url=forum.php?mod=redirect&goto=findpost&pid=1&ptid=1]"
      "[color=#999999]admin 发表于 2023-11-5 10:05[/color][/url][/size]\n"
      "欢迎来到楼兰测试论坛！[/quote]\n\n同意楼主 :lol")

P3 = "[i=s] 本帖最后由 李四 于 2023-11-5 11:30 编辑 [/i]\n\n改过的回复，附件见下\n[attach]3[/attach]"


def thread_row(o, table, tid, fid, author, authorid, subject, dateline, **kw):
    cols = dict(tid=tid, fid=fid, author=author, authorid=authorid, subject=subject,
                dateline=dateline, lastpost=dateline + 3600, lastposter=author or "匿名")
    cols.update(kw)
    o.ins(table, **cols)


def post_row(o, table, pid, tid, fid, pos, author, authorid, message, dateline, **kw):
    cols = dict(pid=pid, fid=fid, tid=tid, first=1 if pos == 1 else 0, author=author,
                authorid=authorid, subject="", dateline=dateline, message=message,
                useip="10.0.%d.9" % authorid, usesig=1, position=pos)
    cols.update(kw)
    o.ins(table, **cols)
    o.ins("pre_forum_post_tableid", pid=pid)


def threads(o):
    o.raw("\n-- threads and posts (FACTS.md §2.4-2.5, §4); subjects are stored HTML-escaped")
    T = "pre_forum_thread"
    P = "pre_forum_post"
    d = T0
    # tid 1: global sticky (3), digest 1, highlight bold+red (style 4 *10 + colour 1), type 求助,
    # views + addviews, every post state, attachments, ratings, likes, support/oppose
    thread_row(o, T, 1, 2, "admin", 1, "欢迎来到楼兰测试论坛 &amp; 新手必读", d, typeid=1,
               views=100, replies=7, displayorder=3, digest=1, highlight=41, attachment=2,
               recommends=3, recommend_add=3, recommend_sub=0, maxposition=11, status=1, rate=1)
    o.ins("pre_forum_threadaddviews", tid=1, addviews=23)
    post_row(o, P, 1, 1, 2, 1, "admin", 1, P1, d, subject="欢迎来到楼兰测试论坛 &amp; 新手必读",
             attachment=2, rate=7, ratetimes=2)
    post_row(o, P, 2, 1, 2, 2, "张三", 4, P2, d + 300, rate=-1, ratetimes=1)
    post_row(o, P, 3, 1, 2, 3, "李四", 5, P3, d + 600, lastupdate=d + 5400, updateuid=5,
             attachment=1)
    post_row(o, P, 4, 1, 2, 4, "", 0, "游客路过，留个脚印", d + 900, useip="192.168.1.23")
    post_row(o, P, 5, 1, 2, 5, "张三", 4, "这条回复在回收站里 (invisible -5)", d + 1200, invisible=-5)
    post_row(o, P, 6, 1, 2, 6, "李四", 5, "这条回复等待审核 (invisible -2)", d + 1500, invisible=-2)
    post_row(o, P, 7, 1, 2, 7, "张三", 4, "这条回复审核被忽略 (invisible -3)", d + 1800, invisible=-3)
    post_row(o, P, 8, 1, 2, 8, "广告机", 6, "买药请加 QQ 123456 (屏蔽 status&1)", d + 2100, status=1)
    post_row(o, P, 9, 1, 2, 9, "张三", 4, "被警告的回复 (status&2)", d + 2400, status=2)
    post_row(o, P, 10, 1, 2, 10, "李四", 5, "匿名回复的内容", d + 2700, anonymous=1)
    post_row(o, P, 11, 1, 2, 11, "张三", 4, "丢失的图片和远程图片\n[attach]4[/attach]\n[attach]5[/attach]",
             d + 3000, attachment=2)

    # tid 2: forum sticky (1), closed, type 分享; moved away from fid 3 (stub tid 4 points here)
    thread_row(o, T, 2, 2, "张三", 4, "已关闭的分享帖", d + DAY, typeid=2, views=40, replies=1,
               displayorder=1, closed=1, recommends=1, recommend_add=1, maxposition=2)
    post_row(o, P, 20, 2, 2, 1, "张三", 4, "分享一个链接 [url=http://www.example.com]例子[/url]",
             d + DAY, subject="已关闭的分享帖")
    post_row(o, P, 21, 2, 2, 2, "admin", 1, "已关闭，谢谢分享", d + DAY + 600)
    # tid 3: category sticky (2), digest 2, highlight italic green (2*10+4)
    thread_row(o, T, 3, 2, "admin", 1, "分类置顶的精华帖", d + 2 * DAY, views=30, displayorder=2,
               digest=2, highlight=24, maxposition=1)
    post_row(o, P, 22, 3, 2, 1, "admin", 1, "精华内容 [list][*]一[*]二[/list]", d + 2 * DAY,
             subject="分类置顶的精华帖")
    # tid 4: a moved stub in fid 3 (closed = target tid 2), no posts of its own
    thread_row(o, T, 4, 3, "张三", 4, "已关闭的分享帖", d + DAY, closed=2, views=0)
    # tid 5: recycled (displayorder -1), posts invisible -1
    thread_row(o, T, 5, 2, "张三", 4, "被删除的主题", d + 3 * DAY, displayorder=-1, replies=1,
               maxposition=2)
    post_row(o, P, 23, 5, 2, 1, "张三", 4, "回收站里的主题", d + 3 * DAY, invisible=-1,
             subject="被删除的主题")
    post_row(o, P, 24, 5, 2, 2, "李四", 5, "回收站里的回复", d + 3 * DAY + 60, invisible=-1)
    # tid 6: pending (displayorder -2), first post invisible -2
    thread_row(o, T, 6, 2, "张三", 4, "等待审核的主题", d + 4 * DAY, displayorder=-2, maxposition=1)
    post_row(o, P, 25, 6, 2, 1, "张三", 4, "审核中……", d + 4 * DAY, invisible=-2,
             subject="等待审核的主题")
    # tid 7: anonymous thread: thread.author '' with the real authorid; post.author kept, anonymous=1
    thread_row(o, T, 7, 2, "", 5, "匿名发表的主题", d + 5 * DAY, replies=1, maxposition=2)
    post_row(o, P, 26, 7, 2, 1, "李四", 5, "匿名发表的内容", d + 5 * DAY, anonymous=1,
             subject="匿名发表的主题")
    post_row(o, P, 27, 7, 2, 2, "张三", 4, "楼上是谁？", d + 5 * DAY + 60)
    # tid 8: in the hidden board
    thread_row(o, T, 8, 4, "admin", 1, "隐藏版块里的主题", d + 5 * DAY, maxposition=1)
    post_row(o, P, 28, 8, 4, 1, "admin", 1, "只有知道地址的人能看到", d + 5 * DAY,
             subject="隐藏版块里的主题")
    # tid 9: a poll (special 1): imported as an ordinary thread, poll data in the report
    thread_row(o, T, 9, 2, "张三", 4, "投票：你用什么浏览器？", d + 6 * DAY, special=1,
               maxposition=1)
    post_row(o, P, 29, 9, 2, 1, "张三", 4, "请投票", d + 6 * DAY, subject="投票：你用什么浏览器？")
    o.ins("pre_forum_poll", tid=9, overt=1, multiple=0, visible=0, maxchoices=1,
          expiration=FUTURE, voters=3)
    for i, (opt, votes, ids) in enumerate((("Firefox", 2, "4\t5"), ("Chromium", 1, "1"),
                                           ("其他", 0, ""))):
        o.ins("pre_forum_polloption", polloptionid=i + 1, tid=9, votes=votes, displayorder=i,
              polloption=opt, voterids=ids)
    # tid 10: in the sub-board, by the archived member; an attachment in forum_attachment_0
    thread_row(o, T, 10, 3, "老会员", 10, "子版块里的老帖子", d - 200 * DAY, maxposition=1,
               attachment=2)
    post_row(o, P, 30, 10, 3, 1, "老会员", 10, "很久以前的帖子 [attach]8[/attach]", d - 200 * DAY,
             subject="子版块里的老帖子", attachment=2)
    # tid 11: in the thread archive table forum_thread_1, posts in forum_post_1
    thread_row(o, T + "_1", 11, 7, "张三", 4, "分表里的主题", d - 100 * DAY, posttableid=1,
               replies=1, maxposition=2, views=7)
    post_row(o, P + "_1", 31, 11, 7, 1, "张三", 4, "这个主题在 forum_thread_1 里", d - 100 * DAY,
             subject="分表里的主题")
    post_row(o, P + "_1", 32, 11, 7, 2, "李四", 5, "回复也在 forum_post_1 里", d - 100 * DAY + 60)
    # tid 12: in forum_thread, its posts in forum_post_1 (posttableid 1); attachment in _2
    thread_row(o, T, 12, 7, "admin", 1, "帖子在分表里的主题", d + 7 * DAY, posttableid=1,
               replies=1, maxposition=2, attachment=2)
    post_row(o, P + "_1", 33, 12, 7, 1, "admin", 1, "正文在 forum_post_1 [attach]6[/attach]",
             d + 7 * DAY, subject="帖子在分表里的主题", attachment=2)
    post_row(o, P + "_1", 34, 12, 7, 2, "张三", 4, "沙发", d + 7 * DAY + 60)
    # tid 13: by the banned member
    thread_row(o, T, 13, 2, "广告机", 6, "便宜的药", d + 8 * DAY, maxposition=1)
    post_row(o, P, 35, 13, 2, 1, "广告机", 6, "买药 http://spam.example.com", d + 8 * DAY,
             subject="便宜的药")
    # tid 14: an htmlon post (raw HTML; <script> must go)
    thread_row(o, T, 14, 5, "admin", 1, "HTML 公告", d + 9 * DAY, maxposition=1)
    post_row(o, P, 36, 14, 5, 1, "admin", 1,
             '<p>公告 <b>粗体</b> <a href="http://www.example.com" onclick="steal()">链接</a></p>'
             '<script>alert(1)</script><img src="x" onerror="alert(2)">',
             d + 9 * DAY, htmlon=1, subject="HTML 公告")
    # tid 15: a guest thread (authorid 0, author '')
    thread_row(o, T, 15, 2, "", 0, "游客发的主题", d + 10 * DAY, maxposition=1)
    post_row(o, P, 37, 15, 2, 1, "", 0, "游客的内容", d + 10 * DAY, useip="172.16.5.4",
             subject="游客发的主题")


def attachments(o):
    o.raw("\n-- attachments: forum_attachment index + forum_attachment_N by tableid (FACTS.md §2.9)")
    A = [
        # aid, tid, pid, uid, tableid, filename (escaped), path, remote, isimage, w, h, size
        (1, 1, 1, 1, 1, "风景.jpg", "202311/05/101500abcdefghabcdefgh.jpg", 0, 1, 64, 48),
        (2, 1, 1, 1, 1, "截图 &amp; 说明.png", "202311/05/101501ijklmnopijklmnop.png", 0, 1, 40, 30),
        (3, 1, 3, 5, 1, "工具&amp;说明.7z", "202311/05/113000qrstuvwxqrstuvwx.attach", 0, 0, 0, 0),
        (4, 1, 11, 4, 1, "丢失的图片.jpg", "202311/06/120000missingmissingmi.jpg", 0, 1, 64, 48),
        (5, 1, 11, 4, 1, "远程图片.jpg", "202311/06/120100remoteremoteremo.jpg", 1, 1, 64, 48),
        (6, 12, 33, 1, 2, "分表图片.png", "202311/12/090000splitsplitsplits.png", 0, 1, 40, 30),
        (8, 10, 30, 10, 0, "老照片.jpg", "202305/20/080000zerozerozerozero.jpg", 0, 1, 64, 48),
    ]
    for aid, tid, pid, uid, tableid, fname, path, remote, isimage, w, h in A:
        f = os.path.join(HERE, "files", "data", "attachment", "forum", path)
        size = os.path.getsize(f) if os.path.exists(f) else 1840
        o.ins("pre_forum_attachment", aid=aid, tid=tid, pid=pid, uid=uid, tableid=tableid,
              downloads=aid * 2)
        o.ins("pre_forum_attachment_%d" % tableid, aid=aid, tid=tid, pid=pid, uid=uid,
              dateline=T0 + aid * 60, filename=fname, filesize=size, attachment=path,
              remote=remote, description="", readperm=0, price=0, isimage=isimage, width=w,
              height=h, thumb=0, picid=0)
    # aid 7: uploaded but never posted (tableid 127, forum_attachment_unused)
    o.ins("pre_forum_attachment", aid=7, tid=0, pid=0, uid=4, tableid=127, downloads=0)
    o.ins("pre_forum_attachment_unused", aid=7, uid=4, dateline=T0, filename="未使用.jpg",
          filesize=1840, attachment="202311/07/000000unusedunusedunus.jpg", isimage=1)


def reactions(o):
    o.raw("\n-- ratings, support/oppose, recommends (likes), favourites (FACTS.md §2.6)")
    o.ins("pre_forum_ratelog", pid=1, uid=3, username="版主小王", extcredits=1, dateline=T0 + 400,
          score=2, reason="好帖")
    o.ins("pre_forum_ratelog", pid=1, uid=1, username="admin", extcredits=2, dateline=T0 + 500,
          score=5, reason="奖励")
    o.ins("pre_forum_ratelog", pid=2, uid=1, username="admin", extcredits=1, dateline=T0 + 800,
          score=-1, reason="灌水")
    # post-level 支持/反对 (attitude 1 support, 0 against)
    for tid, pid, uid, att in ((1, 2, 1, 1), (1, 2, 5, 1), (1, 2, 3, 0), (1, 3, 4, 1)):
        o.ins("pre_forum_hotreply_member", tid=tid, pid=pid, uid=uid, attitude=att)
    o.ins("pre_forum_hotreply_number", pid=2, tid=1, support=2, against=1, total=3)
    o.ins("pre_forum_hotreply_number", pid=3, tid=1, support=1, against=0, total=1)
    # thread recommends (推荐): one row per voter, no direction
    for tid, uid, dt in ((1, 4, 1000), (1, 5, 1100), (1, 3, 1200), (2, 1, DAY + 700)):
        o.ins("pre_forum_memberrecommend", tid=tid, recommenduid=uid, dateline=T0 + dt)
    for uid, fid_id, idtype, title in ((4, 1, "tid", "欢迎来到楼兰测试论坛 &amp; 新手必读"),
                                        (4, 12, "tid", "帖子在分表里的主题"),
                                        (4, 2, "fid", "灌水乐园"),
                                        (5, 1, "tid", "欢迎来到楼兰测试论坛 &amp; 新手必读")):
        o.ins("pre_home_favorite", uid=uid, id=fid_id, idtype=idtype, spaceuid=0, title=title,
              description="", dateline=T0 + 2 * DAY)


def modlog(o):
    o.raw("\n-- moderation log (forum_threadmod, lang_modaction.php codes)")
    for tid, uid, user, dt, action, reason in (
            (1, 1, "admin", 100, "STK", "置顶"),
            (1, 1, "admin", 110, "DIG", ""),
            (1, 3, "版主小王", 120, "HLT", ""),
            (2, 3, "版主小王", DAY + 900, "CLS", "讨论结束"),
            (2, 3, "版主小王", DAY + 950, "MOV", ""),
            (5, 1, "admin", 3 * DAY + 100, "DEL", "重复"),
            (13, 2, "超级版主", 8 * DAY + 100, "BNP", "广告"),
            (1, 1, "admin", 130, "SPA", "")):
        o.ins("pre_forum_threadmod", tid=tid, uid=uid, username=user, dateline=T0 + dt,
              expiration=0, action=action, status=1, magicid=0, stamp=0, reason=reason)


def pms(o):
    o.raw("\n-- 短消息 (UCenter pm_*): plid 1-9 one-to-one with 张三, plid 10 a group chat;"
          "\n-- messages go to pm_messages_<last digit of plid> (pm.php l.737): all ten tables used")
    pmid = 0
    others = [1, 2, 3, 5, 6, 7, 8, 9, 10]
    names = {m[0]: m[1] for m in MEMBERS}
    for plid in range(1, 11):
        table = "pre_ucenter_pm_messages_%d" % (plid % 10)
        if plid <= 9:
            other = others[plid - 1]
            lo, hi = sorted((4, other))
            mems = [4, other]
            subject = "你好 %s" % names[other]
            o.ins("pre_ucenter_pm_lists", plid=plid, authorid=other, pmtype=1, subject=subject,
                  members=2, min_max="%d_%d" % (lo, hi), dateline=T0 + plid * 100,
                  lastmessage=o.ser({"lastauthorid": str(4), "lastauthor": "张三",
                                     "lastsummary": "收到"}))
            msgs = [(other, "来自 pm_messages_%d 的私信：你好张三 :)" % (plid % 10), 0),
                    (4, "收到 [url]http://www.example.com[/url]", 0)]
            if plid == 2:
                # delstatus 1: deleted by its author; 2: deleted by the other party (pm.php l.431)
                # (the two are 张三 and 超级版主, min_max "2_4")
                msgs.append((4, "张三删掉了自己发的这条 (delstatus 1)", 1))
                msgs.append((other, "张三删掉了%s发来的这条 (delstatus 2)" % names[other], 2))
                msgs.append((other, "%s删掉了自己发的这条 (delstatus 1)" % names[other], 1))
        else:
            mems = [4, 5, 11]
            o.ins("pre_ucenter_pm_lists", plid=plid, authorid=4, pmtype=2, subject="周末聚会",
                  members=3, min_max="", dateline=T0 + plid * 100,
                  lastmessage=o.ser({"lastauthorid": "11", "lastauthor": "群聊成员",
                                     "lastsummary": "我也去"}))
            msgs = [(4, "来自 pm_messages_0 的群聊：周末去爬山？", 0), (5, "好啊", 0),
                    (11, "我也去 " + EMOJI, 0)]
        for i, (author, text, dels) in enumerate(msgs):
            pmid += 1
            o.ins("pre_ucenter_pm_indexes", pmid=pmid, plid=plid)
            o.ins(table, pmid=pmid, plid=plid, authorid=author, message=text, delstatus=dels,
                  dateline=T0 + plid * 100 + i * 10)
        for uid in mems:
            o.ins("pre_ucenter_pm_members", plid=plid, uid=uid, isnew=1 if uid != 4 else 0,
                  pmnum=len(msgs), lastupdate=T0 + plid * 100 + 50,
                  lastdateline=T0 + plid * 100 + (len(msgs) - 1) * 10)


def main():
    for charset, fname in (("utf8mb4", "fixture.sql"), ("gbk", "fixture-gbk.sql")):
        o = Out(charset)
        o.raw("-- Discuz! X3.5 fixture for the importer tests (issue #18), %s." % charset)
        o.raw("-- GENERATED by tests/discuz/gen-fixture.py: edit that, then run it.")
        o.raw("-- Load after tests/discuz/schema.sql into a database created with this charset,")
        o.raw("-- with `mariadb --default-character-set=%s`. Plaintext passwords: see gen-fixture.py." % charset)
        o.raw("-- Discuz! runs with sql_mode '' (missing NOT NULL text columns become '').")
        o.raw("SET SESSION sql_mode = '';")
        o.raw("SET NAMES %s;" % charset)
        settings(o)
        groups(o)
        members(o)
        forums(o)
        threads(o)
        attachments(o)
        reactions(o)
        modlog(o)
        pms(o)
        data = "\n".join(o.lines) + "\n"
        with open(os.path.join(HERE, fname), "wb") as f:
            f.write(data.encode("utf-8" if charset == "utf8mb4" else "gbk"))


if __name__ == "__main__":
    main()
