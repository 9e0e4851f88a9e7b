-- Discuz! X3.5 tables read by `loulan import-discuz` (issue #18), prefix pre_, UCenter pre_ucenter_.
--
-- Source: the library's copy of lhmouse/DiscuzX (GitHub mirror of gitee.com/Discuz/DiscuzX).
--   * upload/install/data/install.sql at commit 2c8098fcc88b9d0313aae92b47a2e4739a6b5cdb: the only
--     stored revision of that file is the branch after tag v3.5-20231221 ("X5.0 开发者预览版" header);
--     the tag itself (cfe4372a, FACTS.md §0) is not stored. Every CREATE TABLE below is copied from it
--     verbatim except these X5.0 additions, removed so that the tables are X3.5's
--     (columns per /work/shared/discuz/FACTS.md §2):
--       common_member: loginname (+ UNIQUE KEY loginname); username back to char(15) (FACTS §2.1);
--       common_member_profile: `fields` json; forum_post: premsg, `content` json, `source` json,
--       bestanswer (+ KEY bestanswer).
--   * upload/uc_server/install/uc.sql (library id 2844552963; X3.5 era, varchar(255) password):
--     TYPE=MyISAM written as ENGINE=MyISAM (install_uc_server() does the same), prefix uc_ -> pre_ucenter_
--     (install_function.php: $uctablepre = $tablepre.'ucenter_'); uc_members columns set to the X3.5
--     widths of FACTS §2.2 (username char(15), regip varchar(45), salt varchar(20), secques char(8)).
-- Split and archive tables are made with CREATE TABLE ... LIKE, as Discuz!'s own table splitting
-- does (admincp_postsplit.php / admincp_threadsplit.php / discuz_table_archive::create_relatedtable).
-- No charset here: tables take the database's default (tests/e2e/lib.mjs startDiscuz creates the
-- database as utf8mb4, or gbk for the GBK variant).

CREATE TABLE pre_common_setting
(
	skey   varchar(190) NOT NULL DEFAULT '',
	svalue text         NOT NULL,
	PRIMARY KEY (skey)
) ENGINE = InnoDB;

CREATE TABLE pre_common_admingroup
(
	admingid              smallint(6) unsigned NOT NULL DEFAULT '0',
	alloweditpost         tinyint(1)           NOT NULL DEFAULT '0',
	alloweditpoll         tinyint(1)           NOT NULL DEFAULT '0',
	allowstickthread      tinyint(1)           NOT NULL DEFAULT '0',
	allowmodpost          tinyint(1)           NOT NULL DEFAULT '0',
	allowdelpost          tinyint(1)           NOT NULL DEFAULT '0',
	allowmassprune        tinyint(1)           NOT NULL DEFAULT '0',
	allowrefund           tinyint(1)           NOT NULL DEFAULT '0',
	allowcensorword       tinyint(1)           NOT NULL DEFAULT '0',
	allowviewip           tinyint(1)           NOT NULL DEFAULT '0',
	allowbanip            tinyint(1)           NOT NULL DEFAULT '0',
	allowedituser         tinyint(1)           NOT NULL DEFAULT '0',
	allowmoduser          tinyint(1)           NOT NULL DEFAULT '0',
	allowbanuser          tinyint(1)           NOT NULL DEFAULT '0',
	allowbanvisituser     tinyint(1)           NOT NULL DEFAULT '0',
	allowpostannounce     tinyint(1)           NOT NULL DEFAULT '0',
	allowviewlog          tinyint(1)           NOT NULL DEFAULT '0',
	allowbanpost          tinyint(1)           NOT NULL DEFAULT '0',
	supe_allowpushthread  tinyint(1)           NOT NULL DEFAULT '0',
	allowhighlightthread  tinyint(1)           NOT NULL DEFAULT '0',
	allowlivethread       tinyint(1)           NOT NULL DEFAULT '0',
	allowdigestthread     tinyint(1)           NOT NULL DEFAULT '0',
	allowrecommendthread  tinyint(1)           NOT NULL DEFAULT '0',
	allowbumpthread       tinyint(1)           NOT NULL DEFAULT '0',
	allowclosethread      tinyint(1)           NOT NULL DEFAULT '0',
	allowmovethread       tinyint(1)           NOT NULL DEFAULT '0',
	allowedittypethread   tinyint(1)           NOT NULL DEFAULT '0',
	allowstampthread      tinyint(1)           NOT NULL DEFAULT '0',
	allowstamplist        tinyint(1)           NOT NULL DEFAULT '0',
	allowcopythread       tinyint(1)           NOT NULL DEFAULT '0',
	allowmergethread      tinyint(1)           NOT NULL DEFAULT '0',
	allowsplitthread      tinyint(1)           NOT NULL DEFAULT '0',
	allowrepairthread     tinyint(1)           NOT NULL DEFAULT '0',
	allowwarnpost         tinyint(1)           NOT NULL DEFAULT '0',
	allowviewreport       tinyint(1)           NOT NULL DEFAULT '0',
	alloweditforum        tinyint(1)           NOT NULL DEFAULT '0',
	allowremovereward     tinyint(1)           NOT NULL DEFAULT '0',
	allowedittrade        tinyint(1)           NOT NULL DEFAULT '0',
	alloweditactivity     tinyint(1)           NOT NULL DEFAULT '0',
	allowstickreply       tinyint(1)           NOT NULL DEFAULT '0',
	allowmanagearticle    tinyint(1)           NOT NULL DEFAULT '0',
	allowaddtopic         tinyint(1)           NOT NULL DEFAULT '0',
	allowmanagetopic      tinyint(1)           NOT NULL DEFAULT '0',
	allowdiy              tinyint(1)           NOT NULL DEFAULT '0',
	allowclearrecycle     tinyint(1)           NOT NULL DEFAULT '0',
	allowmanagetag        tinyint(1)           NOT NULL DEFAULT '0',
	alloweditusertag      tinyint(1)           NOT NULL DEFAULT '0',
	managefeed            tinyint(1)           NOT NULL DEFAULT '0',
	managedoing           tinyint(1)           NOT NULL DEFAULT '0',
	manageshare           tinyint(1)           NOT NULL DEFAULT '0',
	manageblog            tinyint(1)           NOT NULL DEFAULT '0',
	managealbum           tinyint(1)           NOT NULL DEFAULT '0',
	managecomment         tinyint(1)           NOT NULL DEFAULT '0',
	managemagiclog        tinyint(1)           NOT NULL DEFAULT '0',
	managereport          tinyint(1)           NOT NULL DEFAULT '0',
	managehotuser         tinyint(1)           NOT NULL DEFAULT '0',
	managedefaultuser     tinyint(1)           NOT NULL DEFAULT '0',
	managemagic           tinyint(1)           NOT NULL DEFAULT '0',
	manageclick           tinyint(1)           NOT NULL DEFAULT '0',
	allowmanagecollection tinyint(1)           NOT NULL DEFAULT '0',
	allowmakehtml         tinyint(1)           NOT NULL DEFAULT '0',
	PRIMARY KEY (admingid)
) ENGINE = InnoDB;

