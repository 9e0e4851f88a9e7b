/*
** apidocs: GET /api/docs, the JSON API's reference in Chinese, rendered from
** the OpenAPI description (apispec.c, the files in api/): the operations by
** tag (method, path, summary, who may call it, parameters, body fields,
** answers) and the shared schemas. Nothing is written here that the
** description does not say, so a route documented in api/ shows up by itself.
** No SQL beyond the viewer's session; the page is the same for every guest.
*/
#include "pages/page.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* "post /api/v1/boards/{fid}/threads" -> "post-api-v1-boards-fid-threads" */
static const char *anchor(arena *a, const char *method, const char *path) {
	char *s = arena_sprintf(a, "%s%s", method, path), *o = s;
	int dash = 0;
	for (const char *c = s; *c; c++) {
		int ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9');
		if (ok) {
			if (dash && o != s) *o++ = '-';
			*o++ = *c;
			dash = 0;
		} else {
			dash = 1;
		}
	}
	*o = 0;
	return s;
}

/* a schema's type as a reader wants it: "integer", "string | null", "array<Thread>", "Thread" */
static const char *type_text(arena *a, json_t *s, const char **link) {
	const char *ref = json_string_value(json_object_get(s, "$ref"));
	if (ref) {
		const char *name = strrchr(ref, '/') ? strrchr(ref, '/') + 1 : ref;
		if (link) *link = name;
		return name;
	}
	json_t *t = json_object_get(s, "type");
	if (json_is_array(t)) {
		buf b;
		buf_init(&b, 0);
		size_t i;
		json_t *x;
		json_array_foreach(t, i, x) buf_appendf(&b, "%s%s", i ? " | " : "", json_string_value(x) ? json_string_value(x) : "?");
		const char *r = arena_strdup(a, buf_cstr(&b));
		buf_release(&b);
		return r;
	}
	if (json_object_get(s, "oneOf")) {
		buf b;
		buf_init(&b, 0);
		size_t i;
		json_t *x;
		json_array_foreach(json_object_get(s, "oneOf"), i, x) buf_appendf(&b, "%s%s", i ? " 或 " : "", type_text(a, x, i ? NULL : link));
		const char *r = arena_strdup(a, buf_cstr(&b));
		buf_release(&b);
		return r;
	}
	const char *ts = json_string_value(t);
	if (ts && !strcmp(ts, "array")) {
		const char *in = type_text(a, json_object_get(s, "items"), link);
		return arena_sprintf(a, "array<%s>", in);
	}
	if (ts && !strcmp(ts, "object") && json_is_object(json_object_get(s, "additionalProperties")))
		return arena_sprintf(a, "object<名称, %s>", type_text(a, json_object_get(s, "additionalProperties"), NULL));
	return ts ? ts : "any";
}

/* what a field may be beyond its type: enum values, bounds, format */
static const char *constraint_text(arena *a, json_t *s) {
	json_t *en = json_object_get(s, "enum");
	buf b;
	buf_init(&b, 0);
	if (json_is_array(en)) {
		size_t i;
		json_t *x;
		buf_puts(&b, "取值：");
		json_array_foreach(en, i, x) {
			char *d = json_dumps(x, JSON_ENCODE_ANY);
			buf_appendf(&b, "%s%s", i ? "、" : "", d ? d : "?");
			free(d);
		}
	}
	json_t *mn = json_object_get(s, "minimum"), *mx = json_object_get(s, "maximum");
	if (json_is_integer(mn) || json_is_integer(mx)) {
		if (b.len) buf_puts(&b, "；");
		if (json_is_integer(mn) && json_is_integer(mx))
			buf_appendf(&b, "%lld–%lld", (long long)json_integer_value(mn), (long long)json_integer_value(mx));
		else if (json_is_integer(mn))
			buf_appendf(&b, "≥ %lld", (long long)json_integer_value(mn));
		else
			buf_appendf(&b, "≤ %lld", (long long)json_integer_value(mx));
	}
	const char *r = b.len ? arena_strdup(a, buf_cstr(&b)) : NULL;
	buf_release(&b);
	return r;
}

static int is_required(json_t *schema, const char *name) {
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(schema, "required"), i, x)
		if (json_string_value(x) && !strcmp(json_string_value(x), name)) return 1;
	return 0;
}

/* the fields of an object schema (and of objects inside it, as "a.b") appended to list */
static void fields_into(arena *a, tv *list, const char *prefix, json_t *schema, int depth) {
	json_t *props = json_object_get(schema, "properties");
	const char *k;
	json_t *v;
	json_object_foreach(props, k, v) {
		tv *f = tv_push_map(a, list);
		const char *link = NULL, *name = prefix ? arena_sprintf(a, "%s.%s", prefix, k) : k;
		tv_str(a, f, "name", name);
		tv_str(a, f, "type", type_text(a, v, &link));
		if (link) tv_str(a, f, "link", link);
		tv_bool(a, f, "required", is_required(schema, k));
		tv_str(a, f, "description", json_string_value(json_object_get(v, "description")));
		tv_str(a, f, "constraint", constraint_text(a, v));
		json_t *inner = json_object_get(v, "properties") ? v : json_object_get(json_object_get(v, "items"), "properties")
		                                                         ? json_object_get(v, "items") : NULL;
		if (inner && depth < 3) fields_into(a, list, json_object_get(v, "items") ? arena_sprintf(a, "%s[]", name) : name, inner, depth + 1);
	}
}

