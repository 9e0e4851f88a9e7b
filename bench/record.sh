#!/usr/bin/env bash
# bench/record.sh TITLE CMD...: runs CMD, a bench that prints its figures without writing them down,
# shows them, and appends them to docs/PERFORMANCE.md under a dated heading that names the checkout's
# revision (a markdown table as it is, anything else as a text block). `make bench` runs
# bench/hot.sh and bench/idleflood.sh through it, so that one run records every row of issue 16.
# Exit status: CMD's (the figures are recorded either way, with the status when it failed).
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bench/record.sh TITLE CMD..." >&2; exit 2; }
title=$1
shift
out=$(mktemp /tmp/loulan-record.XXXXXX)
"$@" | tee "$out"
rc=${PIPESTATUS[0]}
{
	printf '\n## %s — %s: %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" "$title"
	[ "$rc" = 0 ] || printf '(the bench exited with status %s)\n\n' "$rc"
	if head -1 "$out" | grep -q '^|'; then
		cat "$out"
	else
		printf '```text\n'
		cat "$out"
		printf '```\n'
	fi
} >>docs/PERFORMANCE.md
rm -f "$out"
exit "$rc"
