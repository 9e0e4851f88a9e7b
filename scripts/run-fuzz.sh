#!/bin/sh
# Short libFuzzer runs, one per target.
# Usage: scripts/run-fuzz.sh [build/fuzz/fuzz_NAME...]   (default: every build/fuzz/fuzz_*)
# For target fuzz_NAME: runs on a temporary copy of tests/fuzz/corpus/NAME (so the
# committed corpus is never modified) plus tests/fuzz/regression/NAME, for
# -max_total_time=${FUZZ_SECONDS:-20} with -timeout=10. Crash inputs are kept in
# build/fuzz/artifacts/. Prints "PASS fuzz_NAME" / "FAIL fuzz_NAME" per target
# (scripts/test.sh counts these lines), then "STAT fuzz_NAME secs=S execs=N cov=C ft=F corpus=K"
# from libFuzzer's final line; exits 1 if any target failed.
# FUZZ_SEED (default 1) fixes libFuzzer's seed, so that `make test` explores the same inputs on
# every run and a CI failure can be reproduced; `make fuzz-long` passes FUZZ_SEED=0 (a new random
# seed per run) to look further. A crash found either way is fixed, and its input kept in
# tests/fuzz/regression/NAME.
# FUZZ_STATS=FILE also appends the STAT lines to FILE (scripts/fuzz-long.sh reads it).
set -u
cd "$(dirname "$0")/.." || exit 1
: "${ASAN_OPTIONS:=detect_leaks=1:abort_on_error=1}"
: "${UBSAN_OPTIONS:=print_stacktrace=1:halt_on_error=1}"
export ASAN_OPTIONS UBSAN_OPTIONS
secs=${FUZZ_SECONDS:-20}
seed=${FUZZ_SEED:-1}
if [ $# -eq 0 ]; then
  for b in build/fuzz/fuzz_*; do
    [ -x "$b" ] && [ -f "$b" ] && set -- "$@" "$b"
  done
fi
if [ $# -eq 0 ]; then
  echo "fuzz: no fuzz targets, skipped"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/loulan-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p build/fuzz/artifacts
failed=0
for bin in "$@"; do
  target=$(basename "$bin")
  name=${target#fuzz_}
  case "$bin" in */*) ;; *) bin=./$bin ;; esac
  corpus=$tmp/$name
  mkdir -p "$corpus"
  if [ -d "tests/fuzz/corpus/$name" ]; then
    cp -R "tests/fuzz/corpus/$name/." "$corpus/"
  fi
  reg=tests/fuzz/regression/$name
  [ -d "$reg" ] || reg=""
  # libFuzzer writes new inputs only into the first dir (the temporary copy).
  if "$bin" -max_total_time="$secs" -seed="$seed" -timeout=10 -print_final_stats=1 \
      -artifact_prefix="build/fuzz/artifacts/$name-" "$corpus" ${reg:+"$reg"} \
      >"$tmp/$name.log" 2>&1; then
    echo "PASS $target"
    # "#12345	DONE   cov: 321 ft: 1234 corp: 99/2048b ..." and "stat::number_of_executed_units: N"
    execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$tmp/$name.log" | tail -n 1)
    done_line=$(grep -a 'DONE ' "$tmp/$name.log" | tail -n 1)
    cov=$(printf '%s\n' "$done_line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(printf '%s\n' "$done_line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(printf '%s\n' "$done_line" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
    stat="STAT $target secs=$secs execs=${execs:-?} cov=${cov:-?} ft=${ft:-?} corpus=${corp:-?}"
    echo "$stat"
    [ -z "${FUZZ_STATS:-}" ] || echo "$stat" >>"$FUZZ_STATS"
  else
    rc=$?
    echo "FAIL $target (exit $rc; crash input in build/fuzz/artifacts/$name-*)"
    tail -n 60 "$tmp/$name.log" | sed 's/^/    /'
    failed=1
  fi
done
exit $failed
