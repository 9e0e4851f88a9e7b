/*
** apispec: the JSON API's OpenAPI 3.1 description (issue 17). It is written
** by hand in api/FAMILY.json, built into the binary (tools/embed.c) and merged here
** at start-up: api/openapi.json holds the frame (info, tags, security, shared
** components), every other api/FAMILY.json adds its "paths" and
** "components" (a path+method or component name given twice is an error).
**
** The description is used three ways:
**   GET /api/v1/openapi.json  the merged document
**   GET /api/docs             the reference page rendered from it (apidocs.c)
**   page_json_body            the fields a route's JSON body may carry are the
**                             "properties" of its requestBody schema: any other
**                             field is a 400 naming it (a misspelt field is
**                             never silently ignored)
** apispec_check compares it with the route table (test_routes.c runs it; serve
** warns): every R_API route and method is described, with the security its
** R_LOGIN flag implies, and nothing is described that has no route.
*/
#include "pages/page.h"
#include "util/die.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct embed_file { const char *name; const unsigned char *data; size_t len; };
extern const struct embed_file embed_files[];

#define APISPEC_BASE "api/openapi.json"

static json_t *spec;       /* the merged document, NULL before apispec_init */
static char *spec_text;    /* its serialisation, served as is */

static const char *const method_names[] = {"get", "post", "put", "patch", "delete"};
static const int method_bits[] = {HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE};
#define NMETHODS (sizeof method_bits / sizeof method_bits[0])

const char *apispec_method_name(int bit) {
	for (size_t i = 0; i < NMETHODS; i++)
		if (bit & method_bits[i]) return method_names[i];
	return NULL;
}

/* does the OpenAPI path key ("/api/v1/threads/{tid}") have the route pattern's shape ("/api/v1/threads/x")? */
int apispec_same_path(const char *key, const char *pattern) {
	while (*key && *pattern) {
		if (*key == '{') {
			if (*pattern != '*') return 0;
			key = strchr(key, '}');
			if (!key) return 0;
			key++;
			pattern++;
		} else if (*key++ != *pattern++) {
			return 0;
		}
	}
	return !*key && !*pattern;
}

static int merge_section(json_t *into, json_t *from, const char *file, const char *what, char *err, size_t n) {
	const char *k;
	json_t *v;
	json_object_foreach(from, k, v) {
		if (json_object_get(into, k)) {
			snprintf(err, n, "%s: %s %s is also described in another file of api/", file, what, k);
			return -1;
		}
		json_object_set(into, k, v);
	}
	return 0;
}

static int merge(json_t *doc, json_t *part, const char *file, char *err, size_t n) {
	const char *k, *m;
	json_t *v, *ops, *op;
	json_object_foreach(part, k, v) {
		if (strcmp(k, "paths") && strcmp(k, "components")) {
			snprintf(err, n, "%s: only \"paths\" and \"components\" belong in a family's file, not \"%s\"", file, k);
			return -1;
		}
		if (!json_is_object(v)) {
			snprintf(err, n, "%s: \"%s\" is not an object", file, k);
			return -1;
		}
	}
	json_t *paths = json_object_get(doc, "paths");
	json_object_foreach(json_object_get(part, "paths"), k, ops) {
		json_t *have = json_object_get(paths, k);
		if (!have) {
			json_object_set(paths, k, ops);
			continue;
		}
		json_object_foreach(ops, m, op) {
			if (json_object_get(have, m)) {
				snprintf(err, n, "%s: %s %s is also described in another file of api/", file, m, k);
				return -1;
			}
			json_object_set(have, m, op);
		}
	}
	json_t *comps = json_object_get(doc, "components"), *sec;
	json_object_foreach(json_object_get(part, "components"), k, sec) {
		json_t *have = json_object_get(comps, k);
		if (!have) json_object_set_new(comps, k, have = json_object());
		if (merge_section(have, sec, file, k, err, n)) return -1;
	}
	return 0;
}

static json_t *load(const struct embed_file *f, char *err, size_t n) {
	json_error_t je;
	json_t *v = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &je);
	if (!v || !json_is_object(v)) {
		snprintf(err, n, "%s:%d: %s", f->name, je.line, v ? "not a JSON object" : je.text);
		json_decref(v);
		return NULL;
	}
	return v;
}

int apispec_init(char *err, size_t n) {
	if (spec) return 0;
	const struct embed_file *base = NULL;
	for (const struct embed_file *f = embed_files; f->name; f++)
		if (!strcmp(f->name, APISPEC_BASE)) base = f;
	if (!base) {
		snprintf(err, n, "%s is not built in", APISPEC_BASE);
		return -1;
	}
	json_t *doc = load(base, err, n);
	if (!doc) return -1;
	if (!json_is_object(json_object_get(doc, "paths"))) json_object_set_new(doc, "paths", json_object());
	if (!json_is_object(json_object_get(doc, "components"))) json_object_set_new(doc, "components", json_object());
	for (const struct embed_file *f = embed_files; f->name; f++) {
		size_t len = strlen(f->name);
		if (strncmp(f->name, "api/", 4) || f == base || len < 5 || strcmp(f->name + len - 5, ".json")) continue;
		json_t *part = load(f, err, n);
		int bad = !part || merge(doc, part, f->name, err, n);
		json_decref(part);
		if (bad) {
			json_decref(doc);
			return -1;
		}
	}
	spec_text = json_dumps(doc, JSON_INDENT(1));
	if (!spec_text) die_oom();
	spec = doc;
	return 0;
}

