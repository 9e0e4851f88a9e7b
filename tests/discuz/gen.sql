-- A large Discuz! X3.5 database for the importer benchmark (bench/import.sh, issue #18), generated
-- inside MariaDB with the SEQUENCE engine (seq_1_to_N tables, MariaDB >= 10.0): no data file to ship.
-- Load tests/discuz/schema.sql and tests/discuz/fixture.sql first (settings, groups, boards, the
-- fixture's rows), then this with the sizes set before it:
--   SET @members = 100000, @posts = 1000000, @per_thread = 50, @attachments = 2000, @files = 200;
-- Generated ids start above the fixture's (uid, tid, pid, aid > 1000). Threads alternate between
-- posttableid 0 and 1 (forum_post / forum_post_1), a tenth of them live in forum_thread_1; members
-- alternate between the two password schemes; every tenth member is in the _archive tables;
-- attachment N points at bench/NNNN.jpg of @files files (bench/import.sh makes them) in the
-- forum_attachment_<tid % 10> table of its thread.
SET SESSION sql_mode = '';
SET NAMES utf8mb4;
SET @threads = CEIL(@posts / @per_thread);
SET autocommit = 0;

-- members: common_member (+ _archive for every tenth), count, status, field_forum/home, profile, UCenter
INSERT INTO pre_common_member (uid, email, username, password, groupid, regdate, credits, timeoffset)
SELECT 1000 + seq, CONCAT('m', seq, '@example.com'), CONCAT('会员', seq), MD5(seq), 10 + seq % 4,
       1500000000 + seq * 60, seq % 500, '9999'
FROM seq_1_to_10000000 WHERE seq <= @members AND seq % 10 <> 0;
INSERT INTO pre_common_member_archive (uid, email, username, password, groupid, regdate, credits, timeoffset)
SELECT 1000 + seq, CONCAT('m', seq, '@example.com'), CONCAT('会员', seq), MD5(seq), 10 + seq % 4,
       1500000000 + seq * 60, seq % 500, '9999'
FROM seq_1_to_10000000 WHERE seq <= @members AND seq % 10 = 0;
INSERT INTO pre_common_member_count (uid, extcredits1, extcredits2, extcredits3, posts, threads)
SELECT 1000 + seq, seq % 7, seq % 300, seq % 11, seq % 100, seq % 9 FROM seq_1_to_10000000 WHERE seq <= @members AND seq % 10 <> 0;
INSERT INTO pre_common_member_count_archive (uid, extcredits1, extcredits2, extcredits3, posts, threads)
SELECT 1000 + seq, seq % 7, seq % 300, seq % 11, seq % 100, seq % 9 FROM seq_1_to_10000000 WHERE seq <= @members AND seq % 10 = 0;
INSERT INTO pre_common_member_status (uid, regip, lastip, lastvisit, lastactivity)
SELECT 1000 + seq, CONCAT('10.', seq % 250, '.', seq % 200, '.1'), '10.1.1.1', 1700000000 + seq, 1700000000 + seq
FROM seq_1_to_10000000 WHERE seq <= @members AND seq % 10 <> 0;
INSERT INTO pre_common_member_status_archive (uid, regip, lastip, lastvisit, lastactivity)
SELECT 1000 + seq, CONCAT('10.', seq % 250, '.', seq % 200, '.1'), '10.1.1.1', 1700000000 + seq, 1700000000 + seq
FROM seq_1_to_10000000 WHERE seq <= @members AND seq % 10 = 0;
INSERT INTO pre_common_member_field_forum (uid, sightml)
SELECT 1000 + seq, IF(seq % 5 = 0, CONCAT('<b>签名</b> ', seq), '') FROM seq_1_to_10000000 WHERE seq <= @members AND seq % 10 <> 0;
INSERT INTO pre_common_member_field_forum_archive (uid, sightml)
SELECT 1000 + seq, '' FROM seq_1_to_10000000 WHERE seq <= @members AND seq % 10 = 0;
INSERT INTO pre_common_member_profile (uid, gender, bio)
SELECT 1000 + seq, seq % 3, '' FROM seq_1_to_10000000 WHERE seq <= @members AND seq % 10 <> 0;
INSERT INTO pre_ucenter_members (uid, username, password, email, regip, regdate, salt)
SELECT 1000 + seq, CONCAT('会员', seq),
       IF(seq % 2, MD5(CONCAT(MD5(CONCAT('pw', seq)), LPAD(HEX(seq % 16777216), 6, '0'))),
          '$2y$10$abcdefghijklmnopqrstuu5V8Zc1N2kXh0y3Jp5Yb8wq5Tq0o2LxG'),
       CONCAT('m', seq, '@example.com'), '10.0.0.1', 1500000000 + seq * 60,
       IF(seq % 2, LPAD(HEX(seq % 16777216), 6, '0'), '')
FROM seq_1_to_10000000 WHERE seq <= @members;
COMMIT;

-- threads: tid 1000 + n, boards 2 / 3 / 7, a tenth in forum_thread_1
INSERT INTO pre_forum_thread (tid, fid, posttableid, typeid, author, authorid, subject, dateline, lastpost, lastposter,
                              views, replies, displayorder, digest, maxposition, status)
SELECT 1000 + seq, ELT(1 + seq % 3, 2, 3, 7), seq % 2, IF(seq % 3 = 0, 1 + seq % 2, 0), CONCAT('会员', 1 + seq * 7919 % @members),
       1000 + 1 + seq * 7919 % @members, CONCAT('压测主题 ', seq, ' &amp; 楼兰'), 1600000000 + seq * 600,
       1600000000 + seq * 600 + 3600, '会员1', seq % 1000, LEAST(@per_thread, @posts - (seq - 1) * @per_thread) - 1,
       IF(seq % 500 = 0, 1, 0), IF(seq % 97 = 0, 1, 0), LEAST(@per_thread, @posts - (seq - 1) * @per_thread), 1
FROM seq_1_to_10000000 WHERE seq <= @threads AND seq % 10 <> 0;
INSERT INTO pre_forum_thread_1 (tid, fid, posttableid, author, authorid, subject, dateline, lastpost, lastposter, views,
                                replies, maxposition, status)
SELECT 1000 + seq, ELT(1 + seq % 3, 2, 3, 7), seq % 2, CONCAT('会员', 1 + seq * 7919 % @members),
       1000 + 1 + seq * 7919 % @members, CONCAT('压测主题 ', seq), 1600000000 + seq * 600, 1600000000 + seq * 600 + 3600,
       '会员1', seq % 1000, LEAST(@per_thread, @posts - (seq - 1) * @per_thread) - 1,
       LEAST(@per_thread, @posts - (seq - 1) * @per_thread), 1
FROM seq_1_to_10000000 WHERE seq <= @threads AND seq % 10 = 0;
COMMIT;

-- posts: pid 1000 + n, floor (n - 1) % per_thread + 1 of thread 1000 + (n - 1) / per_thread + 1,
-- into forum_post or forum_post_1 by the thread's posttableid
INSERT INTO pre_forum_post (pid, fid, tid, first, author, authorid, subject, dateline, message, useip, usesig, position)
SELECT 1000 + seq, ELT(1 + t % 3, 2, 3, 7), 1000 + t, pos = 1, CONCAT('会员', 1 + seq * 104729 % @members),
       1000 + 1 + seq * 104729 % @members, IF(pos = 1, CONCAT('压测主题 ', t), ''), 1600000000 + t * 600 + pos * 30,
       CONCAT('[b]第 ', pos, ' 楼[/b] 压测帖子 ', seq, ' :) {:1_', 1 + seq % 20, ':}\n',
              IF(seq % 7 = 0, CONCAT('[quote][size=2][url=forum.php?mod=redirect&goto=findpost&pid=', 999 + seq,
                                     '&ptid=', 1000 + t, '][color=#999999]会员1 发表于 2020-9-13 20:26[/color][/url][/size]\n上一楼[/quote]\n'), ''),
              REPEAT('楼兰古城的风沙里埋着一座论坛。', 1 + seq % 6)),
       '10.2.3.4', 1, pos
FROM (SELECT seq, (seq - 1) DIV @per_thread + 1 AS t, (seq - 1) % @per_thread + 1 AS pos
      FROM seq_1_to_100000000 WHERE seq <= @posts) s
WHERE t % 2 = 0;
COMMIT;
INSERT INTO pre_forum_post_1 (pid, fid, tid, first, author, authorid, subject, dateline, message, useip, usesig, position)
SELECT 1000 + seq, ELT(1 + t % 3, 2, 3, 7), 1000 + t, pos = 1, CONCAT('会员', 1 + seq * 104729 % @members),
       1000 + 1 + seq * 104729 % @members, IF(pos = 1, CONCAT('压测主题 ', t), ''), 1600000000 + t * 600 + pos * 30,
       CONCAT('[b]第 ', pos, ' 楼[/b] 压测帖子 ', seq, ' :) {:1_', 1 + seq % 20, ':}\n',
              REPEAT('楼兰古城的风沙里埋着一座论坛。', 1 + seq % 6)),
       '10.2.3.4', 1, pos
FROM (SELECT seq, (seq - 1) DIV @per_thread + 1 AS t, (seq - 1) % @per_thread + 1 AS pos
      FROM seq_1_to_100000000 WHERE seq <= @posts) s
WHERE t % 2 = 1;
COMMIT;

-- attachments: aid 1000 + n on the first floor of thread 1000 + n, one of @files files
INSERT INTO pre_forum_attachment (aid, tid, pid, uid, tableid, downloads)
SELECT 1000 + seq, 1000 + seq, 1000 + (seq - 1) * @per_thread + 1, 1000 + 1 + ((seq - 1) * @per_thread + 1) * 104729 % @members,
       (1000 + seq) % 10, seq % 50
FROM seq_1_to_10000000 WHERE seq <= LEAST(@attachments, @threads);
-- forum_attachment_0 .. _9 by tableid: one statement for the ten tables
DELIMITER ;;
BEGIN NOT ATOMIC
  FOR i IN 0 .. 9 DO
    EXECUTE IMMEDIATE CONCAT('INSERT INTO pre_forum_attachment_', i, ' (aid, tid, pid, uid, dateline, filename, attachment, ',
      'description, isimage) SELECT aid, tid, pid, uid, 1600000000, CONCAT(''图片'', aid, ''.jpg''), ',
      'CONCAT(''bench/'', LPAD((aid - 1000) % ', @files, ', 4, ''0''), ''.jpg''), '''', 1 ',
      'FROM pre_forum_attachment WHERE aid > 1000 AND tableid = ', i);
  END FOR;
END;;
DELIMITER ;
COMMIT;

-- reactions: a rating, two attitudes and a recommend per hundredth floor / thread
INSERT INTO pre_forum_ratelog (pid, uid, username, extcredits, dateline, score, reason)
SELECT 1000 + seq, 1, 'admin', 1 + seq % 2, 1600000000 + seq, 1 + seq % 3, '好帖'
FROM seq_1_to_100000000 WHERE seq <= @posts AND seq % 100 = 1;
INSERT INTO pre_forum_hotreply_member (tid, pid, uid, attitude)
SELECT 1000 + (p.seq - 1) DIV @per_thread + 1, 1000 + p.seq, 1000 + 1 + (p.seq + u.seq * 31) % @members, u.seq % 2
FROM seq_1_to_100000000 p JOIN seq_1_to_2 u WHERE p.seq <= @posts AND p.seq % 100 = 2;
INSERT INTO pre_forum_memberrecommend (tid, recommenduid, dateline)
SELECT 1000 + seq, 1000 + 1 + seq * 13 % @members, 1600000000 + seq FROM seq_1_to_10000000 WHERE seq <= @threads AND seq % 10 = 3;
COMMIT;