CREATE TABLE pre_common_banned
(
	id         smallint(6) unsigned NOT NULL AUTO_INCREMENT,
	ip         varchar(49)          NOT NULL DEFAULT '',
	lowerip    varbinary(16)        NOT NULL DEFAULT 0x0,
	upperip    varbinary(16)        NOT NULL DEFAULT 0x0,
	`admin`    varchar(50)          NOT NULL DEFAULT '',
	dateline   int(10) unsigned     NOT NULL DEFAULT '0',
	expiration int(10) unsigned     NOT NULL DEFAULT '0',
	PRIMARY KEY (id),
	KEY iprange (lowerip, upperip)
) ENGINE = InnoDB;

CREATE TABLE pre_common_member
(
	uid                mediumint(8) unsigned NOT NULL AUTO_INCREMENT,
	email              varchar(255)          NOT NULL DEFAULT '',
	username           char(15)              NOT NULL DEFAULT '',
	`password`         char(32)              NOT NULL DEFAULT '',
	`secmobicc`        varchar(3)            NOT NULL DEFAULT '',
	`secmobile`        varchar(12)           NOT NULL DEFAULT '',
	`status`           tinyint(1)            NOT NULL DEFAULT '0',
	emailstatus        tinyint(1)            NOT NULL DEFAULT '0',
	avatarstatus       tinyint(1)            NOT NULL DEFAULT '0',
	`secmobilestatus`  tinyint(1)            NOT NULL DEFAULT '0',
	adminid            tinyint(1)            NOT NULL DEFAULT '0',
	groupid            smallint(6) unsigned  NOT NULL DEFAULT '0',
	groupexpiry        int(10) unsigned      NOT NULL DEFAULT '0',
	extgroupids        char(20)              NOT NULL DEFAULT '',
	regdate            int(10) unsigned      NOT NULL DEFAULT '0',
	credits            int(10)               NOT NULL DEFAULT '0',
	notifysound        tinyint(1)            NOT NULL DEFAULT '0',
	timeoffset         char(4)               NOT NULL DEFAULT '',
	newpm              smallint(6) unsigned  NOT NULL DEFAULT '0',
	newprompt          smallint(6) unsigned  NOT NULL DEFAULT '0',
	accessmasks        tinyint(1)            NOT NULL DEFAULT '0',
	allowadmincp       tinyint(1)            NOT NULL DEFAULT '0',
	onlyacceptfriendpm tinyint(1)            NOT NULL DEFAULT '0',
	conisbind          tinyint(1)            NOT NULL DEFAULT '0',
	freeze             tinyint(1)            NOT NULL DEFAULT '0',
	PRIMARY KEY (uid),
	UNIQUE KEY username (username),
	KEY email (email(40)),
	KEY groupid (groupid),
	KEY conisbind (conisbind),
	KEY regdate (regdate),
	KEY secmobile (`secmobile`, `secmobicc`)
) ENGINE = InnoDB;

CREATE TABLE pre_common_member_count
(
	uid             mediumint(8) unsigned NOT NULL,
	extcredits1     int(10)               NOT NULL DEFAULT '0',
	extcredits2     int(10)               NOT NULL DEFAULT '0',
	extcredits3     int(10)               NOT NULL DEFAULT '0',
	extcredits4     int(10)               NOT NULL DEFAULT '0',
	extcredits5     int(10)               NOT NULL DEFAULT '0',
	extcredits6     int(10)               NOT NULL DEFAULT '0',
	extcredits7     int(10)               NOT NULL DEFAULT '0',
	extcredits8     int(10)               NOT NULL DEFAULT '0',
	friends         smallint(6) unsigned  NOT NULL DEFAULT '0',
	posts           mediumint(8) unsigned NOT NULL DEFAULT '0',
	threads         mediumint(8) unsigned NOT NULL DEFAULT '0',
	digestposts     smallint(6) unsigned  NOT NULL DEFAULT '0',
	doings          smallint(6) unsigned  NOT NULL DEFAULT '0',
	blogs           smallint(6) unsigned  NOT NULL DEFAULT '0',
	albums          smallint(6) unsigned  NOT NULL DEFAULT '0',
	sharings        smallint(6) unsigned  NOT NULL DEFAULT '0',
	attachsize      int(10) unsigned      NOT NULL DEFAULT '0',
	views           mediumint(8) unsigned NOT NULL DEFAULT '0',
	oltime          smallint(6) unsigned  NOT NULL DEFAULT '0',
	todayattachs    smallint(6) unsigned  NOT NULL DEFAULT '0',
	todayattachsize int(10) unsigned      NOT NULL DEFAULT '0',
	feeds           mediumint(8) unsigned NOT NULL DEFAULT '0',
	follower        mediumint(8) unsigned NOT NULL DEFAULT '0',
	following       mediumint(8) unsigned NOT NULL DEFAULT '0',
	newfollower     mediumint(8) unsigned NOT NULL DEFAULT '0',
	blacklist       mediumint(8) unsigned NOT NULL DEFAULT '0',
	PRIMARY KEY (uid),
	KEY posts (posts)
) ENGINE = InnoDB;

CREATE TABLE pre_common_member_crime
(
	cid        mediumint(8) unsigned NOT NULL AUTO_INCREMENT,
	uid        mediumint(8) unsigned NOT NULL DEFAULT '0',
	operatorid mediumint(8) unsigned NOT NULL DEFAULT '0',
	operator   varchar(50)           NOT NULL,
	`action`   tinyint(5)            NOT NULL,
	reason     text                  NOT NULL,
	dateline   int(10) unsigned      NOT NULL DEFAULT '0',
	PRIMARY KEY (cid),
	KEY uid (uid, `action`, dateline)
) ENGINE = InnoDB;

CREATE TABLE pre_common_member_field_forum
(
	uid            mediumint(8) unsigned NOT NULL,
	publishfeed    tinyint(3)            NOT NULL DEFAULT '0',
	customshow     tinyint(3) unsigned   NOT NULL DEFAULT '26',
	customstatus   varchar(30)           NOT NULL DEFAULT '',
	medals         text                  NOT NULL,
	sightml        text                  NOT NULL,
	groupterms     text                  NOT NULL,
	authstr        varchar(255)          NOT NULL DEFAULT '',
	`groups`       mediumtext            NOT NULL,
	attentiongroup varchar(255)          NOT NULL DEFAULT '',
	PRIMARY KEY (uid)
) ENGINE = InnoDB;

CREATE TABLE pre_common_member_field_home
(
	uid              mediumint(8) unsigned NOT NULL,
	spacename        varchar(255)          NOT NULL DEFAULT '',
	spacedescription varchar(255)          NOT NULL DEFAULT '',
	domain           char(15)              NOT NULL DEFAULT '',
	addsize          int(10) unsigned      NOT NULL DEFAULT '0',
	addfriend        smallint(6) unsigned  NOT NULL DEFAULT '0',
	allowasfriend    tinyint(1)            NOT NULL DEFAULT '1',
	allowasfollow    tinyint(1)            NOT NULL DEFAULT '1',
	menunum          smallint(6) unsigned  NOT NULL DEFAULT '0',
	theme            varchar(20)           NOT NULL DEFAULT '',
	spacecss         text                  NOT NULL,
	blockposition    text                  NOT NULL,
	recentnote       text                  NOT NULL,
	spacenote        text                  NOT NULL,
	privacy          text                  NOT NULL,
	feedfriend       mediumtext            NOT NULL,
	acceptemail      text                  NOT NULL,
	magicgift        text                  NOT NULL,
	stickblogs       text                  NOT NULL,
	PRIMARY KEY (uid),
	KEY domain (domain)
) ENGINE = InnoDB;