static void fields(arena *a, tv *m, const char *key, json_t *schema) {
	if (!json_is_object(json_object_get(schema, "properties"))) return;
	fields_into(a, tv_add_list(a, m, key), NULL, schema, 0);
}

/* a schema in an answer or body: its fields, or its type (a $ref links to the schema's section) */
static void schema_view(arena *a, tv *m, json_t *s) {
	const char *link = NULL;
	if (!s) return;
	if (json_object_get(s, "properties")) {
		fields(a, m, "fields", s);
		return;
	}
	tv_str(a, m, "type", type_text(a, s, &link));
	if (link) tv_str(a, m, "link", link);
	tv_str(a, m, "schema_description", json_string_value(json_object_get(s, "description")));
}

static void operation(page *p, tv *o, const char *path, const char *method, json_t *op) {
	arena *a = p->a;
	char up[16];
	size_t i;
	for (i = 0; method[i] && i + 1 < sizeof up; i++) up[i] = (char)(method[i] >= 'a' && method[i] <= 'z' ? method[i] - 32 : method[i]);
	up[i] = 0;
	tv_str(a, o, "method", arena_strdup(a, up));
	tv_str(a, o, "mclass", method);
	tv_str(a, o, "path", path);
	tv_str(a, o, "anchor", anchor(a, method, path));
	tv_str(a, o, "summary", json_string_value(json_object_get(op, "summary")));
	tv_str(a, o, "description", json_string_value(json_object_get(op, "description")));
	json_t *sec = json_object_get(op, "security");
	int optional = 0;
	json_t *x;
	json_array_foreach(sec, i, x) if (!json_object_size(x)) optional = 1;
	tv_bool(a, o, "login", json_array_size(sec) && !optional);
	json_t *params = json_object_get(op, "parameters");
	if (json_array_size(params)) {
		tv *pl = tv_add_list(a, o, "params");
		json_array_foreach(params, i, x) {
			x = apispec_deref(x);
			tv *f = tv_push_map(a, pl);
			json_t *s = json_object_get(x, "schema");
			const char *in = json_string_value(json_object_get(x, "in"));
			tv_str(a, f, "name", json_string_value(json_object_get(x, "name")));
			tv_str(a, f, "in", in && !strcmp(in, "path") ? "路径" : in && !strcmp(in, "query") ? "查询" : in);
			tv_str(a, f, "type", type_text(a, s, NULL));
			tv_bool(a, f, "required", json_is_true(json_object_get(x, "required")));
			tv_str(a, f, "description", json_string_value(json_object_get(x, "description")));
			tv_str(a, f, "constraint", constraint_text(a, s));
		}
	}
	json_t *rb = apispec_deref(json_object_get(op, "requestBody"));
	const char *ct;
	json_t *media;
	json_object_foreach(json_object_get(rb, "content"), ct, media) {
		tv *b = tv_add_map(a, o, "body");
		tv_str(a, b, "ctype", ct);
		tv_str(a, b, "description", json_string_value(json_object_get(rb, "description")));
		schema_view(a, b, apispec_deref(json_object_get(media, "schema")));
		break;
	}
	tv *rl = tv_add_list(a, o, "responses");
	const char *code;
	json_t *r;
	json_object_foreach(json_object_get(op, "responses"), code, r) {
		json_t *rr = apispec_deref(r);
		tv *m = tv_push_map(a, rl);
		tv_str(a, m, "status", code);
		tv_bool(a, m, "ok", code[0] == '2');
		tv_str(a, m, "description", json_string_value(json_object_get(rr, "description")));
		if (rr != r) continue;   /* the shared error answers: {"error": ...}, said once at the top */
		json_t *s = json_object_get(json_object_get(json_object_get(rr, "content"), "application/json"), "schema");
		schema_view(a, m, s);
	}
}

void page_apidocs(page *p) {
	arena *a = p->a;
	json_t *doc = apispec_doc();
	if (!doc) { page_error(p, 503, "接口描述暂时不可用。"); return; }
	page_cache_site(p);
	json_t *info = json_object_get(doc, "info");
	tv_str(a, p->v, "intro", json_string_value(json_object_get(info, "description")));
	tv_str(a, p->v, "version", json_string_value(json_object_get(info, "version")));
	tv *tags = tv_add_list(a, p->v, "tags");
	size_t i;
	json_t *tag;
	json_array_foreach(json_object_get(doc, "tags"), i, tag) {
		const char *name = json_string_value(json_object_get(tag, "name"));
		if (!name) continue;
		tv *t = tv_push_map(a, tags);
		tv_str(a, t, "name", name);
		tv_str(a, t, "title", json_string_value(json_object_get(tag, "description")));
		tv *ops = tv_add_list(a, t, "ops");
		const char *path, *method;
		json_t *item, *op;
		json_object_foreach(json_object_get(doc, "paths"), path, item) {
			json_object_foreach(item, method, op) {
				json_t *ot = json_array_get(json_object_get(op, "tags"), 0);
				if (json_string_value(ot) && !strcmp(json_string_value(ot), name)) operation(p, tv_push_map(a, ops), path, method, op);
			}
		}
	}
	tv *schemas = tv_add_list(a, p->v, "schemas");
	const char *sname;
	json_t *s;
	json_object_foreach(json_object_get(json_object_get(doc, "components"), "schemas"), sname, s) {
		tv *m = tv_push_map(a, schemas);
		tv_str(a, m, "name", sname);
		tv_str(a, m, "description", json_string_value(json_object_get(s, "description")));
		schema_view(a, m, s);
	}
	page_render(p, 200, "apidocs", arena_sprintf(a, "JSON 接口 - %s", p->site->name));
}
