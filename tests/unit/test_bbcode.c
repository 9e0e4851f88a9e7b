/*
** test_bbcode: exact-output tests for bbcode_render: every tag, literal fallbacks, nesting, the depth cap, CJK, autolink, XSS vectors.
** Every output is also run through tests/fuzz/html_check.h.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "markup/bbcode.h"
#include "markup/attach.h"
#include "markup/markdown.h"
#include "markup/mention.h"

#define RENDER bbcode_render

#include "render_harness.h"

/* ---- cases: input, exact expected HTML */
#define EXACT_CASES(CASE) \
	CASE(b, "[b]x[/b]", \
	     "<strong>x</strong>") \
	CASE(b_upper, "[B]x[/B]", \
	     "<strong>x</strong>") \
	CASE(i, "[i]x[/i]", \
	     "<em>x</em>") \
	CASE(u, "[u]x[/u]", \
	     "<u>x</u>") \
	CASE(s, "[s]x[/s]", \
	     "<s>x</s>") \
	CASE(color_name, "[color=Red]x[/color]", \
	     "<span class=\"c-red\">x</span>") \
	CASE(color_hex3, "[color=#F00]x[/color]", \
	     "<span class=\"c-red\">x</span>") \
	CASE(color_hex6, "[color=#00ff00]x[/color]", \
	     "<span class=\"c-lime\">x</span>") \
	CASE(color_rgb, "[color=rgb(255, 0,10)]x[/color]", \
	     "<span class=\"c-red\">x</span>") \
	CASE(size_1, "[size=1]x[/size]", \
	     "<span class=\"fs-10\">x</span>") \
	CASE(size_3, "[size=3]x[/size]", \
	     "<span class=\"fs-16\">x</span>") \
	CASE(size_7, "[size=7]x[/size]", \
	     "<span class=\"fs-48\">x</span>") \
	CASE(size_px, "[size=14px]x[/size]", \
	     "<span class=\"fs-14\">x</span>") \
	CASE(size_pt, "[size=10.5pt]x[/size]", \
	     "<span class=\"fs-14\">x</span>") \
	CASE(font, "[font=Times New Roman]x[/font]", \
	     "<span class=\"f-serif\">x</span>") \
	CASE(font_cjk, "[font=\345\276\256\350\275\257\351\233\205\351\273\221]\344\270\255\346\226\207[/font]", \
	     "<span class=\"f-sans\">\344\270\255\346\226\207</span>") \
	CASE(color_quantized, "[color=#999999]x[/color]", \
	     "<span class=\"c-gray\">x</span>") \
	CASE(color_named_off_palette, "[color=crimson]x[/color]", \
	     "<span class=\"c-red\">x</span>") \
	CASE(color_palette_exact, "[color=DarkOliveGreen]x[/color]", \
	     "<span class=\"c-darkolivegreen\">x</span>") \
	CASE(color_aqua_is_cyan, "[color=aqua]x[/color]", \
	     "<span class=\"c-cyan\">x</span>") \
	CASE(backcolor, "[backcolor=Yellow]x[/backcolor]", \
	     "<span class=\"bg-yellow\">x</span>") \
	CASE(backcolor_hex, "[backcolor=#FFFF01]x[/backcolor]", \
	     "<span class=\"bg-yellow\">x</span>") \
	CASE(size_px_min, "[size=8px]x[/size]", \
	     "<span class=\"fs-8\">x</span>") \
	CASE(size_px_max, "[size=72px]x[/size]", \
	     "<span class=\"fs-72\">x</span>") \
	CASE(size_px_round, "[size=12.5px]x[/size]", \
	     "<span class=\"fs-13\">x</span>") \
	CASE(size_pt_min, "[size=6pt]x[/size]", \
	     "<span class=\"fs-8\">x</span>") \
	CASE(size_pt_max, "[size=54pt]x[/size]", \
	     "<span class=\"fs-72\">x</span>") \
	CASE(size_pt_12, "[size=12pt]x[/size]", \
	     "<span class=\"fs-16\">x</span>") \
	CASE(font_kai_underscore, "[font=\346\245\267\344\275\223_GB2312]x[/font]", \
	     "<span class=\"f-kai\">x</span>") \
	CASE(font_fangsong, "[font=\344\273\277\345\256\213]x[/font]", \
	     "<span class=\"f-fang\">x</span>") \
	CASE(font_song, "[font=\345\256\213\344\275\223]x[/font]", \
	     "<span class=\"f-serif\">x</span>") \
	CASE(font_courier, "[font=Courier New]x[/font]", \
	     "<span class=\"f-mono\">x</span>") \
	CASE(table_bg, "[table=50%,#ffff00][tr=Pink][td]x[/td][/tr][/table]", \
	     "<table width=\"50%\" class=\"bg-yellow\"><tr class=\"bg-pink\"><td>x</td></tr></table>") \
	CASE(lit_table_bad_bg, "[table=50%,url(x)][tr][td]x[/td][/tr][/table]", \
	     "[table=50%,url(x)][tr][td]x[/td][/tr][/table]") \
	CASE(lit_tr_bad_bg, "[table][tr=x;y][td]x[/td][/tr][/table]", \
	     "<table><tr><td>[tr=x;y][td]x[/td][/tr]</td></tr></table>") \
	CASE(font_comic, "[font=Comic Sans MS]x[/font]", \
	     "<span class=\"f-cursive\">x</span>") \
	CASE(font_unknown, "[font=Wingdings]x[/font]", \
	     "<span>x</span>") \
	CASE(float_left, "[float=left]x[/float]", \
	     "<span class=\"fl-left\">x</span>") \
	CASE(float_right, "[float=RIGHT]x[/float]", \
	     "<span class=\"fl-right\">x</span>") \
	CASE(lit_float_center, "[float=center]x[/float]", \
	     "[float=center]x[/float]") \
	CASE(lit_backcolor_bad, "[backcolor=url(x)]x[/backcolor]", \
	     "[backcolor=url(x)]x[/backcolor]") \
	CASE(lit_size_px_under, "[size=7px]x[/size]", \
	     "[size=7px]x[/size]") \
	CASE(lit_size_px_over, "[size=72.5px]x[/size]", \
	     "[size=72.5px]x[/size]") \
	CASE(lit_size_pt_under, "[size=5pt]x[/size]", \
	     "[size=5pt]x[/size]") \
	CASE(lit_size_pt_over, "[size=55pt]x[/size]", \
	     "[size=55pt]x[/size]") \
	CASE(lit_font_semicolon, "[font=a_b;c]x[/font]", \
	     "[font=a_b;c]x[/font]") \
	CASE(align_left, "[align=left]x[/align]", \
	     "<div class=\"al-left\">x</div>") \
	CASE(align_center, "[align=CENTER]x[/align]", \
	     "<div class=\"al-center\">x</div>") \
	CASE(align_right, "[align=right]x[/align]", \
	     "<div class=\"al-right\">x</div>") \
	CASE(url_raw, "[url]http://example.com/a\?b=1&c=2[/url]", \
	     "<a href=\"http://example.com/a\?b=1&amp;c=2\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://example.com/a\?b=1&amp;c=2</a>") \
	CASE(url_www, "[url]www.example.com[/url]", \
	     "<a href=\"http://www.example.com\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">www.example.com</a>") \
	CASE(url_arg, "[url=https://example.com/]the [b]site[/b][/url]", \
	     "<a href=\"https://example.com/\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">the <strong>site</strong></a>") \
	CASE(url_rel, "[url=/forum.php\?mod=viewthread&tid=1]t[/url]", \
	     "<a href=\"/forum.php\?mod=viewthread&amp;tid=1\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">t</a>") \
	CASE(email_raw, "[email]a.b@example.com[/email]", \
	     "<a href=\"mailto:a.b@example.com\">a.b@example.com</a>") \
	CASE(email_arg, "[email=a@example.com]write[/email]", \
	     "<a href=\"mailto:a@example.com\">write</a>") \
	CASE(img, "[img]http://example.com/a.png[/img]", \
	     "<img src=\"http://example.com/a.png\" loading=\"lazy\" referrerpolicy=\"no-referrer\" alt=\"\">") \
	CASE(img_size, "[img=100x50]/a.png[/img]", \
	     "<img src=\"/a.png\" width=\"100\" height=\"50\" loading=\"lazy\" referrerpolicy=\"no-referrer\" alt=\"\">") \
	CASE(img_size_comma, "[img=640,480]/a.png[/img]", \
	     "<img src=\"/a.png\" width=\"640\" height=\"480\" loading=\"lazy\" referrerpolicy=\"no-referrer\" alt=\"\">") \
	CASE(quote, "[quote]said [i]this[/i][/quote]", \
	     "<div class=\"quote\"><blockquote>said <em>this</em></blockquote></div>") \
	CASE(quote_nl, "a\n[quote]\nq\n[/quote]\nb", \
	     "a<div class=\"quote\"><blockquote>q</blockquote></div>b") \
	CASE(code, "[code]\n[b]x[/b] <a href=\"y\">&amp;\r\n  indented\n[/code]after", \
	     "<div class=\"blockcode\"><pre><code>[b]x[/b] &lt;a href=&quot;y&quot;&gt;&amp;amp;\n  indented</code></pre></div>after") \
	CASE(list, "[list]\n[*]one\n[*]two\n[/list]\nend", \
	     "<ul><li>one</li><li>two</li></ul>end") \
	CASE(list_1, "[list=1][*]a[*]b[/list]", \
	     "<ol><li>a</li><li>b</li></ol>") \
	CASE(list_a, "[list=a][*]a[/list]", \
	     "<ol type=\"a\"><li>a</li></ol>") \
	CASE(list_item_close_li, "[list][*][b]x[/b][/list]", \
	     "<ul><li><strong>x</strong></li></ul>") \
	CASE(hr, "a[hr]b", \
	     "a<hr />b") \
	CASE(table, "[table][tr][td]a[/td][td]b[/td][/tr][/table]", \
	     "<table><tr><td>a</td><td>b</td></tr></table>") \
	CASE(table_width, "[table=98%]\n[tr]\n[td=200]a[/td]\n[td=2,3,50%]b[/td]\n[/tr]\n[/table]", \
	     "<table width=\"98%\"><tr><td width=\"200\">a</td><td colspan=\"2\" rowspan=\"3\" width=\"50%\">b</td></tr></table>") \
	CASE(table_px, "[table=500px][tr][td=1,1]c[/td][/tr][/table]", \
	     "<table width=\"500\"><tr><td>c</td></tr></table>") \
	CASE(indent, "[indent]x[/indent]", \
	     "<blockquote>x</blockquote>") \
	CASE(newlines, "a\nb\r\nc\rd\n\n", \
	     "a<br />b<br />c<br />d<br /><br />") \
	CASE(lit_unknown, "[foo]x[/foo]", \
	     "[foo]x[/foo]") \
	CASE(lit_unclosed, "[b]x", \
	     "[b]x") \
	CASE(lit_close_only, "x[/b]", \
	     "x[/b]") \
	CASE(lit_mismatch, "[b]x[/i][/b]", \
	     "<strong>x[/i]</strong>") \
	CASE(lit_crossed, "[b][i]x[/b][/i]", \
	     "<strong>[i]x</strong>[/i]") \
	CASE(lit_pop_unclosed, "[b]x [i]y[/b]", \
	     "<strong>x [i]y</strong>") \
	CASE(lit_bad_color, "[color=reddish]x[/color]", \
	     "[color=reddish]x[/color]") \
	CASE(lit_bad_color_hex, "[color=#12345]x[/color]", \
	     "[color=#12345]x[/color]") \
	CASE(lit_bad_rgb, "[color=rgb(256,0,0)]x[/color]", \
	     "[color=rgb(256,0,0)]x[/color]") \
	CASE(lit_size_8, "[size=8]x[/size]", \
	     "[size=8]x[/size]") \
	CASE(lit_size_big_px, "[size=100px]x[/size]", \
	     "[size=100px]x[/size]") \
	CASE(lit_size_em, "[size=2em]x[/size]", \
	     "[size=2em]x[/size]") \
	CASE(lit_font_bad, "[font=a;b]x[/font]", \
	     "[font=a;b]x[/font]") \
	CASE(lit_font_long, "[font=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]x[/font]", \
	     "[font=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]x[/font]") \
	CASE(lit_align_justify, "[align=justify]x[/align]", \
	     "[align=justify]x[/align]") \
	CASE(lit_list_9, "[list=9][*]x[/list]", \
	     "[list=9][*]x[/list]") \
	CASE(lit_img_zero, "[img=0x5]/a.png[/img]", \
	     "[img=0x5]/a.png[/img]") \
	CASE(lit_img_huge, "[img=5000x10]/a.png[/img]", \
	     "[img=5000x10]/a.png[/img]") \
	CASE(lit_td_bad, "[table][tr][td=0,1]x[/td][/tr][/table]", \
	     "<table><tr>[td=0,1]x[/td]</tr></table>") \
	CASE(table_pct_clamped, "[table=200%][tr][td]x[/td][/tr][/table]", \
	     "<table width=\"98%\"><tr><td>x</td></tr></table>") \
	CASE(table_px_clamped, "[table=561][tr][td]x[/td][/tr][/table]", \
	     "<table width=\"98%\"><tr><td>x</td></tr></table>") \
	CASE(table_px_limit, "[table=560px,#ff0000][tr][td]x[/td][/tr][/table]", \
	     "<table width=\"560\" class=\"bg-red\"><tr><td>x</td></tr></table>") \
	CASE(lit_table_5digits, "[table=10000][tr][td]x[/td][/tr][/table]", \
	     "[table=10000][tr][td]x[/td][/tr][/table]") \
	CASE(table_pipe, "[table=50%]\na|b\nc|[b]d[/b]\n[/table]", \
	     "<table width=\"50%\"><tr><td>a</td><td>b</td></tr><tr><td>c</td><td><strong>d</strong></td></tr></table>") \
	CASE(table_pipe_blocks_literal, "[table]a|[quote]q[/quote]|[url=/x]l[/url][/table]", \
	     "<table><tr><td>a</td><td>[quote]q[/quote]</td><td><a href=\"/x\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">l</a></td></tr></table>") \
	CASE(table_pipe_span_cells, "[table][b]a|b[/b]\nc[/table]", \
	     "<table><tr><td><strong>a|b</strong></td></tr><tr><td>c</td></tr></table>") \
	CASE(table_pipe_esc, "[table]<x>|&[/table]", \
	     "<table><tr><td>&lt;x&gt;</td><td>&amp;</td></tr></table>") \
	CASE(lit_b_arg, "[b=1]x[/b]", \
	     "[b=1]x[/b]") \
	CASE(p_para, "[p=30, 2, left]para[/p]", \
	     "<div class=\"para ti-2 al-left\">para</div>") \
	CASE(p_null, "a\n[p=null, null, center]x[/p]\nb", \
	     "a<div class=\"para al-center\">x</div>b") \
	CASE(p_indent_capped, "[p=24,9,right]x[/p]", \
	     "<div class=\"para ti-4 al-right\">x</div>") \
	CASE(lit_p_bad, "[p=30, 2, justify]x[/p] [p=300, 2, left]y[/p] [p=1,2]z[/p]", \
	     "[p=30, 2, justify]x[/p] [p=300, 2, left]y[/p] [p=1,2]z[/p]") \
	CASE(hide_write_time, "a[hide]secret[/hide]b", \
	     "a<div class=\"locked\">本帖隐藏的内容需要回复才可以浏览</div>b") \
	CASE(hide_credits, "[hide=50]secret[/hide]", \
	     "<div class=\"locked\">本帖隐藏的内容需要积分高于 50 才可浏览</div>") \
	CASE(hide_days, "[hide=d7]secret[/hide]", \
	     "<div class=\"locked\">本帖隐藏的内容需要回复才可以浏览（发帖 7 天后公开）</div>") \
	CASE(hide_days_credits, "[hide=d30,100]secret[/hide]", \
	     "<div class=\"locked\">本帖隐藏的内容需要积分高于 100 才可浏览（发帖 30 天后公开）</div>") \
	CASE(hide_nested_tags, "[hide][b]s[/b][url=http://x.example/]t[/url][code]c[/code][/hide]", \
	     "<div class=\"locked\">本帖隐藏的内容需要回复才可以浏览</div>") \
	CASE(hide_in_table_no_text, "[table][tr][hide]secret[/hide][td]x[/td][/tr][/table]", \
	     "<table><tr><td>x</td></tr></table>") \
	CASE(hide_past_depth_cap, "[b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][hide]secret[/hide][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b][/b]", \
	     "<strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong><strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong></strong>") \
	CASE(lit_hide_unclosed, "[hide]visible", \
	     "[hide]visible") \
	CASE(lit_hide_bad, "[hide=0]a[/hide] [hide=x]b[/hide] [hide=d]c[/hide] [hide=d5,]d[/hide] [hide=1234567890]e[/hide]", \
	     "[hide=0]a[/hide] [hide=x]b[/hide] [hide=d]c[/hide] [hide=d5,]d[/hide] [hide=1234567890]e[/hide]") \
	CASE(edit_stamp, "[i=s] 本帖最后由 admin 于 2023-12-21 10:05 编辑 [/i]\n\n正文", \
	     "<div class=\"pstatus\"> 本帖最后由 admin 于 2023-12-21 10:05 编辑 </div>正文") \
	CASE(lit_i_arg, "[i=x]y[/i]", \
	     "[i=x]y[/i]") \
	CASE(free, "[free]\n免费的[b]预览[/b]\n[/free]\n付费", \
	     "<div class=\"quote free\"><div class=\"quote-h\">免费内容</div><blockquote>免费的<strong>预览</strong></blockquote></div>付费") \
	CASE(password, "[password]123456[/password]\n正文", \
	     "<div class=\"pstatus\">原帖设有阅读密码，loulan 不支持帖子密码，本帖对能看到本版的人公开。</div>正文") \
	CASE(postbg, "[postbg]bg1.jpg[/postbg]正文", \
	     "正文") \
	CASE(qq, "[qq]12345678[/qq]", \
	     "<a class=\"medialink\" href=\"https://wpa.qq.com/msgrd?v=3&amp;uin=12345678&amp;site=qq&amp;menu=yes\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">QQ: 12345678</a>") \
	CASE(lit_qq_bad, "[qq]1234[/qq] [qq]abc12345[/qq] [qq]123456789012[/qq] [qq=1]12345[/qq]", \
	     "[qq]1234[/qq] [qq]abc12345[/qq] [qq]123456789012[/qq] [qq=1]12345[/qq]") \
	CASE(lit_password_arg, "[password=1]x[/password]", \
	     "[password=1]x[/password]") \
	CASE(groupid, "[groupid=12]摄影小组[/groupid]", \
	     "<span class=\"pstatus\">来自群组: <a href=\"/f/12\">摄影小组</a></span>") \
	CASE(lit_groupid_bad, "[groupid=x]a[/groupid] [groupid=0]b[/groupid]", \
	     "[groupid=x]a[/groupid] [groupid=0]b[/groupid]") \
	CASE(media, "[media=x,500,375]https://v.example/a.mp4[/media]", \
	     "<a class=\"medialink\" href=\"https://v.example/a.mp4\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">媒体: https://v.example/a.mp4</a>") \
	CASE(audio, "[audio]http://a.example/s.mp3[/audio][audio=1]http://a.example/t.mp3[/audio]", \
	     "<a class=\"medialink\" href=\"http://a.example/s.mp3\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">音频: http://a.example/s.mp3</a>" \
	     "<a class=\"medialink\" href=\"http://a.example/t.mp3\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">音频: http://a.example/t.mp3</a>") \
	CASE(flash_swf, "[flash=550,400]http://f.example/a.swf[/flash][swf]http://f.example/b.swf[/swf]", \
	     "<a class=\"medialink\" href=\"http://f.example/a.swf\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">Flash: http://f.example/a.swf</a>" \
	     "<a class=\"medialink\" href=\"http://f.example/b.swf\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">Flash: http://f.example/b.swf</a>") \
	CASE(lit_media_js, "[media]javascript:alert(1)[/media] [flash=a;b]/x[/flash] [swf=1]/x[/swf] [audio]data:x[/audio]", \
	     "[media]javascript:alert(1)[/media] [flash=a;b]/x[/flash] [swf=1]/x[/swf] [audio]data:x[/audio]") \
	CASE(attachimg_bare, "[attachimg]x[/attachimg]", \
	     "[attachimg]x[/attachimg]") \
	CASE(url_schemeless, "[url=forum.php?mod=viewthread&tid=5]t[/url]", \
	     "<a href=\"/forum.php?mod=viewthread&amp;tid=5\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">t</a>") \
	CASE(url_findpost, "[url=forum.php?mod=redirect&goto=findpost&pid=123&ptid=5]1#[/url][url]redirect.php?goto=findpost&pid=9&ptid=1[/url]", \
	     "<a href=\"/p/123\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">1#</a>" \
	     "<a href=\"/p/9\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">redirect.php?goto=findpost&amp;pid=9&amp;ptid=1</a>") \
	CASE(url_ftp_tel_magnet, "[url=ftp://f.example/x]f[/url][url=tel:+8610123]t[/url][url=magnet:?xt=urn:btih:abc]m[/url]", \
	     "<a href=\"ftp://f.example/x\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">f</a>" \
	     "<a href=\"tel:+8610123\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">t</a>" \
	     "<a href=\"magnet:?xt=urn:btih:abc\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">m</a>") \
	CASE(url_unsafe_schemes_text, "[url=thunder://abc]a[/url] [url=telnet://h]b[/url] [url=ftp:x]c[/url] [url=tel:javascript:x]d[/url] [url=javascript:alert(1)]e[/url]", \
	     "<span class=\"nolink\">a</span> <span class=\"nolink\">b</span> <span class=\"nolink\">c</span> <span class=\"nolink\">d</span> <span class=\"nolink\">e</span>") \
	CASE(lit_url_raw_unsafe, "[url]thunder://abc[/url]", \
	     "[url]thunder://abc[/url]") \
	CASE(quote_discuz_heading, "[quote][size=2][url=forum.php?mod=redirect&goto=findpost&pid=7&ptid=3][color=#999999]小明 发表于 2023-12-21 10:05[/color][/url][/size]\n引用的话[/quote]\n\n回复", \
	     "<div class=\"quote\"><blockquote><span class=\"fs-13\"><a href=\"/p/7\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\"><span class=\"c-gray\">小明 发表于 2023-12-21 10:05</span></a></span><br />引用的话</blockquote></div><br />回复") \
	CASE(img_schemeless, "[img]data/attachment/forum/202311/05/a.jpg[/img]", \
	     "<img src=\"/data/attachment/forum/202311/05/a.jpg\" loading=\"lazy\" referrerpolicy=\"no-referrer\" alt=\"\">") \
	CASE(url_hash_and_slash_kept, "[url=#top]t[/url][url=/t/1]u[/url]", \
	     "<a href=\"#top\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">t</a><a href=\"/t/1\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">u</a>") \
	CASE(list_upper_a, "[list=A][*]x[/list]", \
	     "<ol type=\"A\"><li>x</li></ol>") \
	CASE(smiley_sets, "{:2_30:}{:3_41:}{:1_1:}{:4_1:}", \
	     "<span class=\"smiley\" title=\"酷猴\">😆</span><span class=\"smiley\" title=\"呆呆男\">😐</span><span class=\"smiley\" title=\"微笑\">🙂</span>{:4_1:}") \
	CASE(lit_url_empty, "[url][/url]", \
	     "[url][/url]") \
	CASE(lit_email_bad, "[email]not-an-email[/email]", \
	     "[email]not-an-email[/email]") \
	CASE(lit_code_unclosed, "[code][b]x[/b]", \
	     "[code]<strong>x</strong>") \
	CASE(lit_tr_outside, "[tr][td]x[/td][/tr]", \
	     "[tr][td]x[/td][/tr]") \
	CASE(lit_item_outside, "[*]x", \
	     "[*]x") \
	CASE(lit_item_in_b, "[list][b][*]x[/b][/list]", \
	     "<ul><strong>[*]x</strong></ul>") \
	CASE(lit_url_in_url, "[url=/a][url=/b]x[/url][/url]", \
	     "<a href=\"/a\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">[url=/b]x[/url]</a>") \
	CASE(lit_broken_bracket, "[b x[/b] [ b]y[/b] [/b", \
	     "[b x[/b] [ b]y[/b] [/b") \
	CASE(lit_text_in_table, "[table][b]x[/b][tr][td]y[/td][/tr][/table]", \
	     "<table>[b]x[/b]<tr><td>y</td></tr></table>") \
	CASE(nest_quote, "[quote][quote][b][color=blue]deep[/color][/b][/quote][/quote]", \
	     "<div class=\"quote\"><blockquote><div class=\"quote\"><blockquote><strong><span class=\"c-blue\">deep</span></strong></blockquote></div></blockquote></div>") \
	CASE(nest_list_in_quote, "[quote][list][*][url=/x]l[/url][/list][/quote]", \
	     "<div class=\"quote\"><blockquote><ul><li><a href=\"/x\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">l</a></li></ul></blockquote></div>") \
	CASE(nest_img_in_url, "[url=http://a.com][img]/i.png[/img][/url]", \
	     "<a href=\"http://a.com\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\"><img src=\"/i.png\" loading=\"lazy\" referrerpolicy=\"no-referrer\" alt=\"\"></a>") \
	CASE(nest_list_in_list, "[list][*]a[list][*]b[/list][/list]", \
	     "<ul><li>a<ul><li>b</li></ul></li></ul>") \
	CASE(cjk, "[b]\344\270\255\346\226\207[/b]\346\265\213\350\257\225\357\274\214[i]\346\227\245\346\234\254\350\252\236[/i]\343\200\201\355\225\234\352\265\255\354\226\264", \
	     "<strong>\344\270\255\346\226\207</strong>\346\265\213\350\257\225\357\274\214<em>\346\227\245\346\234\254\350\252\236</em>\343\200\201\355\225\234\352\265\255\354\226\264") \
	CASE(cjk_autolink, "\350\256\277\351\227\256http://example.com/\350\267\257\345\276\204\357\274\214\350\260\242\350\260\242", \
	     "\350\256\277\351\227\256<a href=\"http://example.com/\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://example.com/</a>\350\267\257\345\276\204\357\274\214\350\260\242\350\260\242") \
	CASE(auto_basic, "see http://example.com/a\?b=1&c=2 now", \
	     "see <a href=\"http://example.com/a\?b=1&amp;c=2\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://example.com/a\?b=1&amp;c=2</a> now") \
	CASE(auto_trailing, "(https://example.com/x). Also http://a.b/c\?, http://a.b/d!", \
	     "(<a href=\"https://example.com/x\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">https://example.com/x</a>). Also <a href=\"http://a.b/c\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://a.b/c</a>\?, <a href=\"http://a.b/d\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://a.b/d</a>!") \
	CASE(auto_quotes, "'http://a.com/x' \"http://b.com\" <http://c.com>", \
	     "&#39;<a href=\"http://a.com/x\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://a.com/x</a>&#39; &quot;<a href=\"http://b.com\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://b.com</a>&quot; &lt;<a href=\"http://c.com\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://c.com</a>&gt;") \
	CASE(auto_in_url, "[url=http://a.com]http://b.com[/url]", \
	     "<a href=\"http://a.com\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://b.com</a>") \
	CASE(auto_in_code, "[code]http://a.com[/code]", \
	     "<div class=\"blockcode\"><pre><code>http://a.com</code></pre></div>") \
	CASE(auto_mid_word, "xhttp://a.com Https://B.com", \
	     "xhttp://a.com <a href=\"Https://B.com\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">Https://B.com</a>") \
	CASE(auto_empty, "http:// and https://", \
	     "http:// and https://") \
	CASE(auto_in_b, "[b]http://a.com/[/b]", \
	     "<strong><a href=\"http://a.com/\" target=\"_blank\" rel=\"nofollow ugc noopener noreferrer\">http://a.com/</a></strong>")

static const struct xss_case xss_cases[] = {
	{"[url=javascript:alert(1)]x[/url]", NULL},
	{"[url]javascript:alert(1)[/url]", NULL},
	{"[url=JaVaScRiPt:alert(1)]x[/url]", NULL},
	{"[url=java\tscript:alert(1)]x[/url]", NULL},
	{"[url= javascript:alert(1)]x[/url]", NULL},
	{"[url=&#106;avascript:alert(1)]x[/url]", NULL},
	{"[url=&#x6A;avascript:alert(1)]x[/url]", NULL},
	{"[url=javascript&colon;alert(1)]x[/url]", NULL},
	{"[url=vbscript:msgbox(1)]x[/url]", NULL},
	{"[url=data:text/html;base64,PHNjcmlwdD4=]x[/url]", NULL},
	{"[url=http://a.com\" onmouseover=\"alert(1)]x[/url]", NULL},
	{"[img]javascript:alert(1)[/img]", NULL},
	{"[img]data:image/svg+xml,<svg onload=alert(1)>[/img]", NULL},
	{"[img=1x1]vbscript:x[/img]", NULL},
	{"[img]http://a.com/x.png\" onerror=\"alert(1)[/img]", NULL},
	{"[color=red\" onmouseover=\"x]t[/color]", NULL},
	{"[color=red;background:url(javascript:alert(1))]t[/color]", NULL},
	{"[size=7;background:url(x)]t[/size]", NULL},
	{"[size=12px;behavior:url(x.htc)]t[/size]", NULL},
	{"[font=x\" style=\"expression(alert(1))]t[/font]", NULL},
	{"[font=expression(alert(1))]t[/font]", NULL},
	{"[align=center\" onclick=\"x]t[/align]", NULL},
	{"[email]a@b.com\" onclick=\"x[/email]", NULL},
	{"[email=javascript:alert(1)]x[/email]", NULL},
	{"[table=100\" onclick=\"x][tr][td]t[/td][/tr][/table]", NULL},
	{"[td=1,1,1\" onclick=\"x]t[/td]", NULL},
	{"<script>alert(1)</script>", "<script"},
	{"<img src=x onerror=alert(1)>", "<img"},
	{"[b]<script>[/b]</script>", "<script"},
	{"[code]<script>alert(1)</script>[/code]", "<script"},
	{"[quote]<iframe src=javascript:alert(1)>[/quote]", "<iframe"},
	{"http://a.com/\"onmouseover=\"alert(1)", NULL},
	{"http://a.com/<script>alert(1)</script>", "<script"},
	{"[url=http://a.com]<svg/onload=alert(1)>[/url]", "<svg"},
	{"[list][*]<a href=javascript:x>[/list]", "<a href=javascript"},
};

EXACT_CASES(DEFINE_CASE)

static void t_xss_vectors(void **state) {
	(void)state;
	run_xss(xss_cases, sizeof xss_cases / sizeof xss_cases[0]);
}


/* Every class the renderers can put on formatting exists in static/loulan.css
   (as built into the binary): all 40 palette colours as text and background,
   every pixel size, every font family, alignment and float. A class without
   a rule would render as plain text, silently. */
struct embed_file { const char *name; const unsigned char *data; size_t len; };
extern const struct embed_file embed_files[];

static void assert_css_has_classes(const char *css, size_t csslen, const char *html) {
	for (const char *p = html; (p = strstr(p, "class=\"")) != NULL;) {
		p += 7;
		const char *e = strchr(p, '"');
		assert_non_null(e);
		char rule[64];
		int l = snprintf(rule, sizeof rule, ".%.*s {", (int)(e - p), p);
		assert_true(l > 0 && (size_t)l < sizeof rule);
		int found = 0;
		for (size_t i = 0; i + (size_t)l <= csslen && !found; i++)
			found = memcmp(css + i, rule, (size_t)l) == 0;
		if (!found) fail_msg("no rule \"%s\" in static/loulan.css for: %s", rule, html);
		p = e;
	}
}

/* attachments 1 (an image) and 2 (a file) exist for the "post"; 3 does not */
static int fake_attach(int64_t aid, struct markup_attach *m) {
	if (aid == 1) { m->is_image = 1; m->width = 640; m->height = 480; m->filename = "a<b>.jpg"; m->size = 1000; return 1; }
	if (aid == 2) { m->is_image = 0; m->filename = "报告.pdf"; m->size = 2048; return 1; }
	return 0;
}

static void t_attach(void **state) {
	(void)state;
	const struct embed_file *f = embed_files;
	while (f->name && strcmp(f->name, "static/loulan.css")) f++;
	const char *src = "[attach]1[/attach] [attachimg]1[/attachimg] [attach]2[/attach] [attach]3[/attach] "
	                  "[url=http://x.cn][attach]1[/attach][/url] [attach]01x[/attach]";
	char *before = render(src, strlen(src));   /* no lookup installed: all literal */
	assert_null(strstr(before, "<img"));
	free(before);
	markup_set_attach(fake_attach);
	char *h = render(src, strlen(src));
	assert_non_null(strstr(h, "<a class=\"att-img\" href=\"/a/1/o\"><img src=\"/a/1/display\" width=\"640\" "
	                          "height=\"480\" loading=\"lazy\" alt=\"a&lt;b&gt;.jpg\"></a>"));
	assert_non_null(strstr(h, "<span class=\"att-file\"><a href=\"/a/2/o\">报告.pdf</a> "
	                          "<span class=\"att-size\">2.0 KB</span></span>"));
	assert_non_null(strstr(h, "[attach]3[/attach]"));     /* not this post's: literal */
	assert_non_null(strstr(h, "[attach]01x[/attach]"));   /* not a number */
	assert_well_formed(h);
	assert_css_has_classes(f->data ? (const char *)f->data : "", f->len, h);
	free(h);
	buf b;
	buf_init(&b, 0);
	const char *md = "![x](attach:1) [doc](attach:2) ![y](attach:3)";
	assert_int_equal(markdown_render(&b, md, strlen(md)), 0);
	assert_non_null(strstr(buf_cstr(&b), "<img src=\"/a/1/display\" width=\"640\""));
	assert_non_null(strstr(buf_cstr(&b), "<a class=\"att-link\" href=\"/a/2/o\">doc</a>"));
	assert_null(strstr(buf_cstr(&b), "attach:3\""));
	assert_css_has_classes((const char *)f->data, f->len, buf_cstr(&b));
	buf_release(&b);
	markup_set_attach(NULL);
}

static void t_css_classes(void **state) {
	(void)state;
	const struct embed_file *f = embed_files;
	while (f->name && strcmp(f->name, "static/loulan.css")) f++;
	assert_non_null(f->name);
	const char *css = (const char *)f->data;
	static const char *const palette[] = {
		"Black", "Sienna", "DarkOliveGreen", "DarkGreen", "DarkSlateBlue", "Navy", "Indigo", "DarkSlateGray",
		"DarkRed", "DarkOrange", "Olive", "Green", "Teal", "Blue", "SlateGray", "DimGray", "Red", "SandyBrown",
		"YellowGreen", "SeaGreen", "MediumTurquoise", "RoyalBlue", "Purple", "Gray", "Magenta", "Orange",
		"Yellow", "Lime", "Cyan", "DeepSkyBlue", "DarkOrchid", "Silver", "Pink", "Wheat", "LemonChiffon",
		"PaleGreen", "PaleTurquoise", "LightBlue", "Plum", "White",
	};
	char src[128];
	for (size_t i = 0; i < sizeof palette / sizeof palette[0]; i++) {
		snprintf(src, sizeof src, "[color=%s]a[/color][backcolor=%s]b[/backcolor]", palette[i], palette[i]);
		char *h = render(src, strlen(src));
		char want[96];
		snprintf(want, sizeof want, "class=\"c-%s\"", palette[i]);
		for (char *w = want; *w; w++) *w = (char)(*w >= 'A' && *w <= 'Z' ? *w + 32 : *w);
		if (!strstr(h, want)) fail_msg("%s is not its own palette class: %s", palette[i], h);
		assert_css_has_classes(css, f->len, h);
		free(h);
	}
	for (int px = BBCODE_SIZE_MIN; px <= BBCODE_SIZE_MAX; px++) {
		snprintf(src, sizeof src, "[size=%dpx]x[/size]", px);
		char *h = render(src, strlen(src));
		assert_non_null(strstr(h, "class=\"fs-"));
		assert_css_has_classes(css, f->len, h);
		free(h);
	}
	static const char *const more[] = {
		"[size=1]a[/size][size=7]b[/size][size=6pt]c[/size][size=54pt]d[/size]",
		"[font=Times New Roman]a[/font][font=Arial]b[/font][font=Courier New]c[/font]",
		"[font=\346\245\267\344\275\223]a[/font][font=\344\273\277\345\256\213]b[/font]"
		"[font=\351\232\266\344\271\246]c[/font][font=Comic Sans MS]d[/font]",
		"[align=left]a[/align][align=center]b[/align][align=right]c[/align]",
		"[float=left]a[/float][float=right]b[/float]",
		":) [em]01[/em]",   /* smilies: class "smiley" */
	};
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
		char *h = render(more[i], strlen(more[i]));
		assert_css_has_classes(css, f->len, h);
		free(h);
	}
	/* @mentions of known members (markup/mention.h): class "mention" */
	struct mention_scope sc = {.nknown = 1, .known = {{"alice", 7}}};
	mention_scope_begin(&sc);
	char *h = render("@alice", 6);
	mention_scope_end();
	assert_non_null(strstr(h, "class=\"mention\""));
	assert_css_has_classes(css, f->len, h);
	free(h);
}



/* 40 nested [b]: the first BBCODE_MAX_DEPTH become <strong>, the rest stay literal. */
static void t_depth_cap(void **state) {
	(void)state;
	buf src, want;
	buf_init(&src, 0);
	buf_init(&want, 0);
	for (int i = 0; i < 40; i++) buf_puts(&src, "[b]");
	buf_putc(&src, 'x');
	for (int i = 0; i < 40; i++) buf_puts(&src, "[/b]");
	for (int i = 0; i < BBCODE_MAX_DEPTH; i++) buf_puts(&want, "<strong>");
	for (int i = BBCODE_MAX_DEPTH; i < 40; i++) buf_puts(&want, "[b]");
	buf_putc(&want, 'x');
	for (int i = BBCODE_MAX_DEPTH; i < 40; i++) buf_puts(&want, "[/b]");
	for (int i = 0; i < BBCODE_MAX_DEPTH; i++) buf_puts(&want, "</strong>");
	check_exact(buf_cstr(&src), src.len, buf_cstr(&want));
	buf_release(&src);
	buf_release(&want);
}

/* Pathological 64 KiB inputs: must finish (the pairing and [code] search are
   linear; a quadratic version takes minutes here under ASan) and stay well-formed. */
static void t_big_inputs(void **state) {
	(void)state;
	static const char *const units[] = {"[b]", "[/b]", "[code]", "[url]", "[", "[quote][*]", "[b][i]", "http://a.b/ "};
	run_big_inputs(units, sizeof units / sizeof units[0]);
}

/* bbcode_render_only: tags outside the mask stay literal text, the rest renders as before (signatures, 短消息) */
static char *render_only(const char *src, uint32_t mask) {
	buf b;
	buf_init(&b, 0);
	assert_int_equal(bbcode_render_only(&b, src, strlen(src), mask), 0);
	char *h = buf_detach(&b, NULL);
	assert_safe(h);
	return h;
}

static void t_masks(void **state) {
	(void)state;
	char *h = render_only("[b]粗[/b] [img]https://x.example/a.png[/img] [size=5]大[/size] [quote]引[/quote]", BBCODE_SIG);
	assert_non_null(strstr(h, "<strong>粗</strong>"));
	assert_null(strstr(h, "<img"));
	assert_non_null(strstr(h, "[img]"));
	assert_non_null(strstr(h, "[size=5]大[/size]"));
	assert_null(strstr(h, "<blockquote"));
	free(h);
	h = render_only("[table][tr][td]x[/td][/tr][/table] [img]https://x.example/a.png[/img] [quote]引[/quote] [code]c[/code]", BBCODE_PM);
	assert_null(strstr(h, "<table"));
	assert_null(strstr(h, "<img"));
	assert_non_null(strstr(h, "<blockquote"));
	assert_non_null(strstr(h, "<pre"));
	free(h);
	/* the full mask is bbcode_render */
	const char *src = "[b]a[/b][img]https://x.example/a.png[/img][table][tr][td]1[/td][/tr][/table]";
	h = render_only(src, BBCODE_ALL);
	char *full = render(src, strlen(src));
	assert_string_equal(h, full);
	free(h);
	free(full);
	/* a mask that allows nothing: all text */
	h = render_only("[b]a[/b]", 0);
	assert_string_equal(h, "[b]a[/b]");
	free(h);
}


/* [hide] for a viewer (issue 18): each top-level [hide] between the markers, open or as the notice */
static char *render_view(const char *src, int privileged, int replied, int64_t credits, int64_t age) {
	struct bbcode_view v = {privileged, replied, credits, age};
	buf b;
	buf_init(&b, 0);
	assert_int_equal(bbcode_render_view(&b, src, strlen(src), &v), 0);
	return buf_detach(&b, NULL);
}

#define SH "<div class=\"showhide\"><h4>本帖隐藏的内容</h4>"
#define LOCKED_REPLY "<div class=\"locked\">本帖隐藏的内容需要回复才可以浏览</div>"

static void t_hide_view(void **state) {
	(void)state;
	static const struct { const char *src; int priv, replied; int64_t credits, age; const char *want; } cases[] = {
		{"a[hide]s[/hide]b", 0, 0, 0, 0, "a\x01" LOCKED_REPLY "\x02" "b"},
		{"a[hide]s[/hide]b", 0, 1, 0, 0, "a\x01" SH "s</div>\x02" "b"},
		{"a[hide]s[/hide]b", 1, 0, 0, 0, "a\x01" SH "s</div>\x02" "b"},
		{"[hide=50]s[/hide]", 0, 1, 49, 0, "\x01<div class=\"locked\">本帖隐藏的内容需要积分高于 50 才可浏览</div>\x02"},
		{"[hide=50]s[/hide]", 0, 0, 50, 0, "\x01" SH "s</div>\x02"},
		{"[hide=50]s[/hide]", 1, 0, 0, 0, "\x01" SH "s</div>\x02"},
		{"[hide=d7]s[/hide]", 0, 0, 0, 6, "\x01<div class=\"locked\">本帖隐藏的内容需要回复才可以浏览（发帖 7 天后公开）</div>\x02"},
		{"[hide=d7]s[/hide]", 0, 0, 0, 7, "\x01" SH "s</div>\x02"},
		{"[hide=d7]s[/hide]", 0, 1, 0, 0, "\x01" SH "s</div>\x02"},
		{"[hide=d7,10]s[/hide]", 0, 1, 9, 0, "\x01<div class=\"locked\">本帖隐藏的内容需要积分高于 10 才可浏览（发帖 7 天后公开）</div>\x02"},
		{"[hide=d7,10]s[/hide]", 0, 0, 10, 0, "\x01" SH "s</div>\x02"},
		/* nested: only the outer one is marked; the inner one decides for itself */
		{"[hide]a[hide=99]b[/hide][/hide]", 0, 1, 0, 0,
		 "\x01" SH "a<div class=\"locked\">本帖隐藏的内容需要积分高于 99 才可浏览</div></div>\x02"},
		/* an [attach] the page-time render cannot resolve is a link to it (the route checks) */
		{"[hide][attach]77[/attach][/hide]", 0, 1, 0, 0, "\x01" SH "<a class=\"attachlink\" href=\"/a/77/o\">附件 77</a></div>\x02"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *h = render_view(cases[i].src, cases[i].priv, cases[i].replied, cases[i].credits, cases[i].age);
		if (strcmp(h, cases[i].want)) fail_msg("case %zu: %s\n got %s\nwant %s", i, cases[i].src, h, cases[i].want);
		free(h);
	}
	/* the write-time render never holds the hidden text, in any context */
	static const char *const srcs[] = {
		"[hide]Zq9[/hide]", "[table][tr][hide]Zq9[/hide][/tr][/table]", "[list][hide]Zq9[/hide][/list]",
		"[url=/x][hide]Zq9[/hide][/url]", "[quote][hide][b]Zq9[/b][/hide][/quote]", "[hide=d1,5][hide]Zq9[/hide][/hide]",
		"[table]\n[hide]Zq9|x[/hide]\n[/table]",
	};
	for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
		char *h = render(srcs[i], strlen(srcs[i]));
		if (strstr(h, "Zq9")) fail_msg("hidden text in %s: %s", srcs[i], h);
		free(h);
	}
}

int main(void) {
	const struct CMUnitTest tests[] = {
		EXACT_CASES(LIST_CASE)
		cmocka_unit_test(t_xss_vectors),
		cmocka_unit_test(t_checker_rejects),
		cmocka_unit_test(t_css_classes),
		cmocka_unit_test(t_attach),
		cmocka_unit_test(t_cap_error),
		cmocka_unit_test(t_empty),
		cmocka_unit_test(t_depth_cap),
		cmocka_unit_test(t_big_inputs),
		cmocka_unit_test(t_masks),
		cmocka_unit_test(t_hide_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