CREATE TABLE pre_common_member_profile
(
	uid             mediumint(8) unsigned NOT NULL,
	realname        varchar(255)          NOT NULL DEFAULT '',
	gender          tinyint(1)            NOT NULL DEFAULT '0',
	birthyear       smallint(6) unsigned  NOT NULL DEFAULT '0',
	birthmonth      tinyint(3) unsigned   NOT NULL DEFAULT '0',
	birthday        tinyint(3) unsigned   NOT NULL DEFAULT '0',
	constellation   varchar(255)          NOT NULL DEFAULT '',
	zodiac          varchar(255)          NOT NULL DEFAULT '',
	telephone       varchar(255)          NOT NULL DEFAULT '',
	mobile          varchar(255)          NOT NULL DEFAULT '',
	idcardtype      varchar(255)          NOT NULL DEFAULT '',
	idcard          varchar(255)          NOT NULL DEFAULT '',
	address         varchar(255)          NOT NULL DEFAULT '',
	zipcode         varchar(255)          NOT NULL DEFAULT '',
	nationality     varchar(255)          NOT NULL DEFAULT '',
	birthcountry    varchar(255)          NOT NULL DEFAULT '',
	birthprovince   varchar(255)          NOT NULL DEFAULT '',
	birthcity       varchar(255)          NOT NULL DEFAULT '',
	birthdist       varchar(20)           NOT NULL DEFAULT '',
	birthcommunity  varchar(255)          NOT NULL DEFAULT '',
	residecountry   varchar(255)          NOT NULL DEFAULT '',
	resideprovince  varchar(255)          NOT NULL DEFAULT '',
	residecity      varchar(255)          NOT NULL DEFAULT '',
	residedist      varchar(20)           NOT NULL DEFAULT '',
	residecommunity varchar(255)          NOT NULL DEFAULT '',
	residesuite     varchar(255)          NOT NULL DEFAULT '',
	graduateschool  varchar(255)          NOT NULL DEFAULT '',
	company         varchar(255)          NOT NULL DEFAULT '',
	education       varchar(255)          NOT NULL DEFAULT '',
	occupation      varchar(255)          NOT NULL DEFAULT '',
	position        varchar(255)          NOT NULL DEFAULT '',
	revenue         varchar(255)          NOT NULL DEFAULT '',
	affectivestatus varchar(255)          NOT NULL DEFAULT '',
	lookingfor      varchar(255)          NOT NULL DEFAULT '',
	bloodtype       varchar(255)          NOT NULL DEFAULT '',
	height          varchar(255)          NOT NULL DEFAULT '',
	weight          varchar(255)          NOT NULL DEFAULT '',
	alipay          varchar(255)          NOT NULL DEFAULT '',
	icq             varchar(255)          NOT NULL DEFAULT '',
	qq              varchar(255)          NOT NULL DEFAULT '',
	yahoo           varchar(255)          NOT NULL DEFAULT '',
	msn             varchar(255)          NOT NULL DEFAULT '',
	taobao          varchar(255)          NOT NULL DEFAULT '',
	site            varchar(255)          NOT NULL DEFAULT '',
	bio             text                  NOT NULL,
	interest        text                  NOT NULL,
	field1          text                  NOT NULL,
	field2          text                  NOT NULL,
	field3          text                  NOT NULL,
	field4          text                  NOT NULL,
	field5          text                  NOT NULL,
	field6          text                  NOT NULL,
	field7          text                  NOT NULL,
	field8          text                  NOT NULL,
	PRIMARY KEY (uid)
) ENGINE = InnoDB;

CREATE TABLE pre_common_member_status
(
	uid             mediumint(8) unsigned NOT NULL,
	regip           varchar(45)           NOT NULL DEFAULT '',
	lastip          varchar(45)           NOT NULL DEFAULT '',
	`regport`       smallint(6) unsigned  NOT NULL DEFAULT '0',
	`port`          smallint(6) unsigned  NOT NULL DEFAULT '0',
	lastvisit       int(10) unsigned      NOT NULL DEFAULT '0',
	lastactivity    int(10) unsigned      NOT NULL DEFAULT '0',
	lastpost        int(10) unsigned      NOT NULL DEFAULT '0',
	lastsendmail    int(10) unsigned      NOT NULL DEFAULT '0',
	invisible       tinyint(1)            NOT NULL DEFAULT '0',
	buyercredit     smallint(6)           NOT NULL DEFAULT '0',
	sellercredit    smallint(6)           NOT NULL DEFAULT '0',
	favtimes        mediumint(8) unsigned NOT NULL DEFAULT '0',
	sharetimes      mediumint(8) unsigned NOT NULL DEFAULT '0',
	profileprogress tinyint(2) unsigned   NOT NULL DEFAULT '0',
	PRIMARY KEY (uid),
	KEY lastactivity (lastactivity, invisible)
) ENGINE = InnoDB;

-- 会员分表 (admincp_membersplit.php): the same DDL with _archive.
CREATE TABLE pre_common_member_archive LIKE pre_common_member;
CREATE TABLE pre_common_member_count_archive LIKE pre_common_member_count;
CREATE TABLE pre_common_member_status_archive LIKE pre_common_member_status;
CREATE TABLE pre_common_member_profile_archive LIKE pre_common_member_profile;
CREATE TABLE pre_common_member_field_forum_archive LIKE pre_common_member_field_forum;
CREATE TABLE pre_common_member_field_home_archive LIKE pre_common_member_field_home;

CREATE TABLE pre_common_usergroup
(
	groupid         smallint(6) unsigned               NOT NULL AUTO_INCREMENT,
	radminid        tinyint(3)                         NOT NULL DEFAULT '0',
	`type`          enum ('system','special','member') NOT NULL DEFAULT 'member',
	`system`        varchar(255)                       NOT NULL DEFAULT 'private',
	grouptitle      varchar(255)                       NOT NULL DEFAULT '',
	creditshigher   int(10)                            NOT NULL DEFAULT '0',
	creditslower    int(10)                            NOT NULL DEFAULT '0',
	stars           tinyint(3)                         NOT NULL DEFAULT '0',
	color           varchar(255)                       NOT NULL DEFAULT '',
	icon            varchar(255)                       NOT NULL DEFAULT '',
	allowvisit      tinyint(1)                         NOT NULL DEFAULT '0',
	allowsendpm     tinyint(1)                         NOT NULL DEFAULT '1',
	allowinvite     tinyint(1)                         NOT NULL DEFAULT '0',
	allowmailinvite tinyint(1)                         NOT NULL DEFAULT '0',
	allowfollow     tinyint(1)                         NOT NULL DEFAULT '0',
	maxinvitenum    tinyint(3) unsigned                NOT NULL DEFAULT '0',
	inviteprice     smallint(6) unsigned               NOT NULL DEFAULT '0',
	maxinviteday    smallint(6) unsigned               NOT NULL DEFAULT '0',
	upgroupid       smallint(6) unsigned                        DEFAULT '0',
	creditsformula  varchar(255)                       NOT NULL DEFAULT '',
	PRIMARY KEY (groupid),
	KEY creditsrange (creditshigher, creditslower),
	KEY upgroupid (upgroupid)
) ENGINE = InnoDB;

