#!/bin/sh
# Fails the build on banned libc calls (git banned.h) and on SQL built with printf-family calls.
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
exit $bad
