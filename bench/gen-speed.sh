#!/usr/bin/env bash
# bench/gen-speed.sh: how long `loulan gen` takes for 1,000,000 posts (target: under a minute).
#   bench/gen-speed.sh [POSTS]      Environment: LOULAN_BIN, LOULAN_GEN_BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOULAN_BIN:-$PWD/loulan}
GENBIN=${LOULAN_GEN_BIN:-$BIN}
POSTS=${1:-1000000}
T=$(mktemp -d /tmp/loulan-gen.XXXXXX)
trap 'rm -rf "$T"' EXIT
"$BIN" init --data "$T/d" >/dev/null
t0=$(date +%s.%N)
"$GENBIN" gen --data "$T/d" --boards 20 --threads $((POSTS / 50)) --posts "$POSTS" --no-index >/dev/null 2>&1
s=$(echo "$(date +%s.%N) - $t0" | bc)
printf 'gen: %d posts in %.2f s (%.0f posts/s), database %d MB; target < 60 s: %s\n' "$POSTS" "$s" \
	"$(echo "$POSTS / $s" | bc)" "$(du -m "$T/d/loulan.db" | cut -f1)" "$([ "$(echo "$s < 60" | bc)" = 1 ] && echo met || echo missed)"