CREATE TABLE pre_common_usergroup_field
(
	groupid                smallint(6) unsigned  NOT NULL,
	readaccess             tinyint(3) unsigned   NOT NULL DEFAULT '0',
	allowpost              tinyint(1)            NOT NULL DEFAULT '0',
	allowreply             tinyint(1)            NOT NULL DEFAULT '0',
	allowpostpoll          tinyint(1)            NOT NULL DEFAULT '0',
	allowpostreward        tinyint(1)            NOT NULL DEFAULT '0',
	allowposttrade         tinyint(1)            NOT NULL DEFAULT '0',
	allowpostactivity      tinyint(1)            NOT NULL DEFAULT '0',
	allowdirectpost        tinyint(1)            NOT NULL DEFAULT '0',
	allowgetattach         tinyint(1)            NOT NULL DEFAULT '0',
	allowgetimage          tinyint(1)            NOT NULL DEFAULT '0',
	allowpostattach        tinyint(1)            NOT NULL DEFAULT '0',
	allowpostimage         tinyint(1)            NOT NULL DEFAULT '0',
	allowvote              tinyint(1)            NOT NULL DEFAULT '0',
	allowsearch            tinyint(1)            NOT NULL DEFAULT '0',
	allowcstatus           tinyint(1)            NOT NULL DEFAULT '0',
	allowinvisible         tinyint(1)            NOT NULL DEFAULT '0',
	allowtransfer          tinyint(1)            NOT NULL DEFAULT '0',
	allowsetreadperm       tinyint(1)            NOT NULL DEFAULT '0',
	allowsetattachperm     tinyint(1)            NOT NULL DEFAULT '0',
	allowposttag           tinyint(1)            NOT NULL DEFAULT '0',
	allowhidecode          tinyint(1)            NOT NULL DEFAULT '0',
	allowhtml              tinyint(1)            NOT NULL DEFAULT '0',
	allowanonymous         tinyint(1)            NOT NULL DEFAULT '0',
	allowsigbbcode         tinyint(1)            NOT NULL DEFAULT '0',
	allowsigimgcode        tinyint(1)            NOT NULL DEFAULT '0',
	allowmagics            tinyint(3) unsigned   NOT NULL,
	disableperiodctrl      tinyint(1)            NOT NULL DEFAULT '0',
	reasonpm               tinyint(1)            NOT NULL DEFAULT '0',
	maxprice               smallint(6) unsigned  NOT NULL DEFAULT '0',
	maxsigsize             smallint(6) unsigned  NOT NULL DEFAULT '0',
	maxattachsize          int(10) unsigned      NOT NULL DEFAULT '0',
	maxsizeperday          int(10) unsigned      NOT NULL DEFAULT '0',
	maxthreadsperhour      tinyint(3) unsigned   NOT NULL DEFAULT '0',
	maxpostsperhour        tinyint(3) unsigned   NOT NULL DEFAULT '0',
	attachextensions       char(100)             NOT NULL DEFAULT '',
	raterange              char(150)             NOT NULL DEFAULT '',
	loginreward            char(150)             NOT NULL DEFAULT '',
	mintradeprice          smallint(6) unsigned  NOT NULL DEFAULT '1',
	maxtradeprice          smallint(6) unsigned  NOT NULL DEFAULT '0',
	minrewardprice         smallint(6) unsigned  NOT NULL DEFAULT '1',
	maxrewardprice         smallint(6) unsigned  NOT NULL DEFAULT '0',
	magicsdiscount         tinyint(1)            NOT NULL,
	maxmagicsweight        smallint(6) unsigned  NOT NULL,
	allowpostdebate        tinyint(1)            NOT NULL DEFAULT '0',
	tradestick             tinyint(3) unsigned   NOT NULL,
	exempt                 tinyint(3) unsigned   NOT NULL,
	maxattachnum           smallint(6)           NOT NULL DEFAULT '0',
	allowposturl           tinyint(1)            NOT NULL DEFAULT '3',
	allowrecommend         tinyint(3) unsigned   NOT NULL DEFAULT '1',
	allowpostrushreply     tinyint(1)            NOT NULL DEFAULT '0',
	maxfriendnum           smallint(6) unsigned  NOT NULL DEFAULT '0',
	maxspacesize           int(10) unsigned      NOT NULL DEFAULT '0',
	allowcomment           tinyint(1)            NOT NULL DEFAULT '0',
	allowcommentmod        tinyint(1)            NOT NULL DEFAULT '0',
	allowcommentarticle    smallint(6)           NOT NULL DEFAULT '0',
	allowcommentarticlemod tinyint(1)            NOT NULL DEFAULT '0',
	searchinterval         smallint(6) unsigned  NOT NULL DEFAULT '0',
	searchignore           tinyint(1)            NOT NULL DEFAULT '0',
	allowblog              tinyint(1)            NOT NULL DEFAULT '0',
	allowdoing             tinyint(1)            NOT NULL DEFAULT '0',
	allowupload            tinyint(1)            NOT NULL DEFAULT '0',
	allowshare             tinyint(1)            NOT NULL DEFAULT '0',
	allowblogmod           tinyint(1)            NOT NULL DEFAULT '0',
	allowdoingmod          tinyint(1)            NOT NULL DEFAULT '0',
	allowuploadmod         tinyint(1)            NOT NULL DEFAULT '0',
	allowsharemod          tinyint(1)            NOT NULL DEFAULT '0',
	allowcss               tinyint(1)            NOT NULL DEFAULT '0',
	allowpoke              tinyint(1)            NOT NULL DEFAULT '0',
	allowfriend            tinyint(1)            NOT NULL DEFAULT '0',
	allowclick             tinyint(1)            NOT NULL DEFAULT '0',
	allowmagic             tinyint(1)            NOT NULL DEFAULT '0',
	allowstat              tinyint(1)            NOT NULL DEFAULT '0',
	allowstatdata          tinyint(1)            NOT NULL DEFAULT '0',
	magicdiscount          tinyint(1)            NOT NULL DEFAULT '0',
	domainlength           smallint(6) unsigned  NOT NULL DEFAULT '0',
	seccode                tinyint(1)            NOT NULL DEFAULT '1',
	disablepostctrl        tinyint(1)            NOT NULL DEFAULT '0',
	allowbuildgroup        tinyint(3) unsigned   NOT NULL DEFAULT '0',
	allowgroupdirectpost   tinyint(3) unsigned   NOT NULL DEFAULT '0',
	allowgroupposturl      tinyint(3) unsigned   NOT NULL DEFAULT '0',
	edittimelimit          int(10) unsigned      NOT NULL DEFAULT '0',
	allowpostarticle       tinyint(1)            NOT NULL DEFAULT '0',
	allowdownlocalimg      tinyint(1)            NOT NULL DEFAULT '0',
	allowdownremoteimg     tinyint(1)            NOT NULL DEFAULT '0',
	allowpostarticlemod    tinyint(1)            NOT NULL DEFAULT '0',
	allowspacediyhtml      tinyint(1)            NOT NULL DEFAULT '0',
	allowspacediybbcode    tinyint(1)            NOT NULL DEFAULT '0',
	allowspacediyimgcode   tinyint(1)            NOT NULL DEFAULT '0',
	allowcommentpost       tinyint(1)            NOT NULL DEFAULT '2',
	allowcommentitem       tinyint(1)            NOT NULL DEFAULT '0',
	allowcommentreply      tinyint(1)            NOT NULL DEFAULT '0',
	allowreplycredit       tinyint(1)            NOT NULL DEFAULT '0',
	ignorecensor           tinyint(1)            NOT NULL DEFAULT '0',
	allowsendallpm         tinyint(1)            NOT NULL DEFAULT '0',
	allowsendpmmaxnum      smallint(6) unsigned  NOT NULL DEFAULT '0',
	maximagesize           mediumint(8) unsigned NOT NULL DEFAULT '0',
	allowmediacode         tinyint(1)            NOT NULL DEFAULT '0',
	allowbegincode         tinyint(1)            NOT NULL DEFAULT '0',
	allowat                smallint(6) unsigned  NOT NULL DEFAULT '0',
	allowsave              tinyint(1)            NOT NULL DEFAULT '1',
	allowsavereply         tinyint(1)            NOT NULL DEFAULT '1',
	allowsavenum           int(10) unsigned      NOT NULL DEFAULT '0',
	allowsetpublishdate    tinyint(1)            NOT NULL DEFAULT '0',
	allowfollowcollection  tinyint(3) unsigned   NOT NULL DEFAULT '0',
	allowcommentcollection tinyint(1)            NOT NULL DEFAULT '0',
	allowcreatecollection  smallint(6) unsigned  NOT NULL DEFAULT '0',
	forcesecques           tinyint(1)            NOT NULL DEFAULT '0',
	forcelogin             tinyint(3) unsigned   NOT NULL DEFAULT '0',
	closead                tinyint(1)            NOT NULL DEFAULT '0',
	buildgroupcredits      smallint(6) unsigned  NOT NULL DEFAULT '0',
	allowimgcontent        tinyint(1)            NOT NULL DEFAULT '0',
	allowavatarupload      tinyint(1)            NOT NULL DEFAULT '0',
	allowviewprofile       tinyint(1)            NOT NULL DEFAULT '0',
	PRIMARY KEY (groupid)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_forum
(
	fid              mediumint(8) unsigned        NOT NULL AUTO_INCREMENT,
	fup              mediumint(8) unsigned        NOT NULL DEFAULT '0',
	`type`           enum ('group','forum','sub') NOT NULL DEFAULT 'forum',
	`name`           char(50)                     NOT NULL DEFAULT '',
	`status`         tinyint(1)                   NOT NULL DEFAULT '0',
	displayorder     smallint(6)                  NOT NULL DEFAULT '0',
	styleid          smallint(6) unsigned         NOT NULL DEFAULT '0',
	threads          mediumint(8) unsigned        NOT NULL DEFAULT '0',
	posts            mediumint(8) unsigned        NOT NULL DEFAULT '0',
	todayposts       mediumint(8) unsigned        NOT NULL DEFAULT '0',
	yesterdayposts   mediumint(8) unsigned        NOT NULL DEFAULT '0',
	`rank`           smallint(6) unsigned         NOT NULL DEFAULT '0',
	oldrank          smallint(6) unsigned         NOT NULL DEFAULT '0',
	lastpost         char(110)                    NOT NULL DEFAULT '',
	domain           char(15)                     NOT NULL DEFAULT '',
	allowsmilies     tinyint(1)                   NOT NULL DEFAULT '0',
	allowhtml        tinyint(1)                   NOT NULL DEFAULT '0',
	allowbbcode      tinyint(1)                   NOT NULL DEFAULT '0',
	allowimgcode     tinyint(1)                   NOT NULL DEFAULT '0',
	allowmediacode   tinyint(1)                   NOT NULL DEFAULT '0',
	allowanonymous   tinyint(1)                   NOT NULL DEFAULT '0',
	allowpostspecial smallint(6) unsigned         NOT NULL DEFAULT '0',
	allowspecialonly tinyint(1)                   NOT NULL DEFAULT '0',
	allowappend      tinyint(1)                   NOT NULL DEFAULT '0',
	alloweditrules   tinyint(1)                   NOT NULL DEFAULT '0',
	allowfeed        tinyint(1)                   NOT NULL DEFAULT '1',
	allowside        tinyint(1)                   NOT NULL DEFAULT '0',
	recyclebin       tinyint(1)                   NOT NULL DEFAULT '0',
	modnewposts      tinyint(1)                   NOT NULL DEFAULT '0',
	jammer           tinyint(1)                   NOT NULL DEFAULT '0',
	disablewatermark tinyint(1)                   NOT NULL DEFAULT '0',
	inheritedmod     tinyint(1)                   NOT NULL DEFAULT '0',
	autoclose        smallint(6)                  NOT NULL DEFAULT '0',
	forumcolumns     tinyint(3) unsigned          NOT NULL DEFAULT '0',
	catforumcolumns  tinyint(3) unsigned          NOT NULL DEFAULT '0',
	threadcaches     tinyint(1)                   NOT NULL DEFAULT '0',
	alloweditpost    tinyint(1)                   NOT NULL DEFAULT '1',
	`simple`         smallint(6)                  NOT NULL DEFAULT '0',
	modworks         tinyint(1)                   NOT NULL DEFAULT '0',
	allowglobalstick tinyint(1)                   NOT NULL DEFAULT '1',
	`level`          smallint(6)                  NOT NULL DEFAULT '0',
	commoncredits    int(10) unsigned             NOT NULL DEFAULT '0',
	archive          tinyint(1)                   NOT NULL DEFAULT '0',
	recommend        smallint(6) unsigned         NOT NULL DEFAULT '0',
	favtimes         mediumint(8) unsigned        NOT NULL DEFAULT '0',
	sharetimes       mediumint(8) unsigned        NOT NULL DEFAULT '0',
	disablethumb     tinyint(1)                   NOT NULL DEFAULT '0',
	disablecollect   tinyint(1)                   NOT NULL DEFAULT '0',
	PRIMARY KEY (fid),
	KEY forum (`status`, `type`, displayorder),
	KEY fup_type (fup, `type`, displayorder),
	KEY fup (fup)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_forumfield
(
	fid              mediumint(8) unsigned NOT NULL DEFAULT '0',
	description      text                  NOT NULL,
	`password`       varchar(12)           NOT NULL DEFAULT '',
	icon             varchar(255)          NOT NULL DEFAULT '',
	redirect         varchar(255)          NOT NULL DEFAULT '',
	attachextensions varchar(255)          NOT NULL DEFAULT '',
	creditspolicy    mediumtext            NOT NULL,
	formulaperm      text                  NOT NULL,
	moderators       text                  NOT NULL,
	rules            text                  NOT NULL,
	threadtypes      text                  NOT NULL,
	threadsorts      text                  NOT NULL,
	viewperm         text                  NOT NULL,
	postperm         text                  NOT NULL,
	replyperm        text                  NOT NULL,
	getattachperm    text                  NOT NULL,
	postattachperm   text                  NOT NULL,
	postimageperm    text                  NOT NULL,
	spviewperm       text                  NOT NULL,
	seotitle         text                  NOT NULL,
	keywords         text                  NOT NULL,
	seodescription   text                  NOT NULL,
	supe_pushsetting text                  NOT NULL,
	modrecommend     text                  NOT NULL,
	threadplugin     text                  NOT NULL,
	replybg          text                  NOT NULL,
	extra            text                  NOT NULL,
	jointype         tinyint(1)            NOT NULL DEFAULT '0',
	gviewperm        tinyint(1)            NOT NULL DEFAULT '0',
	membernum        smallint(6) unsigned  NOT NULL DEFAULT '0',
	dateline         int(10) unsigned      NOT NULL DEFAULT '0',
	lastupdate       int(10) unsigned      NOT NULL DEFAULT '0',
	activity         int(10) unsigned      NOT NULL DEFAULT '0',
	founderuid       mediumint(8) unsigned NOT NULL DEFAULT '0',
	foundername      varchar(255)          NOT NULL DEFAULT '',
	banner           varchar(255)          NOT NULL DEFAULT '',
	groupnum         smallint(6) unsigned  NOT NULL DEFAULT '0',
	commentitem      text                  NOT NULL,
	relatedgroup     text                  NOT NULL,
	picstyle         tinyint(1)            NOT NULL DEFAULT '0',
	widthauto        tinyint(1)            NOT NULL DEFAULT '0',
	noantitheft      tinyint(1)            NOT NULL DEFAULT '0',
	noforumhidewater tinyint(1)            NOT NULL DEFAULT '0',
	noforumrecommend tinyint(1)            NOT NULL DEFAULT '0',
	livetid          int(10) unsigned      NOT NULL DEFAULT '0',
	price            mediumint(8) unsigned NOT NULL DEFAULT '0',
	PRIMARY KEY (fid),
	KEY membernum (membernum),
	KEY dateline (dateline),
	KEY lastupdate (lastupdate),
	KEY activity (activity)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_threadclass
(
	typeid       mediumint(8) unsigned NOT NULL AUTO_INCREMENT,
	fid          mediumint(8) unsigned NOT NULL,
	`name`       varchar(255)          NOT NULL,
	displayorder mediumint(9)          NOT NULL,
	icon         varchar(255)          NOT NULL,
	moderators   tinyint(1)            NOT NULL DEFAULT '0',
	PRIMARY KEY (typeid),
	KEY fid (fid, displayorder)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_moderator
(
	uid          mediumint(8) unsigned NOT NULL DEFAULT '0',
	fid          mediumint(8) unsigned NOT NULL DEFAULT '0',
	displayorder tinyint(3)            NOT NULL DEFAULT '0',
	inherited    tinyint(1)            NOT NULL DEFAULT '0',
	PRIMARY KEY (uid, fid)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_thread
(
	tid           int(10) unsigned      NOT NULL AUTO_INCREMENT,
	fid           mediumint(8) unsigned NOT NULL DEFAULT '0',
	posttableid   smallint(6) unsigned  NOT NULL DEFAULT '0',
	typeid        smallint(6) unsigned  NOT NULL DEFAULT '0',
	sortid        smallint(6) unsigned  NOT NULL DEFAULT '0',
	readperm      tinyint(3) unsigned   NOT NULL DEFAULT '0',
	price         smallint(6)           NOT NULL DEFAULT '0',
	author        char(50)              NOT NULL DEFAULT '',
	authorid      mediumint(8) unsigned NOT NULL DEFAULT '0',
	`subject`     varchar(255)          NOT NULL DEFAULT '',
	`summary`     varchar(255)          NOT NULL DEFAULT '',
	dateline      int(10) unsigned      NOT NULL DEFAULT '0',
	lastpost      int(10) unsigned      NOT NULL DEFAULT '0',
	lastposter    char(50)              NOT NULL DEFAULT '',
	views         int(10) unsigned      NOT NULL DEFAULT '0',
	replies       mediumint(8) unsigned NOT NULL DEFAULT '0',
	displayorder  tinyint(1)            NOT NULL DEFAULT '0',
	highlight     tinyint(1)            NOT NULL DEFAULT '0',
	digest        tinyint(1)            NOT NULL DEFAULT '0',
	rate          tinyint(1)            NOT NULL DEFAULT '0',
	special       tinyint(1)            NOT NULL DEFAULT '0',
	attachment    tinyint(1)            NOT NULL DEFAULT '0',
	moderated     tinyint(1)            NOT NULL DEFAULT '0',
	closed        mediumint(8) unsigned NOT NULL DEFAULT '0',
	stickreply    tinyint(1)            NOT NULL DEFAULT '0',
	recommends    smallint(6)           NOT NULL DEFAULT '0',
	recommend_add smallint(6)           NOT NULL DEFAULT '0',
	recommend_sub smallint(6)           NOT NULL DEFAULT '0',
	heats         int(10) unsigned      NOT NULL DEFAULT '0',
	`status`      smallint(6) unsigned  NOT NULL DEFAULT '0',
	isgroup       tinyint(1)            NOT NULL DEFAULT '0',
	favtimes      mediumint(8)          NOT NULL DEFAULT '0',
	sharetimes    mediumint(8)          NOT NULL DEFAULT '0',
	stamp         tinyint(3)            NOT NULL DEFAULT '-1',
	icon          tinyint(3)            NOT NULL DEFAULT '-1',
	pushedaid     mediumint(8)          NOT NULL DEFAULT '0',
	cover         smallint(6)           NOT NULL DEFAULT '0',
	replycredit   int(10)               NOT NULL DEFAULT '0',
	relatebytag   char(255)             NOT NULL DEFAULT '0',
	maxposition   int(10) unsigned      NOT NULL DEFAULT '0',
	bgcolor       char(8)               NOT NULL DEFAULT '',
	comments      int(10) unsigned      NOT NULL DEFAULT '0',
	hidden        smallint(6) unsigned  NOT NULL DEFAULT '0',
	PRIMARY KEY (tid),
	KEY digest (digest),
	KEY sortid (sortid),
	KEY displayorder (fid, displayorder, lastpost),
	KEY typeid (fid, typeid, displayorder, lastpost),
	KEY recommends (recommends),
	KEY heats (heats),
	KEY authorid (authorid),
	KEY isgroup (isgroup, lastpost),
	KEY special (special),
	KEY displayorder_dateline (fid, displayorder, dateline),
	KEY displayorder_replies (fid, displayorder, replies),
	KEY displayorder_views (fid, displayorder, views),
	KEY displayorder_recommends (fid, displayorder, recommends),
	KEY displayorder_heats (fid, displayorder, heats),
	KEY typeid_dateline (fid, typeid, displayorder, dateline),
	KEY typeid_replies (fid, typeid, displayorder, replies),
	KEY typeid_views (fid, typeid, displayorder, views),
	KEY typeid_recommends (fid, typeid, displayorder, recommends),
	KEY typeid_heats (fid, typeid, displayorder, heats)
) ENGINE = InnoDB;

-- 主题分表 (admincp_threadsplit.php)
CREATE TABLE pre_forum_thread_1 LIKE pre_forum_thread;

CREATE TABLE pre_forum_threadaddviews
(
	tid      int(10) unsigned NOT NULL DEFAULT '0',
	addviews int(10) unsigned NOT NULL DEFAULT '0',
	PRIMARY KEY (tid)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_post
(
	pid         int(10) unsigned      NOT NULL,
	fid         mediumint(8) unsigned NOT NULL DEFAULT '0',
	tid         int(10) unsigned      NOT NULL DEFAULT '0',
	repid       int(10) unsigned      NOT NULL DEFAULT '0',
	`first`     tinyint(1)            NOT NULL DEFAULT '0',
	author      varchar(50)           NOT NULL DEFAULT '',
	authorid    mediumint(8) unsigned NOT NULL DEFAULT '0',
	`subject`   varchar(255)          NOT NULL DEFAULT '',
	`original`  tinyint(1)            NOT NULL DEFAULT '0',
	dateline    int(10) unsigned      NOT NULL DEFAULT '0',
	lastupdate  int(10) unsigned      NOT NULL DEFAULT '0',
	updateuid   mediumint(8) unsigned NOT NULL DEFAULT '0',
	message     mediumtext            NOT NULL,
	useip       varchar(45)           NOT NULL DEFAULT '',
	`port`      smallint(6) unsigned  NOT NULL DEFAULT '0',
	invisible   tinyint(1)            NOT NULL DEFAULT '0',
	anonymous   tinyint(1)            NOT NULL DEFAULT '0',
	usesig      tinyint(1)            NOT NULL DEFAULT '0',
	htmlon      tinyint(1)            NOT NULL DEFAULT '0',
	bbcodeoff   tinyint(1)            NOT NULL DEFAULT '0',
	smileyoff   tinyint(1)            NOT NULL DEFAULT '0',
	parseurloff tinyint(1)            NOT NULL DEFAULT '0',
	attachment  tinyint(1)            NOT NULL DEFAULT '0',
	rate        smallint(6)           NOT NULL DEFAULT '0',
	ratetimes   tinyint(3) unsigned   NOT NULL DEFAULT '0',
	`status`    int(10)               NOT NULL DEFAULT '0',
	tags        varchar(255)          NOT NULL DEFAULT '',
	`comment`   tinyint(1)            NOT NULL DEFAULT '0',
	replycredit int(10)               NOT NULL DEFAULT '0',
	position    int(10) unsigned      NOT NULL,
	PRIMARY KEY (tid, position),
	UNIQUE KEY pid (pid),
	KEY fid (fid),
	KEY authorid (authorid, invisible),
	KEY dateline (dateline),
	KEY invisible (invisible),
	KEY displayorder (tid, invisible, dateline),
	KEY `first` (tid, `first`)
) ENGINE = InnoDB;

-- 帖子分表 (admincp_postsplit.php)
CREATE TABLE pre_forum_post_1 LIKE pre_forum_post;

CREATE TABLE pre_forum_post_tableid
(
	pid int(10) unsigned NOT NULL AUTO_INCREMENT,
	PRIMARY KEY (pid)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_attachment
(
	aid       int(10) unsigned      NOT NULL AUTO_INCREMENT,
	tid       int(10) unsigned      NOT NULL DEFAULT '0',
	pid       int(10) unsigned      NOT NULL DEFAULT '0',
	uid       mediumint(8) unsigned NOT NULL DEFAULT '0',
	tableid   tinyint(3) unsigned   NOT NULL DEFAULT '0',
	downloads mediumint(8)          NOT NULL DEFAULT '0',
	PRIMARY KEY (aid),
	KEY tid (tid),
	KEY pid (pid),
	KEY uid (uid)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_attachment_0
(
	aid         int(10) unsigned      NOT NULL,
	tid         int(10) unsigned      NOT NULL DEFAULT '0',
	pid         int(10) unsigned      NOT NULL DEFAULT '0',
	uid         mediumint(8) unsigned NOT NULL DEFAULT '0',
	dateline    int(10) unsigned      NOT NULL DEFAULT '0',
	filename    varchar(255)          NOT NULL DEFAULT '',
	filesize    int(10) unsigned      NOT NULL DEFAULT '0',
	attachment  varchar(255)          NOT NULL DEFAULT '',
	remote      tinyint(1)            NOT NULL DEFAULT '0',
	description varchar(255)          NOT NULL,
	readperm    tinyint(3) unsigned   NOT NULL DEFAULT '0',
	price       smallint(6) unsigned  NOT NULL DEFAULT '0',
	isimage     tinyint(1)            NOT NULL DEFAULT '0',
	width       mediumint(8) unsigned NOT NULL DEFAULT '0',
	height      mediumint(8) unsigned NOT NULL DEFAULT '0',
	thumb       tinyint(1)            NOT NULL DEFAULT '0',
	picid       mediumint(8)          NOT NULL DEFAULT '0',
	PRIMARY KEY (aid),
	KEY tid (tid),
	KEY pid (pid),
	KEY uid (uid)
) ENGINE = InnoDB;
-- install.sql spells out _1 … _9 with the same DDL as _0.
CREATE TABLE pre_forum_attachment_1 LIKE pre_forum_attachment_0;
CREATE TABLE pre_forum_attachment_2 LIKE pre_forum_attachment_0;
CREATE TABLE pre_forum_attachment_3 LIKE pre_forum_attachment_0;
CREATE TABLE pre_forum_attachment_4 LIKE pre_forum_attachment_0;
CREATE TABLE pre_forum_attachment_5 LIKE pre_forum_attachment_0;
CREATE TABLE pre_forum_attachment_6 LIKE pre_forum_attachment_0;
CREATE TABLE pre_forum_attachment_7 LIKE pre_forum_attachment_0;
CREATE TABLE pre_forum_attachment_8 LIKE pre_forum_attachment_0;
CREATE TABLE pre_forum_attachment_9 LIKE pre_forum_attachment_0;

CREATE TABLE pre_forum_attachment_unused
(
	aid        int(10) unsigned      NOT NULL,
	uid        mediumint(8) unsigned NOT NULL DEFAULT '0',
	dateline   int(10) unsigned      NOT NULL DEFAULT '0',
	filename   varchar(255)          NOT NULL DEFAULT '',
	filesize   int(10) unsigned      NOT NULL DEFAULT '0',
	attachment varchar(255)          NOT NULL DEFAULT '',
	remote     tinyint(1)            NOT NULL DEFAULT '0',
	isimage    tinyint(1)            NOT NULL DEFAULT '0',
	width      mediumint(8) unsigned NOT NULL DEFAULT '0',
	height     mediumint(8) unsigned NOT NULL DEFAULT '0',
	thumb      tinyint(1)            NOT NULL DEFAULT '0',
	PRIMARY KEY (aid),
	KEY uid (uid)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_ratelog
(
	pid        int(10) unsigned      NOT NULL DEFAULT '0',
	uid        mediumint(8) unsigned NOT NULL DEFAULT '0',
	username   char(50)              NOT NULL DEFAULT '',
	extcredits tinyint(3) unsigned   NOT NULL DEFAULT '0',
	dateline   int(10) unsigned      NOT NULL DEFAULT '0',
	score      smallint(6)           NOT NULL DEFAULT '0',
	reason     char(40)              NOT NULL DEFAULT '',
	KEY pid (pid, dateline),
	KEY dateline (dateline),
	KEY uid (uid)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_memberrecommend
(
	tid          int(10) unsigned      NOT NULL,
	recommenduid mediumint(8) unsigned NOT NULL,
	dateline     int(10) unsigned      NOT NULL,
	KEY tid (tid),
	KEY uid (recommenduid)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_hotreply_member
(
	tid      int(10) unsigned      NOT NULL DEFAULT '0',
	pid      int(10) unsigned      NOT NULL DEFAULT '0',
	uid      mediumint(8) unsigned NOT NULL DEFAULT '0',
	attitude tinyint(1)            NOT NULL DEFAULT '0',
	PRIMARY KEY (pid, uid)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_hotreply_number
(
	pid       int(10) unsigned      NOT NULL DEFAULT '0',
	tid       int(10) unsigned      NOT NULL DEFAULT '0',
	support   smallint(6) unsigned  NOT NULL DEFAULT '0',
	`against` smallint(6) unsigned  NOT NULL DEFAULT '0',
	total     mediumint(8) unsigned NOT NULL DEFAULT '0',
	PRIMARY KEY (pid),
	KEY tid (tid, total)
) ENGINE = InnoDB;

CREATE TABLE pre_home_favorite
(
	favid       mediumint(8) unsigned NOT NULL AUTO_INCREMENT,
	uid         mediumint(8) unsigned NOT NULL DEFAULT '0',
	id          mediumint(8) unsigned NOT NULL DEFAULT '0',
	idtype      varchar(255)          NOT NULL DEFAULT '',
	spaceuid    mediumint(8) unsigned NOT NULL DEFAULT '0',
	title       varchar(255)          NOT NULL DEFAULT '',
	description text                  NOT NULL,
	dateline    int(10) unsigned      NOT NULL DEFAULT '0',
	PRIMARY KEY (favid),
	KEY idtype (id, idtype(40)),
	KEY uid (uid, idtype(40), dateline)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_threadmod
(
	tid        int(10) unsigned      NOT NULL DEFAULT '0',
	uid        mediumint(8) unsigned NOT NULL DEFAULT '0',
	username   char(50)              NOT NULL DEFAULT '',
	dateline   int(10) unsigned      NOT NULL DEFAULT '0',
	expiration int(10) unsigned      NOT NULL DEFAULT '0',
	`action`   char(5)               NOT NULL DEFAULT '',
	`status`   tinyint(1)            NOT NULL DEFAULT '0',
	magicid    smallint(6) unsigned  NOT NULL,
	stamp      tinyint(3)            NOT NULL,
	reason     char(40)              NOT NULL DEFAULT '',
	KEY tid (tid, dateline),
	KEY expiration (expiration, `status`)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_poll
(
	tid         int(10) unsigned      NOT NULL DEFAULT '0',
	overt       tinyint(1)            NOT NULL DEFAULT '0',
	multiple    tinyint(1)            NOT NULL DEFAULT '0',
	visible     tinyint(1)            NOT NULL DEFAULT '0',
	maxchoices  tinyint(3) unsigned   NOT NULL DEFAULT '0',
	isimage     tinyint(1)            NOT NULL DEFAULT '0',
	expiration  int(10) unsigned      NOT NULL DEFAULT '0',
	pollpreview varchar(255)          NOT NULL DEFAULT '',
	voters      mediumint(8) unsigned NOT NULL DEFAULT '0',
	PRIMARY KEY (tid)
) ENGINE = InnoDB;

CREATE TABLE pre_forum_polloption
(
	polloptionid int(10) unsigned      NOT NULL AUTO_INCREMENT,
	tid          int(10) unsigned      NOT NULL DEFAULT '0',
	votes        mediumint(8) unsigned NOT NULL DEFAULT '0',
	displayorder tinyint(3)            NOT NULL DEFAULT '0',
	polloption   varchar(80)           NOT NULL DEFAULT '',
	voterids     mediumtext            NOT NULL,
	PRIMARY KEY (polloptionid),
	KEY tid (tid, displayorder)
) ENGINE = InnoDB;

-- UCenter (uc.sql, uc_ -> pre_ucenter_)
CREATE TABLE pre_ucenter_members (
  uid int(11) unsigned NOT NULL AUTO_INCREMENT,
  username char(15) NOT NULL DEFAULT '',
  `password` varchar(255) NOT NULL DEFAULT '',
  email varchar(255) NOT NULL DEFAULT '',
  myid varchar(255)  NOT NULL DEFAULT '',
  myidkey varchar(255) NOT NULL DEFAULT '',
  regip varchar(45) NOT NULL DEFAULT '',
  regdate int(11) unsigned NOT NULL DEFAULT '0',
  lastloginip int(11) NOT NULL DEFAULT '0',
  lastlogintime int(11) unsigned NOT NULL DEFAULT '0',
  salt varchar(20) NOT NULL,
  secques char(8) NOT NULL default '',
  PRIMARY KEY(uid),
  UNIQUE KEY username(username),
  KEY email(email)
) ENGINE=MyISAM;

CREATE TABLE pre_ucenter_pm_members (
  plid int(11) unsigned NOT NULL default '0',
  uid int(11) unsigned NOT NULL default '0',
  isnew tinyint(1) unsigned NOT NULL default '0',
  pmnum int(11) unsigned NOT NULL default '0',
  lastupdate int(11) unsigned NOT NULL default '0',
  lastdateline int(11) unsigned NOT NULL default '0',
  PRIMARY KEY  (plid,uid),
  KEY isnew (isnew),
  KEY lastdateline (uid,lastdateline),
  KEY lastupdate (uid,lastupdate)
) ENGINE=MyISAM;

CREATE TABLE pre_ucenter_pm_lists (
  plid int(11) unsigned NOT NULL auto_increment,
  authorid int(11) unsigned NOT NULL default '0',
  pmtype tinyint(1) unsigned NOT NULL default '0',
  subject varchar(255) NOT NULL,
  members int(11) unsigned NOT NULL default '0',
  min_max varchar(255) NOT NULL,
  dateline int(11) unsigned NOT NULL default '0',
  lastmessage text NOT NULL,
  PRIMARY KEY  (plid),
  KEY pmtype (pmtype),
  KEY min_max (min_max),
  KEY authorid (authorid,dateline)
) ENGINE=MyISAM;

CREATE TABLE pre_ucenter_pm_indexes (
  pmid int(11) unsigned NOT NULL auto_increment,
  plid int(11) unsigned NOT NULL default '0',
  PRIMARY KEY  (pmid),
  KEY plid (plid)
) ENGINE=MyISAM;

CREATE TABLE pre_ucenter_pm_messages_0 (
  pmid int(11) unsigned NOT NULL default '0',
  plid int(11) unsigned NOT NULL default '0',
  authorid int(11) unsigned NOT NULL default '0',
  message text NOT NULL,
  delstatus tinyint(1) unsigned NOT NULL default '0',
  dateline int(11) unsigned NOT NULL default '0',
  PRIMARY KEY  (pmid),
  KEY plid (plid,delstatus,dateline),
  KEY dateline (plid,dateline)
) ENGINE=MyISAM;
-- uc.sql spells out _1 … _9 with the same DDL as _0.
CREATE TABLE pre_ucenter_pm_messages_1 LIKE pre_ucenter_pm_messages_0;
CREATE TABLE pre_ucenter_pm_messages_2 LIKE pre_ucenter_pm_messages_0;
CREATE TABLE pre_ucenter_pm_messages_3 LIKE pre_ucenter_pm_messages_0;
CREATE TABLE pre_ucenter_pm_messages_4 LIKE pre_ucenter_pm_messages_0;
CREATE TABLE pre_ucenter_pm_messages_5 LIKE pre_ucenter_pm_messages_0;
CREATE TABLE pre_ucenter_pm_messages_6 LIKE pre_ucenter_pm_messages_0;
CREATE TABLE pre_ucenter_pm_messages_7 LIKE pre_ucenter_pm_messages_0;
CREATE TABLE pre_ucenter_pm_messages_8 LIKE pre_ucenter_pm_messages_0;
CREATE TABLE pre_ucenter_pm_messages_9 LIKE pre_ucenter_pm_messages_0;
