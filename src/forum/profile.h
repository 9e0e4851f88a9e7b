/*
** profile: a member's 个人资料 (issue #15): signature (签名, BBCode with the tags of BBCODE_SIG, rendered
** when saved and shown under each of their posts, like Discuz!), bio, gender, location, website, and the
** member's own switch that hides others' signatures. One row of table profile per member who saved one.
*/
#ifndef LOULAN_PROFILE_H
#define LOULAN_PROFILE_H
#include "forum/forum.h"
#include "forum/user.h"

#define PROFILE_SIG_MAX 200          /* characters of a signature's source */
#define PROFILE_SIG_LINES 4          /* lines of a signature */
#define PROFILE_BIO_MAX 500          /* characters of the bio */
#define PROFILE_BIO_LINES 10
#define PROFILE_LOCATION_MAX 40      /* characters */
#define PROFILE_WEBSITE_MAX 200      /* bytes: http(s)://... */
enum { PROFILE_GENDER_UNKNOWN = 0, PROFILE_GENDER_MALE = 1, PROFILE_GENDER_FEMALE = 2 };

struct profile {
	const char *sig_src, *sig_html, *bio, *location, *website;
	int gender, sigoff;
	int64_t updated;
};
/* the member and their profile (empty fields when they have none) in one query: 1, 0 no such member, -1 */
int profile_member(db *d, arena *a, int64_t uid, struct member *m, struct profile *pf);
/* Checks every field (limits, visible text, website scheme), renders the signature, and stores the row.
** *field names the first field refused ("sig", "bio", ...). 0 or a FORUM_E_* code with e filled. */
int profile_save(db *d, int64_t uid, const struct profile *in, time_t now, const char **field, struct forum_err *e);
const char *profile_gender_label(int g);   /* "保密", "男", "女" */
#endif
