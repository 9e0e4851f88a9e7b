#!/bin/sh
# Fails the build on banned libc calls (git banned.h), on SQL built with printf-family calls,
# and on includes that break the layering (docs/HACKING.md, "Layout").
set -eu
cd "$(dirname "$0")/.."
bad=0
if grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|localtime|gmtime|asctime|ctime)[[:space:]]*\(' src tests/unit tests/fuzz 2>/dev/null; then
  echo "lint: banned libc function above (use buf, snprintf, *_r variants)" >&2; bad=1
fi
if grep -rnE '(appendf|printf)[[:space:]]*\([^;]*"[[:space:]]*(SELECT|INSERT|UPDATE|DELETE|REPLACE)[[:space:]]' src 2>/dev/null; then
  echo "lint: SQL built with a printf-family call above; bind parameters instead" >&2; bad=1
fi
# Read permission (docs/HACKING.md): pages ask page_sees/page_board_visible (forum_can_view), so
# one helper decides; perm_check(.., PERM_VIEW) stays in routes.c (the site-wide check) only.
if grep -nE 'PERM_VIEW' src/pages/*.c 2>/dev/null | grep -v '^src/pages/routes\.c:'; then
  echo "lint: board view check above; use page_sees / page_board_visible (forum_can_view)" >&2; bad=1
fi

# layer FOLDER may not include PATTERN (an extended regex on the included path)
forbid() {
  if grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]+\"($2)" "src/$1" 2>/dev/null; then
    echo "lint: src/$1/ must not include $3 (see docs/HACKING.md, Layout)" >&2; bad=1
  fi
}
# layer FOLDER may include only PATTERN (its own folder, relative includes count as its own)
only() {
  if grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]+\"" "src/$1" 2>/dev/null | grep -vE "#[[:space:]]*include[[:space:]]+\"(($2)/|[a-z_]+\.h\")"; then
    echo "lint: src/$1/ may include only $3 (see docs/HACKING.md, Layout)" >&2; bad=1
  fi
}
forbid pages 'db/' 'db/ (pages reach the database through forum/)'
forbid pages 'cli/' 'cli/'
forbid forum 'http/|render/|pages/|cli/|db/db_pg\.h|db/db_sqlite' 'http/, render/, pages/, cli/ or a database driver header'
forbid db 'forum/|pages/|render/|markup/|http/|cli/' 'forum/, pages/, render/, markup/, http/ or cli/'
forbid render 'db/|forum/|pages/|cli/' 'db/, forum/, pages/ or cli/'
forbid cache 'db/|pages/|cli/|markup/' 'db/, pages/, cli/ or markup/ (the cache knows no forum rules; generations come from forum/cachegen.h)'
forbid import 'http/|pages/|render/|cli/|cache/|db/db_pg\.h|db/db_sqlite' 'http/, pages/, render/, cli/, cache/ or a database driver header (the importer writes through db.h and forum/)'
only markup 'markup|util' 'markup/ and util/'
only http 'http|util' 'http/ and util/'
only util 'util' 'util/'
# numbers from requests go through one canonical parser (pages/urlparse.c: url_id, url_uint,
# url_int), so /t/01, ?page=+1 and t-00.xml are refused alike, not parsed by hand
if grep -nE '\b(strto(u?ll|u?l|imax|umax)|ato(i|l|ll))[[:space:]]*\(' src/pages/*.c 2>/dev/null | grep -v '^src/pages/urlparse\.c:'; then
  echo "lint: a number parsed by hand in src/pages/ above; use url_id/url_uint/url_int (pages/urlparse.h)" >&2; bad=1
fi
# includes name the layer: "../db/db.h" would slip past the layering rules above
if grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"\.\./' src 2>/dev/null; then
  echo "lint: relative #include \"../\" above; include \"layer/file.h\" (see docs/HACKING.md, Layout)" >&2; bad=1
fi
only search 'search|util' 'search/ and util/'
# a function that passes its own va_list to a printf-like function says so with
# __attribute__((format(printf, N, 0))): gcc lets it pass, clang's -Wformat-nonliteral (the fuzz
# build, `make fuzz`) stops the build without it
if awk '/va_list[[:space:]]+[a-z_]+\)[[:space:]]*\{/ { two = prev $0; if (two ~ /static/ && two !~ /__attribute__\(\(format\(printf/) { print FILENAME ":" FNR ": " $0; found = 1 } } { prev = $0 } END { exit !found }' $(find src -name '*.c'); then
  echo "lint: a static function taking va_list above lacks __attribute__((format(printf, FMT, 0))) (clang -Wformat-nonliteral)" >&2; bad=1
fi
exit $bad