void apispec_free(void) {
	json_decref(spec);
	free(spec_text);
	spec = NULL;
	spec_text = NULL;
}

json_t *apispec_doc(void) { return spec; }

/* "#/components/schemas/X" -> the schema (one level of $ref) */
json_t *apispec_deref(json_t *v) {
	const char *ref = json_string_value(json_object_get(v, "$ref"));
	if (!ref || strncmp(ref, "#/components/", 13)) return v;
	const char *sec = ref + 13, *slash = strchr(sec, '/');
	if (!slash) return v;
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)(slash - sec), sec);
	json_t *t = json_object_get(json_object_get(json_object_get(spec, "components"), name), slash + 1);
	return t ? t : v;
}

json_t *apispec_operation(const char *pattern, int method) {
	const char *m = apispec_method_name(method == HTTP_HEAD ? HTTP_GET : method), *k;
	json_t *ops;
	if (!spec || !m || !pattern) return NULL;
	json_object_foreach(json_object_get(spec, "paths"), k, ops)
		if (apispec_same_path(k, pattern)) return json_object_get(ops, m);
	return NULL;
}

json_t *apispec_body_schema(const char *pattern, int method) {
	json_t *op = apispec_operation(pattern, method);
	json_t *rb = apispec_deref(json_object_get(op, "requestBody"));
	json_t *s = json_object_get(json_object_get(json_object_get(rb, "content"), "application/json"), "schema");
	return s ? apispec_deref(s) : NULL;
}

void page_openapi(page *p) {
	http_text(p->r, 200, "application/json; charset=utf-8", spec_text ? spec_text : "{}");
	http_set_header(p->r, "Cache-Control", "public, max-age=300");
}

/* the route pattern as the description writes it, for a message ("/api/v1/posts/{id}/like") */
static const char *path_key_of(const char *pattern, char *out, size_t n) {
	size_t o = 0;
	for (const char *s = pattern; *s && o + 5 < n; s++) {
		if (*s == '*') {
			memcpy(out + o, "{id}", 4);
			o += 4;
		} else {
			out[o++] = *s;
		}
	}
	out[o] = 0;
	return out;
}

static int is_bearer_only(json_t *sec) {
	return json_array_size(sec) == 1 && json_object_size(json_array_get(sec, 0)) == 1 &&
	       json_object_get(json_array_get(sec, 0), "bearer");
}

int apispec_check(char *err, size_t n) {
	if (!spec && apispec_init(err, n)) return 1;
	const char *pattern;
	int methods, flags, bad = 0;
	char key[256];
	char why[2048];
	for (size_t i = 0; !route_info(i, &pattern, &methods, &flags); i++) {
		if (!(flags & R_API)) continue;
		for (size_t j = 0; j < NMETHODS; j++) {
			if (!(methods & method_bits[j])) continue;
			json_t *op = apispec_operation(pattern, method_bits[j]);
			const char *m = method_names[j];
			char up[8];
			size_t k;
			for (k = 0; m[k] && k + 1 < sizeof up; k++) up[k] = (char)(m[k] >= 'a' && m[k] <= 'z' ? m[k] - 32 : m[k]);
			up[k] = 0;
			why[0] = 0;
			if (!op) {
				snprintf(why, sizeof why,
				         "the API route %s %s (src/pages/routes.c) has no description: add \"%s\": {\"%s\": {\"summary\": ..., "
				         "\"tags\": [...], \"security\": ..., \"parameters\": [...], \"requestBody\": ..., \"responses\": {...}}} "
				         "under \"paths\" of its family's file in api/ (api/FAMILY.json; see docs/HACKING.md, \"Adding an API route\")",
				         up, pattern, path_key_of(pattern, key, sizeof key), m);
			} else if (!json_is_string(json_object_get(op, "summary")) || !json_is_object(json_object_get(op, "responses"))) {
				snprintf(why, sizeof why, "api/: %s %s needs a \"summary\" and \"responses\"", m, pattern);
			} else {
				json_t *sec = json_object_get(op, "security");
				int login = (flags & R_LOGIN) != 0;
				if (!json_is_array(sec) || login != is_bearer_only(sec))
					snprintf(why, sizeof why,
					         "api/: %s %s: \"security\" must be %s (the route %s R_LOGIN)", m, pattern,
					         login ? "[{\"bearer\": []}]" : "[{}, {\"bearer\": []}] (a token is optional)",
					         login ? "has" : "has no");
				else if (login && !json_object_get(json_object_get(op, "responses"), "401"))
					snprintf(why, sizeof why, "api/: %s %s is members only: describe its \"401\" answer", m, pattern);
			}
			if (why[0] && !bad++) snprintf(err, n, "%s", why);
		}
	}
	/* and the other way: a description without a route is stale */
	const char *k, *m;
	json_t *ops, *op;
	json_object_foreach(json_object_get(spec, "paths"), k, ops) {
		json_object_foreach(ops, m, op) {
			int found = 0;
			for (size_t i = 0; !found && !route_info(i, &pattern, &methods, &flags); i++)
				if (apispec_same_path(k, pattern))
					for (size_t j = 0; j < NMETHODS; j++)
						if ((methods & method_bits[j]) && !strcmp(m, method_names[j])) found = 1;
			if (!found && !bad++)
				snprintf(err, n, "api/: %s %s is described but src/pages/routes.c has no such route", m, k);
		}
	}
	return bad;
}
