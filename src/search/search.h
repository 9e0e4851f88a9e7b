/*
** search: the pure half of loulan's full-text search, written once for both
** backends (docs/DESIGN-NOTES.md, "Search"): the CJK bigram tokenizer, the
** query language (terms, "phrases", -exclude, OR), the engine query strings
** built from it (an FTS5 MATCH expression, a PostgreSQL tsquery), the
** tsvector text of a document, plain text from a post's HTML, and excerpts
** with the matched places marked. No database, no HTML output: the FTS5
** glue lives in db/db_sqlite.c, the SQL in forum/search.c, the escaping in
** the page's template.
**
** Tokens: text is normalized per character (NFKC + case fold, with a
** character's combining marks), then
**   - runs of letters, digits and marks are words ("Linux" -> "linux",
**     "２０２４" -> "2024");
**   - runs of Han, Hiragana, Katakana and Hangul give overlapping bigrams
**     ("济宁市" -> "济宁" "宁市"); a run of one character gives that character;
**   - anything else separates.
*/
#ifndef LOULAN_SEARCH_H
#define LOULAN_SEARCH_H
#include <stddef.h>
#include <stdint.h>

#define SEARCH_TOKEN_MAX 64            /* bytes of one word token (longer words are cut on a character) */
#define SEARCH_TEXT_MAX (256 * 1024)   /* bytes of one field tokenized; the rest is not indexed */
#define SEARCH_QUERY_MAX 200           /* bytes of a query as typed */
#define SEARCH_TERMS_MAX 12            /* terms (words, phrases, exclusions) in a query */
#define SEARCH_TERM_TOKENS 16          /* tokens kept of one term or phrase */
#define SEARCH_EXCERPT_CHARS 120       /* characters of an excerpt */
#define SEARCH_EXCERPT_SEGS 32         /* marked/unmarked pieces of an excerpt */
#define SEARCH_PG_POS_MAX 16383        /* PostgreSQL's largest tsvector position */
#define SEARCH_TITLE_WEIGHT 10.0       /* a match in the title counts this many times one in the body */

/* Called for each token in order: TOK (NUL-free UTF-8, n bytes, not
** terminated), the byte range [start, end) of the text it came from, and
** whether it is a CJK bigram/unigram (cjk = 1, 2: its characters). Return 0
** to go on, non-zero to stop (search_tokenize then returns it). */
typedef int (*search_token_fn)(void *ctx, const char *tok, int n, int start, int end, int cjk);
int search_tokenize(const char *text, size_t n, search_token_fn fn, void *ctx);
/* 0: every character through ICU's properties and normalizer (the reference the tests compare the
** fast path for common ideographs with); 1 (the default): the fast path. Not for use while tokenizing. */
void search_tokenize_fast(int on);

/* ---- queries ------------------------------------------------------------- */
struct search_term {
	char *tok[SEARCH_TERM_TOKENS];  /* malloc'd tokens, a phrase when more than one */
	int ntok;
	int neg;       /* -term: must not occur */
	int loose;     /* the tokens need not be adjacent (lone characters were dropped between them) */
	int group;     /* positive terms with the same group are joined by OR */
};
struct search_query {
	struct search_term t[SEARCH_TERMS_MAX];
	int n, npos;
	int titles;    /* match titles only (set by the caller before building) */
};
/* Parses what the reader typed. 0 ok; -1 with a Chinese message in err
** (empty, too long, too many terms, only single characters, only exclusions). */
int search_query_parse(const char *q, struct search_query *out, char *err, size_t errlen);
void search_query_free(struct search_query *q);
/* The engine's query text into *out (malloc'd, NUL-terminated): 0 ok, -1 no memory. */
int search_query_fts5(const struct search_query *q, char **out);
int search_query_tsquery(const struct search_query *q, char **out);

/* PostgreSQL tsvector input text for a title (weight A) and a body: "'tok':1A 'tok':2 ...". malloc'd. */
char *search_tsvector(const char *title, const char *body);
/* The same tsvector in PostgreSQL's binary form (tsvectorrecv's), for db_copy_raw in a binary copy;
   *len its bytes. Caller frees. */
char *search_tsvector_bin(const char *title, const char *body, size_t *len);

/* Plain text of a post's sanitized HTML: tags out (block tags become a line
** break, inline tags nothing), entities decoded. malloc'd. */
char *search_html_text(const char *html);

/* An excerpt of TEXT around the first place a positive term of Q matches:
** up to SEARCH_EXCERPT_CHARS characters as pieces [off, off + len) of TEXT,
** hit = 1 where a query token matched; lead/trail = 1 when text was cut there. */
struct search_seg { int off, len, hit; };
struct search_excerpt { struct search_seg seg[SEARCH_EXCERPT_SEGS]; int n, lead, trail; };
void search_excerpt(const char *text, const struct search_query *q, struct search_excerpt *out);
#endif
