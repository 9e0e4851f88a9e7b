#!/bin/sh
# Long fuzzing: every libFuzzer target for FUZZ_LONG_SECONDS (default 600 = 10 minutes) each,
# through scripts/run-fuzz.sh (same corpora: a temporary copy of tests/fuzz/corpus/NAME plus
# tests/fuzz/regression/NAME, which are kept unchanged; crash inputs go to build/fuzz/artifacts/).
# Then rewrites the fuzzing table of docs/RELIABILITY.md (between the fuzz-long markers)
# with each target's executions and coverage, the duration and the date.
# Usage: scripts/fuzz-long.sh [build/fuzz/fuzz_NAME...]   (`make fuzz-long`)
set -u
cd "$(dirname "$0")/.." || exit 1
secs=${FUZZ_LONG_SECONDS:-600}
stats=$(mktemp "${TMPDIR:-/tmp}/loulan-fuzzstats.XXXXXX")
trap 'rm -f "$stats" "$stats.md"' EXIT
FUZZ_SEED=${FUZZ_SEED:-0} FUZZ_SECONDS=$secs FUZZ_STATS=$stats scripts/run-fuzz.sh "$@"
rc=$?
doc=docs/RELIABILITY.md
{
  echo "Last run: $(date -u '+%Y-%m-%d %H:%M UTC'), ${secs} s per target, $(nproc) cores shared, clang $(clang -dumpversion 2>/dev/null)."
  echo
  echo "| target | seconds | executions | coverage (edges) | features | corpus entries |"
  echo "|---|---|---|---|---|---|"
  sed -n 's/^STAT fuzz_\([^ ]*\) secs=\([^ ]*\) execs=\([^ ]*\) cov=\([^ ]*\) ft=\([^ ]*\) corpus=\([^ ]*\)$/| \1 | \2 | \3 | \4 | \5 | \6 |/p' "$stats"
  if [ "$rc" != 0 ]; then echo; echo "**A target failed in this run** (see build/fuzz/artifacts/)."; fi
} >"$stats.md"
if [ -f "$doc" ] && grep -q '<!-- fuzz-long:begin -->' "$doc"; then
  awk -v tbl="$stats.md" '
    /<!-- fuzz-long:begin -->/ { print; while ((getline l < tbl) > 0) print l; skip = 1; next }
    /<!-- fuzz-long:end -->/ { skip = 0 }
    !skip { print }' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
  echo "fuzz-long: updated $doc"
else
  echo "fuzz-long: $doc has no fuzz-long markers; table:"; cat "$stats.md"
fi
exit $rc
