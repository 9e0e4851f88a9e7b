/*
** profile: /settings/profile (个人资料 and 签名) and PATCH /api/v1/me/profile (issue #15; rules in
** forum/profile.h). The user page /u/{uid} that shows them is space.c.
*/
#include "pages/page.h"
#include "forum/profile.h"
#include <jansson.h>
#include <string.h>

static void profile_form(page *p, int status, const struct profile *pf, const char *error, const char *field) {
	tv *f = tv_add_map(p->a, p->v, "pf");
	tv_str(p->a, f, "sig", pf->sig_src);
	tv_str(p->a, f, "bio", pf->bio);
	tv_str(p->a, f, "location", pf->location);
	tv_str(p->a, f, "website", pf->website);
	tv_bool(p->a, f, "g0", pf->gender == PROFILE_GENDER_UNKNOWN);
	tv_bool(p->a, f, "g1", pf->gender == PROFILE_GENDER_MALE);
	tv_bool(p->a, f, "g2", pf->gender == PROFILE_GENDER_FEMALE);
	tv_bool(p->a, f, "sigoff", pf->sigoff);
	if (pf->sig_html && *pf->sig_html) tv_html(p->a, f, "sig_html", pf->sig_html);
	tv *lim = tv_add_map(p->a, p->v, "lim");
	tv_int(p->a, lim, "sig", PROFILE_SIG_MAX);
	tv_int(p->a, lim, "sig_lines", PROFILE_SIG_LINES);
	tv_int(p->a, lim, "bio", PROFILE_BIO_MAX);
	tv_int(p->a, lim, "bio_lines", PROFILE_BIO_LINES);
	tv_int(p->a, lim, "location", PROFILE_LOCATION_MAX);
	tv_int(p->a, lim, "website", PROFILE_WEBSITE_MAX);
	tv_str(p->a, p->v, "csrf", page_csrf(p));
	tv_str(p->a, p->v, "error", error);
	if (field) {
		tv *err = tv_add_map(p->a, p->v, "err");
		tv_str(p->a, err, field, error);
	}
	const char *saved = http_query(p->r, "saved");
	tv_bool(p->a, p->v, "saved", saved && !strcmp(saved, "1"));
	page_render(p, status, "settings_profile", arena_sprintf(p->a, "个人资料 - %s", p->site->name));
}

void page_settings_profile_form(page *p) {
	struct member m;
	struct profile pf;
	int rc = profile_member(p->db, p->a, p->me.uid, &m, &pf);
	if (rc <= 0) { page_db_unavailable(p); return; }
	profile_form(p, 200, &pf, NULL, NULL);
}

static int gender_of(const char *g) {
	if (!g || !*g) return 0;
	if (!strcmp(g, "0")) return 0;
	if (!strcmp(g, "1")) return 1;
	if (!strcmp(g, "2")) return 2;
	return -1;
}

void page_settings_profile(page *p) {
	struct profile in = {
		.sig_src = http_form(p->r, "sig"), .bio = http_form(p->r, "bio"), .location = http_form(p->r, "location"),
		.website = http_form(p->r, "website"), .gender = gender_of(http_form(p->r, "gender")),
		.sigoff = http_form(p->r, "sigoff") != NULL,
	};
	const char *field;
	struct forum_err e = {0};
	if (!profile_save(p->db, p->me.uid, &in, p->now, &field, &e)) {
		http_redirect(p->r, 303, "/settings/profile?saved=1");
		return;
	}
	if (e.code == FORUM_E_DB) { page_db_unavailable(p); return; }
	in.sig_src = in.sig_src ? in.sig_src : "";
	in.bio = in.bio ? in.bio : "";
	in.location = in.location ? in.location : "";
	in.website = in.website ? in.website : "";
	in.sig_html = NULL;
	profile_form(p, page_forum_status(e.code), &in, arena_strdup(p->a, e.msg), field);
}

/* PATCH /api/v1/me/profile {"signature", "bio", "gender": 0|1|2, "location", "website", "hide_signatures"}:
   the fields given change, the others stay. Answers the whole profile. */
void api_me_profile(page *p) {
	json_t *b = page_json_body(p);
	if (!b) return;
	struct member m;
	struct profile pf;
	int rc = profile_member(p->db, p->a, p->me.uid, &m, &pf);
	if (rc <= 0) { json_decref(b); page_db_unavailable(p); return; }
	static const char *const keys[] = {"signature", "bio", "location", "website"};
	const char **dst[] = {&pf.sig_src, &pf.bio, &pf.location, &pf.website};
	int bad = 0;
	for (size_t i = 0; i < 4; i++) {
		json_t *v = json_object_get(b, keys[i]);
		if (!v) continue;
		if (!json_is_string(v)) bad = 1;
		else *dst[i] = arena_strdup(p->a, json_string_value(v));
	}
	json_t *g = json_object_get(b, "gender"), *so = json_object_get(b, "hide_signatures");
	if (g) {
		if (json_is_integer(g) && json_integer_value(g) >= 0 && json_integer_value(g) <= 2) pf.gender = (int)json_integer_value(g);
		else bad = 1;
	}
	if (so) {
		if (json_is_boolean(so)) pf.sigoff = json_is_true(so);
		else bad = 1;
	}
	json_decref(b);
	if (bad) { page_json_error(p, 400, "bad_request", "字段类型无效：文本字段须为字符串，gender 为 0-2，hide_signatures 为布尔值。"); return; }
	const char *field;
	struct forum_err e = {0};
	if (profile_save(p->db, p->me.uid, &pf, p->now, &field, &e)) { page_forum_error(p, e.code, &e); return; }
	page_json_send(p, 200, json_pack("{s:s,s:s,s:i,s:s,s:s,s:b}", "signature", pf.sig_src, "bio", pf.bio, "gender",
	                                 pf.gender, "location", pf.location, "website", pf.website, "hide_signatures",
	                                 pf.sigoff));
}
