#!/bin/sh
# Runs cmocka unit test binaries (the ASan build) one by one.
# Usage: scripts/run-unit.sh BIN...      (make unit passes build/unit/test_*)
# Prints "PASS name" or "FAIL name" per binary (scripts/test.sh counts these
# lines); a failing binary's output follows, indented. Exits 1 if any failed.
# UNIT_TIMEOUT (seconds, default 300) bounds each binary.
set -u
: "${ASAN_OPTIONS:=detect_leaks=1:abort_on_error=1}"
: "${UBSAN_OPTIONS:=print_stacktrace=1:halt_on_error=1}"
export ASAN_OPTIONS UBSAN_OPTIONS
if [ $# -eq 0 ]; then
  echo "unit: no unit test binaries"
  exit 0
fi
log=$(mktemp "${TMPDIR:-/tmp}/loulan-unit.XXXXXX")
trap 'rm -f "$log"' EXIT
failed=0
for bin in "$@"; do
  name=$(basename "$bin")
  case "$bin" in */*) ;; *) bin=./$bin ;; esac
  if timeout "${UNIT_TIMEOUT:-300}" "$bin" >"$log" 2>&1; then
    echo "PASS $name"
  else
    rc=$?
    echo "FAIL $name (exit $rc)"
    sed 's/^/    /' "$log"
    failed=1
  fi
done
exit $failed
